"""`crossrisk region state`: shown to anyone, switched by a committee officer named with
--as; a refusal is one line, exit 2, nothing written."""

from __future__ import annotations

from pathlib import Path

from crossrisk.store.models import JournalEntryRow
from tests.support import row_counts, run_cli


def test_the_state_is_shown_and_the_committee_switches_it(sqlite_url: str, tmp_path: Path) -> None:
    shown = run_cli(sqlite_url, tmp_path, "region", "state", "--region", "yrd")
    assert shown.returncode == 0, shown.stderr
    assert shown.stdout.strip() == "yrd: normal"

    switched = run_cli(
        sqlite_url,
        tmp_path,
        "region",
        "state",
        "emergency",
        "--reason",
        "淮河蚌埠站超警戒",
        "--as",
        "committee",
    )
    assert switched.returncode == 0, switched.stderr
    assert switched.stdout.startswith("yrd: emergency since ")
    assert "(by committee: 淮河蚌埠站超警戒)" in switched.stdout
    again = run_cli(sqlite_url, tmp_path, "region", "state", "--region", "yrd")
    assert again.stdout.startswith("yrd: emergency since ")


def test_a_switch_by_a_city_or_without_a_user_is_one_line_and_writes_nothing(
    sqlite_url: str, tmp_path: Path
) -> None:
    before = row_counts(sqlite_url, JournalEntryRow)
    for extra in (["--as", "hangzhou"], [], ["--as", "committee", "--reason", ""]):
        refused = run_cli(
            sqlite_url,
            tmp_path,
            "region",
            "state",
            "emergency",
            "--region",
            "yrd",
            "--reason",
            "汛情",
            *extra,
        )
        assert refused.returncode == 2, refused.stdout
        assert len(refused.stderr.strip().splitlines()) == 1
    unknown = run_cli(sqlite_url, tmp_path, "region", "state", "martial", "--as", "committee")
    assert unknown.returncode == 2
    assert row_counts(sqlite_url, JournalEntryRow) == before
    shown = run_cli(sqlite_url, tmp_path, "region", "state", "--as", "hangzhou")
    assert shown.stdout.strip() == "yrd: normal"
    several = run_cli(sqlite_url, tmp_path, "region", "state")
    assert several.returncode == 2 and "--region" in several.stderr
