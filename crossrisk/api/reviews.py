"""A risk's after-action review over HTTP: the review with its metrics, timeline, ratings
and corrective actions; the evaluator's ratings and the committee's corrective actions.
The review as PDF is served beside the pages (`web/risks/review.py`), which print it."""

from __future__ import annotations

from datetime import datetime

from fastapi import APIRouter
from pydantic import BaseModel, ConfigDict, Field

from crossrisk.api.cases import CaseOut, case_out
from crossrisk.api.duties import DutyOut, duty_out
from crossrisk.domain.duty import DutyRecord
from crossrisk.domain.evaluation.metrics import Metric
from crossrisk.domain.evaluation.review import ACTION_MAX, NOTE_MAX, Capability, CorrectiveAction
from crossrisk.http.deps import ActorDep, RowId, UowDep, utc_now
from crossrisk.services import evaluation, reviews
from crossrisk.services.reviews import ReviewReport

router = APIRouter(prefix="/api", tags=["reviews"])
CODE_MAX = 64


class MetricOut(BaseModel):
    name: str = Field(description="a stable snake_case key")
    value: float | None = Field(description="null when the record holds nothing to measure")
    unit: str = Field(description="min, share (0 to 1) or count")
    definition: str
    definition_zh: str
    party: str | None = Field(description="the organisation measured; null: the whole activity")
    aspect: str
    detail: str


class TimelineOut(BaseModel):
    seq: int
    at: datetime
    actor: str
    organisation: str
    action: str
    subject: str


class RatingOut(BaseModel):
    capability: str
    rating: str = Field(description="P, S, M or U (HSEEP)")
    strengths: str
    improvements: str
    rated_by: str
    rated_at: datetime


class ActionOut(BaseModel):
    number: int
    capability: str
    text: str
    owner: str
    due_at: datetime
    duty: DutyOut | None


class CapabilityOut(BaseModel):
    code: str
    name_zh: str
    name_en: str


class ReviewOut(BaseModel):
    risk_id: int
    region: str
    review_id: int | None = Field(description="null until the first rating or action")
    start: datetime | None
    end: datetime | None
    parties: list[str]
    capabilities: list[CapabilityOut]
    metrics: list[MetricOut]
    timeline: list[TimelineOut]
    ratings: list[RatingOut]
    corrective_actions: list[ActionOut]
    cases: list[CaseOut] = Field(description="the accountability cases the record opened")


class RatingIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    capability: str = Field(max_length=CODE_MAX)
    rating: str = Field(max_length=10, description="P, S, M or U")
    strengths: str = Field(default="", max_length=NOTE_MAX)
    improvements: str = Field(default="", max_length=NOTE_MAX)


class ActionIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    capability: str = Field(max_length=CODE_MAX)
    text: str = Field(max_length=ACTION_MAX)
    owner: str = Field(default="", max_length=CODE_MAX, description="the responsible organisation")
    due_at: datetime = Field(description="when the action falls due, with its UTC offset")


class DoneIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    note: str = Field(default="", max_length=NOTE_MAX)


class ActionAdded(BaseModel):
    action: ActionOut
    duty: DutyOut


def metric_out(metric: Metric) -> MetricOut:
    return MetricOut(
        name=metric.name,
        value=metric.value,
        unit=metric.unit,
        definition=metric.definition,
        definition_zh=metric.definition_zh,
        party=metric.party,
        aspect=metric.aspect,
        detail=metric.detail,
    )


def review_out(report: ReviewReport, now: datetime) -> ReviewOut:
    return ReviewOut(
        risk_id=report.risk.id or 0,
        region=report.risk.region_code,
        review_id=None if report.review is None else report.review.id,
        start=report.start,
        end=report.end,
        parties=report.parties,
        capabilities=[CapabilityOut(**_capability(c)) for c in report.capabilities],
        metrics=[metric_out(m) for m in report.metrics],
        timeline=[
            TimelineOut(
                seq=e.seq,
                at=e.at,
                actor=e.actor,
                organisation=e.organisation,
                action=e.action,
                subject=e.subject,
            )
            for e in report.timeline
        ],
        ratings=[
            RatingOut(
                capability=r.capability,
                rating=r.rating.value,
                strengths=r.strengths,
                improvements=r.improvements,
                rated_by=r.rated_by,
                rated_at=r.rated_at,
            )
            for r in report.ratings.values()
        ],
        corrective_actions=[
            _action_out(a, report.action_duties.get(a.number), now) for a in report.actions
        ],
        cases=[case_out(c) for c in report.cases],
    )


@router.get("/risks/{risk_id}/review", response_model=ReviewOut)
def get_review(risk_id: RowId, actor: ActorDep, uow: UowDep) -> ReviewOut:
    """The risk's after-action review: metrics from the record, timeline, ratings, actions."""
    now = utc_now()
    return review_out(reviews.review_of_risk(uow, actor, risk_id, now=now), now)


@router.get("/risks/{risk_id}/metrics", response_model=list[MetricOut])
def get_metrics(risk_id: RowId, actor: ActorDep, uow: UowDep) -> list[MetricOut]:
    """The risk's evaluation metrics alone."""
    return [metric_out(m) for m in evaluation.risk_metrics(uow, actor, risk_id, now=utc_now())]


@router.post("/risks/{risk_id}/review/ratings", response_model=RatingOut, status_code=201)
def rate(risk_id: RowId, body: RatingIn, actor: ActorDep, uow: UowDep) -> RatingOut:
    """The evaluator rates one capability P/S/M/U, with strengths and areas for improvement."""
    rating = reviews.rate_capability(
        uow,
        actor,
        risk_id,
        capability=body.capability,
        rating=body.rating,
        strengths=body.strengths,
        improvements=body.improvements,
        now=utc_now(),
    )
    return RatingOut(
        capability=rating.capability,
        rating=rating.rating.value,
        strengths=rating.strengths,
        improvements=rating.improvements,
        rated_by=rating.rated_by,
        rated_at=rating.rated_at,
    )


@router.post("/risks/{risk_id}/review/actions", response_model=ActionAdded, status_code=201)
def add_action(risk_id: RowId, body: ActionIn, actor: ActorDep, uow: UowDep) -> ActionAdded:
    """The committee adds a corrective action: a duty of its owner, due by due_at."""
    now = utc_now()
    action, duty = reviews.add_corrective_action(
        uow,
        actor,
        risk_id,
        capability=body.capability,
        text=body.text,
        owner_code=body.owner,
        due_at=body.due_at,
        now=now,
    )
    return ActionAdded(action=_action_out(action, duty, now), duty=duty_out(duty, now))


@router.post("/risks/{risk_id}/review/actions/{number}/done", response_model=DutyOut)
def action_done(
    risk_id: RowId, number: RowId, body: DoneIn, actor: ActorDep, uow: UowDep
) -> DutyOut:
    """The owner marks a corrective action done."""
    now = utc_now()
    done = reviews.complete_corrective_action(uow, actor, risk_id, number, note=body.note, now=now)
    return duty_out(done, now)


def _capability(capability: Capability) -> dict[str, str]:
    return {"code": capability.code, "name_zh": capability.name_zh, "name_en": capability.name_en}


def _action_out(action: CorrectiveAction, duty: DutyRecord | None, now: datetime) -> ActionOut:
    return ActionOut(
        number=action.number,
        capability=action.capability,
        text=action.text,
        owner=action.owner_code,
        due_at=action.due_at,
        duty=None if duty is None else duty_out(duty, now),
    )
