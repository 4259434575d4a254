"""The CAP feed poller: Atom or RSS indexes of CAP files, as national services publish them.

Each registered feed's index is fetched, its entries not taken before are fetched one by
one and received through `receive_cap` as the feed (its region's committee, limited to
the senders the feed may deliver). Everything fetched is bounded in size and time. A
fetch that fails is reported and retried at the next poll; an entry the platform refuses
is reported and not fetched again, since the same bytes would be refused again.

The addresses are the ones the committee registered, and the files the index links to.
Every fetch, and every redirect it follows (http and https only, at most three), passes
the outbound guard that webhooks pass: an address that is not public and not allowed by
the operator (CROSSRISK_OUTBOUND_ALLOW) is refused, so a feed cannot reach the platform's
own network.
"""

from __future__ import annotations

import http.client
import ssl
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from urllib.parse import urljoin, urlsplit

import feedparser

from crossrisk.alerts.cap.schema import MAX_CAP_BYTES
from crossrisk.delivery.channel import Deadline
from crossrisk.delivery.destinations import OutboundGuard, Unresolved
from crossrisk.delivery.outbound_http import open_connection
from crossrisk.domain.cap_sender import CapFeed
from crossrisk.domain.errors import CrossriskError
from crossrisk.domain.outbound import DestinationRefused
from crossrisk.services import cap_senders
from crossrisk.services.cap_import import receive_cap
from crossrisk.store.uow import UnitOfWork

MAX_INDEX_BYTES = 4 * 1024 * 1024  # a national index lists a few hundred entries: ~1 MB
MAX_ENTRIES = 200  # entries taken per feed and poll; the rest wait for the next poll
FETCH_SECONDS = 15.0  # the whole of one fetch: connecting, redirects and reading
USER_AGENT = "crossrisk-cap-poller"
MAX_REDIRECTS = 3
REDIRECTS = frozenset({301, 302, 303, 307, 308})

Fetch = Callable[[str, int], bytes]
Clock = Callable[[], datetime]


class FetchFailed(Exception):
    """A fetch that did not give the document: reported, and retried at the next poll."""


@dataclass
class FeedPoll:
    """What polling one feed did."""

    feed_id: int
    url: str
    listed: int = 0  # entries in the index
    new: int = 0  # entries not taken before
    outcomes: Counter[str] = field(default_factory=Counter)  # receipt outcomes
    refused: list[tuple[str, str]] = field(default_factory=list)  # (entry link, why)
    failed: list[tuple[str, str]] = field(default_factory=list)  # (entry link, why)
    failure: str | None = None  # the index itself could not be had

    def summary(self) -> str:
        """One line for the operator."""
        head = f"feed {self.feed_id} {self.url}: "
        if self.failure is not None:
            return head + f"not polled: {self.failure}"
        parts = [f"{count} {outcome}" for outcome, count in sorted(self.outcomes.items())]
        if self.refused:
            parts.append(f"{len(self.refused)} refused")
        if self.failed:
            parts.append(f"{len(self.failed)} failed (retried next poll)")
        done = ", ".join(parts) if parts else "nothing new"
        return head + f"{self.listed} listed, {self.new} new: {done}"

    def details(self) -> list[str]:
        """One line per entry refused or failed."""
        return [f"  refused {link}: {why}" for link, why in self.refused] + [
            f"  failed {link}: {why}" for link, why in self.failed
        ]


def guarded_fetch(guard: OutboundGuard, *, seconds: float = FETCH_SECONDS) -> Fetch:
    """A fetch whose every hop, redirects included, passes the outbound guard."""

    def fetch(url: str, max_bytes: int) -> bytes:
        return fetch_bounded(url, max_bytes, guard=guard, seconds=seconds)

    return fetch


def fetch_bounded(
    url: str, max_bytes: int, *, guard: OutboundGuard, seconds: float = FETCH_SECONDS
) -> bytes:
    """The body at an http(s) URL, refused past max_bytes, the deadline or MAX_REDIRECTS.

    Each hop connects through the guard to the addresses it judged, so neither the feed's
    address nor a redirect can reach the platform's own network (SSRF).
    """
    deadline = Deadline(seconds)
    for _ in range(MAX_REDIRECTS + 1):
        if urlsplit(url).scheme not in ("http", "https"):
            raise FetchFailed(f"not an http or https URL: {url}")
        try:
            status, location, body = _get(url, max_bytes, guard=guard, deadline=deadline)
        except DestinationRefused as exc:
            raise FetchFailed(f"refused destination: {exc}") from None
        except Unresolved as exc:
            raise FetchFailed(str(exc)) from None
        except (OSError, http.client.HTTPException, ValueError) as exc:
            raise FetchFailed(str(exc) or type(exc).__name__) from None
        if status in REDIRECTS and location:
            url = urljoin(url, location)
            continue
        if status >= 400:
            raise FetchFailed(f"HTTP {status} {http.client.responses.get(status, '')}".strip())
        return body
    raise FetchFailed(f"more than {MAX_REDIRECTS} redirects")


def _get(
    url: str, max_bytes: int, *, guard: OutboundGuard, deadline: Deadline
) -> tuple[int, str | None, bytes]:
    """One GET: the status, any redirect's Location, and the body read within bounds."""
    connection, target = open_connection(
        url, guard=guard, deadline=deadline, ssl_context=ssl.create_default_context()
    )
    try:
        connection.request("GET", target, headers={"User-Agent": USER_AGENT})
        response = connection.getresponse()
        if response.status in REDIRECTS or response.status >= 400:
            return response.status, response.getheader("Location"), b""
        declared = response.getheader("Content-Length")
        if declared is not None and declared.isdigit() and int(declared) > max_bytes:
            raise FetchFailed(f"{declared} bytes, over the limit of {max_bytes}")
        chunks: list[bytes] = []
        size = 0
        while chunk := response.read(65_536):
            size += len(chunk)
            if size > max_bytes:
                raise FetchFailed(f"over the limit of {max_bytes} bytes")
            if deadline.passed():
                raise FetchFailed(f"not read within {deadline.seconds:g} s")
            chunks.append(chunk)
        return response.status, None, b"".join(chunks)
    finally:
        connection.close()


@dataclass(frozen=True, slots=True)
class FeedEntry:
    """An entry of an index: the key it is remembered by and the CAP file it links to."""

    key: str
    link: str


def read_index(document: bytes, base_url: str) -> list[FeedEntry]:
    """The entries of an Atom or RSS index, oldest first, with absolute links."""
    parsed = feedparser.parse(document, response_headers={"content-location": base_url})
    if parsed.get("bozo") and not parsed.entries:
        reason = parsed.get("bozo_exception") or "not an Atom or RSS document"
        raise FetchFailed(f"the index is not a feed: {reason}")
    entries: list[tuple[Any, int, FeedEntry]] = []
    for position, entry in enumerate(parsed.entries):
        link = _cap_link(entry, base_url)
        if link is None:
            continue
        key = str(entry.get("id") or link)
        stamp = entry.get("updated_parsed") or entry.get("published_parsed")
        entries.append((stamp, position, FeedEntry(key=key, link=link)))
    if entries and all(stamp is not None for stamp, _, _ in entries):
        # An Update must follow the Alert it updates: oldest first by the feed's times.
        entries.sort(key=lambda item: (tuple(item[0]), -item[1]))
    else:
        entries.reverse()  # indexes list the newest first
    return [entry for _, _, entry in entries]


def _cap_link(entry: Any, base_url: str) -> str | None:
    links = entry.get("links") or []
    preferred = [
        link.get("href")
        for link in links
        if "cap" in str(link.get("type", "")) or "xml" in str(link.get("type", ""))
    ]
    href = next((h for h in preferred if h), None) or entry.get("link")
    if not href:
        return None
    absolute = urljoin(base_url, str(href))
    return absolute if urlsplit(absolute).scheme in ("http", "https") else None


def poll_feed(uow: UnitOfWork, feed: CapFeed, *, now: Clock, fetch: Fetch) -> FeedPoll:
    """Fetch a feed's index and receive each entry not taken before."""
    assert feed.id is not None
    result = FeedPoll(feed_id=feed.id, url=feed.url)
    try:
        entries = read_index(fetch(feed.url, MAX_INDEX_BYTES), feed.url)
    except FetchFailed as exc:
        result.failure = str(exc)
        return result
    result.listed = len(entries)
    untaken = set(cap_senders.untaken_entries(uow, feed.id, [e.key for e in entries]))
    fresh = [entry for entry in entries if entry.key in untaken][:MAX_ENTRIES]
    result.new = len(fresh)
    if not fresh:
        return result
    actor = cap_senders.feed_actor(uow, feed.id)
    for entry in fresh:
        try:
            xml = fetch(entry.link, MAX_CAP_BYTES)
        except FetchFailed as exc:
            result.failed.append((entry.link, str(exc)))
            continue
        try:
            receipt = receive_cap(uow, actor, xml, now=now(), feed_id=feed.id)
        except CrossriskError as error:
            result.refused.append((entry.link, f"{error.key or error.code}: {error.detail}"))
            outcome = error.key or error.code
        else:
            result.outcomes[receipt.outcome.value] += 1
            outcome = receipt.outcome.value
        cap_senders.take_feed_entry(uow, feed.id, entry.key, outcome=outcome, now=now())
    return result


def poll_feeds(
    uow: UnitOfWork, feeds: Sequence[CapFeed], *, now: Clock, fetch: Fetch
) -> list[FeedPoll]:
    """Poll each feed once; one feed's failure never stops the others."""
    return [poll_feed(uow, feed, now=now, fetch=fetch) for feed in feeds]
