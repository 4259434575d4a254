"""`crossrisk drill`: check a file, run a bundled scenario at speed max with --json, list and
show; a bad file exits 2 with one line and writes nothing."""

from __future__ import annotations

import json
from pathlib import Path

from crossrisk.data import bundled_drill_path
from crossrisk.store.models import DrillRow, JournalEntryRow, RiskRow
from tests.support import row_counts, run_cli


def test_run_prints_the_review_as_json_then_list_and_show_find_it(
    sqlite_url: str, tmp_path: Path
) -> None:
    checked = run_cli(sqlite_url, tmp_path, "drill", "check", "xinan_styrene")
    assert checked.returncode == 0, checked.stderr
    assert checked.stdout.startswith("xinan_styrene: 1 hazard(s)")

    ran = run_cli(sqlite_url, tmp_path, "drill", "run", "xinan_styrene", "--speed", "max", "--json")
    assert ran.returncode == 0, ran.stderr
    review = json.loads(ran.stdout)
    assert set(review) == {"drill", "metrics", "cases"}
    assert review["drill"]["state"] == "ended"
    latency = next(
        m for m in review["metrics"] if m["name"] == "ack_latency" and m["party"] == "ema-330100"
    )
    assert (latency["value"], latency["unit"]) == (180.0, "min")
    assert latency["definition"] and latency["definition_zh"]
    late = [c for c in review["cases"] if c["party"] == "ema-330100"]
    assert [(c["kind"], c["state"]) for c in late] == [("duty_late", "opened")]

    listed = run_cli(sqlite_url, tmp_path, "drill", "list")
    assert listed.stdout.startswith("drill 1 · ended · xinan_styrene · speed max")
    assert "UTC+8 · ended " in listed.stdout and "+00:00" not in listed.stdout
    shown = run_cli(sqlite_url, tmp_path, "drill", "show", "1")
    assert "drill.started" in shown.stdout.splitlines()[2]
    assert shown.stdout.rstrip().endswith("drill.ended")
    assert "risk 1 · closed" in shown.stdout
    assert "drill:ema-330100" in shown.stdout and "warning.acknowledged" in shown.stdout
    as_json = run_cli(sqlite_url, tmp_path, "drill", "show", "1", "--json")
    assert json.loads(as_json.stdout)["metrics"] == review["metrics"]


def test_a_bad_file_exits_2_naming_its_first_problem_and_writes_nothing(
    sqlite_url: str, tmp_path: Path
) -> None:
    path = bundled_drill_path("huai_flood")
    assert path is not None
    text = path.read_text("utf-8").replace(
        "station: bengbu-wujiadu\n    values", "station: bengbu\n    values"
    )
    text = text.replace("{offset: 18h, value: 21.9}", "{offset: 30h, value: 21.9}")
    bad = tmp_path / "bad.yaml"
    bad.write_text(text, "utf-8")
    before = row_counts(sqlite_url, DrillRow, RiskRow, JournalEntryRow)

    checked = run_cli(sqlite_url, tmp_path, "drill", "check", str(bad))
    assert checked.returncode == 2
    lines = checked.stdout.splitlines()
    assert len(lines) == 2
    assert "unknown station bengbu" in lines[0] and "beyond the drill's duration" in lines[1]

    ran = run_cli(sqlite_url, tmp_path, "drill", "run", str(bad), "--speed", "max")
    assert ran.returncode == 2 and ran.stdout == ""
    assert ran.stderr.count("\n") == 1
    assert "2 problem(s)" in ran.stderr and "unknown station bengbu" in ran.stderr
    assert row_counts(sqlite_url, DrillRow, RiskRow, JournalEntryRow) == before


def test_bad_options_exit_2(sqlite_url: str, tmp_path: Path) -> None:
    for args in (
        ("drill", "run", "xinan_styrene", "--speed", "fast"),
        ("drill", "run", "xinan_styrene", "--speed", "0"),
        ("drill", "run", "no_such_scenario"),
        ("drill", "show", "99999999999999999999"),
        ("drill", "show", "5"),
    ):
        result = run_cli(sqlite_url, tmp_path, *args)
        assert result.returncode == 2, args
        assert result.stderr.startswith("error: ") and result.stderr.count("\n") == 1
    assert row_counts(sqlite_url, DrillRow) == (0,)


def test_a_run_at_a_speed_says_at_once_how_long_it_takes_and_where_to_follow_it(
    sqlite_url: str, tmp_path: Path
) -> None:
    ran = run_cli(sqlite_url, tmp_path, "drill", "run", "xinan_styrene", "--speed", "100000")
    assert ran.returncode == 0, ran.stderr
    # 12 hours of scenario at 100,000 times real time: 0.4 seconds, 0.0 min.
    assert ran.stderr.startswith("drill 1 running for 0.0 min of real time; follow it at ")
    assert ran.stderr.rstrip().endswith("/drills/1")
    assert ran.stdout.startswith("drill 1 · ended · xinan_styrene · speed 100000")


def test_schema_prints_the_scenario_schema_as_shipped(sqlite_url: str, tmp_path: Path) -> None:
    printed = run_cli(sqlite_url, tmp_path, "drill", "schema")
    assert printed.returncode == 0, printed.stderr
    shipped = Path(__file__).parents[2] / "crossrisk" / "data" / "drills" / "scenario.schema.json"
    assert printed.stdout == shipped.read_text("utf-8")
    assert json.loads(printed.stdout)["$schema"].endswith("/draft/2020-12/schema")
