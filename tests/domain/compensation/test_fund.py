"""The regional fund: contributions and penalties in, payouts out, never overdrawn."""

from __future__ import annotations

import pytest

from crossrisk.domain.compensation.fund import fund_contribution, fund_statement
from crossrisk.domain.compensation.rules import penalty
from crossrisk.domain.compensation.settlement import Settlement, Transfer
from crossrisk.domain.errors import InvalidInput

FUND = "regional fund"
MILLION = 1_000_000 * 100  # fen


def test_contributions_and_penalties_come_in_and_payouts_go_out() -> None:
    central = fund_contribution(
        "central government", 300 * MILLION, fund=FUND, conditions=["water protection only"]
    )
    anhui = fund_contribution("Anhui", 100 * MILLION, fund=FUND)
    fine = penalty("Quzhou", 5 * MILLION, fund=FUND, reason="commitment 17 broken")
    payout = Settlement("payout", {}, (Transfer(FUND, "Huangshan", 250 * MILLION),))

    statement = fund_statement(FUND, [central, anhui, fine, payout])

    assert statement.received_fen == 405 * MILLION
    assert statement.paid_fen == 250 * MILLION
    assert statement.balance_fen == 155 * MILLION
    assert [rule for rule, _ in statement.movements] == [
        "fund_contribution",
        "fund_contribution",
        "penalty",
        "payout",
    ]
    assert central.inputs["conditions"] == ["water protection only"]


def test_a_payout_beyond_what_the_fund_holds_is_refused() -> None:
    payout = Settlement("payout", {}, (Transfer(FUND, "Huangshan", 1),))
    with pytest.raises(InvalidInput, match="only 0 fen received"):
        fund_statement(FUND, [payout])


@pytest.mark.parametrize(
    ("contributor", "amount", "conditions", "message"),
    [
        (FUND, 1, [], "cannot contribute to itself"),
        ("Anhui", -1, [], "must not be negative"),
        ("Anhui", 1, [" "], "must be stated"),
        ("", 1, [], "names its contributor"),
    ],
)
def test_bad_contribution_is_refused(
    contributor: str, amount: int, conditions: list[str], message: str
) -> None:
    with pytest.raises(InvalidInput, match=message):
        fund_contribution(contributor, amount, fund=FUND, conditions=conditions)
