"""Who registers and changes a risk, reports on it and releases its duties: the origin
jurisdiction leads (发生地为主)."""

from __future__ import annotations

from collections.abc import Iterable

from crossrisk.domain.errors import NotPermitted
from crossrisk.domain.organisation import Actor, OrganisationKind, Role
from crossrisk.domain.permissions.regions import can_coordinate


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


def require_change_risk(actor: Actor, *, region_code: str, origin_codes: Iterable[str]) -> None:
    """Refuse unless the actor may change a risk with these origins."""
    codes = tuple(origin_codes)
    if not can_change_risk(actor, region_code=region_code, origin_codes=codes):
        where = ", ".join(codes) or region_code
        raise NotPermitted(
            f"{actor.organisation.code} ({actor.role}) may not change a risk "
            f"whose origin is {where}",
            key="risk-change-not-permitted",
            # Codes, not names: pages name them in their own language from the directory.
            params={"organisation": actor.organisation.code, "origins": codes},
        )


def can_report_on_risk(actor: Actor, *, origin_codes: Iterable[str]) -> bool:
    """True for an officer of an origin city: it handles the hazard and reports (发生地为主)."""
    return (
        actor.role is Role.OFFICER
        and actor.kind is OrganisationKind.JURISDICTION
        and actor.jurisdiction_code in set(origin_codes)
    )


def can_waive_duty(actor: Actor, region_code: str) -> bool:
    """True for the region's coordination body and the central office: they release duties."""
    return can_coordinate(actor, region_code)
