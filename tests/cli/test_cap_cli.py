"""`crossrisk cap import FILE`: the operator feeds a CAP alert in by hand."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import create_engine, select

from crossrisk.alerts.cap.schema import MAX_CAP_BYTES
from crossrisk.store.models import JournalEntryRow, ReceivedAlertRow, RiskRow
from tests.alerts.cap_samples import EXTERNAL_ENTITY, FLOOD_ID, flood_alert, flood_cancel
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
        (flood_alert(polygon="39.8,116.3 40.0,116.3 40.0,116.5 39.8,116.5 39.8,116.3"), "outside"),
        (flood_alert() + b"<!--" + b"x" * MAX_CAP_BYTES + b"-->", "over 1048576 bytes"),
    ],
    ids=["external-entity", "malformed", "outside-region", "oversized"],
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
