"""Meeting rules, pure: drafts checked and bounded, states, decisions, the iCalendar text."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest

from crossrisk.domain.errors import Conflict, InvalidInput
from crossrisk.domain.meeting import (
    Attendance,
    Invitation,
    Meeting,
    MeetingDraft,
    MeetingState,
    check_draft,
    check_video_url,
    decision_task,
    vevent,
)

NOW = datetime(2026, 7, 1, 2, 0, tzinfo=UTC)
START = NOW + timedelta(days=2)


def a_draft(**changes: object) -> MeetingDraft:
    base = MeetingDraft(
        region_code="yrd",
        title=" 汛期协调会 ",
        starts_at=START,
        agenda=("汛情通报",),
        invited=("ema-330100", "ema-330100", " ema-341000 "),
        place="上海",
    )
    return replace(base, **changes)  # type: ignore[arg-type]


def a_meeting(**changes: object) -> Meeting:
    base = Meeting(
        id=7,
        region_code="yrd",
        risk_id=None,
        title="汛期协调会, 第一次; 会商",
        starts_at=START,
        ends_at=START + timedelta(hours=2),
        place="上海",
        video_url="",
        agenda=("汛情通报", "物资调配"),
        invitations=(Invitation("ema-330100"), Invitation("ema-341000")),
        state=MeetingState.SCHEDULED,
        convened_at=NOW,
        convened_by="committee",
    )
    return replace(base, **changes)  # type: ignore[arg-type]


def test_a_draft_is_trimmed_and_invites_each_organisation_once() -> None:
    checked = check_draft(a_draft(), now=NOW)

    assert checked.title == "汛期协调会"
    assert checked.invited == ("ema-330100", "ema-341000")


@pytest.mark.parametrize(
    "url", ["http://x.example", "ftp://x.example/a", "https://", "https://a b.example", "x"]
)
def test_only_an_https_link_with_a_host_is_a_video_link(url: str) -> None:
    with pytest.raises(InvalidInput):
        check_video_url(url)


def test_an_https_link_is_kept() -> None:
    assert check_video_url(" https://meet.example.org/a?b=1 ") == "https://meet.example.org/a?b=1"


@pytest.mark.parametrize(
    "changes",
    [
        {"starts_at": NOW + timedelta(days=800)},
        {"starts_at": NOW - timedelta(days=400)},
        {"ends_at": START},
        {"ends_at": START + timedelta(days=8)},
        {"place": ""},
        {"agenda": ()},
        {"agenda": ("",)},
        {"invited": (" ",)},
    ],
)
def test_a_bad_draft_is_refused(changes: dict[str, object]) -> None:
    with pytest.raises(InvalidInput):
        check_draft(a_draft(**changes), now=NOW)


def test_minutes_make_a_meeting_held_and_decisions_are_numbered() -> None:
    held = a_meeting().with_minutes("纪要", by="committee", now=START)

    first = held.decision("报送清单", owner_code="ema-330100", due_at=START, by="c", now=START)
    second = replace(held, decisions=(first,)).decision(
        "加密监测", owner_code="ema-341000", due_at=START, by="c", now=START
    )

    assert held.state is MeetingState.HELD
    assert (first.number, second.number) == (1, 2)
    assert decision_task(7, second.number) == "meeting-7-decision-2"


def test_a_decision_waits_for_the_minutes_and_a_held_meeting_is_not_cancelled() -> None:
    with pytest.raises(Conflict):
        a_meeting().decision("x", owner_code="ema-330100", due_at=START, by="c", now=NOW)
    held = a_meeting().with_minutes("纪要", by="committee", now=START)
    with pytest.raises(Conflict):
        held.cancelled("改期", by="committee", now=START)


def test_attendance_is_only_for_the_invited() -> None:
    meeting = a_meeting().with_attendance({"ema-330100": (Attendance.EXCUSED, "")})

    assert meeting.invitations[0].attendance is Attendance.EXCUSED
    with pytest.raises(InvalidInput):
        meeting.with_attendance({"ema-310000": (Attendance.PRESENT, "")})


def test_the_calendar_event_escapes_its_text_and_folds_long_lines() -> None:
    text = vevent(a_meeting(place="杭州" * 40), now=NOW)

    assert text.startswith("BEGIN:VCALENDAR\r\n") and text.endswith("END:VCALENDAR\r\n")
    assert "SUMMARY:汛期协调会\\, 第一次\\; 会商" in text
    assert "DTSTART:20260703T020000Z" in text and "DTEND:20260703T040000Z" in text
    for line in text.split("\r\n"):
        assert len(line.encode("utf-8")) <= 75
