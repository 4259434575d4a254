"""Trust scores over HTTP: a member's score with its evidence and history, the committee's
verdicts on how commitments and duties were resolved, and recipients' ratings of aid."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Path, Query, status
from pydantic import BaseModel, ConfigDict, Field

from crossrisk.domain.trust.reputation import EvidenceKind, ScorePoint
from crossrisk.domain.trust.supervision import REASON_MAX, Rating, Supervision, Verdict
from crossrisk.http.deps import ID_MAX, ActorDep, UowDep, utc_now
from crossrisk.services import trust, trust_evidence, trust_ratings, trust_supervision
from crossrisk.services.trust import TrustReport
from crossrisk.services.trust_ratings import COMMENT_MAX

router = APIRouter(prefix="/api", tags=["trust"])
CODE_MAX = 64
TARGET_MAX = 64


class PointOut(BaseModel):
    at: datetime
    score: float = Field(description="E = (r + 1) / (r + s + 2) just after this item")
    r: float
    s: float
    added_r: float
    added_s: float
    source: str = Field(description="the evidence item that moved it")
    kind: str
    rater_score: float | None = Field(description="peer ratings: the rater's score then")


class AspectOut(BaseModel):
    score: float
    r: float
    s: float
    n: int
    history: list[PointOut]


class TrustOut(BaseModel):
    organisation: str
    region: str
    score: float = Field(description="0.5 with no evidence")
    r: float = Field(description="positive evidence, decayed by λ")
    s: float = Field(description="negative evidence, decayed by λ")
    n: int = Field(description="items of evidence")
    forgetting: float = Field(description="the region's λ")
    aspects: dict[str, AspectOut] = Field(
        description="commitments, duties, acknowledgements, peer_ratings"
    )
    evidence: list[dict[str, Any]] = Field(
        description="each item: source, kind, recorded_kind, time, risk_id, drill (true for "
        "a drill's record, which counts), drill_id, journal (entry seqs), supervision"
    )
    history: list[PointOut]


class SupervisionIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    target: str = Field(max_length=TARGET_MAX, description='"commitment:12" or "duty:7"')
    verdict: Verdict
    reason: str = Field(max_length=REASON_MAX)
    counts_as: EvidenceKind | None = Field(
        default=None, description="disputes: what it counts as; default the opposite"
    )


class SupervisionOut(BaseModel):
    id: int
    region: str
    target: str
    verdict: str
    recorded_kind: str
    counts_as: str
    reason: str
    by: str
    at: datetime


class RatingIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    shipment_id: int = Field(ge=1, le=ID_MAX)
    score: Annotated[int, Field(ge=1, le=5)] | Literal["positive", "negative"]
    comment: str = Field(default="", max_length=COMMENT_MAX)


class RatingOut(BaseModel):
    id: int
    region: str
    shipment_id: int
    rater: str
    member: str
    score: str
    share: float = Field(description="the rating on 0…1, weighted by the rater's score")
    comment: str
    at: datetime


def points_out(points: tuple[ScorePoint, ...]) -> list[PointOut]:
    return [
        PointOut(
            at=p.time,
            score=p.score,
            r=p.r,
            s=p.s,
            added_r=p.added_r,
            added_s=p.added_s,
            source=p.evidence.source_ref,
            kind=p.evidence.kind.value,
            rater_score=p.rater_score,
        )
        for p in points
    ]


def trust_out(found: TrustReport) -> TrustOut:
    aspects = {}
    for aspect, points in found.reputation.by_aspect.items():
        last = points[-1]
        aspects[aspect.value] = AspectOut(
            score=last.score, r=last.r, s=last.s, n=len(points), history=points_out(points)
        )
    return TrustOut(
        organisation=found.organisation,
        region=found.region_code,
        score=found.score,
        r=found.r,
        s=found.s,
        n=found.n,
        forgetting=found.policy.forgetting,
        aspects=aspects,
        evidence=[trust_evidence.describe(item) for item in found.items],
        history=points_out(found.reputation.overall),
    )


def supervision_out(s: Supervision) -> SupervisionOut:
    return SupervisionOut(
        id=s.id or 0,
        region=s.region_code,
        target=s.target,
        verdict=s.verdict.value,
        recorded_kind=s.recorded_kind.value,
        counts_as=s.counts_as.value,
        reason=s.reason,
        by=s.by,
        at=s.at,
    )


def rating_out(r: Rating) -> RatingOut:
    return RatingOut(
        id=r.id or 0,
        region=r.region_code,
        shipment_id=r.shipment_id,
        rater=r.rater,
        member=r.subject,
        score=r.score,
        share=r.share,
        comment=r.comment,
        at=r.at,
    )


@router.get("/trust/{organisation}", response_model=TrustOut)
def member(
    organisation: Annotated[str, Path(max_length=CODE_MAX)],
    actor: ActorDep,
    uow: UowDep,
    region: Annotated[str | None, Query(max_length=CODE_MAX)] = None,
) -> TrustOut:
    """A member's trust score, overall and per kind, with its evidence and history."""
    found = trust.member_trust(uow, actor, organisation, region_code=region, now=utc_now())
    return trust_out(found)


@router.post(
    "/trust/supervision", response_model=SupervisionOut, status_code=status.HTTP_201_CREATED
)
def supervise(body: SupervisionIn, actor: ActorDep, uow: UowDep) -> SupervisionOut:
    """The committee confirms or disputes how a commitment or duty was resolved."""
    saved = trust_supervision.supervise(
        uow,
        actor,
        target=body.target,
        verdict=body.verdict,
        reason=body.reason,
        counts_as=body.counts_as,
        now=utc_now(),
    )
    return supervision_out(saved)


@router.post("/trust/ratings", response_model=RatingOut, status_code=status.HTTP_201_CREATED)
def rate(body: RatingIn, actor: ActorDep, uow: UowDep) -> RatingOut:
    """The recipient of a shipment rates the aid; anyone else is refused."""
    rating = trust_ratings.rate_aid(
        uow, actor, body.shipment_id, score=body.score, comment=body.comment, now=utc_now()
    )
    return rating_out(rating)
