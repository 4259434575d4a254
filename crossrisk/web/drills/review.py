"""A drill's after-action review as a document: HTML to read or print, and PDF.

The drill's figures are those of its risks taken as one activity; each risk's capability
ratings and improvement plan follow, as the evaluator entered them on that risk's review.
"""

from __future__ import annotations

from fastapi import APIRouter, Request
from starlette.responses import Response

from crossrisk.domain.errors import CrossriskError
from crossrisk.domain.organisation import Actor
from crossrisk.http.deps import ActorDep, UowDep, utc_now
from crossrisk.services import drills, reviews
from crossrisk.store.uow import UnitOfWork
from crossrisk.web.accounts.session import PageActor
from crossrisk.web.drills.routes import BASE, drill_id_of
from crossrisk.web.risks.detail import history_rows
from crossrisk.web.risks.report import PDF_MEDIA_TYPE, print_pdf
from crossrisk.web.risks.review_view import (
    TIMELINE_MAX,
    action_rows,
    capability_rows,
    metrics_context,
)
from crossrisk.web.shared.case_rows import case_row
from crossrisk.web.shared.directory import read_directory
from crossrisk.web.shared.i18n import PageLanguage
from crossrisk.web.shared.rendering import environment, error_page
from crossrisk.web.shared.tables import export_language

router = APIRouter(include_in_schema=False)


def drill_review_html(actor: Actor, uow: UnitOfWork, drill_id: int, lang: PageLanguage) -> str:
    """The drill's review as a printable document in a language (its HTML and its PDF)."""
    now = utc_now()
    record = drills.drill_record(uow, actor, drill_id, now=now)
    drill = record.drill
    directory = read_directory(uow, actor, region_codes={drill.region_code})
    risk_reviews = [
        reviews.review_of_risk(uow, actor, risk.id, now=now)
        for risk in record.risks
        if risk.id is not None
    ]
    parties = sorted({code for report in risk_reviews for code in report.parties})
    context = {
        "lang": lang,
        "_": lang.gettext,
        "drill": drill,
        "region": directory.region_name(drill.region_code, chinese=lang.is_chinese),
        "parties": [directory.organisation_name(c, chinese=lang.is_chinese) for c in parties],
        "risks": [
            {
                "risk": report.risk,
                "capabilities": capability_rows(report, lang),
                "actions": action_rows(report, directory, lang, now=now),
            }
            for report in risk_reviews
        ],
        **metrics_context(record.metrics, directory, lang),
        "cases": [case_row(c, directory, lang) for c in record.cases],
        "timeline": history_rows(record.timeline[-TIMELINE_MAX:], directory, lang),
        "timeline_cut": len(record.timeline) > TIMELINE_MAX,
        "generated_at": now,
        "issuer": lang.pick(actor.organisation.name_zh, actor.organisation.name_en),
    }
    return environment.get_template("drills/review_document.html").render(context)


@router.get(BASE + "/{drill_id}/review/document")
def review_document(request: Request, actor: PageActor, uow: UowDep, drill_id: str) -> Response:
    """The drill's review as an HTML document; `?lang=en` for English."""
    try:
        html = drill_review_html(actor, uow, drill_id_of(drill_id), export_language(request))
    except CrossriskError as refusal:
        return error_page(request, refusal, actor=actor, names=read_directory(uow, actor))
    return Response(html, media_type="text/html; charset=utf-8")


@router.get(BASE + "/{drill_id}/review.pdf")
def review_pdf_page(request: Request, actor: PageActor, uow: UowDep, drill_id: str) -> Response:
    """The drill's review as PDF, from the drill's page; `?lang=en` for English."""
    try:
        return _pdf(request, actor, uow, drill_id_of(drill_id))
    except CrossriskError as refusal:
        return error_page(request, refusal, actor=actor, names=read_directory(uow, actor))


@router.get("/api" + BASE + "/{drill_id}/review.pdf", tags=["drills"])
def review_pdf_api(request: Request, actor: ActorDep, uow: UowDep, drill_id: str) -> Response:
    """The drill's review as PDF for API clients; `?lang=en` for English (Chinese first)."""
    return _pdf(request, actor, uow, drill_id_of(drill_id))


def _pdf(request: Request, actor: Actor, uow: UnitOfWork, drill_id: int) -> Response:
    content = print_pdf(drill_review_html(actor, uow, drill_id, export_language(request)))
    return Response(
        content,
        media_type=PDF_MEDIA_TYPE,
        headers={
            "Content-Disposition": f'attachment; filename="drill-{drill_id}-review.pdf"',
            "Cache-Control": "no-store",
        },
    )
