"""What a donor keeps for itself: its reserve per item (issue 11, "Allocation").

By default a donor keeps what its own exposure in the same scenario needs (the shortfall
computes each jurisdiction's need per item; the caller passes it in), never more than it
holds. A region may set a rule per item instead, for every donor: a fraction of the stock
(keep 20 % of the boats) or an absolute quantity (keep 500 tents), again at most the stock.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass

from crossrisk.domain.aid.catalogue import valid_quantity
from crossrisk.domain.errors import InvalidInput


@dataclass(frozen=True, slots=True)
class ReserveRule:
    """An item's reserve for every donor: a fraction of its stock, or a quantity."""

    fraction: float | None = None
    quantity: float | None = None

    def __post_init__(self) -> None:
        if (self.fraction is None) == (self.quantity is None):
            raise InvalidInput(
                "a reserve rule is either a fraction of the stock or a quantity",
                key="invalid-reserve-rule",
            )
        if self.fraction is not None and (
            isinstance(self.fraction, bool)
            or not isinstance(self.fraction, int | float)
            or not math.isfinite(self.fraction)
            or not 0 <= self.fraction <= 1
        ):
            raise InvalidInput(
                "a reserve fraction is a number from 0 to 1",
                key="invalid-reserve-fraction",
                params={"fraction": self.fraction},
            )
        if self.quantity is not None:
            valid_quantity(self.quantity)

    def of(self, stock: float) -> float:
        """The reserve this rule keeps out of `stock`."""
        if self.fraction is not None:
            return stock * self.fraction
        assert self.quantity is not None
        return min(float(self.quantity), stock)


def reserve(
    stock: Mapping[str, float],
    *,
    own_need: Mapping[str, float],
    rules: Mapping[str, ReserveRule] | None = None,
) -> dict[str, float]:
    """One donor's reserve per item it holds: the item's rule, else its own need (≤ stock)."""
    rules = rules or {}
    kept: dict[str, float] = {}
    for item, held in stock.items():
        held = valid_quantity(held)
        rule = rules.get(item)
        if rule is not None:
            kept[item] = min(rule.of(held), held)
        else:
            kept[item] = min(valid_quantity(own_need.get(item, 0.0)), held)
    return kept


def reserves(
    stocks: Mapping[str, Mapping[str, float]],
    *,
    own_needs: Mapping[str, Mapping[str, float]],
    rules: Mapping[str, ReserveRule] | None = None,
) -> dict[str, dict[str, float]]:
    """Every donor's reserve per item, by jurisdiction (a donor with no need listed: none)."""
    return {
        jurisdiction: reserve(stock, own_need=own_needs.get(jurisdiction, {}), rules=rules)
        for jurisdiction, stock in stocks.items()
    }
