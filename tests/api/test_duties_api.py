"""Duties over HTTP: my duties, the lead's report, acknowledging and waiving; both backends."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.support import assert_problem, auth, post_spill


@pytest.fixture
def spill(client: TestClient, tokens: dict[str, str]) -> dict[str, Any]:
    return post_spill(client, tokens)


def my_duties(client: TestClient, tokens: dict[str, str], user: str, **query: str) -> list[dict]:
    response = client.get("/api/duties", params=query, headers=auth(tokens, user))
    assert response.status_code == 200, response.text
    return list(response.json())


def test_a_city_sees_its_open_duty_and_acknowledging_the_warning_completes_it(
    client: TestClient, tokens: dict[str, str], spill: dict[str, Any]
) -> None:
    (duty,) = my_duties(client, tokens, "hangzhou", status="open")
    assert duty["risk_id"] == spill["id"] and duty["kind"] == "prepare_and_acknowledge"
    assert duty["organisation"] == "ema-330100" and duty["status"] == "open"
    inbox = client.get("/api/warnings", headers=auth(tokens, "hangzhou")).json()
    (warning,) = [w for w in inbox if w["risk_id"] == spill["id"]]
    assert warning["ack_deadline"] == duty["deadline"]  # one deadline

    client.post(f"/api/warnings/{warning['id']}/acknowledge", headers=auth(tokens, "hangzhou"))

    assert my_duties(client, tokens, "hangzhou", status="open") == []
    (done,) = my_duties(client, tokens, "hangzhou", status="done")
    assert done["id"] == duty["id"] and done["done_via"] == "warning.acknowledged"


def test_the_committee_sees_every_duty_of_its_region_and_a_city_only_its_own(
    client: TestClient, tokens: dict[str, str], spill: dict[str, Any]
) -> None:
    every = my_duties(client, tokens, "committee")
    of_risk = client.get(f"/api/risks/{spill['id']}/duties", headers=auth(tokens, "committee"))
    assert {d["id"] for d in every} == {d["id"] for d in of_risk.json()}
    assert {d["organisation"] for d in my_duties(client, tokens, "huangshan")} == {"ema-341000"}
    refused = client.get("/api/duties?status=finished", headers=auth(tokens, "hangzhou"))
    assert_problem(refused, 422, key="duty-status-unknown")


def test_the_leads_report_completes_handle_and_report(
    client: TestClient, tokens: dict[str, str], spill: dict[str, Any], snapshot: Any
) -> None:
    path = f"/api/risks/{spill['id']}/reports"
    before = snapshot(client)
    refused = client.post(path, json={"text": "下游"}, headers=auth(tokens, "hangzhou"))
    assert_problem(refused, 403, key="report-not-origin")
    empty = client.post(path, json={"text": " "}, headers=auth(tokens, "huangshan"))
    assert_problem(empty, 422, key="text-empty")
    assert snapshot(client) == before

    filed = client.post(
        path,
        json={"text": "已布设围油栏", "figures": {"spilled_tonnes": 12.5}},
        headers=auth(tokens, "huangshan"),
    )

    assert filed.status_code == 201, filed.text
    completed = filed.json()["completed"]
    assert completed["kind"] == "handle_and_report" and completed["status"] == "done"
    again = client.post(path, json={"text": "浓度下降"}, headers=auth(tokens, "huangshan"))
    assert again.status_code == 201 and again.json()["completed"] is None
    (lead,) = my_duties(client, tokens, "huangshan", status="done")
    assert lead["id"] == completed["id"] and lead["done_via"] == "risk.reported"


def test_only_the_committee_waives_and_a_duty_is_not_waived_twice(
    client: TestClient, tokens: dict[str, str], spill: dict[str, Any], snapshot: Any
) -> None:
    (duty,) = my_duties(client, tokens, "hangzhou", status="open")
    path = f"/api/duties/{duty['id']}/waive"
    before = snapshot(client)
    refused = client.post(path, json={"reason": "不需要"}, headers=auth(tokens, "hangzhou"))
    assert_problem(refused, 403, key="duty-waive-not-permitted")
    assert snapshot(client) == before

    waived = client.post(path, json={"reason": "省级统一部署"}, headers=auth(tokens, "committee"))
    assert waived.status_code == 200, waived.text
    assert waived.json()["status"] == "waived" and waived.json()["reason"] == "省级统一部署"
    twice = client.post(path, json={"reason": "again"}, headers=auth(tokens, "committee"))
    assert_problem(twice, 409, key="duty-not-open")


def test_the_domain_office_acknowledges_its_follow_up(
    client: TestClient, tokens: dict[str, str], spill: dict[str, Any]
) -> None:
    every = my_duties(client, tokens, "committee")
    (follow,) = [d for d in every if d["kind"] == "follow_up"]
    refused = client.post(
        f"/api/duties/{follow['id']}/acknowledge", json={}, headers=auth(tokens, "hangzhou")
    )
    assert_problem(refused, 403, key="duty-not-party")
    missing = client.post(
        "/api/duties/999999/acknowledge", json={}, headers=auth(tokens, "central")
    )
    assert_problem(missing, 404, key="duty-not-found")
