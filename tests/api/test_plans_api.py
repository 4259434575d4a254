"""Contingency plans over HTTP: list, read, import and export YAML, activate; both backends."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.support import HUANGSHAN_TUNXI, assert_problem, auth, point

EXAMPLE = Path(__file__).parents[2] / "crossrisk" / "data" / "plans" / "examples"
XINAN_FLOOD = (EXAMPLE / "xinan_flood.yaml").read_text("utf-8")


def counts(client: TestClient, tokens: dict[str, str]) -> tuple[int, int]:
    """Plans listed and journal entries: a refusal changes neither."""
    listed = client.get("/api/plans", params={"region": "yrd"}, headers=auth(tokens, "committee"))
    journal = client.get(
        "/api/journal/entries", params={"limit": 1}, headers=auth(tokens, "central")
    )
    return len(listed.json()), journal.json()["entries"][0]["seq"]


def import_example(client: TestClient, tokens: dict[str, str], user: str = "committee") -> Any:
    return client.post(
        "/api/plans",
        params={"region": "yrd"},
        json={"document": XINAN_FLOOD, "note": "示例"},
        headers=auth(tokens, user),
    )


@pytest.fixture
def flood(client: TestClient, tokens: dict[str, str]) -> dict[str, Any]:
    response = client.post(
        "/api/risks",
        json={
            "region": "yrd",
            "category": "natural_disaster",
            "title": "新安江洪水",
            "description": "",
            "hazard_geometry": point(HUANGSHAN_TUNXI),
            "likelihood": 3,
            "consequence": 4,
            "hazard_type": "flood_wave",
        },
        headers=auth(tokens, "huangshan"),
    )
    assert response.status_code == 201, response.text
    return dict(response.json())


def test_the_committee_imports_reads_and_exports_a_plan(
    client: TestClient, tokens: dict[str, str]
) -> None:
    response = import_example(client, tokens)
    assert response.status_code == 201, response.text
    plan = response.json()["plan"]
    assert (plan["code"], plan["version"], plan["region"]) == ("xinan-flood", 1, "yrd")
    assert plan["conditions"]["hazard_types"] == ["flood_wave"]
    spillway = next(t for t in plan["tasks"] if t["task"] == "spillway-warning")
    assert spillway["role"] == "origin" and spillway["completed_by"] == "confirmation"
    assert spillway["deadlines"]["normal"]["I"] == {"minutes": 30, "source": "platform"}

    listed = client.get("/api/plans", params={"region": "yrd"}, headers=auth(tokens, "hangzhou"))
    assert [p["plan"]["id"] for p in listed.json()] == [0, plan["id"]]
    default = client.get("/api/plans/0", headers=auth(tokens, "hangzhou")).json()["plan"]
    report = default["tasks"][0]["deadlines"]
    assert report["normal"]["I"] == {"minutes": 30, "source": "sc-2015"}
    exported = client.get(f"/api/plans/{plan['id']}/export", headers=auth(tokens, "hangzhou"))
    assert exported.status_code == 200
    assert exported.headers["content-type"].startswith("application/yaml")
    assert exported.text == XINAN_FLOOD


def test_a_bad_plan_file_is_refused_with_every_problem_by_line(
    client: TestClient, tokens: dict[str, str]
) -> None:
    before = counts(client, tokens)
    bad = XINAN_FLOOD.replace("role: central_office", "role: mayor").replace(
        "[flood_wave]", "[tsunami]"
    )
    response = client.post(
        "/api/plans",
        params={"region": "yrd"},
        json={"document": bad},
        headers=auth(tokens, "committee"),
    )
    body = assert_problem(response, 422, key="plan-invalid")
    found = {(p["line"], p["key"]) for p in body["errors"]}
    lines = bad.splitlines()
    assert (lines.index("  - role: mayor") + 1, "unknown-role") in found
    assert (lines.index("  hazard_types: [tsunami]") + 1, "unknown-hazard-type") in found
    assert counts(client, tokens) == before


def test_a_viewer_or_a_city_may_not_import(client: TestClient, tokens: dict[str, str]) -> None:
    before = counts(client, tokens)
    for user in ("huangshan-viewer", "huangshan"):
        assert_problem(import_example(client, tokens, user), 403)
    assert counts(client, tokens) == before


@pytest.mark.parametrize("plan_id", ["99999", str(2**31), str(2**63), "-1", "x"])
def test_plans_that_do_not_exist_are_404_or_422(
    client: TestClient, tokens: dict[str, str], plan_id: str
) -> None:
    response = client.get(f"/api/plans/{plan_id}", headers=auth(tokens, "committee"))
    assert response.status_code in (404, 422)
    assert response.headers["content-type"].startswith("application/problem+json")


def test_the_committee_activates_a_plan_for_a_risk_and_its_list_is_redrawn(
    client: TestClient, tokens: dict[str, str], flood: dict[str, Any]
) -> None:
    # The plan is imported after the risk: the risk keeps the default until activated.
    plan = import_example(client, tokens).json()["plan"]
    response = client.post(
        f"/api/plans/{plan['id']}/activate",
        json={"risk_id": flood["id"], "reason": "会商决定启动"},
        headers=auth(tokens, "committee"),
    )
    assert response.status_code == 200, response.text
    duties = client.get(f"/api/risks/{flood['id']}/duties", headers=auth(tokens, "committee"))
    assert any(d.get("task") == "spillway-warning" for d in duties.json())


def test_activating_another_regions_plan_or_by_a_city_is_refused(
    client: TestClient, tokens: dict[str, str], flood: dict[str, Any]
) -> None:
    other = client.post(
        "/api/plans",
        params={"region": "pearl"},
        json={"document": XINAN_FLOOD},
        headers=auth(tokens, "other-committee"),
    )
    assert other.status_code == 201, other.text
    before = counts(client, tokens)
    refused = client.post(
        f"/api/plans/{other.json()['plan']['id']}/activate",
        json={"risk_id": flood["id"], "reason": "x"},
        headers=auth(tokens, "committee"),
    )
    assert_problem(refused, 422, key="plan-other-region")
    by_city = client.post(
        "/api/plans/0/activate",
        json={"risk_id": flood["id"], "reason": "x"},
        headers=auth(tokens, "huangshan"),
    )
    assert_problem(by_city, 403)
    assert counts(client, tokens) == before
