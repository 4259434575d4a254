"""The live event stream: journal entries as Server-Sent Events (GET /api/events).

The stream is correct across server processes because it reads the journal, which every
process shares, and resumes from the SSE id (the journal seq) the browser sends back in
Last-Event-ID; it is quick in one process because the in-process event bus wakes it as
soon as a use case commits, instead of waiting for the next poll.

Every response ends by itself after a while and the browser reconnects where it left off.
That bounds how long a server waits for its streams when it shuts down (uvicorn tells a
streaming application nothing about a graceful shutdown), and re-checks the user's access
on every reconnection.

FastAPI's EventSourceResponse writes the frames and runs the stream; the route's
dependencies resolve before it starts, so a bad position is still a 422 problem, and
the bus subscription is a dependency too, dropped as soon as the response is over.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import time
from collections.abc import AsyncIterator
from functools import partial
from typing import Annotated

import anyio
from fastapi import APIRouter, Depends, Header, Query, Request, Response
from fastapi.sse import EventSourceResponse, ServerSentEvent

from crossrisk.domain.errors import InvalidInput
from crossrisk.domain.events import Event
from crossrisk.http.deps import SEQ_MAX, ActorDep, UowDep
from crossrisk.services import live

router = APIRouter(prefix="/api", tags=["live"])

# Another process's changes show up within one poll; this process's wake the stream at once.
POLL_SECONDS = 0.5
# Proxies and firewalls close connections that stay silent for a minute or so. FastAPI
# adds a bare ": ping" after 15 s of silence; ours comes sooner and carries the position.
KEEPALIVE_SECONDS = 10.0
# How long one response lasts before the browser reconnects (see the module docstring).
STREAM_SECONDS = 25.0
RETRY_MILLISECONDS = 1000


class Wakeup:
    """Set from any thread when the bus announces an event the stream shows."""

    def __init__(self) -> None:
        self._loop = asyncio.get_running_loop()
        self._event = asyncio.Event()

    def __call__(self, event: Event) -> None:
        if not live.is_streamed(event.name):
            return
        # A closed loop means the stream is gone already.
        with contextlib.suppress(RuntimeError):
            self._loop.call_soon_threadsafe(self._event.set)

    def clear(self) -> None:
        self._event.clear()

    async def wait(self, seconds: float) -> None:
        """Until an event is announced or the time is up."""
        with anyio.move_on_after(seconds):
            await self._event.wait()


async def listening(request: Request) -> AsyncIterator[Wakeup]:
    """A wakeup on the application's bus for as long as the response lasts."""
    wakeup = Wakeup()
    unsubscribe = request.app.state.bus.subscribe(wakeup)
    try:
        yield wakeup
    finally:
        unsubscribe()  # a closed stream stops listening


def requested_position(
    after: Annotated[
        int | None,
        Query(ge=0, le=SEQ_MAX, description="journal seq to start after (default: now)"),
    ] = None,
    last_event_id: Annotated[str | None, Header()] = None,
) -> int | None:
    """The journal seq the client asks to start after, if any."""
    # A reconnecting browser repeats the original URL, so its Last-Event-ID is the newer.
    if last_event_id is not None and last_event_id.strip():
        value = last_event_id.strip()
        if not value.isdigit() or len(value) > len(str(SEQ_MAX)) or int(value) > SEQ_MAX:
            raise InvalidInput(
                f"Last-Event-ID must be a journal sequence number, got {value[:40]!r}"
            )
        return int(value)
    return after


async def starting_position(
    uow: UowDep, asked: Annotated[int | None, Depends(requested_position)]
) -> int:
    """Where the stream starts: after the position asked for, or at the journal's head."""
    head = await anyio.to_thread.run_sync(live.head_position, uow)
    # A position beyond the head names entries this database never had (it was restored
    # from a backup, say): start at the head rather than wait for numbers to catch up.
    return head if asked is None or asked > head else asked


def no_store(response: Response) -> None:
    """Forbid any cache to keep the response (set before the stream starts)."""
    # FastAPI sends no-cache; the events are the user's alone, so nothing may keep them.
    response.headers["Cache-Control"] = "no-store"


@router.get("/events", response_class=EventSourceResponse, dependencies=[Depends(no_store)])
async def events(
    request: Request,
    actor: ActorDep,
    uow: UowDep,
    position: Annotated[int, Depends(starting_position)],
    wakeup: Annotated[Wakeup, Depends(listening)],
) -> AsyncIterator[ServerSentEvent]:
    """Risk, warning, responsibility and delivery events as they happen (text/event-stream).

    Each event's id is its journal seq and its data a JSON object with `action`, `at`,
    `region` and a few fields of the entry's payload. A reconnecting EventSource sends the
    last id in Last-Event-ID and gets everything after it; without one the stream starts
    at the newest entry.
    """
    # Deployments (and tests) may tune both on app.state; the defaults suit browsers.
    state = request.app.state
    lifetime = float(getattr(state, "live_stream_seconds", STREAM_SECONDS))
    keepalive = float(getattr(state, "live_keepalive_seconds", KEEPALIVE_SECONDS))
    regions: live.RegionCache = {}
    # The id alone (no data) tells the browser where to resume without an event.
    yield ServerSentEvent(retry=RETRY_MILLISECONDS, id=str(position))
    started = last_sent = time.monotonic()
    while time.monotonic() - started < lifetime:
        wakeup.clear()
        batch = await anyio.to_thread.run_sync(
            partial(live.events_after, uow, actor, position, regions=regions)
        )
        position = batch.position
        for event in batch.events:
            yield _message(event)
            last_sent = time.monotonic()
        if batch.more:
            continue  # a backlog: send it without waiting
        if time.monotonic() - last_sent >= keepalive:
            yield ServerSentEvent(comment="keep-alive", id=str(position))
            last_sent = time.monotonic()
        await wakeup.wait(POLL_SECONDS)
    yield ServerSentEvent(id=str(position))


def _message(event: live.LiveEvent) -> ServerSentEvent:
    # Compact and readable (Chinese names unescaped): browsers parse it as JSON all the same.
    data = json.dumps(event.data, ensure_ascii=False, separators=(",", ":"))
    return ServerSentEvent(raw_data=data, id=str(event.seq))
