"""The cost-sharing rules of an agreement, each returning a settlement of transfers.

The parties of a joint response have each borne costs (`borne_fen`: what each actually
spent). A sharing rule decides what each *should* bear (`due_fen`); the difference is
settled by transfers from those who bore less than their due to those who bore more.
Amounts are integer fen (crossrisk.domain.compensation.settlement).

- Reimbursement: the requesting city pays each assisting city its documented aid costs,
  as the Emergency Management Assistance Compact reimburses an assisting state (EMAC
  Article IX; EMAC Reimbursement Guidelines: personnel, travel, equipment, commodities,
  other). Nothing is shared: aid costs pass to the requester whole.
- Weights: the joint cost split by weights agreed in advance (they must add up to 1).
- Proportional to cost: split in proportion to a cost basis per party (for instance each
  party's stand-alone response cost estimate). With the costs borne as the basis each
  bears its own, and nobody pays anybody.
- Proportional to exposed population: split in proportion to the people exposed in each.
- Beneficiary pays: split in proportion to the loss each party avoided (its benefit
  estimate), so the origin city, which avoids most of the loss, compensates the affected
  cities that bore costs with little gain (issue 15, "Rules").
- Shapley: split in proportion to the parties' Shapley values of the joint-cost game.
- In kind: training places, equipment or platform work delivered, valued at quantity ×
  unit value, count as payments from provider to recipient; money settles the rest.
- Penalty: a broken commitment or an upheld accountability case pays the penalty its
  agreement provides into the regional fund.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from fractions import Fraction

from crossrisk.domain.agreements.compensation import CompensationRuleName as Rule
from crossrisk.domain.compensation.settlement import (
    Form,
    Settlement,
    Transfer,
    apportion,
    check_amount,
    net_transfers,
)
from crossrisk.domain.errors import InvalidInput

# Weights written with a few decimals (0.333, 0.333, 0.334) or from a calculation may miss
# 1 by rounding; beyond this they are a mistake.
WEIGHT_SUM_TOLERANCE = Fraction(1, 10**9)
MAX_PARTIES = 1_000


@dataclass(frozen=True, slots=True)
class InKindItem:
    """Goods or services a party delivered to another instead of money, and their value."""

    provider: str
    recipient: str
    description: str
    quantity: int
    unit_value_fen: int

    @property
    def value_fen(self) -> int:
        return self.quantity * self.unit_value_fen


def reimbursement(
    requester: str, aid_costs_fen: Mapping[str, int], *, share: object = 1
) -> Settlement:
    """The requesting city pays each assisting city the agreed share of its aid costs.

    `share` is the agreement's `reimburse_aid_costs` share (1: all of it); each amount is
    rounded to the fen, half a fen up.
    """
    _check_party(requester)
    costs = _amounts(aid_costs_fen, what="aid cost")
    if requester in costs:
        raise InvalidInput(f"{requester!r} requested the aid and cannot reimburse itself")
    part = _fraction(share, what="the share reimbursed")
    if part > 1:
        raise InvalidInput("the share reimbursed must be between 0 and 1")
    transfers = []
    for helper, amount in costs.items():
        owed = int(Fraction(amount) * part + Fraction(1, 2))
        if owed > 0:
            transfers.append(Transfer(requester, helper, owed, note="aid costs reimbursed"))
    shown = str(Decimal(part.numerator) / Decimal(part.denominator))
    inputs = {"requester": requester, "aid_costs_fen": dict(costs), "share": shown}
    return Settlement(Rule.REIMBURSE_AID_COSTS, inputs, tuple(transfers))


def by_weights(
    borne_fen: Mapping[str, int], weights: Mapping[str, object], *, cap_fen: int | None = None
) -> Settlement:
    """The joint cost split by agreed weights, which must add up to one."""
    exact = {party: _weight(party, w) for party, w in weights.items()}
    total = sum(exact.values(), Fraction(0))
    if abs(total - 1) > WEIGHT_SUM_TOLERANCE:
        raise InvalidInput(f"the weights add up to {float(total):.6g}, not 1")
    basis = {p: str(w) for p, w in weights.items()}
    return _share("weights", borne_fen, exact, basis=basis, cap_fen=cap_fen)


def proportional_to_cost(
    borne_fen: Mapping[str, int],
    basis_fen: Mapping[str, int] | None = None,
    *,
    cap_fen: int | None = None,
) -> Settlement:
    """The joint cost split in proportion to a cost basis per party (default: what each bore)."""
    basis = _amounts(basis_fen if basis_fen is not None else borne_fen, what="cost basis")
    weights = {party: Fraction(amount) for party, amount in basis.items()}
    return _share(Rule.PROPORTIONAL_TO_COST, borne_fen, weights, basis=dict(basis), cap_fen=cap_fen)


def proportional_to_population(
    borne_fen: Mapping[str, int],
    exposed_population: Mapping[str, int],
    *,
    cap_fen: int | None = None,
) -> Settlement:
    """The joint cost split in proportion to the population exposed in each party."""
    people = _amounts(exposed_population, what="exposed population")
    weights = {party: Fraction(count) for party, count in people.items()}
    return _share(
        Rule.PROPORTIONAL_TO_POPULATION, borne_fen, weights, basis=dict(people), cap_fen=cap_fen
    )


def beneficiary_pays(
    borne_fen: Mapping[str, int],
    loss_avoided_fen: Mapping[str, int],
    *,
    cap_fen: int | None = None,
) -> Settlement:
    """The joint cost split in proportion to the loss each party avoided."""
    avoided = _amounts(loss_avoided_fen, what="loss avoided")
    weights = {party: Fraction(amount) for party, amount in avoided.items()}
    return _share(Rule.BENEFICIARY_PAYS, borne_fen, weights, basis=dict(avoided), cap_fen=cap_fen)


def shapley_sharing(
    borne_fen: Mapping[str, int], shares: Mapping[str, float], *, cap_fen: int | None = None
) -> Settlement:
    """The joint cost split in proportion to each party's Shapley value of the cost game.

    The shares come from crossrisk.domain.compensation.shapley; when the game's v(N) is the
    joint cost, each party's due is its Shapley value apportioned to the fen.
    """
    weights: dict[str, Fraction] = {}
    for party, share in shares.items():
        if isinstance(share, bool) or not isinstance(share, int | float):
            raise InvalidInput(f"the Shapley share of {party!r} is not a number")
        if not math.isfinite(share) or share < 0:
            raise InvalidInput(f"the Shapley share of {party!r} must be finite and ≥ 0")
        # Read as the nearest fraction of denominator ≤ 10⁶: a share of 80000/3 computed as
        # 26666.666666666668 is then 80000/3 again, so binary noise cannot decide who gets
        # a remainder fen; no share moves by as much as 10⁻⁶ of its unit (a millionth of a
        # yuan for a game in yuan).
        weights[party] = Fraction(share).limit_denominator(10**6)
    return _share(Rule.SHAPLEY, borne_fen, weights, basis=dict(shares), cap_fen=cap_fen)


def settle_in_kind(settlement: Settlement, delivered: Sequence[InKindItem]) -> Settlement:
    """The settlement with in-kind deliveries counted as payments; money settles the rest."""
    parties = set(settlement.due_fen) | {
        p for t in settlement.transfers for p in (t.payer, t.payee)
    }
    owes = {party: 0 for party in parties}
    for transfer in settlement.transfers:
        owes[transfer.payer] += transfer.amount_fen
        owes[transfer.payee] -= transfer.amount_fen
    in_kind: list[Transfer] = []
    for item in delivered:
        for party in (item.provider, item.recipient):
            if party not in parties:
                raise InvalidInput(f"{party!r} is not a party to this settlement")
        if item.provider == item.recipient:
            raise InvalidInput(f"{item.provider!r} cannot deliver in kind to itself")
        if isinstance(item.quantity, bool) or not isinstance(item.quantity, int):
            raise InvalidInput(f"the quantity of {item.description!r} must be a whole number")
        if item.quantity <= 0:
            raise InvalidInput(f"the quantity of {item.description!r} must be positive")
        check_amount(item.unit_value_fen, what=f"the unit value of {item.description!r}")
        value = check_amount(item.value_fen, what=f"the value of {item.description!r}")
        owes[item.provider] -= value
        owes[item.recipient] += value
        in_kind.append(
            Transfer(item.provider, item.recipient, value, form=Form.IN_KIND, note=item.description)
        )
    money = net_transfers({p: owes[p] for p in sorted(owes, key=_order(settlement))})
    inputs = {
        **settlement.inputs,
        "in_kind": [
            {
                "provider": i.provider,
                "recipient": i.recipient,
                "description": i.description,
                "quantity": i.quantity,
                "unit_value_fen": i.unit_value_fen,
            }
            for i in delivered
        ],
    }
    return Settlement(settlement.rule, inputs, (*in_kind, *money), settlement.due_fen)


def penalty(party: str, amount_fen: int, *, fund: str, reason: str) -> Settlement:
    """The penalty an agreement provides, paid by `party` into the regional fund."""
    _check_party(party)
    _check_party(fund)
    if party == fund:
        raise InvalidInput("the regional fund cannot pay a penalty to itself")
    check_amount(amount_fen, what="the penalty")
    if not reason.strip():
        raise InvalidInput("a penalty names its reason (the commitment or the case)")
    inputs = {"party": party, "amount_fen": amount_fen, "fund": fund, "reason": reason}
    transfers = (Transfer(party, fund, amount_fen, note=reason),) if amount_fen else ()
    return Settlement("penalty", inputs, transfers)


def _share(
    rule: str,
    borne_fen: Mapping[str, int],
    weights: Mapping[str, Fraction],
    *,
    basis: Mapping[str, object],
    cap_fen: int | None,
) -> Settlement:
    borne = _amounts(borne_fen, what="cost borne")
    for party in weights:
        if party not in borne:
            raise InvalidInput(f"{party!r} is not a party to this joint cost")
    for party in borne:
        if party not in weights:
            raise InvalidInput(f"no {_basis_name(rule)} given for {party!r}")
    parties = list(borne)
    total = sum(borne.values())
    if total and not any(weights[p] for p in parties):
        raise InvalidInput(f"every party's {_basis_name(rule)} is zero: nothing to share by")
    if cap_fen is None:
        due = apportion(total, [weights[p] for p in parties]) if total else [0] * len(parties)
        due_fen = dict(zip(parties, due, strict=True))
    else:
        due_fen = _capped_dues(total, {p: weights[p] for p in parties}, cap_fen)
    transfers = net_transfers({p: due_fen[p] - borne[p] for p in parties})
    inputs: dict[str, object] = {"borne_fen": dict(borne), _basis_name(rule): dict(basis)}
    if cap_fen is not None:
        inputs["cap_fen"] = cap_fen
    return Settlement(rule, inputs, transfers, due_fen)


def _capped_dues(total: int, weights: Mapping[str, Fraction], cap_fen: int) -> dict[str, int]:
    """Dues by weight, none above the agreement's cap, the excess spread over the others.

    Parties whose share would pass the cap pay the cap, and the rest of the cost is split
    again among the others by their weights, until no share passes it (water-filling).
    """
    check_amount(cap_fen, what="the cap of what one party pays")
    fixed: dict[str, int] = {}
    while True:
        open_parties = [p for p in weights if p not in fixed]
        remaining = total - sum(fixed.values())
        if remaining and not any(weights[p] for p in open_parties):
            raise InvalidInput(
                f"the cap of {cap_fen} fen a party leaves {remaining} fen that no party "
                "with a share can bear"
            )
        due = (
            apportion(remaining, [weights[p] for p in open_parties])
            if remaining
            else [0] * len(open_parties)
        )
        over = [p for p, d in zip(open_parties, due, strict=True) if d > cap_fen]
        if not over:
            return {p: fixed.get(p, 0) for p in weights} | dict(zip(open_parties, due, strict=True))
        for party in over:
            fixed[party] = cap_fen


def _basis_name(rule: str) -> str:
    return {
        "weights": "weights",
        "proportional_to_cost": "cost_basis_fen",
        "proportional_to_population": "exposed_population",
        "beneficiary_pays": "loss_avoided_fen",
        "shapley": "shapley_shares",
    }[rule]


def _amounts(values: Mapping[str, int], *, what: str) -> dict[str, int]:
    if not values:
        raise InvalidInput(f"no {what} given")
    if len(values) > MAX_PARTIES:
        raise InvalidInput(f"at most {MAX_PARTIES} parties")
    checked: dict[str, int] = {}
    for party, amount in values.items():
        _check_party(party)
        checked[party] = check_amount(amount, what=f"the {what} of {party!r}")
    return checked


def _weight(party: str, value: object) -> Fraction:
    _check_party(party)
    return _fraction(value, what=f"the weight of {party!r}")


def _fraction(value: object, *, what: str) -> Fraction:
    if isinstance(value, bool):
        raise InvalidInput(f"{what} is not a number")
    try:
        # Through the decimal text, so 0.1 means one tenth, not the nearest binary float.
        number = Fraction(Decimal(str(value)))
    except (InvalidOperation, ValueError, TypeError, OverflowError):
        raise InvalidInput(f"{what} is not a finite number") from None
    if number < 0:
        raise InvalidInput(f"{what} must not be negative")
    return number


def _check_party(party: str) -> None:
    if not isinstance(party, str) or not party.strip():
        raise InvalidInput("a party must be named")


def _order(settlement: Settlement) -> Callable[[str], int]:
    listed = list(settlement.due_fen)
    for t in settlement.transfers:
        for p in (t.payer, t.payee):
            if p not in listed:
                listed.append(p)
    rank = {p: i for i, p in enumerate(listed)}
    return lambda party: rank[party]
