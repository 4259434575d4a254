"""Who issues and lifts warnings, and who acknowledges them."""

from __future__ import annotations

from collections.abc import Iterable

from crossrisk.domain.organisation import Actor, Role
from crossrisk.domain.permissions.regions import can_coordinate
from crossrisk.domain.permissions.risks import can_change_risk


def can_warn(actor: Actor, *, region_code: str, origin_codes: Iterable[str]) -> bool:
    """True for whoever leads the risk and its coordination body: they issue and lift warnings."""
    return can_change_risk(
        actor, region_code=region_code, origin_codes=origin_codes
    ) or can_coordinate(actor, region_code)


def can_acknowledge(actor: Actor, recipient_organisation: str) -> bool:
    """True for an officer of the organisation a warning is addressed to."""
    return actor.role is Role.OFFICER and actor.organisation.code == recipient_organisation
