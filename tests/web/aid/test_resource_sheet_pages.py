"""The teams, equipment and shelters import pages: every problem in a table in the page's
language, nothing written; success counts; downloads; the link from the lists."""

from __future__ import annotations

import io
from collections.abc import Callable

from fastapi import FastAPI
from fastapi.testclient import TestClient
from openpyxl import load_workbook
from sqlalchemy import func, select

from crossrisk.store.models import JournalEntryRow
from tests.web.officers import EVALUATOR, HANGZHOU_OFFICER
from tests.web.page_parts import refusal, section

LogIn = Callable[[str], str]
HEADER = "辖区,场所名称,场所类别,容纳人数,可用容量,经度,纬度,联系方式,共享范围\n"
GOOD = (
    HEADER
    + "杭州市,西湖文化广场,fixed_short,5000,4000,120.16,30.27,,\n"
    + "330100,城站广场,紧急避难场所,800,800,120.18,30.25,,committee\n"
)
BAD = (
    HEADER
    + "330100,西湖文化广场,fixed_short,5000,6000,120.16,30.27,,\n"
    + "341000,黄山体育馆,emergency,800,800,118.3,29.7,,\n"
    + "330100,城站广场,no_class,80.5,8,120.18,30.25,,\n"
)


def journal_size(app: FastAPI) -> int:
    with app.state.engine.connect() as connection:
        return int(connection.scalar(select(func.count()).select_from(JournalEntryRow)))


def upload(client: TestClient, csrf: str, text: str, kind: str = "shelters") -> object:
    return client.post(
        f"/aid/{kind}/import",
        data={"csrf_token": csrf},
        files={"file": ("表.csv", text.encode("utf-8-sig"), "text/csv")},
    )


def test_bad_rows_are_listed_in_chinese_and_nothing_is_written(
    app: FastAPI, client: TestClient, log_in: LogIn
) -> None:
    csrf = log_in(HANGZHOU_OFFICER)
    before = journal_size(app)

    page = upload(client, csrf, BAD)

    assert page.status_code == 422  # type: ignore[attr-defined]
    html = page.text  # type: ignore[attr-defined]
    assert "文件中有 4 处问题" in refusal(html)
    table = section(html, "sheet-problems")
    assert '<td data-label="行">2</td>' in table and '<td data-label="列">可用容量</td>' in table
    assert "6000" in table and "5000" in table  # free places above capacity, in a sentence
    assert "您无权维护 黄山市 的记录。" in table
    assert "没有名为“no_class”的避难场所类别。" in table
    assert "80.5 不是整数。" in table
    assert journal_size(app) == before


def test_bad_rows_are_listed_in_english(client: TestClient, log_in: LogIn) -> None:
    csrf = log_in(HANGZHOU_OFFICER)
    client.get("/language/en")
    page = upload(client, csrf, BAD)
    table = section(page.text, "sheet-problems")  # type: ignore[attr-defined]
    assert "You may not keep the records of Huangshan." in table
    assert "No shelter class is called “no_class”." in table
    assert "80.5 is not a whole number." in table
    assert "4 problem(s) in the file" in refusal(page.text)  # type: ignore[attr-defined]


def test_a_good_file_is_imported_then_confirmed(
    app: FastAPI, client: TestClient, log_in: LogIn
) -> None:
    csrf = log_in(HANGZHOU_OFFICER)
    form = client.get("/aid/shelters/import")
    assert form.status_code == 200 and 'enctype="multipart/form-data"' in form.text
    assert "导入避难场所" in form.text

    page = upload(client, csrf, GOOD)

    assert page.status_code == 200  # type: ignore[attr-defined]
    result = section(page.text, "import-result")  # type: ignore[attr-defined]
    assert "已导入 2 行：新增 2 条，更新 0 条，确认无变化 0 条。" in result
    again = upload(client, csrf, GOOD)
    assert "新增 0 条，更新 0 条，确认无变化 2 条" in again.text  # type: ignore[attr-defined]
    listed = client.get("/aid/shelters")
    assert "西湖文化广场" in listed.text
    assert 'href="/aid/shelters/import?region=yrd"' in listed.text


def test_templates_and_exports_download(client: TestClient, log_in: LogIn) -> None:
    csrf = log_in(HANGZHOU_OFFICER)
    upload(client, csrf, GOOD)
    for kind, first in (("teams", "队伍名称"), ("equipment", "装备类别"), ("shelters", "场所名称")):
        template = client.get(f"/aid/{kind}/template.xlsx")
        assert template.status_code == 200
        book = load_workbook(io.BytesIO(template.content))
        assert [c.value for c in book.worksheets[0][1]][:2] == ["辖区", first]
        assert client.get(f"/aid/{kind}/template.csv").text.startswith(f"\ufeff辖区,{first}")
    exported = client.get("/aid/shelters/export.csv")
    assert exported.headers["content-disposition"] == 'attachment; filename="shelters-yrd.csv"'
    assert "330100,西湖文化广场,fixed_short,5000,4000" in exported.text
    assert client.get("/aid/shelters/export.pdf").status_code == 404


def test_a_reader_sees_no_upload_form(client: TestClient, log_in: LogIn) -> None:
    log_in(EVALUATOR)
    page = client.get("/aid/teams/import")
    assert page.status_code == 200 and 'type="file"' not in page.text
