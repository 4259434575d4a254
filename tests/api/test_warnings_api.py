"""Warnings over HTTP: inbox, issue by hand, CAP documents, acknowledgement; both backends."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from crossrisk.alerts.cap.schema import validate_cap
from crossrisk.domain.warning_national_id import parse_national_warning_id
from crossrisk.store.models import WarningRow
from tests.support import HUANGSHAN_TUNXI, assert_problem, auth, point


@pytest.fixture
def spill(client: TestClient, tokens: dict[str, str]) -> dict[str, Any]:
    response = client.post(
        "/api/risks",
        json={
            "region": "yrd",
            "category": "accident_disaster",
            "title": "新安江苯乙烯泄漏",
            "description": "",
            "hazard_geometry": point(HUANGSHAN_TUNXI),
            "likelihood": 3,
            "consequence": 4,
            "hazard_type": "river_spill",
        },
        headers=auth(tokens, "huangshan"),
    )
    assert response.status_code == 201, response.text
    return dict(response.json())


def warning_rows(client: TestClient) -> list[tuple[Any, ...]]:
    engine = client.app.state.engine  # type: ignore[attr-defined]
    with engine.connect() as connection:
        return [tuple(r) for r in connection.execute(select(WarningRow).order_by(WarningRow.id))]


def test_hangzhou_finds_its_warning_and_acknowledges_it(
    client: TestClient, tokens: dict[str, str], spill: dict[str, Any]
) -> None:
    inbox = client.get("/api/warnings", headers=auth(tokens, "hangzhou")).json()
    (warning,) = [w for w in inbox if w["risk_id"] == spill["id"]]
    assert warning["recipient"] == "330100"
    assert warning["status"] == "issued" and warning["msg_type"] == "Alert"

    refused = client.post(
        f"/api/warnings/{warning['id']}/acknowledge", headers=auth(tokens, "huangshan")
    )
    assert_problem(refused, 403, key="warning-ack-not-recipient")

    done = client.post(
        f"/api/warnings/{warning['id']}/acknowledge", headers=auth(tokens, "hangzhou")
    )
    assert done.status_code == 200
    assert done.json()["status"] == "acknowledged"
    assert done.json()["acknowledged_via"] == "api"
    assert done.json()["acknowledged_by"] == "hangzhou"


def test_the_cap_document_is_served_as_delivered(
    client: TestClient, tokens: dict[str, str], spill: dict[str, Any]
) -> None:
    (warning, *_) = client.get(
        f"/api/risks/{spill['id']}/warnings", headers=auth(tokens, "committee")
    ).json()
    response = client.get(f"/api/warnings/{warning['id']}/cap", headers=auth(tokens, "evaluator"))

    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/common-alerting-protocol+xml")
    validate_cap(response.content)
    assert (
        client.get("/api/warnings/crossrisk-yrd-0-330100-1/cap", headers=auth(tokens)).json()[
            "status"
        ]
        == 404
    )
    foreign = client.get(
        f"/api/warnings/{warning['id']}/cap", headers=auth(tokens, "other-committee")
    )
    assert_problem(foreign, 403)


def test_the_committee_issues_and_lifts_a_warning_by_hand(
    client: TestClient, tokens: dict[str, str], spill: dict[str, Any]
) -> None:
    issued = client.post(
        f"/api/risks/{spill['id']}/warnings",
        json={"recipient": "310000", "level": "orange", "instructions_zh": "做好取水口关闭准备"},
        headers=auth(tokens, "committee"),
    )
    assert issued.status_code == 201, issued.text
    body = issued.json()
    assert body["manual"] is True and body["colour"] == "orange" and body["level"] == 2

    lifted = client.post(
        f"/api/warnings/{body['id']}/cancel",
        json={"reason": "上游已截污"},
        headers=auth(tokens, "committee"),
    )
    assert lifted.status_code == 200
    assert lifted.json()["msg_type"] == "Cancel"
    thread = client.get(f"/api/warnings/{body['id']}", headers=auth(tokens, "hangzhou")).json()
    assert [m["msg_type"] for m in thread] == ["Alert", "Cancel"]
    assert thread[0]["status"] == "cancelled"


@pytest.mark.parametrize(
    ("user", "payload", "status"),
    [
        ("hangzhou", {"recipient": "310000", "level": 2}, 403),
        ("committee", {"recipient": "310000", "level": 7}, 422),
        ("committee", {"recipient": "440100", "level": 2}, 422),
        ("committee", {"recipient": "310000", "level": 2, "colour": "x"}, 422),
        ("committee", {"recipient": "310000", "level": 2, "instructions_zh": "长" * 2001}, 422),
        ("huangshan", {"recipient": "341000", "level": 2}, 422),
    ],
)
def test_bad_or_refused_warnings_change_nothing(
    client: TestClient,
    tokens: dict[str, str],
    spill: dict[str, Any],
    snapshot: Any,
    user: str,
    payload: dict[str, Any],
    status: int,
) -> None:
    before, rows = snapshot(client), warning_rows(client)

    response = client.post(
        f"/api/risks/{spill['id']}/warnings", json=payload, headers=auth(tokens, user)
    )

    assert response.status_code == status, response.text
    assert response.headers["content-type"] == "application/problem+json"
    assert snapshot(client) == before
    assert warning_rows(client) == rows


def test_a_warning_to_every_downstream_city_was_stored(
    client: TestClient, tokens: dict[str, str], spill: dict[str, Any]
) -> None:
    engine = client.app.state.engine  # type: ignore[attr-defined]
    with engine.connect() as connection:
        stored = connection.scalar(
            select(func.count()).select_from(WarningRow).where(WarningRow.risk_id == spill["id"])
        )
    listed = client.get(f"/api/risks/{spill['id']}/warnings", headers=auth(tokens, "committee"))
    reach = client.get(f"/api/risks/{spill['id']}/reach", headers=auth(tokens, "committee"))
    reached = {e["jurisdiction"] for e in reach.json()["entries"]} - {"341000"}
    assert stored == len(listed.json()) == len(reached) > 0
    assert {w["recipient"] for w in listed.json()} == reached


def test_the_national_identifier_names_the_recipient_the_office_and_the_issue_time(
    client: TestClient, tokens: dict[str, str], spill: dict[str, Any]
) -> None:
    inbox = client.get("/api/warnings", headers=auth(tokens, "hangzhou")).json()
    (warning,) = [w for w in inbox if w["risk_id"] == spill["id"]]
    url = f"/api/warnings/{warning['id']}/national-id"

    made = client.get(url, params={"department": "137"}, headers=auth(tokens, "hangzhou"))

    assert made.status_code == 200, made.text
    parsed = parse_national_warning_id(made.json()["national_id"])
    assert parsed.area_code == "330100" and parsed.department == "137"
    issued = datetime.fromisoformat(warning["issued_at"]).replace(microsecond=0)
    assert parsed.entered_at == issued  # to the second, in Beijing time
    bad = client.get(url, params={"department": "13x"}, headers=auth(tokens, "hangzhou"))
    assert_problem(bad, 422, key="national-id-part")
    too_long = client.get(url, params={"department": "1370"}, headers=auth(tokens, "hangzhou"))
    assert too_long.status_code == 422
