"""Offers: another member city's answer to a request, line by line (EMAC's offer).

An offer line names the request line it answers, the item (the line's or an acceptable
substitute), the quantity in base units, the earliest dispatch time, the estimated
arrival and a cost estimate in CNY that the compensation issue will settle. A city never
offers to itself ("offer-by-requester"). Accepting a line makes a commitment; a line
offering more than the request line still needs is **capped** at acceptance, not refused:
the donor said it could give that much, so the need is met and the rest stays with it
(the offer line keeps what was offered and what was accepted, so the difference shows).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from crossrisk.domain.aid.catalogue import valid_quantity
from crossrisk.domain.aid.request import NEEDED_WITHIN, TOLERANCE, AidRequest
from crossrisk.domain.errors import InvalidInput
from crossrisk.domain.moments import in_utc
from crossrisk.domain.risk import check_text

NOTE_MAX = 1000
OFFER_LINES_MAX = 50
# A cost estimate above a trillion yuan is a typing error, not a relief consignment.
COST_MAX = 1e12


class OfferState(StrEnum):
    OPEN = "open"
    WITHDRAWN = "withdrawn"


@dataclass(frozen=True, slots=True)
class OfferLine:
    id: int | None
    request_line_id: int
    item_code: str
    quantity: float
    earliest_dispatch: datetime
    estimated_arrival: datetime
    cost_cny: float
    note: str = ""
    accepted_quantity: float | None = None  # set when accepted: the commitment's quantity
    commitment_id: int | None = None

    @property
    def accepted(self) -> bool:
        return self.commitment_id is not None


@dataclass(frozen=True, slots=True)
class Offer:
    id: int | None
    request_id: int
    region_code: str
    jurisdiction_code: str  # the donor city
    made_by: str
    state: OfferState
    lines: tuple[OfferLine, ...]
    created_at: datetime
    note: str = ""
    withdrawn_at: datetime | None = None

    def line(self, line_id: int) -> OfferLine:
        for line in self.lines:
            if line.id == line_id:
                return line
        raise InvalidInput(
            f"offer {self.id} has no line {line_id}",
            key="unknown-offer-line",
            params={"offer": self.id, "line": line_id},
        )


@dataclass(frozen=True, slots=True)
class OfferLineDraft:
    request_line_id: int
    quantity: float
    earliest_dispatch: datetime
    estimated_arrival: datetime
    cost_cny: float = 0.0
    item_code: str | None = None  # the request line's item when left out
    note: str = ""


def check_offer_lines(
    request: AidRequest, drafts: list[OfferLineDraft], *, now: datetime
) -> tuple[OfferLine, ...]:
    """Offer lines checked against the request they answer, or InvalidInput."""
    if not drafts:
        raise InvalidInput("an offer needs at least one line", key="offer-without-lines")
    if len(drafts) > OFFER_LINES_MAX:
        raise InvalidInput(
            f"an offer has at most {OFFER_LINES_MAX} lines",
            key="too-many-lines",
            params={"limit": OFFER_LINES_MAX},
        )
    lines = []
    for draft in drafts:
        wanted = request.line(draft.request_line_id)
        item_code = draft.item_code or wanted.item_code
        if not wanted.accepts(item_code):
            raise InvalidInput(
                f"{item_code} is neither line {wanted.id}'s item nor an acceptable substitute",
                key="item-not-acceptable",
                params={"line": wanted.id, "item": item_code},
            )
        dispatch = _bounded(draft.earliest_dispatch, "earliest_dispatch", now=now)
        arrival = _bounded(draft.estimated_arrival, "estimated_arrival", now=now)
        if arrival < dispatch:
            raise InvalidInput(
                "the estimated arrival comes before the earliest dispatch",
                key="arrival-before-dispatch",
            )
        lines.append(
            OfferLine(
                id=None,
                request_line_id=draft.request_line_id,
                item_code=item_code,
                quantity=valid_quantity(draft.quantity, allow_zero=False),
                earliest_dispatch=dispatch,
                estimated_arrival=arrival,
                cost_cny=check_cost(draft.cost_cny),
                note=check_text("note", draft.note, limit=NOTE_MAX, required=False),
            )
        )
    return tuple(lines)


def _bounded(when: datetime, name: str, *, now: datetime) -> datetime:
    """A time in UTC within a year of now, or InvalidInput."""
    when = in_utc(when, field=name)
    if not now - NEEDED_WITHIN <= when <= now + NEEDED_WITHIN:
        raise InvalidInput(
            f"{name} {when.isoformat()} lies more than a year away",
            key="time-out-of-range",
            params={"field": name},
        )
    return when


def check_cost(amount: float) -> float:
    """A cost estimate in CNY: finite, not negative, bounded."""
    if isinstance(amount, bool) or not isinstance(amount, int | float):
        raise InvalidInput("a cost must be a number", key="cost-invalid")
    if not math.isfinite(amount) or not 0 <= amount <= COST_MAX:
        raise InvalidInput(
            f"a cost estimate lies between 0 and {COST_MAX:g} CNY",
            key="cost-invalid",
            params={"cost": amount if math.isfinite(amount) else str(amount)},
        )
    return float(amount)


def accepted_quantity(offered: float, *, still_needed: float) -> float:
    """What accepting an offer line commits: the offer, capped at what the line still needs.

    Nothing still needed is a refusal: a commitment of nothing would promise nothing.
    """
    if still_needed <= TOLERANCE:
        raise InvalidInput(
            "the request line is fully committed already",
            key="line-fully-committed",
            params={"still_needed": max(still_needed, 0.0)},
        )
    return min(offered, still_needed)
