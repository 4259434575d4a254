"""Loading and saving cost lines, loss-avoided estimates, settlements and fund movements."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from crossrisk.domain.compensation.evidence import EvidenceFile
from crossrisk.domain.compensation.in_kind import InKindDelivery
from crossrisk.domain.compensation.ledger import (
    CostCategory,
    CostKind,
    CostLine,
    FundMovement,
    FundMovementKind,
    SettlementRule,
    SettlementState,
    Statement,
)
from crossrisk.domain.compensation.settlement import Form, Transfer
from crossrisk.domain.errors import NotFound
from crossrisk.store.models import (
    CostEvidenceRow,
    CostLineRow,
    FundMovementRow,
    InKindDeliveryRow,
    LossAvoidedRow,
    SettlementRow,
)


class CompensationRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    # The ledger.

    def add_cost(self, line: CostLine) -> CostLine:
        """Insert a cost line and return it with its id."""
        row = CostLineRow(
            risk_id=line.risk_id,
            region_code=line.region_code,
            party=line.party,
            organisation_code=line.organisation_code,
            amount_fen=line.amount_fen,
            category=line.category.value,
            spent_on=line.spent_on,
            evidence=line.evidence,
            kind=line.kind.value,
            aid_request_id=line.aid_request_id,
            reimbursed_by=line.reimbursed_by,
            protects=list(line.protects),
            drill=line.drill,
            recorded_by=line.recorded_by,
            recorded_at=line.recorded_at,
        )
        self.session.add(row)
        self.session.flush()
        return _cost(row)

    def cost(self, line_id: int) -> CostLine:
        """The cost line with this id, or NotFound."""
        row = self.session.get(CostLineRow, line_id, populate_existing=True)
        if row is None:
            raise NotFound(
                f"cost line {line_id} does not exist",
                key="cost-unknown",
                params={"line": line_id},
            )
        return _cost(row)

    def withdraw_cost(self, line: CostLine) -> CostLine:
        """Mark a line withdrawn (kept for the record, left out of every statement)."""
        row = self.session.get(CostLineRow, line.id)
        assert row is not None
        row.withdrawn_at = line.withdrawn_at
        row.withdrawn_by = line.withdrawn_by
        self.session.flush()
        return _cost(row)

    def costs_of(self, risk_id: int) -> list[CostLine]:
        """Every cost line of a risk, withdrawn ones included, in the order recorded."""
        statement = (
            select(CostLineRow).where(CostLineRow.risk_id == risk_id).order_by(CostLineRow.id)
        )
        return [_cost(row) for row in self.session.scalars(statement)]

    # Evidence files.

    def add_evidence(self, evidence: EvidenceFile, content: bytes) -> EvidenceFile:
        """Keep a file attached to a cost line and return its metadata with its id."""
        row = CostEvidenceRow(
            line_id=evidence.line_id,
            file_name=evidence.file_name,
            media_type=evidence.media_type,
            size=evidence.size,
            sha256=evidence.sha256,
            content=content,
            attached_by=evidence.attached_by,
            attached_at=evidence.attached_at,
        )
        self.session.add(row)
        self.session.flush()
        return _evidence(row)

    def evidence_count(self, line_id: int) -> int:
        """How many files a cost line holds."""
        statement = select(func.count()).where(CostEvidenceRow.line_id == line_id)
        return int(self.session.scalar(statement) or 0)

    def evidence_of(self, line_ids: list[int]) -> dict[int, list[EvidenceFile]]:
        """The files of these lines (metadata only), by line, in the order attached."""
        found: dict[int, list[EvidenceFile]] = {i: [] for i in line_ids}
        if not line_ids:
            return found
        statement = (
            select(*_EVIDENCE_COLUMNS)
            .where(CostEvidenceRow.line_id.in_(line_ids))
            .order_by(CostEvidenceRow.id)
        )
        for row in self.session.execute(statement):
            found[row.line_id].append(EvidenceFile(**row._asdict()))
        return found

    def evidence_file(self, line_id: int, file_id: int) -> tuple[EvidenceFile, bytes]:
        """A line's file with its bytes, or NotFound."""
        row = self.session.get(CostEvidenceRow, file_id)
        if row is None or row.line_id != line_id:
            raise NotFound(
                f"cost line {line_id} has no file {file_id}",
                key="cost-evidence-unknown",
                params={"line": line_id, "file": file_id},
            )
        return _evidence(row), row.content

    # Loss-avoided estimates (the beneficiary-pays rule's basis).

    def set_loss_avoided(
        self, risk_id: int, party: str, amount_fen: int, *, basis: str, by: str, now: Any
    ) -> None:
        """Enter or replace a party's estimate of the loss it avoided."""
        row = self.session.scalar(
            select(LossAvoidedRow).where(
                LossAvoidedRow.risk_id == risk_id, LossAvoidedRow.party == party
            )
        )
        if row is None:
            row = LossAvoidedRow(risk_id=risk_id, party=party)
            self.session.add(row)
        row.amount_fen = amount_fen
        row.basis = basis
        row.recorded_by = by
        row.recorded_at = now
        self.session.flush()

    def loss_avoided(self, risk_id: int) -> dict[str, int]:
        """Each party's loss-avoided estimate for the risk, in fen."""
        statement = select(LossAvoidedRow).where(LossAvoidedRow.risk_id == risk_id)
        return {row.party: row.amount_fen for row in self.session.scalars(statement)}

    # Statements.

    def add_statement(self, statement: Statement) -> Statement:
        """Insert a proposed statement and return it with its id."""
        row = SettlementRow(
            risk_id=statement.risk_id,
            region_code=statement.region_code,
            rule=statement.rule.value,
            inputs=dict(statement.inputs),
            transfers=[_transfer_json(t) for t in statement.transfers],
            borne=dict(statement.borne_fen),
            due=dict(statement.due_fen),
            state=statement.state.value,
            proposed_by=statement.proposed_by,
            proposed_at=statement.proposed_at,
            agreement_id=statement.agreement_id,
            round=statement.round,
            period_from=statement.period_from,
            period_to=statement.period_to,
            station_code=statement.station_code,
        )
        self.session.add(row)
        self.session.flush()
        return _statement(row)

    def statement(self, settlement_id: int) -> Statement:
        """The statement with this id, or NotFound."""
        row = self.session.get(SettlementRow, settlement_id, populate_existing=True)
        if row is None:
            raise NotFound(
                f"settlement {settlement_id} does not exist",
                key="settlement-unknown",
                params={"settlement": settlement_id},
            )
        return _statement(row)

    def decide_statement(self, statement: Statement) -> Statement:
        """Write a statement's new state, with who decided and when."""
        row = self.session.get(SettlementRow, statement.id)
        assert row is not None
        row.state = statement.state.value
        row.decided_by = statement.decided_by
        row.decided_at = statement.decided_at
        self.session.flush()
        return _statement(row)

    def statements_of(self, risk_id: int) -> list[Statement]:
        """Every statement of a risk, oldest first."""
        statement = (
            select(SettlementRow).where(SettlementRow.risk_id == risk_id).order_by(SettlementRow.id)
        )
        return [_statement(row) for row in self.session.scalars(statement)]

    def statements_of_agreement(self, agreement_id: int) -> list[Statement]:
        """Every period statement drawn up under an agreement, oldest first."""
        statement = (
            select(SettlementRow)
            .where(SettlementRow.agreement_id == agreement_id)
            .order_by(SettlementRow.id)
        )
        return [_statement(row) for row in self.session.scalars(statement)]

    def statements_of_period(
        self, agreement_id: int, *, period_from: date, period_to: date
    ) -> list[Statement]:
        """Every statement of an agreement's period (at any station), oldest first."""
        statement = (
            select(SettlementRow)
            .where(
                SettlementRow.agreement_id == agreement_id,
                SettlementRow.period_from == period_from,
                SettlementRow.period_to == period_to,
            )
            .order_by(SettlementRow.id)
        )
        return [_statement(row) for row in self.session.scalars(statement)]

    def approved_in(self, region_code: str) -> list[Statement]:
        """The region's approved statements, oldest first."""
        statement = (
            select(SettlementRow)
            .where(
                SettlementRow.region_code == region_code,
                SettlementRow.state == SettlementState.APPROVED.value,
            )
            .order_by(SettlementRow.id)
        )
        return [_statement(row) for row in self.session.scalars(statement)]

    # The regional fund.

    def add_movement(self, movement: FundMovement) -> FundMovement:
        """Insert a fund movement and return it with its id."""
        row = FundMovementRow(
            region_code=movement.region_code,
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
        self.session.add(row)
        self.session.flush()
        return _movement(row)

    def movements(self, region_code: str) -> list[FundMovement]:
        """The fund's movements of a region, in the order recorded."""
        statement = (
            select(FundMovementRow)
            .where(FundMovementRow.region_code == region_code)
            .order_by(FundMovementRow.id)
        )
        return [_movement(row) for row in self.session.scalars(statement)]

    def penalty_of_case(self, case_id: int) -> FundMovement | None:
        """The penalty already paid in for a case, if any."""
        row = self.session.scalar(select(FundMovementRow).where(FundMovementRow.case_id == case_id))
        return None if row is None else _movement(row)

    # What was delivered in kind on approved statements.

    def add_delivery(self, delivery: InKindDelivery) -> InKindDelivery:
        """Insert an in-kind delivery and return it with its id."""
        row = InKindDeliveryRow(
            settlement_id=delivery.settlement_id,
            region_code=delivery.region_code,
            provider=delivery.provider,
            recipient=delivery.recipient,
            description=delivery.description,
            quantity=delivery.quantity,
            unit_value_fen=delivery.unit_value_fen,
            delivered_on=delivery.delivered_on,
            evidence=delivery.evidence,
            recorded_by=delivery.recorded_by,
            recorded_at=delivery.recorded_at,
        )
        self.session.add(row)
        self.session.flush()
        return _delivery(row)

    def deliveries_of(self, settlement_id: int) -> list[InKindDelivery]:
        """A statement's in-kind deliveries, in the order recorded."""
        statement = (
            select(InKindDeliveryRow)
            .where(InKindDeliveryRow.settlement_id == settlement_id)
            .order_by(InKindDeliveryRow.id)
        )
        return [_delivery(row) for row in self.session.scalars(statement)]

    def deliveries_in(self, region_code: str) -> list[InKindDelivery]:
        """The region's in-kind deliveries, in the order recorded."""
        statement = (
            select(InKindDeliveryRow)
            .where(InKindDeliveryRow.region_code == region_code)
            .order_by(InKindDeliveryRow.id)
        )
        return [_delivery(row) for row in self.session.scalars(statement)]


def _transfer_json(transfer: Transfer) -> dict[str, Any]:
    return {
        "payer": transfer.payer,
        "payee": transfer.payee,
        "amount_fen": transfer.amount_fen,
        "form": transfer.form.value,
        "note": transfer.note,
    }


_EVIDENCE_COLUMNS = (
    CostEvidenceRow.id,
    CostEvidenceRow.line_id,
    CostEvidenceRow.file_name,
    CostEvidenceRow.media_type,
    CostEvidenceRow.size,
    CostEvidenceRow.sha256,
    CostEvidenceRow.attached_by,
    CostEvidenceRow.attached_at,
)


def _evidence(row: CostEvidenceRow) -> EvidenceFile:
    return EvidenceFile(
        id=row.id,
        line_id=row.line_id,
        file_name=row.file_name,
        media_type=row.media_type,
        size=row.size,
        sha256=row.sha256,
        attached_by=row.attached_by,
        attached_at=row.attached_at,
    )


def _cost(row: CostLineRow) -> CostLine:
    return CostLine(
        id=row.id,
        risk_id=row.risk_id,
        region_code=row.region_code,
        party=row.party,
        organisation_code=row.organisation_code,
        amount_fen=row.amount_fen,
        category=CostCategory(row.category),
        spent_on=row.spent_on,
        evidence=row.evidence,
        kind=CostKind(row.kind),
        protects=tuple(row.protects),
        recorded_by=row.recorded_by,
        recorded_at=row.recorded_at,
        aid_request_id=row.aid_request_id,
        reimbursed_by=row.reimbursed_by,
        drill=row.drill,
        withdrawn_at=row.withdrawn_at,
        withdrawn_by=row.withdrawn_by,
    )


def _statement(row: SettlementRow) -> Statement:
    return Statement(
        id=row.id,
        risk_id=row.risk_id,
        region_code=row.region_code,
        rule=SettlementRule(row.rule),
        inputs=dict(row.inputs),
        transfers=tuple(
            Transfer(t["payer"], t["payee"], t["amount_fen"], Form(t["form"]), t["note"])
            for t in row.transfers
        ),
        borne_fen=dict(row.borne),
        due_fen=dict(row.due),
        state=SettlementState(row.state),
        proposed_by=row.proposed_by,
        proposed_at=row.proposed_at,
        decided_by=row.decided_by,
        decided_at=row.decided_at,
        agreement_id=row.agreement_id,
        round=row.round,
        period_from=row.period_from,
        period_to=row.period_to,
        station_code=row.station_code,
    )


def _movement(row: FundMovementRow) -> FundMovement:
    return FundMovement(
        id=row.id,
        region_code=row.region_code,
        kind=FundMovementKind(row.kind),
        party=row.party,
        amount_fen=row.amount_fen,
        conditions=tuple(row.conditions),
        note=row.note,
        recorded_by=row.recorded_by,
        recorded_at=row.recorded_at,
        case_id=row.case_id,
        settlement_id=row.settlement_id,
    )


def _delivery(row: InKindDeliveryRow) -> InKindDelivery:
    return InKindDelivery(
        id=row.id,
        settlement_id=row.settlement_id,
        region_code=row.region_code,
        provider=row.provider,
        recipient=row.recipient,
        description=row.description,
        quantity=row.quantity,
        unit_value_fen=row.unit_value_fen,
        delivered_on=row.delivered_on,
        evidence=row.evidence,
        recorded_by=row.recorded_by,
        recorded_at=row.recorded_at,
    )
