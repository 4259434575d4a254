"""What was delivered in kind on an approved statement, and what money is still due.

A party that owes money under an approved statement may settle part of it in kind
(training places, equipment, platform work), valued at quantity × unit value
(rules.settle_in_kind). Each delivery is recorded with its date and evidence; the
statement's money transfers are then those of the statement settled with every delivery
so far, and a fund payout on the statement pays at most what that leaves a payee due.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from crossrisk.domain.compensation.ledger import (
    EARLIEST_YEAR,
    EVIDENCE_MAX,
    LATEST_YEAR,
    NOTE_MAX,
    FundMovement,
    FundMovementKind,
    SettlementState,
    Statement,
    check_text,
    require_payable,
)
from crossrisk.domain.compensation.rules import InKindItem, settle_in_kind
from crossrisk.domain.compensation.settlement import Form, Settlement
from crossrisk.domain.errors import InvalidInput, InvalidTransition

QUANTITY_MAX = 10**9


@dataclass(frozen=True, slots=True)
class InKindDelivery:
    """Goods or services one party delivered to another on an approved statement."""

    id: int | None
    settlement_id: int
    region_code: str
    provider: str
    recipient: str
    description: str
    quantity: int
    unit_value_fen: int
    delivered_on: date
    evidence: str
    recorded_by: str
    recorded_at: datetime

    @property
    def value_fen(self) -> int:
        return self.quantity * self.unit_value_fen

    def as_item(self) -> InKindItem:
        return InKindItem(
            self.provider, self.recipient, self.description, self.quantity, self.unit_value_fen
        )


def as_settlement(statement: Statement) -> Settlement:
    """The statement's transfers as the rules' settlement."""
    return Settlement(
        statement.rule.value, dict(statement.inputs), statement.transfers, statement.due_fen
    )


def settled(statement: Statement, deliveries: Sequence[InKindDelivery]) -> Settlement:
    """The statement settled with the deliveries recorded on it: in kind first, money after."""
    return settle_in_kind(as_settlement(statement), [d.as_item() for d in deliveries])


def check_delivery(
    statement: Statement, earlier: Sequence[InKindDelivery], delivery: InKindDelivery
) -> InKindDelivery:
    """The delivery checked against the statement and what was delivered before it.

    Only an approved statement is settled; the provider must owe the recipient money under
    the statement, and what it delivers in kind may not pass what it owes: a delivery
    beyond that would turn the recipient into a debtor for goods it never asked for.
    """
    if statement.state is not SettlementState.APPROVED:
        raise InvalidTransition(
            f"statement {statement.id} is {statement.state.value}, not approved",
            key="in-kind-not-approved",
            params={"settlement": statement.id},
        )
    require_payable(statement)
    description = check_text(
        delivery.description, what="what was delivered", limit=NOTE_MAX, required=True
    )
    evidence = check_text(delivery.evidence, what="the evidence", limit=EVIDENCE_MAX, required=True)
    if not description or not evidence:
        raise InvalidInput("a delivery says what was delivered and what proves it")
    if not EARLIEST_YEAR <= delivery.delivered_on.year <= LATEST_YEAR:
        raise InvalidInput(
            f"the date {delivery.delivered_on.isoformat()} is not plausible",
            key="cost-date-invalid",
            params={"date": delivery.delivered_on.isoformat()},
        )
    quantity = delivery.quantity
    if (
        isinstance(quantity, bool)
        or not isinstance(quantity, int)
        or not 0 < quantity <= QUANTITY_MAX
    ):
        raise InvalidInput(
            "the quantity is a whole number above zero",
            key="in-kind-quantity-invalid",
            params={"quantity": str(quantity)[:20]},
        )
    owed = sum(
        t.amount_fen
        for t in statement.transfers
        if t.form is Form.MONEY and t.payer == delivery.provider and t.payee == delivery.recipient
    )
    if owed == 0:
        raise InvalidInput(
            f"{delivery.provider} owes {delivery.recipient} nothing under statement {statement.id}",
            key="in-kind-party-invalid",
            params={
                "provider": delivery.provider,
                "recipient": delivery.recipient,
                "settlement": statement.id,
            },
        )
    delivered = sum(
        d.value_fen
        for d in earlier
        if d.provider == delivery.provider and d.recipient == delivery.recipient
    )
    if delivered + delivery.value_fen > owed:
        raise InvalidInput(
            f"in kind {delivered + delivery.value_fen} fen would pass the {owed} fen owed",
            key="in-kind-beyond-due",
            params={"owed": f"{Decimal(owed) / 100:,.2f}", "settlement": statement.id},
        )
    checked = InKindDelivery(
        id=delivery.id,
        settlement_id=delivery.settlement_id,
        region_code=delivery.region_code,
        provider=delivery.provider,
        recipient=delivery.recipient,
        description=description,
        quantity=quantity,
        unit_value_fen=delivery.unit_value_fen,
        delivered_on=delivery.delivered_on,
        evidence=evidence,
        recorded_by=delivery.recorded_by,
        recorded_at=delivery.recorded_at,
    )
    settled(statement, [*earlier, checked])  # the rules' own checks of amounts and parties
    return checked


def payout_due_fen(
    statement: Statement,
    deliveries: Sequence[InKindDelivery],
    movements: Sequence[FundMovement],
    payee: str,
) -> int:
    """What the fund may still pay `payee` on the statement: the money the statement,
    settled with its deliveries, moves to the payee, less what the fund paid it on it."""
    due = sum(
        t.amount_fen
        for t in settled(statement, deliveries).transfers
        if t.form is Form.MONEY and t.payee == payee
    )
    paid = sum(
        m.amount_fen
        for m in movements
        if m.kind is FundMovementKind.PAYOUT
        and m.settlement_id == statement.id
        and m.party == payee
    )
    return max(due - paid, 0)
