"""The regional fund: contributions with their conditions, penalties in, payouts out.

Third parties (the provinces, the central government) contribute to the regional fund and
may attach conditions (what the money may pay for, by when); penalties under an agreement
are paid into it (rules.penalty); compensation may be paid out of it. The fund is a party
like any other in the settlements, so its balance is what the settlements moved into it
less what they moved out, in the order they were approved, never below zero.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from crossrisk.domain.compensation.settlement import Settlement, Transfer, check_amount
from crossrisk.domain.errors import InvalidInput

MAX_CONDITIONS = 20
MAX_CONDITION_LENGTH = 500


@dataclass(frozen=True, slots=True)
class FundStatement:
    """What came into the fund, what went out, and what is left, in fen."""

    fund: str
    received_fen: int
    paid_fen: int
    balance_fen: int
    # Each movement with the rule that moved it, for the statement's lines.
    movements: tuple[tuple[str, Transfer], ...]


def fund_contribution(
    contributor: str, amount_fen: int, *, fund: str, conditions: Sequence[str] = ()
) -> Settlement:
    """A third party's contribution to the regional fund, with the conditions it attaches."""
    for party in (contributor, fund):
        if not isinstance(party, str) or not party.strip():
            raise InvalidInput("a contribution names its contributor and the fund")
    if contributor == fund:
        raise InvalidInput("the fund cannot contribute to itself")
    check_amount(amount_fen, what="the contribution")
    if len(conditions) > MAX_CONDITIONS:
        raise InvalidInput(f"at most {MAX_CONDITIONS} conditions")
    for condition in conditions:
        if not isinstance(condition, str) or not condition.strip():
            raise InvalidInput("a condition must be stated")
        if len(condition) > MAX_CONDITION_LENGTH:
            raise InvalidInput(f"a condition is at most {MAX_CONDITION_LENGTH} characters")
    inputs = {
        "contributor": contributor,
        "fund": fund,
        "amount_fen": amount_fen,
        "conditions": list(conditions),
    }
    transfers = (
        (Transfer(contributor, fund, amount_fen, note="contribution"),) if amount_fen else ()
    )
    return Settlement("fund_contribution", inputs, transfers)


def fund_statement(fund: str, settlements: Sequence[Settlement]) -> FundStatement:
    """The fund's account over approved settlements, in order; refused if it would overdraw."""
    received = paid = 0
    movements: list[tuple[str, Transfer]] = []
    for settlement in settlements:
        for transfer in settlement.transfers:
            if transfer.payee == fund:
                received += transfer.amount_fen
            elif transfer.payer == fund:
                paid += transfer.amount_fen
                if paid > received:
                    raise InvalidInput(
                        f"the fund would pay out {paid} fen with only {received} fen received"
                    )
            else:
                continue
            movements.append((settlement.rule, transfer))
    return FundStatement(fund, received, paid, received - paid, tuple(movements))
