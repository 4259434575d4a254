"""The agreement pages: the committee drafts the demo region's mutual-aid agreement in the
form, each city's officer signs it on its page, and it reads in force in both languages."""

from __future__ import annotations

import io
from collections.abc import Callable
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from pypdf import PdfReader
from sqlalchemy import func, select

from crossrisk.domain.organisation import Role, system_actor
from crossrisk.services import users
from crossrisk.store.models import AgreementRow, AgreementSignatureRow, JournalEntryRow
from crossrisk.store.uow import UnitOfWork
from tests.web.officers import (
    COMMITTEE_OFFICER,
    EVALUATOR,
    HANGZHOU_OFFICER,
    HUANGSHAN_OFFICER,
    PASSWORD,
    SEEDED_AT,
    csrf_token_in,
)

QUZHOU_OFFICER = "officer-330800"
PARTIES = ("ema-330100", "ema-341000", "ema-330800")


@pytest.fixture
def quzhou(app: FastAPI) -> None:
    users.add_user(
        UnitOfWork(app.state.engine),
        system_actor(),
        username=QUZHOU_OFFICER,
        password=PASSWORD,
        organisation_code="ema-330800",
        role=Role.OFFICER,
        now=SEEDED_AT,
    )


def counts(app: FastAPI) -> tuple[int, ...]:
    with app.state.engine.connect() as connection:
        return tuple(
            connection.scalar(select(func.count()).select_from(table)) or 0
            for table in (AgreementRow, AgreementSignatureRow, JournalEntryRow)
        )


def form_fields(**changes: Any) -> dict[str, Any]:
    fields: dict[str, Any] = {
        "region": "yrd",
        "rows": "3",
        "title": "杭州、黄山、衢州跨域应急互助协议",
        "title_en": "Hangzhou–Huangshan–Quzhou mutual aid agreement",
        "subject": "新安江—钱塘江沿线城市应急物资互助",
        "subject_en": "Mutual aid along the Xin'an and Qiantang rivers",
        "valid_from": "2026-07-01",
        "valid_until": "2028-06-30",
        "party": list(PARTIES),
        "ob_party_0": "ema-330100",
        "ob_kind_0": "keep_reserve",
        "ob_item_0": "sandbag",
        "ob_figure_0": "2,000",
        "ob_party_1": "ema-341000",
        "ob_kind_1": "report_within",
        "ob_figure_1": "30",
        "ob_party_2": "ema-330800",
        "ob_kind_2": "answer_aid_within",
        "ob_figure_2": "4",
        "rule": "reimburse_aid_costs",
        "rule_parameters": '{"share": 1.0}',
        "reviewer": "",
        "outcome": ["no_fault", "corrective_action"],
        "statement_days": "15",
    }
    fields.update(changes)
    return fields


def drafted(client: TestClient, log_in: Callable[[str], str], **changes: Any) -> str:
    log_in(COMMITTEE_OFFICER)
    form = client.get("/committee/agreements/new")
    assert form.status_code == 200, form.text
    response = client.post(
        "/committee/agreements/new",
        data={**form_fields(**changes), "csrf_token": csrf_token_in(form.text)},
    )
    assert response.status_code == 303, response.text
    return str(response.headers["location"])


def sign_as(client: TestClient, log_in: Callable[[str], str], user: str, page: str) -> Any:
    log_in(user)
    shown = client.get(page)
    assert 'id="sign-agreement"' in shown.text, user
    return client.post(f"{page}/sign", data={"csrf_token": csrf_token_in(shown.text)})


def test_the_committee_drafts_and_each_city_signs_until_it_is_in_force(
    client: TestClient, log_in: Callable[[str], str], quzhou: None
) -> None:
    page = drafted(client, log_in)
    shown = client.get(page).text
    assert 'data-state="signing"' in shown and "未签署" in shown

    for user in (HANGZHOU_OFFICER, HUANGSHAN_OFFICER, QUZHOU_OFFICER):
        assert sign_as(client, log_in, user, page).status_code == 303
    log_in(COMMITTEE_OFFICER)
    assert sign_as(client, log_in, COMMITTEE_OFFICER, page).status_code == 303

    final = client.get(page).text
    assert 'data-state="in_force"' in final
    assert 'id="sign-agreement"' not in final
    assert "obligation-unmet" in final  # no sandbags recorded yet: the status says so
    client.get("/language/en")
    english = client.get(page).text
    assert "In force" in english and "Usable stock 0 of 2,000" in english
    listed = client.get("/committee/agreements").text
    assert "Hangzhou–Huangshan–Quzhou mutual aid agreement" in listed and "4 of 4" in listed


def test_the_form_adds_a_row_without_saving(
    app: FastAPI, client: TestClient, log_in: Callable[[str], str]
) -> None:
    log_in(COMMITTEE_OFFICER)
    form = client.get("/committee/agreements/new")
    before = counts(app)
    response = client.post(
        "/committee/agreements/new",
        data={**form_fields(), "add_row": "1", "csrf_token": csrf_token_in(form.text)},
    )
    assert response.status_code == 200
    assert 'name="ob_party_3"' in response.text and 'value="2,000"' in response.text
    assert counts(app) == before


@pytest.mark.parametrize(
    ("changes", "sentence"),
    [
        ({"party": []}, "至少"),
        ({"valid_until": "2026-01-01"}, "有效期"),
        ({"ob_figure_0": "-5"}, "第 1 项义务"),
        ({"ob_figure_0": "many"}, "many"),
        ({"rule_parameters": "{"}, "JSON"),
    ],
)
def test_a_bad_draft_says_why_and_writes_nothing(
    app: FastAPI,
    client: TestClient,
    log_in: Callable[[str], str],
    changes: dict[str, Any],
    sentence: str,
) -> None:
    log_in(COMMITTEE_OFFICER)
    form = client.get("/committee/agreements/new")
    before = counts(app)
    response = client.post(
        "/committee/agreements/new",
        data={**form_fields(**changes), "csrf_token": csrf_token_in(form.text)},
    )
    assert response.status_code == 422, response.text
    assert sentence in response.text
    assert counts(app) == before


def test_a_city_has_no_draft_form_and_an_evaluator_no_sign_button(
    client: TestClient, log_in: Callable[[str], str]
) -> None:
    page = drafted(client, log_in)
    log_in(HANGZHOU_OFFICER)
    assert client.get("/committee/agreements/new").status_code == 404
    log_in(EVALUATOR)
    shown = client.get(page)
    assert shown.status_code == 200 and 'id="sign-agreement"' not in shown.text
    refused = client.post(f"{page}/sign", data={"csrf_token": csrf_token_in(shown.text)})
    assert refused.status_code == 403


def test_the_document_reads_in_both_languages(
    client: TestClient, log_in: Callable[[str], str]
) -> None:
    page = drafted(client, log_in)
    chinese = client.get(f"{page}/document")
    assert chinese.status_code == 200 and "杭州、黄山、衢州跨域应急互助协议" in chinese.text
    english = client.get(f"{page}/document?lang=en")
    assert "Hangzhou–Huangshan–Quzhou mutual aid agreement" in english.text
    assert "Not signed yet" in english.text
    assert client.get("/committee/agreements/99999").status_code == 404
    assert client.get(f"/committee/agreements/{2**64}").status_code == 404


def test_the_document_prints_as_a_pdf_in_chinese_and_english(
    client: TestClient, log_in: Callable[[str], str]
) -> None:
    page = drafted(client, log_in)
    answer = client.get(f"{page}/document.pdf")
    assert answer.status_code == 200 and answer.headers["content-type"] == "application/pdf"
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(answer.content)).pages)
    assert "杭州、黄山、衢州跨域应急互助协议" in text and "未签署" in text
    english = client.get(f"{page}/document.pdf?lang=en")
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(english.content)).pages)
    assert "Not signed yet" in text
