"""A member's scorecard over a period: its weighted assessment score and its record.

Pure: the service loads the member's assessments, duties, warnings, commitments (with their
outcomes) and accountability cases, and this module counts. The record's figures are read
against `now`: an open duty past its deadline counts as never done until it is done.

The weighted assessment score, per criterion: the mean of third-party scores and the mean of
self-assessed scores, each as a share of the criterion's scale, combined with the policy's
weights (third party above self). Where only one kind scored a criterion, that kind alone
gives it, and the scorecard's `basis` says so; the overall score is the criteria's weighted
mean over the criteria scored, on 0–100.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, tzinfo
from enum import StrEnum
from typing import TypeVar

from crossrisk.domain.aid.commitment import Outcome
from crossrisk.domain.duty import DutyRecord, ShownStatus
from crossrisk.domain.evaluation.assessment import (
    Assessment,
    AssessmentKind,
    Criterion,
    Weights,
)
from crossrisk.domain.warning import AWAITING_ACK, WarningStatus
from crossrisk.domain.warning_plan import MessageType, WarningMessage

_T = TypeVar("_T")

# Past two years a monthly trend has too many points to read; it goes by quarter then.
MONTHLY_UP_TO = 24


class Basis(StrEnum):
    BOTH = "both"
    THIRD_PARTY = "third_party"
    SELF = "self"


@dataclass(frozen=True, slots=True)
class CaseFigure:
    """An accountability case against the member in the period, with its outcome.

    The accountability cases are another part of the platform's; whatever it stores, it
    hands the scorecard this much: the case, when it was opened, its outcome (or "" while
    open), and whether the outcome upholds it (a fault found: criticism, referral, penalty).
    """

    case_id: int
    opened_at: datetime
    outcome: str
    upheld: bool
    state: str = ""  # where the case stands: opened, under review, statement filed, decided
    drill_id: int | None = None  # a case a drill opened


@dataclass(frozen=True, slots=True)
class CommitmentFigure:
    """A commitment of the member as donor, its due time and what became of it."""

    commitment_id: int
    due: datetime
    outcome: Outcome


@dataclass(frozen=True, slots=True)
class CriterionScore:
    key: str
    third_party: float | None  # mean, 0–100
    self_assessed: float | None
    combined: float | None


@dataclass(frozen=True, slots=True)
class AssessmentScore:
    score: float | None  # 0–100; None when nothing was assessed
    third_party: float | None
    self_assessed: float | None
    basis: Basis | None
    criteria: tuple[CriterionScore, ...]
    third_party_count: int
    self_count: int


@dataclass(frozen=True, slots=True)
class DutyFigures:
    in_time: int = 0
    late: int = 0  # done after the deadline
    never: int = 0  # open past the deadline
    open: int = 0  # not yet due
    waived: int = 0

    @property
    def in_time_share(self) -> float | None:
        """Done in time as a share of the duties that fell due (waived ones aside)."""
        return _share(self.in_time, self.in_time + self.late + self.never)


@dataclass(frozen=True, slots=True)
class AcknowledgementFigures:
    in_time: int = 0
    late: int = 0
    never: int = 0  # its deadline passed and it was never acknowledged
    pending: int = 0  # still within its deadline

    @property
    def in_time_share(self) -> float | None:
        return _share(self.in_time, self.in_time + self.late + self.never)


@dataclass(frozen=True, slots=True)
class CommitmentFigures:
    honoured: int = 0
    late: int = 0
    partial: int = 0
    broken: int = 0
    open: int = 0

    @property
    def honoured_share(self) -> float | None:
        """Honoured as a share of the commitments that came to an outcome."""
        return _share(self.honoured, self.honoured + self.late + self.partial + self.broken)


@dataclass(frozen=True, slots=True)
class TrendPoint:
    """One month's (or quarter's) figures, for the trend chart."""

    start: date
    label: str  # 2026-07, or 2026-Q3
    assessment: float | None
    duties_in_time: float | None  # shares as percentages
    acknowledged_in_time: float | None
    commitments_honoured: float | None


@dataclass(frozen=True, slots=True)
class Scorecard:
    organisation_code: str
    start: date
    end: date
    assessment: AssessmentScore
    duties: DutyFigures
    acknowledgements: AcknowledgementFigures
    commitments: CommitmentFigures
    cases: tuple[CaseFigure, ...]
    trend: tuple[TrendPoint, ...]

    @property
    def upheld_cases(self) -> int:
        return sum(1 for c in self.cases if c.upheld)


def assessment_score(
    assessments: Iterable[Assessment], criteria: Sequence[Criterion], weights: Weights
) -> AssessmentScore:
    """The weighted assessment score of these assessments (see the module's docstring)."""
    found = list(assessments)
    rows = []
    for criterion in criteria:
        third = _mean(criterion, found, AssessmentKind.THIRD_PARTY)
        own = _mean(criterion, found, AssessmentKind.SELF)
        if third is not None and own is not None:
            combined: float | None = weights.third_party * third + weights.self_assessed * own
        else:
            combined = third if third is not None else own
        rows.append(CriterionScore(criterion.key, third, own, combined))
    weight = {c.key: c.weight for c in criteria}
    third_count = sum(1 for a in found if a.kind is AssessmentKind.THIRD_PARTY)
    self_count = len(found) - third_count
    basis = (
        Basis.BOTH
        if third_count and self_count
        else Basis.THIRD_PARTY
        if third_count
        else Basis.SELF
        if self_count
        else None
    )
    return AssessmentScore(
        score=_weighted((r.combined, weight[r.key]) for r in rows),
        third_party=_weighted((r.third_party, weight[r.key]) for r in rows),
        self_assessed=_weighted((r.self_assessed, weight[r.key]) for r in rows),
        basis=basis,
        criteria=tuple(rows),
        third_party_count=third_count,
        self_count=self_count,
    )


def duty_figures(found: Iterable[DutyRecord], *, now: datetime) -> DutyFigures:
    """Duties by what became of them; cancelled ones (no longer owed) are left out."""
    counts = {s: 0 for s in ShownStatus}
    for duty in found:
        counts[duty.shown(now)] += 1
    return DutyFigures(
        in_time=counts[ShownStatus.DONE],
        late=counts[ShownStatus.DONE_LATE],
        never=counts[ShownStatus.LATE],
        open=counts[ShownStatus.OPEN],
        waived=counts[ShownStatus.WAIVED],
    )


def acknowledgement_figures(
    found: Iterable[WarningMessage], *, now: datetime
) -> AcknowledgementFigures:
    """Warning messages to the member by how they were acknowledged.

    A cancellation asks for no acknowledgement, and a message superseded (updated or
    cancelled) before anyone acknowledged it hands its duty to the message that replaced
    it, so neither counts; an expired one never acknowledged counts as never.
    """
    in_time = late = never = pending = 0
    for message in found:
        warning = message.warning
        if message.msg_type is MessageType.CANCEL:
            continue
        if message.acknowledged_at is not None:
            if message.acknowledged_at <= warning.ack_deadline:
                in_time += 1
            else:
                late += 1
        elif warning.status in AWAITING_ACK:
            if now > warning.ack_deadline:
                never += 1
            else:
                pending += 1
        elif warning.status is WarningStatus.EXPIRED:
            never += 1
    return AcknowledgementFigures(in_time=in_time, late=late, never=never, pending=pending)


def commitment_figures(found: Iterable[CommitmentFigure]) -> CommitmentFigures:
    """The member's commitments by outcome."""
    counts = {o: 0 for o in Outcome}
    for figure in found:
        counts[figure.outcome] += 1
    return CommitmentFigures(
        honoured=counts[Outcome.HONOURED],
        late=counts[Outcome.LATE],
        partial=counts[Outcome.PARTIAL],
        broken=counts[Outcome.BROKEN],
        open=counts[Outcome.OPEN],
    )


def scorecard(
    organisation_code: str,
    *,
    start: date,
    end: date,
    criteria: Sequence[Criterion],
    weights: Weights,
    assessments: Sequence[Assessment],
    duties: Sequence[DutyRecord],
    warnings: Sequence[WarningMessage],
    commitments: Sequence[CommitmentFigure],
    cases: Sequence[CaseFigure],
    now: datetime,
    zone: tzinfo,
) -> Scorecard:
    """The member's scorecard for start…end (calendar days in `zone`, both inclusive).

    The inputs are those of the member in the period (the service selects them): duties
    falling due in it, warnings issued in it, commitments due in it, assessments whose
    period overlaps it, and the cases opened in it.
    """

    def day(moment: datetime) -> date:
        return moment.astimezone(zone).date()

    points = []
    for first, last, label in trend_buckets(start, end):

        def within(moment: datetime, first: date = first, last: date = last) -> bool:
            return first <= day(moment) <= last

        points.append(
            TrendPoint(
                start=first,
                label=label,
                assessment=assessment_score(
                    [a for a in assessments if a.overlaps(first, last)], criteria, weights
                ).score,
                duties_in_time=_percent(
                    duty_figures(_where(duties, lambda d: within(d.deadline)), now=now)
                ),
                acknowledged_in_time=_percent(
                    acknowledgement_figures(
                        _where(warnings, lambda w: within(w.warning.issued_at)), now=now
                    )
                ),
                commitments_honoured=_percent_honoured(
                    commitment_figures(_where(commitments, lambda c: within(c.due)))
                ),
            )
        )
    return Scorecard(
        organisation_code=organisation_code,
        start=start,
        end=end,
        assessment=assessment_score(assessments, criteria, weights),
        duties=duty_figures(duties, now=now),
        acknowledgements=acknowledgement_figures(warnings, now=now),
        commitments=commitment_figures(commitments),
        cases=tuple(sorted(cases, key=lambda c: (c.opened_at, c.case_id))),
        trend=tuple(points),
    )


def trend_buckets(start: date, end: date) -> list[tuple[date, date, str]]:
    """The months (or, past MONTHLY_UP_TO months, the quarters) of start…end, each clipped
    to the period: (first day, last day, label)."""
    months = (end.year - start.year) * 12 + end.month - start.month + 1
    step = 1 if months <= MONTHLY_UP_TO else 3
    year, month = start.year, start.month
    if step == 3:
        month = (month - 1) // 3 * 3 + 1
    buckets = []
    while date(year, month, 1) <= end:
        first = date(year, month, 1)
        next_year, next_month = (
            (year + 1, month + step - 12)
            if month + step > 12
            else (
                year,
                month + step,
            )
        )
        last = date.fromordinal(date(next_year, next_month, 1).toordinal() - 1)
        label = f"{year}-{month:02d}" if step == 1 else f"{year}-Q{(month - 1) // 3 + 1}"
        buckets.append((max(first, start), min(last, end), label))
        year, month = next_year, next_month
    return buckets


def _where(items: Sequence[_T], keep: Callable[[_T], bool]) -> list[_T]:
    return [item for item in items if keep(item)]


def _mean(criterion: Criterion, found: list[Assessment], kind: AssessmentKind) -> float | None:
    scores = [
        criterion.normalised(a.scores[criterion.key]) * 100.0
        for a in found
        if a.kind is kind and criterion.key in a.scores
    ]
    return sum(scores) / len(scores) if scores else None


def _weighted(pairs: Iterable[tuple[float | None, float]]) -> float | None:
    scored = [(value, weight) for value, weight in pairs if value is not None]
    total = sum(weight for _, weight in scored)
    return sum(value * weight for value, weight in scored) / total if scored else None


def _share(part: int, whole: int) -> float | None:
    return part / whole if whole else None


def _percent(figures: DutyFigures | AcknowledgementFigures) -> float | None:
    share = figures.in_time_share
    return None if share is None else round(share * 100.0, 1)


def _percent_honoured(figures: CommitmentFigures) -> float | None:
    share = figures.honoured_share
    return None if share is None else round(share * 100.0, 1)
