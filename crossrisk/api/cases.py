"""Accountability cases over HTTP: list, read with evidence, detect, review, statement, decision."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Query
from pydantic import BaseModel, ConfigDict, Field

from crossrisk.domain.accountability.case import (
    PENALTY_MAX,
    REASON_MAX,
    REVIEW_MAX,
    STATEMENT_MAX,
    Case,
    CaseOutcome,
    CaseState,
)
from crossrisk.http.deps import ID_MAX, ActorDep, RowId, UowDep, utc_now
from crossrisk.services import accountability

router = APIRouter(prefix="/api", tags=["accountability"])
CODE_MAX = 64


class ProcedureOut(BaseModel):
    reviewer: str | None = Field(description="the reviewing organisation; null: the committee")
    outcomes: list[str] = Field(description="the outcomes the review may reach")
    statement_days: int = Field(description="days the party has for its statement after review")
    agreement_id: int | None = Field(
        description="the agreement whose procedure governs; null: the platform's"
    )


class CaseOut(BaseModel):
    id: int
    region: str
    risk_id: int | None
    drill_id: int | None
    kind: str = Field(
        description="duty_late, duty_not_done, warning_late, warning_unacknowledged, "
        "aid_unanswered, commitment_broken or report_corrected"
    )
    party: str = Field(description="the organisation the finding is about")
    duty_id: int | None
    key: str = Field(description="the finding's stable key: one case per finding")
    evidence: list[int] = Field(description="journal sequence numbers")
    facts: dict[str, Any]
    procedure: ProcedureOut
    state: str = Field(description="opened, under_review, statement_filed or decided")
    opened_at: datetime
    opened_by: str
    review: str
    reviewed_at: datetime | None
    reviewed_by: str | None
    statement: str
    statement_at: datetime | None
    statement_by: str | None
    statement_due: datetime | None
    outcome: str | None
    reason: str
    penalty: str
    decided_at: datetime | None
    decided_by: str | None


class EvidenceOut(BaseModel):
    seq: int
    at: datetime
    actor: str
    organisation: str
    action: str
    subject: str
    payload: dict[str, Any]
    hash: str
    verified: bool = Field(description="the entry's hash recomputed matches the stored one")


class CaseRecordOut(BaseModel):
    case: CaseOut
    evidence: list[EvidenceOut]
    missing: list[int] = Field(description="evidence the journal no longer holds")


def case_out(case: Case) -> CaseOut:
    p = case.procedure
    return CaseOut(
        id=case.id or 0,
        region=case.region_code,
        risk_id=case.risk_id,
        drill_id=case.drill_id,
        kind=case.kind.value,
        party=case.party,
        duty_id=case.duty_id,
        key=case.key,
        evidence=list(case.evidence),
        facts=dict(case.facts),
        procedure=ProcedureOut(
            reviewer=p.reviewer,
            outcomes=[o.value for o in p.outcomes],
            statement_days=p.statement_days,
            agreement_id=p.agreement_id,
        ),
        state=case.state.value,
        opened_at=case.opened_at,
        opened_by=case.opened_by,
        review=case.review,
        reviewed_at=case.reviewed_at,
        reviewed_by=case.reviewed_by,
        statement=case.statement,
        statement_at=case.statement_at,
        statement_by=case.statement_by,
        statement_due=case.statement_due,
        outcome=case.outcome.value if case.outcome else None,
        reason=case.reason,
        penalty=case.penalty,
        decided_at=case.decided_at,
        decided_by=case.decided_by,
    )


class DetectIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    risk_id: int = Field(ge=1, le=ID_MAX)


class ReviewIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    text: str = Field(max_length=REVIEW_MAX)


class StatementIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    text: str = Field(max_length=STATEMENT_MAX)


class DecisionIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    outcome: CaseOutcome
    reason: str = Field(max_length=REASON_MAX)
    penalty: str = Field(default="", max_length=PENALTY_MAX, description="only with a penalty")


@router.get("/cases", response_model=list[CaseOut])
def listed(
    actor: ActorDep,
    uow: UowDep,
    region: Annotated[str | None, Query(max_length=CODE_MAX)] = None,
    party: Annotated[str | None, Query(max_length=CODE_MAX)] = None,
    state: CaseState | None = None,
    risk_id: Annotated[int | None, Query(ge=1, le=ID_MAX)] = None,
    drill_id: Annotated[int | None, Query(ge=1, le=ID_MAX)] = None,
) -> list[CaseOut]:
    """The cases the caller reads: its region's for a committee, its own for a party."""
    found = accountability.list_cases(
        uow,
        actor,
        region_code=region,
        party=party,
        state=state,
        risk_id=risk_id,
        drill_id=drill_id,
    )
    return [case_out(c) for c in found]


@router.get("/cases/{case_id}", response_model=CaseRecordOut)
def one(case_id: RowId, actor: ActorDep, uow: UowDep) -> CaseRecordOut:
    """One case with its evidence entries, each hash recomputed."""
    record = accountability.get_case(uow, actor, case_id)
    return CaseRecordOut(
        case=case_out(record.case),
        evidence=[
            EvidenceOut(
                seq=e.entry.seq,
                at=e.entry.at,
                actor=e.entry.actor,
                organisation=e.entry.organisation,
                action=e.entry.action,
                subject=e.entry.subject,
                payload=dict(e.entry.payload),
                hash=e.entry.hash,
                verified=e.verified,
            )
            for e in record.evidence
        ],
        missing=record.missing,
    )


@router.post("/cases/detect", response_model=list[CaseOut])
def detect(body: DetectIn, actor: ActorDep, uow: UowDep) -> list[CaseOut]:
    """The committee looks for findings on a risk now; returns the cases it opened."""
    return [
        case_out(c) for c in accountability.detect(uow, actor, risk_id=body.risk_id, now=utc_now())
    ]


@router.post("/cases/{case_id}/review", response_model=CaseOut)
def review(case_id: RowId, body: ReviewIn, actor: ActorDep, uow: UowDep) -> CaseOut:
    """The reviewer's review: the case is under review and awaits the party's statement."""
    return case_out(accountability.review_case(uow, actor, case_id, text=body.text, now=utc_now()))


@router.post("/cases/{case_id}/statement", response_model=CaseOut)
def statement(case_id: RowId, body: StatementIn, actor: ActorDep, uow: UowDep) -> CaseOut:
    """The party's statement, by one of its officers."""
    return case_out(
        accountability.file_statement(uow, actor, case_id, text=body.text, now=utc_now())
    )


@router.post("/cases/{case_id}/decision", response_model=CaseOut)
def decision(case_id: RowId, body: DecisionIn, actor: ActorDep, uow: UowDep) -> CaseOut:
    """The reviewer's decision: an outcome its procedure allows, with the reason."""
    decided = accountability.decide_case(
        uow,
        actor,
        case_id,
        outcome=body.outcome,
        reason=body.reason,
        penalty=body.penalty,
        now=utc_now(),
    )
    return case_out(decided)
