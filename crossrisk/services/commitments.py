"""Commitments: made from accepted offer lines or an approved allocation, withdrawn by
their donor, read with the outcome the shipments and the clock give them.

`commit_lines` is the one place a commitment is made: accepting an offer calls it, and so
will the allocation's approval, inside their own transactions.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import Any

from crossrisk.domain.aid.catalogue import valid_quantity
from crossrisk.domain.aid.commitment import Commitment, Outcome, outcome
from crossrisk.domain.aid.request import (
    NEEDED_WITHIN,
    OPEN_FOR_AID,
    REASON_MAX,
    TOLERANCE,
    AidRequest,
)
from crossrisk.domain.aid.shipment import Shipment, ShipmentState
from crossrisk.domain.errors import InvalidInput, NotPermitted
from crossrisk.domain.moments import in_utc
from crossrisk.domain.organisation import Actor
from crossrisk.domain.permissions.aid import can_accept_offer, can_dispatch
from crossrisk.domain.permissions.regions import readable_regions, require_read_region
from crossrisk.domain.risk import check_text
from crossrisk.services import aid_requests
from crossrisk.store.uow import Transaction, UnitOfWork


@dataclass(frozen=True, slots=True)
class CommitLine:
    """One commitment to make: who gives what, how much, by when, against which line."""

    request_line_id: int
    donor_jurisdiction_code: str
    item_code: str
    quantity: float
    due: datetime
    offer_line_id: int | None = None


@dataclass(frozen=True, slots=True)
class CommitmentView:
    commitment: Commitment
    shipments: tuple[Shipment, ...]
    outcome: Outcome

    @property
    def shipped(self) -> float:
        return sum(s.quantity for s in self.shipments)

    @property
    def received(self) -> float:
        return sum(s.received_quantity or 0.0 for s in self.shipments)


def commit_lines(
    tx: Transaction, actor: Actor, lines: Sequence[CommitLine], *, now: datetime
) -> list[Commitment]:
    """Make commitments in the open transaction, each journaled as "commitment.made".

    Each line is checked against its request line as it stands after the lines before
    it: the request open for aid, the actor the committee or the requester, the donor a
    member other than the requester, the item the line's or a substitute, the quantity
    within what no live commitment covers yet ("commitment-exceeds-need").
    """
    made = []
    for line in lines:
        request = tx.aid_requests.request_of_line(line.request_line_id)
        assert request.id is not None
        request = aid_requests.load_request(tx, actor, request.id, for_update=True)
        assert request.id is not None
        require_accept(actor, request)
        require_open(request)
        wanted = request.line(line.request_line_id)
        aid_requests.check_code(line.donor_jurisdiction_code, field="donor")
        check_donor(tx, request, line.donor_jurisdiction_code)
        if not wanted.accepts(line.item_code):
            raise InvalidInput(
                f"{line.item_code} is neither line {wanted.id}'s item nor a substitute",
                key="item-not-acceptable",
                params={"line": wanted.id, "item": line.item_code},
            )
        quantity = valid_quantity(line.quantity, allow_zero=False)
        progress = aid_requests.progress_of(tx, request, now=now).lines[line.request_line_id]
        if quantity > progress.still_needed + TOLERANCE:
            raise InvalidInput(
                f"committing {quantity:g} is more than the {progress.still_needed:g} "
                f"line {wanted.id} still needs",
                key="commitment-exceeds-need",
                params={"quantity": quantity, "still_needed": progress.still_needed},
            )
        due = check_due(line.due, now=now)
        commitment = tx.commitments.add(
            Commitment(
                id=None,
                region_code=request.region_code,
                request_id=request.id,
                request_line_id=line.request_line_id,
                donor_jurisdiction_code=line.donor_jurisdiction_code,
                item_code=line.item_code,
                quantity=quantity,
                due=due,
                made_at=now,
                made_by=actor.username,
                offer_line_id=line.offer_line_id,
            )
        )
        record(tx, actor, "commitment.made", commitment, now=now)
        made.append(commitment)
    return made


def cancel_commitment(
    uow: UnitOfWork, actor: Actor, commitment_id: int, *, reason: str, now: datetime
) -> CommitmentView:
    """The donor withdraws its commitment: it counts as broken, and the line asks again."""
    reason = check_text("reason", reason, limit=REASON_MAX)
    with uow as tx:
        commitment = tx.commitments.get(commitment_id, for_update=True)
        require_read_region(actor, commitment.region_code)
        if not can_dispatch(
            actor,
            region_code=commitment.region_code,
            donor_code=commitment.donor_jurisdiction_code,
        ):
            raise NotPermitted(
                f"only {commitment.donor_jurisdiction_code} withdraws its commitment",
                key="not-the-donor",
                params={"donor": commitment.donor_jurisdiction_code},
            )
        if commitment.cancelled_at is not None:
            raise InvalidInput(
                f"commitment {commitment_id} was withdrawn already",
                key="commitment-withdrawn",
                params={"commitment": commitment_id},
            )
        shipments = tx.shipments.of_commitments([commitment_id])[commitment_id]
        if any(s.state is not ShipmentState.RECEIVED for s in shipments):
            raise InvalidInput(
                f"commitment {commitment_id} has goods on the road",
                key="commitment-in-transit",
                params={"commitment": commitment_id},
            )
        commitment = tx.commitments.save(
            replace(commitment, cancelled_at=now, cancel_reason=reason)
        )
        record(tx, actor, "commitment.cancelled", commitment, now=now, extra={"reason": reason})
        tx.commit()
    return view(commitment, shipments, now=now)


def list_commitments(
    uow: UnitOfWork,
    actor: Actor,
    *,
    region_code: str | None = None,
    donor: str | None = None,
    request_id: int | None = None,
    now: datetime,
) -> list[CommitmentView]:
    """Commitments the actor reads, newest first, each with its outcome now."""
    if region_code is not None:
        aid_requests.check_code(region_code, field="region")
        require_read_region(actor, region_code)
    if donor is not None:
        aid_requests.check_code(donor, field="donor")
    regions = [region_code] if region_code else readable_regions(actor)
    with uow.read_only() as tx:
        found = tx.commitments.find(region_codes=regions, donor=donor, request_id=request_id)
        shipments = tx.shipments.of_commitments([c.id for c in found if c.id is not None])
    return [view(c, shipments[c.id or 0], now=now) for c in found]


def get_commitment(
    uow: UnitOfWork, actor: Actor, commitment_id: int, *, now: datetime
) -> CommitmentView:
    with uow.read_only() as tx:
        commitment = tx.commitments.get(commitment_id)
        require_read_region(actor, commitment.region_code)
        shipments = tx.shipments.of_commitments([commitment_id])[commitment_id]
    return view(commitment, shipments, now=now)


def view(commitment: Commitment, shipments: Sequence[Shipment], *, now: datetime) -> CommitmentView:
    return CommitmentView(
        commitment=commitment,
        shipments=tuple(shipments),
        outcome=outcome(
            quantity=commitment.quantity,
            due=commitment.due,
            cancelled_at=commitment.cancelled_at,
            shipments=shipments,
            now=now,
        ),
    )


def require_accept(actor: Actor, request: AidRequest) -> None:
    if not can_accept_offer(
        actor, region_code=request.region_code, requester_code=request.jurisdiction_code
    ):
        raise NotPermitted(
            f"only {request.jurisdiction_code} or the coordination body accepts aid for it",
            key="aid-request-not-yours",
            params={"jurisdiction": request.jurisdiction_code},
        )


def require_open(request: AidRequest) -> None:
    """Refuse offers and commitments for a request that is not (or no longer) approved."""
    if request.state not in OPEN_FOR_AID:
        raise InvalidInput(
            f"request {request.id} is {request.state.value}; it takes no offers",
            key="request-not-open",
            params={"request": request.id, "state": request.state.value},
        )


def check_donor(tx: Transaction, request: AidRequest, donor_code: str) -> None:
    """A donor is a member of the request's region other than the requesting city."""
    if donor_code == request.jurisdiction_code:
        raise InvalidInput(
            f"{donor_code} cannot give aid to itself",
            key="offer-by-requester",
            params={"jurisdiction": donor_code},
        )
    if request.region_code not in tx.regions.regions_of(donor_code):
        raise InvalidInput(
            f"{donor_code} is not a member of region {request.region_code}",
            key="not-a-member",
            params={"jurisdiction": donor_code, "region": request.region_code},
        )


def check_due(due: datetime, *, now: datetime, field: str = "due") -> datetime:
    """A due time in UTC within the coming year (a day's grace behind), or InvalidInput."""
    due = in_utc(due, field=field)
    if not now - timedelta(days=1) <= due <= now + NEEDED_WITHIN:
        raise InvalidInput(
            f"{field} {due.isoformat()} is not a time within the coming year",
            key="time-out-of-range",
            params={"field": field},
        )
    return due


def record(
    tx: Transaction,
    actor: Actor,
    action: str,
    commitment: Commitment,
    *,
    now: datetime,
    extra: dict[str, Any] | None = None,
) -> None:
    tx.record(
        actor,
        action,
        subject=f"commitment:{commitment.id}",
        payload={
            "commitment_id": commitment.id,
            "request_id": commitment.request_id,
            "request_line_id": commitment.request_line_id,
            "offer_line_id": commitment.offer_line_id,
            "donor_jurisdiction_code": commitment.donor_jurisdiction_code,
            "item_code": commitment.item_code,
            "quantity": commitment.quantity,
            "due": commitment.due.isoformat(),
            **(extra or {}),
        },
        region_code=commitment.region_code,
        now=now,
    )
