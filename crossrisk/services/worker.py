"""The background worker: delivers queued messages, acts on queued firings, keeps deadlines.

Given the platform key, it also issues the journal checkpoints (daily, and those the level
I and II risks asked for).

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
from dataclasses import dataclass
from datetime import UTC, datetime

from crossrisk.delivery.channel import Channel
from crossrisk.domain.delivery import ChannelKind
from crossrisk.domain.events import Event
from crossrisk.domain.organisation import system_actor
from crossrisk.services import (
    accountability,
    agreement_checks,
    checkpoints,
    delivery,
    duty_reminders,
    firings,
    warnings,
)
from crossrisk.services.platform_key import PlatformKey
from crossrisk.store.uow import UnitOfWork

log = logging.getLogger(__name__)

# A hanging receiver holds one sender until the delivery timeout; the others go on.
SENDERS = 4
POLL_SECONDS = 1.0
# Reminders and escalations fall due minutes apart; checking every few seconds is plenty.
DEADLINE_SECONDS = 5.0
# Claims of a dispatcher that died are taken back this often (their lease is minutes).
REAP_SECONDS = 30.0
# Who opens the cases the worker finds, in the journal.
DETECTOR = "case-detector"
# Events that queue messages. Results of sending (warning.delivered, delivery.*) queue
# nothing: waking on them would only send every sender to an empty queue.
_WAKING = frozenset(
    {
        "warning.issued",
        "warning.updated",
        "warning.cancelled",
        "warning.reminded",
        "warning.escalated",
        "duty.reminded",
    }
)


@dataclass(frozen=True, slots=True)
class WorkerPass:
    """What one pass of the worker did."""

    attempts: int  # delivery attempts made
    firings: int  # queued firings acted on
    sweep: warnings.SweepReport
    checkpoints: int = 0  # journal checkpoints issued
    duty_reminders: int = 0  # open duties reminded before their deadline
    obligation_changes: int = 0  # agreement obligations that became kept or unmet


def utc_now() -> datetime:
    return datetime.now(UTC)


class Worker:
    """Sender threads for the delivery queue and one thread for the deadlines."""

    def __init__(
        self,
        uow: UnitOfWork,
        channels: dict[ChannelKind, Channel],
        *,
        senders: int = SENDERS,
        poll_seconds: float = POLL_SECONDS,
        clock: Callable[[], datetime] = utc_now,
        signing_key: PlatformKey | None = None,
    ) -> None:
        # Each thread and each job opens units of work of its own on the same database.
        self.uow = uow.fresh
        self.bus = uow.bus
        self.channels = channels
        self.clock = clock
        self.poll_seconds = poll_seconds
        # Without the platform key this worker issues no journal checkpoints; one that has
        # it issues the daily ones and those the level I and II risks asked for.
        self.signing_key = signing_key
        self._senders = senders
        self._stop = threading.Event()
        self._wake = threading.Condition()
        self._wakes = 0  # wake-ups not yet taken by a sender
        self._reaped_at = float("-inf")
        self._detected_at: datetime | None = None
        self._threads: list[threading.Thread] = []
        self._unsubscribe: Callable[[], None] | None = None

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
                self.uow(),
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

    def remind_duties(self) -> int:
        """Remind the open duties whose reminder time has come; returns how many."""
        return duty_reminders.send_reminders(self.uow(), now=self.clock())

    def check_obligations(self) -> int:
        """Check agreements in force (each region at most hourly); returns status changes."""
        return agreement_checks.check_obligations(self.uow(), now=self.clock())

    def act_on_firings(self) -> int:
        """Act on the queued firings nobody took yet (a crash, a retry); returns how many."""
        return len(firings.act_on_due(self.uow(), now=self.clock()))

    def issue_checkpoints(self) -> int:
        """Issue the day's checkpoints and those risks asked for; returns how many."""
        if self.signing_key is None:
            return 0
        issued = checkpoints.issue_due(self.uow(), self.signing_key, now=self.clock())
        if issued:
            self.wake()  # their deliveries are queued
        return len(issued)

    def detect_cases(self) -> int:
        """Open accountability cases for new findings on open risks, at most every
        accountability.WORKER_EVERY; returns how many it opened."""
        now = self.clock()
        if self._detected_at is not None and now - self._detected_at < accountability.WORKER_EVERY:
            return 0
        opened = accountability.detect_open_risks(self.uow(), system_actor(DETECTOR), now=now)
        self._detected_at = now
        return opened

    def run_once(self) -> WorkerPass:
        """One pass of every job, in this thread (tests and `crossrisk worker --once`)."""
        sweep = self.keep_deadlines()
        reminded = self.remind_duties()
        obligation_changes = self.check_obligations()
        acted = self.act_on_firings()
        issued = self.issue_checkpoints()
        return WorkerPass(
            attempts=self.deliver_due(),
            firings=acted,
            sweep=sweep,
            checkpoints=issued,
            duty_reminders=reminded,
            obligation_changes=obligation_changes,
        )

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
        # Firings are acted on by whoever stored their batch; this pass only finds those
        # left behind, so the deadlines' pace is quick enough for it.
        while not self._stop.is_set():
            _guarded(self.keep_deadlines)
            _guarded(self.remind_duties)
            _guarded(self.check_obligations)
            _guarded(self.act_on_firings)
            _guarded(self.issue_checkpoints)
            # Not in run_once: a pass that opens cases on every open risk would change
            # what every test of the other jobs sees; it runs here and on its own.
            _guarded(self.detect_cases)
            self._stop.wait(DEADLINE_SECONDS)


def _guarded(step: Callable[[], object]) -> None:
    try:
        step()
    except Exception:  # a database hiccup must not end the worker
        log.exception("worker step failed; retrying")
