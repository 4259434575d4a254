"""Inputs at the edges of what a type can hold: each is a 4xx problem, nothing written.

Integers beyond float range, times at the ends of the calendar at any offset, NUL
characters (which PostgreSQL cannot store in a text), brackets nested beyond any parser's
depth, and geometries with more vertices than any hazard needs. Every test runs on SQLite
and PostgreSQL (the `client` fixture).
"""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from crossrisk.domain.geometry import MAX_VERTICES
from crossrisk.store.models import DeliveryChannelRow, WarningRow
from tests.alerts.cap_samples import flood_alert
from tests.support import HUANGSHAN_TUNXI, assert_problem, auth, point

HUGE = 10**400  # beyond float range; json.dumps writes every digit
EDGE_TIMES = [
    "0001-01-01T00:00:00+14:00",  # before year 1 in UTC
    "9999-12-31T23:59:59-12:00",  # after year 9999 in UTC
]


def json_text(value: Any) -> str:
    import json

    return json.dumps(value)


def post_json(client: TestClient, path: str, body: Any, user: str, tokens: dict[str, str]) -> Any:
    return client.post(
        path,
        content=json_text(body),
        headers={**auth(tokens, user), "Content-Type": "application/json"},
    )


def risk_body(**changes: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "category": "accident_disaster",
        "title": "新安江苯乙烯泄漏",
        "hazard_geometry": point(HUANGSHAN_TUNXI),
        "likelihood": 3,
        "consequence": 4,
    }
    return body | changes


def registered_risk(client: TestClient, tokens: dict[str, str]) -> int:
    response = post_json(client, "/api/risks", risk_body(), "huangshan", tokens)
    assert response.status_code == 201, response.text
    return int(response.json()["id"])


def count(client: TestClient, table: type[Any]) -> int:
    engine = client.app.state.engine  # type: ignore[attr-defined]
    with engine.connect() as connection:
        return int(connection.scalar(select(func.count()).select_from(table)) or 0)


# --- integers beyond float range ----------------------------------------------------------


@pytest.mark.parametrize(
    "changes",
    [
        {"likelihood": HUGE},
        {"parameters": {"release_hours": HUGE}, "hazard_type": "river_spill"},
        {"hazard_geometry": {"type": "Point", "coordinates": [HUGE, 30]}},
    ],
    ids=["likelihood", "parameter", "coordinate"],
)
def test_an_integer_beyond_float_range_in_a_risk_is_refused(
    client: TestClient, tokens: dict[str, str], snapshot: Any, changes: dict[str, Any]
) -> None:
    before = snapshot(client)
    for path in ("/api/risks", "/api/reach"):
        response = post_json(client, path, risk_body(**changes), "huangshan", tokens)
        assert_problem(response, 422)
    assert snapshot(client) == before


def test_an_integer_beyond_float_range_in_a_change_is_refused(
    client: TestClient, tokens: dict[str, str], snapshot: Any
) -> None:
    risk_id = registered_risk(client, tokens)
    before = snapshot(client)
    for path, body, user in [
        (
            f"/api/risks/{risk_id}/transitions",
            {"to": "assessed", "reason": "r", "expected_version": HUGE},
            "huangshan",
        ),
        (f"/api/risks/{risk_id}/responsibility-list/confirmation", {"version": HUGE}, "committee"),
        (f"/api/risks/{risk_id}/warnings", {"recipient": "330100", "level": HUGE}, "huangshan"),
    ]:
        assert_problem(post_json(client, path, body, user, tokens), 422)
    patched = client.patch(
        f"/api/risks/{risk_id}",
        content=json_text({"consequence": 2, "expected_version": HUGE}),
        headers={**auth(tokens), "Content-Type": "application/json"},
    )
    assert_problem(patched, 422)
    assert snapshot(client) == before


# --- times at the ends of the calendar ----------------------------------------------------


@pytest.mark.parametrize("moment", EDGE_TIMES)
def test_a_warning_arrival_outside_the_calendar_in_utc_is_refused(
    client: TestClient, tokens: dict[str, str], moment: str
) -> None:
    risk_id = registered_risk(client, tokens)
    warnings_before = count(client, WarningRow)
    response = post_json(
        client,
        f"/api/risks/{risk_id}/warnings",
        {"recipient": "330100", "level": 2, "expected_arrival": moment},
        "huangshan",
        tokens,
    )
    assert_problem(response, 422, key="time-out-of-range")
    assert count(client, WarningRow) == warnings_before


def test_a_warning_arrival_years_away_is_refused(
    client: TestClient, tokens: dict[str, str]
) -> None:
    risk_id = registered_risk(client, tokens)
    warnings_before = count(client, WarningRow)
    response = post_json(
        client,
        f"/api/risks/{risk_id}/warnings",
        {"recipient": "330100", "level": 2, "expected_arrival": "9999-12-30T00:00:00+00:00"},
        "huangshan",
        tokens,
    )
    assert_problem(response, 422, key="warning-arrival-implausible")
    assert count(client, WarningRow) == warnings_before


@pytest.mark.parametrize("moment", EDGE_TIMES)
def test_a_cap_time_outside_the_calendar_in_utc_is_refused(
    client: TestClient, tokens: dict[str, str], snapshot: Any, moment: str
) -> None:
    before = snapshot(client)
    response = client.post(
        "/api/cap",
        content=flood_alert(sent=moment),
        headers={**auth(tokens, "huangshan"), "Content-Type": "application/xml"},
    )
    assert_problem(response, 422, key="time-out-of-range")
    assert snapshot(client) == before


# --- NUL characters -----------------------------------------------------------------------


def test_a_nul_in_any_text_is_refused_as_input(
    client: TestClient, tokens: dict[str, str], snapshot: Any
) -> None:
    risk_id = registered_risk(client, tokens)
    before = snapshot(client)
    channels = count(client, DeliveryChannelRow)
    headers = auth(tokens, "committee")
    # Where the text would reach the store it is refused as such (text-nul); elsewhere a
    # rule refuses it first (a region the caller may not read, an invalid address).
    for path, key in [
        ("/api/jurisdictions/34%001", "text-nul"),
        ("/api/regions/y%00rd/jurisdictions", None),
        ("/api/stations?region=y%00rd", None),
        ("/api/warnings/w%00", "text-nul"),
        ("/api/deliveries?warning=w%00", "text-nul"),
        ("/api/organisations/ema%00/channels", "text-nul"),
    ]:
        response = client.get(path, headers=headers)
        # Refused as input where the text would reach the store, or as naming nothing
        # (or nothing the caller may read) where a rule refuses it first.
        assert 400 <= response.status_code < 500, response.text
        assert_problem(response, response.status_code, key=key)
    refused = client.post("/api/auth/token", json={"username": "huang\x00shan", "password": "x"})
    assert_problem(refused, 422, key="text-nul")
    for path, body, user in [
        (
            "/api/organisations/ema-341000/channels",
            {"kind": "mqtt", "address": "a/\x00"},
            "huangshan",
        ),
        (
            "/api/organisations/ema-341000/channels",
            {"kind": "email", "address": "a\x00@b.cn"},
            "huangshan",
        ),
        (f"/api/risks/{risk_id}/lead", {"jurisdiction": "34\x001000", "reason": "r"}, "committee"),
        (f"/api/risks/{risk_id}/warnings", {"recipient": "3301\x0000", "level": 2}, "huangshan"),
        ("/api/risks", risk_body(region="y\x00rd"), "huangshan"),
    ]:
        response = post_json(client, path, body, user, tokens)
        assert 400 <= response.status_code < 500, response.text
        assert_problem(response, response.status_code)
        assert "\x00" not in response.text
    assert snapshot(client) == before
    assert count(client, DeliveryChannelRow) == channels


def test_a_nul_in_a_station_code_refuses_that_observation_only(
    client: TestClient, tokens: dict[str, str]
) -> None:
    response = post_json(
        client,
        "/api/observations",
        [{"station": "tun\x00xi", "time": "2026-07-01T10:00:00+08:00", "value": 1.0, "unit": "m"}],
        "huangshan",
        tokens,
    )
    body = assert_problem(response, 422)
    assert [e["key"] for e in body["errors"]] == ["observation-unknown-station"]


# --- nesting and vertices -----------------------------------------------------------------


def test_a_geometry_nested_100000_deep_is_refused(
    client: TestClient, tokens: dict[str, str], snapshot: Any
) -> None:
    before = snapshot(client)
    deep = "[" * 100_000 + "]" * 100_000
    text = (
        '{"category": "accident_disaster", "title": "t", "likelihood": 3, "consequence": 3, '
        f'"hazard_geometry": {{"type": "Polygon", "coordinates": {deep}}}}}'
    )
    for path in ("/api/risks", "/api/reach"):
        response = client.post(
            path, content=text, headers={**auth(tokens), "Content-Type": "application/json"}
        )
        assert response.status_code in (400, 422), response.text
        assert_problem(response, response.status_code)
    assert snapshot(client) == before


def test_a_geometry_over_the_vertex_limit_is_refused_with_its_key(
    client: TestClient, tokens: dict[str, str], snapshot: Any
) -> None:
    risk_id = registered_risk(client, tokens)
    before = snapshot(client)
    lon, lat = HUANGSHAN_TUNXI
    line = {
        "type": "LineString",
        "coordinates": [[round(lon + i * 1e-6, 6), lat] for i in range(MAX_VERTICES + 1)],
    }
    for path in ("/api/risks", "/api/reach"):
        response = post_json(client, path, risk_body(hazard_geometry=line), "huangshan", tokens)
        body = assert_problem(response, 422, key="geometry-too-many-vertices")
        assert body["detail"]
    patched = client.patch(
        f"/api/risks/{risk_id}",
        content=json_text({"hazard_geometry": line, "reason": "moved"}),
        headers={**auth(tokens), "Content-Type": "application/json"},
    )
    assert_problem(patched, 422, key="geometry-too-many-vertices")
    assert snapshot(client) == before
