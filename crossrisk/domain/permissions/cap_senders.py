"""Who delivers CAP alerts to the platform, under which sender, and who registers the
senders and feeds of a region."""

from __future__ import annotations

from collections.abc import Collection

from crossrisk.domain.cap_sender import own_cap_sender
from crossrisk.domain.errors import NotPermitted
from crossrisk.domain.organisation import Actor, OrganisationKind, Role
from crossrisk.domain.permissions.regions import can_read_region, operator_or_committee_of


def can_send_cap(actor: Actor) -> bool:
    """True for the kinds of account that may deliver CAP alerts to the platform at all."""
    return actor.role is Role.OFFICER and actor.kind in (
        OrganisationKind.SYSTEM,
        OrganisationKind.CENTRAL_OFFICE,
        OrganisationKind.COORDINATION_BODY,
        OrganisationKind.JURISDICTION,
    )


def can_manage_cap_senders(actor: Actor, region_code: str) -> bool:
    """The operator and the region's committee register CAP senders and feeds for it."""
    return operator_or_committee_of(actor, region_code)


def can_read_cap_senders(actor: Actor, region_code: str) -> bool:
    """Every account of the region reads who may send it CAP alerts (viewers too)."""
    return can_read_region(actor, region_code)


def can_deliver_cap_sender(
    actor: Actor,
    *,
    sender_id: str,
    registered: bool,
    organisations: Collection[str] = (),
    feeds: Collection[int] = (),
    feed_id: int | None = None,
) -> bool:
    """True when the caller may deliver alerts naming this sender.

    A feed delivers only the registered senders it was allowed; an account its
    organisation's own sender and the registered senders its organisation was allowed;
    the operator (`cap import`) any registered sender, since a person with the keys to
    the platform chose the file. `organisations` and `feeds` are whom the registry allows.
    """
    if feed_id is not None:
        return registered and feed_id in feeds
    if not can_send_cap(actor):
        return False
    if actor.kind is OrganisationKind.SYSTEM:
        return registered
    if registered:
        return actor.organisation.code in organisations
    return sender_id == own_cap_sender(actor.organisation)


def require_manage_cap_senders(actor: Actor, region_code: str) -> None:
    """Refuse unless the actor registers CAP senders and feeds for the region."""
    if not can_manage_cap_senders(actor, region_code):
        raise NotPermitted(
            f"only the coordination body of {region_code} or the operator registers its "
            "CAP senders and feeds",
            key="cap-senders-not-permitted",
        )
