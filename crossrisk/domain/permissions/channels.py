"""Who configures an organisation's delivery channels and sees where its warnings go."""

from __future__ import annotations

from collections.abc import Collection

from crossrisk.domain.organisation import Actor, Organisation, OrganisationKind, Role


def can_configure_channels(
    actor: Actor, organisation: Organisation, region_codes: Collection[str]
) -> bool:
    """True for the operator, the organisation's own officers and its region's coordination body.

    region_codes are the regions the organisation belongs to.
    """
    if actor.role is not Role.OFFICER:
        return False
    if actor.kind is OrganisationKind.SYSTEM:
        return True
    if actor.organisation.code == organisation.code:
        return True
    return actor.kind is OrganisationKind.COORDINATION_BODY and any(
        code in actor.region_codes for code in region_codes
    )


def can_see_channel_addresses(
    actor: Actor, organisation: Organisation, region_codes: Collection[str]
) -> bool:
    """True for whoever may see where an organisation's warnings go: itself and its configurers.

    A webhook URL, an e-mail address or a topic tells an outsider where to knock, so a
    city reading the deliveries of a warning sees other organisations' only as a status.
    """
    if actor.organisation.code == organisation.code or actor.kind is OrganisationKind.SYSTEM:
        return True
    return actor.kind is OrganisationKind.COORDINATION_BODY and any(
        code in actor.region_codes for code in region_codes
    )
