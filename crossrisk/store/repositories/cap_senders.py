"""Registered CAP senders and feeds, whom each sender may be delivered by, and feed entries."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from datetime import datetime

from sqlalchemy import delete, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from crossrisk.domain.cap_sender import CapFeed, CapSender, FeedEntryTaken
from crossrisk.domain.errors import Conflict, NotFound
from crossrisk.store.models import (
    CapFeedEntryRow,
    CapFeedRow,
    CapSenderDelivererRow,
    CapSenderRow,
)


class CapSenderRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    # -- senders ----------------------------------------------------------------------

    def add(self, sender: CapSender) -> CapSender:
        """Register a sender; one already registered under the id is a Conflict."""
        if self.session.get(CapSenderRow, sender.sender_id) is not None:
            raise _registered_already(sender.sender_id)
        self.session.add(
            CapSenderRow(
                sender_id=sender.sender_id,
                name=sender.name,
                region_code=sender.region_code,
                certificate_pem=sender.certificate_pem,
                require_signature=sender.require_signature,
                registered_at=sender.registered_at,
                registered_by=sender.registered_by,
            )
        )
        try:
            self.session.flush()
        except IntegrityError:
            raise _registered_already(sender.sender_id) from None
        return self.get(sender.sender_id)

    def find(self, sender_id: str) -> CapSender | None:
        """The registered sender with this id, if any."""
        row = self.session.get(CapSenderRow, sender_id)
        return None if row is None else self._sender(row)

    def get(self, sender_id: str) -> CapSender:
        """The registered sender with this id, or NotFound."""
        found = self.find(sender_id)
        if found is None:
            raise NotFound(f"no CAP sender {sender_id!r} is registered", key="cap-sender-not-found")
        return found

    def all(self, *, region_codes: Iterable[str] | None = None) -> list[CapSender]:
        """Registered senders, by id; of some regions only when given."""
        query = select(CapSenderRow).order_by(CapSenderRow.sender_id)
        if region_codes is not None:
            query = query.where(CapSenderRow.region_code.in_(list(region_codes)))
        return [self._sender(row) for row in self.session.scalars(query)]

    def remove(self, sender_id: str) -> None:
        """Unregister a sender and everyone allowed to deliver it."""
        self.session.execute(
            delete(CapSenderDelivererRow).where(CapSenderDelivererRow.sender_id == sender_id)
        )
        self.session.execute(delete(CapSenderRow).where(CapSenderRow.sender_id == sender_id))
        self.session.flush()

    def allow(
        self, sender_id: str, *, organisation_code: str | None = None, feed_id: int | None = None
    ) -> bool:
        """Let an organisation or a feed deliver the sender; False when it could already."""
        assert (organisation_code is None) != (feed_id is None)
        query = select(CapSenderDelivererRow.id).where(
            CapSenderDelivererRow.sender_id == sender_id,
            CapSenderDelivererRow.organisation_code == organisation_code
            if organisation_code is not None
            else CapSenderDelivererRow.feed_id == feed_id,
        )
        if self.session.scalar(query) is not None:
            return False
        self.session.add(
            CapSenderDelivererRow(
                sender_id=sender_id, organisation_code=organisation_code, feed_id=feed_id
            )
        )
        self.session.flush()
        return True

    # -- feeds ------------------------------------------------------------------------

    def add_feed(self, feed: CapFeed) -> CapFeed:
        """Register a feed; its senders are allowed separately."""
        row = CapFeedRow(
            region_code=feed.region_code,
            url=feed.url,
            name=feed.name,
            registered_at=feed.registered_at,
            registered_by=feed.registered_by,
        )
        self.session.add(row)
        self.session.flush()
        return self.get_feed(row.id)

    def get_feed(self, feed_id: int) -> CapFeed:
        """The feed with this id, or NotFound."""
        row = self.session.get(CapFeedRow, feed_id)
        if row is None:
            raise NotFound(f"CAP feed {feed_id} does not exist", key="cap-feed-not-found")
        return self._feed(row)

    def feeds(self, *, region_codes: Iterable[str] | None = None) -> list[CapFeed]:
        """Registered feeds, by id; of some regions only when given."""
        query = select(CapFeedRow).order_by(CapFeedRow.id)
        if region_codes is not None:
            query = query.where(CapFeedRow.region_code.in_(list(region_codes)))
        return [self._feed(row) for row in self.session.scalars(query)]

    def remove_feed(self, feed_id: int) -> None:
        """Unregister a feed, what it may deliver and the entries it took."""
        self.session.execute(
            delete(CapSenderDelivererRow).where(CapSenderDelivererRow.feed_id == feed_id)
        )
        self.session.execute(delete(CapFeedEntryRow).where(CapFeedEntryRow.feed_id == feed_id))
        self.session.execute(delete(CapFeedRow).where(CapFeedRow.id == feed_id))
        self.session.flush()

    def taken_entries(self, feed_id: int, keys: Iterable[str]) -> set[str]:
        """Those of the keys the feed's entries were taken under before."""
        by_digest = {_digest(key): key for key in keys}
        if not by_digest:
            return set()
        found = self.session.scalars(
            select(CapFeedEntryRow.entry_sha256).where(
                CapFeedEntryRow.feed_id == feed_id,
                CapFeedEntryRow.entry_sha256.in_(list(by_digest)),
            )
        )
        return {by_digest[digest] for digest in found}

    def take_entry(self, feed_id: int, key: str, *, outcome: str, now: datetime) -> bool:
        """Note an entry as taken; False when it was taken already."""
        if self.taken_entries(feed_id, [key]):
            return False
        row = CapFeedEntryRow(
            feed_id=feed_id,
            entry_key=key,
            entry_sha256=_digest(key),
            taken_at=now,
            outcome=outcome[:64],
        )
        try:
            with self.session.begin_nested():
                self.session.add(row)
        except IntegrityError:
            return False  # another poller took it at the same moment
        return True

    def last_taken(self, feed_ids: Iterable[int]) -> dict[int, FeedEntryTaken]:
        """The entry each of the feeds had taken last, by feed id; feeds with none left out."""
        ids = list(feed_ids)
        if not ids:
            return {}
        # Entry ids grow as entries are taken: each feed's greatest id is its latest entry.
        latest = (
            select(func.max(CapFeedEntryRow.id))
            .where(CapFeedEntryRow.feed_id.in_(ids))
            .group_by(CapFeedEntryRow.feed_id)
        )
        rows = self.session.scalars(select(CapFeedEntryRow).where(CapFeedEntryRow.id.in_(latest)))
        return {
            row.feed_id: FeedEntryTaken(
                feed_id=row.feed_id, taken_at=row.taken_at, outcome=row.outcome
            )
            for row in rows
        }

    # -- rows to values -----------------------------------------------------------------

    def _deliverers(self, sender_id: str) -> tuple[tuple[str, ...], tuple[int, ...]]:
        rows = self.session.scalars(
            select(CapSenderDelivererRow).where(CapSenderDelivererRow.sender_id == sender_id)
        ).all()
        organisations = sorted(r.organisation_code for r in rows if r.organisation_code)
        feeds = sorted(r.feed_id for r in rows if r.feed_id is not None)
        return tuple(organisations), tuple(feeds)

    def _sender(self, row: CapSenderRow) -> CapSender:
        organisations, feeds = self._deliverers(row.sender_id)
        return CapSender(
            sender_id=row.sender_id,
            name=row.name,
            region_code=row.region_code,
            certificate_pem=row.certificate_pem,
            require_signature=row.require_signature,
            organisations=organisations,
            feeds=feeds,
            registered_at=row.registered_at,
            registered_by=row.registered_by,
        )

    def _feed(self, row: CapFeedRow) -> CapFeed:
        senders = self.session.scalars(
            select(CapSenderDelivererRow.sender_id)
            .where(CapSenderDelivererRow.feed_id == row.id)
            .order_by(CapSenderDelivererRow.sender_id)
        ).all()
        return CapFeed(
            id=row.id,
            region_code=row.region_code,
            url=row.url,
            name=row.name,
            senders=tuple(senders),
            registered_at=row.registered_at,
            registered_by=row.registered_by,
        )


def _digest(key: str) -> str:
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


def _registered_already(sender_id: str) -> Conflict:
    return Conflict(
        f"CAP sender {sender_id} is registered already",
        key="cap-sender-exists",
        params={"sender": sender_id},
    )
