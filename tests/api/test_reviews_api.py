"""After-action reviews over HTTP: the review's body, ratings by the evaluator, corrective
actions by the committee, the PDF; refusals are problems and write nothing. Both backends."""

from __future__ import annotations

import io
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient
from pypdf import PdfReader

from crossrisk.services import accountability
from crossrisk.store.models import DutyRow, JournalEntryRow, ReviewRatingRow, ReviewRow
from crossrisk.store.uow import UnitOfWork
from tests.support import (
    actor,
    assert_problem,
    auth,
    post_spill,
    row_counts,
)

DUE = (datetime.now(UTC) + timedelta(days=30)).replace(microsecond=0)


@pytest.fixture
def spill(client: TestClient, tokens: dict[str, str]) -> dict[str, Any]:
    return post_spill(client, tokens)


def test_the_review_carries_metrics_timeline_ratings_and_actions(
    client: TestClient, tokens: dict[str, str], spill: dict[str, Any]
) -> None:
    path = f"/api/risks/{spill['id']}/review"
    reported = client.post(
        f"/api/risks/{spill['id']}/reports",
        json={"text": "已围堵"},
        headers=auth(tokens, "huangshan"),
    )
    assert reported.status_code in (200, 201), reported.text
    rated = client.post(
        f"{path}/ratings",
        json={"capability": "operational_coordination", "rating": "S", "strengths": "会商及时"},
        headers=auth(tokens, "evaluator"),
    )
    acted = client.post(
        f"{path}/actions",
        json={
            "capability": "operational_coordination",
            "text": "完善跨市会商机制",
            "owner": "ema-330100",
            "due_at": DUE.isoformat(),
        },
        headers=auth(tokens, "committee"),
    )
    assert rated.status_code == 201, rated.text
    assert acted.status_code == 201, acted.text
    assert acted.json()["duty"]["kind"] == "action"

    body = client.get(path, headers=auth(tokens, "hangzhou")).json()

    metrics = {(m["name"], m["party"]): m for m in body["metrics"]}
    assert metrics[("report_latency", None)]["value"] is not None
    assert metrics[("report_latency", None)]["unit"] == "min"
    assert metrics[("report_latency", None)]["definition"]
    assert metrics[("escalation_latency", None)]["value"] is None
    assert {"name", "value", "unit", "definition"} <= set(body["metrics"][0])
    actions = [e["action"] for e in body["timeline"]]
    assert actions[0] == "risk.registered" and "risk.reported" in actions
    assert not any(a.startswith("review.") for a in actions)
    assert body["ratings"] == [
        {
            "capability": "operational_coordination",
            "rating": "S",
            "strengths": "会商及时",
            "improvements": "",
            "rated_by": "evaluator",
            "rated_at": body["ratings"][0]["rated_at"],
        }
    ]
    (action,) = body["corrective_actions"]
    assert action["owner"] == "ema-330100" and action["duty"]["status"] == "open"

    done = client.post(f"{path}/actions/1/done", json={}, headers=auth(tokens, "hangzhou"))
    assert done.status_code == 200 and done.json()["status"] == "done"


@pytest.mark.parametrize(
    ("user", "rating", "status", "key"),
    [
        ("evaluator", "X", 422, "review-rating-invalid"),
        ("evaluator", "PP", 422, "review-rating-invalid"),
        ("committee", "P", 403, "review-rate-not-evaluator"),
        ("huangshan", "P", 403, "review-rate-not-evaluator"),
    ],
)
def test_a_bad_rating_is_a_problem_and_writes_nothing(
    client: TestClient,
    tokens: dict[str, str],
    database_url: str,
    spill: dict[str, Any],
    user: str,
    rating: str,
    status: int,
    key: str,
) -> None:
    before = row_counts(database_url, JournalEntryRow, ReviewRow, ReviewRatingRow)

    response = client.post(
        f"/api/risks/{spill['id']}/review/ratings",
        json={"capability": "operational_coordination", "rating": rating},
        headers=auth(tokens, user),
    )

    assert_problem(response, status, key=key)
    assert row_counts(database_url, JournalEntryRow, ReviewRow, ReviewRatingRow) == before


@pytest.mark.parametrize(
    ("changes", "status", "key"),
    [
        ({"owner": ""}, 422, "review-action-no-owner"),
        ({"owner": "pearl-committee"}, 422, "review-action-owner-not-of-region"),
        ({"due_at": "2020-01-01T00:00:00+08:00"}, 422, "review-action-due-out-of-range"),
        ({"due_at": "9999-12-31T23:00:00-12:00"}, 422, None),
        ({"text": "整\u0000改"}, 422, "text-control"),
        ({"text": "x" * 501}, 422, None),
    ],
)
def test_a_bad_corrective_action_is_a_problem_and_writes_nothing(
    client: TestClient,
    tokens: dict[str, str],
    database_url: str,
    spill: dict[str, Any],
    changes: dict[str, Any],
    status: int,
    key: str | None,
) -> None:
    before = row_counts(database_url, JournalEntryRow, ReviewRow, DutyRow)
    action = {
        "capability": "operational_coordination",
        "text": "完善跨市会商机制",
        "owner": "ema-330100",
        "due_at": DUE.isoformat(),
        **changes,
    }

    response = client.post(
        f"/api/risks/{spill['id']}/review/actions", json=action, headers=auth(tokens, "committee")
    )

    assert_problem(response, status, key=key)
    assert row_counts(database_url, JournalEntryRow, ReviewRow, DutyRow) == before


def test_the_review_pdf_names_its_metrics(
    client: TestClient, tokens: dict[str, str], spill: dict[str, Any]
) -> None:
    response = client.get(
        f"/api/risks/{spill['id']}/review.pdf",
        params={"lang": "en"},
        headers=auth(tokens, "hangzhou"),
    )

    assert response.status_code == 200
    assert response.headers["content-type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    assert "Report latency" in text and "Duties done in time" in text


def test_an_unknown_risk_has_no_review(client: TestClient, tokens: dict[str, str]) -> None:
    assert_problem(client.get("/api/risks/999999/review", headers=auth(tokens, "hangzhou")), 404)


def test_the_review_carries_the_cases_its_record_opened(
    client: TestClient, tokens: dict[str, str], spill: dict[str, Any]
) -> None:
    path = f"/api/risks/{spill['id']}/review"
    assert client.get(path, headers=auth(tokens, "committee")).json()["cases"] == []
    # A day later every duty of the spill is overdue: the committee's detection opens cases.
    uow = UnitOfWork(client.app.state.engine)  # type: ignore[attr-defined]
    accountability.detect(
        uow,
        actor(uow, "yrd-committee"),
        risk_id=spill["id"],
        now=datetime.now(UTC) + timedelta(days=1),
    )
    cases = client.get(path, headers=auth(tokens, "committee")).json()["cases"]
    own = client.get(path, headers=auth(tokens, "hangzhou")).json()["cases"]
    assert {"ema-330100", "ema-341000"} <= {c["party"] for c in cases}
    assert [c["party"] for c in own] == ["ema-330100"]
    assert all(c["risk_id"] == spill["id"] and c["state"] == "opened" for c in cases)
