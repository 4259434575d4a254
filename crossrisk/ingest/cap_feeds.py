"""The CAP feed poller: Atom or RSS indexes of CAP files, as national services publish them.

Each registered feed's index is fetched, its entries not taken before are fetched one by
one and received through `receive_cap` as the feed (its region's committee, limited to
the senders the feed may deliver). Everything fetched is bounded in size and time. A
fetch that fails is reported and retried at the next poll; an entry the platform refuses
is reported and not fetched again, since the same bytes would be refused again.

The addresses are the ones the committee registered, and the files the index links to;
no user of the platform at large types them. They are fetched with a plain client that
follows http(s) redirects only and reads no file:, ftp: or data: URL.
"""

from __future__ import annotations

import http.client
import time
import urllib.error
import urllib.request
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from urllib.parse import urljoin, urlsplit

import feedparser

from crossrisk.alerts.cap.schema import MAX_CAP_BYTES
from crossrisk.domain.cap_sender import CapFeed
from crossrisk.domain.errors import CrossriskError
from crossrisk.services import cap_senders
from crossrisk.services.cap_import import receive_cap
from crossrisk.store.uow import UnitOfWork

MAX_INDEX_BYTES = 4 * 1024 * 1024  # a national index lists a few hundred entries: ~1 MB
MAX_ENTRIES = 200  # entries taken per feed and poll; the rest wait for the next poll
FETCH_SECONDS = 15.0  # the whole of one fetch: connecting, redirects and reading
USER_AGENT = "crossrisk-cap-poller"

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


def fetch_bounded(url: str, max_bytes: int, *, seconds: float = FETCH_SECONDS) -> bytes:
    """The body at an http(s) URL, refused past max_bytes or past the deadline."""
    if urlsplit(url).scheme not in ("http", "https"):
        raise FetchFailed(f"not an http or https URL: {url}")
    deadline = time.monotonic() + seconds
    request = urllib.request.Request(url, headers={"User-Agent": USER_AGENT})
    try:
        with _opener().open(request, timeout=seconds) as response:
            declared = response.headers.get("Content-Length")
            if declared is not None and declared.isdigit() and int(declared) > max_bytes:
                raise FetchFailed(f"{declared} bytes, over the limit of {max_bytes}")
            chunks: list[bytes] = []
            size = 0
            while chunk := response.read(65_536):
                size += len(chunk)
                if size > max_bytes:
                    raise FetchFailed(f"over the limit of {max_bytes} bytes")
                if time.monotonic() > deadline:
                    raise FetchFailed(f"not read within {seconds:g} s")
                chunks.append(chunk)
            return b"".join(chunks)
    except urllib.error.HTTPError as exc:
        raise FetchFailed(f"HTTP {exc.code} {exc.reason}") from None
    except urllib.error.URLError as exc:
        raise FetchFailed(str(exc.reason)) from None
    except (OSError, http.client.HTTPException, ValueError) as exc:
        raise FetchFailed(str(exc) or type(exc).__name__) from None


def _opener() -> urllib.request.OpenerDirector:
    # Built by hand so that only http(s) is spoken: build_opener would add file: and ftp:,
    # and a redirect could then reach a local file.
    opener = urllib.request.OpenerDirector()
    for handler in (
        urllib.request.HTTPHandler(),
        urllib.request.HTTPSHandler(),
        urllib.request.HTTPRedirectHandler(),
        urllib.request.HTTPDefaultErrorHandler(),
        urllib.request.HTTPErrorProcessor(),
    ):
        opener.add_handler(handler)
    return opener


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


def poll_feed(
    uow: UnitOfWork, feed: CapFeed, *, now: Clock, fetch: Fetch = fetch_bounded
) -> FeedPoll:
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
    uow: UnitOfWork, feeds: Sequence[CapFeed], *, now: Clock, fetch: Fetch = fetch_bounded
) -> list[FeedPoll]:
    """Poll each feed once; one feed's failure never stops the others."""
    return [poll_feed(uow, feed, now=now, fetch=fetch) for feed in feeds]
