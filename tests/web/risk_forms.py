"""Filling in the registration form from page tests."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient

from tests.support import HUANGSHAN_TUNXI

# A chlorine release at Tunxi with a west wind: the plume drifts across the border into
# Hangzhou, so the risk spills over (溢出) and Hangzhou must prepare.
GAS_RELEASE = {
    "hazard_type": "gas_release",
    "param-emission_g_s": "100000",
    "param-wind_speed_m_s": "3",
    "param-wind_from_deg": "270",
}


def risk_form(token: str, **changes: Any) -> dict[str, Any]:
    """The fields of a valid registration of a spill in Huangshan, with some changed."""
    longitude, latitude = HUANGSHAN_TUNXI
    fields: dict[str, Any] = {
        "csrf_token": token,
        "region": "yrd",
        "category": "accident_disaster",
        "title": "新安江苯乙烯泄漏",
        "description": "槽罐车侧翻，苯乙烯流入新安江。",
        "likelihood": "3",
        "consequence": "4",
        "geometry_kind": "point",
        "longitude": str(longitude),
        "latitude": str(latitude),
    }
    fields.update(changes)
    return fields


def register(client: TestClient, token: str, **changes: Any) -> int:
    """Register a risk through the form; returns its id."""
    response = client.post("/risks/new", data=risk_form(token, **changes))
    assert response.status_code == 303, response.text
    return int(response.headers["location"].rsplit("/", 1)[1])
