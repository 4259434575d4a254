"""The committee's reward and penalty list: members ranked with the figures behind each.

The rule (thresholds in crossrisk/data/policy/evaluation.toml):
- members are ranked by their weighted assessment score, highest first; members without
  any assessment in the period come last, unranked;
- penalty: a member with an upheld accountability case in the period, or whose score lies
  below `penalty_below`;
- reward: of the rest, those with at least one third-party assessment and a score of at
  least `reward_min`, up to `reward_places` of them in rank order; a score resting on
  self-assessment alone earns no reward;
- everyone else: neither. Nothing is decided here: the list is what the committee reads.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from crossrisk.domain.evaluation.scorecard import Basis, Scorecard


class Verdict(StrEnum):
    REWARD = "reward"
    PENALTY = "penalty"
    NONE = "none"


class Reason(StrEnum):
    TOP_SCORE = "top_score"
    UPHELD_CASES = "upheld_cases"
    LOW_SCORE = "low_score"
    NOT_ASSESSED = "not_assessed"
    SELF_ONLY = "self_only"


@dataclass(frozen=True, slots=True)
class RewardPolicy:
    reward_places: int
    reward_min: float
    penalty_below: float

    def __post_init__(self) -> None:
        if self.reward_places < 0 or not (
            math.isfinite(self.reward_min)
            and math.isfinite(self.penalty_below)
            and 0 <= self.penalty_below <= self.reward_min <= 100
        ):
            raise ValueError("need 0 ≤ penalty_below ≤ reward_min ≤ 100 and reward_places ≥ 0")


@dataclass(frozen=True, slots=True)
class Standing:
    rank: int | None  # None: not assessed in the period
    scorecard: Scorecard
    verdict: Verdict
    reasons: tuple[Reason, ...]


def read_reward_policy(table: Mapping[str, Any]) -> RewardPolicy:
    """The thresholds of evaluation.toml's [rewards] table."""
    rewards = table["rewards"]
    return RewardPolicy(
        reward_places=int(rewards["reward_places"]),
        reward_min=float(rewards["reward_min"]),
        penalty_below=float(rewards["penalty_below"]),
    )


def rank(scorecards: Iterable[Scorecard], policy: RewardPolicy) -> list[Standing]:
    """The members' standings by the rule of this module's docstring."""
    cards = list(scorecards)
    scored = sorted(
        (c for c in cards if c.assessment.score is not None),
        key=lambda c: (-(c.assessment.score or 0.0), c.organisation_code),
    )
    unscored = sorted(
        (c for c in cards if c.assessment.score is None), key=lambda c: c.organisation_code
    )
    standings = []
    rewarded = 0
    for place, card in enumerate(scored, start=1):
        score = card.assessment.score or 0.0
        reasons = []
        if card.upheld_cases:
            reasons.append(Reason.UPHELD_CASES)
        if score < policy.penalty_below:
            reasons.append(Reason.LOW_SCORE)
        if reasons:
            standings.append(Standing(place, card, Verdict.PENALTY, tuple(reasons)))
            continue
        if card.assessment.basis is Basis.SELF:
            standings.append(Standing(place, card, Verdict.NONE, (Reason.SELF_ONLY,)))
        elif score >= policy.reward_min and rewarded < policy.reward_places:
            rewarded += 1
            standings.append(Standing(place, card, Verdict.REWARD, (Reason.TOP_SCORE,)))
        else:
            standings.append(Standing(place, card, Verdict.NONE, ()))
    for card in unscored:
        reasons = [Reason.NOT_ASSESSED]
        verdict = Verdict.NONE
        if card.upheld_cases:
            reasons.insert(0, Reason.UPHELD_CASES)
            verdict = Verdict.PENALTY
        standings.append(Standing(None, card, verdict, tuple(reasons)))
    return standings
