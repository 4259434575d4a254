"""Every role × every write endpoint × a risk of its own or another jurisdiction.

DESIGN §1: a city changes only risks whose origin is its own; the coordination body of the
region and the central office change any; domain offices, evaluators, viewers and other
regions' bodies change nothing. Every refusal is 403 with problem details and changes nothing.
"""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from crossrisk.domain.organisation import system_actor
from crossrisk.services import risks
from crossrisk.store.uow import UnitOfWork
from tests.support import HANGZHOU, HUANGSHAN_TUNXI, T0, draft, point

ROLES = [
    "huangshan",  # city officer; "own" risks are Huangshan's
    "huangshan-viewer",
    "committee",
    "disaster-office",
    "central",
    "evaluator",
    "other-committee",
]
ALLOWED_ANYWHERE = {"committee", "central"}
TARGETS = {"own": HUANGSHAN_TUNXI, "other": HANGZHOU}


def may_write(role: str, target: str) -> bool:
    return role in ALLOWED_ANYWHERE or (role == "huangshan" and target == "own")


def existing_risk(client: TestClient, where: tuple[float, float]) -> int:
    uow = UnitOfWork(client.app.state.engine)  # type: ignore[attr-defined]
    risk = risks.register_risk(uow, system_actor(), draft(where=where), region_code="yrd", now=T0)
    assert risk.id is not None
    return risk.id


def register(client: TestClient, where: tuple[float, float]) -> tuple[str, str, dict[str, Any]]:
    body = {
        "category": "accident_disaster",
        "title": "危化品泄漏",
        "hazard_geometry": point(where),
        "likelihood": 3,
        "consequence": 3,
    }
    return "POST", "/api/risks", body


def change(client: TestClient, where: tuple[float, float]) -> tuple[str, str, dict[str, Any]]:
    risk_id = existing_risk(client, where)
    return "PATCH", f"/api/risks/{risk_id}", {"likelihood": 5, "reason": "上游来水增加"}


def transition(client: TestClient, where: tuple[float, float]) -> tuple[str, str, dict[str, Any]]:
    risk_id = existing_risk(client, where)
    return "POST", f"/api/risks/{risk_id}/transitions", {"to": "assessed", "reason": "已研判"}


ENDPOINTS = {"register": register, "change": change, "transition": transition}


@pytest.mark.parametrize("target", TARGETS)
@pytest.mark.parametrize("endpoint", ENDPOINTS)
@pytest.mark.parametrize("role", ROLES)
def test_write_permission(
    client: TestClient, tokens: dict[str, str], snapshot, role: str, endpoint: str, target: str
) -> None:
    method, url, body = ENDPOINTS[endpoint](client, TARGETS[target])
    before = snapshot(client)

    response = client.request(
        method, url, json=body, headers={"Authorization": f"Bearer {tokens[role]}"}
    )

    if may_write(role, target):
        assert response.status_code in (200, 201), response.text
        assert snapshot(client) != before
    else:
        assert response.status_code == 403, response.text
        assert response.headers["content-type"] == "application/problem+json"
        problem = response.json()
        assert problem["status"] == 403
        assert problem["type"] == "urn:crossrisk:problem:not-permitted"
        assert problem["detail"]
        assert snapshot(client) == before


@pytest.mark.parametrize("method, url", [("POST", "/api/risks"), ("GET", "/api/risks")])
def test_anonymous_requests_are_refused(client: TestClient, method: str, url: str) -> None:
    response = client.request(method, url, json={})
    assert response.status_code == 401
    assert response.headers["content-type"] == "application/problem+json"
