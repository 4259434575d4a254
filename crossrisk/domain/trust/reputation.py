"""A member's trust score from the evidence of what it did: the beta reputation system.

Jøsang, A. and Ismail, R. (2002), "The Beta Reputation System", 15th Bled Electronic
Commerce Conference. Positive evidence r and negative evidence s about a member give a
beta distribution Beta(r + 1, s + 1) over the chance that its next act is a good one; its
expectation is the score

    E = (r + 1) / (r + s + 2),

0.5 with no evidence, towards 1 with good evidence, towards 0 with bad (the paper's
reputation rating (r − s)/(r + s + 2) is 2E − 1, the same order on a −1…1 scale). Old
evidence fades by the paper's forgetting factor λ ∈ (0, 1]: before new evidence is added,
r ← λ·r and s ← λ·s, once per event, or, when the policy sets a period, λ raised to the
time elapsed in periods (λ = 1 forgets nothing). Per event means per event of the history
at hand: an aspect's history fades with that aspect's own events, the overall one with all.

What counts as evidence here (issue 15, "Trust"): commitments honoured, late, partial or
broken; duties done in time or late; acknowledgements in time or missed, each mapped to
an (r, s) increment by a configurable table and scaled by the item's weight; and peers'
ratings of aid they received (horizontal supervision), a rating ρ ∈ [0, 1] adding
(ρ, 1 − ρ) scaled by the rater's own score at the time, so that a poorly trusted member's
word counts for less (the paper discounts feedback by the rater's own reputation in the
same spirit; the simple product with E is our choice, not the paper's operator). Vertical
supervision needs nothing of its own here: a disputed resolution reaches this module as
the kind the committee decided.

Each member gets an overall history and one per aspect (commitments, duties,
acknowledgements, peer ratings), every point naming the evidence item that moved it.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import StrEnum

from crossrisk.domain.errors import InvalidInput

PRIOR_SCORE = 0.5
MAX_WEIGHT = 1_000.0


class EvidenceKind(StrEnum):
    COMMITMENT_HONOURED = "commitment_honoured"
    COMMITMENT_LATE = "commitment_late"
    COMMITMENT_PARTIAL = "commitment_partial"
    COMMITMENT_BROKEN = "commitment_broken"
    DUTY_IN_TIME = "duty_in_time"
    DUTY_LATE = "duty_late"
    ACKNOWLEDGED_IN_TIME = "acknowledged_in_time"
    ACKNOWLEDGEMENT_MISSED = "acknowledgement_missed"
    PEER_RATING = "peer_rating"


class Aspect(StrEnum):
    COMMITMENTS = "commitments"
    DUTIES = "duties"
    ACKNOWLEDGEMENTS = "acknowledgements"
    PEER_RATINGS = "peer_ratings"


ASPECT_OF: Mapping[EvidenceKind, Aspect] = {
    EvidenceKind.COMMITMENT_HONOURED: Aspect.COMMITMENTS,
    EvidenceKind.COMMITMENT_LATE: Aspect.COMMITMENTS,
    EvidenceKind.COMMITMENT_PARTIAL: Aspect.COMMITMENTS,
    EvidenceKind.COMMITMENT_BROKEN: Aspect.COMMITMENTS,
    EvidenceKind.DUTY_IN_TIME: Aspect.DUTIES,
    EvidenceKind.DUTY_LATE: Aspect.DUTIES,
    EvidenceKind.ACKNOWLEDGED_IN_TIME: Aspect.ACKNOWLEDGEMENTS,
    EvidenceKind.ACKNOWLEDGEMENT_MISSED: Aspect.ACKNOWLEDGEMENTS,
    EvidenceKind.PEER_RATING: Aspect.PEER_RATINGS,
}

# A late or partial commitment is half kept: it counts half for and half against.
DEFAULT_INCREMENTS: Mapping[EvidenceKind, tuple[float, float]] = {
    EvidenceKind.COMMITMENT_HONOURED: (1.0, 0.0),
    EvidenceKind.COMMITMENT_LATE: (0.5, 0.5),
    EvidenceKind.COMMITMENT_PARTIAL: (0.5, 0.5),
    EvidenceKind.COMMITMENT_BROKEN: (0.0, 1.0),
    EvidenceKind.DUTY_IN_TIME: (1.0, 0.0),
    EvidenceKind.DUTY_LATE: (0.0, 1.0),
    EvidenceKind.ACKNOWLEDGED_IN_TIME: (1.0, 0.0),
    EvidenceKind.ACKNOWLEDGEMENT_MISSED: (0.0, 1.0),
}


@dataclass(frozen=True, slots=True)
class Evidence:
    """One item of evidence about a member: when, what kind, its weight and its source."""

    time: datetime
    kind: EvidenceKind
    subject: str
    source_ref: str  # the journal entry (or record) it comes from
    weight: float = 1.0
    rater: str | None = None  # peer ratings only
    rating: float | None = None  # peer ratings only, in [0, 1]


@dataclass(frozen=True, slots=True)
class TrustPolicy:
    """The region's settings: (r, s) per kind, the forgetting factor and its period."""

    increments: Mapping[EvidenceKind, tuple[float, float]] = field(
        default_factory=lambda: dict(DEFAULT_INCREMENTS)
    )
    forgetting: float = 1.0
    # None: forget once per event; else λ per elapsed period, pro rata.
    period: timedelta | None = None

    def __post_init__(self) -> None:
        if isinstance(self.forgetting, bool) or not (
            isinstance(self.forgetting, int | float) and 0 < self.forgetting <= 1
        ):
            raise InvalidInput("the forgetting factor λ must be in (0, 1]")
        if self.period is not None and self.period <= timedelta(0):
            raise InvalidInput("the forgetting period must be positive")
        for kind, pair in self.increments.items():
            if kind is EvidenceKind.PEER_RATING:
                raise InvalidInput("a peer rating's increment comes from the rating itself")
            if len(pair) != 2 or not all(_non_negative(x) for x in pair):
                raise InvalidInput(f"the increment of {kind} must be two finite numbers ≥ 0")
        for kind in EvidenceKind:
            if kind is not EvidenceKind.PEER_RATING and kind not in self.increments:
                raise InvalidInput(f"the increments table has no entry for {kind}")


@dataclass(frozen=True, slots=True)
class ScorePoint:
    """The score just after one evidence item, with the evidence r, s and what it added."""

    time: datetime
    score: float
    r: float
    s: float
    added_r: float
    added_s: float
    evidence: Evidence
    rater_score: float | None = None  # peer ratings: the weight the rater's word carried


@dataclass(frozen=True, slots=True)
class Reputation:
    """A member's score history, overall and per aspect, for a chart with its evidence."""

    subject: str
    overall: tuple[ScorePoint, ...]
    by_aspect: Mapping[Aspect, tuple[ScorePoint, ...]]

    @property
    def score(self) -> float:
        """The score after the latest evidence (0.5 with none)."""
        return self.overall[-1].score if self.overall else PRIOR_SCORE

    def evidence_that_moved(self) -> tuple[Evidence, ...]:
        """The items that added evidence, in time order (a zero-weight item moved nothing)."""
        return tuple(p.evidence for p in self.overall if p.added_r or p.added_s)


def beta_score(r: float, s: float) -> float:
    """E = (r + 1) / (r + s + 2), the expected chance of good conduct given r and s."""
    return (r + 1.0) / (r + s + 2.0)


def reputations(evidence: Iterable[Evidence], policy: TrustPolicy) -> dict[str, Reputation]:
    """Every member's reputation from the evidence, taken in time order (ties: as given)."""
    items = [_checked(item) for item in evidence]
    items.sort(key=lambda item: item.time)
    overall: dict[str, _Running] = {}
    per_aspect: dict[tuple[str, Aspect], _Running] = {}
    history: dict[str, list[ScorePoint]] = {}
    aspect_history: dict[str, dict[Aspect, list[ScorePoint]]] = {}
    for item in items:
        rater_score: float | None = None
        if item.kind is EvidenceKind.PEER_RATING:
            assert item.rating is not None and item.rater is not None
            rater = overall.get(item.rater)
            rater_score = rater.score_at(item.time, policy) if rater else PRIOR_SCORE
            base = (item.rating, 1.0 - item.rating)
            added = (base[0] * item.weight * rater_score, base[1] * item.weight * rater_score)
        else:
            base = policy.increments[item.kind]
            added = (base[0] * item.weight, base[1] * item.weight)
        aspect = ASPECT_OF[item.kind]
        for running, points in (
            (overall.setdefault(item.subject, _Running()), history.setdefault(item.subject, [])),
            (
                per_aspect.setdefault((item.subject, aspect), _Running()),
                aspect_history.setdefault(item.subject, {}).setdefault(aspect, []),
            ),
        ):
            running.add(item.time, added, policy)
            points.append(
                ScorePoint(
                    item.time,
                    beta_score(running.r, running.s),
                    running.r,
                    running.s,
                    added[0],
                    added[1],
                    item,
                    rater_score,
                )
            )
    return {
        subject: Reputation(
            subject,
            tuple(points),
            {aspect: tuple(p) for aspect, p in aspect_history[subject].items()},
        )
        for subject, points in history.items()
    }


class _Running:
    """The decayed evidence of one member (or one aspect of it) as evidence arrives."""

    def __init__(self) -> None:
        self.r = 0.0
        self.s = 0.0
        self.last: datetime | None = None

    def _decay(self, now: datetime, policy: TrustPolicy) -> float:
        if self.last is None:
            return 1.0
        if policy.period is None:
            return policy.forgetting
        return float(policy.forgetting ** ((now - self.last) / policy.period))

    def score_at(self, now: datetime, policy: TrustPolicy) -> float:
        # Between events only time forgets; per-event forgetting waits for the next event.
        factor = 1.0 if policy.period is None else self._decay(now, policy)
        return beta_score(self.r * factor, self.s * factor)

    def add(self, now: datetime, added: tuple[float, float], policy: TrustPolicy) -> None:
        factor = self._decay(now, policy)
        self.r = self.r * factor + added[0]
        self.s = self.s * factor + added[1]
        self.last = now


def _checked(item: Evidence) -> Evidence:
    if not isinstance(item.kind, EvidenceKind):
        raise InvalidInput(f"unknown kind of evidence {item.kind!r}")
    if item.time.tzinfo is None or item.time.utcoffset() is None:
        raise InvalidInput(f"evidence {item.source_ref!r} has a time without a time zone")
    if not item.subject or not item.subject.strip():
        raise InvalidInput(f"evidence {item.source_ref!r} names no member")
    if not item.source_ref or not item.source_ref.strip():
        raise InvalidInput("every evidence item names its source (the journal entry)")
    if not _non_negative(item.weight) or item.weight > MAX_WEIGHT:
        raise InvalidInput(f"evidence {item.source_ref!r} needs a weight between 0 and 1000")
    if item.kind is EvidenceKind.PEER_RATING:
        if not item.rater or not item.rater.strip():
            raise InvalidInput(f"the peer rating {item.source_ref!r} names no rater")
        if item.rater == item.subject:
            raise InvalidInput(f"{item.subject!r} cannot rate itself ({item.source_ref!r})")
        if item.rating is None or not _non_negative(item.rating) or item.rating > 1:
            raise InvalidInput(f"the peer rating {item.source_ref!r} must be between 0 and 1")
    elif item.rater is not None or item.rating is not None:
        raise InvalidInput(f"only a peer rating has a rater and a rating ({item.source_ref!r})")
    return item


def _non_negative(value: object) -> bool:
    return (
        not isinstance(value, bool)
        and isinstance(value, int | float)
        and value >= 0
        and _finite(value)
    )


def _finite(value: int | float) -> bool:
    try:
        return math.isfinite(value)
    except OverflowError:  # an integer too large for a float
        return False
