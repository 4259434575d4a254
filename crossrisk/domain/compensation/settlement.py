"""A settlement: who pays whom how much, under which rule, from which inputs.

Money is an integer number of fen (分, 0.01 yuan) everywhere in the rules: sums and
differences are then exact, and a statement balances to the fen. A rule that divides an
amount apportions it by the largest-remainder method (Hamilton's), so the parts add up
to the whole exactly; the remainder fen go to the largest fractional parts, ties to the
party listed first.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from enum import StrEnum
from fractions import Fraction

from crossrisk.domain.errors import InvalidInput

FEN_PER_YUAN = 100
# A trillion yuan: far above any regional budget, so a typo of extra digits is caught.
MAX_FEN = 10**12 * FEN_PER_YUAN


class Form(StrEnum):
    MONEY = "money"
    IN_KIND = "in_kind"


@dataclass(frozen=True, slots=True)
class Transfer:
    """One payment: payer to payee, in fen; in kind when goods or services were delivered."""

    payer: str
    payee: str
    amount_fen: int
    form: Form = Form.MONEY
    note: str = ""

    @property
    def yuan(self) -> Decimal:
        return Decimal(self.amount_fen) / FEN_PER_YUAN


@dataclass(frozen=True, slots=True)
class Settlement:
    """The transfers a rule decides, with the rule's name and the inputs it was given."""

    rule: str
    inputs: Mapping[str, object]
    transfers: tuple[Transfer, ...]
    # What each party bears in the end under the rule (a share of a joint cost), where the
    # rule defines one; empty for rules that only move money.
    due_fen: Mapping[str, int] = field(default_factory=dict)

    def net_fen(self) -> dict[str, int]:
        """Each party's net receipt (positive: receives), in-kind deliveries included."""
        net: dict[str, int] = {}
        for t in self.transfers:
            net[t.payer] = net.get(t.payer, 0) - t.amount_fen
            net[t.payee] = net.get(t.payee, 0) + t.amount_fen
        return net


def fen(amount: int | str | Decimal, *, what: str = "an amount") -> int:
    """Yuan (int, decimal string or Decimal, at most two decimals) as integer fen."""
    if isinstance(amount, bool | float):
        # Binary floats cannot hold most fen exactly; money comes as text or Decimal.
        raise InvalidInput(f"{what} must be given as a decimal string or integer, not {amount!r}")
    try:
        value = Decimal(amount)
    except (InvalidOperation, TypeError, ValueError):
        raise InvalidInput(f"{what} is not a number: {amount!r}") from None
    if not value.is_finite():
        raise InvalidInput(f"{what} is not finite")
    scaled = value * FEN_PER_YUAN
    if scaled != scaled.to_integral_value():
        raise InvalidInput(f"{what} has more than two decimals: {amount}")
    return check_amount(int(scaled), what=what)


def check_amount(amount_fen: int, *, what: str = "an amount") -> int:
    """A non-negative, bounded amount in fen, or InvalidInput."""
    if isinstance(amount_fen, bool) or not isinstance(amount_fen, int):
        raise InvalidInput(f"{what} must be a whole number of fen")
    if amount_fen < 0:
        raise InvalidInput(f"{what} must not be negative: {amount_fen} fen")
    if amount_fen > MAX_FEN:
        raise InvalidInput(f"{what} is over a trillion yuan")
    return amount_fen


def apportion(total_fen: int, weights: Sequence[Fraction]) -> list[int]:
    """`total_fen` split in proportion to `weights` (≥ 0, not all 0), summing exactly to it."""
    check_amount(total_fen, what="the amount to divide")
    whole = sum(weights, Fraction(0))
    if whole <= 0 or any(w < 0 for w in weights):
        raise InvalidInput("an amount is divided by non-negative weights, not all zero")
    exact = [Fraction(total_fen) * w / whole for w in weights]
    parts = [int(x) for x in exact]  # floor: every exact part is ≥ 0
    left = total_fen - sum(parts)
    by_remainder = sorted(range(len(exact)), key=lambda i: (-(exact[i] - parts[i]), i))
    for i in by_remainder[:left]:
        parts[i] += 1
    return parts


def net_transfers(balance_fen: Mapping[str, int], *, note: str = "") -> tuple[Transfer, ...]:
    """Money transfers that clear balances (positive: owes; negative: is owed), summing to 0.

    Debtors pay creditors in the order the balances are listed, each payment as large as
    both allow: at most one transfer fewer than the parties involved.
    """
    if sum(balance_fen.values()) != 0:
        raise InvalidInput("balances to clear must sum to zero")
    debtors = [(p, b) for p, b in balance_fen.items() if b > 0]
    creditors = [(p, -b) for p, b in balance_fen.items() if b < 0]
    transfers: list[Transfer] = []
    d = c = 0
    owed_by = debtors[0][1] if debtors else 0
    owed_to = creditors[0][1] if creditors else 0
    while d < len(debtors) and c < len(creditors):
        amount = min(owed_by, owed_to)
        transfers.append(Transfer(debtors[d][0], creditors[c][0], amount, note=note))
        owed_by -= amount
        owed_to -= amount
        if owed_by == 0:
            d += 1
            owed_by = debtors[d][1] if d < len(debtors) else 0
        if owed_to == 0:
            c += 1
            owed_to = creditors[c][1] if c < len(creditors) else 0
    return tuple(transfers)
