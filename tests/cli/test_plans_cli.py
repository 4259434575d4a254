"""`crossrisk plan list | import | export | activate`: contingency plans from the shell."""

from __future__ import annotations

from pathlib import Path

from crossrisk.store.models import ContingencyPlanRow, JournalEntryRow, PlanActivationRow
from tests.support import row_counts, run_cli

EXAMPLE = (
    Path(__file__).parents[2] / "crossrisk" / "data" / "plans" / "examples" / "xinan_flood.yaml"
)


def test_a_plan_imports_lists_and_exports_back(sqlite_url: str, tmp_path: Path) -> None:
    done = run_cli(sqlite_url, tmp_path, "plan", "import", str(EXAMPLE), "--region", "yrd")
    assert done.returncode == 0, done.stderr
    assert "xinan-flood version 1" in done.stdout
    listed = run_cli(sqlite_url, tmp_path, "plan", "list")
    assert listed.returncode == 0, listed.stderr
    rows = [line.split("\t") for line in listed.stdout.splitlines()[1:]]
    assert [row[:3] for row in rows] == [["0", "default", "1"], [rows[1][0], "xinan-flood", "1"]]
    out = tmp_path / "out.yaml"
    exported = run_cli(sqlite_url, tmp_path, "plan", "export", rows[1][0], "--out", str(out))
    assert exported.returncode == 0, exported.stderr
    assert out.read_text("utf-8") == EXAMPLE.read_text("utf-8")


def test_a_bad_file_or_activation_exits_2_with_one_line_and_writes_nothing(
    sqlite_url: str, tmp_path: Path
) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text(EXAMPLE.read_text("utf-8").replace("role: central_office", "role: mayor"))
    before = row_counts(sqlite_url, ContingencyPlanRow, PlanActivationRow, JournalEntryRow)
    refused = run_cli(sqlite_url, tmp_path, "plan", "import", str(bad))
    assert refused.returncode == 2
    assert len(refused.stderr.strip().splitlines()) == 1
    assert "unknown role mayor" in refused.stderr and "line " in refused.stderr
    missing = run_cli(sqlite_url, tmp_path, "plan", "activate", "1", "0", "--reason", "x")
    assert missing.returncode == 2 and len(missing.stderr.strip().splitlines()) == 1
    huge = run_cli(sqlite_url, tmp_path, "plan", "export", str(2**63))
    assert huge.returncode == 2
    assert row_counts(sqlite_url, ContingencyPlanRow, PlanActivationRow, JournalEntryRow) == before
