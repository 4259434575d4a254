"""/api/cap/senders and /api/cap/feeds: the committee registers, members read."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from crossrisk.store.models import CapFeedRow, CapSenderRow, JournalEntryRow, ReceivedAlertRow
from tests.alerts.cap_samples import FLOOD_SENDER, flood_alert
from tests.cap_signing import sign, signing_key
from tests.support import assert_problem, auth

CAP_TYPE = "application/common-alerting-protocol+xml"
MET = {"sender": "qxj.huangshan.gov.cn", "name": "黄山市气象局", "region": "yrd"}


def rows(client: TestClient, table: type[Any]) -> int:
    engine = client.app.state.engine  # type: ignore[attr-defined]
    with engine.connect() as connection:
        return connection.scalar(select(func.count()).select_from(table)) or 0


def post_cap(client: TestClient, tokens: dict[str, str], xml: bytes, user: str):  # type: ignore[no-untyped-def]
    return client.post(
        "/api/cap", content=xml, headers={**auth(tokens, user), "Content-Type": CAP_TYPE}
    )


def test_the_committee_registers_and_members_read(
    client: TestClient, tokens: dict[str, str]
) -> None:
    created = client.post("/api/cap/senders", json=MET, headers=auth(tokens, "committee"))
    assert created.status_code == 201, created.text
    assert created.headers["location"] == "/api/cap/senders/qxj.huangshan.gov.cn"
    body = created.json()
    assert (body["sender"], body["region"], body["has_certificate"]) == (
        MET["sender"],
        "yrd",
        False,
    )
    allowed = client.post(
        f"/api/cap/senders/{MET['sender']}/deliverers",
        json={"organisation": "ema-341000"},
        headers=auth(tokens, "committee"),
    )
    assert allowed.status_code == 200, allowed.text
    assert allowed.json()["organisations"] == ["ema-341000"]
    listed = client.get("/api/cap/senders", headers=auth(tokens, "huangshan-viewer"))
    assert [s["sender"] for s in listed.json()] == [MET["sender"]]
    assert client.get("/api/cap/senders", headers=auth(tokens, "other-committee")).json() == []
    one = client.get(f"/api/cap/senders/{MET['sender']}", headers=auth(tokens, "hangzhou"))
    assert one.json()["organisations"] == ["ema-341000"]
    engine = client.app.state.engine  # type: ignore[attr-defined]
    with engine.connect() as connection:
        actions = connection.scalars(
            select(JournalEntryRow.action).where(
                JournalEntryRow.subject == f"cap-sender:{MET['sender']}"
            )
        ).all()
    assert list(actions) == ["cap_sender.added", "cap_sender.allowed"]


@pytest.mark.parametrize("user", ["huangshan", "hangzhou", "other-committee", "huangshan-viewer"])
def test_members_may_not_register_senders(
    client: TestClient,
    tokens: dict[str, str],
    snapshot,
    user: str,  # type: ignore[no-untyped-def]
) -> None:
    before = snapshot(client)
    response = client.post("/api/cap/senders", json=MET, headers=auth(tokens, user))
    assert_problem(response, 403, key="cap-senders-not-permitted")
    assert snapshot(client) == before
    assert rows(client, CapSenderRow) == 0


def test_a_city_may_not_allow_itself_a_sender(
    client: TestClient,
    tokens: dict[str, str],
    snapshot,  # type: ignore[no-untyped-def]
) -> None:
    client.post("/api/cap/senders", json=MET, headers=auth(tokens, "committee"))
    before = snapshot(client)
    response = client.post(
        f"/api/cap/senders/{MET['sender']}/deliverers",
        json={"organisation": "ema-341000"},
        headers=auth(tokens, "huangshan"),
    )
    assert_problem(response, 403, key="cap-senders-not-permitted")
    assert snapshot(client) == before


@pytest.mark.parametrize(
    "body, status, key",
    [
        ({**MET, "sender": "has space"}, 422, "cap-token-invalid"),
        ({**MET, "certificate_pem": "not a certificate"}, 422, "cap-certificate-invalid"),
        ({**MET, "require_signature": True}, 422, "cap-sender-certificate-missing"),
        ({**MET, "sender": "crossrisk-330100"}, 409, "cap-sender-is-own"),
        ({**MET, "region": "nowhere"}, 403, "cap-senders-not-permitted"),
        ({**MET, "sender": "x" * 54}, 422, None),
    ],
    ids=[
        "space",
        "bad-certificate",
        "require-without-certificate",
        "a-citys-own",
        "other-region",
        "too-long",
    ],
)
def test_a_bad_registration_is_a_problem_and_writes_nothing(
    client: TestClient,
    tokens: dict[str, str],
    snapshot,  # type: ignore[no-untyped-def]
    body: dict[str, Any],
    status: int,
    key: str | None,
) -> None:
    before = snapshot(client)
    response = client.post("/api/cap/senders", json=body, headers=auth(tokens, "committee"))
    assert_problem(response, status, key=key)
    assert snapshot(client) == before
    assert rows(client, CapSenderRow) == 0


def test_an_alert_from_a_sender_the_city_may_not_use_is_refused(
    client: TestClient,
    tokens: dict[str, str],
    snapshot,  # type: ignore[no-untyped-def]
) -> None:
    before = snapshot(client)
    response = post_cap(client, tokens, flood_alert(), "huangshan")
    body = assert_problem(response, 403, key="cap-sender-not-authorised")
    assert FLOOD_SENDER in body["detail"]
    assert snapshot(client) == before
    assert rows(client, ReceivedAlertRow) == 0


def test_a_signed_sender_over_the_api(client: TestClient, tokens: dict[str, str]) -> None:
    key = signing_key()
    registered = client.post(
        "/api/cap/senders",
        json={
            "sender": FLOOD_SENDER,
            "name": "黄山市水文局",
            "region": "yrd",
            "certificate_pem": key.certificate_pem,
            "require_signature": True,
        },
        headers=auth(tokens, "committee"),
    )
    assert registered.status_code == 201, registered.text
    assert registered.json()["has_certificate"] is True
    client.post(
        f"/api/cap/senders/{FLOOD_SENDER}/deliverers",
        json={"organisation": "ema-341000"},
        headers=auth(tokens, "committee"),
    )
    unsigned = post_cap(client, tokens, flood_alert(), "huangshan")
    assert_problem(unsigned, 403, key="cap-signature-required")
    forged = post_cap(client, tokens, sign(flood_alert(), signing_key()), "huangshan")
    assert_problem(forged, 403, key="cap-signature-invalid")
    assert rows(client, ReceivedAlertRow) == 0
    signed = post_cap(client, tokens, sign(flood_alert(), key), "huangshan")
    assert signed.status_code == 201, signed.text
    assert signed.json()["outcome"] == "opened"


def test_the_committee_registers_a_feed_and_removes_it(
    client: TestClient, tokens: dict[str, str]
) -> None:
    created = client.post(
        "/api/cap/feeds",
        json={
            "url": "https://alerts.example.org/cap/atom.xml",
            "name": "国家预警",
            "region": "yrd",
        },
        headers=auth(tokens, "committee"),
    )
    assert created.status_code == 201, created.text
    feed = created.json()
    assert created.headers["location"] == f"/api/cap/feeds/{feed['id']}"
    listed = client.get("/api/cap/feeds", headers=auth(tokens, "huangshan")).json()
    assert [f["url"] for f in listed] == ["https://alerts.example.org/cap/atom.xml"]
    refused = client.post(
        "/api/cap/feeds",
        json={"url": "file:///etc/passwd", "name": "x", "region": "yrd"},
        headers=auth(tokens, "committee"),
    )
    assert_problem(refused, 422, key="cap-feed-url-invalid")
    by_city = client.delete(f"/api/cap/feeds/{feed['id']}", headers=auth(tokens, "huangshan"))
    assert_problem(by_city, 403, key="cap-senders-not-permitted")
    gone = client.delete(f"/api/cap/feeds/{feed['id']}", headers=auth(tokens, "committee"))
    assert gone.status_code == 204
    assert rows(client, CapFeedRow) == 0
