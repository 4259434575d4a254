"""The committee's year view of annual plan and cooperation items, an item's page, its forms."""

from __future__ import annotations

from datetime import date
from typing import Any

from fastapi import APIRouter, Request
from starlette.responses import RedirectResponse, Response

from crossrisk.domain.annual import (
    DESCRIPTION_MAX,
    REASON_MAX,
    TITLE_MAX,
    YEAR_MAX,
    YEAR_MIN,
    AnnualItem,
    ItemDraft,
    ItemKind,
    check_draft,
    year_counts,
)
from crossrisk.domain.errors import CrossriskError, InvalidInput, NotFound
from crossrisk.domain.moments import calendar_day, local_day
from crossrisk.domain.organisation import Actor
from crossrisk.domain.permissions.regions import can_coordinate, require_coordinate
from crossrisk.domain.region import Region
from crossrisk.http.deps import ID_MAX, UowDep, check_csrf, utc_now
from crossrisk.services import annual, regions
from crossrisk.services.region_bodies import region_bodies
from crossrisk.store.uow import UnitOfWork
from crossrisk.web.accounts.session import PageActor
from crossrisk.web.committee.annual_view import KIND_NAMES, line_of, quarters, year_table
from crossrisk.web.shared.directory import Directory, read_directory
from crossrisk.web.shared.i18n import PageLanguage
from crossrisk.web.shared.region_choice import chosen_region
from crossrisk.web.shared.rendering import error_page, error_status, page_error, render
from crossrisk.web.shared.tables import XLSX_MEDIA_TYPE, export_language, to_xlsx

router = APIRouter(include_in_schema=False)

CODE_MAX = 64
FIELD_MAX = DESCRIPTION_MAX + 1  # a form field longer than any text it may hold is cut


def _year(value: str | None) -> int:
    text = (value or "").strip()
    if not text:
        return local_day(utc_now()).year
    if not text.isdigit() or len(text) > 4 or not YEAR_MIN <= int(text) <= YEAR_MAX:
        raise InvalidInput(
            f"the year must lie within {YEAR_MIN}–{YEAR_MAX}",
            key="annual-year-out-of-range",
            params={"year": text[:8], "min": YEAR_MIN, "max": YEAR_MAX},
        )
    return int(text)


def _item_id(value: str) -> int:
    if not value.isdigit() or len(value) > 10 or not 0 < int(value) <= ID_MAX:
        raise NotFound(f"no annual item {value[:20]!r}", key="annual-item-not-found")
    return int(value)


def _owners(
    uow: UnitOfWork, region_code: str, directory: Directory, lang: PageLanguage
) -> list[tuple[str, str]]:
    """The organisations that may own an item, named in the page's language."""
    with uow.read_only() as tx:
        bodies = region_bodies(tx, region_code)
    codes = [
        bodies.coordination_body,
        *sorted(bodies.domain_offices.values()),
        *sorted(bodies.jurisdiction_organisations.values()),
    ]
    return [(c, directory.organisation_name(c, chinese=lang.is_chinese)) for c in codes]


def _fields(data: Any) -> dict[str, str]:
    return {
        str(key)[:CODE_MAX]: str(value)[:FIELD_MAX]
        for key, value in data.items()
        if isinstance(value, str)
    }


def _draft(fields: dict[str, str]) -> ItemDraft:
    """The item form as a checked draft."""
    due = calendar_day(fields.get("due", "").strip()[:20], "due")
    if due is None:
        raise InvalidInput("the due day is missing", key="date-invalid", params={"name": "due"})
    serves_id = fields.get("serves_id", "").strip()
    if serves_id and (not serves_id.isdigit() or len(serves_id) > 19):
        serves_id = "0"  # refused by the draft with its own sentence
    return check_draft(
        year=_year(fields.get("year")),
        kind=fields.get("kind", ""),
        title=fields.get("title", ""),
        title_en=fields.get("title_en", ""),
        description=fields.get("description", ""),
        owner_code=fields.get("owner", ""),
        due=due,
        serves_kind=fields.get("serves_kind", "").strip() or None,
        serves_id=int(serves_id) if serves_id else None,
    )


def _render(
    request: Request,
    actor: Actor,
    template: str,
    context: dict[str, Any],
    directory: Directory,
    refusal: CrossriskError | None,
) -> Response:
    """A page of items with the form's choices and bounds, and the refusal if there is one."""
    lang = PageLanguage.of(request)
    context = {
        **context,
        "kinds": [(k.value, lang.gettext(KIND_NAMES[k])) for k in ItemKind],
        "title_max": TITLE_MAX,
        "description_max": DESCRIPTION_MAX,
        "reason_max": REASON_MAX,
    }
    if refusal is not None:
        context["error"] = page_error(lang, refusal, directory)
    status = 200 if refusal is None else error_status(refusal)
    return render(request, template, context, actor=actor, status_code=status)


def _year_page(
    request: Request,
    actor: Actor,
    uow: UnitOfWork,
    *,
    region: Region,
    year: int,
    form: dict[str, str] | None = None,
    refusal: CrossriskError | None = None,
) -> Response:
    lang = PageLanguage.of(request)
    now = utc_now()
    directory = read_directory(uow, actor, region_codes={region.code})
    items = annual.items_of_year(uow, actor, region.code, year)
    owner = request.query_params.get("owner", "")[:CODE_MAX]
    kind = request.query_params.get("kind", "")[:CODE_MAX]
    shown = [
        i
        for i in items
        if (not owner or i.owner_code == owner) and (not kind or i.kind.value == kind)
    ]
    lines = [line_of(i, lang, directory, actor, now) for i in shown]
    context: dict[str, Any] = {
        "region": region,
        "regions": regions.readable_regions(uow, actor),
        "year": year,
        "years": (year - 1, year + 1),
        "quarters": quarters(lines, lang),
        "counts": year_counts(shown, now=now),
        "owners": _owners(uow, region.code, directory, lang),
        "owner": owner,
        "kind": kind,
        "may_add": can_coordinate(actor, region.code),
        "form": form or {"year": str(year), "due": f"{year}-12-31"},
    }
    return _render(request, actor, "committee/annual/year.html", context, directory, refusal)


def _item_page(
    request: Request,
    actor: Actor,
    uow: UnitOfWork,
    item: AnnualItem,
    *,
    form: dict[str, str] | None = None,
    refusal: CrossriskError | None = None,
) -> Response:
    lang = PageLanguage.of(request)
    directory = read_directory(uow, actor, region_codes={item.region_code})
    context: dict[str, Any] = {
        "line": line_of(item, lang, directory, actor, utc_now()),
        "item": item,
        "created_by": directory.person_name(item.created_by),
        "done_by": directory.person_name(item.done_by) if item.done_by else "",
        "owners": _owners(uow, item.region_code, directory, lang),
        "form": {**_form_of(item), **(form or {})},
    }
    return _render(request, actor, "committee/annual/item.html", context, directory, refusal)


def _form_of(item: AnnualItem) -> dict[str, str]:
    return {
        "year": str(item.year),
        "kind": item.kind.value,
        "title": item.title,
        "title_en": item.title_en or "",
        "description": item.description,
        "owner": item.owner_code,
        "due": item.due.isoformat(),
        "serves_kind": "" if item.serves_kind is None else item.serves_kind.value,
        "serves_id": "" if item.serves_id is None else str(item.serves_id),
        "new_due": date(item.due.year, 12, 31).isoformat(),
    }


@router.get("/committee/annual")
def year_view(request: Request, actor: PageActor, uow: UowDep) -> Response:
    """A region's items of one year (`?year=`), by quarter, with counts and filters."""
    params = request.query_params
    try:
        region = chosen_region(uow, actor, params.get("region", "")[:CODE_MAX])
        return _year_page(request, actor, uow, region=region, year=_year(params.get("year")))
    except CrossriskError as refusal:
        return error_page(request, refusal, actor=actor, names=read_directory(uow, actor))


@router.get("/committee/annual/export.xlsx")
def year_export(request: Request, actor: PageActor, uow: UowDep) -> Response:
    """The year's items as an Excel workbook."""
    params = request.query_params
    try:
        region = chosen_region(uow, actor, params.get("region", "")[:CODE_MAX])
        year = _year(params.get("year"))
        items = annual.items_of_year(uow, actor, region.code, year)
    except CrossriskError as refusal:
        return error_page(request, refusal, actor=actor, names=read_directory(uow, actor))
    lang = export_language(request)
    directory = read_directory(uow, actor, region_codes={region.code})
    now = utc_now()
    lines = [line_of(i, lang, directory, actor, now) for i in items]
    name = f"annual-items-{region.code}-{year}.xlsx"
    return Response(
        to_xlsx(year_table(lines, lang, year)),
        media_type=XLSX_MEDIA_TYPE,
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


@router.post("/committee/annual")
async def add_item(request: Request, actor: PageActor, uow: UowDep) -> Response:
    """The committee sets an item of the year."""
    fields = _fields(await request.form())
    try:
        region = chosen_region(uow, actor, fields.get("region", "")[:CODE_MAX])
    except CrossriskError as refusal:
        return error_page(request, refusal, actor=actor, names=read_directory(uow, actor))
    try:
        check_csrf(request, fields.get("csrf_token"))
        require_coordinate(actor, region.code)
        item = annual.add_item(uow, actor, region.code, _draft(fields), now=utc_now())
    except CrossriskError as refusal:
        year = int(fields["year"]) if fields.get("year", "").isdigit() else 0
        year = year if YEAR_MIN <= year <= YEAR_MAX else local_day(utc_now()).year
        return _year_page(
            request, actor, uow, region=region, year=year, form=fields, refusal=refusal
        )
    return RedirectResponse(
        f"/committee/annual?region={region.code}&year={item.year}#item-{item.id}",
        status_code=303,
    )


@router.get("/committee/annual/{item_id}")
def item_view(item_id: str, request: Request, actor: PageActor, uow: UowDep) -> Response:
    """One item: its facts, and the forms its owner or the committee may use."""
    try:
        item = annual.get_item(uow, actor, _item_id(item_id))
    except CrossriskError as refusal:
        return error_page(request, refusal, actor=actor, names=read_directory(uow, actor))
    return _item_page(request, actor, uow, item)


@router.post("/committee/annual/{item_id}")
async def edit_item(item_id: str, request: Request, actor: PageActor, uow: UowDep) -> Response:
    """The committee edits the item."""
    return await _change(item_id, request, actor, uow, edit=True)


@router.post("/committee/annual/{item_id}/status")
async def change_status(item_id: str, request: Request, actor: PageActor, uow: UowDep) -> Response:
    """Progress or done (owner or committee); deferred or cancelled (committee)."""
    return await _change(item_id, request, actor, uow, edit=False)


async def _change(
    item_id: str, request: Request, actor: Actor, uow: UnitOfWork, *, edit: bool
) -> Response:
    fields = _fields(await request.form())
    try:
        item = annual.get_item(uow, actor, _item_id(item_id))
    except CrossriskError as refusal:
        return error_page(request, refusal, actor=actor, names=read_directory(uow, actor))
    try:
        check_csrf(request, fields.get("csrf_token"))
        if edit:
            require_coordinate(actor, item.region_code)
            annual.edit_item(uow, actor, item.id or 0, _draft(fields), now=utc_now())
        else:
            new_due = calendar_day(fields.get("new_due", "").strip()[:20], "new_due")
            change = annual.StatusChange(
                status=fields.get("status", "")[:CODE_MAX],
                reason=fields.get("reason", ""),
                new_due=new_due,
            )
            annual.change_status(uow, actor, item.id or 0, change, now=utc_now())
    except CrossriskError as refusal:
        return _item_page(request, actor, uow, item, form=fields, refusal=refusal)
    return RedirectResponse(f"/committee/annual/{item.id}", status_code=303)
