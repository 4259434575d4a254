"""Aid requests: what a city asks its neighbours for, line by line (ICS-213RR's shape).

A request carries lines of item, quantity (base units), priority, needed-by time,
destination and acceptable substitutes. The request itself is stored as draft, submitted,
approved, closed or cancelled; once approved, how far each line has come (committed, in
transit, received) is never stored but derived from the commitments' and shipments'
quantities by `line_state`, so it cannot disagree with them.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import StrEnum

from crossrisk.domain.aid.catalogue import Catalogue, valid_quantity
from crossrisk.domain.errors import InvalidInput, InvalidTransition
from crossrisk.domain.moments import in_utc
from crossrisk.domain.risk import check_text

LINES_MAX = 50
SUBSTITUTES_MAX = 10
DESTINATION_MAX = 200
REASON_MAX = 500
# A need further ahead than this is planning, not mutual aid; a typo of the year, mostly.
NEEDED_WITHIN = timedelta(days=366)
# Sums of float quantities of whole units: equal within a thousandth of a unit.
TOLERANCE = 1e-6


class Priority(StrEnum):
    """ICS-213RR-like priorities; `rank` 1 is the most urgent (the allocation weights it)."""

    LIFE_SAVING = "life_saving"
    LIFE_SUSTAINING = "life_sustaining"
    HIGH = "high"
    NORMAL = "normal"

    @property
    def rank(self) -> int:
        return _RANKS[self]


_RANKS = {
    Priority.LIFE_SAVING: 1,
    Priority.LIFE_SUSTAINING: 2,
    Priority.HIGH: 3,
    Priority.NORMAL: 4,
}


class RequestState(StrEnum):
    """A request's or a line's state, in the order it advances (cancelled apart)."""

    DRAFT = "draft"
    SUBMITTED = "submitted"
    APPROVED = "approved"
    PARTLY_COMMITTED = "partly_committed"
    FULLY_COMMITTED = "fully_committed"
    IN_TRANSIT = "in_transit"
    RECEIVED = "received"
    CLOSED = "closed"
    CANCELLED = "cancelled"

    @property
    def step(self) -> int:
        return _ORDER.index(self)


_ORDER = list(RequestState)
# What the request row itself records; the steps between approved and closed are derived.
STORED = frozenset(
    {
        RequestState.DRAFT,
        RequestState.SUBMITTED,
        RequestState.APPROVED,
        RequestState.CLOSED,
        RequestState.CANCELLED,
    }
)
# A request that takes offers and commitments.
OPEN_FOR_AID = frozenset(
    {
        RequestState.APPROVED,
        RequestState.PARTLY_COMMITTED,
        RequestState.FULLY_COMMITTED,
        RequestState.IN_TRANSIT,
        RequestState.RECEIVED,
    }
)


@dataclass(frozen=True, slots=True)
class Destination:
    name: str
    lon: float
    lat: float


@dataclass(frozen=True, slots=True)
class RequestLine:
    id: int | None
    item_code: str
    quantity: float  # base units
    priority: Priority
    needed_by: datetime
    destination: Destination
    substitutes: tuple[str, ...] = ()

    def accepts(self, item_code: str) -> bool:
        """True when an offer of this item meets the line (its item or a substitute)."""
        return item_code == self.item_code or item_code in self.substitutes


@dataclass(frozen=True, slots=True)
class AidRequest:
    id: int | None
    region_code: str
    jurisdiction_code: str  # the requesting city
    made_by: str  # the organisation that made it (the city, or the committee for it)
    state: RequestState  # one of STORED
    lines: tuple[RequestLine, ...]
    created_at: datetime
    updated_at: datetime
    risk_id: int | None = None
    submitted_at: datetime | None = None
    approved_at: datetime | None = None
    approved_by: str | None = None
    closed_at: datetime | None = None
    cancelled_at: datetime | None = None
    reason: str = ""

    def line(self, line_id: int) -> RequestLine:
        for line in self.lines:
            if line.id == line_id:
                return line
        raise InvalidInput(
            f"request {self.id} has no line {line_id}",
            key="unknown-request-line",
            params={"request": self.id, "line": line_id},
        )


@dataclass(frozen=True, slots=True)
class LineDraft:
    item_code: str
    quantity: float
    priority: Priority
    needed_by: datetime
    destination: Destination
    substitutes: tuple[str, ...] = field(default_factory=tuple)
    unit: str | None = None  # a pack code at the edge; converted to base units


def check_lines(
    drafts: Sequence[LineDraft], *, catalogue: Catalogue, now: datetime
) -> tuple[RequestLine, ...]:
    """Lines in base units, checked against the catalogue and the clock, or InvalidInput."""
    if not drafts:
        raise InvalidInput("a request needs at least one line", key="request-without-lines")
    if len(drafts) > LINES_MAX:
        raise InvalidInput(
            f"a request has at most {LINES_MAX} lines",
            key="too-many-lines",
            params={"limit": LINES_MAX},
        )
    lines = []
    for draft in drafts:
        item = catalogue.item(draft.item_code)
        quantity = valid_quantity(item.to_base(draft.quantity, draft.unit), allow_zero=False)
        substitutes = tuple(dict.fromkeys(draft.substitutes))
        if len(substitutes) > SUBSTITUTES_MAX:
            raise InvalidInput(
                f"a line has at most {SUBSTITUTES_MAX} substitutes",
                key="too-many-substitutes",
                params={"limit": SUBSTITUTES_MAX},
            )
        for code in substitutes:
            catalogue.item(code)
        if item.code in substitutes:
            raise InvalidInput(
                f"{item.code} cannot be a substitute for itself",
                key="substitute-is-item",
                params={"item": item.code},
            )
        needed_by = check_needed_by(draft.needed_by, now=now)
        lines.append(
            RequestLine(
                id=None,
                item_code=item.code,
                quantity=quantity,
                priority=Priority(draft.priority),
                needed_by=needed_by,
                destination=check_destination(draft.destination),
                substitutes=substitutes,
            )
        )
    return tuple(lines)


def check_needed_by(needed_by: datetime, *, now: datetime) -> datetime:
    """A need in UTC: aware, within a year ahead and still in the future.

    Checked when a request is drafted or edited, and again when it is submitted (a
    draft left lying may outlive its own need).
    """
    needed_by = in_utc(needed_by, field="needed_by")
    if needed_by > now + NEEDED_WITHIN:
        raise InvalidInput(
            f"needed_by {needed_by.isoformat()} lies more than a year ahead",
            key="needed-by-too-far",
            params={"needed_by": needed_by.isoformat()},
        )
    if needed_by <= now:
        raise InvalidInput(
            f"needed_by {needed_by.isoformat()} has passed",
            key="needed-by-past",
            params={"needed_by": needed_by.isoformat()},
        )
    return needed_by


def check_destination(destination: Destination) -> Destination:
    name = check_text("destination", destination.name, limit=DESTINATION_MAX)
    lon, lat = destination.lon, destination.lat
    if not (math.isfinite(lon) and math.isfinite(lat) and -180 <= lon <= 180 and -90 <= lat <= 90):
        raise InvalidInput(
            f"the destination ({lon}, {lat}) is not a longitude and latitude",
            key="location-invalid",
        )
    return Destination(name=name, lon=float(lon), lat=float(lat))


def line_state(
    *, quantity: float, committed: float, shipped: float, received: float, in_transit: float
) -> RequestState:
    """How far an approved request's line has come, from its quantities alone.

    The furthest stage the *whole* line quantity has reached, checked from the end:
    received in full; or everything committed was shipped and has arrived, with nothing
    still on the road (a short receipt ends the pipeline: the shortfall stays visible as
    the line's outstanding quantity, and a new offer may cover it); shipped in full;
    committed in full; committed in part; else approved.
    """
    if received >= quantity - TOLERANCE:
        return RequestState.RECEIVED
    if (
        committed >= quantity - TOLERANCE
        and shipped >= committed - TOLERANCE
        and in_transit <= TOLERANCE
    ):
        return RequestState.RECEIVED
    if shipped >= quantity - TOLERANCE:
        return RequestState.IN_TRANSIT
    if committed >= quantity - TOLERANCE:
        return RequestState.FULLY_COMMITTED
    if committed > TOLERANCE:
        return RequestState.PARTLY_COMMITTED
    return RequestState.APPROVED


def request_state(stored: RequestState, line_states: Iterable[RequestState]) -> RequestState:
    """The request's state: its stored one, or once approved its least advanced line's.

    The least advanced line, because a request is only as far as what it still waits for:
    a committee reading "fully committed" must be able to stop looking for donors, which
    is true only when every line is.
    """
    if stored is not RequestState.APPROVED:
        return stored
    states = list(line_states)
    return min(states, key=lambda s: s.step) if states else RequestState.APPROVED


# Which stored state may follow which, by the use case that moves it.
TRANSITIONS = {
    "submit": ({RequestState.DRAFT}, RequestState.SUBMITTED),
    "approve": ({RequestState.SUBMITTED}, RequestState.APPROVED),
    "cancel": (
        {RequestState.DRAFT, RequestState.SUBMITTED, RequestState.APPROVED},
        RequestState.CANCELLED,
    ),
    "close": ({RequestState.APPROVED}, RequestState.CLOSED),
}


def move(request: AidRequest, action: str) -> RequestState:
    """The stored state after `action`, or InvalidTransition."""
    allowed, after = TRANSITIONS[action]
    if request.state not in allowed:
        raise InvalidTransition(
            f"request {request.id} is {request.state.value}; {action} is not possible now",
            key="request-transition",
            params={"request": request.id, "state": request.state.value, "action": action},
        )
    return after
