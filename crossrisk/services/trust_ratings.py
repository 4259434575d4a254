"""Recipients' ratings of the aid they received (DESIGN §3.9): one per shipment, by the
city that received it, weighed in the donor's trust score."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from crossrisk.domain.aid.shipment import ShipmentState
from crossrisk.domain.errors import Conflict, NotPermitted
from crossrisk.domain.organisation import Actor, Role
from crossrisk.domain.permissions.regions import require_read_region
from crossrisk.domain.risk import check_text
from crossrisk.domain.trust.supervision import Rating, rating_share
from crossrisk.services.trust_evidence import HISTORY_MAX, RATED, organisations_by_jurisdiction
from crossrisk.store.uow import UnitOfWork

COMMENT_MAX = 2000


def rate_aid(
    uow: UnitOfWork,
    actor: Actor,
    shipment_id: int,
    *,
    score: str | int,
    comment: str = "",
    now: datetime,
) -> Rating:
    """The recipient rates aid it received from a donor; anyone else is refused."""
    given, share = rating_share(score)
    text = check_text("comment", comment, limit=COMMENT_MAX, required=False)
    with uow as tx:
        shipment = tx.shipments.get(shipment_id)
        commitment = tx.commitments.get(shipment.commitment_id)
        request = tx.aid_requests.get(commitment.request_id)
        organisation_of = organisations_by_jurisdiction(tx)
        recipient = organisation_of.get(request.jurisdiction_code, request.jurisdiction_code)
        if (
            actor.role is not Role.OFFICER
            or actor.organisation.code != recipient
            or shipment.state is not ShipmentState.RECEIVED
        ):
            raise NotPermitted(
                f"only {recipient}, which received shipment {shipment_id}, may rate it",
                key="trust-rating-not-recipient",
                params={"shipment": shipment_id, "recipient": recipient},
            )
        if tx.trust.rating_of_shipment(shipment_id) is not None:
            raise Conflict(
                f"shipment {shipment_id} is rated already",
                key="trust-rating-twice",
                params={"shipment": shipment_id},
            )
        donor = organisation_of.get(
            commitment.donor_jurisdiction_code, commitment.donor_jurisdiction_code
        )
        rating = tx.trust.add_rating(
            Rating(
                id=None,
                region_code=commitment.region_code,
                shipment_id=shipment_id,
                rater=recipient,
                subject=donor,
                score=given,
                share=share,
                comment=text,
                by=actor.username,
                at=now,
            )
        )
        tx.record(
            actor,
            RATED,
            subject=f"shipment:{shipment_id}",
            payload={
                "rating": rating.id,
                "region": commitment.region_code,
                "commitment": commitment.id,
                "rater": recipient,
                "member": donor,
                "score": given,
                "share": share,
                "comment": text,
            },
            region_code=commitment.region_code,
            now=now,
        )
        tx.commit()
    return rating


@dataclass(frozen=True, slots=True)
class Rateable:
    """A shipment the actor's city received from a member and has not rated yet."""

    shipment_id: int
    item_code: str
    received_quantity: float
    received_at: datetime


def rateable_shipments(
    uow: UnitOfWork, actor: Actor, member: str, *, region_code: str
) -> list[Rateable]:
    """What the actor's city may rate of the member's aid: real shipments it received."""
    if actor.role is not Role.OFFICER or actor.organisation.jurisdiction_code is None:
        return []
    with uow.read_only() as tx:
        require_read_region(actor, region_code)
        donor = tx.organisations.get(member).jurisdiction_code
        requests = tx.aid_requests.find(
            region_codes=[region_code],
            jurisdiction_code=actor.organisation.jurisdiction_code,
            limit=HISTORY_MAX,
        )
        commitments = [
            c
            for r in requests
            for c in tx.commitments.of_request(r.id or 0)
            if c.donor_jurisdiction_code == donor
        ]
        shipments = tx.shipments.of_commitments([c.id or 0 for c in commitments])
        rated = {r.shipment_id for r in tx.trust.ratings([region_code])}
    item_of = {c.id: c.item_code for c in commitments}
    return [
        Rateable(s.id, item_of.get(s.commitment_id, ""), s.received_quantity or 0.0, s.received_at)
        for sent in shipments.values()
        for s in sent
        if s.id is not None
        and s.received_at is not None
        and s.state is ShipmentState.RECEIVED
        and s.id not in rated
    ]
