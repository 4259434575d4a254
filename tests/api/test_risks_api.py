"""The risk register over HTTP: status codes and problem bodies, on both backends."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.support import HUANGSHAN_TUNXI, OUTSIDE, auth, point


def body(**changes: Any) -> dict[str, Any]:
    base: dict[str, Any] = {
        "category": "accident_disaster",
        "title": "新安江苯乙烯泄漏",
        "description": "槽罐车侧翻",
        "hazard_geometry": point(HUANGSHAN_TUNXI),
        "likelihood": 3,
        "consequence": 4,
    }
    base.update(changes)
    return base


def test_register_then_cycle_and_history(client: TestClient, tokens: dict[str, str]) -> None:
    created = client.post("/api/risks", json=body(), headers=auth(tokens))
    assert created.status_code == 201
    risk = created.json()
    assert created.headers["location"] == f"/api/risks/{risk['id']}"
    assert risk["origins"] == [{"jurisdiction": "341000", "share": 1.0}]
    assert (risk["level"], risk["status"]) == ("II", "identified")

    moved = client.post(
        f"/api/risks/{risk['id']}/transitions",
        json={"to": "assessed", "reason": "会商研判", "expected_version": 1},
        headers=auth(tokens),
    )
    assert moved.json()["status"] == "assessed"
    history = client.get(f"/api/risks/{risk['id']}/history", headers=auth(tokens)).json()
    actions = [h["action"] for h in history]
    # The risk's record includes the duties its responsibility list assigned.
    assert actions == ["risk.registered", "risk.analysed"] + ["duty.assigned"] * 3 + [
        "risk.transitioned"
    ]
    assert history[-1]["payload"]["reason"] == "会商研判"
    assert history[-1]["organisation"] == "ema-341000"

    listed = client.get("/api/risks?status=assessed", headers=auth(tokens, "hangzhou")).json()
    assert [r["id"] for r in listed] == [risk["id"]]


BAD_INPUTS = [
    (
        "malformed geometry",
        body(hazard_geometry={"type": "Point", "coordinates": ["a"]}),
        422,
        "malformed",
    ),
    (
        "self-crossing polygon",
        body(
            hazard_geometry={
                "type": "Polygon",
                "coordinates": [
                    [[118.2, 29.6], [118.4, 29.8], [118.4, 29.6], [118.2, 29.8], [118.2, 29.6]]
                ],
            }
        ),
        422,
        "invalid",
    ),
    (
        "geometry of an unknown type",
        body(hazard_geometry={"type": "Circle", "coordinates": [118, 29]}),
        422,
        "not one of",
    ),
    ("out-of-region geometry", body(hazard_geometry=point(OUTSIDE)), 422, "outside the region"),
    ("longitude out of range", body(hazard_geometry=point((218.3, 29.7))), 422, "not WGS84"),
    ("unknown category", body(category="flood"), 422, "unknown category 'flood'"),
    ("likelihood 0", body(likelihood=0), 422, "likelihood must be an integer from 1 to 5"),
    ("likelihood 6", body(likelihood=6), 422, "likelihood must be an integer from 1 to 5"),
    ("too-long title", body(title="险" * 201), 422, "title"),
    ("unknown field", body(colour="red"), 422, "colour"),
    ("unknown region", body(region="nowhere"), 403, "nowhere"),
    # A NUL cannot be stored on PostgreSQL: refused before it gets there.
    ("NUL in the title", body(title="新安江\x00泄漏"), 422, "control characters"),
    ("invisible title", body(title="\u200b\u200d\ufeff"), 422, "title must not be empty"),
    ("boolean likelihood", body(likelihood=True), 422, "likelihood"),
]


@pytest.mark.parametrize("case, payload, status, words", BAD_INPUTS, ids=[c[0] for c in BAD_INPUTS])
def test_bad_risk_is_refused_and_nothing_written(
    client: TestClient,
    tokens: dict[str, str],
    snapshot,
    case: str,
    payload: dict[str, Any],
    status: int,
    words: str,
) -> None:
    before = snapshot(client)
    response = client.post("/api/risks", json=payload, headers=auth(tokens))
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == "application/problem+json"
    assert words in response.json()["detail"]
    assert snapshot(client) == before


def test_invalid_json_is_a_400_problem(
    client: TestClient, tokens: dict[str, str], snapshot
) -> None:
    before = snapshot(client)
    response = client.post(
        "/api/risks",
        content=b'{"title": ',
        headers={**auth(tokens), "Content-Type": "application/json"},
    )
    assert response.status_code == 400
    assert response.json()["title"] == "Invalid JSON"
    assert snapshot(client) == before


def test_illegal_transition_is_a_409_problem(
    client: TestClient, tokens: dict[str, str], snapshot
) -> None:
    risk = client.post("/api/risks", json=body(), headers=auth(tokens)).json()
    before = snapshot(client)
    response = client.post(
        f"/api/risks/{risk['id']}/transitions",
        json={"to": "closed", "reason": "结束"},
        headers=auth(tokens),
    )
    assert response.status_code == 409
    assert response.json()["type"] == "urn:crossrisk:problem:invalid-transition"
    assert "cannot become closed" in response.json()["detail"]
    assert snapshot(client) == before


def test_unknown_risk_is_a_404_problem(client: TestClient, tokens: dict[str, str]) -> None:
    response = client.get("/api/risks/9999", headers=auth(tokens))
    assert response.status_code == 404
    assert response.json()["detail"] == "risk 9999 does not exist"


def test_bad_login_is_a_401_problem(client: TestClient, snapshot) -> None:
    before = snapshot(client)
    response = client.post("/api/auth/token", json={"username": "huangshan", "password": "guess"})
    assert response.status_code == 401
    assert response.headers["www-authenticate"] == "Bearer"
    assert response.json()["detail"] == "unknown username or wrong password"
    assert snapshot(client) == before


def test_login_gives_a_working_token(client: TestClient) -> None:
    from tests.support import TEST_PASSWORD

    response = client.post(
        "/api/auth/token", json={"username": "hangzhou", "password": TEST_PASSWORD}
    )
    token = response.json()["access_token"]
    me = client.get("/api/auth/me", headers={"Authorization": f"Bearer {token}"}).json()
    assert (me["organisation"], me["jurisdiction"], me["regions"]) == (
        "ema-330100",
        "330100",
        ["yrd"],
    )
