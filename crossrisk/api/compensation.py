"""Compensation over HTTP: a risk's cost ledger, its settlement statements, their approval,
and the regional fund (issue 15; docs/compensation.md)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any

from fastapi import APIRouter, Path, Request
from pydantic import BaseModel, ConfigDict, Field
from starlette.responses import Response

from crossrisk.domain.compensation.evidence import ALLOWED_TYPES, MAX_FILE_BYTES, EvidenceFile
from crossrisk.domain.compensation.in_kind import QUANTITY_MAX, InKindDelivery
from crossrisk.domain.compensation.ledger import (
    EVIDENCE_MAX,
    NOTE_MAX,
    PROTECTS_MAX,
    CostCategory,
    CostKind,
    CostLine,
    FundMovement,
    Statement,
)
from crossrisk.domain.compensation.settlement import Transfer
from crossrisk.domain.errors import InvalidInput
from crossrisk.http.deps import ID_MAX, ActorDep, RowId, UowDep, utc_now
from crossrisk.http.uploads import bounded_form, evidence_download, evidence_upload
from crossrisk.services import costs, fund, in_kind, settlements, water_quality

router = APIRouter(prefix="/api", tags=["compensation"])
CODE_MAX = 64
RegionCode = Annotated[str, Path(min_length=1, max_length=CODE_MAX)]
AMOUNT_MAX = 40
ORDER_MAX = 100
CONDITIONS_MAX = 20
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


class ContributionIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    contributor: str = Field(max_length=CODE_MAX, description="a province's or central office")
    amount_yuan: str = Field(max_length=AMOUNT_MAX, description=AMOUNT_DESCRIPTION)
    conditions: list[str] = Field(default=[], max_length=CONDITIONS_MAX)


class PenaltyIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    amount_yuan: str | None = Field(
        default=None,
        max_length=AMOUNT_MAX,
        description="default: the penalty the case's agreement provides; " + AMOUNT_DESCRIPTION,
    )
    reason: str = Field(
        default="", max_length=NOTE_MAX, description="why, when not the agreement's amount"
    )


class PayoutIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    settlement_id: int = Field(ge=1, le=ID_MAX, description="the approved statement it pays")
    payee: str = Field(max_length=CODE_MAX)
    amount_yuan: str = Field(max_length=AMOUNT_MAX, description=AMOUNT_DESCRIPTION)
    note: str = Field(max_length=NOTE_MAX, description="what it pays for")


class MovementOut(BaseModel):
    id: int
    kind: str = Field(description="contribution, penalty or payout")
    party: str
    amount_fen: int
    conditions: list[str]
    note: str
    case_id: int | None
    settlement_id: int | None
    recorded_by: str
    recorded_at: datetime


class DeliveryIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    provider: str = Field(max_length=CODE_MAX, description="the party that delivered")
    recipient: str = Field(max_length=CODE_MAX, description="the party it was delivered to")
    description: str = Field(max_length=NOTE_MAX, description="what: training places, …")
    quantity: int = Field(ge=1, le=QUANTITY_MAX)
    unit_value_yuan: str = Field(max_length=AMOUNT_MAX, description=AMOUNT_DESCRIPTION)
    delivered_on: date
    evidence: str = Field(max_length=EVIDENCE_MAX, description="what proves it: text or a link")


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


class InKindOut(BaseModel):
    settlement_id: int
    deliveries: list[DeliveryOut]
    transfers: list[TransferOut] = Field(
        description="the statement's transfers settled with the deliveries: in kind, then money"
    )


class DueOut(BaseModel):
    settlement_id: int
    risk_id: int | None = Field(description="none for a border section's period statement")
    payee: str
    due_fen: int = Field(description="the most a payout on the statement may still pay")


class PenaltyDueOut(BaseModel):
    case_id: int
    party: str
    penalty: str = Field(description="what the decision said")
    provided_fen: int | None = Field(description="the agreement's penalty, if it states one")


class FundOut(BaseModel):
    fund: str
    received_fen: int
    paid_fen: int
    balance_fen: int
    movements: list[MovementOut] = Field(default_factory=list)
    deliveries: list[DeliveryOut] = Field(default_factory=list)
    dues: list[DueOut] = Field(
        default_factory=list, description="what approved statements still leave each payee due"
    )
    penalties_due: list[PenaltyDueOut] = Field(
        default_factory=list, description="upheld cases whose penalty is not paid in yet"
    )


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


def movement_out(movement: FundMovement) -> MovementOut:
    return MovementOut(
        id=movement.id or 0,
        kind=movement.kind.value,
        party=movement.party,
        amount_fen=movement.amount_fen,
        conditions=list(movement.conditions),
        note=movement.note,
        case_id=movement.case_id,
        settlement_id=movement.settlement_id,
        recorded_by=movement.recorded_by,
        recorded_at=movement.recorded_at,
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


@router.get("/regions/{region}/fund", response_model=FundOut)
def fund_statement(region: RegionCode, actor: ActorDep, uow: UowDep) -> FundOut:
    """The regional fund's account: received, paid out, balance, in fen, with every
    movement and the region's in-kind deliveries."""
    book = fund.book(uow, actor, region)
    statement = book.statement
    return FundOut(
        fund=statement.fund,
        received_fen=statement.received_fen,
        paid_fen=statement.paid_fen,
        balance_fen=statement.balance_fen,
        movements=[movement_out(m) for m in book.movements],
        deliveries=[delivery_out(d) for d in book.deliveries],
        dues=[
            DueOut(
                settlement_id=d.settlement_id, risk_id=d.risk_id, payee=d.payee, due_fen=d.due_fen
            )
            for d in book.dues
        ],
        penalties_due=[
            PenaltyDueOut(
                case_id=p.case_id, party=p.party, penalty=p.penalty, provided_fen=p.provided_fen
            )
            for p in book.penalties_due
        ],
    )


@router.post("/regions/{region}/fund/contributions", response_model=MovementOut, status_code=201)
def contribute(
    region: RegionCode, body: ContributionIn, actor: ActorDep, uow: UowDep
) -> MovementOut:
    """The committee records a province's or the central office's contribution."""
    movement = fund.contribute(
        uow,
        actor,
        region,
        contributor=body.contributor,
        amount_yuan=body.amount_yuan,
        conditions=body.conditions,
        now=utc_now(),
    )
    return movement_out(movement)


@router.post("/cases/{case_id}/penalty", response_model=MovementOut, status_code=201)
def penalty(case_id: RowId, body: PenaltyIn, actor: ActorDep, uow: UowDep) -> MovementOut:
    """The committee pays a case's penalty, as its agreement provides, into the fund."""
    movement = fund.charge_penalty(
        uow, actor, case_id, amount_yuan=body.amount_yuan, reason=body.reason, now=utc_now()
    )
    return movement_out(movement)


@router.post("/regions/{region}/fund/payouts", response_model=MovementOut, status_code=201)
def payout(region: RegionCode, body: PayoutIn, actor: ActorDep, uow: UowDep) -> MovementOut:
    """The committee pays an approved statement's payee out of the fund, never beyond what
    the statement leaves it due nor beyond the fund's balance."""
    movement = fund.pay_out(
        uow,
        actor,
        region,
        settlement_id=body.settlement_id,
        payee=body.payee,
        amount_yuan=body.amount_yuan,
        note=body.note,
        now=utc_now(),
    )
    return movement_out(movement)


@router.get("/settlements/{settlement_id}/in-kind", response_model=InKindOut)
def in_kind_account(settlement_id: RowId, actor: ActorDep, uow: UowDep) -> InKindOut:
    """What was delivered in kind on a statement, and its transfers settled with it."""
    found = in_kind.account(uow, actor, settlement_id)
    return InKindOut(
        settlement_id=settlement_id,
        deliveries=[delivery_out(d) for d in found.deliveries],
        transfers=[transfer_out(t) for t in found.settled.transfers],
    )


@router.post("/settlements/{settlement_id}/in-kind", response_model=DeliveryOut, status_code=201)
def deliver_in_kind(
    settlement_id: RowId, body: DeliveryIn, actor: ActorDep, uow: UowDep
) -> DeliveryOut:
    """The committee records goods or services delivered in kind on an approved statement."""
    delivery = in_kind.record_delivery(
        uow,
        actor,
        settlement_id,
        provider=body.provider,
        recipient=body.recipient,
        description=body.description,
        quantity=body.quantity,
        unit_value_yuan=body.unit_value_yuan,
        delivered_on=body.delivered_on,
        evidence=body.evidence,
        now=utc_now(),
    )
    return delivery_out(delivery)
