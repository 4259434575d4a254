"""Reports (通报) and provinces over HTTP: a social-security risk, Zhejiang's inbox."""

from __future__ import annotations

from fastapi.testclient import TestClient
from lxml import etree

from crossrisk.alerts.cap.schema import CAP_NS, validate_cap
from crossrisk.domain.organisation import Role, system_actor
from crossrisk.services import users
from crossrisk.store.uow import UnitOfWork
from tests.support import HUANGSHAN_TUNXI, T0, assert_problem, auth, point

PROVINCE_PASSWORD = "zhejiang-duty-desk-2026"


def test_a_deliberate_release_reaches_hangzhou_as_a_report_it_acknowledges(
    client: TestClient, tokens: dict[str, str]
) -> None:
    created = client.post(
        "/api/risks",
        json={
            "region": "yrd",
            "category": "social_security",
            "title": "新安江投毒事件",
            "description": "",
            "hazard_geometry": point(HUANGSHAN_TUNXI),
            "likelihood": 3,
            "consequence": 4,
            "hazard_type": "river_spill",
        },
        headers=auth(tokens, "huangshan"),
    )
    assert created.status_code == 201, created.text
    inbox = client.get("/api/warnings", headers=auth(tokens, "hangzhou")).json()
    (report,) = [w for w in inbox if w["risk_id"] == created.json()["id"]]
    assert report["kind"] == "report"

    cap = client.get(f"/api/warnings/{report['id']}/cap", headers=auth(tokens, "hangzhou"))
    validate_cap(cap.content)
    root = etree.fromstring(cap.content)
    headlines = [h.text or "" for h in root.iterfind(".//cap:headline", {"cap": CAP_NS})]
    assert "通报" in headlines[0] and "information report" in headlines[1]
    assert not any(colour in " ".join(headlines) for colour in ("橙色", "Orange", "黄色", "Yellow"))

    done = client.post(
        f"/api/warnings/{report['id']}/acknowledge", headers=auth(tokens, "hangzhou")
    )
    assert done.status_code == 200 and done.json()["status"] == "acknowledged"


def test_zhejiang_reads_its_cities_warnings_and_acknowledges_none(
    client: TestClient, tokens: dict[str, str]
) -> None:
    uow = UnitOfWork(client.app.state.engine)  # type: ignore[attr-defined]
    users.add_user(
        uow,
        system_actor(),
        username="api-province-330000",
        password=PROVINCE_PASSWORD,
        organisation_code="ema-330000",
        role=Role.OFFICER,
        now=T0,
    )
    created = client.post(
        "/api/risks",
        json={
            "region": "yrd",
            "category": "accident_disaster",
            "title": "新安江苯乙烯泄漏",
            "description": "",
            "hazard_geometry": point(HUANGSHAN_TUNXI),
            "likelihood": 3,
            "consequence": 4,
            "hazard_type": "river_spill",
        },
        headers=auth(tokens, "huangshan"),
    )
    assert created.status_code == 201, created.text
    login = client.post(
        "/api/auth/token",
        json={"username": "api-province-330000", "password": PROVINCE_PASSWORD},
    )
    assert login.status_code == 200, login.text
    zhejiang = {"Authorization": f"Bearer {login.json()['access_token']}"}

    inbox = client.get("/api/warnings", headers=zhejiang).json()
    mine = [w for w in inbox if w["risk_id"] == created.json()["id"]]
    assert mine and {w["recipient"][:2] for w in mine} == {"33"}
    hangzhou = next(w for w in mine if w["recipient"] == "330100")
    refused = client.post(f"/api/warnings/{hangzhou['id']}/acknowledge", headers=zhejiang)
    assert_problem(refused, 403, key="warning-ack-not-recipient")
    risk = client.get(f"/api/risks/{created.json()['id']}", headers=zhejiang)
    assert risk.status_code == 200
    changed = client.patch(
        f"/api/risks/{created.json()['id']}",
        json={"title": "改名", "reason": "试一试"},
        headers=zhejiang,
    )
    assert changed.status_code == 403
