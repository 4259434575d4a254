"""The shortfall and demand factors over HTTP: answers, refusals and what they leave."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
from fastapi.testclient import TestClient

from crossrisk.domain.risk import RiskCategory
from crossrisk.services import risks
from crossrisk.store.uow import UnitOfWork
from tests.support import actor, assert_problem, auth, draft


@pytest.fixture
def flood(client: TestClient) -> int:
    uow = UnitOfWork(client.app.state.engine)  # type: ignore[attr-defined]
    risk = risks.register_risk(
        uow,
        actor(uow, "ema-320500"),
        draft(
            where=(121.05, 31.3),
            category=RiskCategory.NATURAL_DISASTER,
            parameters={"radius_km": 20},
        ),
        region_code="yrd",
        now=datetime.now(UTC),
    )
    assert risk.id is not None
    return risk.id


def escalations(client: TestClient, tokens: dict[str, str], risk_id: int) -> list[dict[str, Any]]:
    response = client.get(
        "/api/journal/entries",
        params={"subject": f"risk:{risk_id}"},
        headers=auth(tokens, "committee"),
    )
    assert response.status_code == 200, response.text
    body = response.json()
    entries = body["entries"] if isinstance(body, dict) else body
    return [
        e
        for e in entries
        if e["action"] == "risk.escalated" and e["payload"].get("reason") == "region-lacks"
    ]


def test_a_risks_shortfall_escalates_once(
    client: TestClient, tokens: dict[str, str], flood: int
) -> None:
    response = client.get(f"/api/aid/shortfall?risk={flood}", headers=auth(tokens, "hangzhou"))

    assert response.status_code == 200, response.text
    body = response.json()
    assert body["risk_id"] == flood and body["factors"]["version"] == 0
    suzhou = next(j for j in body["jurisdictions"] if j["jurisdiction"] == "320500")
    water = next(line for line in suzhou["lines"] if line["item"] == "drinking_water")
    assert water["need"] == suzhou["people"] * 15 * body["days"]
    assert body["region_lacks"]["tent"] > 0
    again = client.get(f"/api/aid/shortfall?risk={flood}", headers=auth(tokens, "committee"))
    assert again.status_code == 200
    assert len(escalations(client, tokens, flood)) == 1


def test_a_what_if_answers_and_stores_nothing(
    client: TestClient, tokens: dict[str, str], snapshot
) -> None:
    before = snapshot(client)
    response = client.post(
        "/api/aid/shortfall",
        json={"region": "yrd", "people": {"330100": 10000}, "displaced_share": 0.3, "days": 7},
        headers=auth(tokens, "huangshan"),
    )
    assert response.status_code == 200, response.text
    hangzhou = next(j for j in response.json()["jurisdictions"] if j["jurisdiction"] == "330100")
    lines = {line["item"]: line for line in hangzhou["lines"]}
    assert lines["drinking_water"]["need"] == 1_050_000
    assert lines["tent"]["need"] == 875 and lines["portable_toilet"]["need"] == 150
    assert snapshot(client) == before


@pytest.mark.parametrize(
    ("body", "status", "key"),
    [
        ({"people": {"330100": -1}}, 422, "people-invalid"),
        ({"people": {"330100": 10}, "displaced_share": 1.5}, 422, "displaced-share-invalid"),
        ({"people": {"330100": 10}, "days": 0}, 422, "days-invalid"),
        ({"people": {"330100": 10}, "days": 10_000}, 422, "days-invalid"),
        ({"people": {"440100": 10}}, 422, "not-a-member"),
        ({"people": {"330100": 10}, "region": "nowhere"}, 404, None),
    ],
)
def test_bad_what_ifs_are_refused(
    client: TestClient, tokens: dict[str, str], snapshot, body, status, key
) -> None:
    before = snapshot(client)
    response = client.post(
        "/api/aid/shortfall", json={"region": "yrd", **body}, headers=auth(tokens, "committee")
    )
    assert_problem(response, status, key=key)
    assert snapshot(client) == before


def test_nan_is_refused(client: TestClient, tokens: dict[str, str]) -> None:
    response = client.post(
        "/api/aid/shortfall",
        content='{"region": "yrd", "people": {"330100": 10}, "displaced_share": NaN}',
        headers={**auth(tokens, "committee"), "content-type": "application/json"},
    )
    assert response.status_code in (400, 422)


def test_another_region_may_not_read_and_unknown_risks_are_not_found(
    client: TestClient, tokens: dict[str, str], flood: int
) -> None:
    refused = client.get(
        f"/api/aid/shortfall?risk={flood}", headers=auth(tokens, "other-committee")
    )
    assert_problem(refused, 403)
    assert_problem(
        client.get("/api/aid/shortfall?risk=999999", headers=auth(tokens, "committee")), 404
    )
    too_big = client.get(f"/api/aid/shortfall?risk={2**63}", headers=auth(tokens, "committee"))
    assert too_big.status_code == 422


def test_the_committee_saves_a_version_and_a_city_may_not(
    client: TestClient, tokens: dict[str, str]
) -> None:
    bundled = client.get("/api/aid/demand-factors?region=yrd", headers=auth(tokens, "hangzhou"))
    assert bundled.status_code == 200
    table = bundled.json()["table"]
    assert bundled.json()["version"] == 0 and table["source"] == "Sphere Handbook"
    table["factor"][0]["amount"] = 20.0

    refused = client.put(
        "/api/aid/demand-factors?region=yrd", json=table, headers=auth(tokens, "hangzhou")
    )
    assert_problem(refused, 403)
    saved = client.put(
        "/api/aid/demand-factors?region=yrd",
        json={**table, "note": "本地标准"},
        headers=auth(tokens, "committee"),
    )
    assert saved.status_code == 200, saved.text
    assert saved.json()["version"] == 1 and saved.json()["saved_by"]
    newest = client.get("/api/aid/demand-factors?region=yrd", headers=auth(tokens, "hangzhou"))
    assert newest.json()["table"]["factor"][0]["amount"] == 20.0
    old = client.get(
        "/api/aid/demand-factors?region=yrd&version=0", headers=auth(tokens, "hangzhou")
    )
    assert old.json()["table"]["factor"][0]["amount"] == 15.0
    table["factor"][0]["amount"] = -3
    bad = client.put(
        "/api/aid/demand-factors?region=yrd", json=table, headers=auth(tokens, "committee")
    )
    assert_problem(bad, 422, key="demand-factors-invalid")
    versions = client.get(
        "/api/aid/demand-factors/versions?region=yrd", headers=auth(tokens, "committee")
    )
    assert [v["version"] for v in versions.json()] == [0, 1]
