"""`crossrisk cap import FILE`: the operator feeds a CAP alert in by hand."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import create_engine, select

from crossrisk.alerts.cap.schema import MAX_CAP_BYTES
from crossrisk.store.models import JournalEntryRow, ReceivedAlertRow, RiskRow
from tests.alerts.cap_samples import EXTERNAL_ENTITY, FLOOD_ID, flood_alert, flood_cancel
from tests.alerts.feed_samples import (
    NATIONAL_SENDER,
    amber_alert,
    earthquake_report,
    national_rainstorm,
    thunderstorm_warning,
)
from tests.support import row_counts, run_cli

# These tests are about what receiving does: the samples' senders are registered.
pytestmark = pytest.mark.usefixtures("sample_senders")


def counts(url: str) -> tuple[int, ...]:
    return row_counts(url, RiskRow, JournalEntryRow, ReceivedAlertRow)


def test_import_opens_then_recognises_then_withdraws(database_url: str, tmp_path: Path) -> None:
    alert = tmp_path / "flood.xml"
    alert.write_bytes(flood_alert())
    opened = run_cli(database_url, tmp_path, "cap", "import", str(alert))
    assert opened.returncode == 0, opened.stderr
    assert f"CAP Alert {FLOOD_ID}" in opened.stdout
    assert "opened risk 1 (region yrd, origin 341000, level " in opened.stdout
    again = run_cli(database_url, tmp_path, "cap", "import", str(alert))
    assert again.returncode == 0
    assert "already received; nothing changed" in again.stdout
    cancel = run_cli(database_url, tmp_path, "cap", "import", "-", stdin=flood_cancel())
    assert cancel.returncode == 0, cancel.stderr
    assert "withdrew risk 1" in cancel.stdout
    engine = create_engine(database_url)
    with engine.connect() as connection:
        by = connection.scalars(select(ReceivedAlertRow.received_by)).all()
        status = connection.scalar(select(RiskRow.status))
    engine.dispose()
    assert by == ["cap-import", "cap-import"] and status == "closed"


@pytest.mark.parametrize(
    "content, words",
    [
        (EXTERNAL_ENTITY, "has a DOCTYPE"),
        (b"<alert>", "not well-formed XML"),
        (flood_alert(sent="2099-07-01T09:50:00+08:00"), "after now"),
        (flood_alert() + b"<!--" + b"x" * MAX_CAP_BYTES + b"-->", "over 1048576 bytes"),
    ],
    ids=["external-entity", "malformed", "sent-in-future", "oversized"],
)
def test_bad_input_is_one_line_exit_2_and_changes_nothing(
    database_url: str, tmp_path: Path, content: bytes, words: str
) -> None:
    path = tmp_path / "bad.xml"
    path.write_bytes(content)
    before = counts(database_url)
    result = run_cli(database_url, tmp_path, "cap", "import", str(path))
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1 and result.stderr.startswith("error: ")
    assert words in result.stderr
    assert "root:" not in result.stderr
    assert counts(database_url) == before


def test_a_missing_file_is_one_line_exit_2(database_url: str, tmp_path: Path) -> None:
    result = run_cli(database_url, tmp_path, "cap", "import", str(tmp_path / "nowhere.xml"))
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1 and "cannot read" in result.stderr


LATER = "2036-07-01T09:30:00+08:00"  # in force whatever the test machine's clock


def test_import_of_a_directory_receives_each_file_and_sums_up(
    database_url: str, tmp_path: Path
) -> None:
    feed = tmp_path / "feed"
    feed.mkdir()
    update = national_rainstorm(
        colour="red",
        identifier="34100041600000_20260701095000",
        sent="2026-07-01T09:50:00+08:00",
        msg_type="Update",
        references=f"{NATIONAL_SENDER},34100041600000_20260701093000,2026-07-01T09:30:00+08:00",
        expires=LATER,
    )
    files = {
        "01-blue.xml": national_rainstorm(colour="blue", expires=LATER),
        "02-red.xml": update,
        "03-blue-again.xml": national_rainstorm(colour="blue", expires=LATER),
        "04-thunderstorm.xml": thunderstorm_warning(),
        "05-earthquake.xml": earthquake_report(),
        "06-amber.xml": amber_alert(),
        "07-expired.xml": national_rainstorm(identifier="old", expires="2026-07-01T10:00:00+08:00"),
        "08-exercise.xml": national_rainstorm(identifier="drill", status="Exercise", expires=LATER),
        "09-future.xml": flood_alert(sent="2099-07-01T09:50:00+08:00"),
        "10-broken.xml": b"<alert>",
        "11-cancel-of-nothing.xml": flood_cancel(),
    }
    for name, content in files.items():
        (feed / name).write_bytes(content)
    (feed / "readme.txt").write_text("not an alert")
    result = run_cli(database_url, tmp_path, "cap", "import", str(feed))
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == (
        "opened 1, changed 1, recorded 6 (exercise 1, expired 1, not-placed 1, "
        "outside-region 2, unmatched 1), duplicates 1, refused 2"
    )
    assert lines[1].startswith("refused 09-future.xml: the CAP alert was sent 2099-07-01")
    assert lines[1].endswith("[cap-sent-in-future]")
    assert lines[2].startswith("refused 10-broken.xml: ") and "[cap-malformed]" in lines[2]
    assert len(lines) == 3
    # One risk, raised from blue to red by the Update; each file but the duplicate recorded.
    assert counts(database_url)[0] == 1 and counts(database_url)[2] == 8
    engine = create_engine(database_url)
    with engine.connect() as connection:
        level = connection.scalar(select(RiskRow.level))
        outcomes = connection.scalars(
            select(ReceivedAlertRow.outcome).order_by(ReceivedAlertRow.id)
        ).all()
    engine.dispose()
    assert level == "I"
    assert outcomes[:2] == ["opened", "updated"] and outcomes[-1] == "unmatched"


def test_import_of_an_empty_directory_says_so(database_url: str, tmp_path: Path) -> None:
    empty = tmp_path / "empty"
    empty.mkdir()
    result = run_cli(database_url, tmp_path, "cap", "import", str(empty))
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == [
        "opened 0, changed 0, recorded 0, duplicates 0, refused 0"
    ]


@pytest.mark.parametrize("where", ["missing", "a.xml/inside"])
def test_a_path_that_cannot_be_read_is_one_line_exit_2(
    database_url: str, tmp_path: Path, where: str
) -> None:
    # No directory or file there (the second runs through a file as if it were a
    # directory): refused the same way whoever runs the command, root included.
    (tmp_path / "a.xml").write_bytes(flood_alert())
    before = counts(database_url)
    result = run_cli(database_url, tmp_path, "cap", "import", str(tmp_path / where))
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1 and "cannot read" in result.stderr
    assert counts(database_url) == before
