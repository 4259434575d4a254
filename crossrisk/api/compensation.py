"""Compensation over HTTP: a risk's cost ledger, its settlement statements and their
approval (issue 15; docs/compensation.md). The regional fund is fund.py, what is delivered
in kind in_kind.py."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from fastapi import APIRouter, Request
from pydantic import BaseModel, ConfigDict, Field
from starlette.responses import Response

from crossrisk.domain.compensation.evidence import ALLOWED_TYPES, MAX_FILE_BYTES, EvidenceFile
from crossrisk.domain.compensation.in_kind import InKindDelivery
from crossrisk.domain.compensation.ledger import (
    EVIDENCE_MAX,
    NOTE_MAX,
    PROTECTS_MAX,
    CostCategory,
    CostKind,
    CostLine,
    Statement,
)
from crossrisk.domain.compensation.settlement import Transfer
from crossrisk.domain.errors import InvalidInput
from crossrisk.http.deps import ID_MAX, ActorDep, RowId, UowDep, utc_now
from crossrisk.http.uploads import bounded_form, evidence_download, evidence_upload
from crossrisk.services import costs, settlements, water_quality

router = APIRouter(prefix="/api", tags=["compensation"])
CODE_MAX = 64
AMOUNT_MAX = 40
ORDER_MAX = 100
AMOUNT_DESCRIPTION = "yuan as a decimal string, at most two decimals, above zero"


class CostIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    party: str = Field(max_length=CODE_MAX, description="the member jurisdiction that spent it")
    amount_yuan: str = Field(max_length=AMOUNT_MAX, description=AMOUNT_DESCRIPTION)
    category: CostCategory = Field(description="EMAC's categories")
    spent_on: date
    evidence: str = Field(max_length=EVIDENCE_MAX, description="what proves it: text or a link")
    kind: CostKind | None = Field(
        default=None,
        description="own_response or aid; default aid when an aid request is named",
    )
    protects: list[str] | None = Field(
        default=None,
        max_length=PROTECTS_MAX,
        description="member jurisdictions the spending protected; default the party itself",
    )
    aid_request_id: int | None = Field(default=None, ge=1, le=ID_MAX)
    reimbursed_by: str | None = Field(
        default=None, max_length=CODE_MAX, description="the requester, for aid with no request"
    )


class EvidenceOut(BaseModel):
    id: int
    file_name: str
    media_type: str
    size: int = Field(description="bytes")
    sha256: str = Field(description="hex SHA-256 of the bytes, as the journal records it")
    attached_by: str
    attached_at: datetime


class CostOut(BaseModel):
    id: int
    risk_id: int
    party: str
    organisation: str
    amount_fen: int
    category: str
    spent_on: date
    evidence: str
    kind: str
    protects: list[str]
    aid_request_id: int | None
    reimbursed_by: str | None
    drill: bool = Field(description="the risk is a drill's: the line is rehearsed, not paid")
    recorded_by: str
    recorded_at: datetime
    withdrawn_by: str | None
    withdrawn_at: datetime | None
    files: list[EvidenceOut] = Field(default=[], description="evidence files, metadata only")


class WithdrawIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    reason: str = Field(max_length=NOTE_MAX)


class LossAvoidedIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    party: str = Field(max_length=CODE_MAX)
    amount_yuan: str = Field(max_length=AMOUNT_MAX, description="yuan, at least zero")
    basis: str = Field(max_length=EVIDENCE_MAX, description="how the estimate was made")


class SettlementIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    rule: str = Field(
        default="",
        max_length=CODE_MAX,
        description="empty: the rule of the agreement in force binding every party; else "
        "reimburse_aid_costs (reimbursement), proportional_to_cost (proportional, "
        "proportional_cost), proportional_to_population (proportional_population), "
        "beneficiary_pays, shapley, river_lrs or river_ues",
    )
    upstream_order: list[str] = Field(
        default=[],
        max_length=ORDER_MAX,
        description="for the river rules: every party, upstream first",
    )


class TransferOut(BaseModel):
    payer: str
    payee: str
    amount_fen: int
    form: str = Field(description="money or in_kind")
    note: str


def transfer_out(transfer: Transfer) -> TransferOut:
    return TransferOut(
        payer=transfer.payer,
        payee=transfer.payee,
        amount_fen=transfer.amount_fen,
        form=transfer.form.value,
        note=transfer.note,
    )


# Here, not in in_kind.py, because the fund's book lists deliveries too and the OpenAPI
# document names this schema by its module (channels has a DeliveryOut of its own).
class DeliveryOut(BaseModel):
    id: int
    settlement_id: int
    provider: str
    recipient: str
    description: str
    quantity: int
    unit_value_fen: int
    value_fen: int
    delivered_on: date
    evidence: str
    recorded_by: str
    recorded_at: datetime


class WaterQualityIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    station: str = Field(
        max_length=CODE_MAX, description="a station at the border section measuring an indicator"
    )
    upstream: str = Field(max_length=CODE_MAX, description="the upstream party (organisation)")
    downstream: str = Field(max_length=CODE_MAX, description="the downstream party")
    round: str | None = Field(
        default=None, max_length=CODE_MAX, description="the round's name; default the period"
    )
    year: int | None = Field(default=None, description="the year settled (Asia/Shanghai)")
    period_from: date | None = Field(default=None, description="instead of a year: first day")
    period_to: date | None = Field(default=None, description="instead of a year: last day")


class SettlementOut(BaseModel):
    id: int
    risk_id: int | None = Field(description="the risk settled; none for a period's statement")
    agreement_id: int | None = Field(default=None, description="a period's statement: agreement")
    round: str | None = None
    period_from: date | None = None
    period_to: date | None = None
    station: str | None = Field(default=None, description="a period's statement: the station")
    region: str
    rule: str
    inputs: dict[str, Any]
    transfers: list[TransferOut]
    borne_fen: dict[str, int] = Field(description="what each party bore")
    due_fen: dict[str, int] = Field(description="what the rule has each party bear")
    state: str = Field(description="proposed, approved or withdrawn")
    proposed_by: str
    proposed_at: datetime
    decided_by: str | None
    decided_at: datetime | None


def evidence_out(evidence: EvidenceFile) -> EvidenceOut:
    return EvidenceOut(
        id=evidence.id or 0,
        file_name=evidence.file_name,
        media_type=evidence.media_type,
        size=evidence.size,
        sha256=evidence.sha256,
        attached_by=evidence.attached_by,
        attached_at=evidence.attached_at,
    )


def cost_out(line: CostLine, files: list[EvidenceFile] | None = None) -> CostOut:
    return CostOut(
        id=line.id or 0,
        risk_id=line.risk_id,
        party=line.party,
        organisation=line.organisation_code,
        amount_fen=line.amount_fen,
        category=line.category.value,
        spent_on=line.spent_on,
        evidence=line.evidence,
        kind=line.kind.value,
        protects=list(line.protects),
        aid_request_id=line.aid_request_id,
        reimbursed_by=line.reimbursed_by,
        drill=line.drill,
        recorded_by=line.recorded_by,
        recorded_at=line.recorded_at,
        withdrawn_by=line.withdrawn_by,
        withdrawn_at=line.withdrawn_at,
        files=[evidence_out(f) for f in files or []],
    )


def delivery_out(delivery: InKindDelivery) -> DeliveryOut:
    return DeliveryOut(
        id=delivery.id or 0,
        settlement_id=delivery.settlement_id,
        provider=delivery.provider,
        recipient=delivery.recipient,
        description=delivery.description,
        quantity=delivery.quantity,
        unit_value_fen=delivery.unit_value_fen,
        value_fen=delivery.value_fen,
        delivered_on=delivery.delivered_on,
        evidence=delivery.evidence,
        recorded_by=delivery.recorded_by,
        recorded_at=delivery.recorded_at,
    )


def settlement_out(statement: Statement) -> SettlementOut:
    return SettlementOut(
        id=statement.id or 0,
        risk_id=statement.risk_id,
        agreement_id=statement.agreement_id,
        round=statement.round,
        period_from=statement.period_from,
        period_to=statement.period_to,
        station=statement.station_code,
        region=statement.region_code,
        rule=statement.rule.value,
        inputs=dict(statement.inputs),
        transfers=[transfer_out(t) for t in statement.transfers],
        borne_fen=dict(statement.borne_fen),
        due_fen=dict(statement.due_fen),
        state=statement.state.value,
        proposed_by=statement.proposed_by,
        proposed_at=statement.proposed_at,
        decided_by=statement.decided_by,
        decided_at=statement.decided_at,
    )


@router.get("/risks/{risk_id}/costs", response_model=list[CostOut])
def listed_costs(risk_id: RowId, actor: ActorDep, uow: UowDep) -> list[CostOut]:
    """The risk's cost lines, withdrawn ones included, in the order recorded."""
    ledger = costs.ledger(uow, actor, risk_id)
    return [cost_out(line, ledger.files.get(line.id or 0)) for line in ledger.lines]


@router.post("/risks/{risk_id}/costs", response_model=CostOut, status_code=201)
def record_cost(risk_id: RowId, body: CostIn, actor: ActorDep, uow: UowDep) -> CostOut:
    """Record a cost a member bore: its own officer, or the committee."""
    line = costs.record_cost(
        uow,
        actor,
        risk_id,
        party=body.party,
        amount_yuan=body.amount_yuan,
        category=body.category.value,
        spent_on=body.spent_on,
        evidence=body.evidence,
        kind=body.kind.value if body.kind else None,
        protects=body.protects,
        aid_request_id=body.aid_request_id,
        reimbursed_by=body.reimbursed_by,
        now=utc_now(),
    )
    return cost_out(line)


@router.post("/costs/{line_id}/withdraw", response_model=CostOut)
def withdraw_cost(line_id: RowId, body: WithdrawIn, actor: ActorDep, uow: UowDep) -> CostOut:
    """Withdraw a cost line recorded in error; it stays in the record."""
    return cost_out(costs.withdraw_cost(uow, actor, line_id, reason=body.reason, now=utc_now()))


@router.post(
    "/costs/{line_id}/evidence",
    response_model=EvidenceOut,
    status_code=201,
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {
                "multipart/form-data": {
                    "schema": {
                        "type": "object",
                        "required": ["file"],
                        "properties": {"file": {"type": "string", "format": "binary"}},
                    }
                }
            },
        }
    },
    responses={
        413: {"description": f"the file is over {MAX_FILE_BYTES} bytes"},
        422: {"description": "no file, a bad name, or a type not allowed or not its bytes'"},
    },
)
async def attach_evidence(
    line_id: RowId, request: Request, actor: ActorDep, uow: UowDep
) -> EvidenceOut:
    """Attach an evidence file (a multipart form's `file`) to an active cost line: PDF, PNG,
    JPEG, XLSX, DOCX, OFD or plain text, told by its bytes; at most 10 MiB, 5 a line."""
    form = await bounded_form(request)
    try:
        upload = await evidence_upload(form)
    finally:
        await form.close()
    if upload is None:
        raise InvalidInput("the form has no `file` field", key="cost-evidence-no-file")
    return evidence_out(costs.attach_evidence(uow, actor, line_id, upload, now=utc_now()))


@router.get(
    "/costs/{line_id}/evidence/{file_id}",
    response_class=Response,
    responses={200: {"content": {media: {} for media in ALLOWED_TYPES}}},
)
def evidence_file(line_id: RowId, file_id: RowId, actor: ActorDep, uow: UowDep) -> Response:
    """An evidence file's bytes, as a download, for whoever reads the risk."""
    evidence, data = costs.evidence_file(uow, actor, line_id, file_id)
    return evidence_download(evidence, data)


@router.put("/risks/{risk_id}/loss-avoided", response_model=dict[str, int])
def loss_avoided(
    risk_id: RowId, body: LossAvoidedIn, actor: ActorDep, uow: UowDep
) -> dict[str, int]:
    """Enter a party's estimate of the loss it avoided; returns every estimate, in fen."""
    costs.estimate_loss_avoided(
        uow,
        actor,
        risk_id,
        party=body.party,
        amount_yuan=body.amount_yuan,
        basis=body.basis,
        now=utc_now(),
    )
    return costs.ledger(uow, actor, risk_id).loss_avoided_fen


@router.get("/risks/{risk_id}/settlements", response_model=list[SettlementOut])
def listed_settlements(risk_id: RowId, actor: ActorDep, uow: UowDep) -> list[SettlementOut]:
    """The risk's statements side by side, oldest first."""
    return [settlement_out(s) for s in settlements.statements(uow, actor, risk_id)]


@router.post("/risks/{risk_id}/settlements", response_model=SettlementOut, status_code=201)
def propose(risk_id: RowId, body: SettlementIn, actor: ActorDep, uow: UowDep) -> SettlementOut:
    """Draw up a closed risk's statement by a rule, as a proposal."""
    statement = settlements.propose(
        uow, actor, risk_id, rule=body.rule, upstream_order=body.upstream_order, now=utc_now()
    )
    return settlement_out(statement)


@router.post(
    "/agreements/{agreement_id}/water-quality-settlements",
    response_model=SettlementOut,
    status_code=201,
)
def propose_water_quality(
    agreement_id: RowId, body: WaterQualityIn, actor: ActorDep, uow: UowDep
) -> SettlementOut:
    """Propose a border section's water-quality statement for a year (or period) of a round."""
    statement = water_quality.settle_section(
        uow,
        actor,
        agreement_id,
        station=body.station,
        round=body.round,
        year=body.year,
        period_from=body.period_from,
        period_to=body.period_to,
        upstream=body.upstream,
        downstream=body.downstream,
        now=utc_now(),
    )
    return settlement_out(statement)


@router.get("/settlements/{settlement_id}", response_model=SettlementOut)
def one_settlement(settlement_id: RowId, actor: ActorDep, uow: UowDep) -> SettlementOut:
    """One statement."""
    return settlement_out(settlements.get(uow, actor, settlement_id))


@router.post("/settlements/{settlement_id}/approve", response_model=SettlementOut)
def approve(settlement_id: RowId, actor: ActorDep, uow: UowDep) -> SettlementOut:
    """The committee approves the statement its risk is settled by."""
    return settlement_out(settlements.approve(uow, actor, settlement_id, now=utc_now()))


@router.post("/settlements/{settlement_id}/withdraw", response_model=SettlementOut)
def withdraw_settlement(settlement_id: RowId, actor: ActorDep, uow: UowDep) -> SettlementOut:
    """Withdraw a proposal: its proposer or the committee."""
    return settlement_out(settlements.withdraw(uow, actor, settlement_id, now=utc_now()))
