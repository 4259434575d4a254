"""`crossrisk annual list|add|done`: items set, listed and marked done; bad input refused
in one line with nothing written."""

from __future__ import annotations

from pathlib import Path

from crossrisk.store.models import AnnualItemRow, DutyRow, JournalEntryRow
from tests.support import row_counts, run_cli

ADD = [
    "annual", "add", "--year", "2027", "--kind", "cooperation", "--title", "联合防汛演练",
    "--owner", "ema-330100", "--due", "2027-06-30",
]  # fmt: skip
SERVES = ["--serves-kind", "agreement", "--serves-id", "1"]


def test_the_committee_adds_the_owner_marks_done(sqlite_url: str, tmp_path: Path) -> None:
    added = run_cli(sqlite_url, tmp_path, *ADD, "--as", "committee")
    assert added.returncode == 0, added.stderr
    item_id = added.stdout.split("\t")[0]
    assert "\tplanned\tema-330100\t联合防汛演练\t\n" in added.stdout

    done = run_cli(sqlite_url, tmp_path, "annual", "done", item_id, "--as", "hangzhou")
    assert done.returncode == 0, done.stderr
    listed = run_cli(sqlite_url, tmp_path, "annual", "list", "--year", "2027", "--region", "yrd")
    assert listed.stdout.splitlines() == done.stdout.splitlines()
    assert "\tdone\t" in listed.stdout


def test_bad_input_exits_2_with_one_line(sqlite_url: str, tmp_path: Path) -> None:
    before = row_counts(sqlite_url, AnnualItemRow, DutyRow, JournalEntryRow)
    for args in (
        [*ADD, "--as", "hangzhou"],  # a city does not set items
        [*ADD[:3], "1999", *ADD[4:], "--as", "committee"],
        [*ADD[:3], "20x7", *ADD[4:], "--as", "committee"],
        [*ADD[:5], "wish", *ADD[6:], "--as", "committee"],
        [*ADD[:9], "ema-440100", *ADD[10:], "--as", "committee"],
        [*ADD[:11], "2028-01-01", *ADD[12:], "--as", "committee"],
        [*ADD, *SERVES[:1], "treaty", *SERVES[2:], "--as", "committee"],
        [*ADD, *SERVES[:3], str(2**63), "--as", "committee"],
        [*ADD, *SERVES, "--as", "committee"],  # no agreement 1 in the region
        ["annual", "done", "0"],
        ["annual", "done", "999999"],
    ):
        result = run_cli(sqlite_url, tmp_path, *args)
        assert result.returncode == 2, (args, result.stdout, result.stderr)
        assert len(result.stderr.strip().splitlines()) == 1, (args, result.stderr)
    assert row_counts(sqlite_url, AnnualItemRow, DutyRow, JournalEntryRow) == before
