"""The forms of the aid request pages, and how their fields become the services' drafts.

The pages speak Beijing time and packs; the services take aware UTC times and base units.
Every field is a bounded string here, and what it means is checked by the domain.
"""

from __future__ import annotations

from collections.abc import Sequence

from pydantic import BaseModel

from crossrisk.domain.aid.catalogue import Catalogue
from crossrisk.domain.aid.offer import OfferLineDraft
from crossrisk.domain.aid.request import LINES_MAX, Destination, LineDraft, Priority
from crossrisk.domain.errors import InvalidInput, NotFound
from crossrisk.domain.region import JurisdictionSummary
from crossrisk.http.deps import ID_MAX
from crossrisk.web.aid.request_values import parse_quantity
from crossrisk.web.shared.form_times import parse_local

# How many blank line rows the new-request form offers; a row left without a quantity is
# skipped, so a request of one line fills one row.
FORM_ROWS = 3
FIELD_MAX = 200


class RequestForm(BaseModel):
    """The new-request form: one value per row in each list, substitutes as "row:item"."""

    csrf_token: str = ""
    region: str = ""
    jurisdiction: str = ""
    risk_id: str = ""
    item: list[str] = []
    quantity: list[str] = []
    unit: list[str] = []
    priority: list[str] = []
    needed_by: list[str] = []
    destination: list[str] = []
    lon: list[str] = []
    lat: list[str] = []
    substitutes: list[str] = []


class ReasonForm(BaseModel):
    csrf_token: str = ""
    reason: str = ""


class OfferForm(BaseModel):
    csrf_token: str = ""
    request_line: str = ""
    item: str = ""
    quantity: str = ""
    unit: str = ""
    earliest_dispatch: str = ""
    estimated_arrival: str = ""
    cost_cny: str = ""
    note: str = ""


class AcceptForm(BaseModel):
    csrf_token: str = ""
    request: str = ""  # the request page to come back to
    line: list[str] = []  # offer lines to accept; none for every line not yet accepted


class WithdrawForm(BaseModel):
    csrf_token: str = ""
    request: str = ""
    reason: str = ""


class DispatchForm(BaseModel):
    csrf_token: str = ""
    request: str = ""
    quantity: str = ""
    unit: str = ""
    mode: str = "road"
    reference: str = ""
    expected_arrival: str = ""
    stock: str = ""  # the donor's stock to issue from; blank: first expiring first out


class ReceiptForm(BaseModel):
    csrf_token: str = ""
    request: str = ""
    quantity: str = ""
    note: str = ""


def row_id(value: str, *, what: str = "request") -> int:
    """A row id from a form or an address; anything else names nothing."""
    if not value.isdigit() or len(value) > len(str(ID_MAX)) or int(value) > ID_MAX:
        raise NotFound(
            f"{what} {value[:20]!r} does not exist",
            key=f"{what}-not-found",
            params={"id": value[:20]},
        )
    return int(value)


def _text(value: str) -> str:
    return value[: FIELD_MAX + 1]


def _at(values: Sequence[str], index: int) -> str:
    return _text(values[index]).strip() if index < len(values) else ""


def _coordinate(text: str, fallback: float) -> float:
    if not text:
        return fallback
    try:
        if len(text) > 32:
            raise ValueError(text)
        return float(text)
    except ValueError:
        raise InvalidInput(
            "the destination is not a longitude and latitude", key="location-invalid"
        ) from None


def _priority(value: str) -> Priority:
    try:
        return Priority(value)
    except ValueError:
        raise InvalidInput(f"unknown priority {value[:40]!r}", key="unknown-priority") from None


def line_drafts(form: RequestForm, *, city: JurisdictionSummary, chinese: bool) -> list[LineDraft]:
    """The filled rows as line drafts; a blank destination is the city's own point."""
    rows = min(len(form.quantity), LINES_MAX + 1)
    chosen: dict[int, list[str]] = {}
    for value in form.substitutes[: rows * 20]:
        row, _, code = _text(value).partition(":")
        if row.isdigit() and int(row) < rows and code:
            chosen.setdefault(int(row), []).append(code)
    drafts = []
    for index in range(rows):
        quantity = _at(form.quantity, index)
        if not quantity:
            continue
        unit = _at(form.unit, index)
        drafts.append(
            LineDraft(
                item_code=_at(form.item, index),
                quantity=parse_quantity(quantity),
                unit=unit or None,
                priority=_priority(_at(form.priority, index)),
                needed_by=parse_local(_at(form.needed_by, index)),
                destination=Destination(
                    name=_at(form.destination, index)
                    or (city.name_zh if chinese else city.name_en),
                    lon=_coordinate(_at(form.lon, index), city.label_lon),
                    lat=_coordinate(_at(form.lat, index), city.label_lat),
                ),
                substitutes=tuple(chosen.get(index, ())),
            )
        )
    return drafts


def offer_draft(form: OfferForm, *, catalogue: Catalogue, line_item: str) -> OfferLineDraft:
    """One offer line in base units; the item is the request line's unless a substitute."""
    item_code = _text(form.item).strip() or line_item
    quantity = parse_quantity(_text(form.quantity))
    unit = _text(form.unit).strip()
    if unit:
        quantity = catalogue.item(item_code).to_base(quantity, unit)
    cost = _text(form.cost_cny).strip()
    return OfferLineDraft(
        request_line_id=row_id(_text(form.request_line), what="request-line"),
        item_code=item_code,
        quantity=quantity,
        earliest_dispatch=parse_local(_text(form.earliest_dispatch)),
        estimated_arrival=parse_local(_text(form.estimated_arrival)),
        cost_cny=parse_cost(cost) if cost else 0.0,
        note=form.note,
    )


def parse_cost(text: str) -> float:
    try:
        return parse_quantity(text)
    except InvalidInput:
        raise InvalidInput("a cost must be a number", key="cost-invalid") from None


def base_quantity(text: str, unit: str, *, catalogue: Catalogue, item_code: str) -> float:
    """A quantity typed in the item's base unit or one of its packs, in base units."""
    quantity = parse_quantity(_text(text))
    unit = _text(unit).strip()
    return catalogue.item(item_code).to_base(quantity, unit) if unit else quantity
