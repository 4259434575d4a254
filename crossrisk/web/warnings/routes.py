"""The warning inbox page, and its table the page swaps in as events arrive."""

from __future__ import annotations

from fastapi import APIRouter, Request
from starlette.responses import Response

from crossrisk.http.deps import UowDep, csrf_token
from crossrisk.services import live
from crossrisk.web.accounts.session import PageActor
from crossrisk.web.shared.i18n import PageLanguage
from crossrisk.web.shared.rendering import render
from crossrisk.web.warnings.tables import inbox_rows, live_texts, notice_texts

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
        "texts": {**live_texts(lang), **notice_texts(lang)},
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
