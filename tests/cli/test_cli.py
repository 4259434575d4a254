"""The command line: what it lists, what it does, and one line with exit 2 for bad input."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from crossrisk.store.models import JournalEntryRow, UserRow
from tests.services.test_regions import COUNTIES
from tests.support import row_counts, run_cli


def counts(url: str) -> tuple[int, ...]:
    return row_counts(url, UserRow, JournalEntryRow)


def test_help_lists_the_commands(sqlite_url: str, tmp_path: Path) -> None:
    out = run_cli(sqlite_url, tmp_path, "--help").stdout
    for command in ("init", "serve", "demo", "region", "user", "journal"):
        assert command in out
    assert "load" in run_cli(sqlite_url, tmp_path, "region", "--help").stdout
    assert "add" in run_cli(sqlite_url, tmp_path, "user", "--help").stdout
    assert "verify" in run_cli(sqlite_url, tmp_path, "journal", "--help").stdout


def test_user_add_then_journal_verify(sqlite_url: str, tmp_path: Path) -> None:
    added = run_cli(
        sqlite_url,
        tmp_path,
        "user",
        "add",
        "ningbo",
        "--org",
        "ema-330200",
        "--password-stdin",
        stdin="a long enough secret\n",
    )
    assert added.returncode == 0, added.stderr
    assert "ningbo added to ema-330200" in added.stdout
    verified = run_cli(sqlite_url, tmp_path, "journal", "verify")
    assert verified.returncode == 0
    assert verified.stdout.startswith("journal intact:")


@pytest.mark.parametrize(
    "args, stdin, message",
    [
        (
            ("user", "add", "ningbo", "--org", "ema-999999", "--password-stdin"),
            "a long enough secret\n",
            "organisation 'ema-999999' does not exist",
        ),
        (
            ("user", "add", "ningbo", "--org", "ema-330200", "--password-stdin"),
            "short\n",
            "at least 10 characters",
        ),
        (
            ("user", "add", "Bad Name", "--org", "ema-330200", "--password-stdin"),
            "a long enough secret\n",
            "username must be",
        ),
        (("region", "load", "/nonexistent.geojson"), "", "no region file at /nonexistent.geojson"),
    ],
)
def test_bad_input_is_one_line_exit_2_and_changes_nothing(
    sqlite_url: str, tmp_path: Path, args: tuple[str, ...], stdin: str, message: str
) -> None:
    before = counts(sqlite_url)
    result = run_cli(sqlite_url, tmp_path, *args, stdin=stdin)
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert message in lines[0]
    assert counts(sqlite_url) == before


def test_bad_region_file_is_one_line_exit_2(sqlite_url: str, tmp_path: Path) -> None:
    bad = tmp_path / "bad.geojson"
    bad.write_text('{"type": "FeatureCollection", "features": [', "utf-8")
    result = run_cli(sqlite_url, tmp_path, "region", "load", str(bad))
    assert result.returncode == 2
    assert len(result.stderr.strip().splitlines()) == 1
    assert "is not JSON" in result.stderr


def test_region_load_takes_any_geojson(sqlite_url: str, tmp_path: Path) -> None:
    path = tmp_path / "counties.geojson"
    path.write_text(json.dumps(COUNTIES, ensure_ascii=False), "utf-8")
    result = run_cli(sqlite_url, tmp_path, "region", "load", str(path))
    assert result.returncode == 0, result.stderr
    assert "region lake: 3 jurisdictions, 3 members, 1 neighbouring pairs" in result.stdout


def test_journal_verify_exits_1_naming_the_broken_entry(sqlite_url: str, tmp_path: Path) -> None:
    engine = create_engine(sqlite_url)
    with engine.begin() as connection:
        connection.execute(text("UPDATE journal_entries SET action = 'forged' WHERE seq = 3"))
    engine.dispose()
    result = run_cli(sqlite_url, tmp_path, "journal", "verify")
    assert result.returncode == 1
    assert "journal broken at entry 3" in result.stderr


def test_init_creates_a_database_with_the_bundled_region(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'fresh.db'}"
    result = run_cli(url, tmp_path, "init")
    assert result.returncode == 0, result.stderr
    assert "region yrd: 49 jurisdictions, 41 members" in result.stdout


def test_reach_prints_the_table_for_a_geojson_hazard(sqlite_url: str, tmp_path: Path) -> None:
    hazard = tmp_path / "spill.geojson"
    hazard.write_text('{"type": "Point", "coordinates": [118.32, 29.71]}', "utf-8")
    result = run_cli(
        sqlite_url,
        tmp_path,
        "reach",
        str(hazard),
        "--type",
        "river_spill",
        "--param",
        "substance=styrene",
        "--param",
        "mass_kg=20000",
        "--param",
        "release_hours=6",
    )
    assert result.returncode == 0, result.stderr
    assert "river_spill (spill)" in result.stdout
    assert "peak mg/L  peak (h)  over (h)  lake" in result.stdout
    assert "330100" in result.stdout
    assert "situation: spillover" in result.stdout
    assert "lead       ema-341000" in result.stdout


def test_reach_refuses_a_bad_parameter_in_one_line(sqlite_url: str, tmp_path: Path) -> None:
    hazard = tmp_path / "gas.geojson"
    hazard.write_text('{"type": "Point", "coordinates": [121.0, 31.3]}', "utf-8")
    result = run_cli(
        sqlite_url,
        tmp_path,
        "reach",
        str(hazard),
        "--type",
        "gas_release",
        "--param",
        "stability=G",
    )
    assert result.returncode == 2
    assert result.stderr.strip() == "error: stability must be one of A, B, C, D, E, F, got 'G'"
