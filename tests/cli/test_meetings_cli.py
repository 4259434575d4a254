"""`crossrisk meeting …`: convene, minutes, decide, show and cancel; bad input refused in one
line, exit 2, with nothing written."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

from crossrisk.store.models import DutyRow, JournalEntryRow, MeetingRow
from tests.support import row_counts, run_cli

START = (datetime.now(UTC) + timedelta(days=1)).replace(microsecond=0)
CONVENE = [
    "meeting",
    "convene",
    "--region",
    "yrd",
    "--title",
    "汛期协调会",
    "--start",
    START.isoformat(),
    "--place",
    "上海",
    "--agenda",
    "汛情通报",
    "--invite",
    "ema-330100",
    "--as",
    "committee",
]


def test_the_committee_convenes_holds_and_decides(sqlite_url: str, tmp_path: Path) -> None:
    made = run_cli(sqlite_url, tmp_path, *CONVENE)
    assert made.returncode == 0, made.stderr
    assert made.stdout.startswith("meeting 1 · scheduled")

    held = run_cli(
        sqlite_url, tmp_path, "meeting", "minutes", "1", "--text", "纪要", "--as", "committee"
    )
    due = (START + timedelta(days=3)).isoformat()
    decided = run_cli(
        sqlite_url,
        tmp_path,
        "meeting",
        "decide",
        "1",
        "--owner",
        "ema-330100",
        "--due",
        due,
        "--text",
        "报送清单",
        "--as",
        "committee",
    )
    shown = run_cli(sqlite_url, tmp_path, "meeting", "show", "1")

    assert held.returncode == 0 and "· held ·" in held.stdout
    assert decided.returncode == 0, decided.stderr
    assert decided.stdout.startswith("decision 1 of meeting 1 · duty ")
    document = json.loads(shown.stdout)
    assert document["decisions"][0]["duty_status"] == "open"
    assert document["invitations"] == [
        {"organisation": "ema-330100", "attendance": None, "attendees": ""}
    ]


def test_bad_input_exits_2_with_one_line_and_writes_nothing(
    sqlite_url: str, tmp_path: Path
) -> None:
    before = row_counts(sqlite_url, JournalEntryRow, MeetingRow, DutyRow)
    for args in (
        [*CONVENE[:-2], "--as", "hangzhou"],  # a city does not convene
        [*CONVENE, "--video", "http://meet.example.org/x"],
        [*CONVENE[:7], "2026-07-01T09:00", *CONVENE[8:]],  # no offset
        [*CONVENE[:7], "not a time", *CONVENE[8:]],
        ["meeting", "cancel", "99", "--reason", "改期"],
        ["meeting", "show", str(2**63)],
    ):
        refused = run_cli(sqlite_url, tmp_path, *args)
        assert refused.returncode == 2, (args, refused.stdout, refused.stderr)
        assert len(refused.stderr.strip().splitlines()) == 1, refused.stderr
    assert row_counts(sqlite_url, JournalEntryRow, MeetingRow, DutyRow) == before
