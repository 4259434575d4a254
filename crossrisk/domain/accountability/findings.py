"""Findings: what the record shows a party failed to do (DESIGN §3.7), read, never guessed.

Each finding names its kind, the party (an organisation code), the risk and, where there
is one, the duty; a stable key, so that running detection again finds the same finding and
opens no second case; and the journal entries that are its evidence. Detection is pure: it
takes the duties, warnings, aid requests, commitments and journal entries the services load,
and `now`.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any

from crossrisk.domain.aid.commitment import Outcome
from crossrisk.domain.duty import DutyRecord, DutyStatus
from crossrisk.domain.journal import JournalEntry
from crossrisk.domain.responsibility import DutyKind
from crossrisk.domain.warning import AWAITING_ACK, WarningStatus
from crossrisk.domain.warning_plan import WarningMessage

REPORTED = "risk.reported"


class FindingKind(StrEnum):
    DUTY_LATE = "duty_late"  # done after its deadline
    DUTY_NOT_DONE = "duty_not_done"  # still open past its deadline
    WARNING_LATE = "warning_late"  # acknowledged after its acknowledgement deadline
    WARNING_UNACKNOWLEDGED = "warning_unacknowledged"  # never acknowledged, deadline passed
    AID_UNANSWERED = "aid_unanswered"  # an approved request with no offer or commitment
    COMMITMENT_BROKEN = "commitment_broken"  # nothing shipped by the due time, or withdrawn
    REPORT_CORRECTED = "report_corrected"  # a figure changed beyond the tolerance


@dataclass(frozen=True, slots=True)
class AccountabilityPolicy:
    """The thresholds of detection (crossrisk/data/policy/accountability.toml)."""

    report_tolerance: float  # share of the previous value, e.g. 0.2
    aid_answer_hours: float
    statement_days: int
    source: str = ""

    def __post_init__(self) -> None:
        if not (math.isfinite(self.report_tolerance) and self.report_tolerance >= 0):
            raise ValueError("the report tolerance is a share of at least 0")
        if not (math.isfinite(self.aid_answer_hours) and self.aid_answer_hours > 0):
            raise ValueError("the aid answer time is a positive number of hours")
        if self.statement_days < 0:
            raise ValueError("the statement days are at least 0")


@dataclass(frozen=True, slots=True)
class Finding:
    kind: FindingKind
    party: str  # organisation code
    region_code: str
    risk_id: int | None
    key: str  # unique: one case per finding
    evidence: tuple[int, ...]  # journal sequence numbers, ascending
    duty_id: int | None = None
    facts: Mapping[str, Any] = field(default_factory=dict)  # JSON-safe, for pages


@dataclass(frozen=True, slots=True)
class AidQuestion:
    """An approved aid request and whether the party that owed an answer gave one."""

    request_id: int
    region_code: str
    risk_id: int | None
    party: str  # who owed an answer: a bound member, else the committee that coordinates
    approved_at: datetime
    needed_by: datetime  # the earliest of its lines
    answered_at: datetime | None  # the party's first offer (or any commitment for the committee)


@dataclass(frozen=True, slots=True)
class CommitmentFacts:
    """A commitment, its outcome as the aid rule reads it, and the donor's organisation."""

    commitment_id: int
    region_code: str
    risk_id: int | None
    request_id: int
    party: str
    due: datetime
    outcome: Outcome


def answer_deadline(question: AidQuestion, policy: AccountabilityPolicy) -> datetime:
    """When an approved request counts as unanswered: the policy's hours or its need, first."""
    return min(question.approved_at + timedelta(hours=policy.aid_answer_hours), question.needed_by)


def changed_beyond(before: float, after: float, tolerance: float) -> bool:
    """True when `after` differs from `before` by more than `tolerance` of `before`."""
    if before == after:
        return False
    if before == 0:
        return True
    return abs(after - before) / abs(before) > tolerance


def duty_findings(
    duties: Iterable[DutyRecord],
    entries: Sequence[JournalEntry],
    warnings: Sequence[WarningMessage] = (),
    *,
    now: datetime,
) -> list[Finding]:
    """Duties done late, or open past their deadline at `now`.

    An acknowledgement duty's evidence carries the entries of the warnings addressed to its
    party, since acknowledging the warning is what fulfils it.
    """
    found = []
    for duty in duties:
        if duty.id is None or duty.risk_id is None:
            continue
        if duty.status is DutyStatus.DONE and duty.done_at and duty.done_at > duty.deadline:
            kind = FindingKind.DUTY_LATE
        elif duty.status is DutyStatus.OPEN and now > duty.deadline:
            kind = FindingKind.DUTY_NOT_DONE
        else:
            continue
        subjects = {f"duty:{duty.id}"}
        if duty.kind is DutyKind.PREPARE_AND_ACKNOWLEDGE:
            subjects |= {
                f"warning:{m.id}"
                for m in warnings
                if m.recipient_organisation == duty.organisation_code
            }
        facts: dict[str, Any] = {
            "duty_kind": duty.kind.value,
            "deadline": duty.deadline.isoformat(),
        }
        if duty.title:
            facts["title"] = duty.title
        if kind is FindingKind.DUTY_LATE:
            facts["done_at"] = duty.done_at.isoformat() if duty.done_at else None
            facts["minutes_late"] = round(duty.minutes_late(), 1)
        found.append(
            Finding(
                kind=kind,
                party=duty.organisation_code,
                region_code=duty.region_code,
                risk_id=duty.risk_id,
                key=f"duty:{duty.id}",
                evidence=_seqs(entries, subjects),
                duty_id=duty.id,
                facts=facts,
            )
        )
    return found


def warning_findings(
    warnings: Iterable[WarningMessage],
    entries: Sequence[JournalEntry],
    *,
    covered: Iterable[str] = (),
    now: datetime,
) -> list[Finding]:
    """Warnings acknowledged late or never, for recipients no acknowledgement duty covers.

    `covered` names the organisations whose acknowledgement duty on the risk already
    stands for their warnings: one failure is one case. A message superseded or cancelled
    before anyone had to acknowledge it is no failure.
    """
    skip = set(covered)
    found = []
    for message in warnings:
        warning = message.warning
        if message.recipient_organisation in skip:
            continue
        if message.acknowledged_at is not None:
            if message.acknowledged_at <= warning.ack_deadline:
                continue
            kind = FindingKind.WARNING_LATE
        elif (
            warning.status in AWAITING_ACK or warning.status is WarningStatus.EXPIRED
        ) and now > warning.ack_deadline:
            kind = FindingKind.WARNING_UNACKNOWLEDGED
        else:
            continue
        facts: dict[str, Any] = {
            "warning": warning.id,
            "ack_deadline": warning.ack_deadline.isoformat(),
        }
        if message.acknowledged_at is not None:
            facts["acknowledged_at"] = message.acknowledged_at.isoformat()
        found.append(
            Finding(
                kind=kind,
                party=message.recipient_organisation,
                region_code=warning.region_code,
                risk_id=warning.risk_id,
                key=f"warning:{warning.id}",
                evidence=_seqs(entries, {f"warning:{warning.id}"}),
                facts=facts,
            )
        )
    return found


def aid_findings(
    questions: Iterable[AidQuestion],
    entries: Sequence[JournalEntry],
    policy: AccountabilityPolicy,
    *,
    now: datetime,
) -> list[Finding]:
    """Approved requests the party did not answer by the answer deadline."""
    found = []
    for question in questions:
        deadline = answer_deadline(question, policy)
        answered = question.answered_at
        if now <= deadline or (answered is not None and answered <= deadline):
            continue
        found.append(
            Finding(
                kind=FindingKind.AID_UNANSWERED,
                party=question.party,
                region_code=question.region_code,
                risk_id=question.risk_id,
                key=f"aid_request:{question.request_id}:{question.party}",
                evidence=_seqs(entries, {f"aid_request:{question.request_id}"}),
                facts={
                    "request": question.request_id,
                    "answer_deadline": deadline.isoformat(),
                    "answered_at": answered.isoformat() if answered else None,
                },
            )
        )
    return found


def commitment_findings(
    commitments: Iterable[CommitmentFacts], entries: Sequence[JournalEntry]
) -> list[Finding]:
    """Commitments the aid rule reads as broken."""
    return [
        Finding(
            kind=FindingKind.COMMITMENT_BROKEN,
            party=c.party,
            region_code=c.region_code,
            risk_id=c.risk_id,
            key=f"commitment:{c.commitment_id}",
            evidence=_seqs(entries, {f"commitment:{c.commitment_id}"}),
            facts={
                "commitment": c.commitment_id,
                "request": c.request_id,
                "due": c.due.isoformat(),
            },
        )
        for c in commitments
        if c.outcome is Outcome.BROKEN
    ]


def report_findings(
    entries: Sequence[JournalEntry], *, region_code: str, risk_id: int, tolerance: float
) -> list[Finding]:
    """A party's figure that changed beyond the tolerance between its successive reports.

    Each figure is compared with the same figure in the party's latest earlier report that
    gave it; the evidence is both reports.
    """
    last: dict[tuple[str, str], tuple[float, int]] = {}
    found = []
    for entry in sorted(entries, key=lambda e: e.seq):
        if entry.action != REPORTED or entry.subject != f"risk:{risk_id}":
            continue
        party = str(entry.payload.get("organisation") or entry.organisation)
        figures = entry.payload.get("figures") or {}
        if not isinstance(figures, Mapping):
            continue
        for name, value in sorted(figures.items()):
            if isinstance(value, bool) or not isinstance(value, int | float):
                continue
            after = float(value)
            if not math.isfinite(after):
                continue
            earlier = last.get((party, name))
            last[(party, name)] = (after, entry.seq)
            if earlier is None or not changed_beyond(earlier[0], after, tolerance):
                continue
            before, before_seq = earlier
            found.append(
                Finding(
                    kind=FindingKind.REPORT_CORRECTED,
                    party=party,
                    region_code=region_code,
                    risk_id=risk_id,
                    key=f"report:{risk_id}:{party}:{name}:{entry.seq}",
                    evidence=(before_seq, entry.seq),
                    facts={
                        "figure": name,
                        "before": before,
                        "after": after,
                        "change": _share(before, after),
                        "tolerance": tolerance,
                    },
                )
            )
    return found


def _share(before: float, after: float) -> float | None:
    """The change as a share of the earlier value; None (unbounded) from zero."""
    if before == 0:
        return None
    return round((after - before) / abs(before), 4)


def _seqs(entries: Sequence[JournalEntry], subjects: set[str]) -> tuple[int, ...]:
    return tuple(sorted({e.seq for e in entries if e.subject in subjects}))
