"""Offers: made by another member city per request line, withdrawn by it, accepted by the
coordination body or the requester, which makes the commitments."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import replace
from datetime import datetime
from typing import Any

from crossrisk.domain.aid.commitment import Commitment
from crossrisk.domain.aid.offer import (
    NOTE_MAX,
    Offer,
    OfferLine,
    OfferLineDraft,
    OfferState,
    accepted_quantity,
    check_offer_lines,
)
from crossrisk.domain.errors import InvalidInput, NotPermitted
from crossrisk.domain.organisation import Actor
from crossrisk.domain.permissions.aid import can_offer_aid
from crossrisk.domain.permissions.regions import require_read_region
from crossrisk.domain.risk import check_text
from crossrisk.services import aid_requests, commitments
from crossrisk.store.uow import Transaction, UnitOfWork


def make_offer(
    uow: UnitOfWork,
    actor: Actor,
    request_id: int,
    *,
    lines: Sequence[OfferLineDraft],
    note: str = "",
    now: datetime,
) -> Offer:
    """A member city offers what it can give against an approved request's lines."""
    note = check_text("note", note, limit=NOTE_MAX, required=False)
    with uow as tx:
        request = aid_requests.load_request(tx, actor, request_id, for_update=True)
        donor = actor.jurisdiction_code
        if donor == request.jurisdiction_code:
            raise InvalidInput(
                f"{donor} cannot offer aid to its own request",
                key="offer-by-requester",
                params={"jurisdiction": donor},
            )
        if donor is None or not can_offer_aid(
            actor, region_code=request.region_code, donor_code=donor
        ):
            raise NotPermitted(
                "only an officer of another member city offers aid",
                key="offer-not-permitted",
                params={"region": request.region_code},
            )
        commitments.require_open(request)
        commitments.check_donor(tx, request, donor)
        checked = check_offer_lines(request, list(lines), now=now)
        assert request.id is not None
        offer = tx.aid_offers.add(
            Offer(
                id=None,
                request_id=request.id,
                region_code=request.region_code,
                jurisdiction_code=donor,
                made_by=actor.organisation.code,
                state=OfferState.OPEN,
                lines=checked,
                created_at=now,
                note=note,
            )
        )
        _record(tx, actor, "aid_offer.made", offer, now=now)
        tx.commit()
    return offer


def withdraw_offer(uow: UnitOfWork, actor: Actor, offer_id: int, *, now: datetime) -> Offer:
    """The donor takes back what is not yet accepted (accepted lines are commitments)."""
    with uow as tx:
        offer = tx.aid_offers.get(offer_id, for_update=True)
        require_read_region(actor, offer.region_code)
        if not can_offer_aid(
            actor, region_code=offer.region_code, donor_code=offer.jurisdiction_code
        ):
            raise NotPermitted(
                f"only {offer.jurisdiction_code} withdraws its offer",
                key="not-the-donor",
                params={"donor": offer.jurisdiction_code},
            )
        _require_open_offer(offer)
        offer = tx.aid_offers.save(replace(offer, state=OfferState.WITHDRAWN, withdrawn_at=now))
        _record(tx, actor, "aid_offer.withdrawn", offer, now=now)
        tx.commit()
    return offer


def accept_offer(
    uow: UnitOfWork,
    actor: Actor,
    offer_id: int,
    *,
    line_ids: Collection[int] | None = None,
    now: datetime,
) -> list[Commitment]:
    """Accept offer lines (all not yet accepted, by default): each becomes a commitment.

    The quantity is capped at what the request line still needs (see domain.aid.offer);
    the commitment is due by the line's needed-by time, or by the offer's estimated
    arrival when that is later: accepting a slower offer accepts its time.
    """
    with uow as tx:
        offer = tx.aid_offers.get(offer_id, for_update=True)
        request = aid_requests.load_request(tx, actor, offer.request_id, for_update=True)
        commitments.require_accept(actor, request)
        _require_open_offer(offer)
        commitments.require_open(request)
        chosen = _chosen(offer, line_ids)
        made: list[Commitment] = []
        accepted: list[OfferLine] = []
        for line in chosen:
            wanted = request.line(line.request_line_id)
            progress = aid_requests.progress_of(tx, request, now=now).lines[line.request_line_id]
            quantity = accepted_quantity(line.quantity, still_needed=progress.still_needed)
            (commitment,) = commitments.commit_lines(
                tx,
                actor,
                [
                    commitments.CommitLine(
                        request_line_id=line.request_line_id,
                        donor_jurisdiction_code=offer.jurisdiction_code,
                        item_code=line.item_code,
                        quantity=quantity,
                        due=max(wanted.needed_by, line.estimated_arrival),
                        offer_line_id=line.id,
                    )
                ],
                now=now,
            )
            made.append(commitment)
            accepted.append(replace(line, accepted_quantity=quantity, commitment_id=commitment.id))
        by_id = {line.id: line for line in accepted}
        offer = tx.aid_offers.save(
            replace(offer, lines=tuple(by_id.get(line.id, line) for line in offer.lines))
        )
        _record(
            tx,
            actor,
            "aid_offer.accepted",
            offer,
            now=now,
            extra={"accepted": [line.id for line in accepted]},
        )
        tx.commit()
    return made


def open_offer_lines(
    tx: Transaction, request_ids: Collection[int]
) -> dict[tuple[int, str, str], int]:
    """Open offer lines not yet accepted, by (request line, donor, item): their ids.

    The allocation approves commitments from stock; where the donor offered that very
    line, its commitment is the offer's, accepted (the committee chose it).
    """
    found: dict[tuple[int, str, str], int] = {}
    for request_id in request_ids:
        for offer in tx.aid_offers.of_request(request_id):
            if offer.state is not OfferState.OPEN:
                continue
            for line in offer.lines:
                key = (line.request_line_id, offer.jurisdiction_code, line.item_code)
                if not line.accepted and line.id is not None:
                    found.setdefault(key, line.id)
    return found


def accept_for_commitments(
    tx: Transaction, actor: Actor, made: Sequence[Commitment], *, now: datetime
) -> None:
    """Mark the offer lines the commitments took as accepted, journaled as acceptance."""
    by_offer: dict[int, dict[int, Commitment]] = {}
    for commitment in made:
        if commitment.offer_line_id is not None:
            offer_id = tx.aid_offers.offer_of_line(commitment.offer_line_id)
            by_offer.setdefault(offer_id, {})[commitment.offer_line_id] = commitment
    for offer_id, taken in by_offer.items():
        offer = tx.aid_offers.get(offer_id, for_update=True)
        lines = tuple(
            replace(
                line, accepted_quantity=taken[line.id].quantity, commitment_id=taken[line.id].id
            )
            if line.id in taken
            else line
            for line in offer.lines
        )
        offer = tx.aid_offers.save(replace(offer, lines=lines))
        _record(tx, actor, "aid_offer.accepted", offer, now=now, extra={"accepted": sorted(taken)})


def offers_of_request(uow: UnitOfWork, actor: Actor, request_id: int) -> list[Offer]:
    """Every offer made against a request the actor reads."""
    with uow.read_only() as tx:
        aid_requests.load_request(tx, actor, request_id)
        return tx.aid_offers.of_request(request_id)


def _chosen(offer: Offer, line_ids: Collection[int] | None) -> list[OfferLine]:
    if line_ids is None:
        chosen = [line for line in offer.lines if not line.accepted]
    else:
        chosen = [offer.line(line_id) for line_id in dict.fromkeys(line_ids)]
    for line in chosen:
        if line.accepted:
            raise InvalidInput(
                f"offer line {line.id} was accepted already",
                key="offer-line-accepted",
                params={"line": line.id},
            )
    if not chosen:
        raise InvalidInput(
            f"offer {offer.id} has no line left to accept",
            key="offer-line-accepted",
            params={"offer": offer.id},
        )
    return chosen


def _require_open_offer(offer: Offer) -> None:
    if offer.state is not OfferState.OPEN:
        raise InvalidInput(
            f"offer {offer.id} is {offer.state.value}",
            key="offer-not-open",
            params={"offer": offer.id, "state": offer.state.value},
        )


def _record(
    tx: Transaction,
    actor: Actor,
    action: str,
    offer: Offer,
    *,
    now: datetime,
    extra: dict[str, Any] | None = None,
) -> None:
    tx.record(
        actor,
        action,
        subject=f"aid_offer:{offer.id}",
        payload={
            "offer_id": offer.id,
            "request_id": offer.request_id,
            "donor_jurisdiction_code": offer.jurisdiction_code,
            "state": offer.state.value,
            "lines": [
                {
                    "offer_line_id": line.id,
                    "request_line_id": line.request_line_id,
                    "item_code": line.item_code,
                    "quantity": line.quantity,
                    "earliest_dispatch": line.earliest_dispatch.isoformat(),
                    "estimated_arrival": line.estimated_arrival.isoformat(),
                    "cost_cny": line.cost_cny,
                    "accepted_quantity": line.accepted_quantity,
                    "commitment_id": line.commitment_id,
                }
                for line in offer.lines
            ],
            **(extra or {}),
        },
        region_code=offer.region_code,
        now=now,
    )
