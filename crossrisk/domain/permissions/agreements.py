"""Who drafts and signs governance agreements (DESIGN §3.1).

The committee drafts and amends; each party's own officer signs for it (a viewer reads,
never signs); whoever reads the region reads them.
"""

from __future__ import annotations

from crossrisk.domain.organisation import Actor, Role
from crossrisk.domain.permissions.regions import can_coordinate


def can_draft_agreement(actor: Actor, region_code: str) -> bool:
    """True for the region's coordination body and the central office."""
    return can_coordinate(actor, region_code)


def can_sign_agreement(actor: Actor, organisation_code: str) -> bool:
    """True for an officer of the organisation that signs."""
    return actor.role is Role.OFFICER and actor.organisation.code == organisation_code
