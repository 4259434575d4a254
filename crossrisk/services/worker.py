"""The background worker: delivers queued messages and keeps acknowledgement deadlines.

It runs inside each web process (`crossrisk serve`) or on its own (`crossrisk worker`).
Everything it does is claimed through the database, so any number of workers in any
number of processes share the queue without sending twice. It wakes at once when this
process commits a warning and polls for the work of other processes.
"""

from __future__ import annotations

import logging
import threading
import time
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
# Reminders and escalations fall due minutes apart; checking every few seconds is plenty.
DEADLINE_SECONDS = 5.0
# Claims of a dispatcher that died are taken back this often (their lease is minutes).
REAP_SECONDS = 30.0
# Events that queue messages. Results of sending (warning.delivered, delivery.*) queue
# nothing: waking on them would only send every sender to an empty queue.
_WAKING = frozenset(
    {
        "warning.issued",
        "warning.updated",
        "warning.cancelled",
        "warning.reminded",
        "warning.escalated",
    }
)


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
        self._wakes = 0  # wake-ups not yet taken by a sender
        self._reaped_at = float("-inf")
        self._threads: list[threading.Thread] = []
        self._unsubscribe: Callable[[], None] | None = None

    def uow(self) -> UnitOfWork:
        return UnitOfWork(self.engine, self.bus)

    def start(self) -> None:
        """Start the threads; returns at once."""
        self._unsubscribe = self.bus.subscribe(self._on_event)
        loops: Sequence[tuple[str, Callable[[], None]]] = [
            *((f"crossrisk-sender-{n}", self._send_loop) for n in range(self._senders)),
            ("crossrisk-deadlines", self._deadline_loop),
        ]
        for name, loop in loops:
            thread = threading.Thread(target=loop, name=name, daemon=True)
            thread.start()
            self._threads.append(thread)

    def stop(self, timeout: float = 10.0) -> None:
        """Stop after the attempts in flight; each is bounded by the delivery timeout."""
        self._stop.set()
        with self._wake:
            self._wake.notify_all()
        if self._unsubscribe is not None:
            self._unsubscribe()
        for thread in self._threads:
            thread.join(timeout)
        self._threads = []

    def wake(self) -> None:
        """Send one idle sender to the queue now (a busy one finishes its sends first)."""
        with self._wake:
            self._wakes += 1
            self._wake.notify()

    def deliver_due(self) -> int:
        """Attempt every due delivery once; returns the number of attempts."""
        total = 0
        reap = time.monotonic() - self._reaped_at >= REAP_SECONDS
        if reap:
            self._reaped_at = time.monotonic()
        while not self._stop.is_set():
            made = delivery.dispatch_due(
                self.uow,
                self.channels,
                now=self.clock,
                on_delivered=warnings.record_delivered,
                reap=reap,
            )
            reap = False
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
        if event.name in _WAKING:
            self.wake()

    def _send_loop(self) -> None:
        while not self._stop.is_set():
            _guarded(self.deliver_due)
            with self._wake:
                # Polling finds what other processes queued; a wake-up, what this one did.
                if self._wakes == 0 and not self._stop.is_set():
                    self._wake.wait(self.poll_seconds)
                self._wakes = max(0, self._wakes - 1)

    def _deadline_loop(self) -> None:
        while not self._stop.is_set():
            _guarded(self.keep_deadlines)
            self._stop.wait(DEADLINE_SECONDS)


def _guarded(step: Callable[[], object]) -> None:
    try:
        step()
    except Exception:  # a database hiccup must not end the worker
        log.exception("worker step failed; retrying")
