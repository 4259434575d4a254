"""The allocation pages: proposing from the open requests, the proposal's table, map data
and approval with an edited quantity; a breaching edit refused on the page, nothing written;
in Chinese and English."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from crossrisk.store.models import AllocationRow, CommitmentRow, JournalEntryRow
from crossrisk.store.uow import UnitOfWork
from tests.services.test_allocations import SHANGHAI, SUZHOU, add_stock, request
from tests.web.officers import COMMITTEE_OFFICER, HANGZHOU_OFFICER
from tests.web.page_parts import page_data, refusal

LogIn = Callable[[str], str]
TABLES = (AllocationRow, CommitmentRow, JournalEntryRow)


def counts(app: FastAPI) -> tuple[int, ...]:
    with app.state.engine.connect() as connection:
        return tuple(
            int(connection.scalar(select(func.count()).select_from(t)) or 0) for t in TABLES
        )


def open_request(app: FastAPI) -> int:
    uow = UnitOfWork(app.state.engine)
    at = datetime.now(UTC)
    add_stock(uow, SUZHOU, "tent", 300, at=at)
    add_stock(uow, SHANGHAI, "tent", 200, at=at)
    return request(uow, 600, at=at)


def propose(client: TestClient, csrf: str, request_id: int) -> str:
    made = client.post("/aid/allocations", data={"csrf_token": csrf, "request_id": str(request_id)})
    assert made.status_code == 303, refusal(made.text)
    return str(made.headers["location"])


def test_the_committee_proposes_edits_and_approves_on_the_page(
    app: FastAPI, client: TestClient, log_in: LogIn
) -> None:
    request_id = open_request(app)
    csrf = log_in(COMMITTEE_OFFICER)
    form = client.get("/aid/allocations/new")
    assert form.status_code == 200
    assert f'name="request_id" value="{request_id}"' in form.text
    assert "提出调配方案" in form.text

    where = propose(client, csrf, request_id)
    page = client.get(where)
    assert page.status_code == 200
    assert "苏州市" in page.text and "上海市" in page.text and 'id="unmet-lines"' in page.text
    assert 'name="quantity_0"' in page.text and 'id="approve-allocation"' in page.text
    assert "/static/js/allocation-map.js" in page.text
    flows = page_data(page.text)["flows"]
    assert sorted(f["quantity"] for f in flows) == [200, 300]
    assert all(len(f["from"]) == 2 and f["hours"] > 0 for f in flows)
    assert 'id="allocation-donors"' in page.text

    rows = {f["donor"]: i for i, f in enumerate(flows)}
    done = client.post(
        f"{where}/approval",
        data={
            "csrf_token": csrf,
            f"quantity_{rows['苏州市']}": "250",
            f"quantity_{rows['上海市']}": "200",
        },
    )
    assert done.status_code == 303, refusal(done.text)
    after = client.get(where)
    assert "已批准" in after.text and 'name="quantity_0"' not in after.text
    assert sorted(f["quantity"] for f in page_data(after.text)["flows"]) == [200, 250]
    assert counts(app)[1] == 2


def test_a_breaching_edit_is_refused_on_the_page(
    app: FastAPI, client: TestClient, log_in: LogIn
) -> None:
    request_id = open_request(app)
    csrf = log_in(COMMITTEE_OFFICER)
    where = propose(client, csrf, request_id)
    before = counts(app)
    for value in ("301", "-1", "nan", "1e999", "x" * 40):
        refused = client.post(
            f"{where}/approval", data={"csrf_token": csrf, "quantity_0": value, "quantity_1": value}
        )
        assert refused.status_code in (409, 422), value
        assert refusal(refused.text), value
    assert counts(app) == before
    assert client.post(f"{where}/approval", data={"csrf_token": "wrong"}).status_code == 403
    assert counts(app) == before


def test_a_city_reads_the_english_page_but_cannot_approve(
    app: FastAPI, client: TestClient, log_in: LogIn
) -> None:
    request_id = open_request(app)
    csrf = log_in(COMMITTEE_OFFICER)
    where = propose(client, csrf, request_id)
    client.get("/logout")
    csrf = log_in(HANGZHOU_OFFICER)
    client.get("/language/en")
    page = client.get(where)
    assert page.status_code == 200
    assert "Allocation" in page.text and "Suzhou" in page.text and "Unmet" in page.text
    assert 'id="approve-allocation"' not in page.text and 'id="allocation-donors"' not in page.text
    before = counts(app)
    refused = client.post(f"{where}/approval", data={"csrf_token": csrf})
    assert refused.status_code == 403
    assert counts(app) == before
    assert client.get("/aid/allocations/99999").status_code == 404
    assert client.get("/aid/allocations/abc").status_code == 404
    new = client.get("/aid/allocations/new")
    assert "Only the coordination body proposes" in new.text
