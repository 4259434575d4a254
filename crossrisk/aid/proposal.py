"""An allocation proposal: open request lines and donors' stocks in, proposed lines out.

Pure: the caller reads the open request lines (what each still lacks), the donors' stocks
and reserves (`crossrisk.aid.reserve`) and chooses the travel model (`roads.travel_model`);
this module builds the sparse programme of `crossrisk.aid.allocation`, solves it and maps
the answer back to lines the committee can edit and approve (`check_lines` checks edited
lines against the reserves again).

- One need per request line, for the quantity it still lacks, at the line's priority.
- A donor never gives to its own jurisdiction's request: a city's own stock already counts
  in what it asks for, so that pair has no arc.
- Arcs only where the travel model finds a route, and of those only to the `nearest`
  donors (30 by default) by travel hours among the donors that have some of the line's item
  to give beyond their reserve: a nearer donor with none of the item would otherwise crowd
  out a farther one that has it.
- Substitutes, in a second pass (and a third … for a line's later substitutes): the LP's
  need rows are per (need, item), so a substitute cannot share its line's row. First the
  main items are allocated; then each line's unmet remainder is asked of its first
  substitute, unit for unit in base units, from what donors have left after the first
  pass; then what is still unmet of the second substitute, and so on. So a substitute is
  used only where the main item lacks, and never takes stock another line's main item got.
  Priorities hold within each pass.
- Fairness (optional) applies to every pass; the figures reported are the main pass's.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np

from crossrisk.aid.allocation import PRIORITIES, Donor, Fairness, Need, Problem, solve
from crossrisk.aid.travel import Point, TravelModel
from crossrisk.domain.aid.catalogue import valid_quantity
from crossrisk.domain.errors import InvalidInput

DEFAULT_NEAREST = 30
MAX_NEAREST = 10_000
MAX_LINES = 50_000
MAX_DONORS = 10_000
MAX_SUBSTITUTES = 5
MAX_CODE = 64
MAX_ID = 2**63 - 1
# An edited line may ask for this much more than a donor can give and still pass: floats.
RELATIVE_TOLERANCE = 1e-9


@dataclass(frozen=True, slots=True)
class RequestLine:
    """An open request line: what the requesting jurisdiction still lacks of an item."""

    id: int
    jurisdiction: str
    item: str
    quantity: float  # still unmet, in the item's base unit
    priority: int  # 1 life-saving … 4 normal
    destination: Point  # lon, lat
    substitutes: tuple[str, ...] = ()  # acceptable instead, in order of preference


@dataclass(frozen=True, slots=True)
class DonorStock:
    """A jurisdiction that may give: where its stock is, how much and what it keeps."""

    jurisdiction: str
    point: Point
    stock: Mapping[str, float]
    reserve: Mapping[str, float] = field(default_factory=dict)

    def available(self, item: str) -> float:
        """What it can give of the item: its stock less its reserve."""
        return max(0.0, self.stock.get(item, 0.0) - self.reserve.get(item, 0.0))


@dataclass(frozen=True, slots=True)
class ProposedLine:
    donor: str
    request_line: int
    item: str  # the line's item, or the substitute sent instead
    quantity: float
    hours: float


@dataclass(frozen=True, slots=True)
class UnmetLine:
    request_line: int
    item: str  # the line's own item
    quantity: float


@dataclass(frozen=True)
class Proposal:
    lines: list[ProposedLine]
    unmet: list[UnmetLine]
    total_hours: float  # Σ quantity × travel hours
    fairness: Fairness | None = None


def propose(
    lines: Sequence[RequestLine],
    donors: Sequence[DonorStock],
    *,
    travel: TravelModel,
    nearest: int = DEFAULT_NEAREST,
    fair: bool = False,
) -> Proposal:
    """The least weighted-hours allocation of the donors' spare stock to the open lines."""
    _check_request_lines(lines)
    _check_donors(donors)
    if isinstance(nearest, bool) or not isinstance(nearest, int) or not 1 <= nearest <= MAX_NEAREST:
        raise InvalidInput(
            f"nearest must be a whole number from 1 to {MAX_NEAREST}",
            key="invalid-nearest",
            params={"nearest": nearest},
        )
    open_lines = [line for line in lines if line.quantity > 0]
    if not open_lines:
        return Proposal([], [], 0.0, None)
    network = _Network(open_lines, donors, travel)
    remaining = {line.id: float(line.quantity) for line in open_lines}
    proposed: list[ProposedLine] = []
    fairness: Fairness | None = None
    for rank in range(MAX_SUBSTITUTES + 1):
        asks = [
            (line, line.item if rank == 0 else line.substitutes[rank - 1], remaining[line.id])
            for line in open_lines
            if remaining[line.id] > 0 and (rank == 0 or len(line.substitutes) >= rank)
        ]
        if not asks:
            break
        given, unmet, pass_fairness = network.allocate(asks, nearest=nearest, fair=fair)
        proposed.extend(given)
        for line, _, _ in asks:
            remaining[line.id] = unmet.get(line.id, 0.0)
        if rank == 0:
            fairness = pass_fairness
    total = sum(line.quantity * line.hours for line in proposed)
    return Proposal(
        lines=proposed,
        unmet=[
            UnmetLine(line.id, line.item, remaining[line.id])
            for line in open_lines
            if remaining[line.id] > 0
        ],
        total_hours=round(total, 6),
        fairness=fairness,
    )


class _Network:
    """The donors' hours to every destination once, and their spare stock as it is given."""

    def __init__(
        self, lines: Sequence[RequestLine], donors: Sequence[DonorStock], travel: TravelModel
    ) -> None:
        self.donors = [donor.jurisdiction for donor in donors]
        self.row = {code: k for k, code in enumerate(self.donors)}
        points: dict[Point, str] = {}
        self.destination: dict[int, int] = {}
        for line in lines:
            point = (float(line.destination[0]), float(line.destination[1]))
            key = points.setdefault(point, f"p{len(points)}")
            self.destination[line.id] = int(key[1:])
        keys = list(points.values())
        found = travel.hours(
            {d.jurisdiction: d.point for d in donors}, {key: point for point, key in points.items()}
        )
        # Donors × destinations; inf where the travel model finds no route.
        self.hours = np.full((len(donors), len(points)), np.inf)
        for code, row in found.items():
            k = self.row.get(code)
            if k is None:
                continue
            if list(row) == keys:
                # Every destination, in the order asked (the great-circle model's answer):
                # a whole row at once, not 300 lookups for each of 2,875 donors.
                self.hours[k] = np.fromiter(row.values(), dtype=float, count=len(keys))
                continue
            for key, hours in row.items():
                self.hours[k, int(key[1:])] = hours
        # A model's NaN or negative hours would wreck the priority weights: no route there.
        self.hours[~(self.hours >= 0)] = np.inf
        self.spare: dict[str, dict[str, float]] = {
            donor.jurisdiction: {item: donor.available(item) for item in donor.stock}
            for donor in donors
        }

    def allocate(
        self, asks: list[tuple[RequestLine, str, float]], *, nearest: int, fair: bool
    ) -> tuple[list[ProposedLine], dict[int, float], Fairness | None]:
        """One pass: each ask (line, item, quantity) from the donors' spare stock."""
        items = sorted({item for _, item, _ in asks})
        spare = np.array(
            [[self.spare[code].get(item, 0.0) for item in items] for code in self.donors]
        )
        column = {item: k for k, item in enumerate(items)}
        travel: dict[str, dict[str, float]] = {}
        needs = []
        for line, item, quantity in asks:
            need = str(line.id)
            needs.append(Need(need, {item: quantity}, line.priority))
            hours = self.hours[:, self.destination[line.id]].copy()
            hours[spare[:, column[item]] <= 0] = np.inf
            own = self.row.get(line.jurisdiction)
            if own is not None:
                hours[own] = np.inf
            reachable = np.flatnonzero(np.isfinite(hours))
            if len(reachable) > nearest:
                reachable = reachable[np.argpartition(hours[reachable], nearest - 1)[:nearest]]
            for k in reachable:
                travel.setdefault(self.donors[k], {})[need] = float(hours[k])
        problem = Problem(
            donors=[
                Donor(code, {item: float(spare[k, j]) for j, item in enumerate(items)}, {})
                for k, code in enumerate(self.donors)
                if code in travel
            ],
            needs=needs,
            travel_hours=travel,
        )
        allocation = solve(problem, fair=fair)
        given = []
        for shipment in allocation.shipments:
            line_id = int(shipment.destination)
            given.append(
                ProposedLine(
                    donor=shipment.source,
                    request_line=line_id,
                    item=shipment.item,
                    quantity=shipment.quantity,
                    hours=travel[shipment.source][shipment.destination],
                )
            )
            left = self.spare[shipment.source][shipment.item] - shipment.quantity
            self.spare[shipment.source][shipment.item] = max(0.0, left)
        unmet = {int(u.need): float(u.quantity) for u in allocation.unmet}
        return given, unmet, allocation.fairness


def check_lines(
    lines: Sequence[ProposedLine],
    donors: Sequence[DonorStock],
    *,
    requesting: Mapping[int, str] | None = None,
) -> None:
    """Refuse lines (proposed or edited) that a donor cannot give without breaching its
    reserve, or that send a jurisdiction's stock to its own request."""
    by_code = {donor.jurisdiction: donor for donor in donors}
    asked: dict[tuple[str, str], float] = {}
    for line in lines:
        valid_quantity(line.quantity, allow_zero=False)
        donor = by_code.get(line.donor)
        if donor is None:
            raise InvalidInput(
                f"{line.donor} is not among the donors",
                key="unknown-donor",
                params={"donor": line.donor},
            )
        if requesting is not None and requesting.get(line.request_line) == line.donor:
            raise InvalidInput(
                f"{line.donor} cannot give to its own request",
                key="gives-own-request",
                params={"donor": line.donor, "request_line": line.request_line},
            )
        key = (line.donor, line.item)
        asked[key] = asked.get(key, 0.0) + float(line.quantity)
    for (code, item), quantity in asked.items():
        donor = by_code[code]
        stock = float(donor.stock.get(item, 0.0))
        kept = float(donor.reserve.get(item, 0.0))
        if quantity > donor.available(item) + RELATIVE_TOLERANCE * max(1.0, stock):
            raise InvalidInput(
                f"{code} would give {quantity:g} of {item}, holding {stock:g} and keeping "
                f"{kept:g} in reserve",
                key="breaches-reserve",
                params={
                    "donor": code,
                    "item": item,
                    "stock": stock,
                    "reserve": kept,
                    "asked": quantity,
                },
            )


def _check_request_lines(lines: Sequence[RequestLine]) -> None:
    if len(lines) > MAX_LINES:
        raise InvalidInput(f"{len(lines)} request lines; at most {MAX_LINES}")
    seen: set[int] = set()
    for line in lines:
        if isinstance(line.id, bool) or not isinstance(line.id, int) or not 0 < line.id <= MAX_ID:
            raise InvalidInput(
                "a request line's id must be a positive 64-bit whole number",
                key="invalid-id",
                params={"id": str(line.id)[:40]},
            )
        if line.id in seen:
            raise InvalidInput(
                f"request line {line.id} is listed twice",
                key="duplicate-line",
                params={"id": line.id},
            )
        seen.add(line.id)
        _code(line.jurisdiction, "jurisdiction")
        _code(line.item, "item")
        valid_quantity(line.quantity)
        if line.priority not in PRIORITIES or isinstance(line.priority, bool):
            raise InvalidInput(
                f"request line {line.id}: priority must be 1 to 4",
                key="invalid-priority",
                params={"priority": str(line.priority)[:40]},
            )
        _point(line.destination)
        if len(line.substitutes) > MAX_SUBSTITUTES:
            raise InvalidInput(
                f"request line {line.id}: at most {MAX_SUBSTITUTES} substitutes",
                key="too-many-substitutes",
                params={"limit": MAX_SUBSTITUTES},
            )
        for substitute in line.substitutes:
            _code(substitute, "item")
        if line.item in line.substitutes or len(set(line.substitutes)) < len(line.substitutes):
            raise InvalidInput(
                f"request line {line.id}: a substitute repeats the item or another substitute",
                key="repeated-substitute",
                params={"id": line.id},
            )


def _check_donors(donors: Sequence[DonorStock]) -> None:
    if len(donors) > MAX_DONORS:
        raise InvalidInput(f"{len(donors)} donors; at most {MAX_DONORS}")
    seen: set[str] = set()
    for donor in donors:
        _code(donor.jurisdiction, "jurisdiction")
        if donor.jurisdiction in seen:
            raise InvalidInput(
                f"donor {donor.jurisdiction} is listed twice",
                key="duplicate-donor",
                params={"donor": donor.jurisdiction},
            )
        seen.add(donor.jurisdiction)
        _point(donor.point)
        for item, quantity in donor.stock.items():
            _code(item, "item")
            valid_quantity(quantity)
        for item, kept in donor.reserve.items():
            valid_quantity(kept)
            if kept > donor.stock.get(item, 0.0):
                raise InvalidInput(
                    f"{donor.jurisdiction} keeps more {item} in reserve than it holds",
                    key="reserve-above-stock",
                    params={"donor": donor.jurisdiction, "item": item},
                )


def _code(value: object, what: str) -> None:
    if not isinstance(value, str) or not 0 < len(value) <= MAX_CODE or "\x00" in value:
        raise InvalidInput(
            f"a {what} code must be text of 1 to {MAX_CODE} characters without NUL",
            key=f"invalid-{what}",
        )


def _point(point: Point) -> None:
    try:
        lon, lat = (float(v) for v in point)
    except (TypeError, ValueError):
        raise InvalidInput("a point must be (longitude, latitude)", key="invalid-point") from None
    if not (math.isfinite(lon) and math.isfinite(lat) and abs(lon) <= 180 and abs(lat) <= 90):
        raise InvalidInput("a point must be a finite longitude and latitude", key="invalid-point")
