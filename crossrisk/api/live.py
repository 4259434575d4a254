"""The live event stream: journal entries as Server-Sent Events (GET /api/events).

The stream is correct across server processes because it reads the journal, which every
process shares, and resumes from the SSE id (the journal seq) the browser sends back in
Last-Event-ID; it is quick in one process because the in-process event bus wakes it as
soon as a use case commits, instead of waiting for the next poll.

Every response ends by itself after a while and the browser reconnects where it left off.
That bounds how long a server waits for its streams when it shuts down (uvicorn tells a
streaming application nothing about a graceful shutdown), and re-checks the user's access
on every reconnection.
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
from fastapi import APIRouter, Header, Query, Request
from fastapi.responses import StreamingResponse

from crossrisk.domain.errors import InvalidInput
from crossrisk.domain.events import Event, EventBus
from crossrisk.domain.organisation import Actor
from crossrisk.http.deps import ActorDep, UowDep
from crossrisk.services import live
from crossrisk.store.uow import UnitOfWork

router = APIRouter(prefix="/api", tags=["live"])

MEDIA_TYPE = "text/event-stream"
# Another process's changes show up within one poll; this process's wake the stream at once.
POLL_SECONDS = 0.5
# Proxies and firewalls close connections that stay silent for a minute or so.
KEEPALIVE_SECONDS = 15.0
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


@router.get(
    "/events",
    response_class=StreamingResponse,
    responses={200: {"content": {MEDIA_TYPE: {}}, "description": "Server-Sent Events"}},
)
async def events(
    request: Request,
    actor: ActorDep,
    uow: UowDep,
    after: Annotated[
        int | None, Query(ge=0, description="journal seq to start after (default: now)")
    ] = None,
    last_event_id: Annotated[str | None, Header()] = None,
) -> StreamingResponse:
    """Risk, warning, responsibility and delivery events as they happen (text/event-stream).

    Each event's id is its journal seq and its data a JSON object with `action`, `at`,
    `region` and a few fields of the entry's payload. A reconnecting EventSource sends the
    last id in Last-Event-ID and gets everything after it; without one the stream starts
    at the newest entry.
    """
    asked = _start(last_event_id, after)
    head = await anyio.to_thread.run_sync(live.head_position, uow)
    # A position beyond the head names entries this database never had (it was restored
    # from a backup, say): start at the head rather than wait for numbers to catch up.
    position = head if asked is None or asked > head else asked
    # Deployments (and tests) may tune both on app.state; the defaults suit browsers.
    state = request.app.state
    lifetime = float(getattr(state, "live_stream_seconds", STREAM_SECONDS))
    keepalive = float(getattr(state, "live_keepalive_seconds", KEEPALIVE_SECONDS))
    return StreamingResponse(
        _stream(state.bus, uow, actor, position, lifetime=lifetime, keepalive=keepalive),
        media_type=MEDIA_TYPE,
        headers={"Cache-Control": "no-store", "X-Accel-Buffering": "no"},
    )


def _start(last_event_id: str | None, after: int | None) -> int | None:
    # A reconnecting browser repeats the original URL, so its Last-Event-ID is the newer.
    if last_event_id is not None and last_event_id.strip():
        value = last_event_id.strip()
        if not value.isdigit():
            raise InvalidInput(
                f"Last-Event-ID must be a journal sequence number, got {value[:40]!r}"
            )
        return int(value)
    return after


async def _stream(
    bus: EventBus,
    uow: UnitOfWork,
    actor: Actor,
    position: int,
    *,
    lifetime: float,
    keepalive: float,
) -> AsyncIterator[str]:
    wakeup = Wakeup()
    unsubscribe = bus.subscribe(wakeup)
    regions: live.RegionCache = {}
    try:
        # The id alone (no data) tells the browser where to resume without an event.
        yield f"retry: {RETRY_MILLISECONDS}\nid: {position}\n\n"
        started = last_sent = time.monotonic()
        while time.monotonic() - started < lifetime:
            wakeup.clear()
            batch = await anyio.to_thread.run_sync(
                partial(live.events_after, uow, actor, position, regions=regions)
            )
            position = batch.position
            if batch.events:
                yield "".join(_frame(event) for event in batch.events)
                last_sent = time.monotonic()
            if batch.more:
                continue  # a backlog: send it without waiting
            if time.monotonic() - last_sent >= keepalive:
                yield f": keep-alive\nid: {position}\n\n"
                last_sent = time.monotonic()
            await wakeup.wait(POLL_SECONDS)
        yield f"id: {position}\n\n"
    finally:
        unsubscribe()


def _frame(event: live.LiveEvent) -> str:
    data = json.dumps(event.data, ensure_ascii=False, separators=(",", ":"))
    return f"id: {event.seq}\ndata: {data}\n\n"
