"""Allocations: the platform proposes who sends what to which open request line, the
committee approves it (as proposed or edited) and its lines become commitments.

What a proposal reads, in one transaction:

- **Open lines.** Every line of the requests named (each submitted or open for aid), for
  what no live commitment covers yet (quantity − committed), at its priority, to its
  destination, with its first five substitutes (the proposal's bound).
- **Donors.** Every member of the region with usable (unexpired) stock of an item asked
  for, region-shared and committee-only records alike (only the committee proposes, and it
  sees all), less what the member has committed and not yet shipped (once shipped, the
  donor records the goods as issued from its stock). A donor's place is the warehouse that
  holds most of the items asked for, else the city's label point.
- **Reserves.** What each donor keeps: its own need in the same scenario. For requests made
  for a risk, the need the risk's shortfall gives each member (its newest analysis, the
  region's default displaced share and days); for requests of several risks, the sum of
  their needs (a city exposed to two risks keeps for both). Requests made without a risk,
  or for a risk not analysed yet, give no need: the reserve is then 0 unless the caller
  passes a rule per item (`ReserveRule`: a fraction of the stock or a quantity), which
  replaces the need for that item in every case. Never more than the stock.
- **Travel hours** from `crossrisk.aid.roads.travel_model` (a road graph where one is set,
  else great-circle distance × road factor ÷ speed).

A stale figure (not confirmed within the period) still counts, and each proposed line that
draws on one is flagged. Approval re-reads every input and checks every line again
(`check_lines`): a line that would now breach a donor's reserve, or give more than the
request line still needs, refuses the whole approval and nothing is written.
"""

from __future__ import annotations

import hashlib
import json
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from crossrisk.aid import proposal
from crossrisk.aid.reserve import ReserveRule, reserves
from crossrisk.aid.roads import travel_model
from crossrisk.aid.travel import Point, TravelModel
from crossrisk.domain import permissions
from crossrisk.domain.aid.allocation import (
    EDITED_LINES_MAX,
    REQUESTS_MAX,
    Allocation,
    AllocationLine,
    AllocationState,
    DonorFigures,
    UnmetQuantity,
    move,
)
from crossrisk.domain.aid.catalogue import valid_quantity
from crossrisk.domain.aid.progress import live
from crossrisk.domain.aid.request import TOLERANCE, AidRequest, RequestState
from crossrisk.domain.aid.sharing import is_stale
from crossrisk.domain.errors import InvalidInput, NotPermitted
from crossrisk.domain.organisation import Actor
from crossrisk.services import aid_offers, aid_requests, commitments
from crossrisk.services.commitments import CommitLine
from crossrisk.services.policy_tables import aid_catalogue
from crossrisk.services.shortfall import risk_needs
from crossrisk.settings import Settings
from crossrisk.store.uow import Transaction, UnitOfWork

BEIJING = ZoneInfo("Asia/Shanghai")
ID_MAX = 2**63 - 1
RULES_MAX = 100
# Enough for a region's whole history of commitments; a bound all the same.
COMMITMENTS_READ_MAX = 100_000
# A request in these stored states may be allocated: submitted ones to plan ahead, approved
# ones to commit (approval needs every request open for aid).
ALLOCATABLE = frozenset({RequestState.SUBMITTED, RequestState.APPROVED})


@dataclass(frozen=True, slots=True)
class AllocationContext:
    """How travel is timed and how old a stock figure may be (from the settings)."""

    travel: TravelModel
    stale_after: timedelta
    travel_name: str = "great-circle"

    @classmethod
    def of(cls, settings: Settings) -> AllocationContext:
        return cls(
            travel=travel_model(settings),
            stale_after=settings.base_information_stale_after,
            travel_name=(
                f"road:{settings.road_graph_file.name}"
                if settings.road_graph_file is not None
                else f"great-circle:{settings.road_factor}:{settings.road_speed_kmh}"
            ),
        )


@dataclass(frozen=True, slots=True)
class EditedLine:
    """A line as the committee approves it: a donor's item for a request line."""

    donor_jurisdiction_code: str
    request_line_id: int
    item_code: str
    quantity: float


@dataclass(frozen=True)
class _Inputs:
    region_code: str
    requests: list[AidRequest]
    lines: list[proposal.RequestLine]
    donors: list[proposal.DonorStock]
    stale: set[tuple[str, str]]  # (donor, item) drawing on a stale figure
    destinations: dict[int, Point]
    requesting: dict[int, str]  # request line → requesting city
    risk_ids: tuple[int, ...]


def propose(
    uow: UnitOfWork,
    actor: Actor,
    request_ids: Sequence[int],
    *,
    fair: bool = False,
    context: AllocationContext,
    rules: Mapping[str, ReserveRule] | None = None,
    now: datetime,
) -> Allocation:
    """Propose and store the allocation for the open lines of these requests (committee)."""
    ids = check_request_ids(request_ids)
    check_rules(rules)
    with uow as tx:
        inputs = _read_inputs(tx, actor, ids, rules=rules, context=context, now=now)
        result = proposal.propose(inputs.lines, inputs.donors, travel=context.travel, fair=fair)
        by_code = {d.jurisdiction: d for d in inputs.donors}
        lines = tuple(
            AllocationLine(
                donor_jurisdiction_code=line.donor,
                request_line_id=line.request_line,
                item_code=line.item,
                quantity=line.quantity,
                hours=line.hours,
                donor_point=by_code[line.donor].point,
                destination_point=inputs.destinations[line.request_line],
                stale=(line.donor, line.item) in inputs.stale,
            )
            for line in result.lines
        )
        asked = {line.item for line in inputs.lines} | {
            s for line in inputs.lines for s in line.substitutes
        }
        donors = tuple(
            DonorFigures(
                jurisdiction_code=d.jurisdiction,
                point=d.point,
                stock={i: q for i, q in d.stock.items() if i in asked},
                reserve={i: q for i, q in d.reserve.items() if i in asked},
                stale_items=tuple(sorted(i for c, i in inputs.stale if c == d.jurisdiction)),
            )
            for d in inputs.donors
        )
        superseded = _supersede(tx, actor, inputs.region_code, ids, now=now)
        allocation = tx.allocations.add(
            Allocation(
                id=None,
                region_code=inputs.region_code,
                state=AllocationState.PROPOSED,
                fair=fair,
                request_ids=ids,
                risk_ids=inputs.risk_ids,
                digest=_digest(inputs, fair=fair, rules=rules, context=context),
                total_hours=result.total_hours,
                lines=lines,
                unmet=tuple(
                    UnmetQuantity(u.request_line, u.item, u.quantity) for u in result.unmet
                ),
                donors=donors,
                proposed_at=now,
                proposed_by=actor.username,
                reserve_rules=rules_record(rules),
                lowest_fill_rate=result.fairness.lowest_fill_rate if result.fairness else None,
                price_hours=result.fairness.price_hours if result.fairness else None,
            )
        )
        tx.record(
            actor,
            "allocation.proposed",
            subject=f"allocation:{allocation.id}",
            payload={
                "allocation_id": allocation.id,
                "request_ids": list(ids),
                "risk_ids": list(inputs.risk_ids),
                "digest": allocation.digest,
                "fair": fair,
                "total_hours": allocation.total_hours,
                "price_hours": allocation.price_hours,
                "lines": [_line_payload(line, line.quantity) for line in lines],
                "unmet": [
                    {
                        "request_line_id": u.request_line_id,
                        "item": u.item_code,
                        "quantity": u.quantity,
                    }
                    for u in allocation.unmet
                ],
                "stale_donors": sorted(
                    {line.donor_jurisdiction_code for line in lines if line.stale}
                ),
                "supersedes": superseded,
            },
            region_code=inputs.region_code,
            now=now,
        )
        tx.commit()
    return allocation


def approve(
    uow: UnitOfWork,
    actor: Actor,
    allocation_id: int,
    edited_lines: Sequence[EditedLine] | None = None,
    *,
    context: AllocationContext,
    now: datetime,
) -> Allocation:
    """Approve a proposed allocation (its lines, or the committee's edit of them): every
    line is checked again against today's stock and reserves (by the proposal's reserve
    rules), then becomes a commitment."""
    if edited_lines is not None and len(edited_lines) > EDITED_LINES_MAX:
        raise InvalidInput(
            f"an approval lists at most {EDITED_LINES_MAX} lines",
            key="too-many-lines",
            params={"limit": EDITED_LINES_MAX},
        )
    with uow as tx:
        allocation = _load(tx, actor, allocation_id, for_update=True)
        _require_coordinate(actor, allocation.region_code)
        state = move(allocation, AllocationState.APPROVED)
        rules = {
            item: ReserveRule(**{kind: value})
            for item, (kind, value) in allocation.reserve_rules.items()
        }
        inputs = _read_inputs(
            tx, actor, allocation.request_ids, rules=rules, context=context, now=now
        )
        wanted = _approved_lines(allocation, edited_lines, inputs)
        proposal.check_lines(
            [
                proposal.ProposedLine(
                    donor=line.donor_jurisdiction_code,
                    request_line=line.request_line_id,
                    item=line.item_code,
                    quantity=line.quantity,
                    hours=0.0,
                )
                for line in wanted
            ],
            inputs.donors,
            requesting=inputs.requesting,
        )
        needed_by = {
            line.id: line.needed_by for request in inputs.requests for line in request.lines
        }
        offered = aid_offers.open_offer_lines(tx, allocation.request_ids)
        made = commitments.commit_lines(
            tx,
            actor,
            [
                CommitLine(
                    request_line_id=line.request_line_id,
                    donor_jurisdiction_code=line.donor_jurisdiction_code,
                    item_code=line.item_code,
                    quantity=line.quantity,
                    due=needed_by[line.request_line_id],
                    offer_line_id=offered.get(
                        (line.request_line_id, line.donor_jurisdiction_code, line.item_code)
                    ),
                )
                for line in wanted
            ],
            now=now,
        )
        aid_offers.accept_for_commitments(tx, actor, made, now=now)
        lines = _merge(allocation, wanted, made, inputs, context)
        allocation = tx.allocations.save(
            replace(allocation, state=state, lines=lines, decided_at=now, decided_by=actor.username)
        )
        tx.record(
            actor,
            "allocation.approved",
            subject=f"allocation:{allocation.id}",
            payload={
                "allocation_id": allocation.id,
                "request_ids": list(allocation.request_ids),
                "digest": allocation.digest,
                "edited": edited_lines is not None,
                "lines": [
                    _line_payload(line, line.approved_quantity or 0.0)
                    | {"commitment_id": line.commitment_id}
                    for line in allocation.lines
                    if line.commitment_id is not None
                ],
                "approved_hours": round(allocation.approved_hours, 6),
            },
            region_code=allocation.region_code,
            now=now,
        )
        tx.commit()
    return allocation


def discard(uow: UnitOfWork, actor: Actor, allocation_id: int, *, now: datetime) -> Allocation:
    """Set a proposal aside without committing anything (committee)."""
    with uow as tx:
        allocation = _load(tx, actor, allocation_id, for_update=True)
        _require_coordinate(actor, allocation.region_code)
        state = move(allocation, AllocationState.DISCARDED)
        allocation = tx.allocations.save(
            replace(allocation, state=state, decided_at=now, decided_by=actor.username)
        )
        tx.record(
            actor,
            "allocation.discarded",
            subject=f"allocation:{allocation.id}",
            payload={"allocation_id": allocation.id, "request_ids": list(allocation.request_ids)},
            region_code=allocation.region_code,
            now=now,
        )
        tx.commit()
    return allocation


def get_allocation(uow: UnitOfWork, actor: Actor, allocation_id: int) -> Allocation:
    """One allocation; the donors' stock and reserve figures only for the committee."""
    with uow.read_only() as tx:
        allocation = _load(tx, actor, allocation_id)
    if not permissions.can_coordinate(actor, allocation.region_code):
        # Committee-only stock records count in the figures; a member sees the flows only.
        allocation = replace(allocation, donors=())
    return allocation


def list_allocations(
    uow: UnitOfWork, actor: Actor, *, region_code: str | None = None
) -> list[Allocation]:
    """Allocations the actor reads, newest first (summaries, without lines)."""
    if region_code is not None:
        aid_requests.check_code(region_code, field="region")
        permissions.require_read_region(actor, region_code)
    regions = [region_code] if region_code else permissions.readable_regions(actor)
    with uow.read_only() as tx:
        return tx.allocations.find(region_codes=regions)


def rules_record(rules: Mapping[str, ReserveRule] | None) -> dict[str, tuple[str, float]]:
    """Reserve rules as stored with the proposal: item → (fraction | quantity, value)."""
    record: dict[str, tuple[str, float]] = {}
    for item, rule in (rules or {}).items():
        if rule.fraction is not None:
            record[item] = ("fraction", float(rule.fraction))
        elif rule.quantity is not None:
            record[item] = ("quantity", float(rule.quantity))
    return record


def check_rules(rules: Mapping[str, ReserveRule] | None) -> None:
    """Reserve rules name catalogue items, at most RULES_MAX of them."""
    if rules is None:
        return
    if len(rules) > RULES_MAX:
        raise InvalidInput(
            f"at most {RULES_MAX} reserve rules", key="too-many-rules", params={"limit": RULES_MAX}
        )
    catalogue = aid_catalogue()
    for item, rule in rules.items():
        catalogue.item(item)
        if not isinstance(rule, ReserveRule):
            raise InvalidInput(
                "a reserve rule is a fraction or a quantity", key="invalid-reserve-rule"
            )


def check_request_ids(request_ids: Sequence[int]) -> tuple[int, ...]:
    """Request ids: one to REQUESTS_MAX positive 64-bit whole numbers, each once."""
    ids = list(request_ids)
    if not ids:
        raise InvalidInput("name at least one request", key="no-requests")
    if len(ids) > REQUESTS_MAX:
        raise InvalidInput(
            f"at most {REQUESTS_MAX} requests at once",
            key="too-many-requests",
            params={"limit": REQUESTS_MAX},
        )
    for value in ids:
        if isinstance(value, bool) or not isinstance(value, int) or not 0 < value <= ID_MAX:
            raise InvalidInput(
                "a request id is a positive 64-bit whole number",
                key="invalid-id",
                params={"id": str(value)[:40]},
            )
    return tuple(dict.fromkeys(ids))


def _read_inputs(
    tx: Transaction,
    actor: Actor,
    ids: Sequence[int],
    *,
    rules: Mapping[str, ReserveRule] | None,
    context: AllocationContext,
    now: datetime,
) -> _Inputs:
    requests = [aid_requests.load_request(tx, actor, i) for i in ids]
    regions = {r.region_code for r in requests}
    if len(regions) > 1:
        raise InvalidInput(
            "the requests belong to several regions; allocate each region's apart",
            key="requests-of-several-regions",
            params={"regions": sorted(regions)},
        )
    region_code = requests[0].region_code
    _require_coordinate(actor, region_code)
    lines: list[proposal.RequestLine] = []
    destinations: dict[int, Point] = {}
    requesting: dict[int, str] = {}
    for request in requests:
        if request.state not in ALLOCATABLE:
            raise InvalidInput(
                f"request {request.id} is {request.state.value}; only submitted or approved "
                "requests are allocated",
                key="request-not-open",
                params={"request": request.id, "state": request.state.value},
            )
        progress = aid_requests.progress_of(tx, request, now=now)
        for line in request.lines:
            assert line.id is not None
            point = (line.destination.lon, line.destination.lat)
            destinations[line.id] = point
            requesting[line.id] = request.jurisdiction_code
            lines.append(
                proposal.RequestLine(
                    id=line.id,
                    jurisdiction=request.jurisdiction_code,
                    item=line.item_code,
                    quantity=progress.lines[line.id].still_needed,
                    priority=line.priority.rank,
                    destination=point,
                    substitutes=line.substitutes[: proposal.MAX_SUBSTITUTES],
                )
            )
    asked = {line.item for line in lines} | {s for line in lines for s in line.substitutes}
    day = now.astimezone(BEIJING).date()
    stocks = [
        s
        for s in tx.stocks.of_region(region_code, item_codes=sorted(asked))
        if s.usable_on(day) and s.quantity > 0
    ]
    levels: dict[str, dict[str, float]] = defaultdict(lambda: defaultdict(float))
    for s in stocks:
        levels[s.jurisdiction_code][s.item_code] += s.quantity
    for (code, item), promised in _promised(tx, region_code, now=now).items():
        if item in levels.get(code, {}):
            levels[code][item] = max(0.0, levels[code][item] - promised)
    stale = {
        (s.jurisdiction_code, s.item_code)
        for s in stocks
        if is_stale(s.confirmed_at, now=now, period=context.stale_after)
    }
    risk_ids = tuple(sorted({r.risk_id for r in requests if r.risk_id is not None}))
    own_needs: dict[str, dict[str, float]] = defaultdict(lambda: defaultdict(float))
    full_levels = {code: dict(items) for code, items in levels.items()}
    for risk_id in risk_ids:
        for code, need in (risk_needs(tx, risk_id, levels=full_levels) or {}).items():
            for item, quantity in need.items():
                own_needs[code][item] += quantity
    kept = reserves(full_levels, own_needs=own_needs, rules=rules)
    summaries = {s.code: s for s in tx.regions.summaries(region_code)}
    donors = []
    for code in sorted(full_levels):
        if code not in summaries:
            continue  # a record of a jurisdiction that left the region gives nothing
        donors.append(
            proposal.DonorStock(
                jurisdiction=code,
                point=_place(code, stocks, summaries[code]),
                stock=full_levels[code],
                reserve=kept.get(code, {}),
            )
        )
    return _Inputs(
        region_code=region_code,
        requests=requests,
        lines=lines,
        donors=donors,
        stale=stale,
        destinations=destinations,
        requesting=requesting,
        risk_ids=risk_ids,
    )


def _promised(tx: Transaction, region_code: str, *, now: datetime) -> dict[tuple[str, str], float]:
    """What each member has committed and not yet shipped, by (donor, item)."""
    found = tx.commitments.find(region_codes=[region_code], limit=COMMITMENTS_READ_MAX)
    shipments = tx.shipments.of_commitments([c.id for c in found if c.id is not None])
    promised: dict[tuple[str, str], float] = defaultdict(float)
    for commitment in found:
        sent = shipments.get(commitment.id or 0, [])
        if not live(commitment, sent, now=now):
            continue
        left = commitment.quantity - sum(s.quantity for s in sent)
        if left > TOLERANCE:
            promised[(commitment.donor_jurisdiction_code, commitment.item_code)] += left
    return promised


def _place(code: str, stocks: Sequence[Any], summary: Any) -> Point:
    """Where a donor's goods leave from: the warehouse holding most of what is asked."""
    held: dict[tuple[float, float], float] = defaultdict(float)
    for s in stocks:
        if s.jurisdiction_code == code:
            held[(s.warehouse.lon, s.warehouse.lat)] += s.quantity
    if held:
        return max(held.items(), key=lambda kv: (kv[1], kv[0]))[0]
    return (summary.label_lon, summary.label_lat)


def _approved_lines(
    allocation: Allocation, edited: Sequence[EditedLine] | None, inputs: _Inputs
) -> list[EditedLine]:
    """The lines to commit: as proposed, or as edited (a zero quantity drops a line)."""
    if edited is None:
        return [
            EditedLine(
                line.donor_jurisdiction_code, line.request_line_id, line.item_code, line.quantity
            )
            for line in allocation.lines
            if line.quantity > 0
        ]
    lines: dict[tuple[str, int, str], float] = {}
    for line in edited:
        aid_requests.check_code(line.donor_jurisdiction_code, field="donor")
        if line.request_line_id not in inputs.requesting:
            raise InvalidInput(
                f"request line {line.request_line_id} is not among the allocation's",
                key="line-not-in-allocation",
                params={"request_line": line.request_line_id},
            )
        quantity = valid_quantity(line.quantity)
        key = (line.donor_jurisdiction_code, line.request_line_id, line.item_code)
        if key in lines:
            raise InvalidInput(
                f"{line.donor_jurisdiction_code}'s {line.item_code} for line "
                f"{line.request_line_id} is listed twice",
                key="duplicate-line",
                params={"request_line": line.request_line_id},
            )
        lines[key] = quantity
    return [EditedLine(d, r, i, q) for (d, r, i), q in lines.items() if q > 0]


def _merge(
    allocation: Allocation,
    wanted: Sequence[EditedLine],
    made: Sequence[Any],
    inputs: _Inputs,
    context: AllocationContext,
) -> tuple[AllocationLine, ...]:
    """The proposed lines with what was approved of each, then the lines the edit added."""
    approved = {
        (w.donor_jurisdiction_code, w.request_line_id, w.item_code): (w.quantity, c.id)
        for w, c in zip(wanted, made, strict=True)
    }
    lines = []
    for line in allocation.lines:
        key = (line.donor_jurisdiction_code, line.request_line_id, line.item_code)
        quantity, commitment_id = approved.pop(key, (None, None))
        lines.append(replace(line, approved_quantity=quantity, commitment_id=commitment_id))
    points = {d.jurisdiction: d.point for d in inputs.donors}
    for (donor, line_id, item), (quantity, commitment_id) in approved.items():
        origin, destination = points[donor], inputs.destinations[line_id]
        hours = context.travel.hours({"o": origin}, {"d": destination}).get("o", {}).get("d")
        lines.append(
            AllocationLine(
                donor_jurisdiction_code=donor,
                request_line_id=line_id,
                item_code=item,
                quantity=0.0,
                hours=float(hours) if hours is not None else 0.0,
                donor_point=origin,
                destination_point=destination,
                stale=(donor, item) in inputs.stale,
                approved_quantity=quantity,
                commitment_id=commitment_id,
            )
        )
    return tuple(lines)


def _supersede(
    tx: Transaction, actor: Actor, region_code: str, ids: Sequence[int], *, now: datetime
) -> list[int]:
    """Mark older proposals that take in one of these requests as superseded."""
    wanted = set(ids)
    superseded = []
    for older in tx.allocations.find(region_codes=[region_code], states=[AllocationState.PROPOSED]):
        if wanted & set(older.request_ids) and older.id is not None:
            full = tx.allocations.get(older.id, for_update=True)
            tx.allocations.save(
                replace(
                    full,
                    state=move(full, AllocationState.SUPERSEDED),
                    decided_at=now,
                    decided_by=actor.username,
                )
            )
            superseded.append(older.id)
    return superseded


def _digest(
    inputs: _Inputs,
    *,
    fair: bool,
    rules: Mapping[str, ReserveRule] | None,
    context: AllocationContext,
) -> str:
    """SHA-256 of everything the proposal was computed from: the same inputs, the same plan."""
    document = {
        "lines": [
            [
                line.id,
                line.jurisdiction,
                line.item,
                line.quantity,
                line.priority,
                list(line.destination),
                list(line.substitutes),
            ]
            for line in inputs.lines
        ],
        "donors": [
            [
                d.jurisdiction,
                list(d.point),
                dict(sorted(d.stock.items())),
                dict(sorted(d.reserve.items())),
            ]
            for d in inputs.donors
        ],
        "rules": {
            item: [rule.fraction, rule.quantity] for item, rule in sorted((rules or {}).items())
        },
        "fair": fair,
        "nearest": proposal.DEFAULT_NEAREST,
        "travel": context.travel_name,
    }
    text = json.dumps(document, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(text.encode()).hexdigest()


def _line_payload(line: AllocationLine, quantity: float) -> dict[str, Any]:
    return {
        "donor": line.donor_jurisdiction_code,
        "request_line_id": line.request_line_id,
        "item": line.item_code,
        "quantity": quantity,
        "hours": line.hours,
        "stale": line.stale,
    }


def _load(
    tx: Transaction, actor: Actor, allocation_id: int, *, for_update: bool = False
) -> Allocation:
    if isinstance(allocation_id, bool) or not 0 < allocation_id <= ID_MAX:
        raise InvalidInput("an allocation id is a positive 64-bit whole number", key="invalid-id")
    allocation = tx.allocations.get(allocation_id, for_update=for_update and tx.writable)
    permissions.require_read_region(actor, allocation.region_code)
    return allocation


def _require_coordinate(actor: Actor, region_code: str) -> None:
    if not permissions.can_coordinate(actor, region_code):
        raise NotPermitted(
            f"only the coordination body of {region_code} or the central office allocates aid",
            key="not-coordinator",
            params={"region": region_code},
        )
