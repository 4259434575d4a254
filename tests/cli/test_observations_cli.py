"""The monitoring commands: stations, ingest file and replay; bad input exits 2 with one line."""

from __future__ import annotations

import json
import re
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy.engine import make_url

from crossrisk.store.models import ObservationRow, RiskRow, StationRow
from tests.databases import SqliteTemplate
from tests.monitoring_support import record
from tests.support import row_counts, run_cli

HYDROGRAPH = """# a short synthetic rise through the Tunxi gauge's blue and yellow levels
station,minutes,value,unit
tunxi,0,23.0,m
tunxi,30,24.0,m
tunxi,60,24.9,m
tunxi,90,25.9,m
tunxi,120,25.5,m
"""


def counts(url: str) -> tuple[int, ...]:
    return row_counts(url, StationRow, ObservationRow, RiskRow)


@pytest.fixture(scope="module")
def loaded_by_cli(
    sqlite_template: SqliteTemplate, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Path]:
    """A database the operator loaded the bundled stations into, once for this module:
    each run of the command starts a Python process and validates every station."""
    url = sqlite_template.fresh()
    result = run_cli(url, tmp_path_factory.mktemp("stations-cli"), "stations", "load", "yrd")
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("stations: 8 added")
    yield Path(make_url(url).database or "")
    sqlite_template.drop(url)


@pytest.fixture
def loaded(loaded_by_cli: Path, tmp_path: Path) -> str:
    """A copy of that database of this test's own."""
    database = tmp_path / "loaded.db"
    shutil.copyfile(loaded_by_cli, database)
    return f"sqlite:///{database}"


def test_replay_feeds_the_hydrograph_and_opens_then_raises_a_risk(
    loaded: str, tmp_path: Path
) -> None:
    path = tmp_path / "rise.csv"
    path.write_text(HYDROGRAPH, "utf-8")
    result = run_cli(
        loaded, tmp_path, "replay", str(path), "--speed", "0", "--start", "2026-07-01T08:00+08:00"
    )
    assert result.returncode == 0, result.stderr
    assert "+60 min  tunxi blue: opened risk 1" in result.stdout
    assert "+90 min  tunxi yellow: raised risk 1" in result.stdout
    assert "stored 5" in result.stdout
    assert counts(loaded) == (8, 5, 1)
    listed = run_cli(loaded, tmp_path, "stations", "list")
    assert "tunxi" in listed.stdout and "25.5 m at 2026-07-01 10:00 UTC+8" in listed.stdout
    assert "fired yellow (risk 1)" in listed.stdout
    # Times as the pages show them: Beijing time to the minute, not UTC ISO stamps.
    warned = run_cli(loaded, tmp_path, "warnings", "list").stdout.splitlines()
    assert warned and all(
        re.search(r"ack by \d{4}-\d\d-\d\d \d\d:\d\d UTC\+8$", line) for line in warned
    ), warned
    assert "+00:00" not in "".join(warned)
    again = run_cli(
        loaded, tmp_path, "replay", str(path), "--speed", "0", "--start", "2026-07-01T08:00+08:00"
    )
    assert again.returncode == 0 and "duplicates 5" in again.stdout
    assert counts(loaded) == (8, 5, 1)


def test_ingest_file_reports_refused_lines_and_stores_the_rest(loaded: str, tmp_path: Path) -> None:
    path = tmp_path / "obs.jsonl"
    path.write_text(
        json.dumps(record(21.0, 0)) + "\n" + json.dumps(record(21.0, 10, unit="cm")) + "\n",
        "utf-8",
    )
    result = run_cli(loaded, tmp_path, "ingest", "file", str(path))
    assert result.returncode == 0, result.stderr
    assert "stored 1, duplicates 0, refused 1" in result.stdout
    assert "line 2: observation-wrong-unit" in result.stderr
    counted = run_cli(loaded, tmp_path, "stations", "refusals")
    assert counted.stdout.split() == ["1", "observation-wrong-unit", "tunxi"]


@pytest.mark.parametrize(
    "args, content, message",
    [
        (("replay", "{file}"), "station,when,value,unit\n", "header must be"),
        (("replay", "{file}", "--start", "tomorrow"), HYDROGRAPH, "not an ISO 8601 time"),
        (("replay", "{file}", "--start", "2026-07-01T08:00"), HYDROGRAPH, "UTC offset"),
        (
            ("replay", "{file}", "--speed", "0"),
            HYDROGRAPH.replace("tunxi", "nowhere"),
            "unknown-station",
        ),
        (("replay", "missing.csv"), None, "cannot read hydrograph"),
        (("ingest", "file", "{file}"), '{"station": "nowhere"}\n', "no observation stored"),
        (("ingest", "file", "{file}"), "\n\n", "holds no observations"),
        (("stations", "load", "{file}"), "region = 'yrd'\n", "lists `[[stations]]`"),
        (("stations", "load", "{file}"), "not toml [", "not TOML"),
    ],
)
def test_bad_input_exits_2_with_one_line(
    loaded: str, tmp_path: Path, args: tuple[str, ...], content: str | None, message: str
) -> None:
    path = tmp_path / "input.txt"
    if content is not None:
        path.write_text(content, "utf-8")
    before = counts(loaded)
    result = run_cli(loaded, tmp_path, *(a.format(file=path) for a in args))
    assert result.returncode == 2, result.stdout + result.stderr
    assert result.stderr.count("\n") == 1 and result.stderr.startswith("error: ")
    assert message in result.stderr
    assert counts(loaded) == before
