"""Coordination meetings over HTTP: convene, minutes, a decision as a duty; refusals write
nothing; both backends."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient

from crossrisk.store.models import JournalEntryRow, MeetingDecisionRow, MeetingRow
from tests.support import assert_problem, auth, row_counts

START = (datetime.now(UTC) + timedelta(days=1)).replace(microsecond=0)


def body(**changes: Any) -> dict[str, Any]:
    return {
        "region": "yrd",
        "title": "长三角汛期协调会",
        "starts_at": START.isoformat(),
        "ends_at": (START + timedelta(hours=2)).isoformat(),
        "place": "上海",
        "video_url": "https://meet.example.org/yrd",
        "agenda": ["汛情通报", "物资调配"],
        "invited": ["ema-330100", "ema-341000"],
        **changes,
    }


def convene(client: TestClient, tokens: dict[str, str]) -> dict[str, Any]:
    made = client.post("/api/meetings", json=body(), headers=auth(tokens, "committee"))
    assert made.status_code == 201, made.text
    return dict(made.json())


def test_the_committee_convenes_holds_and_decides(
    client: TestClient, tokens: dict[str, str]
) -> None:
    meeting = convene(client, tokens)
    assert meeting["state"] == "scheduled" and meeting["agenda"] == ["汛情通报", "物资调配"]
    path = f"/api/meetings/{meeting['id']}"
    committee = auth(tokens, "committee")

    attended = client.post(
        f"{path}/attendance",
        json={"attendance": [{"organisation": "ema-330100", "attendance": "present"}]},
        headers=committee,
    )
    held = client.post(f"{path}/minutes", json={"minutes": "会议纪要"}, headers=committee)
    decided = client.post(
        f"{path}/decisions",
        json={
            "text": "杭州报送防汛物资清单",
            "owner": "ema-330100",
            "due_at": (START + timedelta(days=7)).isoformat(),
        },
        headers=committee,
    )

    assert (
        attended.status_code == 200 and attended.json()["invitations"][0]["attendance"] == "present"
    )
    assert held.status_code == 200 and held.json()["state"] == "held"
    assert decided.status_code == 201, decided.text
    duty = decided.json()["duty"]
    assert duty["kind"] == "action" and duty["organisation"] == "ema-330100"
    mine = client.get("/api/duties", headers=auth(tokens, "hangzhou")).json()
    assert duty["id"] in {d["id"] for d in mine}
    assert (
        client.get(path, headers=auth(tokens, "hangzhou")).json()["decisions"][0]["duty_id"]
        == duty["id"]
    )
    listed = client.get("/api/meetings", headers=auth(tokens, "hangzhou")).json()
    assert [m["id"] for m in listed] == [meeting["id"]]


@pytest.mark.parametrize(
    ("changes", "status", "key"),
    [
        ({"video_url": "http://meet.example.org/x"}, 422, "meeting-video-url-invalid"),
        ({"agenda": ["汛情通报", " "]}, 422, "text-empty"),
        ({"title": "x" * 201}, 422, None),
        ({"title": "会\u0000议"}, 422, "text-control"),
        ({"risk_id": 2**63}, 422, None),
        ({"starts_at": "9999-12-31T23:00:00-12:00"}, 422, None),
        ({"starts_at": "2026-07-01T09:00:00"}, 422, "time-no-offset"),
        ({"invited": ["ema-440100"]}, 422, "meeting-organisation-not-of-region"),
    ],
)
def test_a_bad_meeting_is_refused_with_a_problem_and_nothing_is_written(
    client: TestClient,
    tokens: dict[str, str],
    database_url: str,
    changes: dict[str, Any],
    status: int,
    key: str | None,
) -> None:
    before = row_counts(database_url, JournalEntryRow, MeetingRow)

    response = client.post("/api/meetings", json=body(**changes), headers=auth(tokens, "committee"))

    assert_problem(response, status, key=key)
    assert row_counts(database_url, JournalEntryRow, MeetingRow) == before


@pytest.mark.parametrize("user", ["hangzhou", "huangshan-viewer", "other-committee"])
def test_a_city_a_viewer_or_another_committee_may_not_convene(
    client: TestClient, tokens: dict[str, str], database_url: str, user: str
) -> None:
    before = row_counts(database_url, JournalEntryRow, MeetingRow)

    response = client.post("/api/meetings", json=body(), headers=auth(tokens, user))

    assert_problem(response, 403)
    assert row_counts(database_url, JournalEntryRow, MeetingRow) == before


@pytest.mark.parametrize(
    ("changes", "key"),
    [
        ({"owner": ""}, "decision-owner-missing"),
        ({"owner": "pearl-committee"}, "meeting-organisation-not-of-region"),
        ({"due_at": (START - timedelta(days=1)).isoformat()}, "decision-due-out-of-range"),
        ({"due_at": "9999-01-01T00:00:00+00:00"}, "decision-due-out-of-range"),
    ],
)
def test_a_bad_decision_is_refused_and_nothing_is_written(
    client: TestClient,
    tokens: dict[str, str],
    database_url: str,
    changes: dict[str, Any],
    key: str,
) -> None:
    meeting = convene(client, tokens)
    path = f"/api/meetings/{meeting['id']}"
    client.post(f"{path}/minutes", json={"minutes": "纪要"}, headers=auth(tokens, "committee"))
    before = row_counts(database_url, JournalEntryRow, MeetingDecisionRow)
    decision = {
        "text": "报送清单",
        "owner": "ema-330100",
        "due_at": (START + timedelta(days=7)).isoformat(),
        **changes,
    }

    response = client.post(f"{path}/decisions", json=decision, headers=auth(tokens, "committee"))

    assert_problem(response, 422, key=key)
    assert row_counts(database_url, JournalEntryRow, MeetingDecisionRow) == before


def test_an_unknown_meeting_is_not_found(client: TestClient, tokens: dict[str, str]) -> None:
    assert_problem(
        client.get("/api/meetings/999", headers=auth(tokens, "committee")),
        404,
        key="meeting-not-found",
    )
