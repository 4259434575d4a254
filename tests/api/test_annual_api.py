"""Annual items over HTTP: the year's list, setting, status; refusals write nothing."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from crossrisk.store.models import AnnualItemRow, DutyRow, JournalEntryRow
from tests.support import assert_problem, auth

ITEM: dict[str, Any] = {
    "year": 2027,
    "kind": "plan",
    "title": "汛前联合检查",
    "title_en": "Joint pre-flood inspection",
    "owner": "ema-330100",
    "due": "2027-05-31",
    "serves_kind": None,
    "serves_id": None,
}
PLAN = (Path(__file__).parents[2] / "crossrisk/data/plans/examples/xinan_flood.yaml").read_text()


def written(client: TestClient) -> tuple[int, int, int]:
    engine = client.app.state.engine  # type: ignore[attr-defined]
    with engine.connect() as connection:
        return tuple(  # type: ignore[return-value]
            connection.scalar(select(func.count()).select_from(table))
            for table in (AnnualItemRow, DutyRow, JournalEntryRow)
        )


def add(client: TestClient, tokens: dict[str, str], **changes: Any) -> Any:
    return client.post(
        "/api/annual-items",
        params={"region": "yrd"},
        json={**ITEM, **changes},
        headers=auth(tokens, "committee"),
    )


def test_the_committee_sets_an_item_the_owner_marks_it_done(
    client: TestClient, tokens: dict[str, str]
) -> None:
    plan = client.post(
        "/api/plans",
        params={"region": "yrd"},
        json={"document": PLAN, "note": ""},
        headers=auth(tokens, "committee"),
    )
    assert plan.status_code == 201, plan.text
    plan_id = plan.json()["plan"]["id"]
    missing = add(client, tokens, serves_kind="plan", serves_id=plan_id + 1)
    assert_problem(missing, 422, key="annual-serves-not-found")
    response = add(client, tokens, serves_kind="plan", serves_id=plan_id)
    assert response.status_code == 201, response.text
    item = response.json()
    assert item["status"] == "planned" and item["serves_link"] == f"/committee/plans/{plan_id}"
    assert item["duty"] is not None

    listed = client.get(
        "/api/annual-items",
        params={"region": "yrd", "year": 2027},
        headers=auth(tokens, "hangzhou"),
    )
    assert [i["id"] for i in listed.json()] == [item["id"]]
    done = client.post(
        f"/api/annual-items/{item['id']}/status",
        json={"status": "done"},
        headers=auth(tokens, "hangzhou"),
    )
    assert done.status_code == 200, done.text
    assert done.json()["status"] == "done"
    read = client.get(f"/api/annual-items/{item['id']}", headers=auth(tokens, "committee"))
    assert read.json()["done_by"] == "hangzhou"


@pytest.mark.parametrize(
    ("user", "changes", "status", "key"),
    [
        ("hangzhou", {}, 403, "not-coordinator"),
        ("huangshan-viewer", {}, 403, "not-coordinator"),
        ("committee", {"owner": "ema-440100"}, 422, "annual-owner-not-in-region"),
        ("committee", {"due": "2028-01-01"}, 422, "annual-due-outside-year"),
        ("committee", {"title": "   "}, 422, "text-empty"),
        ("committee", {"title": "a\u0000b"}, 422, "text-control"),
        ("committee", {"serves_kind": "treaty"}, 422, "annual-serves-kind-unknown"),
        ("committee", {"kind": "wish"}, 422, "annual-kind-unknown"),
        ("committee", {"year": 1999, "due": "1999-05-01"}, 422, None),
        ("committee", {"title": "x" * 201}, 422, None),
        ("committee", {"serves_id": 2**63}, 422, None),
        ("committee", {"due": "9999-12-31"}, 422, "annual-due-outside-year"),
    ],
)
def test_a_refused_item_writes_nothing(
    client: TestClient,
    tokens: dict[str, str],
    user: str,
    changes: dict[str, Any],
    status: int,
    key: str | None,
) -> None:
    before = written(client)
    response = client.post(
        "/api/annual-items",
        params={"region": "yrd"},
        json={**ITEM, **changes},
        headers=auth(tokens, user),
    )
    assert_problem(response, status, key=key)
    assert written(client) == before


def test_a_bad_status_step_is_refused_and_writes_nothing(
    client: TestClient, tokens: dict[str, str]
) -> None:
    item = add(client, tokens).json()
    before = written(client)
    path = f"/api/annual-items/{item['id']}/status"
    for user, body, status, key in (
        ("hangzhou", {"status": "cancelled", "reason": "x"}, 403, "annual-step-not-permitted"),
        ("committee", {"status": "deferred", "reason": "x"}, 422, "annual-defer-earlier"),
        ("committee", {"status": "finished"}, 422, "annual-status-unknown"),
        ("other-committee", {"status": "done"}, 404, "annual-item-not-found"),
    ):
        assert_problem(client.post(path, json=body, headers=auth(tokens, user)), status, key=key)
    assert_problem(
        client.post(
            "/api/annual-items/2147483648/status",
            json={"status": "done"},
            headers=auth(tokens, "committee"),
        ),
        422,
    )
    assert written(client) == before
