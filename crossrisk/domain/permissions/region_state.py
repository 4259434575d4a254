"""Who switches a region between its normal and emergency state (DESIGN §3.11)."""

from __future__ import annotations

from crossrisk.domain.errors import NotPermitted
from crossrisk.domain.organisation import Actor, OrganisationKind, Role


def can_switch_region_state(actor: Actor, region_code: str) -> bool:
    """True only for an officer of the region's coordination body: the committee declares
    its region's emergency state (DESIGN §3.11), not the central office or the platform."""
    return (
        actor.role is Role.OFFICER
        and actor.kind is OrganisationKind.COORDINATION_BODY
        and region_code in actor.region_codes
    )


def require_switch_region_state(actor: Actor, region_code: str) -> None:
    """Refuse unless the actor may switch the region between normal and emergency state."""
    if not can_switch_region_state(actor, region_code):
        raise NotPermitted(
            f"only an officer of the coordination body of {region_code} switches its state",
            key="region-state-not-committee",
            params={"region": region_code},
        )
