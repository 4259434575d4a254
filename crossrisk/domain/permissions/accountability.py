"""Who reviews, answers and reads accountability cases (DESIGN §3.7).

The committee (or the reviewer an agreement names) reviews and decides; an officer of the
party files its statement; a case is read by the committee of its region, its party and
its reviewer.
"""

from __future__ import annotations

from crossrisk.domain.organisation import Actor, OrganisationKind, Role
from crossrisk.domain.permissions.regions import can_coordinate, can_read_region, reads_everything


def can_review_case(actor: Actor, *, region_code: str, reviewer: str | None) -> bool:
    """True for the reviewer the procedure names, else the region's committee."""
    if reviewer is None:
        return can_coordinate(actor, region_code)
    return actor.role is Role.OFFICER and actor.organisation.code == reviewer


def can_file_statement(actor: Actor, party: str) -> bool:
    """True for an officer of the party the case is about: its right to a statement."""
    return actor.role is Role.OFFICER and actor.organisation.code == party


def can_read_case(actor: Actor, *, region_code: str, party: str, reviewer: str | None) -> bool:
    """True for the region's committee and the central office, the party and the reviewer."""
    if not can_read_region(actor, region_code):
        return False
    if reads_everything(actor) or (
        actor.kind is OrganisationKind.COORDINATION_BODY and region_code in actor.region_codes
    ):
        return True
    return actor.organisation.code in {party, reviewer}
