"""Mutual aid's pages: the hub, the catalogue, the stocks and one stock with its ledger."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from pydantic import BaseModel
from starlette.responses import RedirectResponse, Response

from crossrisk.domain.aid.stock import StockDraft, Warehouse
from crossrisk.domain.errors import CrossriskError, InvalidInput, NotFound
from crossrisk.domain.moments import local_day
from crossrisk.domain.organisation import Actor
from crossrisk.domain.permissions.aid import can_keep_base_information
from crossrisk.domain.region import Region
from crossrisk.http.deps import ID_MAX, UowDep, check_csrf, utc_now
from crossrisk.locale import N_
from crossrisk.services import regions, stocks
from crossrisk.services.policy_tables import aid_catalogue
from crossrisk.store.uow import UnitOfWork
from crossrisk.web.accounts.session import PageActor
from crossrisk.web.aid.maps import stock_map_config
from crossrisk.web.aid.view import (
    ADJUSTING,
    REASON,
    SHARING,
    amount,
    by_jurisdiction,
    ledger_lines,
    stock_line,
    totals,
    unit_choices,
)
from crossrisk.web.shared.directory import read_directory
from crossrisk.web.shared.i18n import PageLanguage
from crossrisk.web.shared.region_choice import chosen_region
from crossrisk.web.shared.rendering import error_page, page_error, render

router = APIRouter(include_in_schema=False)

# Form fields are strings of a few dozen characters; anything longer is not one of them.
FIELD_MAX = 64

# The other parts of mutual aid, each built on its own; the hub links them all.
SECTIONS = (
    (
        "/aid/stocks",
        N_("Emergency stocks"),
        N_("Each city's relief stocks, their ledger and how fresh each figure is."),
    ),
    (
        "/aid/catalogue",
        N_("Item catalogue"),
        N_("Relief items, their base units and the packs they travel in."),
    ),
    ("/aid/teams", N_("Rescue teams"), N_("Teams by kind and type, headcount and readiness.")),
    ("/aid/equipment", N_("Equipment"), N_("Pumps, generators, boats and other equipment.")),
    ("/aid/shelters", N_("Shelters"), N_("Shelters, their capacity and what is free.")),
    ("/aid/shortfall", N_("Shortfall"), N_("What each city and the region lack for a scenario.")),
    (
        "/aid/demand-factors",
        N_("Demand factors"),
        N_("How much each person needs: the versions the shortfall uses, and their sources."),
    ),
    ("/aid/requests", N_("Aid requests"), N_("Requests, offers, the allocation and shipments.")),
    (
        "/aid/allocations/new",
        N_("Allocations"),
        N_("Who sends what to the open requests, each donor keeping its reserve."),
    ),
    (
        "/aid/commitments",
        N_("Commitments"),
        N_("What each city promised, by when, and whether it was honoured."),
    ),
)


class StockForm(BaseModel):
    csrf_token: str = ""
    region: str = ""
    jurisdiction: str = ""
    item: str = ""
    quantity: str = ""
    unit: str = ""
    warehouse: str = ""
    lon: str = ""
    lat: str = ""
    expires_on: str = ""
    sharing: str = "region"


class AdjustForm(BaseModel):
    csrf_token: str = ""
    reason: str = ""
    quantity: str = ""
    unit: str = ""
    note: str = ""


class ConfirmForm(BaseModel):
    csrf_token: str = ""


class ChangeForm(BaseModel):
    csrf_token: str = ""
    warehouse: str = ""
    lon: str = ""
    lat: str = ""
    expires_on: str = ""
    sharing: str = ""


def _stale_after(request: Request) -> timedelta:
    period: timedelta = request.app.state.settings.base_information_stale_after
    return period


def _stock_id(value: str) -> int:
    """A stock id from an address; anything else names nothing."""
    if not value.isdigit() or len(value) > len(str(ID_MAX)) or int(value) > ID_MAX:
        raise NotFound(
            f"stock {value[:20]!r} does not exist",
            key="stock-not-found",
            params={"id": value[:20]},
        )
    return int(value)


def _quantity(value: str) -> float:
    text = value.strip().replace(",", "")
    try:
        if len(text) > FIELD_MAX:
            raise ValueError(text)
        return float(text)
    except ValueError:
        raise InvalidInput("a quantity must be a number", key="quantity-not-number") from None


def _coordinate(value: str) -> float:
    try:
        if len(value) > FIELD_MAX:
            raise ValueError(value)
        return float(value.strip())
    except ValueError:
        raise InvalidInput(
            "the warehouse's location is not a longitude and latitude", key="location-invalid"
        ) from None


def _date(value: str) -> date | None:
    text = value.strip()
    if not text:
        return None
    try:
        if len(text) > 10:
            raise ValueError(text)
        return date.fromisoformat(text)
    except ValueError:
        raise InvalidInput(f"{text[:20]!r} is not a date", key="date-invalid") from None


@router.get("/aid")
def hub(request: Request, actor: PageActor) -> Response:
    """Mutual aid's front page: links to each of its parts."""
    lang = PageLanguage.of(request)
    sections = [
        {"href": href, "title": lang.gettext(title), "text": lang.gettext(text)}
        for href, title, text in SECTIONS
    ]
    return render(request, "aid/hub.html", {"sections": sections}, actor=actor)


@router.get("/aid/catalogue")
def catalogue(request: Request, actor: PageActor) -> Response:
    """The relief items with their base units and packs."""
    return render(
        request, "aid/catalogue.html", {"catalogue": aid_catalogue(), "amount": amount}, actor=actor
    )


@router.get("/aid/stocks")
def stocks_page(
    request: Request,
    actor: PageActor,
    uow: UowDep,
    region: str = "",
    jurisdiction: str = "",
    item: str = "",
) -> Response:
    """The region's stocks by jurisdiction, with totals per item and the add form."""
    try:
        chosen = chosen_region(uow, actor, region)
        return _stocks_page(request, actor, uow, chosen, jurisdiction=jurisdiction, item=item)
    except CrossriskError as refusal:
        return error_page(request, refusal, actor=actor, names=read_directory(uow, actor))


def _stocks_page(
    request: Request,
    actor: Actor,
    uow: UnitOfWork,
    region: Region,
    *,
    jurisdiction: str = "",
    item: str = "",
    form: StockForm | None = None,
    error: CrossriskError | None = None,
) -> Response:
    lang = PageLanguage.of(request)
    catalogue = aid_catalogue()
    directory = read_directory(uow, actor, region_codes={region.code})
    listed = stocks.list_stocks(
        uow,
        actor,
        region.code,
        jurisdiction_code=jurisdiction[:FIELD_MAX] or None,
        item=item[:FIELD_MAX] or None,
        now=utc_now(),
        stale_after=_stale_after(request),
    )
    today = local_day(utc_now())
    lines = [
        stock_line(s, actor=actor, catalogue=catalogue, directory=directory, lang=lang, today=today)
        for s in listed
    ]
    members = sorted(
        directory.jurisdictions.values(), key=lambda j: j.name_zh if lang.is_chinese else j.name_en
    )
    keepable = [
        j
        for j in members
        if can_keep_base_information(actor, region_code=region.code, jurisdiction_code=j.code)
    ]
    context: dict[str, Any] = {
        "region": region,
        "regions": regions.readable_regions(uow, actor),
        "groups": by_jurisdiction(lines),
        "totals": totals(lines),
        "members": members,
        "keepable": keepable,
        "items": list(catalogue),
        "unit_choices": unit_choices,
        "sharing_labels": {s.value: lang.gettext(label) for s, label in SHARING.items()},
        "filter": {"jurisdiction": jurisdiction, "item": item},
        "form": form or StockForm(jurisdiction=actor.jurisdiction_code or ""),
        "amount": amount,
        "stale_days": _stale_after(request).days,
        "stock_map": stock_map_config(
            region_code=region.code, actor=actor, item=item[:FIELD_MAX], lang=lang
        ),
    }
    if error is not None:
        context["error"] = page_error(lang, error, directory)
    return render(
        request, "aid/stocks.html", context, actor=actor, status_code=200 if error is None else 400
    )


@router.post("/aid/stocks")
def add_stock(
    request: Request, actor: PageActor, uow: UowDep, form: Annotated[StockForm, Form()]
) -> Response:
    """Record a stock from the page's form."""
    try:
        region = chosen_region(uow, actor, form.region)
    except CrossriskError as refusal:
        return error_page(request, refusal, actor=actor, names=read_directory(uow, actor))
    try:
        check_csrf(request, form.csrf_token)
        item = aid_catalogue().item(form.item[:FIELD_MAX])
        draft = StockDraft(
            jurisdiction_code=form.jurisdiction[:FIELD_MAX],
            item_code=item.code,
            quantity=item.to_base(_quantity(form.quantity), form.unit[:FIELD_MAX] or None),
            warehouse=Warehouse(
                name=form.warehouse, lon=_coordinate(form.lon), lat=_coordinate(form.lat)
            ),
            sharing=stocks.parse_sharing(form.sharing[:FIELD_MAX]),
            expires_on=_date(form.expires_on),
        )
        stock = stocks.record_stock(uow, actor, draft, region_code=region.code, now=utc_now())
    except CrossriskError as refusal:
        return _stocks_page(request, actor, uow, region, form=form, error=refusal)
    return RedirectResponse(f"/aid/stocks/{stock.id}", status_code=303)


@router.get("/aid/stocks/{stock_id}")
def stock_page(request: Request, actor: PageActor, uow: UowDep, stock_id: str) -> Response:
    """One stock: its figure, its ledger, and the forms to adjust, confirm and change it."""
    try:
        return _stock_page(request, actor, uow, _stock_id(stock_id))
    except CrossriskError as refusal:
        return error_page(request, refusal, actor=actor, names=read_directory(uow, actor))


def _stock_page(
    request: Request,
    actor: Actor,
    uow: UnitOfWork,
    stock_id: int,
    *,
    error: CrossriskError | None = None,
    adjust_form: AdjustForm | None = None,
    change_form: ChangeForm | None = None,
) -> Response:
    lang = PageLanguage.of(request)
    catalogue = aid_catalogue()
    listed = stocks.get_stock(
        uow, actor, stock_id, now=utc_now(), stale_after=_stale_after(request)
    )
    directory = read_directory(uow, actor, region_codes={listed.stock.region_code})
    line = stock_line(
        listed,
        actor=actor,
        catalogue=catalogue,
        directory=directory,
        lang=lang,
        today=local_day(utc_now()),
    )
    stock = listed.stock
    context: dict[str, Any] = {
        "line": line,
        "ledger": ledger_lines(
            stocks.stock_ledger(uow, actor, stock_id), directory=directory, lang=lang
        ),
        "reasons": [(r.value, lang.gettext(REASON[r])) for r in ADJUSTING],
        "units": unit_choices(catalogue.item(stock.item_code), lang),
        "sharing_labels": {s.value: lang.gettext(label) for s, label in SHARING.items()},
        "adjust_form": adjust_form or AdjustForm(),
        "change_form": change_form
        or ChangeForm(
            warehouse=stock.warehouse.name,
            lon=f"{stock.warehouse.lon:g}",
            lat=f"{stock.warehouse.lat:g}",
            expires_on=stock.expires_on.isoformat() if stock.expires_on else "",
            sharing=stock.sharing.value,
        ),
        "amount": amount,
        "stale_days": _stale_after(request).days,
    }
    if error is not None:
        context["error"] = page_error(lang, error, directory)
    return render(
        request, "aid/stock.html", context, actor=actor, status_code=200 if error is None else 400
    )


@router.post("/aid/stocks/{stock_id}/adjustments")
def adjust(
    request: Request,
    actor: PageActor,
    uow: UowDep,
    stock_id: str,
    form: Annotated[AdjustForm, Form()],
) -> Response:
    """An adjustment from the stock's page: a ledger line with its reason."""
    return _act(
        request,
        actor,
        uow,
        stock_id,
        form.csrf_token,
        lambda number: stocks.adjust_stock(
            uow,
            actor,
            number,
            reason=form.reason[:FIELD_MAX],
            quantity=_quantity(form.quantity),
            unit=form.unit[:FIELD_MAX] or None,
            note=form.note,
            now=utc_now(),
        ),
        adjust_form=form,
    )


@router.post("/aid/stocks/{stock_id}/confirmation")
def confirm(
    request: Request,
    actor: PageActor,
    uow: UowDep,
    stock_id: str,
    form: Annotated[ConfirmForm, Form()],
) -> Response:
    """The keeper confirms the figure is still true."""
    return _act(
        request,
        actor,
        uow,
        stock_id,
        form.csrf_token,
        lambda number: stocks.confirm_stock(uow, actor, number, now=utc_now()),
    )


@router.post("/aid/stocks/{stock_id}/change")
def change(
    request: Request,
    actor: PageActor,
    uow: UowDep,
    stock_id: str,
    form: Annotated[ChangeForm, Form()],
) -> Response:
    """A new warehouse, sharing or expiry from the stock's page."""
    return _act(
        request,
        actor,
        uow,
        stock_id,
        form.csrf_token,
        lambda number: stocks.change_stock(
            uow,
            actor,
            number,
            warehouse=Warehouse(
                name=form.warehouse, lon=_coordinate(form.lon), lat=_coordinate(form.lat)
            ),
            sharing=stocks.parse_sharing(form.sharing[:FIELD_MAX]),
            expires_on=_date(form.expires_on),
            now=utc_now(),
        ),
        change_form=form,
    )


def _act(
    request: Request,
    actor: Actor,
    uow: UnitOfWork,
    stock_id: str,
    csrf: str,
    action: Callable[[int], object],
    *,
    adjust_form: AdjustForm | None = None,
    change_form: ChangeForm | None = None,
) -> Response:
    try:
        number = _stock_id(stock_id)
    except CrossriskError as refusal:
        return error_page(request, refusal, actor=actor)
    try:
        check_csrf(request, csrf)
        action(number)
    except CrossriskError as refusal:
        try:
            return _stock_page(
                request,
                actor,
                uow,
                number,
                error=refusal,
                adjust_form=adjust_form,
                change_form=change_form,
            )
        except CrossriskError as hidden:
            return error_page(request, hidden, actor=actor, names=read_directory(uow, actor))
    return RedirectResponse(f"/aid/stocks/{number}", status_code=303)
