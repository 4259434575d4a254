"""Receiving many CAP alerts at once (a directory, a feed's index): each on its own.

Every alert is received by `cap_import.receive_cap` in a transaction of its own, so one
refused file never holds back or undoes the others, and the summary says what each did:
how many opened or changed a risk, how many were recorded only and why, how many had
arrived before, and which were refused with their reason. The feed poller reports through
the same summary as `crossrisk cap import DIR`.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from crossrisk.domain.errors import CrossriskError
from crossrisk.domain.organisation import Actor
from crossrisk.services.cap_import import receive_cap
from crossrisk.services.cap_receipts import CapOutcome, CapReceipt
from crossrisk.store.uow import UnitOfWork

_CHANGED = frozenset({CapOutcome.UPDATED, CapOutcome.CLOSED})


@dataclass(frozen=True, slots=True)
class CapRefusal:
    """One message refused: its name (a file, an entry of a feed) and why."""

    name: str
    detail: str
    key: str | None


@dataclass(frozen=True, slots=True)
class CapBatchSummary:
    """What receiving a series of CAP messages did, message by message."""

    receipts: tuple[tuple[str, CapReceipt], ...]
    refusals: tuple[CapRefusal, ...]

    @property
    def opened(self) -> int:
        """Messages that opened a risk."""
        return self._count({CapOutcome.OPENED})

    @property
    def changed(self) -> int:
        """Messages that changed or withdrew a risk."""
        return self._count(_CHANGED)

    @property
    def duplicates(self) -> int:
        """Messages received before, which changed nothing."""
        return self._count({CapOutcome.ALREADY_RECEIVED})

    @property
    def recorded(self) -> dict[str, int]:
        """Messages recorded without touching a risk, counted by why (their outcome)."""
        counted = Counter(
            receipt.outcome.value
            for _, receipt in self.receipts
            if not receipt.outcome.changes_risk
            and receipt.outcome is not CapOutcome.ALREADY_RECEIVED
        )
        return dict(sorted(counted.items()))

    def _count(self, outcomes: Iterable[CapOutcome]) -> int:
        wanted = set(outcomes)
        return sum(1 for _, receipt in self.receipts if receipt.outcome in wanted)

    def lines(self) -> list[str]:
        """The totals on one line, then one line per refused message with its reason."""
        recorded = self.recorded
        why = ", ".join(f"{outcome} {count}" for outcome, count in recorded.items())
        total = (
            f"opened {self.opened}, changed {self.changed}, "
            f"recorded {sum(recorded.values())}{f' ({why})' if why else ''}, "
            f"duplicates {self.duplicates}, refused {len(self.refusals)}"
        )
        return [total] + [
            f"refused {refusal.name}: {refusal.detail}"
            + (f" [{refusal.key}]" if refusal.key else "")
            for refusal in self.refusals
        ]


def receive_cap_batch(
    uow: UnitOfWork,
    actor: Actor,
    messages: Iterable[tuple[str, bytes]],
    *,
    now: datetime,
) -> CapBatchSummary:
    """Receive each (name, CAP bytes) in its own transaction and sum up what they did."""
    receipts: list[tuple[str, CapReceipt]] = []
    refusals: list[CapRefusal] = []
    for name, xml in messages:
        try:
            receipts.append((name, receive_cap(uow, actor, xml, now=now)))
        except CrossriskError as error:
            # Refused input changes nothing (its transaction rolled back); a database that
            # fails is no refusal and stops the batch, so nothing is silently skipped.
            refusals.append(CapRefusal(name=name, detail=error.detail, key=error.key))
    return CapBatchSummary(receipts=tuple(receipts), refusals=tuple(refusals))
