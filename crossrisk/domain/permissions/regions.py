"""Who reads a region's records and who coordinates it: the rules every other
capability's permissions build on, and the operator's platform set-up work."""

from __future__ import annotations

from crossrisk.domain.errors import NotPermitted
from crossrisk.domain.organisation import Actor, OrganisationKind, Role, province_code


def reads_everything(actor: Actor) -> bool:
    """True for the central office and the platform itself, which read every region."""
    return actor.kind in (OrganisationKind.CENTRAL_OFFICE, OrganisationKind.SYSTEM)


def readable_regions(actor: Actor) -> list[str] | None:
    """The regions whose records the actor reads, sorted; None for all of them."""
    return None if reads_everything(actor) else sorted(actor.region_codes)


def regions_to_list(actor: Actor, region_code: str | None) -> list[str] | None:
    """The regions a listing covers: the one asked for (refused unless readable), else all
    the actor reads (None: every region)."""
    if region_code is None:
        return readable_regions(actor)
    require_read_region(actor, region_code)
    return [region_code]


def can_read_region(actor: Actor, region_code: str) -> bool:
    """True when the actor may read records of the region."""
    return reads_everything(actor) or region_code in actor.region_codes


def can_act_for_member(actor: Actor, *, region_code: str, jurisdiction_code: str) -> bool:
    """True for an officer of the member city itself, and for the region's coordinators
    (its committee, or the central office), who may act for any member."""
    if actor.role is not Role.OFFICER:
        return False
    if can_coordinate(actor, region_code):
        return True
    return (
        actor.kind is OrganisationKind.JURISDICTION
        and region_code in actor.region_codes
        and actor.jurisdiction_code == jurisdiction_code
    )


def require_read_region(actor: Actor, region_code: str) -> None:
    """Refuse unless the actor may read the region's records."""
    if not can_read_region(actor, region_code):
        raise NotPermitted(
            f"{actor.organisation.code} may not read records of {region_code}",
            key="region-not-readable",
            params={"organisation": actor.organisation.code, "region": region_code},
        )


def province_covers(actor: Actor, jurisdiction_code: str) -> bool:
    """True when the actor is the province the jurisdiction lies in.

    A province reads the records of the regions its cities belong to, like a city, and
    its inbox holds the warnings to its own cities.
    """
    return (
        actor.kind is OrganisationKind.PROVINCE
        and actor.jurisdiction_code is not None
        and actor.jurisdiction_code != jurisdiction_code
        and province_code(jurisdiction_code) == actor.jurisdiction_code
    )


def can_coordinate(actor: Actor, region_code: str) -> bool:
    """True for the region's coordination body and the central office (confirm, name a lead)."""
    if actor.role is not Role.OFFICER:
        return False
    if reads_everything(actor):
        return True
    return actor.kind is OrganisationKind.COORDINATION_BODY and region_code in actor.region_codes


def require_coordinate(actor: Actor, region_code: str) -> None:
    """Refuse unless the actor coordinates the region."""
    if not can_coordinate(actor, region_code):
        raise NotPermitted(
            f"only the coordination body of {region_code} or the central office may do this",
            key="not-coordinator",
            params={"region": region_code},
        )


def require_operator(actor: Actor) -> None:
    """Refuse platform set-up work (regions, users) to anyone but the operator."""
    if actor.kind is not OrganisationKind.SYSTEM:
        raise NotPermitted("only the platform operator may do this")


def operator_or_committee_of(actor: Actor, region_code: str) -> bool:
    """An officer of the platform itself or of the region's own coordination body."""
    if actor.role is not Role.OFFICER:
        return False
    if actor.kind is OrganisationKind.SYSTEM:
        return True
    return (
        actor.kind is OrganisationKind.COORDINATION_BODY
        and actor.organisation.region_code == region_code
    )
