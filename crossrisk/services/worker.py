"""The background worker: delivers queued messages and keeps acknowledgement deadlines.

It runs inside each web process (`crossrisk serve`) or on its own (`crossrisk worker`).
Everything it does is claimed through the database, so any number of workers in any
number of processes share the queue without sending twice. It wakes at once when this
process commits a warning and polls for the work of other processes.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Sequence
from datetime import UTC, datetime

from sqlalchemy import Engine

from crossrisk.delivery.channel import Channel
from crossrisk.domain.delivery import ChannelKind
from crossrisk.services import delivery, warnings
from crossrisk.services.events import Event, EventBus
from crossrisk.store.uow import UnitOfWork

log = logging.getLogger(__name__)

# A hanging receiver holds one sender until the delivery timeout; the others go on.
SENDERS = 4
POLL_SECONDS = 1.0
_WAKING = ("warning.", "delivery.", "channel.")


def utc_now() -> datetime:
    return datetime.now(UTC)


class Worker:
    """Sender threads for the delivery queue and one thread for the deadlines."""

    def __init__(
        self,
        engine: Engine,
        bus: EventBus,
        channels: dict[ChannelKind, Channel],
        *,
        senders: int = SENDERS,
        poll_seconds: float = POLL_SECONDS,
        clock: Callable[[], datetime] = utc_now,
    ) -> None:
        self.engine = engine
        self.bus = bus
        self.channels = channels
        self.clock = clock
        self.poll_seconds = poll_seconds
        self._senders = senders
        self._stop = threading.Event()
        self._wake = threading.Condition()
        self._generation = 0
        self._threads: list[threading.Thread] = []
        self._unsubscribe: Callable[[], None] | None = None

    def uow(self) -> UnitOfWork:
        return UnitOfWork(self.engine, self.bus)

    def start(self) -> None:
        """Start the threads; returns at once."""
        self._unsubscribe = self.bus.subscribe(self._on_event)
        loops: Sequence[tuple[str, Callable[[], object]]] = [
            *((f"crossrisk-sender-{n}", self.deliver_due) for n in range(self._senders)),
            ("crossrisk-deadlines", self.keep_deadlines),
        ]
        for name, step in loops:
            thread = threading.Thread(target=self._loop, args=(step,), name=name, daemon=True)
            thread.start()
            self._threads.append(thread)

    def stop(self, timeout: float = 10.0) -> None:
        """Stop after the attempts in flight; each is bounded by the delivery timeout."""
        self._stop.set()
        self.wake()
        if self._unsubscribe is not None:
            self._unsubscribe()
        for thread in self._threads:
            thread.join(timeout)
        self._threads = []

    def wake(self) -> None:
        with self._wake:
            self._generation += 1
            self._wake.notify_all()

    def deliver_due(self) -> int:
        """Attempt every due delivery once; returns the number of attempts."""
        total = 0
        while not self._stop.is_set():
            made = delivery.dispatch_due(
                self.uow, self.channels, now=self.clock, on_delivered=warnings.record_delivered
            )
            total += made
            if made == 0:
                return total
        return total

    def keep_deadlines(self) -> warnings.SweepReport:
        return warnings.sweep_deadlines(self.uow(), now=self.clock())

    def run_once(self) -> tuple[int, warnings.SweepReport]:
        """One pass of both jobs, in this thread (tests and `crossrisk worker --once`)."""
        report = self.keep_deadlines()
        return self.deliver_due(), report

    def _on_event(self, event: Event) -> None:
        if event.name.startswith(_WAKING):
            self.wake()

    def _loop(self, step: Callable[[], object]) -> None:
        seen = -1
        while not self._stop.is_set():
            try:
                step()
            except Exception:  # a database hiccup must not end the worker
                log.exception("worker step failed; retrying")
            with self._wake:
                if self._generation == seen and not self._stop.is_set():
                    self._wake.wait(self.poll_seconds)
                seen = self._generation
