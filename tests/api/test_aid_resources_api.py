"""Teams, equipment and shelters over HTTP: status codes, problem bodies, nothing kept
when refused; both backends."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from crossrisk.store.models import JournalEntryRow, ShelterRow, TeamRow
from tests.support import assert_problem, auth

TEAM = {
    "region": "yrd",
    "jurisdiction": "341000",
    "name": "黄山市水上救援队",
    "kind": "flood_rescue",
    "type": 3,
    "headcount": 20,
    "readiness_hours": 2,
    "lon": 118.3,
    "lat": 29.7,
    "contact": "0559-1234567",
    "capabilities": {"boats": 3},
}
SHELTER = {
    "region": "yrd",
    "jurisdiction": "341000",
    "name": "屯溪体育馆",
    "shelter_class": "fixed_short",
    "capacity": 2000,
    "available": 1800,
    "lon": 118.3,
    "lat": 29.7,
}
EQUIPMENT = {
    "region": "yrd",
    "jurisdiction": "341000",
    "kind": "pump",
    "quantity": 4,
    "capability": 500,
    "site": "屯溪防汛仓库",
    "lon": 118.3,
    "lat": 29.7,
}


def counts(client: TestClient) -> tuple[int, int, int]:
    engine = client.app.state.engine  # type: ignore[attr-defined]
    with engine.connect() as connection:
        return tuple(  # type: ignore[return-value]
            int(connection.scalar(select(func.count()).select_from(table)))
            for table in (JournalEntryRow, TeamRow, ShelterRow)
        )


def post(client: TestClient, tokens: dict[str, str], path: str, body: Any, user: str) -> Any:
    return client.post(path, json=body, headers=auth(tokens, user))


@pytest.fixture
def team(client: TestClient, tokens: dict[str, str]) -> dict[str, Any]:
    response = post(client, tokens, "/api/aid/teams", TEAM, "huangshan")
    assert response.status_code == 201, response.text
    return dict(response.json())


def test_a_city_records_a_team_and_reads_it_back(
    client: TestClient, tokens: dict[str, str], team: dict[str, Any]
) -> None:
    assert team["owner"] == "ema-341000" and team["type"] == 3 and team["stale"] is False
    read = client.get(f"/api/aid/teams/{team['id']}", headers=auth(tokens, "hangzhou"))
    assert read.status_code == 200 and read.json() == team
    listed = client.get(
        "/api/aid/teams",
        params={"region": "yrd", "jurisdiction": "341000"},
        headers=auth(tokens, "committee"),
    )
    assert [t["id"] for t in listed.json()] == [team["id"]]
    other = client.get(
        "/api/aid/teams",
        params={"region": "yrd", "jurisdiction": "330100"},
        headers=auth(tokens, "committee"),
    )
    assert other.json() == []


@pytest.mark.parametrize(
    ("change", "key"),
    [
        ({"headcount": -4}, "figure-invalid"),
        ({"headcount": 2**64 + 1}, "figure-invalid"),
        ({"kind": "ninjas"}, "unknown-team-kind"),
        ({"type": 1}, "team-type-not-met"),
        ({"type": 9}, "team-type-invalid"),
        ({"name": "队\u0000"}, "text-control"),
        ({"lat": 91}, "location-invalid"),
        ({"capabilities": {"tanks": 2}}, "unknown-capability"),
    ],
)
def test_a_bad_team_is_refused_with_its_key_and_nothing_is_kept(
    client: TestClient, tokens: dict[str, str], change: dict[str, Any], key: str
) -> None:
    before = counts(client)
    response = post(client, tokens, "/api/aid/teams", {**TEAM, **change}, "huangshan")
    assert_problem(response, 422, key=key)
    assert counts(client) == before


def test_nan_in_a_figure_is_refused(client: TestClient, tokens: dict[str, str]) -> None:
    before = counts(client)
    body = '{"readiness_hours": NaN, ' + __import__("json").dumps(TEAM)[1:]
    response = client.post(
        "/api/aid/teams",
        content=body.replace('"readiness_hours": 2, ', ""),
        headers={**auth(tokens, "huangshan"), "Content-Type": "application/json"},
    )
    assert response.status_code in (400, 422), response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    assert counts(client) == before


def test_another_citys_team_may_not_be_recorded_or_changed(
    client: TestClient, tokens: dict[str, str], team: dict[str, Any]
) -> None:
    before = counts(client)
    refused = post(client, tokens, "/api/aid/teams", TEAM, "hangzhou")
    assert_problem(refused, 403, key="base-information-not-yours")
    patched = client.patch(
        f"/api/aid/teams/{team['id']}", json={"headcount": 30}, headers=auth(tokens, "hangzhou")
    )
    assert_problem(patched, 403, key="base-information-not-yours")
    confirmed = post(client, tokens, f"/api/aid/teams/{team['id']}/confirmation", None, "hangzhou")
    assert_problem(confirmed, 403, key="base-information-not-yours")
    assert counts(client) == before


def test_a_patch_changes_only_what_it_names(
    client: TestClient, tokens: dict[str, str], team: dict[str, Any]
) -> None:
    response = client.patch(
        f"/api/aid/teams/{team['id']}",
        json={"headcount": 26, "name": None},
        headers=auth(tokens, "huangshan"),
    )
    assert response.status_code == 200, response.text
    assert response.json()["headcount"] == 26 and response.json()["name"] == TEAM["name"]
    confirmed = post(client, tokens, f"/api/aid/teams/{team['id']}/confirmation", None, "committee")
    assert confirmed.status_code == 200 and confirmed.json()["stale"] is False


def test_a_shelter_with_more_available_than_capacity_is_refused(
    client: TestClient, tokens: dict[str, str]
) -> None:
    before = counts(client)
    response = post(
        client, tokens, "/api/aid/shelters", {**SHELTER, "available": 2001}, "huangshan"
    )
    body = assert_problem(response, 422, key="shelter-available-above-capacity")
    assert "2001" in body["detail"]
    assert counts(client) == before


def test_a_shelter_opens_takes_people_and_closes(
    client: TestClient, tokens: dict[str, str]
) -> None:
    created = post(client, tokens, "/api/aid/shelters", SHELTER, "huangshan")
    assert created.status_code == 201, created.text
    shelter_id = created.json()["id"]
    assert created.json()["state"] == "closed"

    opened = post(client, tokens, f"/api/aid/shelters/{shelter_id}/opening", None, "huangshan")
    assert opened.status_code == 200 and opened.json()["state"] == "open"
    again = post(client, tokens, f"/api/aid/shelters/{shelter_id}/opening", None, "huangshan")
    assert_problem(again, 409, key="shelter-open-already")
    full = post(
        client,
        tokens,
        f"/api/aid/shelters/{shelter_id}/availability",
        {"available": 0},
        "huangshan",
    )
    assert full.status_code == 200 and full.json()["available"] == 0
    over = post(
        client,
        tokens,
        f"/api/aid/shelters/{shelter_id}/availability",
        {"available": 5000},
        "huangshan",
    )
    assert_problem(over, 422, key="shelter-available-above-capacity")
    smaller = client.patch(
        f"/api/aid/shelters/{shelter_id}", json={"capacity": 0}, headers=auth(tokens, "huangshan")
    )
    assert_problem(smaller, 422, key="figure-invalid")
    closed = post(client, tokens, f"/api/aid/shelters/{shelter_id}/closing", None, "huangshan")
    assert closed.json()["state"] == "closed" and closed.json()["available"] == 0


def test_a_committee_only_record_is_not_found_by_another_city(
    client: TestClient, tokens: dict[str, str]
) -> None:
    created = post(
        client, tokens, "/api/aid/equipment", {**EQUIPMENT, "sharing": "committee"}, "huangshan"
    )
    assert created.status_code == 201, created.text
    assert created.json()["unit"] == "m³/h" and created.json()["total_capability"] == 2000
    equipment_id = created.json()["id"]
    hidden = client.get(f"/api/aid/equipment/{equipment_id}", headers=auth(tokens, "hangzhou"))
    assert_problem(hidden, 404, key="equipment-not-found")
    listed = client.get(
        "/api/aid/equipment", params={"region": "yrd"}, headers=auth(tokens, "hangzhou")
    )
    assert listed.json() == []
    seen = client.get(f"/api/aid/equipment/{equipment_id}", headers=auth(tokens, "committee"))
    assert seen.status_code == 200


def test_another_regions_body_may_not_list_the_regions_records(
    client: TestClient, tokens: dict[str, str]
) -> None:
    response = client.get(
        "/api/aid/shelters", params={"region": "yrd"}, headers=auth(tokens, "other-committee")
    )
    assert_problem(response, 403, key="region-not-readable")
    bad = client.get(
        "/api/aid/shelters",
        params={"region": "yrd", "jurisdiction": "34\u00001000"},
        headers=auth(tokens, "committee"),
    )
    assert_problem(bad, 422)


def test_the_resource_types_list_kinds_types_and_classes(
    client: TestClient, tokens: dict[str, str]
) -> None:
    response = client.get("/api/aid/resource-types", headers=auth(tokens, "hangzhou"))
    assert response.status_code == 200
    body = response.json()
    flood = next(k for k in body["team_kinds"] if k["code"] == "flood_rescue")
    assert [t["type"] for t in flood["types"]] == [1, 2, 3, 4]
    assert flood["types"][0]["minimum"]["headcount"] >= flood["types"][3]["minimum"]["headcount"]
    assert any(c["code"] == "fixed_long" for c in body["shelter_classes"])
    assert any(k["unit"] == "kW" for k in body["equipment_kinds"])


def test_a_patch_naming_nothing_is_refused_and_not_journaled(
    client: TestClient, tokens: dict[str, str], team: dict[str, Any]
) -> None:
    before = counts(client)
    response = client.patch(
        f"/api/aid/teams/{team['id']}", json={"name": None}, headers=auth(tokens, "huangshan")
    )
    assert_problem(response, 422, key="record-unchanged")
    assert counts(client) == before
