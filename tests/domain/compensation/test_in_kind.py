"""Deliveries in kind on an approved statement and what a payout may still pay: pure."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime

import pytest

from crossrisk.domain.compensation.in_kind import (
    InKindDelivery,
    check_delivery,
    payout_due_fen,
    settled,
)
from crossrisk.domain.compensation.ledger import (
    FundMovement,
    FundMovementKind,
    SettlementRule,
    SettlementState,
    Statement,
)
from crossrisk.domain.compensation.settlement import Form, Transfer
from crossrisk.domain.errors import InvalidInput, InvalidTransition

AT = datetime(2026, 4, 1, tzinfo=UTC)
HS, HZ, QZ = "341000", "330100", "330800"
# Hangzhou owes Huangshan 150,000 yuan; Quzhou owes Huangshan 20,000.
STATEMENT = Statement(
    id=3,
    risk_id=12,
    region_code="yrd",
    rule=SettlementRule.SHAPLEY,
    inputs={},
    transfers=(Transfer(HZ, HS, 15_000_000), Transfer(QZ, HS, 2_000_000)),
    borne_fen={},
    due_fen={},
    state=SettlementState.APPROVED,
    proposed_by="committee",
    proposed_at=AT,
)


def places(quantity: int = 10, **changes: object) -> InKindDelivery:
    delivery = InKindDelivery(
        id=None,
        settlement_id=3,
        region_code="yrd",
        provider=HZ,
        recipient=HS,
        description="应急培训名额",
        quantity=quantity,
        unit_value_fen=200_000,
        delivered_on=date(2026, 4, 1),
        evidence="签到表",
        recorded_by="committee",
        recorded_at=AT,
    )
    return replace(delivery, **changes)  # type: ignore[arg-type]


def payout(amount_fen: int, payee: str = HS, settlement_id: int = 3) -> FundMovement:
    return FundMovement(
        id=None,
        region_code="yrd",
        kind=FundMovementKind.PAYOUT,
        party=payee,
        amount_fen=amount_fen,
        conditions=(),
        note="",
        recorded_by="committee",
        recorded_at=AT,
        settlement_id=settlement_id,
    )


def test_a_delivery_counts_as_payment_and_money_settles_the_rest() -> None:
    delivery = check_delivery(STATEMENT, [], places())

    assert settled(STATEMENT, [delivery]).transfers == (
        Transfer(HZ, HS, 2_000_000, form=Form.IN_KIND, note="应急培训名额"),
        Transfer(HZ, HS, 13_000_000),
        Transfer(QZ, HS, 2_000_000),
    )


def test_a_payout_pays_what_the_statement_leaves_due_less_what_was_paid_on_it() -> None:
    delivered = [places()]

    assert payout_due_fen(STATEMENT, delivered, [], HS) == 15_000_000
    assert payout_due_fen(STATEMENT, delivered, [payout(5_000_000)], HS) == 10_000_000
    # Paid on another statement, or to another payee, it does not count here.
    assert payout_due_fen(STATEMENT, [], [payout(5_000_000, settlement_id=4)], HS) == 17_000_000
    assert payout_due_fen(STATEMENT, [], [], HZ) == 0


@pytest.mark.parametrize(
    ("delivery", "earlier", "key"),
    [
        (places(provider=HS, recipient=HZ), [], "in-kind-party-invalid"),
        (places(provider=QZ, recipient=HZ), [], "in-kind-party-invalid"),
        (places(76), [], "in-kind-beyond-due"),
        (places(40), [places(36)], "in-kind-beyond-due"),
        (places(0), [], "in-kind-quantity-invalid"),
        (places(delivered_on=date(1900, 1, 1)), [], "cost-date-invalid"),
        (places(evidence=""), [], "cost-evidence-missing"),
    ],
)
def test_a_delivery_beyond_what_is_owed_or_between_others_is_refused(
    delivery: InKindDelivery, earlier: list[InKindDelivery], key: str
) -> None:
    with pytest.raises(InvalidInput) as refused:
        check_delivery(STATEMENT, earlier, delivery)

    assert refused.value.key == key


def test_nothing_is_delivered_on_a_statement_not_approved() -> None:
    proposal = replace(STATEMENT, state=SettlementState.PROPOSED)

    with pytest.raises(InvalidTransition) as refused:
        check_delivery(proposal, [], places())

    assert refused.value.key == "in-kind-not-approved"
