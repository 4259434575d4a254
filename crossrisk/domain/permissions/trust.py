"""Who supervises members' trust (DESIGN §3.9).

The committee supervises how its members' commitments and duties were resolved (vertical
supervision); the central office reads but does not judge.
"""

from __future__ import annotations

from crossrisk.domain.organisation import Actor, OrganisationKind, Role


def can_supervise_trust(actor: Actor, region_code: str) -> bool:
    """True only for an officer of the region's coordination body."""
    return (
        actor.role is Role.OFFICER
        and actor.kind is OrganisationKind.COORDINATION_BODY
        and region_code in actor.region_codes
    )
