"""Assessments of a member city's cross-border cooperation against published criteria.

An evaluator organisation files third-party assessments; a member city may assess itself.
Both score each criterion of the policy table within its scale; a scorecard later weighs
third-party scores above self-assessed ones (DESIGN §3.6: third party primary, self
secondary). Checking a draft is pure, so the API, the CLI and the form refuse alike.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum
from typing import Any

from crossrisk.domain.errors import InvalidInput
from crossrisk.domain.risk import check_text

NOTE_MAX = 2000
KEY_MAX = 64
# A period is a stretch of calendar days; the first and last years a date can hold are
# refused, as elsewhere, because one day more or less leaves the calendar.
YEAR_MIN = 2000
YEAR_MAX = 2100


class AssessmentKind(StrEnum):
    THIRD_PARTY = "third_party"  # by an evaluator organisation
    SELF = "self"  # by the member city about itself


class SourceKind(StrEnum):
    PUBLISHED = "published"  # grounded in a published law, regulation or agreement
    PLATFORM_DEFAULT = "platform_default"  # the platform's own choice, said as such


@dataclass(frozen=True, slots=True)
class Criterion:
    """One published criterion: what is scored, on which scale, weighing how much."""

    key: str
    name_zh: str
    name_en: str
    description_zh: str
    description_en: str
    weight: float
    scale_min: float
    scale_max: float
    source: str
    source_kind: SourceKind

    def normalised(self, score: float) -> float:
        """The score as a share of the scale: 0 at its bottom, 1 at its top."""
        return (score - self.scale_min) / (self.scale_max - self.scale_min)


@dataclass(frozen=True, slots=True)
class Weights:
    """How much each kind of assessment counts in a scorecard; third party above self."""

    third_party: float
    self_assessed: float

    def __post_init__(self) -> None:
        for name, value in (("third_party", self.third_party), ("self", self.self_assessed)):
            if not (math.isfinite(value) and 0 < value < 1):
                raise ValueError(f"the weight of {name} assessments must lie in (0, 1)")
        if not math.isclose(self.third_party + self.self_assessed, 1.0):
            raise ValueError("the two assessment weights must add up to 1")
        if self.third_party <= self.self_assessed:
            raise ValueError("third-party assessments must weigh more than self-assessments")


@dataclass(frozen=True, slots=True)
class AssessmentDraft:
    """What an evaluator or a member submits."""

    region_code: str
    organisation_code: str  # the member city assessed
    period_start: date
    period_end: date
    scores: Mapping[str, float]  # by criterion key
    note: str = ""


@dataclass(frozen=True, slots=True)
class Assessment:
    """A filed assessment."""

    id: int | None
    region_code: str
    organisation_code: str
    kind: AssessmentKind
    assessor_code: str  # the organisation that filed it
    period_start: date
    period_end: date
    scores: Mapping[str, float]
    note: str
    filed_at: datetime
    filed_by: str

    def overlaps(self, start: date, end: date) -> bool:
        """True when its period shares a day with start…end (both inclusive)."""
        return self.period_start <= end and start <= self.period_end


def read_criteria(table: Mapping[str, Any]) -> tuple[Criterion, ...]:
    """The criteria of the policy table, checked: unique keys, sane scales, weights > 0."""
    criteria = []
    for entry in table["criteria"]:
        criterion = Criterion(
            key=str(entry["key"]),
            name_zh=str(entry["name_zh"]),
            name_en=str(entry["name_en"]),
            description_zh=str(entry["description_zh"]),
            description_en=str(entry["description_en"]),
            weight=float(entry["weight"]),
            scale_min=float(entry["scale_min"]),
            scale_max=float(entry["scale_max"]),
            source=str(entry["source"]),
            source_kind=SourceKind(entry["source_kind"]),
        )
        if not (criterion.weight > 0 and criterion.scale_max > criterion.scale_min):
            raise ValueError(f"criterion {criterion.key}: weight and scale must be positive")
        criteria.append(criterion)
    keys = [c.key for c in criteria]
    if len(set(keys)) != len(keys) or not keys:
        raise ValueError("assessment criteria need unique keys, at least one")
    return tuple(criteria)


def read_weights(table: Mapping[str, Any]) -> Weights:
    """The assessment weights of evaluation.toml."""
    weights = table["assessment_weights"]
    return Weights(third_party=float(weights["third_party"]), self_assessed=float(weights["self"]))


def check_period(start: date, end: date) -> tuple[date, date]:
    """A period of calendar days, refused when inverted or outside years 2000–2100."""
    for name, day in (("from", start), ("to", end)):
        if not YEAR_MIN <= day.year <= YEAR_MAX:
            raise InvalidInput(
                f"the period's {name} date {day.isoformat()} lies outside {YEAR_MIN}–{YEAR_MAX}",
                key="evaluation-period-out-of-range",
                params={"min": YEAR_MIN, "max": YEAR_MAX},
            )
    if end < start:
        raise InvalidInput(
            f"the period ends ({end.isoformat()}) before it starts ({start.isoformat()})",
            key="evaluation-period-inverted",
            params={"start": start.isoformat(), "end": end.isoformat()},
        )
    return start, end


def check_draft(draft: AssessmentDraft, criteria: tuple[Criterion, ...]) -> AssessmentDraft:
    """The draft with its note trimmed; refused for a bad period, an unknown criterion, a
    score off its scale or no score at all."""
    check_period(draft.period_start, draft.period_end)
    known = {c.key: c for c in criteria}
    if not draft.scores:
        raise InvalidInput("score at least one criterion", key="assessment-no-scores")
    scores: dict[str, float] = {}
    for key, score in draft.scores.items():
        criterion = known.get(key)
        if criterion is None:
            raise InvalidInput(
                f"there is no criterion {key[:KEY_MAX]!r}",
                key="assessment-criterion-unknown",
                params={"criterion": key[:KEY_MAX]},
            )
        if not (math.isfinite(score) and criterion.scale_min <= score <= criterion.scale_max):
            raise InvalidInput(
                f"the score of {key} must lie within "
                f"{criterion.scale_min:g}–{criterion.scale_max:g}",
                key="assessment-score-out-of-scale",
                params={
                    "criterion": key,
                    "min": f"{criterion.scale_min:g}",
                    "max": f"{criterion.scale_max:g}",
                },
            )
        scores[key] = float(score)
    note = check_text("note", draft.note, limit=NOTE_MAX, required=False)
    return AssessmentDraft(
        region_code=draft.region_code,
        organisation_code=draft.organisation_code,
        period_start=draft.period_start,
        period_end=draft.period_end,
        scores=scores,
        note=note,
    )
