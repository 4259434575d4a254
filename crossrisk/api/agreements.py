"""Governance agreements over HTTP: list, read (with each obligation's status), draft, sign
and amend. The document as PDF is served beside the pages (`web/committee`), which print it."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any

from fastapi import APIRouter, Query
from pydantic import BaseModel, ConfigDict, Field

from crossrisk.domain.agreements.agreement import (
    NOTE_MAX,
    OBLIGATIONS_MAX,
    OUTCOMES_MAX,
    PARTIES_MAX,
    SUBJECT_MAX,
    TITLE_MAX,
    Agreement,
)
from crossrisk.domain.agreements.reading import draft_from
from crossrisk.http.deps import ActorDep, RowId, UowDep, utc_now
from crossrisk.services import agreement_checks, agreements
from crossrisk.services.agreements import text_payload

router = APIRouter(prefix="/api/agreements", tags=["agreements"])

Code = Annotated[str, Field(min_length=1, max_length=64)]


class ObligationIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    party: Code = Field(description="the party's organisation code, e.g. ema-330100")
    kind: str = Field(
        max_length=32,
        description="report_within, keep_reserve, maintain_gauge, answer_aid_within, "
        "contribute_fund",
    )
    item_code: Code | None = Field(default=None, description="keep_reserve: a catalogue item")
    quantity: float | None = Field(default=None, description="keep_reserve: in base units")
    station_code: Code | None = Field(default=None, description="maintain_gauge: the station")
    minutes: int | None = Field(default=None, description="report_within")
    hours: int | None = Field(default=None, description="maintain_gauge, answer_aid_within")
    amount_yuan: float | None = Field(default=None, description="contribute_fund")
    note: str = Field(default="", max_length=NOTE_MAX)


class CompensationIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: str = Field(
        max_length=64,
        description="reimburse_aid_costs, proportional_to_cost, proportional_to_population, "
        "beneficiary_pays, shapley or xinan_water_quality",
    )
    parameters: dict[str, Any] = Field(default_factory=dict, max_length=20)


class AccountabilityIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    reviewer: Code | None = Field(default=None, description="default: the coordinator")
    outcomes: list[Annotated[str, Field(max_length=32)]] = Field(
        default_factory=list, max_length=OUTCOMES_MAX
    )
    statement_days: int | None = Field(default=None, ge=1, le=365)
    penalty_yuan: float | None = Field(
        default=None,
        description="the penalty a case decided with compensation pays into the regional fund",
    )


class AgreementTextIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    title: str = Field(max_length=TITLE_MAX)
    title_en: str = Field(default="", max_length=TITLE_MAX)
    subject: str = Field(max_length=SUBJECT_MAX)
    subject_en: str = Field(default="", max_length=SUBJECT_MAX)
    parties: list[Code] = Field(max_length=PARTIES_MAX)
    obligations: list[ObligationIn] = Field(max_length=OBLIGATIONS_MAX)
    compensation: CompensationIn
    accountability: AccountabilityIn = Field(default_factory=AccountabilityIn)
    valid_from: date
    valid_until: date | None = None


class AgreementDraftIn(AgreementTextIn):
    region: Code


class SignatureOut(BaseModel):
    organisation: str
    signed: bool
    signed_by: str | None
    signed_at: datetime | None


class ObligationStatusOut(BaseModel):
    position: int
    party: str
    kind: str
    status: str = Field(description="kept, unmet, not_checkable or pending")
    evidence: dict[str, Any]


class AgreementOut(BaseModel):
    id: int
    region: str
    number: int
    version: int
    state: str = Field(description="signing, in_force or superseded")
    coordinator: str
    drafted_by: str
    drafted_at: datetime
    in_force_at: datetime | None
    superseded_at: datetime | None
    text: dict[str, Any]
    signatures: list[SignatureOut]
    obligation_status: list[ObligationStatusOut] | None = Field(
        default=None, description="only when one agreement is read, and only in force"
    )


def agreement_out(
    agreement: Agreement, checks: list[agreement_checks.ObligationCheck] | None = None
) -> AgreementOut:
    signatures = []
    for code in agreement.signatories:
        signature = agreement.signature_of(code)
        signatures.append(
            SignatureOut(
                organisation=code,
                signed=signature is not None,
                signed_by=None if signature is None else signature.signed_by,
                signed_at=None if signature is None else signature.signed_at,
            )
        )
    return AgreementOut(
        id=agreement.id or 0,
        region=agreement.region_code,
        number=agreement.number,
        version=agreement.version,
        state=agreement.state.value,
        coordinator=agreement.coordinator,
        drafted_by=agreement.drafted_by,
        drafted_at=agreement.drafted_at,
        in_force_at=agreement.in_force_at,
        superseded_at=agreement.superseded_at,
        text=text_payload(agreement.text),
        signatures=signatures,
        obligation_status=None
        if checks is None
        else [
            ObligationStatusOut(
                position=c.position,
                party=c.obligation.party,
                kind=c.obligation.kind.value,
                status=c.checked.status.value,
                evidence=dict(c.checked.evidence),
            )
            for c in checks
        ],
    )


@router.get("", response_model=list[AgreementOut])
def list_agreements(
    actor: ActorDep,
    uow: UowDep,
    region: Annotated[str | None, Query(min_length=1, max_length=32)] = None,
) -> list[AgreementOut]:
    """Every version of the agreements the caller reads, newest first."""
    return [agreement_out(a) for a in agreements.list_agreements(uow, actor, region_code=region)]


@router.get("/{agreement_id}", response_model=AgreementOut)
def read(agreement_id: RowId, actor: ActorDep, uow: UowDep) -> AgreementOut:
    """One version with its signatures and, in force, each obligation's status now."""
    agreement = agreements.get_agreement(uow, actor, agreement_id)
    checks = agreement_checks.obligation_checks(uow, actor, agreement_id, now=utc_now())
    return agreement_out(agreement, checks)


@router.post("", response_model=AgreementOut, status_code=201)
def draft(body: AgreementDraftIn, actor: ActorDep, uow: UowDep) -> AgreementOut:
    """The committee drafts an agreement; it awaits every party's signature."""
    text = draft_from(body.model_dump(mode="json", exclude={"region"}))
    return agreement_out(agreements.draft_agreement(uow, actor, body.region, text, now=utc_now()))


@router.post("/{agreement_id}/sign", response_model=AgreementOut)
def sign(agreement_id: RowId, actor: ActorDep, uow: UowDep) -> AgreementOut:
    """An officer signs for its organisation; the last signature puts it in force."""
    return agreement_out(agreements.sign_agreement(uow, actor, agreement_id, now=utc_now()))


@router.post("/{agreement_id}/amend", response_model=AgreementOut, status_code=201)
def amend(agreement_id: RowId, body: AgreementTextIn, actor: ActorDep, uow: UowDep) -> AgreementOut:
    """The committee amends an agreement in force: a new version, signed again."""
    text = draft_from(body.model_dump(mode="json"))
    return agreement_out(agreements.amend_agreement(uow, actor, agreement_id, text, now=utc_now()))
