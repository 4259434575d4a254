"""Drills over HTTP: the committee runs a scenario at speed max and reads its review; a bad
scenario is a 422 listing each problem with its line and writes nothing."""

from __future__ import annotations

import json

from fastapi.testclient import TestClient

from crossrisk.data import bundled_drill_path, drill_scenario_schema
from crossrisk.store.models import DrillRow, JournalEntryRow, RiskRow
from tests.support import assert_problem, auth, row_counts


def scenario(name: str = "taicang_plume") -> str:
    path = bundled_drill_path(name)
    assert path is not None
    return path.read_text("utf-8")


def test_the_committee_runs_a_drill_and_reads_its_review(
    client: TestClient, tokens: dict[str, str]
) -> None:
    made = client.post(
        "/api/drills", json={"scenario": scenario()}, headers=auth(tokens, "committee")
    )
    assert made.status_code == 201, made.text
    review = made.json()
    drill = review["drill"]
    assert (
        drill["state"] == "ended" and drill["speed"] == "max" and drill["code"] == "taicang_plume"
    )
    names = {m["name"]: m for m in review["metrics"] if m["party"] is None}
    assert names["report_latency"]["value"] == 120.0
    assert names["report_latency"]["unit"] == "min"
    # The lead city reported late: its report duty's case is the drill's.
    assert "ema-320500" in {c["party"] for c in review["cases"]}
    listed = client.get("/api/drills", headers=auth(tokens, "hangzhou")).json()
    assert [d["id"] for d in listed] == [drill["id"]]
    one = client.get(f"/api/drills/{drill['id']}", headers=auth(tokens, "hangzhou"))
    assert one.status_code == 200 and one.json()["metrics"] == review["metrics"]
    risks = client.get("/api/risks", headers=auth(tokens, "committee")).json()
    assert risks == [] or all("太仓" not in r["title"] for r in risks)
    timeline = client.get(f"/api/drills/{drill['id']}", headers=auth(tokens, "committee"))
    assert timeline.status_code == 200
    one_risk = client.get("/api/risks/1", headers=auth(tokens, "committee")).json()
    assert one_risk["drill"] == drill["id"] and "太仓" in one_risk["title"]


def test_a_bad_scenario_is_refused_with_its_lines_and_writes_nothing(
    client: TestClient, tokens: dict[str, str], database_url: str
) -> None:
    before = row_counts(database_url, DrillRow, RiskRow, JournalEntryRow)
    bad = (
        scenario()
        .replace("wind_speed_m_s: 4", "wind_speed_m_s: 400")
        .replace('party: "310000"', 'party: "999999"')
    )
    refused = client.post("/api/drills", json={"scenario": bad}, headers=auth(tokens, "committee"))
    problem = assert_problem(refused, 422, key="drill-scenario-invalid")
    errors = problem["params"]["errors"] if "params" in problem else problem["errors"]
    assert [e["key"] for e in errors] == ["bad-parameters", "unknown-party"]
    assert all(e["message"].startswith(f"line {e['line']}: ") for e in errors)
    assert row_counts(database_url, DrillRow, RiskRow, JournalEntryRow) == before


def test_only_the_committee_runs_a_drill_and_ids_are_bounded(
    client: TestClient, tokens: dict[str, str], database_url: str
) -> None:
    before = row_counts(database_url, DrillRow, JournalEntryRow)
    refused = client.post(
        "/api/drills", json={"scenario": scenario()}, headers=auth(tokens, "hangzhou")
    )
    assert_problem(refused, 403, key="not-coordinator")
    assert row_counts(database_url, DrillRow, JournalEntryRow) == before
    assert client.get("/api/drills/7", headers=auth(tokens, "committee")).status_code == 404
    assert client.get(f"/api/drills/{2**63}", headers=auth(tokens, "committee")).status_code == 422
    huge = {"scenario": "x" * 100_001}
    assert (
        client.post("/api/drills", json=huge, headers=auth(tokens, "committee")).status_code == 422
    )


def test_any_reader_fetches_the_scenario_schema_and_no_stranger_does(
    client: TestClient, tokens: dict[str, str]
) -> None:
    fetched = client.get("/api/drills/schema", headers=auth(tokens, "hangzhou"))
    assert fetched.status_code == 200, fetched.text
    assert fetched.headers["content-type"].startswith("application/schema+json")
    assert fetched.json() == json.loads(drill_scenario_schema())
    assert_problem(client.get("/api/drills/schema"), 401)
