"""Evidence files on a risk's compensation page: the cost form takes one, each line lists
its files as downloads and takes more; a refusal is said in Chinese and writes nothing."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable

from fastapi import FastAPI
from fastapi.testclient import TestClient

from crossrisk.domain.organisation import system_actor
from crossrisk.services import costs
from crossrisk.store.uow import UnitOfWork
from tests.evidence_support import PDF_BYTES, PNG_BYTES, TEXT_BYTES
from tests.web.compensation.test_compensation_page import HS
from tests.web.officers import HANGZHOU_OFFICER, HUANGSHAN_OFFICER
from tests.web.page_parts import refusal
from tests.web.risk_forms import register

LogIn = Callable[[str], str]


def cost_fields(token: str) -> dict[str, str]:
    return {
        "csrf_token": token,
        "party": HS,
        "amount_yuan": "300000",
        "category": "personnel",
        "spent_on": "2026-03-02",
        "kind": "own_response",
        "evidence": "加班记录表",
    }


def journal_length(app: FastAPI) -> int:
    with UnitOfWork(app.state.engine).read_only() as tx:
        return len(list(tx.journal.entries()))


def test_a_cost_with_a_file_is_listed_downloaded_and_takes_another(
    app: FastAPI, client: TestClient, log_in: LogIn
) -> None:
    token = log_in(HUANGSHAN_OFFICER)
    risk_id = register(client, token)
    page = client.get(f"/risks/{risk_id}/compensation").text
    assert 'enctype="multipart/form-data"' in page and 'type="file" name="file"' in page

    made = client.post(
        f"/risks/{risk_id}/compensation/costs",
        data=cost_fields(token),
        files={"file": ("发票.pdf", PDF_BYTES, "application/pdf")},
    )

    assert made.status_code == 303, refusal(made.text)
    page = client.get(f"/risks/{risk_id}/compensation").text
    links = re.findall(rf'href="(/risks/{risk_id}/compensation/costs/(\d+)/evidence/\d+)"', page)
    assert len(links) == 1 and "发票.pdf" in page
    href, line_id = links[0]
    assert hashlib.sha256(PDF_BYTES).hexdigest() in page
    assert f'action="/risks/{risk_id}/compensation/costs/{line_id}/evidence"' in page
    token = log_in(HANGZHOU_OFFICER)  # a reader of the region downloads it
    got = client.get(href)
    assert got.status_code == 200 and got.content == PDF_BYTES
    assert got.headers["content-type"] == "application/pdf"
    assert got.headers["content-disposition"].startswith("attachment;")
    assert got.headers["x-content-type-options"] == "nosniff"
    assert (
        f'/compensation/costs/{line_id}/evidence"'
        not in client.get(f"/risks/{risk_id}/compensation").text
    )  # Hangzhou may not attach to Huangshan's line

    token = log_in(HUANGSHAN_OFFICER)
    attached = client.post(
        f"/risks/{risk_id}/compensation/costs/{line_id}/evidence",
        data={"csrf_token": token},
        files={"file": ("note.txt", TEXT_BYTES, "text/plain")},
    )
    assert attached.status_code == 303, refusal(attached.text)
    ledger = costs.ledger(UnitOfWork(app.state.engine), system_actor(), risk_id)
    assert [f.file_name for f in ledger.files[int(line_id)]] == ["发票.pdf", "note.txt"]


def test_a_png_declared_a_pdf_is_refused_in_chinese_and_nothing_is_written(
    app: FastAPI, client: TestClient, log_in: LogIn
) -> None:
    token = log_in(HUANGSHAN_OFFICER)
    risk_id = register(client, token)
    before = journal_length(app)

    page = client.post(
        f"/risks/{risk_id}/compensation/costs",
        data=cost_fields(token),
        files={"file": ("发票.pdf", PNG_BYTES, "application/pdf")},
    )

    assert page.status_code == 422
    assert "文件声明为 application/pdf，但其内容是 image/png" in refusal(page.text)
    assert journal_length(app) == before
    ledger = costs.ledger(UnitOfWork(app.state.engine), system_actor(), risk_id)
    assert ledger.lines == [] and ledger.files == {}
    forged = client.post(
        f"/risks/{risk_id}/compensation/costs",
        data=cost_fields(token) | {"csrf_token": "forged"},
        files={"file": ("a.txt", TEXT_BYTES, "text/plain")},
    )
    assert forged.status_code in (400, 403)
    assert journal_length(app) == before
