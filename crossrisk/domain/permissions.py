"""Who may do what (DESIGN §1): permissions follow from the actor's organisation.

A city writes only its own records and reads what its regions share; a coordination
body reads and acts for its member cities; the central office reads and acts everywhere;
an evaluator only reads. A viewer reads what its organisation reads and changes nothing.
"""

from __future__ import annotations

from collections.abc import Iterable

from crossrisk.domain.errors import NotPermitted
from crossrisk.domain.organisation import Actor, OrganisationKind, Role


def can_read_region(actor: Actor, region_code: str) -> bool:
    """True when the actor may read records of the region."""
    if actor.kind in (OrganisationKind.CENTRAL_OFFICE, OrganisationKind.SYSTEM):
        return True
    return region_code in actor.region_codes


def can_change_risk(actor: Actor, *, region_code: str, origin_codes: Iterable[str]) -> bool:
    """True when the actor may register or change a risk with these origin jurisdictions.

    The origin jurisdiction leads (发生地为主): its officers, the coordination body of the
    region and the central office may change the risk; affected cities only read it.
    """
    if actor.role is not Role.OFFICER:
        return False
    match actor.kind:
        case OrganisationKind.CENTRAL_OFFICE | OrganisationKind.SYSTEM:
            return True
        case OrganisationKind.COORDINATION_BODY:
            return region_code in actor.region_codes
        case OrganisationKind.JURISDICTION:
            return region_code in actor.region_codes and actor.jurisdiction_code in set(
                origin_codes
            )
        case _:
            return False


def can_coordinate(actor: Actor, region_code: str) -> bool:
    """True for the region's coordination body and the central office (confirm, name a lead)."""
    if actor.role is not Role.OFFICER:
        return False
    if actor.kind in (OrganisationKind.CENTRAL_OFFICE, OrganisationKind.SYSTEM):
        return True
    return actor.kind is OrganisationKind.COORDINATION_BODY and region_code in actor.region_codes


def require_coordinate(actor: Actor, region_code: str) -> None:
    """Refuse unless the actor coordinates the region."""
    if not can_coordinate(actor, region_code):
        raise NotPermitted(
            f"only the coordination body of {region_code} or the central office may do this"
        )


def require_read_region(actor: Actor, region_code: str) -> None:
    """Refuse unless the actor may read the region's records."""
    if not can_read_region(actor, region_code):
        raise NotPermitted(f"{actor.organisation.code} may not read records of {region_code}")


def require_change_risk(actor: Actor, *, region_code: str, origin_codes: Iterable[str]) -> None:
    """Refuse unless the actor may change a risk with these origins."""
    codes = tuple(origin_codes)
    if not can_change_risk(actor, region_code=region_code, origin_codes=codes):
        where = ", ".join(codes) or region_code
        raise NotPermitted(
            f"{actor.organisation.code} ({actor.role}) may not change a risk "
            f"whose origin is {where}"
        )


def require_operator(actor: Actor) -> None:
    """Refuse platform set-up work (regions, users) to anyone but the operator."""
    if actor.kind is not OrganisationKind.SYSTEM:
        raise NotPermitted("only the platform operator may do this")
