"""The stocks import page: every problem in a table in the page's language, nothing written;
success counts; the templates and the export to download."""

from __future__ import annotations

import io
from collections.abc import Callable

from fastapi import FastAPI
from fastapi.testclient import TestClient
from openpyxl import load_workbook
from sqlalchemy import func, select

from crossrisk.store.models import JournalEntryRow, StockRow
from tests.web.officers import EVALUATOR, HANGZHOU_OFFICER
from tests.web.page_parts import refusal, section

LogIn = Callable[[str], str]
HEADER = "辖区,物资,数量,单位,仓库,经度,纬度,有效期至,共享范围\n"
GOOD = (
    HEADER
    + "杭州市,医用口罩,2,pallet,萧山仓,120.26,30.18,2028-01-31,\n"
    + "330100,tent,4,,萧山仓,120.26,30.18,,\n"
)
BAD = HEADER + "330100,tent,lots,,萧山仓,120.26,30.18,,\n341000,tent,1,,屯溪库,118.3,29.7,,\n"


def sizes(app: FastAPI) -> tuple[int, int]:
    with app.state.engine.connect() as connection:
        return (
            int(connection.scalar(select(func.count()).select_from(StockRow))),
            int(connection.scalar(select(func.count()).select_from(JournalEntryRow))),
        )


def upload(client: TestClient, csrf: str, text: str) -> object:
    return client.post(
        "/aid/stocks/import",
        data={"csrf_token": csrf},
        files={"file": ("储备.csv", text.encode("utf-8-sig"), "text/csv")},
    )


def test_bad_rows_are_listed_in_chinese_and_nothing_is_written(
    app: FastAPI, client: TestClient, log_in: LogIn
) -> None:
    csrf = log_in(HANGZHOU_OFFICER)
    before = sizes(app)

    page = upload(client, csrf, BAD)

    assert page.status_code == 422  # type: ignore[attr-defined]
    html = page.text  # type: ignore[attr-defined]
    assert "文件中有 2 处问题" in refusal(html)
    table = section(html, "sheet-problems")
    assert '<td data-label="行">2</td>' in table and '<td data-label="列">数量</td>' in table
    assert "“lots”不是数字。" in table
    assert "您无权维护 黄山市 的储备。" in table
    assert sizes(app) == before


def test_bad_rows_are_listed_in_english(app: FastAPI, client: TestClient, log_in: LogIn) -> None:
    csrf = log_in(HANGZHOU_OFFICER)
    client.get("/language/en")
    page = upload(client, csrf, BAD)
    table = section(page.text, "sheet-problems")  # type: ignore[attr-defined]
    assert "“lots” is not a number." in table
    assert "You may not keep the stocks of Huangshan." in table
    assert "2 problem(s) in the file" in refusal(page.text)  # type: ignore[attr-defined]


def test_a_good_file_is_imported_and_counted(
    app: FastAPI, client: TestClient, log_in: LogIn
) -> None:
    csrf = log_in(HANGZHOU_OFFICER)
    form = client.get("/aid/stocks/import")
    assert form.status_code == 200 and 'enctype="multipart/form-data"' in form.text

    page = upload(client, csrf, GOOD)

    assert page.status_code == 200  # type: ignore[attr-defined]
    result = section(page.text, "import-result")  # type: ignore[attr-defined]
    assert (
        "已导入 2 行：新增储备 2 条，盘点更新 0 条。" in result and 'href="/aid/stocks"' in result
    )
    assert sizes(app)[0] == 2
    again = upload(client, csrf, GOOD)
    assert "新增储备 0 条，盘点更新 2 条" in again.text  # type: ignore[attr-defined]


def test_a_stale_form_or_no_file_writes_nothing(
    app: FastAPI, client: TestClient, log_in: LogIn
) -> None:
    csrf = log_in(HANGZHOU_OFFICER)
    before = sizes(app)
    stale = upload(client, "not-the-token", GOOD)
    assert stale.status_code == 400 and refusal(stale.text)  # type: ignore[attr-defined]
    empty = client.post("/aid/stocks/import", data={"csrf_token": csrf})
    assert "请选择要导入的 CSV 或 Excel 文件" in refusal(empty.text)
    assert sizes(app) == before


def test_templates_and_exports_download(app: FastAPI, client: TestClient, log_in: LogIn) -> None:
    csrf = log_in(HANGZHOU_OFFICER)
    upload(client, csrf, GOOD)
    template = client.get("/aid/stocks/template.xlsx")
    assert template.status_code == 200
    book = load_workbook(io.BytesIO(template.content))
    assert [c.value for c in book.worksheets[0][1]][:2] == ["辖区", "物资"]
    assert "说明 Instructions" in book.sheetnames
    assert client.get("/aid/stocks/template.csv").text.startswith("\ufeff辖区,物资")
    exported = client.get("/aid/stocks/export.csv")
    assert exported.headers["content-disposition"] == 'attachment; filename="stocks-yrd.csv"'
    assert "330100,medical_mask,2000,,萧山仓" in exported.text
    assert client.get("/aid/stocks/export.pdf").status_code == 404


def test_a_reader_sees_no_upload_form(client: TestClient, log_in: LogIn) -> None:
    log_in(EVALUATOR)
    page = client.get("/aid/stocks/import")
    assert page.status_code == 200 and 'type="file"' not in page.text
