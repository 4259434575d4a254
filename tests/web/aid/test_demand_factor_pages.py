"""The demand factors page: the current set, its versions, and the committee's new version."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from typing import Any

from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from crossrisk.store.models import JournalEntryRow
from tests.web.aid.test_shortfall_pages import register_flood
from tests.web.officers import COMMITTEE_OFFICER, HANGZHOU_OFFICER
from tests.web.page_parts import refusal, section

LogIn = Callable[[str], str]


def journal_entries(app: FastAPI, action: str) -> list[JournalEntryRow]:
    with app.state.engine.connect() as connection:
        return list(
            connection.execute(select(JournalEntryRow).where(JournalEntryRow.action == action))
        )


def journal_size(app: FastAPI) -> int:
    with app.state.engine.connect() as connection:
        return int(connection.scalar(select(func.count()).select_from(JournalEntryRow)))


def form_fields(html: str) -> dict[str, str]:
    """The edit form's fields as the page filled them."""
    form = html[
        html.index('id="factor-form"') : html.index("</form>", html.index('id="factor-form"'))
    ]
    fields: dict[str, str] = {}
    for tag in re.findall(r"<input [^>]*>", form):
        name = re.search(r'name="([^"]+)"', tag)
        value = re.search(r'value="([^"]*)"', tag)
        if name:
            fields[name.group(1)] = value.group(1) if value else ""
    return fields


def save(client: TestClient, fields: dict[str, str], **changes: str) -> Any:
    return client.post("/aid/demand-factors", data={**fields, **changes})


def test_the_page_shows_the_sphere_set_in_chinese(client: TestClient, log_in: LogIn) -> None:
    log_in(HANGZHOU_OFFICER)

    page = client.get("/aid/demand-factors")

    assert page.status_code == 200
    table = section(page.text, "factor-table")
    assert "饮用及生活用水" in table and "15 L" in table and "每人每天" in table
    assert "Sphere Handbook" in table and "2018" in table and "standard 2.1" in table
    assert "全部受影响人口" in table and "转移安置人口" in table
    assert "救灾帐篷" in table  # covered space is met by the catalogue's tents
    assert "版本 0" in page.text and "随平台提供" in page.text
    # A city reads the factors but does not edit them.
    assert 'id="factor-form"' not in page.text
    hub = client.get("/aid")
    assert 'href="/aid/demand-factors"' in hub.text


def test_the_page_speaks_english(client: TestClient, log_in: LogIn) -> None:
    log_in(COMMITTEE_OFFICER)
    client.get("/language/en")

    page = client.get("/aid/demand-factors?region=yrd")

    assert page.status_code == 200
    table = section(page.text, "factor-table")
    assert "Water" in table and "per person per day" in table and "everyone affected" in table
    assert "Covered living space" in table and "per person, once" in table
    assert "the displaced" in table and "one per 50 at first" in table
    assert "Version 0" in page.text and 'id="factor-form"' in page.text
    assert "Reason for the new version" in page.text


def test_the_committee_saves_a_version_that_the_shortfall_then_uses(
    app: FastAPI, client: TestClient, log_in: LogIn
) -> None:
    risk_id = register_flood(app)
    log_in(COMMITTEE_OFFICER)
    before = client.get(f"/aid/shortfall?risk={risk_id}")
    assert "所用需求系数：版本 0" in before.text
    assert 'href="/aid/demand-factors?region=yrd&amp;version=0"' in before.text
    fields = form_fields(client.get("/aid/demand-factors").text)
    assert fields["amount_water"] == "15" and fields["newest"] == "0"

    saved = save(client, fields, amount_water="20", reason="提高供水标准以应对高温")

    assert saved.status_code == 303, refusal(saved.text)
    assert saved.headers["location"] == "/aid/demand-factors?region=yrd&version=1"
    page = client.get(saved.headers["location"])
    assert "版本 1" in page.text and "提高供水标准以应对高温" in page.text
    assert "20 L" in section(page.text, "factor-table")
    assert re.search(r"\d{4}-\d\d-\d\d \d\d:\d\d", section(page.text, "factors-saved"))
    assert 'href="/aid/demand-factors?region=yrd&amp;version=0"' in page.text
    old = client.get("/aid/demand-factors?region=yrd&version=0")
    assert "15 L" in section(old.text, "factor-table") and 'id="older-version"' in old.text
    [entry] = journal_entries(app, "demand_factors.changed")
    payload = json.loads(entry.payload)
    assert payload["version"] == 1 and payload["note"] == "提高供水标准以应对高温"
    assert payload["factors"]["water"]["amount"] == 20.0
    after = client.get(f"/aid/shortfall?risk={risk_id}")
    assert "所用需求系数：版本 1" in after.text
    assert 'href="/aid/demand-factors?region=yrd&amp;version=1"' in after.text


def test_a_city_sees_no_form_and_its_post_is_refused(
    app: FastAPI, client: TestClient, log_in: LogIn
) -> None:
    committee_fields = {"region": "yrd", "from_version": "0", "newest": "0"}
    csrf = log_in(HANGZHOU_OFFICER)
    before = journal_size(app)

    refused = client.post(
        "/aid/demand-factors",
        data={**committee_fields, "csrf_token": csrf, "amount_water": "1", "reason": "试图修改"},
    )

    assert refused.status_code == 403
    assert "协调机构" in refusal(refused.text)
    assert 'id="factor-form"' not in refused.text
    assert journal_size(app) == before
    assert "版本 0" in client.get("/aid/demand-factors").text


def test_bad_values_are_refused_with_a_sentence_and_nothing_written(
    app: FastAPI, client: TestClient, log_in: LogIn
) -> None:
    log_in(COMMITTEE_OFFICER)
    fields = form_fields(client.get("/aid/demand-factors").text)
    fields["reason"] = "测试"
    before = journal_size(app)
    for changes, said in (
        ({"amount_water": "-1"}, "饮用及生活用水"),
        ({"amount_water": "nan"}, "饮用及生活用水"),
        ({"amount_food": "1e300"}, "食物能量"),
        ({"amount_food": "inf"}, "食物能量"),
        ({"first_phase_days_toilets": "0"}, "厕所"),
        ({"default_displaced_share": "1.5"}, "0 到 1"),
        ({"reason": "  "}, "理由"),
        ({"source": ""}, "需求系数"),
        ({"clause_water": "x\x00y"}, "需求系数"),
    ):
        refused = save(client, fields, **changes)
        assert refused.status_code in (400, 422), changes
        sentence = refusal(refused.text)
        assert said in sentence, (changes, sentence)
        assert 'id="factor-form"' in refused.text  # the form comes back with what was typed
    assert journal_size(app) == before

    client.get("/language/en")
    refused = save(client, fields, amount_water="-5")
    assert "Water: the amount must be a number from 0 to 1,000,000" in refusal(refused.text)
    refused = save(client, fields, reason="")
    assert "a new version needs a reason" in refusal(refused.text)
    assert journal_size(app) == before


def test_a_stale_form_and_an_unknown_version_are_refused(
    app: FastAPI, client: TestClient, log_in: LogIn
) -> None:
    log_in(COMMITTEE_OFFICER)
    fields = form_fields(client.get("/aid/demand-factors").text)
    assert save(client, fields, reason="第一次").status_code == 303

    stale = save(client, fields, reason="第二次")

    assert stale.status_code == 409
    assert "版本 1" in refusal(stale.text)
    assert len(journal_entries(app, "demand_factors.changed")) == 1
    for version in ("7", "99999999999999999999999", "-1", "x"):
        missing = client.get(f"/aid/demand-factors?version={version}")
        assert missing.status_code == 404, version
