"""`crossrisk base import | export | template KIND`: teams, equipment and shelters sheets
from the command line."""

from __future__ import annotations

from pathlib import Path

from openpyxl import load_workbook

from crossrisk.store.models import JournalEntryRow
from tests.support import row_counts, run_cli

HEADER = "辖区,场所名称,场所类别,容纳人数,可用容量,经度,纬度,联系方式,共享范围\r\n"
GOOD = (
    HEADER
    + "330100,西湖文化广场,fixed_short,5000,4000,120.16,30.27,,\r\n"
    + "341000,黄山体育馆,emergency,800,800,118.3,29.7,0559-1234,committee\r\n"
)
BAD = (
    HEADER
    + "330100,西湖文化广场,fixed_short,5000,6000,120.16,30.27,,\r\n"
    + "330100,城站,no_class,100,10,120.16,30.27,,\r\n"
    + "341000,黄山体育馆,emergency,many,800,118.3,29.7,,\r\n"
)


def test_a_good_file_imports_and_exports_back(sqlite_url: str, tmp_path: Path) -> None:
    sheet = tmp_path / "shelters.csv"
    sheet.write_text(GOOD, "utf-8-sig")
    done = run_cli(sqlite_url, tmp_path, "base", "import", "shelters", str(sheet))
    assert done.returncode == 0, done.stderr
    assert "imported 2 shelters row(s): 2 new, 0 changed, 0 confirmed; sha256 " in done.stdout

    out = tmp_path / "export.xlsx"
    exported = run_cli(
        sqlite_url, tmp_path, "base", "export", "shelters", "--format", "xlsx", "--out", str(out)
    )
    assert exported.returncode == 0, exported.stderr
    rows = list(load_workbook(out).worksheets[0].iter_rows(values_only=True))
    assert rows[0][:3] == ("辖区", "场所名称", "场所类别")
    assert [r[:4] for r in rows[1:]] == [
        ("330100", "西湖文化广场", "fixed_short", 5000),
        ("341000", "黄山体育馆", "emergency", 800),
    ]
    again = run_cli(sqlite_url, tmp_path, "base", "import", "shelters", str(out))
    assert again.returncode == 0, again.stderr
    assert "0 new, 0 changed, 2 confirmed" in again.stdout


def test_a_bad_file_prints_every_row_and_writes_nothing(sqlite_url: str, tmp_path: Path) -> None:
    sheet = tmp_path / "bad.csv"
    sheet.write_text(BAD, "utf-8-sig")
    before = row_counts(sqlite_url, JournalEntryRow)

    done = run_cli(sqlite_url, tmp_path, "base", "import", "shelters", str(sheet))

    assert done.returncode == 2
    lines = done.stderr.strip().splitlines()
    assert lines[0].startswith("row 2, column 可用容量: available capacity 6000 exceeds")
    assert lines[1].startswith("row 3, column 场所类别: no shelter-class is called 'no_class'")
    assert lines[2] == "row 4, column 容纳人数: 'many' is not a number"
    assert lines[3] == f"error: 3 problem(s) in {sheet}; nothing imported"
    assert row_counts(sqlite_url, JournalEntryRow) == before
    unknown = run_cli(sqlite_url, tmp_path, "base", "import", "stocks", str(sheet))
    assert unknown.returncode == 2


def test_a_city_officer_imports_only_its_own_rows(sqlite_url: str, tmp_path: Path) -> None:
    sheet = tmp_path / "shelters.csv"
    sheet.write_text(GOOD, "utf-8-sig")
    before = row_counts(sqlite_url, JournalEntryRow)
    done = run_cli(
        sqlite_url, tmp_path, "base", "import", "shelters", str(sheet), "--as", "hangzhou"
    )
    assert done.returncode == 2
    assert "row 3, column 辖区: ema-330100 may not keep the records of 341000" in done.stderr
    assert row_counts(sqlite_url, JournalEntryRow) == before


def test_templates(sqlite_url: str, tmp_path: Path) -> None:
    out = tmp_path / "teams.xlsx"
    done = run_cli(
        sqlite_url, tmp_path, "base", "template", "teams", "--lang", "en", "--out", str(out)
    )
    assert done.returncode == 0, done.stderr
    book = load_workbook(out)
    assert book.sheetnames == ["Response teams", "lists", "说明 Instructions"]
    assert [c.value for c in book.worksheets[0][1]][:4] == ["Jurisdiction", "Team", "Kind", "Type"]
    csv = run_cli(sqlite_url, tmp_path, "base", "template", "equipment", "--format", "csv")
    assert csv.stdout.startswith("\ufeff辖区,装备类别,存放地点")
