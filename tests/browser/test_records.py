"""Finding and keeping things in the browser: the register's search and pages, the
journal browser, the exports and the printed risk page."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from playwright.sync_api import expect
from pypdf import PdfReader

from crossrisk.services import risks
from crossrisk.store.db import make_engine
from crossrisk.store.uow import UnitOfWork
from tests.browser.conftest import Visit
from tests.support import XINAN_SPILL, actor, draft
from tests.web.officers import HUANGSHAN_OFFICER


def register_three(database_url: str) -> list[int]:
    """A spill and two smaller risks in Huangshan, a minute apart."""
    engine = make_engine(database_url)
    ids = []
    try:
        now = datetime.now(UTC)
        for minutes, changes in enumerate(
            [XINAN_SPILL, {"title": "屯溪老街内涝"}, {"title": "黄山风景区山火"}]
        ):
            uow = UnitOfWork(engine)
            risk = risks.register_risk(
                uow,
                actor(uow, "ema-341000"),
                draft(**changes),  # type: ignore[arg-type]
                region_code="yrd",
                now=now - timedelta(minutes=10 - minutes),
            )
            assert risk.id is not None
            ids.append(risk.id)
    finally:
        engine.dispose()
    return ids


@pytest.mark.browser
def test_officer_searches_pages_exports_and_prints(
    visit: Callable[[], Visit], sqlite_url: str, tmp_path: Path
) -> None:
    spill, flood, fire = register_three(sqlite_url)
    officer = visit()
    page = officer.page
    officer.log_in(HUANGSHAN_OFFICER)

    # Search the register; the filter stays in the form and in the export link.
    officer.go("/risks")
    page.fill("#filter-q", "内涝")
    page.click("#register-filters button[type=submit]")
    expect(page.locator("#register tbody tr")).to_have_count(1)
    expect(page.locator("#register")).to_contain_text("屯溪老街内涝")
    expect(page.locator("#filter-q")).to_have_value("内涝")
    with page.expect_download() as download:
        page.click("#export-csv")
    saved = tmp_path / "risks.csv"
    download.value.save_as(saved)
    rows = list(csv.reader(io.StringIO(saved.read_text(encoding="utf-8-sig"))))
    assert [row[1] for row in rows[1:]] == ["屯溪老街内涝"]

    # One risk a page, newest registration first, and on to the next page.
    officer.go("/risks?sort=created&limit=1")
    expect(page.locator(f"#register a[href='/risks/{fire}']")).to_have_count(1)
    page.click("#next-page")
    expect(page.locator(f"#register a[href='/risks/{flood}']")).to_have_count(1)
    page.click("#next-page")
    expect(page.locator(f"#register a[href='/risks/{spill}']")).to_have_count(1)
    expect(page.locator("#next-page")).to_have_count(0)

    # The risk page: its situation report, and its history with its warnings.
    officer.go(f"/risks/{spill}")
    expect(page.locator("#history")).to_contain_text("杭州市")
    with page.expect_download() as download:
        page.click("#report-pdf")
    report = tmp_path / "report.pdf"
    download.value.save_as(report)
    text = "".join(p.extract_text() for p in PdfReader(report).pages)
    assert "情况通报" in text and "新安江苯乙烯泄漏" in text

    # Printed on A4: no navigation or forms, the whole map across the page.
    page.emulate_media(media="print")
    expect(page.locator("header.masthead")).to_be_hidden()
    expect(page.locator("#transition-form")).to_be_hidden()
    expect(page.locator("#reach-map")).to_be_visible()
    page.emulate_media(media="screen")

    # The journal: the risk's entries, filtered by subject.
    page.click("#risk-journal")
    expect(page.locator("#journal-subject")).to_have_value(f"risk:{spill}")
    expect(page.locator("#journal-entries tbody tr")).to_have_count(2)
    page.fill("#journal-subject", "")
    page.fill("#journal-action", "warning.")
    page.click("#journal-filters button[type=submit]")
    expect(page.locator("#journal-entries tbody tr").first).to_contain_text("warning:")
    officer.assert_self_contained()
