"""Allocations: the platform proposes who sends what to which open request line, the
committee approves it (as proposed or edited) and its lines become commitments.

What a proposal reads (open lines, donors, reserves, travel hours) is in
`allocation_inputs`. A stale figure (not confirmed within the period) still counts, and
each proposed line that draws on one is flagged. Approval re-reads every input and checks
every line again (`check_lines`): a line that would now breach a donor's reserve, or give
more than the request line still needs, refuses the whole approval and nothing is
written.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from crossrisk.aid import proposal
from crossrisk.aid.reserve import ReserveRule
from crossrisk.domain.aid.allocation import (
    EDITED_LINES_MAX,
    Allocation,
    AllocationLine,
    AllocationState,
    DonorFigures,
    UnmetQuantity,
    move,
)
from crossrisk.domain.aid.catalogue import valid_quantity
from crossrisk.domain.errors import InvalidInput
from crossrisk.domain.organisation import Actor
from crossrisk.domain.permissions.regions import (
    can_coordinate,
    readable_regions,
    require_read_region,
)
from crossrisk.services import aid_offers, aid_requests, commitments
from crossrisk.services.allocation_inputs import (
    ID_MAX,
    AllocationContext,
    AllocationInputs,
    check_request_ids,
    check_rules,
    digest,
    read_inputs,
    require_coordinate,
    rules_record,
)
from crossrisk.services.commitments import CommitLine
from crossrisk.store.uow import Transaction, UnitOfWork


@dataclass(frozen=True, slots=True)
class EditedLine:
    """A line as the committee approves it: a donor's item for a request line."""

    donor_jurisdiction_code: str
    request_line_id: int
    item_code: str
    quantity: float


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
        inputs = read_inputs(tx, actor, ids, rules=rules, context=context, now=now)
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
                digest=digest(inputs, fair=fair, rules=rules, context=context),
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
        require_coordinate(actor, allocation.region_code)
        state = move(allocation, AllocationState.APPROVED)
        rules = {
            item: ReserveRule(**{kind: value})
            for item, (kind, value) in allocation.reserve_rules.items()
        }
        inputs = read_inputs(
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
        require_coordinate(actor, allocation.region_code)
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
    if not can_coordinate(actor, allocation.region_code):
        # Committee-only stock records count in the figures; a member sees the flows only.
        allocation = replace(allocation, donors=())
    return allocation


def list_allocations(
    uow: UnitOfWork, actor: Actor, *, region_code: str | None = None
) -> list[Allocation]:
    """Allocations the actor reads, newest first (summaries, without lines)."""
    if region_code is not None:
        aid_requests.check_code(region_code, field="region")
        require_read_region(actor, region_code)
    regions = [region_code] if region_code else readable_regions(actor)
    with uow.read_only() as tx:
        return tx.allocations.find(region_codes=regions)


def _approved_lines(
    allocation: Allocation, edited: Sequence[EditedLine] | None, inputs: AllocationInputs
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
    inputs: AllocationInputs,
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
    require_read_region(actor, allocation.region_code)
    return allocation
