"""The allocation pages: a form to propose one for open requests, and an allocation with its
editable lines, what it could not meet, its map of flows and the committee's approval."""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from fastapi import APIRouter, Request
from starlette.responses import RedirectResponse, Response

from crossrisk.domain.aid.allocation import EDITED_LINES_MAX, Allocation, AllocationState
from crossrisk.domain.aid.request import RequestState
from crossrisk.domain.errors import CrossriskError, InvalidInput, NotFound
from crossrisk.domain.organisation import Actor
from crossrisk.domain.permissions.regions import can_coordinate
from crossrisk.http.deps import ID_MAX, UowDep, check_csrf, utc_now
from crossrisk.services import aid_requests, allocations, regions
from crossrisk.services.allocation_inputs import ALLOCATABLE, AllocationContext
from crossrisk.services.allocations import EditedLine
from crossrisk.services.policy_tables import aid_catalogue
from crossrisk.store.uow import UnitOfWork
from crossrisk.web.accounts.session import PageActor
from crossrisk.web.shared.directory import read_directory
from crossrisk.web.shared.i18n import PageLanguage
from crossrisk.web.shared.rendering import error_page, error_status, page_error, render

router = APIRouter(include_in_schema=False)
FIELD_MAX = 32  # a number typed in a form field: longer is not a number


@dataclass(frozen=True, slots=True)
class Row:
    index: int
    donor_code: str
    donor: str
    request_id: int
    request_line_id: int
    destination: str
    item_code: str
    item: str
    unit: str
    quantity: float
    approved: float | None
    hours: float
    stale: bool
    commitment_id: int | None


def _id(value: str, *, what: str) -> int:
    if not value.isascii() or not value.isdigit() or len(value) > 10 or int(value) > ID_MAX:
        raise NotFound(f"no {what} {value[:20]!r}", key=f"{what}-not-found")
    number = int(value)
    if number < 1:
        raise NotFound(f"no {what} {value[:20]!r}", key=f"{what}-not-found")
    return number


def _quantity(value: str | None) -> float:
    text = (value or "").strip().replace(",", "")
    try:
        number = float(text) if 0 < len(text) <= FIELD_MAX and "\x00" not in text else math.nan
    except ValueError:
        number = math.nan
    if not math.isfinite(number) or number < 0:
        raise InvalidInput(
            f"a quantity is a number not below 0, not {text[:20]!r}",
            key="quantity-invalid",
            params={"quantity": text[:20]},
        )
    return number


def _names(uow: UnitOfWork, actor: Actor, region_code: str) -> dict[str, tuple[str, str]]:
    return {
        s.code: (s.name_zh, s.name_en) for s in regions.region_summaries(uow, actor, region_code)
    }


def _open_requests(uow: UnitOfWork, actor: Actor) -> list[dict[str, Any]]:
    """The requests a proposal may take: submitted or approved, with a line still needed."""
    found = []
    for progress in aid_requests.list_requests(uow, actor, now=utc_now()):
        request = progress.request
        if request.state not in ALLOCATABLE:
            continue
        needed = sum(p.still_needed for p in progress.lines.values())
        if needed <= 0 or progress.state is RequestState.CLOSED:
            continue
        found.append({"progress": progress, "needed": needed})
    return found


def _new_page(
    request: Request,
    actor: Actor,
    uow: UnitOfWork,
    *,
    chosen: set[int] | None = None,
    refusal: CrossriskError | None = None,
) -> Response:
    lang = PageLanguage.of(request)
    catalogue = aid_catalogue()
    names: dict[str, tuple[str, str]] = {}
    for region in regions.readable_regions(uow, actor):
        names |= _names(uow, actor, region.code)
    open_requests = []
    for entry in _open_requests(uow, actor):
        progress = entry["progress"]
        request_ = progress.request
        open_requests.append(
            {
                "id": request_.id,
                "city": lang.pick(*names.get(request_.jurisdiction_code, ("", "")))
                or request_.jurisdiction_code,
                "state": progress.state.value,
                "risk_id": request_.risk_id,
                "lines": [
                    (
                        catalogue.item(line.item_code).name(lang.locale.code),
                        progress.lines[line.id or 0].still_needed,
                        catalogue.item(line.item_code).unit_name(lang.locale.code),
                    )
                    for line in request_.lines
                ],
                "coordinates": can_coordinate(actor, request_.region_code),
            }
        )
    context = {
        "open_requests": open_requests,
        "chosen": chosen or set(),
        "recent": allocations.list_allocations(uow, actor)[:20],
        "coordinates": any(r["coordinates"] for r in open_requests),
    }
    if refusal is not None:
        context["error"] = page_error(lang, refusal, read_directory(uow, actor))
    return render(
        request,
        "aid/allocation_new.html",
        context,
        actor=actor,
        status_code=200 if refusal is None else error_status(refusal),
    )


@router.get("/aid/allocations/new")
def new_allocation(request: Request, actor: PageActor, uow: UowDep) -> Response:
    """The open requests to allocate, and the allocations made lately."""
    return _new_page(request, actor, uow)


@router.post("/aid/allocations")
async def propose(request: Request, actor: PageActor, uow: UowDep) -> Response:
    """Propose the allocation for the requests ticked; then show it."""
    data = await request.form()
    chosen: set[int] = set()
    try:
        check_csrf(request, str(data.get("csrf_token") or ""))
        values = [str(v) for v in data.getlist("request_id")][:1000]
        for value in values:
            if not value.isascii() or not value.isdigit() or len(value) > 19:
                raise InvalidInput("a request id is a whole number", key="invalid-id")
            chosen.add(int(value))
        made = allocations.propose(
            uow,
            actor,
            sorted(chosen),
            fair=data.get("fair") == "on",
            context=AllocationContext.of(request.app.state.settings),
            now=utc_now(),
        )
    except CrossriskError as refusal:
        return _new_page(request, actor, uow, chosen=chosen, refusal=refusal)
    return RedirectResponse(f"/aid/allocations/{made.id}", status_code=303)


def _rows(
    allocation: Allocation,
    lang: PageLanguage,
    names: Mapping[str, tuple[str, str]],
    lines_of: Mapping[int, tuple[int, str]],
) -> list[Row]:
    catalogue = aid_catalogue()
    rows = []
    for index, line in enumerate(allocation.lines):
        item = catalogue.item(line.item_code)
        request_id, destination = lines_of.get(line.request_line_id, (0, ""))
        rows.append(
            Row(
                index=index,
                donor_code=line.donor_jurisdiction_code,
                donor=lang.pick(*names.get(line.donor_jurisdiction_code, ("", "")))
                or line.donor_jurisdiction_code,
                request_id=request_id,
                request_line_id=line.request_line_id,
                destination=destination,
                item_code=line.item_code,
                item=item.name(lang.locale.code),
                unit=item.unit_name(lang.locale.code),
                quantity=line.quantity,
                approved=line.approved_quantity,
                hours=line.hours,
                stale=line.stale,
                commitment_id=line.commitment_id,
            )
        )
    return rows


def _detail(
    request: Request,
    actor: Actor,
    uow: UnitOfWork,
    allocation_id: int,
    *,
    form: Mapping[str, str] | None = None,
    refusal: CrossriskError | None = None,
) -> Response:
    lang = PageLanguage.of(request)
    catalogue = aid_catalogue()
    allocation = allocations.get_allocation(uow, actor, allocation_id)
    names = _names(uow, actor, allocation.region_code)
    lines_of: dict[int, tuple[int, str]] = {}
    requests = []
    for request_id in allocation.request_ids:
        try:
            progress = aid_requests.get_request(uow, actor, request_id, now=utc_now())
        except NotFound:
            continue
        requests.append(progress.request)
        for line in progress.request.lines:
            lines_of[line.id or 0] = (request_id, line.destination.name)
    rows = _rows(allocation, lang, names, lines_of)
    unmet = [
        {
            "request_id": lines_of.get(u.request_line_id, (0, ""))[0],
            "destination": lines_of.get(u.request_line_id, (0, ""))[1],
            "item": catalogue.item(u.item_code).name(lang.locale.code),
            "unit": catalogue.item(u.item_code).unit_name(lang.locale.code),
            "quantity": u.quantity,
        }
        for u in allocation.unmet
    ]
    donors = [
        {
            "name": lang.pick(*names.get(d.jurisdiction_code, ("", ""))) or d.jurisdiction_code,
            "items": [
                (
                    catalogue.item(item).name(lang.locale.code),
                    quantity,
                    d.reserve.get(item, 0.0),
                    item in d.stale_items,
                )
                for item, quantity in sorted(d.stock.items())
            ],
        }
        for d in allocation.donors
    ]
    approved = allocation.state is AllocationState.APPROVED
    flows = [
        {
            "from": [line.donor_point[1], line.donor_point[0]],
            "to": [line.destination_point[1], line.destination_point[0]],
            "donor": row.donor,
            "destination": row.destination,
            "item": row.item,
            "unit": row.unit,
            "quantity": (line.approved_quantity or 0.0) if approved else line.quantity,
            "hours": round(line.hours, 2),
        }
        for line, row in zip(allocation.lines, rows, strict=True)
        if ((line.approved_quantity or 0.0) if approved else line.quantity) > 0
    ]
    context = {
        "allocation": allocation,
        "rows": rows,
        "unmet": unmet,
        "donors": donors,
        "form": form or {},
        "editable": allocation.state is AllocationState.PROPOSED
        and can_coordinate(actor, allocation.region_code),
        "page_data": {
            "lang": lang.locale.html_lang,
            "flows": flows,
            "boundariesUrl": f"/api/regions/{allocation.region_code}/jurisdictions",
        },
    }
    if refusal is not None:
        context["error"] = page_error(lang, refusal, read_directory(uow, actor))
    return render(
        request,
        "aid/allocation.html",
        context,
        actor=actor,
        status_code=200 if refusal is None else error_status(refusal),
    )


@router.get("/aid/allocations/{allocation_id}")
def allocation_page(
    request: Request, actor: PageActor, uow: UowDep, allocation_id: str
) -> Response:
    """An allocation: its lines (editable while proposed), unmet need, map and approval."""
    try:
        return _detail(request, actor, uow, _id(allocation_id, what="allocation"))
    except CrossriskError as refusal:
        return error_page(request, refusal, actor=actor, names=read_directory(uow, actor))


@router.post("/aid/allocations/{allocation_id}/approval")
async def approve(request: Request, actor: PageActor, uow: UowDep, allocation_id: str) -> Response:
    """Approve the allocation with the quantities in the form (changed ones as edits)."""
    try:
        number = _id(allocation_id, what="allocation")
    except CrossriskError as refusal:
        return error_page(request, refusal, actor=actor, names=read_directory(uow, actor))
    data = await request.form()
    form = {k: str(v) for k, v in data.items() if isinstance(v, str)}
    try:
        check_csrf(request, form.get("csrf_token"))
        current = allocations.get_allocation(uow, actor, number)
        edited: list[EditedLine] | None = None
        quantities = [
            _quantity(form.get(f"quantity_{index}", str(line.quantity)))
            for index, line in enumerate(current.lines[:EDITED_LINES_MAX])
        ]
        if any(q != line.quantity for q, line in zip(quantities, current.lines, strict=False)):
            edited = [
                EditedLine(
                    donor_jurisdiction_code=line.donor_jurisdiction_code,
                    request_line_id=line.request_line_id,
                    item_code=line.item_code,
                    quantity=q,
                )
                for q, line in zip(quantities, current.lines, strict=False)
            ]
        allocations.approve(
            uow,
            actor,
            number,
            edited,
            context=AllocationContext.of(request.app.state.settings),
            now=utc_now(),
        )
    except CrossriskError as refusal:
        try:
            return _detail(request, actor, uow, number, form=form, refusal=refusal)
        except CrossriskError as unreadable:
            return error_page(request, unreadable, actor=actor, names=read_directory(uow, actor))
    return RedirectResponse(f"/aid/allocations/{number}", status_code=303)


@router.post("/aid/allocations/{allocation_id}/discarding")
async def discard(request: Request, actor: PageActor, uow: UowDep, allocation_id: str) -> Response:
    """Set the proposal aside."""
    try:
        number = _id(allocation_id, what="allocation")
    except CrossriskError as refusal:
        return error_page(request, refusal, actor=actor, names=read_directory(uow, actor))
    data = await request.form()
    try:
        check_csrf(request, str(data.get("csrf_token") or ""))
        allocations.discard(uow, actor, number, now=utc_now())
    except CrossriskError as refusal:
        try:
            return _detail(request, actor, uow, number, refusal=refusal)
        except CrossriskError as unreadable:
            return error_page(request, unreadable, actor=actor, names=read_directory(uow, actor))
    return RedirectResponse(f"/aid/allocations/{number}", status_code=303)
