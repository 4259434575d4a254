"""The warning inbox page, and the warning tables pages swap in as events arrive."""

from __future__ import annotations

from fastapi import APIRouter, Request
from starlette.responses import Response

from crossrisk.domain.errors import CrossriskError
from crossrisk.http.deps import UowDep, csrf_token
from crossrisk.services import live, risks
from crossrisk.web.i18n import PageLanguage
from crossrisk.web.rendering import error_page, render
from crossrisk.web.risk_page import risk_id_of
from crossrisk.web.session import PageActor
from crossrisk.web.warning_tables import inbox_rows, live_texts, risk_warning_rows

router = APIRouter(include_in_schema=False)


@router.get("/warnings")
def inbox_page(request: Request, actor: PageActor, uow: UowDep) -> Response:
    """The warnings addressed to the actor's city (or all of its regions'), updated live."""
    lang = PageLanguage.of(request)
    # Read before the list: whatever happens after this position, the page hears of.
    position = live.head_position(uow)
    rows = inbox_rows(uow, actor, lang)
    page_data = {
        "after": position,
        "tableUrl": "/warnings/table",
        "csrfToken": csrf_token(request),
        "texts": live_texts(lang),
    }
    return render(
        request,
        "warnings/inbox.html",
        {"rows": rows, "page_data": page_data},
        actor=actor,
    )


@router.get("/warnings/table")
def inbox_table(request: Request, actor: PageActor, uow: UowDep) -> Response:
    """The inbox table alone, for the page to swap in when a warning event arrives."""
    rows = inbox_rows(uow, actor, PageLanguage.of(request))
    return render(request, "warnings/inbox_table.html", {"rows": rows}, actor=actor)


@router.get("/risks/{risk_id}/warnings")
def risk_warnings_table(request: Request, actor: PageActor, uow: UowDep, risk_id: str) -> Response:
    """A risk's warning table alone, for its page to swap in when a warning event arrives."""
    lang = PageLanguage.of(request)
    try:
        risk = risks.get_risk(uow, actor, risk_id_of(risk_id))
        rows = risk_warning_rows(uow, actor, risk, lang)
    except CrossriskError as refusal:
        return error_page(request, refusal, actor=actor)
    return render(request, "warnings/risk_table.html", {"warning_rows": rows}, actor=actor)
