"""A risk's settlement statement drawn up from its cost ledger by a named rule.

Each rule of crossrisk.domain.compensation.rules is fed from the ledger here (the
joint-response cost game, docs/compensation.md): what each party bore is the sum of its
active lines; the rule decides what each is due to bear; the difference is settled by
transfers (settlement.net_transfers).

- reimbursement: each requester pays its helpers their aid-cost lines (EMAC Article IX);
- proportional to cost: the ledger split in proportion to each party's stand-alone cost
  c({i}), the cost of the lines that protected it (the "proportional to stand-alone cost"
  method of cost allocation; Young 1985, "Cost allocation", in Fair Allocation, AMS);
- proportional to population: split by each party's population;
- beneficiary pays: split by each party's loss-avoided estimate;
- shapley: the Shapley value of the joint-response game, exact to 20 parties and sampled
  beyond with its 95 % half-widths kept in the inputs;
- river_lrs / river_ues: Ni and Wang (2007) with each party's borne cost as the cost of
  its river segment, the parties given from upstream down.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from crossrisk.domain.compensation.ledger import (
    CostLine,
    SettlementRule,
    aid_costs_by_requester,
    as_party_map,
    borne_fen,
    joint_response_cost,
    parties_of,
    stand_alone_fen,
    upstream_order,
)
from crossrisk.domain.compensation.river_sharing import (
    local_responsibility_sharing,
    river,
    upstream_equal_sharing,
)
from crossrisk.domain.compensation.rules import (
    beneficiary_pays,
    proportional_to_cost,
    proportional_to_population,
    reimbursement,
    shapley_sharing,
)
from crossrisk.domain.compensation.settlement import Settlement, Transfer
from crossrisk.domain.compensation.shapley import (
    MAX_EXACT_PLAYERS,
    exact_shapley,
    game_from_cost,
    sampled_shapley,
)
from crossrisk.domain.errors import InvalidInput

# Enough orders for a 95 % half-width of about 4 % of a typical share in the games tried
# (docs/compensation.md); the seed is the risk's id, so a statement can be drawn up again.
SAMPLED_PERMUTATIONS = 2_000


@dataclass(frozen=True, slots=True)
class Figures:
    """What the rules read besides the ledger, gathered by the service."""

    populations: Mapping[str, int | None]
    loss_avoided_fen: Mapping[str, int]
    upstream_order: Sequence[str] = ()
    reimbursed_share: object = 1
    seed: int = 0
    # The cap of what one party bears, from the agreement that names the same rule.
    cap_fen: int | None = None


@dataclass(frozen=True, slots=True)
class Drawn:
    """A statement's content: the rule's settlement and what each party bore."""

    settlement: Settlement
    borne_fen: dict[str, int]


def draw_up(rule: SettlementRule, lines: Sequence[CostLine], figures: Figures) -> Drawn:
    """The statement `rule` gives for the ledger's active lines, or InvalidInput."""
    active = [line for line in lines if line.active]
    if not active:
        raise InvalidInput(
            "the risk has no cost lines to settle", key="settlement-no-costs", params={}
        )
    if rule is SettlementRule.XINAN_WATER_QUALITY:
        raise InvalidInput(
            "the water-quality rule settles a border section's period, not a risk",
            key="settlement-rule-not-for-risk",
            params={"rule": rule.value},
        )
    if rule is SettlementRule.REIMBURSEMENT:
        return _reimbursement(active, figures)
    parties = parties_of(active)
    borne = borne_fen(active, parties)
    match rule:
        case SettlementRule.PROPORTIONAL_COST:
            alone = stand_alone_fen(active, parties)
            settlement = proportional_to_cost(borne, alone, cap_fen=figures.cap_fen)
        case SettlementRule.PROPORTIONAL_POPULATION:
            people = _populations(figures, parties)
            settlement = proportional_to_population(borne, people, cap_fen=figures.cap_fen)
        case SettlementRule.BENEFICIARY_PAYS:
            avoided = as_party_map(figures.loss_avoided_fen, parties)
            settlement = beneficiary_pays(borne, avoided, cap_fen=figures.cap_fen)
        case SettlementRule.SHAPLEY:
            settlement = _shapley(
                active, parties, borne, seed=figures.seed, cap_fen=figures.cap_fen
            )
        case SettlementRule.RIVER_LRS | SettlementRule.RIVER_UES:
            order = upstream_order(figures.upstream_order, parties)
            stretch = river(order, [float(borne[p]) for p in order])
            if rule is SettlementRule.RIVER_LRS:
                shares = local_responsibility_sharing(stretch)
            else:
                shares = upstream_equal_sharing(stretch)
            shared = shapley_sharing(borne, shares)
            settlement = Settlement(
                rule.value,
                {**shared.inputs, "upstream_order": order},
                shared.transfers,
                shared.due_fen,
            )
    return Drawn(settlement, borne)


def _reimbursement(active: Sequence[CostLine], figures: Figures) -> Drawn:
    grouped = aid_costs_by_requester(active)
    if not grouped:
        raise InvalidInput(
            "the risk has no aid costs for a requester to reimburse",
            key="settlement-no-aid-costs",
            params={},
        )
    transfers: list[Transfer] = []
    by_requester: dict[str, object] = {}
    borne: dict[str, int] = {}
    share = "1"
    for requester in sorted(grouped):
        one = reimbursement(requester, grouped[requester], share=figures.reimbursed_share)
        transfers.extend(one.transfers)
        by_requester[requester] = one.inputs["aid_costs_fen"]
        share = str(one.inputs["share"])
        for helper, amount in grouped[requester].items():
            borne[helper] = borne.get(helper, 0) + amount
    inputs = {"aid_costs_fen_by_requester": by_requester, "share": share}
    settlement = Settlement(SettlementRule.REIMBURSEMENT.value, inputs, tuple(transfers))
    return Drawn(settlement, borne)


def _populations(figures: Figures, parties: Sequence[str]) -> dict[str, int]:
    people: dict[str, int] = {}
    for party in parties:
        count = figures.populations.get(party)
        if count is None:
            raise InvalidInput(
                f"the population of {party} is not known",
                key="settlement-population-missing",
                params={"party": party},
            )
        people[party] = count
    return people


def _shapley(
    active: Sequence[CostLine],
    parties: Sequence[str],
    borne: Mapping[str, int],
    *,
    seed: int,
    cap_fen: int | None,
) -> Settlement:
    cost = joint_response_cost(active)
    if len(parties) <= MAX_EXACT_PLAYERS:
        shares = exact_shapley(game_from_cost(parties, cost))
        method: dict[str, object] = {"method": "exact"}
    else:
        shares = sampled_shapley(parties, cost, permutations=SAMPLED_PERMUTATIONS, seed=seed)
        method = {
            "method": "sampled",
            "permutations": shares.permutations,
            "seed": seed,
            "half_widths_95": dict(zip(shares.players, shares.half_widths_95, strict=True)),
        }
    settlement = shapley_sharing(borne, shares.as_dict(), cap_fen=cap_fen)
    game = [
        {"party": line.party, "amount_fen": line.amount_fen, "protects": list(line.protects)}
        for line in active
    ]
    inputs = {**settlement.inputs, **method, "game": "joint_response_cost", "lines": game}
    return Settlement(settlement.rule, inputs, settlement.transfers, settlement.due_fen)
