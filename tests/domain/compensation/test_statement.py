"""Statements drawn up from a ledger: the joint-response game's Shapley value splits each
line equally among those it protected; beyond 20 parties it is sampled, with its bound."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from crossrisk.domain.compensation.ledger import (
    CostCategory,
    CostKind,
    CostLine,
    SettlementRule,
    joint_response_cost,
    settlement_rule,
)
from crossrisk.domain.compensation.statement import Figures, draw_up
from crossrisk.domain.errors import InvalidInput

AT = datetime(2026, 3, 2, tzinfo=UTC)


def line(party: str, fen: int, *protects: str) -> CostLine:
    return CostLine(
        id=None,
        risk_id=1,
        region_code="yrd",
        party=party,
        organisation_code=f"ema-{party}",
        amount_fen=fen,
        category=CostCategory.OTHER,
        spent_on=date(2026, 3, 2),
        evidence="e",
        kind=CostKind.OWN_RESPONSE,
        protects=protects or (party,),
        recorded_by="t",
        recorded_at=AT,
    )


NO_FIGURES = Figures(populations={}, loss_avoided_fen={})


def test_the_game_needs_a_line_when_any_party_it_protects_is_in_the_coalition() -> None:
    cost = joint_response_cost([line("a", 600, "a", "b", "c"), line("b", 100)])

    assert cost(frozenset()) == 0
    assert cost(frozenset({"c"})) == 600
    assert cost(frozenset({"b"})) == 700
    assert cost(frozenset({"a", "b", "c"})) == 700


def test_shapley_splits_each_line_equally_among_those_it_protected() -> None:
    # a's 600 protected a, b and c: 200 each; b's own 100 is b's. Dues 200/300/200; a bore
    # 600 and b 100, so b pays a 200 and c pays a 200.
    drawn = draw_up(
        SettlementRule.SHAPLEY, [line("a", 600, "a", "b", "c"), line("b", 100)], NO_FIGURES
    )

    assert drawn.settlement.due_fen == {"a": 200, "b": 300, "c": 200}
    assert drawn.borne_fen == {"a": 600, "b": 100, "c": 0}
    assert {(t.payer, t.payee, t.amount_fen) for t in drawn.settlement.transfers} == {
        ("b", "a", 200),
        ("c", "a", 200),
    }


def test_beyond_twenty_parties_the_value_is_sampled_with_its_bound_kept() -> None:
    parties = [f"p{i:02d}" for i in range(22)]
    lines = [line(p, 1_000) for p in parties]  # each party's own cost: share = its cost
    lines.append(line("p00", 22_000, *parties))  # a shared line: 1,000 each

    drawn = draw_up(SettlementRule.SHAPLEY, lines, Figures({}, {}, seed=7))

    inputs = drawn.settlement.inputs
    assert inputs["method"] == "sampled" and inputs["permutations"] == 2_000
    assert inputs["seed"] == 7 and len(inputs["half_widths_95"]) == 22
    # The shared line's marginal cost is 22,000 for whoever comes first, else 0: σ is
    # 22,000·√(21)/22 ≈ 4,583, so the 95 % half-width is 1.96·σ/√2000 ≈ 201 fen.
    widths = inputs["half_widths_95"]
    assert all(160 < widths[p] < 240 for p in parties), widths
    for party, due in drawn.settlement.due_fen.items():
        assert abs(due - 2_000) <= 2 * widths[party]  # within about four standard errors
    assert sum(drawn.settlement.due_fen.values()) == 44_000


def test_a_rule_by_its_short_name_and_an_unknown_rule() -> None:
    assert settlement_rule("proportional") is SettlementRule.PROPORTIONAL_COST
    assert settlement_rule("reimburse_aid_costs") is SettlementRule.REIMBURSEMENT
    with pytest.raises(InvalidInput) as refused:
        settlement_rule("lottery")
    assert refused.value.key == "settlement-rule-unknown"


def test_an_empty_ledger_is_not_settled() -> None:
    withdrawn = line("a", 5)
    from dataclasses import replace

    with pytest.raises(InvalidInput) as refused:
        draw_up(SettlementRule.SHAPLEY, [replace(withdrawn, withdrawn_at=AT)], NO_FIGURES)
    assert refused.value.key == "settlement-no-costs"
