"""Replaying a hydrograph: its points fed through the ingest, time-shifted, in (fast) time.

The risk register sees the points as any station's observations, so a replay opens and
raises risks, issues warnings and journals as a real flood would. The clock and the wait
come from the caller: a command waits in real time, a drill runner or a test does not.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime

from crossrisk.domain.errors import InvalidInput
from crossrisk.domain.monitoring.hydrograph import HydrographPoint, replay_batches
from crossrisk.domain.organisation import Actor
from crossrisk.services import firings, observations
from crossrisk.services.firings import FiringOutcome
from crossrisk.store.uow import UnitOfWork


@dataclass(slots=True)
class ReplayReport:
    """What a replay stored and what its firings did, added up over its batches."""

    received: int = 0
    stored: int = 0
    duplicates: int = 0
    refused: int = 0
    fired: list[tuple[float, FiringOutcome]] = field(default_factory=list)


OnStep = Callable[[float, observations.IngestReport, list[FiringOutcome]], None]


def replay_hydrograph(
    uow: UnitOfWork,
    actor: Actor,
    points: Sequence[HydrographPoint],
    *,
    start: datetime,
    speed: float,
    elapsed: Callable[[], float],
    wait: Callable[[float], None],
    clock: Callable[[], datetime],
    on_step: OnStep | None = None,
) -> ReplayReport:
    """Feed each point stamped at start + its minutes, once minutes / speed have passed.

    `elapsed` gives the seconds since the replay began, `wait` sleeps, `clock` is the
    time a batch is received at; speed 0 feeds every point at once.
    """
    total = ReplayReport()
    for minutes, records in replay_batches(points, start=start):
        if speed > 0:
            wait(max(0.0, minutes * 60 / speed - elapsed()))
        # The stamps run ahead of the clock when the replay is faster than real time, and
        # lie in the past when a past timeline is replayed: a drill fires at any age.
        report = observations.ingest(
            uow, actor, records, source="replay", now=clock(), max_ahead=None, stale_after=None
        )
        if report.accepted == 0:
            first = report.refused[0] if report.refused else None
            reason = f"{first.key}: {first.message}" if first else "nothing to store"
            raise InvalidInput(
                f"at minute {minutes:g} no observation was stored; {reason}",
                key=first.key if first else "observation-batch-empty",
            )
        fired = firings.act_on_queued(uow, report.queued, now=clock())
        total.received += report.received
        total.stored += report.stored
        total.duplicates += report.duplicates
        total.refused += len(report.refused)
        total.fired.extend((minutes, outcome) for outcome in fired)
        if on_step is not None:
            on_step(minutes, report, fired)
    return total
