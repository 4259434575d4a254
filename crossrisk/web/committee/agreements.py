"""The agreement pages: the list, one version with its signatures and obligations, the
Sign button, and the document as HTML and PDF (the API's PDF too, printed the same way)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Form, Request
from starlette.responses import RedirectResponse, Response

from crossrisk.domain.agreements.agreement import AgreementState
from crossrisk.domain.errors import CrossriskError, NotFound
from crossrisk.domain.organisation import Actor
from crossrisk.domain.permissions.agreements import can_draft_agreement, can_sign_agreement
from crossrisk.domain.permissions.regions import reads_everything
from crossrisk.http.deps import ID_MAX, ActorDep, RowId, UowDep, check_csrf, utc_now
from crossrisk.locale import translations
from crossrisk.services import agreement_checks, agreements, settlements
from crossrisk.store.uow import UnitOfWork
from crossrisk.web.accounts.session import PageActor
from crossrisk.web.committee.agreements_view import STATE, agreement_name, document_context
from crossrisk.web.risks.report import PDF_MEDIA_TYPE, print_pdf
from crossrisk.web.shared.compensation_labels import SETTLEMENT_STATE
from crossrisk.web.shared.directory import read_directory
from crossrisk.web.shared.i18n import LOCALES, PageLanguage
from crossrisk.web.shared.rendering import (
    environment,
    error_page,
    error_status,
    page_error,
    render,
)
from crossrisk.web.shared.tables import export_language

router = APIRouter(include_in_schema=False)


def agreement_id_of(text: str) -> int:
    """An agreement id from the address; anything else is no agreement."""
    if not text.isascii() or not text.isdigit() or len(text) > 10 or not 0 < int(text) <= ID_MAX:
        shown = text[:20]
        raise NotFound(
            f"no agreement {shown!r}", key="agreement-not-found", params={"agreement": shown}
        )
    return int(text)


@router.get("/committee/agreements")
def list_page(request: Request, actor: PageActor, uow: UowDep) -> Response:
    """Every version of the agreements the user reads, newest first."""
    lang = PageLanguage.of(request)
    directory = read_directory(uow, actor)
    rows = [
        {
            "agreement": a,
            "name": agreement_name(a, lang),
            "state_text": lang.gettext(STATE[a.state]),
            "region": directory.region_name(a.region_code, chinese=lang.is_chinese),
            "parties": [
                directory.organisation_name(code, chinese=lang.is_chinese)
                for code in a.text.parties
            ],
            "signed": len(a.signatures),
            "signatories": len(a.signatories),
        }
        for a in agreements.list_agreements(uow, actor)
    ]
    may_draft = any(can_draft_agreement(actor, code) for code in actor.region_codes)
    return render(
        request,
        "committee/agreements/list.html",
        {"rows": rows, "may_draft": may_draft or reads_everything(actor)},
        actor=actor,
    )


def detail_page(
    request: Request,
    actor: Actor,
    uow: UnitOfWork,
    agreement_id: int,
    *,
    refusal: CrossriskError | None = None,
) -> Response:
    """One version: its text, who signed, each obligation's status and what the user may do."""
    lang = PageLanguage.of(request)
    agreement = agreements.get_agreement(uow, actor, agreement_id)
    directory = read_directory(uow, actor, region_codes={agreement.region_code})
    checks = agreement_checks.obligation_checks(uow, actor, agreement_id, now=utc_now())
    own = actor.organisation.code
    context: dict[str, Any] = {
        **document_context(agreement, checks, directory, lang),
        "versions": agreements.versions_of(uow, actor, agreement_id),
        "may_sign": agreement.state is AgreementState.SIGNING
        and own in agreement.unsigned
        and can_sign_agreement(actor, own),
        "may_amend": agreement.state is AgreementState.IN_FORCE
        and can_draft_agreement(actor, agreement.region_code),
        "period_statements": [
            {
                "id": s.id,
                "round": s.round,
                "period": f"{s.period_from} – {s.period_to}",
                "station": s.station_code,
                "index": s.inputs.get("index", ""),
                "state": lang.gettext(SETTLEMENT_STATE[s.state]),
            }
            for s in settlements.of_agreement(uow, actor, agreement_id)
        ],
    }
    if refusal is not None:
        context["error"] = page_error(lang, refusal, directory)
    return render(
        request,
        "committee/agreements/detail.html",
        context,
        actor=actor,
        status_code=200 if refusal is None else error_status(refusal),
    )


@router.get("/committee/agreements/{agreement_id}")
def show(request: Request, actor: PageActor, uow: UowDep, agreement_id: str) -> Response:
    """One version of an agreement."""
    try:
        return detail_page(request, actor, uow, agreement_id_of(agreement_id))
    except CrossriskError as refusal:
        return error_page(request, refusal, actor=actor, names=read_directory(uow, actor))


@router.post("/committee/agreements/{agreement_id}/sign")
def sign(
    request: Request,
    actor: PageActor,
    uow: UowDep,
    agreement_id: str,
    csrf_token: str = Form(default="", max_length=200),
) -> Response:
    """The officer signs the agreement for its organisation."""
    try:
        found = agreement_id_of(agreement_id)
    except CrossriskError as refusal:
        return error_page(request, refusal, actor=actor, names=read_directory(uow, actor))
    try:
        check_csrf(request, csrf_token)
        agreements.sign_agreement(uow, actor, found, now=utc_now())
    except CrossriskError as refusal:
        try:
            return detail_page(request, actor, uow, found, refusal=refusal)
        except CrossriskError as missing:
            return error_page(request, missing, actor=actor, names=read_directory(uow, actor))
    return RedirectResponse(f"/committee/agreements/{found}", status_code=303)


def document_html(actor: Actor, uow: UnitOfWork, agreement_id: int, lang: PageLanguage) -> str:
    """The agreement as a printable document in a language (the pages, the API, the CLI)."""
    agreement = agreements.get_agreement(uow, actor, agreement_id)
    directory = read_directory(uow, actor, region_codes={agreement.region_code})
    checks = agreement_checks.obligation_checks(uow, actor, agreement_id, now=utc_now())
    context = {
        "lang": lang,
        "_": lang.gettext,
        **document_context(agreement, checks, directory, lang),
        "region": directory.region_name(agreement.region_code, chinese=lang.is_chinese),
        "generated_at": utc_now(),
    }
    return environment.get_template("committee/agreements/document.html").render(context)


def document_pdf(actor: Actor, uow: UnitOfWork, agreement_id: int, lang: PageLanguage) -> bytes:
    """The document printed to PDF, its fonts embedded (see web/risks/report.py)."""
    return print_pdf(document_html(actor, uow, agreement_id, lang))


def language_named(code: str) -> PageLanguage:
    """The document's language by its code (zh_CN or en); Chinese when unknown."""
    locale = LOCALES.get(code) or LOCALES["zh_CN"]
    return PageLanguage(locale, translations(locale.code))


def _pdf(request: Request, actor: Actor, uow: UnitOfWork, agreement_id: int) -> Response:
    agreement = agreements.get_agreement(uow, actor, agreement_id)
    content = document_pdf(actor, uow, agreement_id, export_language(request))
    name = f"agreement-{agreement.region_code}-{agreement.number}-v{agreement.version}.pdf"
    return Response(
        content,
        media_type=PDF_MEDIA_TYPE,
        headers={
            "Content-Disposition": f'attachment; filename="{name}"',
            "Cache-Control": "no-store",
        },
    )


@router.get("/committee/agreements/{agreement_id}/document")
def document_page(request: Request, actor: PageActor, uow: UowDep, agreement_id: str) -> Response:
    """The agreement's text as a document to read or print."""
    try:
        html = document_html(actor, uow, agreement_id_of(agreement_id), export_language(request))
    except CrossriskError as refusal:
        return error_page(request, refusal, actor=actor, names=read_directory(uow, actor))
    return Response(html, media_type="text/html; charset=utf-8")


@router.get("/committee/agreements/{agreement_id}/document.pdf")
def document_pdf_page(
    request: Request, actor: PageActor, uow: UowDep, agreement_id: str
) -> Response:
    """The document as PDF, from the agreement page's link."""
    try:
        return _pdf(request, actor, uow, agreement_id_of(agreement_id))
    except CrossriskError as refusal:
        return error_page(request, refusal, actor=actor, names=read_directory(uow, actor))


@router.get("/api/agreements/{agreement_id}/document.pdf", tags=["agreements"])
def document_pdf_api(
    request: Request, actor: ActorDep, uow: UowDep, agreement_id: RowId
) -> Response:
    """The document as PDF for API clients; `?lang=en` for English (Chinese first)."""
    return _pdf(request, actor, uow, agreement_id)
