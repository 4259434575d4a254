"""The annual items' pages: the year view in both languages, adding, marking done, export."""

from __future__ import annotations

import io
from collections.abc import Callable
from datetime import UTC, datetime

from fastapi import FastAPI
from fastapi.testclient import TestClient
from openpyxl import load_workbook
from sqlalchemy import func, select

from crossrisk.services import agreements
from crossrisk.store.models import AnnualItemRow, JournalEntryRow
from crossrisk.store.uow import UnitOfWork
from tests.agreements_support import mutual_aid
from tests.support import actor
from tests.web.officers import COMMITTEE_OFFICER, HANGZHOU_OFFICER
from tests.web.page_parts import refusal, section

LogIn = Callable[[str], str]
FORM = {
    "region": "yrd",
    "year": "2027",
    "kind": "cooperation",
    "title": "长三角联合防汛演练",
    "title_en": "Joint flood drill",
    "description": "",
    "owner": "ema-330100",
    "due": "2027-06-30",
    "serves_kind": "",
    "serves_id": "",
}


def written(app: FastAPI) -> tuple[int, int]:
    with app.state.engine.connect() as connection:
        return (
            int(connection.scalar(select(func.count()).select_from(AnnualItemRow))),
            int(connection.scalar(select(func.count()).select_from(JournalEntryRow))),
        )


def add(client: TestClient, token: str, **changes: str) -> str:
    response = client.post("/committee/annual", data={**FORM, **changes, "csrf_token": token})
    assert response.status_code == 303, response.text
    return response.headers["location"]


def test_the_committee_adds_an_item_and_sees_it_in_its_quarter(
    app: FastAPI, client: TestClient, log_in: LogIn
) -> None:
    token = log_in(COMMITTEE_OFFICER)
    uow = UnitOfWork(app.state.engine)
    agreement = agreements.draft_agreement(
        uow,
        actor(uow, "yrd-committee"),
        "yrd",
        mutual_aid(obligations=mutual_aid().obligations[:1]),
        now=datetime.now(UTC),
    )

    add(client, token, serves_kind="agreement", serves_id=str(agreement.id))

    page = client.get("/committee/annual?year=2027")
    assert page.status_code == 200
    quarter = section(page.text, "quarter-2")
    assert "长三角联合防汛演练" in quarter and "合作事项" in quarter
    assert f'href="/committee/agreements/{agreement.id}"' in quarter and "已计划" in quarter
    assert section(page.text, "count-open").endswith(">1")
    client.get("/language/en")
    english = client.get("/committee/annual?year=2027")
    assert "Joint flood drill" in english.text and "Quarter 2" in english.text
    assert "Cooperation item" in english.text


def test_a_refused_item_is_said_on_the_page_and_nothing_is_written(
    app: FastAPI, client: TestClient, log_in: LogIn
) -> None:
    token = log_in(COMMITTEE_OFFICER)
    before = written(app)

    page = client.post("/committee/annual", data={**FORM, "due": "2028-01-02", "csrf_token": token})

    assert page.status_code == 422
    assert "2028-01-02" in refusal(page.text) and "2027" in refusal(page.text)
    assert written(app) == before


def test_a_city_cannot_add_but_its_owner_marks_the_item_done(
    app: FastAPI, client: TestClient, log_in: LogIn
) -> None:
    location = add(client, log_in(COMMITTEE_OFFICER))
    item_id = location.rsplit("item-", 1)[1]
    token = log_in(HANGZHOU_OFFICER)
    year = client.get("/committee/annual?year=2027")
    assert "annual-add-form" not in year.text
    before = written(app)
    refused = client.post("/committee/annual", data={**FORM, "csrf_token": token})
    assert refused.status_code == 403 and written(app) == before

    item = client.get(f"/committee/annual/{item_id}")
    assert 'id="done-form"' in item.text and 'id="cancel-form"' not in item.text
    done = client.post(
        f"/committee/annual/{item_id}/status", data={"status": "done", "csrf_token": token}
    )
    assert done.status_code == 303
    assert "已完成" in section(client.get(f"/committee/annual/{item_id}").text, "item-status")


def test_the_year_downloads_as_excel(client: TestClient, log_in: LogIn) -> None:
    add(client, log_in(COMMITTEE_OFFICER))

    response = client.get("/committee/annual/export.xlsx?year=2027")

    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:3] == ("编号", "类型", "标题")
    assert rows[1][2] == "长三角联合防汛演练" and rows[1][4] == "2027-06-30"


def test_a_year_out_of_range_is_refused(client: TestClient, log_in: LogIn) -> None:
    log_in(COMMITTEE_OFFICER)
    assert client.get("/committee/annual?year=1999").status_code == 422
    assert client.get("/committee/annual?year=99999999999999999999").status_code == 422
    assert client.get("/committee/annual/99999999999").status_code == 404
