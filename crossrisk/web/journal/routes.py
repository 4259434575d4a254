"""The journal page: is the hash chain intact, and what does it hold?

Below the verification, a browser of the entries the officer may read, filtered by
subject, organisation, action and time, newest first, a page at a time; and the same
extract as CSV or Excel.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from fastapi import APIRouter, Request
from starlette.responses import Response

from crossrisk.domain.errors import CrossriskError, InvalidInput, NotFound
from crossrisk.domain.journal_search import EXPORT_MAX
from crossrisk.domain.organisation import Actor
from crossrisk.http.deps import ActorDep, UowDep, utc_now
from crossrisk.services import journal
from crossrisk.store.uow import UnitOfWork
from crossrisk.web.accounts.session import PageActor
from crossrisk.web.journal.browser import chosen, entry_rows, journal_table, read_query
from crossrisk.web.shared.directory import read_directory
from crossrisk.web.shared.i18n import PageLanguage
from crossrisk.web.shared.rendering import error_page, error_status, page_error, render
from crossrisk.web.shared.tables import (
    CSV_MEDIA_TYPE,
    XLSX_MEDIA_TYPE,
    export_language,
    to_csv,
    to_xlsx,
)

router = APIRouter(include_in_schema=False)
FORMATS = {"csv": (to_csv, CSV_MEDIA_TYPE), "xlsx": (to_xlsx, XLSX_MEDIA_TYPE)}


@router.get("/journal")
def journal_page(request: Request, actor: PageActor, uow: UowDep) -> Response:
    """Verify the whole journal, show the result and browse its entries."""
    lang = PageLanguage.of(request)
    verification = journal.verify_journal(uow, actor)
    directory = read_directory(uow, actor)
    given = chosen(request)
    filters = urlencode({name: value for name, value in given.items() if value})
    context: dict[str, Any] = {
        "verification": verification,
        "verified_at": utc_now(),
        "chosen": given,
        "filters": filters,
        "organisations": sorted(directory.organisations.values(), key=lambda o: o.code),
        "entries": [],
        "next_url": None,
        "paged": bool(request.query_params.get("before")),
    }
    try:
        page = journal.search_journal(uow, actor, read_query(request))
    except CrossriskError as refusal:
        context["error"] = page_error(lang, refusal, directory)
        return render(request, "journal.html", context, actor=actor, status_code=_status(refusal))
    context["entries"] = entry_rows(page.entries, directory=directory, lang=lang)
    if page.next_before is not None:
        following = {k: v for k, v in given.items() if v} | {"before": str(page.next_before)}
        context["next_url"] = "/journal?" + urlencode(following) + "#entries"
    return render(request, "journal.html", context, actor=actor)


@router.get("/journal/export.{kind}")
def export_page(request: Request, actor: PageActor, uow: UowDep, kind: str) -> Response:
    """The filtered journal as a file, from the page's export link."""
    try:
        return _export(request, actor, uow, kind)
    except CrossriskError as refusal:
        return error_page(request, refusal, actor=actor, names=read_directory(uow, actor))


@router.get("/api/journal.{kind}")
def export_api(request: Request, actor: ActorDep, uow: UowDep, kind: str) -> Response:
    """The filtered journal as a file (the filters of GET /api/journal/entries)."""
    return _export(request, actor, uow, kind)


def _export(request: Request, actor: Actor, uow: UnitOfWork, kind: str) -> Response:
    if kind not in FORMATS:
        raise NotFound(
            f"no export as {kind[:10]!r}; choose csv or xlsx", key="export-format-unknown"
        )
    lang = export_language(request)
    page = journal.journal_extract(uow, actor, read_query(request))
    rows = entry_rows(page.entries, directory=read_directory(uow, actor), lang=lang)
    table = journal_table(
        rows, lang=lang, cut=len(rows) >= EXPORT_MAX and page.next_before is not None
    )
    write, media_type = FORMATS[kind]
    return Response(
        write(table),
        media_type=media_type,
        headers={
            "Content-Disposition": f'attachment; filename="journal.{kind}"',
            "Cache-Control": "no-store",
        },
    )


def _status(refusal: CrossriskError) -> int:
    # A query string the filters cannot read is a bad request of the page itself.
    return 400 if isinstance(refusal, InvalidInput) else error_status(refusal)
