"""What the poller last took from each feed, read for the registry page."""

from __future__ import annotations

from datetime import timedelta

from crossrisk.services import cap_senders
from crossrisk.services.cap_receipts import CapOutcome
from crossrisk.store.uow import UnitOfWork
from tests.support import T0, actor


def add_feed(uow: UnitOfWork, url: str) -> int:
    feed = cap_senders.add_feed(
        uow, actor(uow, "yrd-committee"), region_code="yrd", url=url, name="黄山气象", now=T0
    )
    assert feed.id is not None
    return feed.id


def test_each_feed_shows_the_entry_it_took_last_and_what_it_did(uow: UnitOfWork) -> None:
    busy = add_feed(uow, "https://hsqx.example.cn/index.atom")
    quiet = add_feed(uow, "https://swj.example.cn/index.atom")
    cap_senders.take_feed_entry(uow, busy, "urn:a", outcome=CapOutcome.OPENED.value, now=T0)
    later = T0 + timedelta(minutes=5)
    cap_senders.take_feed_entry(uow, busy, "urn:b", outcome="cap-sender-not-authorised", now=later)

    taken = cap_senders.last_taken_entries(uow, actor(uow, "ema-341000"))

    assert set(taken) == {busy} and quiet not in taken
    assert taken[busy].outcome == "cap-sender-not-authorised"
    assert taken[busy].taken_at == later


def test_another_regions_accounts_read_nothing_of_the_feeds(uow: UnitOfWork) -> None:
    feed = add_feed(uow, "https://hsqx.example.cn/index.atom")
    cap_senders.take_feed_entry(uow, feed, "urn:a", outcome=CapOutcome.OPENED.value, now=T0)

    assert cap_senders.last_taken_entries(uow, actor(uow, "pearl-committee")) == {}
