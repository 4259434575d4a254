"""CAP senders and feeds: who may deliver alerts in whose name, and checking each alert.

The committee of a region registers the external senders whose alerts it takes (a
meteorological or hydrological service, a neighbouring region's platform), with the
certificate their signatures are checked against, and says which organisations and
which feeds may deliver each; every organisation may deliver its own sender id. Before
an alert is de-duplicated or acted on, `authorise_sender` checks the caller may use its
<sender> and that its signature holds.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from crossrisk.alerts.cap.parse import IncomingAlert
from crossrisk.alerts.cap.signature import check_certificate, is_signed, verify_signature
from crossrisk.domain.cap_sender import (
    CapFeed,
    CapSender,
    FeedEntryTaken,
    check_sender_id,
    own_cap_sender,
)
from crossrisk.domain.errors import Conflict, InvalidInput, NotFound, NotPermitted
from crossrisk.domain.organisation import Actor, OrganisationKind, Role
from crossrisk.domain.permissions.cap_senders import (
    can_deliver_cap_sender,
    can_read_cap_senders,
    require_manage_cap_senders,
)
from crossrisk.domain.permissions.regions import readable_regions
from crossrisk.services.users import actor_of
from crossrisk.store.uow import Transaction, UnitOfWork


@dataclass(frozen=True, slots=True)
class SenderDraft:
    """What the committee gives when registering an external sender."""

    sender_id: str
    name: str
    region_code: str
    certificate_pem: str | None = None
    require_signature: bool = False


# ---------------------------------------------------------------------------------------
# Senders


def add_sender(uow: UnitOfWork, actor: Actor, draft: SenderDraft, *, now: datetime) -> CapSender:
    """Register an external CAP sender for a region (journaled as cap_sender.added)."""
    with uow as tx:
        require_manage_cap_senders(actor, draft.region_code)
        tx.regions.get(draft.region_code)
        check_sender_id(draft.sender_id)
        owner = _owner_of(tx, draft.sender_id)
        if owner is not None:
            raise Conflict(
                f"{draft.sender_id} is the own sender id of organisation {owner}; "
                "it cannot be given to anyone else",
                key="cap-sender-is-own",
                params={"sender": draft.sender_id, "organisation": owner},
            )
        certificate = check_certificate(draft.certificate_pem) if draft.certificate_pem else None
        sender = tx.cap_senders.add(
            CapSender(
                sender_id=draft.sender_id,
                name=draft.name.strip(),
                region_code=draft.region_code,
                certificate_pem=certificate,
                require_signature=draft.require_signature,
                organisations=(),
                feeds=(),
                registered_at=now,
                registered_by=actor.username,
            )
        )
        _journal(tx, actor, "cap_sender.added", sender, now=now)
        tx.commit()
    return sender


def list_senders(uow: UnitOfWork, actor: Actor) -> list[CapSender]:
    """The registered senders of the regions the actor reads."""
    with uow.read_only() as tx:
        return tx.cap_senders.all(region_codes=readable_regions(actor))


def get_sender(uow: UnitOfWork, actor: Actor, sender_id: str) -> CapSender:
    """One registered sender, if the actor reads its region."""
    with uow.read_only() as tx:
        return _readable(tx, actor, sender_id)


def remove_sender(uow: UnitOfWork, actor: Actor, sender_id: str, *, now: datetime) -> CapSender:
    """Unregister a sender: no one may deliver it any more (journaled as cap_sender.removed)."""
    with uow as tx:
        sender = _readable(tx, actor, sender_id)
        require_manage_cap_senders(actor, sender.region_code)
        tx.cap_senders.remove(sender_id)
        _journal(tx, actor, "cap_sender.removed", sender, now=now)
        tx.commit()
    return sender


def allow_sender(
    uow: UnitOfWork,
    actor: Actor,
    sender_id: str,
    *,
    organisation_code: str | None = None,
    feed_id: int | None = None,
    now: datetime,
) -> CapSender:
    """Let an organisation or a feed deliver a sender (journaled as cap_sender.allowed)."""
    if (organisation_code is None) == (feed_id is None):
        raise InvalidInput(
            "name either an organisation or a feed to allow", key="cap-sender-allow-whom"
        )
    with uow as tx:
        sender = _readable(tx, actor, sender_id)
        require_manage_cap_senders(actor, sender.region_code)
        if organisation_code is not None:
            tx.organisations.get(organisation_code)
        if feed_id is not None and tx.cap_senders.get_feed(feed_id).region_code != (
            sender.region_code
        ):
            # A feed acts with its region's authority; another region's sender is not its own.
            raise InvalidInput(
                f"feed {feed_id} belongs to another region than sender {sender_id}",
                key="cap-feed-other-region",
            )
        if tx.cap_senders.allow(sender_id, organisation_code=organisation_code, feed_id=feed_id):
            allowed = tx.cap_senders.get(sender_id)
            payload = _payload(allowed) | {"organisation": organisation_code, "feed": feed_id}
            tx.record(
                actor,
                "cap_sender.allowed",
                subject=f"cap-sender:{sender_id}",
                payload=payload,
                region_code=sender.region_code,
                now=now,
            )
            tx.commit()
            return allowed
    return sender


# ---------------------------------------------------------------------------------------
# Feeds


def add_feed(
    uow: UnitOfWork, actor: Actor, *, region_code: str, url: str, name: str, now: datetime
) -> CapFeed:
    """Register a feed (an Atom or RSS index of CAP files) for the poller (cap_feed.added)."""
    with uow as tx:
        require_manage_cap_senders(actor, region_code)
        tx.regions.get(region_code)
        feed = tx.cap_senders.add_feed(
            CapFeed(
                id=None,
                region_code=region_code,
                url=url.strip(),
                name=name.strip(),
                senders=(),
                registered_at=now,
                registered_by=actor.username,
            )
        )
        _journal_feed(tx, actor, "cap_feed.added", feed, now=now)
        tx.commit()
    return feed


def list_feeds(uow: UnitOfWork, actor: Actor) -> list[CapFeed]:
    """The feeds of the regions the actor reads."""
    with uow.read_only() as tx:
        return tx.cap_senders.feeds(region_codes=readable_regions(actor))


def remove_feed(uow: UnitOfWork, actor: Actor, feed_id: int, *, now: datetime) -> CapFeed:
    """Unregister a feed; the alerts it delivered stay (journaled as cap_feed.removed)."""
    with uow as tx:
        feed = tx.cap_senders.get_feed(feed_id)
        require_manage_cap_senders(actor, feed.region_code)
        tx.cap_senders.remove_feed(feed_id)
        _journal_feed(tx, actor, "cap_feed.removed", feed, now=now)
        tx.commit()
    return feed


def last_taken_entries(uow: UnitOfWork, actor: Actor) -> dict[int, FeedEntryTaken]:
    """What the poller last took from each feed the actor reads, by feed id.

    A fetch that failed takes nothing and is not kept (`crossrisk cap poll` reports it);
    this is the last entry received or refused, and when.
    """
    with uow.read_only() as tx:
        feeds = tx.cap_senders.feeds(region_codes=readable_regions(actor))
        return tx.cap_senders.last_taken(feed.id for feed in feeds if feed.id is not None)


def feed_actor(uow: UnitOfWork, feed_id: int) -> Actor:
    """Who a feed's alerts are received as: its region's committee, named for the feed.

    A feed acts with the authority of the committee that registered it, so it opens risks
    in that region only; which senders it may deliver is decided by the feed itself.
    """
    with uow.read_only() as tx:
        feed = tx.cap_senders.get_feed(feed_id)
        committees = [
            organisation
            for organisation in tx.organisations.of_kind(OrganisationKind.COORDINATION_BODY)
            if organisation.region_code == feed.region_code
        ]
        if not committees:
            raise NotFound(f"region {feed.region_code} has no coordination body")
        return actor_of(
            tx, username=f"cap-feed-{feed_id}", organisation=committees[0], role=Role.OFFICER
        )


def take_feed_entry(
    uow: UnitOfWork, feed_id: int, key: str, *, outcome: str, now: datetime
) -> bool:
    """Note a feed entry as taken, so the poller fetches it no more; False if it was already.

    What the entry did is journaled by receiving it (cap.received); this is the poller's
    own bookkeeping, like a delivery's attempts.
    """
    with uow as tx:
        taken = tx.cap_senders.take_entry(feed_id, key, outcome=outcome, now=now)
        tx.commit()
    return taken


def untaken_entries(uow: UnitOfWork, feed_id: int, keys: list[str]) -> list[str]:
    """The keys, in their order, of entries the feed has not had taken."""
    with uow.read_only() as tx:
        taken = tx.cap_senders.taken_entries(feed_id, keys)
    return [key for key in keys if key not in taken]


# ---------------------------------------------------------------------------------------
# Checking a received alert


def authorise_sender(
    tx: Transaction, actor: Actor, alert: IncomingAlert, xml: bytes, *, feed_id: int | None
) -> str:
    """The sender id the alert is received under, once the caller may use it.

    Refuses (403) a sender the caller may not deliver, a signature that does not verify
    against the sender's registered certificate, and an unsigned alert of a sender that
    requires signatures. Runs before anything is looked up or written for the alert.
    """
    registered = tx.cap_senders.find(alert.sender)
    if not can_deliver_cap_sender(
        actor,
        sender_id=alert.sender,
        registered=registered is not None,
        organisations=() if registered is None else registered.organisations,
        feeds=() if registered is None else registered.feeds,
        feed_id=feed_id,
    ):
        who = f"feed {feed_id}" if feed_id is not None else actor.organisation.code
        raise NotPermitted(
            f"{who} may not deliver CAP alerts from {alert.sender}"
            + ("" if registered is not None else "; that sender is not registered"),
            key="cap-sender-not-authorised",
            params={"sender": alert.sender},
        )
    certificate = None if registered is None else registered.certificate_pem
    if is_signed(xml):
        if certificate is None:
            raise NotPermitted(
                f"the CAP alert is signed, but no certificate is registered for "
                f"{alert.sender} to check it against",
                key="cap-signature-unverifiable",
                params={"sender": alert.sender},
            )
        verify_signature(xml, certificate_pem=certificate, sender_id=alert.sender)
    elif registered is not None and registered.require_signature:
        raise NotPermitted(
            f"{alert.sender} signs its alerts; this one carries no signature",
            key="cap-signature-required",
            params={"sender": alert.sender},
        )
    # The registry's id, not the text as received: duplicates are keyed on who may send it.
    return alert.sender if registered is None else registered.sender_id


# ---------------------------------------------------------------------------------------
# Helpers


def _readable(tx: Transaction, actor: Actor, sender_id: str) -> CapSender:
    sender = tx.cap_senders.get(sender_id)
    if not can_read_cap_senders(actor, sender.region_code):
        # Not found rather than forbidden: another region's registry is not told of.
        raise NotFound(f"no CAP sender {sender_id!r} is registered", key="cap-sender-not-found")
    return sender


def _owner_of(tx: Transaction, sender_id: str) -> str | None:
    for organisation in tx.organisations.all():
        if own_cap_sender(organisation) == sender_id:
            return organisation.code
    return None


def _payload(sender: CapSender) -> dict[str, Any]:
    return {
        "sender": sender.sender_id,
        "name": sender.name,
        "region": sender.region_code,
        "require_signature": sender.require_signature,
        # The certificate's digest: which key the alerts are checked against, in short.
        "certificate_sha256": None
        if sender.certificate_pem is None
        else hashlib.sha256(sender.certificate_pem.encode("ascii")).hexdigest(),
        "organisations": list(sender.organisations),
        "feeds": list(sender.feeds),
    }


def _journal(
    tx: Transaction, actor: Actor, action: str, sender: CapSender, *, now: datetime
) -> None:
    tx.record(
        actor,
        action,
        subject=f"cap-sender:{sender.sender_id}",
        payload=_payload(sender),
        region_code=sender.region_code,
        now=now,
    )


def _journal_feed(
    tx: Transaction, actor: Actor, action: str, feed: CapFeed, *, now: datetime
) -> None:
    tx.record(
        actor,
        action,
        subject=f"cap-feed:{feed.id}",
        payload={"feed": feed.id, "url": feed.url, "name": feed.name, "region": feed.region_code},
        region_code=feed.region_code,
        now=now,
    )
