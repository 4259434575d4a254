"""Assessments, scorecards and the reward/penalty list over HTTP."""

from __future__ import annotations

import math
from datetime import date, datetime
from typing import Annotated

from fastapi import APIRouter, Path, Query
from pydantic import BaseModel, ConfigDict, Field

from crossrisk.domain.evaluation.assessment import (
    KEY_MAX,
    NOTE_MAX,
    Assessment,
    AssessmentDraft,
)
from crossrisk.domain.evaluation.rewards import Standing
from crossrisk.domain.evaluation.scorecard import Scorecard
from crossrisk.http.deps import ActorDep, UowDep, utc_now
from crossrisk.services import scorecards

router = APIRouter(prefix="/api", tags=["evaluation"])
CODE_MAX = 64
CRITERIA_MAX = 50
From = Annotated[date, Query(alias="from", description="first day, a Beijing calendar day")]
To = Annotated[date, Query(alias="to", description="last day, inclusive")]


class AssessmentOut(BaseModel):
    id: int
    region: str
    organisation: str = Field(description="the member city assessed")
    kind: str = Field(description="third_party or self")
    assessor: str = Field(description="the organisation that filed it")
    period_start: date
    period_end: date
    scores: dict[str, float] = Field(description="by criterion key")
    note: str
    filed_at: datetime
    filed_by: str


def assessment_out(assessment: Assessment) -> AssessmentOut:
    return AssessmentOut(
        id=assessment.id or 0,
        region=assessment.region_code,
        organisation=assessment.organisation_code,
        kind=assessment.kind.value,
        assessor=assessment.assessor_code,
        period_start=assessment.period_start,
        period_end=assessment.period_end,
        scores=dict(assessment.scores),
        note=assessment.note,
        filed_at=assessment.filed_at,
        filed_by=assessment.filed_by,
    )


class AssessmentIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    region: str = Field(max_length=CODE_MAX)
    organisation: str = Field(max_length=CODE_MAX, description="the member city assessed")
    period_start: date
    period_end: date
    scores: dict[Annotated[str, Field(max_length=KEY_MAX)], float] = Field(
        min_length=1, max_length=CRITERIA_MAX, description="by criterion key, within its scale"
    )
    note: str = Field(default="", max_length=NOTE_MAX)

    def draft(self) -> AssessmentDraft:
        return AssessmentDraft(
            region_code=self.region,
            organisation_code=self.organisation,
            period_start=self.period_start,
            period_end=self.period_end,
            scores=self.scores,
            note=self.note,
        )


class CriterionScoreOut(BaseModel):
    key: str
    third_party: float | None
    self_assessed: float | None
    combined: float | None


class AssessmentScoreOut(BaseModel):
    score: float | None = Field(description="0–100, third party weighed above self")
    third_party: float | None
    self_assessed: float | None
    basis: str | None = Field(description="both, third_party or self; null if none")
    third_party_count: int
    self_count: int
    criteria: list[CriterionScoreOut]


class FiguresOut(BaseModel):
    counts: dict[str, int]
    share: float | None = Field(description="the share done in time (or honoured), 0–1")


class CaseOut(BaseModel):
    case_id: int
    opened_at: datetime
    outcome: str
    upheld: bool


class TrendPointOut(BaseModel):
    start: date
    label: str
    assessment: float | None
    duties_in_time: float | None = Field(description="percent")
    acknowledged_in_time: float | None = Field(description="percent")
    commitments_honoured: float | None = Field(description="percent")


class ScorecardOut(BaseModel):
    organisation: str
    start: date
    end: date
    assessment: AssessmentScoreOut
    duties: FiguresOut
    acknowledgements: FiguresOut
    commitments: FiguresOut
    cases: list[CaseOut]
    upheld_cases: int
    trend: list[TrendPointOut]


def scorecard_out(card: Scorecard) -> ScorecardOut:
    a, d, w, c = card.assessment, card.duties, card.acknowledgements, card.commitments
    return ScorecardOut(
        organisation=card.organisation_code,
        start=card.start,
        end=card.end,
        assessment=AssessmentScoreOut(
            score=_round(a.score),
            third_party=_round(a.third_party),
            self_assessed=_round(a.self_assessed),
            basis=a.basis.value if a.basis else None,
            third_party_count=a.third_party_count,
            self_count=a.self_count,
            criteria=[
                CriterionScoreOut(
                    key=s.key,
                    third_party=_round(s.third_party),
                    self_assessed=_round(s.self_assessed),
                    combined=_round(s.combined),
                )
                for s in a.criteria
            ],
        ),
        duties=FiguresOut(
            counts={
                "in_time": d.in_time,
                "late": d.late,
                "never": d.never,
                "open": d.open,
                "waived": d.waived,
            },
            share=d.in_time_share,
        ),
        acknowledgements=FiguresOut(
            counts={"in_time": w.in_time, "late": w.late, "never": w.never, "pending": w.pending},
            share=w.in_time_share,
        ),
        commitments=FiguresOut(
            counts={
                "honoured": c.honoured,
                "late": c.late,
                "partial": c.partial,
                "broken": c.broken,
                "open": c.open,
            },
            share=c.honoured_share,
        ),
        cases=[
            CaseOut(case_id=x.case_id, opened_at=x.opened_at, outcome=x.outcome, upheld=x.upheld)
            for x in card.cases
        ],
        upheld_cases=card.upheld_cases,
        trend=[
            TrendPointOut(
                start=p.start,
                label=p.label,
                assessment=_round(p.assessment),
                duties_in_time=p.duties_in_time,
                acknowledged_in_time=p.acknowledged_in_time,
                commitments_honoured=p.commitments_honoured,
            )
            for p in card.trend
        ],
    )


class StandingOut(BaseModel):
    rank: int | None = Field(description="null: not assessed in the period")
    organisation: str
    verdict: str = Field(description="reward, penalty or none")
    reasons: list[str]
    scorecard: ScorecardOut


@router.get("/assessments", response_model=list[AssessmentOut])
def listed(
    actor: ActorDep,
    uow: UowDep,
    region: Annotated[str | None, Query(max_length=CODE_MAX)] = None,
    organisation: Annotated[str | None, Query(max_length=CODE_MAX)] = None,
) -> list[AssessmentOut]:
    """The assessments of the regions the caller reads, newest first."""
    found = scorecards.list_assessments(
        uow, actor, region_code=region, organisation_code=organisation
    )
    return [assessment_out(a) for a in found]


@router.post("/assessments", response_model=AssessmentOut, status_code=201)
def file(body: AssessmentIn, actor: ActorDep, uow: UowDep) -> AssessmentOut:
    """The region's evaluator (third party) or the member itself (self) files an assessment."""
    return assessment_out(scorecards.file_assessment(uow, actor, body.draft(), now=utc_now()))


@router.get("/scorecards/{organisation}", response_model=ScorecardOut)
def scorecard(
    organisation: Annotated[str, Path(max_length=CODE_MAX)],
    start: From,
    end: To,
    actor: ActorDep,
    uow: UowDep,
) -> ScorecardOut:
    """A member's scorecard over the period: weighted assessments and its record."""
    card = scorecards.scorecard(uow, actor, organisation, start=start, end=end, now=utc_now())
    return scorecard_out(card)


@router.get("/regions/{code}/rewards", response_model=list[StandingOut])
def rewards(
    code: Annotated[str, Path(max_length=CODE_MAX)],
    start: From,
    end: To,
    actor: ActorDep,
    uow: UowDep,
) -> list[StandingOut]:
    """The committee's reward/penalty list: the members ranked, with the figures behind each."""
    found = scorecards.rewards_and_penalties(uow, actor, code, start=start, end=end, now=utc_now())
    return [standing_out(s) for s in found]


def standing_out(standing: Standing) -> StandingOut:
    return StandingOut(
        rank=standing.rank,
        organisation=standing.scorecard.organisation_code,
        verdict=standing.verdict.value,
        reasons=[r.value for r in standing.reasons],
        scorecard=scorecard_out(standing.scorecard),
    )


def _round(value: float | None) -> float | None:
    return None if value is None or not math.isfinite(value) else round(value, 1)
