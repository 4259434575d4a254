"""`crossrisk stocks import | export | template`: the sheets from the command line."""

from __future__ import annotations

from pathlib import Path

from openpyxl import load_workbook

from crossrisk.store.models import JournalEntryRow, StockAdjustmentRow, StockRow
from tests.support import row_counts, run_cli

HEADER = "辖区,物资,数量,单位,仓库,经度,纬度,有效期至,共享范围\r\n"
GOOD = (
    HEADER
    + "330100,tent,10,,萧山仓,120.26,30.18,,\r\n341000,blanket,2,bale,屯溪库,118.3,29.7,,\r\n"
)
BAD = (
    HEADER
    + "330100,tent,ten,,萧山仓,120.26,30.18,,\r\n"
    + "330100,unicorn,1,,萧山仓,120.26,30.18,,\r\n"
    + "341000,blanket,1,,屯溪库,118.3,95,,\r\n"
)


def test_a_good_file_imports_and_exports_back(sqlite_url: str, tmp_path: Path) -> None:
    sheet = tmp_path / "stocks.csv"
    sheet.write_text(GOOD, "utf-8-sig")
    done = run_cli(sqlite_url, tmp_path, "stocks", "import", str(sheet), "--region", "yrd")
    assert done.returncode == 0, done.stderr
    assert "imported 2 row(s): 2 new stock(s), 0 counted; sha256 " in done.stdout

    out = tmp_path / "export.xlsx"
    exported = run_cli(
        sqlite_url, tmp_path, "stocks", "export", "--format", "xlsx", "--out", str(out)
    )
    assert exported.returncode == 0, exported.stderr
    book = load_workbook(out)
    rows = list(book.worksheets[0].iter_rows(values_only=True))
    assert rows[0][:3] == ("辖区", "物资", "数量")
    assert [r[:3] for r in rows[1:]] == [("330100", "tent", 10), ("341000", "blanket", 20)]

    again = run_cli(sqlite_url, tmp_path, "stocks", "import", str(out))
    assert again.returncode == 0, again.stderr
    assert "0 new stock(s), 2 counted" in again.stdout


def test_a_bad_file_prints_every_row_and_writes_nothing(sqlite_url: str, tmp_path: Path) -> None:
    sheet = tmp_path / "bad.csv"
    sheet.write_text(BAD, "utf-8-sig")
    before = row_counts(sqlite_url, StockRow, StockAdjustmentRow, JournalEntryRow)

    done = run_cli(sqlite_url, tmp_path, "stocks", "import", str(sheet))

    assert done.returncode == 2
    lines = done.stderr.strip().splitlines()
    assert lines[0] == "row 2, column 数量: 'ten' is not a number"
    assert lines[1].startswith("row 3, column 物资: no item is called 'unicorn'")
    assert lines[2].startswith("row 4, column 纬度: 95 is outside -90 to 90")
    assert lines[3] == f"error: 3 problem(s) in {sheet}; nothing imported"
    assert row_counts(sqlite_url, StockRow, StockAdjustmentRow, JournalEntryRow) == before


def test_a_city_officer_imports_only_its_own_rows(sqlite_url: str, tmp_path: Path) -> None:
    sheet = tmp_path / "stocks.csv"
    sheet.write_text(GOOD, "utf-8-sig")
    done = run_cli(sqlite_url, tmp_path, "stocks", "import", str(sheet), "--as", "hangzhou")
    assert done.returncode == 2
    assert "row 3, column 辖区: ema-330100 may not keep the stocks of 341000" in done.stderr
    unknown = run_cli(sqlite_url, tmp_path, "stocks", "import", str(sheet), "--as", "nobody")
    assert unknown.returncode == 2
    assert unknown.stderr.strip() == "error: user 'nobody' does not exist or is disabled"
    assert row_counts(sqlite_url, StockRow) == (0,)


def test_templates_and_unreadable_files(sqlite_url: str, tmp_path: Path) -> None:
    out = tmp_path / "template.xlsx"
    done = run_cli(sqlite_url, tmp_path, "stocks", "template", "--lang", "en", "--out", str(out))
    assert done.returncode == 0, done.stderr
    book = load_workbook(out)
    assert book.sheetnames == ["Emergency stocks", "lists", "说明 Instructions"]
    data = book.worksheets[0]
    assert [c.value for c in data[1]][:3] == ["Jurisdiction", "Item", "Quantity"]
    assert {str(v.sqref) for v in data.data_validations.dataValidation} == {
        "B2:B10001",
        "I2:I10001",
    }

    csv = run_cli(sqlite_url, tmp_path, "stocks", "template", "--format", "csv")
    assert csv.stdout.startswith("\ufeff辖区,物资,数量")

    missing = run_cli(sqlite_url, tmp_path, "stocks", "import", str(tmp_path / "none.csv"))
    assert missing.returncode == 2 and missing.stderr.startswith("error: cannot read")
    binary = tmp_path / "binary.csv"
    binary.write_bytes(b"\x00\x01\x02")
    refused = run_cli(sqlite_url, tmp_path, "stocks", "import", str(binary))
    assert refused.returncode == 2
    assert refused.stderr.count("\n") == 1 and "NUL" in refused.stderr
