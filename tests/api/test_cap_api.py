"""POST /api/cap: CAP alerts from other systems open, update and withdraw risks."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from crossrisk.alerts.cap.schema import MAX_CAP_BYTES
from crossrisk.store.models import ReceivedAlertRow
from tests.alerts.cap_samples import (
    BILLION_LAUGHS,
    EXTERNAL_ENTITY,
    FLOOD_ID,
    FLOOD_SENDER,
    MALFORMED,
    flood_alert,
    flood_cancel,
    flood_update,
)
from tests.alerts.feed_samples import (
    amber_alert,
    earthquake_report,
    national_rainstorm,
    thunderstorm_warning,
)
from tests.support import auth

# These tests are about what receiving does: the samples' senders are registered.
pytestmark = pytest.mark.usefixtures("sample_senders")
LATER = "2036-07-01T09:30:00+08:00"  # still in force whatever the test machine's clock

CAP_TYPE = "application/common-alerting-protocol+xml"


def post(
    client: TestClient,
    tokens: dict[str, str],
    xml: bytes,
    *,
    user: str = "huangshan",
    content_type: str = CAP_TYPE,
):  # type: ignore[no-untyped-def]
    return client.post(
        "/api/cap", content=xml, headers={**auth(tokens, user), "Content-Type": content_type}
    )


def received(client: TestClient) -> int:
    engine = client.app.state.engine  # type: ignore[attr-defined]
    with engine.connect() as connection:
        return connection.scalar(select(func.count()).select_from(ReceivedAlertRow)) or 0


def test_an_alert_opens_a_risk_at_its_location(client: TestClient, tokens: dict[str, str]) -> None:
    response = post(client, tokens, flood_alert())
    assert response.status_code == 201, response.text
    body = response.json()
    assert body["outcome"] == "opened"
    assert (body["sender"], body["identifier"]) == (FLOOD_SENDER, FLOOD_ID)
    assert (body["region"], body["origins"]) == ("yrd", ["341000"])
    assert (body["category"], body["hazard_type"]) == ("natural_disaster", "flood_wave")
    assert response.headers["location"] == f"/api/risks/{body['risk_id']}"
    risk = client.get(response.headers["location"], headers=auth(tokens)).json()
    assert risk["title"] == "黄山市水文局发布新安江洪水蓝色预警"
    assert risk["level"] == body["level"]
    assert risk["created_by"] == "huangshan"


@pytest.mark.parametrize("content_type", ["application/xml", "text/xml; charset=utf-8"])
def test_the_generic_xml_types_are_accepted(
    client: TestClient, tokens: dict[str, str], content_type: str
) -> None:
    response = post(client, tokens, flood_alert(), content_type=content_type)
    assert response.status_code == 201, response.text


def test_alert_update_cancel_and_a_redelivery(client: TestClient, tokens: dict[str, str]) -> None:
    opened = post(client, tokens, flood_alert()).json()
    again = post(client, tokens, flood_alert())
    assert again.status_code == 200
    assert again.json()["outcome"] == "already-received"
    assert again.json()["risk_id"] == opened["risk_id"]
    updated = post(client, tokens, flood_update())
    assert updated.status_code == 200, updated.text
    assert updated.json()["outcome"] == "updated"
    assert "location" not in updated.headers
    risk = client.get(f"/api/risks/{opened['risk_id']}", headers=auth(tokens)).json()
    assert (risk["likelihood"], risk["consequence"]) == (5, 4)
    cancelled = post(client, tokens, flood_cancel())
    assert cancelled.status_code == 200, cancelled.text
    assert cancelled.json()["outcome"] == "closed"
    risk = client.get(f"/api/risks/{opened['risk_id']}", headers=auth(tokens)).json()
    assert risk["status"] == "closed"
    history = client.get(f"/api/risks/{opened['risk_id']}/history", headers=auth(tokens)).json()
    assert [e["action"] for e in history].count("cap.received") == 3
    assert received(client) == 3


def test_a_test_message_is_acknowledged_and_opens_no_risk(
    client: TestClient, tokens: dict[str, str]
) -> None:
    response = post(client, tokens, flood_alert(status="Test"))
    assert response.status_code == 200
    assert response.json()["outcome"] == "not-actual"
    assert response.json()["risk_id"] is None
    assert client.get("/api/risks", headers=auth(tokens)).json() == []


@pytest.mark.parametrize(
    "xml, outcome",
    [
        (thunderstorm_warning(), "outside-region"),
        (earthquake_report(), "outside-region"),
        (amber_alert(), "not-placed"),
        (flood_cancel(), "unmatched"),
        (national_rainstorm(status="Exercise", expires=LATER), "exercise"),
        (national_rainstorm(expires="2026-07-01T12:00:00+08:00"), "expired"),
    ],
    ids=["polygon-abroad", "point-abroad", "fips-only", "unknown-cancel", "exercise", "expired"],
)
def test_a_valid_alert_that_opens_nothing_is_recorded_with_its_outcome(
    client: TestClient, tokens: dict[str, str], xml: bytes, outcome: str
) -> None:
    response = post(client, tokens, xml)
    assert response.status_code == 200, response.text
    body = response.json()
    assert (body["outcome"], body["risk_id"]) == (outcome, None)
    assert body["summary"].split(": ", 1)[1].startswith("recorded")
    assert received(client) == 1
    assert client.get("/api/risks", headers=auth(tokens)).json() == []


def test_a_national_red_warning_opens_a_level_i_risk(
    client: TestClient, tokens: dict[str, str]
) -> None:
    response = post(client, tokens, national_rainstorm(colour="red", expires=LATER))
    assert response.status_code == 201, response.text
    body = response.json()
    assert (body["origins"], body["level"], body["colour"]) == (["341000"], "I", "red")
    risk = client.get(response.headers["location"], headers=auth(tokens)).json()
    assert risk["level"] == "I"


def oversized() -> bytes:
    return flood_alert() + b"<!--" + b"x" * MAX_CAP_BYTES + b"-->"


BAD = [
    ("malformed", MALFORMED, "huangshan", CAP_TYPE, 422, "cap-malformed"),
    (
        "missing-required",
        flood_alert().replace(b"  <sender>swj.huangshan.gov.cn</sender>\n", b""),
        "huangshan",
        CAP_TYPE,
        422,
        "cap-invalid",
    ),
    ("external-entity", EXTERNAL_ENTITY, "huangshan", CAP_TYPE, 422, "cap-doctype"),
    ("billion-laughs", BILLION_LAUGHS, "huangshan", CAP_TYPE, 422, "cap-doctype"),
    ("oversized", oversized(), "huangshan", CAP_TYPE, 413, "cap-too-large"),
    (
        "sent-in-future",
        flood_alert(sent="2099-07-01T09:50:00+08:00"),
        "huangshan",
        CAP_TYPE,
        422,
        "cap-sent-in-future",
    ),
    ("wrong-content-type", flood_alert(), "huangshan", "application/json", 415, "cap-media-type"),
    ("no-content-type", flood_alert(), "huangshan", "", 415, "cap-media-type"),
    # Hangzhou is downstream, not where the flood is: it may not open Huangshan's risk.
    ("not-permitted", flood_alert(), "hangzhou", CAP_TYPE, 403, None),
    ("evaluator", flood_alert(), "evaluator", CAP_TYPE, 403, None),
    ("viewer", flood_alert(), "huangshan-viewer", CAP_TYPE, 403, None),
]


@pytest.mark.parametrize(
    "xml, user, content_type, status, key", [case[1:] for case in BAD], ids=[c[0] for c in BAD]
)
def test_bad_input_is_a_problem_and_changes_nothing(
    client: TestClient,
    tokens: dict[str, str],
    snapshot,  # type: ignore[no-untyped-def]
    xml: bytes,
    user: str,
    content_type: str,
    status: int,
    key: str | None,
) -> None:
    before = snapshot(client)
    response = post(client, tokens, xml, user=user, content_type=content_type)
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == "application/problem+json"
    problem = response.json()
    assert problem["status"] == status and problem["detail"]
    assert "\n" not in problem["detail"]
    if key is not None:
        assert problem["key"] == key
    assert "root:" not in response.text  # /etc/passwd was never read
    assert snapshot(client) == before
    assert received(client) == 0


def test_an_oversized_body_without_a_length_is_cut_off(
    client: TestClient, tokens: dict[str, str], snapshot
) -> None:  # type: ignore[no-untyped-def]
    def chunks() -> Iterator[bytes]:
        # Sent in chunks, with no Content-Length: the limit is counted as the body arrives.
        yield flood_alert()
        for _ in range(32):
            yield b"<!--" + b"x" * 65_528 + b"-->"

    before = snapshot(client)
    response = client.post(
        "/api/cap",
        content=chunks(),
        headers={**auth(tokens), "Content-Type": CAP_TYPE},
    )
    assert response.status_code == 413
    assert response.json()["key"] == "cap-too-large"
    assert snapshot(client) == before


def test_posting_needs_a_login(client: TestClient) -> None:
    response = client.post("/api/cap", content=flood_alert(), headers={"Content-Type": CAP_TYPE})
    assert response.status_code == 401
    assert response.headers["content-type"] == "application/problem+json"


def test_the_api_description_names_the_cap_media_types(client: TestClient) -> None:
    operation = client.get("/api/openapi.json").json()["paths"]["/api/cap"]["post"]
    assert CAP_TYPE in operation["requestBody"]["content"]
    assert {"200", "201", "413", "415"} <= set(operation["responses"])
