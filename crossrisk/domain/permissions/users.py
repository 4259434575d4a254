"""Who manages an organisation's accounts."""

from __future__ import annotations

from collections.abc import Collection

from crossrisk.domain.errors import NotPermitted
from crossrisk.domain.organisation import Actor, Organisation, OrganisationKind, Role


def can_manage_users(
    actor: Actor, organisation: Organisation, region_codes: Collection[str]
) -> bool:
    """The operator, the organisation's own administrators and its committee's administrators.

    region_codes are the regions the organisation belongs to. An administrator who is only
    a viewer changes nothing, accounts included.
    """
    if actor.kind is OrganisationKind.SYSTEM:
        return True
    if not actor.admin or actor.role is not Role.OFFICER:
        return False
    if actor.organisation.code == organisation.code:
        return True
    return (
        actor.kind is OrganisationKind.COORDINATION_BODY
        and actor.organisation.region_code is not None
        and actor.organisation.region_code in region_codes
    )


def require_manage_users(
    actor: Actor, organisation: Organisation, region_codes: Collection[str]
) -> None:
    """Refuse unless the actor manages the organisation's accounts."""
    if not can_manage_users(actor, organisation, region_codes):
        raise NotPermitted(
            f"{actor.organisation.code} ({actor.role}) may not manage the users of "
            f"{organisation.code}",
            key="users-not-permitted",
            params={"organisation": organisation.code},
        )
