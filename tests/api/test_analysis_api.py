"""Reach, situation and responsibility list over HTTP, and the what-if endpoint."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.support import HUANGSHAN_TUNXI, assert_problem, auth, point


def spill(**changes: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "category": "accident_disaster",
        "title": "新安江苯乙烯泄漏",
        "hazard_type": "river_spill",
        "hazard_geometry": point(HUANGSHAN_TUNXI),
        "parameters": {"substance": "styrene", "mass_kg": 20000, "release_hours": 6},
        "likelihood": 3,
        "consequence": 4,
    }
    body.update(changes)
    return body


def test_registered_spill_has_reach_situation_and_list(
    client: TestClient, tokens: dict[str, str]
) -> None:
    risk = client.post("/api/risks", json=spill(), headers=auth(tokens)).json()
    assert risk["hazard_type"] == "river_spill"
    assert risk["parameters"]["release_hours"] == 6

    reach = client.get(f"/api/risks/{risk['id']}/reach", headers=auth(tokens, "hangzhou")).json()
    codes = [e["jurisdiction"] for e in reach["entries"]]
    assert reach["pathway"] == "spill"
    assert codes[0] == "341000" and "330100" in codes
    assert reach["footprint"]["type"] in ("LineString", "MultiLineString")

    situation = client.get(f"/api/risks/{risk['id']}/situation", headers=auth(tokens)).json()
    assert situation["type"] == "spillover"
    assert "杭州市" in situation["explanation_zh"]

    duties = client.get(f"/api/risks/{risk['id']}/responsibility-list", headers=auth(tokens)).json()
    assert duties["lead"] == "341000"
    assert {"role": "lead", "organisation": "ema-341000"}.items() <= duties["duties"][0].items()


def test_committee_confirms_and_a_city_cannot(
    client: TestClient, tokens: dict[str, str], snapshot
) -> None:
    risk = client.post("/api/risks", json=spill(), headers=auth(tokens)).json()
    url = f"/api/risks/{risk['id']}/responsibility-list/confirmation"
    before = snapshot(client)
    refused = client.post(url, json={"version": 1}, headers=auth(tokens))
    assert_problem(refused, 403, key="not-coordinator")
    assert snapshot(client) == before
    confirmed = client.post(url, json={"version": 1}, headers=auth(tokens, "committee"))
    assert confirmed.status_code == 200
    assert confirmed.json()["confirmed_by"] == "committee"
    stale = client.post(url, json={"version": 7}, headers=auth(tokens, "committee"))
    assert stale.status_code == 409


def test_what_if_computes_and_stores_nothing(
    client: TestClient, tokens: dict[str, str], snapshot
) -> None:
    before = snapshot(client)
    response = client.post(
        "/api/reach",
        json={
            "category": "accident_disaster",
            "hazard_type": "gas_release",
            "hazard_geometry": point((121.0, 31.3)),
            "parameters": {"wind_from_deg": 270, "emission_g_s": 5000},
        },
        headers=auth(tokens, "hangzhou"),
    )
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["origins"] == [{"jurisdiction": "320500", "share": 1.0}]
    assert "310000" in [e["jurisdiction"] for e in body["analysis"]["reach"]["entries"]]
    assert body["analysis"]["version"] == 0
    assert snapshot(client) == before


BAD = [
    (
        "unknown stability class",
        {"hazard_type": "gas_release", "parameters": {"stability": "G"}},
        "stability must be one of",
    ),
    (
        "negative wind speed",
        {"hazard_type": "gas_release", "parameters": {"wind_speed_m_s": -1}},
        "wind_speed_m_s must be at least",
    ),
    (
        "negative emission",
        {"hazard_type": "gas_release", "parameters": {"emission_g_s": -5}},
        "emission_g_s must be at least 0",
    ),
    (
        "hazard off every river",
        {"hazard_geometry": point((117.27, 31.86))},
        "km away; the river model needs a source within",
    ),
    ("unknown hazard type", {"hazard_type": "meteor"}, "unknown hazard type 'meteor'"),
    (
        "wrong category for the type",
        {"hazard_type": "infectious_disease"},
        "belongs to the categories public_health",
    ),
    ("unknown parameter", {"parameters": {"speed": 3}}, "unknown spill parameter(s) speed"),
]


@pytest.mark.parametrize("case, changes, words", BAD, ids=[b[0] for b in BAD])
@pytest.mark.parametrize("url", ["/api/risks", "/api/reach"])
def test_bad_model_input_is_refused_and_nothing_stored(
    client: TestClient,
    tokens: dict[str, str],
    snapshot,
    url: str,
    case: str,
    changes: dict[str, Any],
    words: str,
) -> None:
    before = snapshot(client)
    response = client.post(url, json=spill(**changes), headers=auth(tokens, "committee"))
    assert response.status_code == 422, response.text
    assert response.headers["content-type"] == "application/problem+json"
    assert words in response.json()["detail"]
    assert snapshot(client) == before


def test_reach_says_what_is_known_of_the_people_a_river_exposes(
    client: TestClient, tokens: dict[str, str]
) -> None:
    risk = client.post("/api/risks", json=spill(), headers=auth(tokens)).json()
    reach = client.get(f"/api/risks/{risk['id']}/reach", headers=auth(tokens, "hangzhou")).json()
    entries = {e["jurisdiction"]: e for e in reach["entries"]}
    # No estimate for a river; the whole city's 2020 census population bounds it.
    hangzhou = entries["330100"]
    assert hangzhou["exposed_population"] is None
    assert hangzhou["population_basis"] == "whole_city"
    assert hangzhou["population_upper_bound"] == 11_936_010
    assert entries["341000"]["population_upper_bound"] == 1_330_565


def test_reach_of_an_area_hazard_gives_people_by_area_share(
    client: TestClient, tokens: dict[str, str]
) -> None:
    body = spill(hazard_type="area", parameters={"radius_km": 10})
    risk = client.post("/api/risks", json=body, headers=auth(tokens)).json()
    reach = client.get(f"/api/risks/{risk['id']}/reach", headers=auth(tokens)).json()
    [huangshan] = [e for e in reach["entries"] if e["jurisdiction"] == "341000"]
    assert huangshan["population_basis"] == "area_share"
    assert huangshan["population_upper_bound"] is None
    # The share of Huangshan's 1,330,565 people its covered area holds.
    assert huangshan["exposed_population"] == round(1_330_565 * huangshan["intensity"])
