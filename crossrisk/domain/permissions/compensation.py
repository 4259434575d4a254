"""Who records costs, proposes and approves settlements and keeps the fund (DESIGN §3.8).

A member's officer records its own costs and its own estimate of the loss it avoided; the
committee records for any member, proposes and approves settlement statements and keeps
the regional fund; any member proposes a statement of a risk it is a party to, so the
committee sees the rules side by side.
"""

from __future__ import annotations

from collections.abc import Iterable

from crossrisk.domain.organisation import Actor, OrganisationKind, Role
from crossrisk.domain.permissions.regions import can_act_for_member, can_coordinate


def can_record_cost(actor: Actor, *, region_code: str, party: str) -> bool:
    """True for an officer of the member jurisdiction itself, and the region's committee."""
    return can_act_for_member(actor, region_code=region_code, jurisdiction_code=party)


def can_propose_settlement(actor: Actor, *, region_code: str, parties: Iterable[str]) -> bool:
    """True for the committee and an officer of a party to the risk's costs."""
    if can_coordinate(actor, region_code):
        return True
    return (
        actor.role is Role.OFFICER
        and actor.kind is OrganisationKind.JURISDICTION
        and region_code in actor.region_codes
        and actor.jurisdiction_code in set(parties)
    )


def can_settle(actor: Actor, region_code: str) -> bool:
    """True for the region's committee (and the central office): it approves a statement."""
    return can_coordinate(actor, region_code)


def can_keep_fund(actor: Actor, region_code: str) -> bool:
    """True for the region's committee (and the central office): the fund's book-keeper."""
    return can_coordinate(actor, region_code)
