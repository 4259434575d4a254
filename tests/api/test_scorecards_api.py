"""Assessments, scorecards and the reward list over HTTP: bodies, problems, nothing written
on refusal; both backends."""

from __future__ import annotations

import json
from typing import Any

import pytest
from fastapi.testclient import TestClient

from crossrisk.store.models import AssessmentRow, JournalEntryRow
from tests.support import assert_problem, auth, row_counts

PERIOD = "from=2026-07-01&to=2026-09-30"


def body(**changes: Any) -> dict[str, Any]:
    return {
        "region": "yrd",
        "organisation": "ema-330100",
        "period_start": "2026-07-01",
        "period_end": "2026-09-30",
        "scores": {"information_reporting": 92, "joint_response": 88},
        "note": "三季度第三方评估",
        **changes,
    }


def test_the_evaluator_files_and_the_scorecard_and_reward_list_show_it(
    client: TestClient, tokens: dict[str, str]
) -> None:
    filed = client.post("/api/assessments", json=body(), headers=auth(tokens, "evaluator"))
    assert filed.status_code == 201, filed.text
    made = filed.json()
    assert made["kind"] == "third_party" and made["assessor"] == "yrd-evaluator"
    assert made["scores"] == {"information_reporting": 92.0, "joint_response": 88.0}
    own = client.post(
        "/api/assessments",
        json=body(scores={"information_reporting": 100}),
        headers=auth(tokens, "hangzhou"),
    )
    assert own.status_code == 201 and own.json()["kind"] == "self"

    listed = client.get("/api/assessments?region=yrd", headers=auth(tokens, "committee"))
    assert [a["id"] for a in listed.json()] == [own.json()["id"], made["id"]]

    card = client.get(f"/api/scorecards/ema-330100?{PERIOD}", headers=auth(tokens, "committee"))
    assert card.status_code == 200, card.text
    shown = card.json()
    assert shown["assessment"]["basis"] == "both"
    reporting = shown["assessment"]["criteria"][0]
    assert reporting == {
        "key": "information_reporting",
        "third_party": 92.0,
        "self_assessed": 100.0,
        "combined": pytest.approx(94.4),
    }
    assert [p["label"] for p in shown["trend"]] == ["2026-07", "2026-08", "2026-09"]
    assert shown["duties"]["counts"]["in_time"] == 0 and shown["cases"] == []

    ranked = client.get(f"/api/regions/yrd/rewards?{PERIOD}", headers=auth(tokens, "committee"))
    assert ranked.status_code == 200
    first = ranked.json()[0]
    assert first["organisation"] == "ema-330100" and first["rank"] == 1
    assert first["verdict"] == "reward" and first["reasons"] == ["top_score"]


@pytest.mark.parametrize(
    ("user", "changes", "status", "key"),
    [
        ("huangshan", {}, 403, "assessment-not-evaluator"),
        ("committee", {}, 403, "assessment-not-evaluator"),
        ("evaluator", {"scores": {"nope": 1}}, 422, "assessment-criterion-unknown"),
        ("evaluator", {"scores": {"joint_response": -1}}, 422, "assessment-score-out-of-scale"),
        ("evaluator", {"scores": {}}, 422, None),
        ("evaluator", {"period_start": "0001-01-01"}, 422, "evaluation-period-out-of-range"),
        ("evaluator", {"period_end": "9999-12-31"}, 422, "evaluation-period-out-of-range"),
        ("evaluator", {"period_end": "2026-06-01"}, 422, "evaluation-period-inverted"),
        ("evaluator", {"organisation": "yrd-committee"}, 422, "assessment-member-not-of-region"),
        ("evaluator", {"note": "坏\u0000"}, 422, "text-control"),
        ("evaluator", {"note": "x" * 2001}, 422, None),
        ("evaluator", {"organisation": "x" * 65}, 422, None),
    ],
)
def test_a_refused_assessment_is_a_problem_and_writes_nothing(
    client: TestClient,
    tokens: dict[str, str],
    database_url: str,
    user: str,
    changes: dict[str, Any],
    status: int,
    key: str | None,
) -> None:
    before = row_counts(database_url, JournalEntryRow, AssessmentRow)

    response = client.post("/api/assessments", json=body(**changes), headers=auth(tokens, user))

    assert_problem(response, status, key=key)
    assert row_counts(database_url, JournalEntryRow, AssessmentRow) == before


def test_a_score_beyond_float_range_is_refused_and_writes_nothing(
    client: TestClient, tokens: dict[str, str], database_url: str
) -> None:
    before = row_counts(database_url, JournalEntryRow, AssessmentRow)
    text = json.dumps(body()).replace("92", "1e400")

    response = client.post(
        "/api/assessments",
        content=text,
        headers={**auth(tokens, "evaluator"), "Content-Type": "application/json"},
    )

    assert_problem(response, 422)
    assert row_counts(database_url, JournalEntryRow, AssessmentRow) == before


@pytest.mark.parametrize(
    ("path", "user", "status", "key"),
    [
        ("/api/scorecards/ema-330100?from=2026-09-01&to=2026-07-01", "committee", 422, None),
        ("/api/scorecards/ema-330100?from=0001-01-01&to=2026-07-01", "committee", 422, None),
        ("/api/scorecards/ema-330100?from=2026-13-01&to=2026-07-01", "committee", 422, None),
        ("/api/scorecards/yrd-committee?" + PERIOD, "committee", 422, "scorecard-not-a-member"),
        ("/api/scorecards/ema-330100?" + PERIOD, "other-committee", 403, None),
        ("/api/scorecards/nobody?" + PERIOD, "committee", 404, None),
        ("/api/regions/yrd/rewards?" + PERIOD, "other-committee", 403, None),
        ("/api/regions/yrd/rewards?from=2026-07-01", "committee", 422, None),
    ],
)
def test_a_bad_scorecard_request_is_a_problem(
    client: TestClient, tokens: dict[str, str], path: str, user: str, status: int, key: str | None
) -> None:
    assert_problem(client.get(path, headers=auth(tokens, user)), status, key=key)
