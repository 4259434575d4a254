"""The register page: search, filters, order and pages; and its exports (CSV, Excel).

Every choice travels in the query string, so a filtered page is a link one can send, and
the export links carry the same filters as the page shows.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from fastapi import APIRouter, Request
from starlette.responses import Response

from crossrisk.domain.errors import CrossriskError, InvalidInput, NotFound
from crossrisk.domain.organisation import Actor
from crossrisk.domain.register import RiskQuery, RiskSort, parse_query
from crossrisk.domain.risk import EventLevel, RiskCategory, RiskStatus
from crossrisk.http.deps import ActorDep, UowDep
from crossrisk.locale import N_
from crossrisk.services import regions, register
from crossrisk.store.uow import UnitOfWork
from crossrisk.web.accounts.session import PageActor
from crossrisk.web.risks.exports import register_table
from crossrisk.web.risks.routes import may_register
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

# Query-string names of the register's choices, as the form and the links spell them.
FIELDS = ("q", "level", "status", "category", "origin", "affected", "from", "to", "sort")
FORMATS = {"csv": (to_csv, CSV_MEDIA_TYPE), "xlsx": (to_xlsx, XLSX_MEDIA_TYPE)}


def chosen(request: Request) -> dict[str, str]:
    """The register's choices in the query string, each cut to a sane length."""
    return {name: request.query_params.get(name, "")[:200] for name in FIELDS}


def read_query(request: Request, *, limit_max: int | None = None) -> RiskQuery:
    """The register search the query string asks for."""
    given = chosen(request)
    extra: dict[str, Any] = {} if limit_max is None else {"limit_max": limit_max}
    return parse_query(
        text=given["q"],
        level=given["level"],
        status=given["status"],
        category=given["category"],
        origin=given["origin"],
        affected=given["affected"],
        registered_from=given["from"],
        registered_to=given["to"],
        sort=given["sort"],
        limit=request.query_params.get("limit", "")[:10],
        cursor=request.query_params.get("cursor", "")[:400],
        **extra,
    )


@router.get("/risks")
def list_page(request: Request, actor: PageActor, uow: UowDep) -> Response:
    """The register, searched, filtered, ordered and cut into pages."""
    lang = PageLanguage.of(request)
    given = chosen(request)
    directory = read_directory(uow, actor)
    filters = urlencode({name: value for name, value in given.items() if value})
    context: dict[str, Any] = {
        "statuses": list(RiskStatus),
        "categories": list(RiskCategory),
        "levels": list(EventLevel),
        "sorts": [(sort.value, lang.gettext(SORT_LABELS[sort])) for sort in RiskSort],
        "cities": sorted(directory.jurisdictions.values(), key=lambda city: city.code),
        "chosen": given,
        "filters": filters,
        "may_register": may_register(actor, regions.readable_regions(uow, actor)),
        "directory": directory,
        "risks": [],
        "next_url": None,
        "paged": bool(request.query_params.get("cursor")),
    }
    try:
        query = read_query(request)
        page = register.search_register(uow, actor, query)
    except CrossriskError as refusal:
        context["error"] = page_error(lang, refusal, directory)
        return render(
            request, "risks/list.html", context, actor=actor, status_code=_status(refusal)
        )
    context["risks"] = page.risks
    context["filtered"] = query.filtered()
    if page.next_cursor:
        following = {**{k: v for k, v in given.items() if v}, "cursor": page.next_cursor}
        if request.query_params.get("limit"):
            following["limit"] = str(query.limit)
        context["next_url"] = "/risks?" + urlencode(following)
    return render(request, "risks/list.html", context, actor=actor)


@router.get("/risks/export.{kind}")
def export_page(request: Request, actor: PageActor, uow: UowDep, kind: str) -> Response:
    """The filtered register as a file, from a page's export link."""
    try:
        return _export(request, actor, uow, kind)
    except CrossriskError as refusal:
        return error_page(request, refusal, actor=actor, names=read_directory(uow, actor))


@router.get("/api/risks.{kind}")
def export_api(request: Request, actor: ActorDep, uow: UowDep, kind: str) -> Response:
    """The filtered register as a file, for API clients (the filters of GET /api/risks)."""
    return _export(request, actor, uow, kind)


def _export(request: Request, actor: Actor, uow: UnitOfWork, kind: str) -> Response:
    if kind not in FORMATS:
        raise_unknown_format(kind)
    lang = export_language(request)
    extract = register.export_register(uow, actor, read_query(request))
    table = register_table(
        extract.risks, directory=read_directory(uow, actor), lang=lang, cut=extract.cut
    )
    write, media_type = FORMATS[kind]
    return download(write(table), media_type, f"risks.{kind}")


def download(content: bytes, media_type: str, filename: str) -> Response:
    """A file for the browser to save rather than show."""
    return Response(
        content,
        media_type=media_type,
        headers={
            "Content-Disposition": f'attachment; filename="{filename}"',
            "Cache-Control": "no-store",
        },
    )


def raise_unknown_format(kind: str) -> None:
    """Refuse a file format the platform does not write."""
    raise NotFound(f"no export as {kind[:10]!r}; choose csv or xlsx", key="export-format-unknown")


SORT_LABELS = {
    RiskSort.UPDATED: N_("Last change, newest first"),
    RiskSort.CREATED: N_("Registered, newest first"),
    RiskSort.LEVEL: N_("Event level, most severe first"),
}


def _status(refusal: CrossriskError) -> int:
    # A query string the filters cannot read is a bad request of the page itself.
    return 400 if isinstance(refusal, InvalidInput) else error_status(refusal)
