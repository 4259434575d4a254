"""The register page's search and pages, and the files the register and a risk export."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable
from datetime import datetime

import pytest
from fastapi.testclient import TestClient
from openpyxl import load_workbook
from pypdf import PdfReader

from tests.web.officers import HANGZHOU_OFFICER, HUANGSHAN_OFFICER
from tests.web.risk_forms import register

LogIn = Callable[[str], str]
RIVER_SPILL = {
    "hazard_type": "river_spill",
    "param-substance": "styrene",
    "param-mass_kg": "20000",
    "param-release_hours": "6",
}


def _rows(content: bytes) -> list[list[str]]:
    assert content.startswith("\ufeff".encode())  # the BOM Excel needs for Chinese
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))


@pytest.fixture
def two(client: TestClient, log_in: LogIn) -> dict[str, int]:
    token = log_in(HUANGSHAN_OFFICER)
    spill = register(client, token, **RIVER_SPILL)
    flood = register(client, token, title="屯溪老街内涝", description="暴雨积水", likelihood="2")
    return {"spill": spill, "flood": flood}


def test_register_page_searches_and_keeps_its_filters_in_the_links(
    client: TestClient, two: dict[str, int]
) -> None:
    page = client.get("/risks", params={"q": "内涝"})
    assert page.status_code == 200
    assert f'href="/risks/{two["flood"]}"' in page.text
    assert f'href="/risks/{two["spill"]}"' not in page.text
    assert 'href="/risks/export.csv?q=%E5%86%85%E6%B6%9D"' in page.text
    affected = client.get("/risks", params={"affected": "330100"})
    assert f'href="/risks/{two["spill"]}"' in affected.text
    assert f'href="/risks/{two["flood"]}"' not in affected.text


def test_register_page_goes_to_the_next_page_and_back(
    client: TestClient, two: dict[str, int]
) -> None:
    first = client.get("/risks", params={"limit": "1", "sort": "created"})
    assert f'href="/risks/{two["flood"]}"' in first.text
    found = re.search(r'id="next-page" href="([^"]+)"', first.text)
    assert found is not None
    second = client.get(found.group(1).replace("&amp;", "&"))
    assert f'href="/risks/{two["spill"]}"' in second.text
    assert f'href="/risks/{two["flood"]}"' not in second.text
    assert 'id="next-page"' not in second.text and 'id="first-page"' in second.text


def test_register_page_refuses_a_broken_cursor_in_a_sentence(
    client: TestClient, two: dict[str, int]
) -> None:
    page = client.get("/risks", params={"cursor": "garbage!"})
    assert page.status_code == 400
    assert "翻页链接已失效" in page.text


def test_register_exports_as_csv_and_excel_in_the_page_language(
    client: TestClient, two: dict[str, int]
) -> None:
    exported = client.get("/risks/export.csv", params={"q": "内涝"})
    assert exported.status_code == 200
    assert exported.headers["content-type"].startswith("text/csv")
    rows = _rows(exported.content)
    assert rows[0][:3] == ["编号", "标题", "类别"]
    assert [row[1] for row in rows[1:]] == ["屯溪老街内涝"]
    assert re.fullmatch(r"\d{4}-\d\d-\d\d \d\d:\d\d", rows[1][10])

    book = load_workbook(io.BytesIO(client.get("/risks/export.xlsx").content))
    sheet = book.active
    assert sheet is not None
    values = list(sheet.iter_rows(values_only=True))
    assert values[0][1] == "标题"
    assert {row[0] for row in values[1:]} == set(two.values())
    assert all(isinstance(row[10], datetime) for row in values[1:])


def test_a_risks_warnings_export_lists_each_recipient(
    client: TestClient, two: dict[str, int]
) -> None:
    rows = _rows(client.get(f"/risks/{two['spill']}/warnings.csv").content)
    assert rows[0][1] == "接收辖区"
    assert "杭州市" in {row[1] for row in rows[1:]}
    book = load_workbook(io.BytesIO(client.get(f"/risks/{two['spill']}/warnings.xlsx").content))
    assert book.active is not None and book.active.max_row == len(rows)
    assert client.get(f"/risks/{two['spill']}/warnings.pdf").status_code == 404


def test_situation_report_is_a_pdf_with_the_chinese_title_and_its_font(
    client: TestClient, two: dict[str, int]
) -> None:
    answer = client.get(f"/risks/{two['spill']}/report.pdf")
    assert answer.status_code == 200
    assert answer.headers["content-type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(answer.content))
    text = "".join(page.extract_text() for page in reader.pages)
    assert "情况通报" in text
    assert "新安江苯乙烯泄漏" in text
    assert "杭州市" in text  # the reach table and the warnings
    fonts = [
        font.get_object()
        for page in reader.pages
        for font in page["/Resources"]["/Font"].values()  # type: ignore[index]
    ]
    names = {str(font["/BaseFont"]) for font in fonts}
    assert any("CJK" in name for name in names)
    # Embedded: a descendant font with its own font file, not a reference to the machine's.
    descendants = [d.get_object() for f in fonts for d in f.get("/DescendantFonts", [])]
    assert any(
        "/FontFile2" in d["/FontDescriptor"] or "/FontFile3" in d["/FontDescriptor"]
        for d in descendants
    )


def test_another_citys_officer_reads_the_report_of_a_risk_it_reads(
    client: TestClient, log_in: LogIn, two: dict[str, int]
) -> None:
    log_in(HANGZHOU_OFFICER)
    assert client.get(f"/risks/{two['spill']}/report.pdf").status_code == 200
    assert client.get("/risks/99999/report.pdf").status_code == 404
