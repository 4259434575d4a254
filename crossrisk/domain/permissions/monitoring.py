"""Who sends observations, manages stations and reads the refused observations."""

from __future__ import annotations

from crossrisk.domain.organisation import Actor, OrganisationKind, Role
from crossrisk.domain.permissions.regions import operator_or_committee_of


def can_feed_any(actor: Actor) -> bool:
    """True for the kinds of account that may send observations at all."""
    return actor.role is Role.OFFICER and actor.kind in (
        OrganisationKind.SYSTEM,
        OrganisationKind.COORDINATION_BODY,
        OrganisationKind.JURISDICTION,
    )


def can_feed_station(actor: Actor, *, region_code: str, jurisdiction_code: str) -> bool:
    """The platform's own accounts, the region's coordination body and the station's city."""
    if not can_feed_any(actor):
        return False
    match actor.kind:
        case OrganisationKind.SYSTEM:
            return True
        case OrganisationKind.COORDINATION_BODY:
            return actor.organisation.region_code == region_code
        case _:
            return actor.jurisdiction_code == jurisdiction_code


def can_manage_stations(actor: Actor, region_code: str) -> bool:
    """The operator and the region's coordination body add and change stations."""
    return operator_or_committee_of(actor, region_code)


def can_read_refusals(actor: Actor) -> bool:
    """Those who run monitoring networks read the refused-observation counts."""
    return actor.kind in (
        OrganisationKind.SYSTEM,
        OrganisationKind.CENTRAL_OFFICE,
        OrganisationKind.COORDINATION_BODY,
    )
