"""The CAP feed poller against a real HTTP server publishing an Atom index of CAP files."""

from __future__ import annotations

import ipaddress
from datetime import datetime, timedelta

import pytest

from crossrisk.delivery.destinations import OutboundGuard
from crossrisk.domain.cap_sender import CapFeed
from crossrisk.ingest.cap_feeds import FetchFailed, fetch_bounded, guarded_fetch, poll_feeds
from crossrisk.services import cap_senders
from crossrisk.store.uow import UnitOfWork
from tests.alerts.cap_samples import FLOOD_ID, FLOOD_SENDER, MALFORMED, flood_alert, flood_update
from tests.cap_feed_server import FeedServer, atom_index, feed_server
from tests.delivery.servers import free_port
from tests.delivery_fixtures import RECEIVERS_GUARD
from tests.support import T0, actor

MET_SENDER = "qxj.huangshan.gov.cn"
# The feed server listens on 127.0.0.1, which only an operator's allow-list lets through.
FETCH = guarded_fetch(RECEIVERS_GUARD)


def clock() -> datetime:
    return T0 + timedelta(hours=3)  # after every sample was sent


def met_alert() -> bytes:
    return flood_alert(identifier="qxj-2026-001").replace(
        f"<sender>{FLOOD_SENDER}</sender>".encode(), f"<sender>{MET_SENDER}</sender>".encode()
    )


def register_feed(uow: UnitOfWork, url: str, *, senders: tuple[str, ...]) -> CapFeed:
    committee = actor(uow, "yrd-committee")
    feed = cap_senders.add_feed(
        uow, committee, region_code="yrd", url=url, name="国家预警信息发布中心", now=T0
    )
    assert feed.id is not None
    for sender in senders:
        cap_senders.allow_sender(uow, committee, sender, feed_id=feed.id, now=T0)
    return cap_senders.list_feeds(uow, committee)[-1]


def register_senders(uow: UnitOfWork) -> None:
    committee = actor(uow, "yrd-committee")
    for sender in (FLOOD_SENDER, MET_SENDER):
        cap_senders.add_sender(
            uow,
            committee,
            cap_senders.SenderDraft(sender_id=sender, name=sender, region_code="yrd"),
            now=T0,
        )


def publish_national_feed(server: FeedServer) -> str:
    server.publish("/cap/flood.xml", flood_alert())
    server.publish("/cap/update.xml", flood_update())
    server.publish("/cap/bad.xml", MALFORMED)
    server.publish("/cap/met.xml", met_alert())
    # Newest first, as services list them; /cap/gone.xml is not there (yet).
    index = atom_index(
        [
            ("urn:cap:update", "/cap/update.xml", "2026-07-01T04:30:00Z"),
            ("urn:cap:gone", "/cap/gone.xml", "2026-07-01T04:20:00Z"),
            ("urn:cap:met", "/cap/met.xml", "2026-07-01T04:10:00Z"),
            ("urn:cap:bad", "cap/bad.xml", "2026-07-01T04:00:00Z"),
            ("urn:cap:flood", "/cap/flood.xml", "2026-07-01T01:50:00Z"),
        ]
    )
    return server.publish("/index.atom", index, "application/atom+xml")


def test_a_poll_receives_new_entries_as_the_feed_and_reports_the_rest(uow: UnitOfWork) -> None:
    register_senders(uow)
    with feed_server() as server:
        url = publish_national_feed(server)
        feed = register_feed(uow, url, senders=(FLOOD_SENDER,))
        [first] = poll_feeds(uow, [feed], now=clock, fetch=FETCH)
        assert first.failure is None
        assert (first.listed, first.new) == (5, 5)
        # The Alert before the Update that refers to it, whatever order the index lists.
        assert dict(first.outcomes) == {"opened": 1, "updated": 1}
        refused = dict(first.refused)
        assert refused[f"{server.base}/cap/bad.xml"].startswith("cap-malformed: ")
        assert refused[f"{server.base}/cap/met.xml"].startswith("cap-sender-not-authorised: ")
        assert [(link, why) for link, why in first.failed] == [
            (f"{server.base}/cap/gone.xml", "HTTP 404 Not Found")
        ]
        assert "5 listed, 5 new: 1 opened, 1 updated, 2 refused, 1 failed" in first.summary()
        with uow.read_only() as tx:
            stored = tx.received_alerts.find(FLOOD_SENDER, FLOOD_ID)
            assert tx.received_alerts.find(MET_SENDER, "qxj-2026-001") is None
            assert stored is not None and stored.received_by == f"cap-feed-{feed.id}"
            assert stored.risk_id is not None
            history = [e.action for e in tx.journal.about(f"risk:{stored.risk_id}")]
        assert history.count("cap.received") == 2

        # The next poll fetches only what failed; what was taken is not fetched again.
        server.publish("/cap/gone.xml", flood_alert(identifier="34100041600000_20260701142000"))
        [second] = poll_feeds(uow, [feed], now=clock, fetch=FETCH)
        assert (second.listed, second.new) == (5, 1)
        assert dict(second.outcomes) == {"opened": 1} and not second.refused
        assert server.requests.count("/cap/flood.xml") == 1
        assert server.requests.count("/cap/bad.xml") == 1
        assert server.requests.count("/cap/gone.xml") == 2
        [third] = poll_feeds(uow, [feed], now=clock, fetch=FETCH)
        assert third.new == 0 and "nothing new" in third.summary()


def test_a_feed_that_cannot_be_fetched_is_reported_and_the_others_polled(
    uow: UnitOfWork,
) -> None:
    register_senders(uow)
    with feed_server() as server:
        url = publish_national_feed(server)
        down = register_feed(uow, f"http://127.0.0.1:{free_port()}/index.atom", senders=())
        not_a_feed = register_feed(uow, server.publish("/junk", b"\x00\x01 not xml"), senders=())
        good = register_feed(uow, url, senders=(FLOOD_SENDER,))
        polls = poll_feeds(uow, [down, not_a_feed, good], now=clock, fetch=FETCH)
    assert polls[0].failure is not None and "not polled" in polls[0].summary()
    assert polls[1].failure is not None
    assert polls[2].failure is None and polls[2].outcomes["opened"] == 1


def test_a_fetch_is_bounded_in_size() -> None:
    with feed_server() as server:
        url = server.publish("/big.xml", b"x" * 10_000)
        assert FETCH(url, 10_000) == b"x" * 10_000
        with pytest.raises(FetchFailed, match="over the limit"):
            FETCH(url, 9_999)
    with pytest.raises(FetchFailed, match="not an http or https URL"):
        FETCH("file:///etc/passwd", 10_000)


def test_a_feed_on_the_platforms_own_network_is_refused_without_a_request(
    uow: UnitOfWork,
) -> None:
    register_senders(uow)
    with feed_server() as server:
        url = publish_national_feed(server)
        feed = register_feed(uow, url, senders=(FLOOD_SENDER,))
        [poll] = poll_feeds(uow, [feed], now=clock, fetch=guarded_fetch(OutboundGuard()))
        assert poll.failure is not None and "refused destination" in poll.failure
        assert server.requests == []
    with uow.read_only() as tx:
        assert tx.received_alerts.find(FLOOD_SENDER, FLOOD_ID) is None


def test_redirects_are_followed_only_to_guarded_http_addresses() -> None:
    only_this_host = OutboundGuard(allow=(ipaddress.ip_network("127.0.0.1/32"),))
    with feed_server() as server:
        server.publish("/index.atom", b"<feed/>")
        moved = server.redirect("/old.atom", "/index.atom")
        assert fetch_bounded(moved, 1_000, guard=only_this_host) == b"<feed/>"
        inward = server.redirect("/inward", f"http://127.0.0.2:{server.port}/index.atom")
        with pytest.raises(FetchFailed, match="refused destination"):
            fetch_bounded(inward, 1_000, guard=only_this_host)
        local_file = server.redirect("/file", "file:///etc/passwd")
        with pytest.raises(FetchFailed, match="not an http or https URL"):
            fetch_bounded(local_file, 1_000, guard=only_this_host)
        loop = server.redirect("/loop", "/loop")
        with pytest.raises(FetchFailed, match="more than 3 redirects"):
            fetch_bounded(loop, 1_000, guard=only_this_host)
        assert server.requests.count("/loop") == 4
