"""A social-security risk's warnings are information reports (通报) over HTTP too."""

from __future__ import annotations

from fastapi.testclient import TestClient
from lxml import etree

from crossrisk.alerts.cap.schema import CAP_NS, validate_cap
from tests.support import HUANGSHAN_TUNXI, auth, point


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
