"""The CAP sender registry page: read by every account, changed by the region's committee."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from crossrisk.domain.organisation import system_actor
from crossrisk.services import cap_senders
from crossrisk.store.models import (
    CapFeedRow,
    CapSenderDelivererRow,
    CapSenderRow,
    JournalEntryRow,
)
from crossrisk.store.uow import UnitOfWork
from tests.cap_signing import signing_key
from tests.web.cap_senders.registry import add_feed, add_sender
from tests.web.officers import COMMITTEE_OFFICER, EVALUATOR, HANGZHOU_OFFICER
from tests.web.page_parts import section

LogIn = Callable[[str], str]


def actions(app: FastAPI) -> list[str]:
    with app.state.engine.connect() as connection:
        return list(
            connection.scalars(select(JournalEntryRow.action).order_by(JournalEntryRow.seq))
        )


def count(app: FastAPI, row: type) -> int:
    with app.state.engine.connect() as connection:
        return int(connection.scalar(select(func.count()).select_from(row)))


def test_the_committee_reaches_the_page_from_its_menu_in_both_languages(
    client: TestClient, log_in: LogIn
) -> None:
    log_in(COMMITTEE_OFFICER)

    zh = client.get("/cap/senders")
    client.get("/language/en?next=/cap/senders")
    en = client.get("/cap/senders")

    assert zh.status_code == en.status_code == 200
    assert 'href="/cap/senders" aria-current="page"' in zh.text
    assert "CAP 发送方与订阅源" in zh.text and "登记发送方" in zh.text
    assert "CAP senders and feeds" in en.text and "Register a sender" in en.text
    own = section(zh.text, "own-senders")
    assert 'data-organisation="yrd-committee"' in own and "crossrisk-yrd" in own
    assert "crossrisk-341000" in own  # 黄山市's own id, as its warnings carry it
    assert 'id="add-sender-form"' in zh.text and 'id="add-feed-form"' in zh.text


def test_a_city_reads_its_own_sender_id_at_the_top_and_sees_no_forms(
    client: TestClient, log_in: LogIn
) -> None:
    log_in(HANGZHOU_OFFICER)

    page = client.get("/cap/senders")

    assert page.status_code == 200
    assert 'href="/cap/senders"' not in section(page.text, "site-menu")  # not its page to keep
    assert "crossrisk-330100" in section(page.text, "my-sender")
    assert page.text.index('id="my-sender"') < page.text.index('id="sender-list"')
    own = section(page.text, "own-senders")
    assert 'class="own-sender mine" data-organisation="ema-330100"' in own
    assert own.index('data-organisation="ema-330100"') < own.index('data-organisation="ema-341000"')
    assert 'id="add-sender-form"' not in page.text and 'id="add-feed-form"' not in page.text


def test_a_reader_sees_its_own_id_and_the_others_folded_away(
    client: TestClient, log_in: LogIn
) -> None:
    log_in(EVALUATOR)

    page = client.get("/cap/senders")

    assert "crossrisk-yrd-evaluator" in section(page.text, "my-sender")
    assert "<details" in page.text  # every organisation's id, folded away below the registry


def test_the_committee_registers_allows_and_removes_a_sender_through_the_journal(
    app: FastAPI, client: TestClient, log_in: LogIn
) -> None:
    csrf = log_in(COMMITTEE_OFFICER)
    key = signing_key()

    added = add_sender(client, csrf, certificate=key.certificate_pem.encode("ascii"))
    assert added.status_code == 200, added.text
    assert "已登记发送方 hsqx.huangshan" in section(added.text, "registry-done")
    row = section(added.text, "sender-list")
    assert 'data-sender="hsqx.huangshan"' in row and "黄山市气象局" in row
    assert 'class="fingerprint"' in row and "SHA-256" in row
    feed = add_feed(client, csrf)
    assert feed.status_code == 200, feed.text
    assert "https://hsqx.example.cn/cap/index.atom" in section(feed.text, "feed-list")
    (feed_id,) = [f for f in range(1, 3) if f'data-feed="{f}"' in feed.text]

    for deliverer in ("organisation:ema-341000", f"feed:{feed_id}"):
        allowed = client.post(
            "/cap/senders/allow",
            data={"csrf_token": csrf, "sender": "hsqx.huangshan", "deliverer": deliverer},
        )
        assert allowed.status_code == 200, allowed.text
    listed = section(allowed.text, "sender-list")
    assert 'data-deliverer="organisation:ema-341000"' in listed and "黄山市应急管理局" in listed
    assert f'data-deliverer="feed:{feed_id}"' in listed
    assert "hsqx.huangshan" in section(allowed.text, "feed-list")
    assert count(app, CapSenderDelivererRow) == 2

    removed = client.post(
        "/cap/senders/remove", data={"csrf_token": csrf, "sender": "hsqx.huangshan"}
    )
    assert removed.status_code == 200
    assert 'data-sender="hsqx.huangshan"' not in removed.text
    gone = client.post("/cap/feeds/remove", data={"csrf_token": csrf, "feed": str(feed_id)})
    assert gone.status_code == 200
    assert f'data-feed="{feed_id}"' not in gone.text
    assert count(app, CapSenderRow) == count(app, CapFeedRow) == 0
    assert [a for a in actions(app) if a.startswith("cap_")] == [
        "cap_sender.added",
        "cap_feed.added",
        "cap_sender.allowed",
        "cap_sender.allowed",
        "cap_sender.removed",
        "cap_feed.removed",
    ]


def test_the_page_speaks_english_after_an_addition(client: TestClient, log_in: LogIn) -> None:
    csrf = log_in(COMMITTEE_OFFICER)
    client.get("/language/en?next=/cap/senders")

    added = add_sender(client, csrf)

    assert "Sender hsqx.huangshan was registered." in section(added.text, "registry-done")
    assert "Nobody yet" in section(added.text, "sender-list")


REFUSED_SENDERS = [
    pytest.param({"sender": ""}, None, "CAP 标识不得为空", id="empty id"),
    pytest.param({"sender": "a" * 54}, None, "53", id="over-long id"),
    pytest.param({"sender": "hs qx"}, None, "空格", id="id with a space"),
    pytest.param({"name": "黄山\x00气象局"}, None, "NUL", id="NUL in the name"),
    pytest.param({"name": "名" * 201}, None, "200", id="over-long name"),
    pytest.param({"region": "nowhere"}, None, "只有区域协调机构", id="another region"),
    pytest.param({}, b"not a certificate", "PEM", id="non-PEM certificate"),
    pytest.param({"require_signature": "1"}, None, "证书", id="signatures without certificate"),
    pytest.param({}, "证书".encode(), "PEM", id="non-ASCII certificate"),
    pytest.param({}, b"-" * 16_385, "16384", id="over-large certificate"),
    pytest.param({"sender": "crossrisk-341000"}, None, "黄山市应急管理局", id="a city's own id"),
]


@pytest.mark.parametrize(("change", "certificate", "said"), REFUSED_SENDERS)
def test_a_bad_sender_is_refused_in_chinese_and_nothing_is_written(
    app: FastAPI,
    client: TestClient,
    log_in: LogIn,
    change: dict[str, str],
    certificate: bytes | None,
    said: str,
) -> None:
    csrf = log_in(COMMITTEE_OFFICER)
    before = actions(app)

    refused = add_sender(client, csrf, certificate=certificate, **change)

    assert 400 <= refused.status_code < 500, refused.text
    box = refused.text[refused.text.index('class="alert alert-error"') :]
    assert said in box[: box.index("</div>")]
    assert count(app, CapSenderRow) == 0
    assert actions(app) == before


def test_a_second_registration_of_a_sender_is_refused(
    app: FastAPI, client: TestClient, log_in: LogIn
) -> None:
    csrf = log_in(COMMITTEE_OFFICER)
    add_sender(client, csrf)
    before = actions(app)

    again = add_sender(client, csrf)

    assert again.status_code == 409
    assert "hsqx.huangshan 已登记" in again.text
    assert actions(app) == before


@pytest.mark.parametrize(
    ("url", "said"),
    [
        pytest.param("ftp://hsqx.example.cn/index.atom", "http", id="not http"),
        pytest.param("hsqx.example.cn/index.atom", "http", id="no scheme"),
        pytest.param("https://" + "a" * 2000, "2000", id="over-long"),
        pytest.param("", "http", id="empty"),
    ],
)
def test_a_bad_feed_address_is_refused_and_nothing_is_written(
    app: FastAPI, client: TestClient, log_in: LogIn, url: str, said: str
) -> None:
    csrf = log_in(COMMITTEE_OFFICER)
    before = actions(app)

    refused = add_feed(client, csrf, url=url)

    assert refused.status_code == 422
    box = refused.text[refused.text.index('class="alert alert-error"') :]
    assert said in box[: box.index("</div>")]
    assert count(app, CapFeedRow) == 0
    assert actions(app) == before


@pytest.mark.parametrize(
    "deliverer",
    [
        "organisation:ema-999999",
        "organisation:" + "x" * 100,
        "feed:99",
        "feed:99999999999999999999",
        "feed:-1",
        "anyone",
        "",
    ],
)
def test_allowing_an_unknown_organisation_or_feed_is_refused(
    app: FastAPI, client: TestClient, log_in: LogIn, deliverer: str
) -> None:
    csrf = log_in(COMMITTEE_OFFICER)
    add_sender(client, csrf)
    before = actions(app)

    refused = client.post(
        "/cap/senders/allow",
        data={"csrf_token": csrf, "sender": "hsqx.huangshan", "deliverer": deliverer},
    )

    assert refused.status_code in (404, 422)
    assert 'class="alert alert-error"' in refused.text
    assert count(app, CapSenderDelivererRow) == 0
    assert actions(app) == before


@pytest.mark.parametrize("username", [HANGZHOU_OFFICER, EVALUATOR])
def test_a_city_or_a_reader_may_not_change_the_registry(
    app: FastAPI, client: TestClient, log_in: LogIn, username: str
) -> None:
    csrf = log_in(username)
    before = actions(app)

    sender = add_sender(client, csrf)
    feed = add_feed(client, csrf)

    assert sender.status_code == feed.status_code == 403
    assert "只有区域协调机构或平台运维人员" in sender.text
    assert count(app, CapSenderRow) == count(app, CapFeedRow) == 0
    assert actions(app) == before


def test_a_stale_form_token_is_refused_and_nothing_is_written(
    app: FastAPI, client: TestClient, log_in: LogIn
) -> None:
    log_in(COMMITTEE_OFFICER)

    refused = add_sender(client, "stale")

    assert refused.status_code == 403
    assert count(app, CapSenderRow) == 0
    assert not [a for a in actions(app) if a.startswith("cap_")]


def test_removing_what_is_not_there_is_refused(client: TestClient, log_in: LogIn) -> None:
    csrf = log_in(COMMITTEE_OFFICER)

    sender = client.post("/cap/senders/remove", data={"csrf_token": csrf, "sender": "nobody"})
    feed = client.post("/cap/feeds/remove", data={"csrf_token": csrf, "feed": "7"})
    huge = client.post("/cap/feeds/remove", data={"csrf_token": csrf, "feed": str(2**63)})

    assert sender.status_code == feed.status_code == 404
    assert huge.status_code == 422
    assert "您所在区域未登记该标识的 CAP 发送方" in sender.text
    assert "该 CAP 订阅源不存在" in feed.text


def test_a_feed_shows_what_its_last_entry_did_in_the_pages_language(
    app: FastAPI, client: TestClient, log_in: LogIn
) -> None:
    csrf = log_in(COMMITTEE_OFFICER)
    add_feed(client, csrf)
    uow = UnitOfWork(app.state.engine)
    (feed,) = cap_senders.list_feeds(uow, system_actor())
    assert feed.id is not None
    cap_senders.take_feed_entry(uow, feed.id, "urn:a", outcome="opened", now=datetime.now(UTC))

    zh = client.get("/cap/senders")
    client.get("/language/en?next=/cap/senders")
    en = client.get("/cap/senders")

    assert "已登记风险" in section(zh.text, "feed-list")
    assert 'data-outcome="opened"' in section(en.text, "feed-list")
    assert "opened a risk" in section(en.text, "feed-list")


def test_an_address_inside_the_operators_network_is_kept_with_a_warning(
    app: FastAPI, client: TestClient, log_in: LogIn
) -> None:
    csrf = log_in(COMMITTEE_OFFICER)

    added = add_feed(client, csrf, url="http://10.20.0.5/cap/index.atom")
    public = add_feed(client, csrf, url="https://202.96.128.86/cap/index.atom")

    assert added.status_code == public.status_code == 200
    assert "CROSSRISK_OUTBOUND_ALLOW" in section(added.text, "registry-done")
    assert "CROSSRISK_OUTBOUND_ALLOW" not in section(public.text, "registry-done")
    assert count(app, CapFeedRow) == 2


def test_the_feeds_address_leads_to_the_feeds_section(client: TestClient, log_in: LogIn) -> None:
    log_in(HANGZHOU_OFFICER)

    found = client.get("/cap/feeds")

    assert found.status_code == 303
    assert found.headers["location"] == "/cap/senders#feeds"
