"""In-kind deliveries on approved statements: training places, equipment or platform work
one party delivered to another instead of money, valued and recorded with their evidence.

The committee records each delivery (settlement.delivered_in_kind); the statement's money
is then what it leaves after the deliveries (domain/compensation/in_kind.py), which is
what a fund payout on the statement may pay at most.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from crossrisk.domain.compensation.in_kind import InKindDelivery, check_delivery, settled
from crossrisk.domain.compensation.ledger import Statement
from crossrisk.domain.compensation.settlement import Settlement
from crossrisk.domain.errors import NotPermitted
from crossrisk.domain.organisation import Actor
from crossrisk.domain.permissions.compensation import can_settle
from crossrisk.domain.permissions.regions import require_read_region
from crossrisk.services.costs import checked_amount, checked_id
from crossrisk.services.settlements import lock_settled
from crossrisk.store.uow import UnitOfWork


@dataclass(frozen=True, slots=True)
class InKindAccount:
    """An approved statement, what was delivered on it, and its transfers settled with them."""

    statement: Statement
    deliveries: tuple[InKindDelivery, ...]
    settled: Settlement


def record_delivery(
    uow: UnitOfWork,
    actor: Actor,
    settlement_id: int,
    *,
    provider: str,
    recipient: str,
    description: str,
    quantity: int,
    unit_value_yuan: str | int | Decimal,
    delivered_on: date,
    evidence: str,
    now: datetime,
) -> InKindDelivery:
    """The committee records goods or services delivered in kind on an approved statement."""
    unit_value_fen = checked_amount(unit_value_yuan)
    with uow as tx:
        statement = tx.compensation.statement(checked_id(settlement_id, "settlement"))
        if not can_settle(actor, statement.region_code):
            raise NotPermitted(
                "only the region's committee records what was delivered in kind",
                key="in-kind-not-committee",
                params={"settlement": settlement_id},
            )
        # The lock serialises two deliveries against what is owed.
        lock_settled(tx, statement)
        earlier = tx.compensation.deliveries_of(settlement_id)
        delivery = check_delivery(
            statement,
            earlier,
            InKindDelivery(
                id=None,
                settlement_id=settlement_id,
                region_code=statement.region_code,
                provider=str(provider)[:64],
                recipient=str(recipient)[:64],
                description=description,
                quantity=quantity,
                unit_value_fen=unit_value_fen,
                delivered_on=delivered_on,
                evidence=evidence,
                recorded_by=actor.username,
                recorded_at=now,
            ),
        )
        saved = tx.compensation.add_delivery(delivery)
        tx.record(
            actor,
            "settlement.delivered_in_kind",
            subject=f"settlement:{settlement_id}",
            payload={
                "settlement": settlement_id,
                "delivery": saved.id,
                "provider": saved.provider,
                "recipient": saved.recipient,
                "description": saved.description,
                "quantity": saved.quantity,
                "unit_value_fen": saved.unit_value_fen,
                "value_fen": saved.value_fen,
                "delivered_on": saved.delivered_on.isoformat(),
                "evidence": saved.evidence,
            },
            region_code=statement.region_code,
            now=now,
        )
        tx.commit()
    return saved


def account(uow: UnitOfWork, actor: Actor, settlement_id: int) -> InKindAccount:
    """A statement with its in-kind deliveries and the money left after them."""
    with uow.read_only() as tx:
        statement = tx.compensation.statement(checked_id(settlement_id, "settlement"))
        require_read_region(actor, statement.region_code)
        deliveries = tuple(tx.compensation.deliveries_of(settlement_id))
        return InKindAccount(statement, deliveries, settled(statement, deliveries))
