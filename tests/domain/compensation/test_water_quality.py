"""The Xin'an-type rule: P from the border section's water, and who pays whom."""

from __future__ import annotations

from decimal import Decimal

import pytest

from crossrisk.data import xinan_round, xinan_rule
from crossrisk.domain.agreements.compensation import check_compensation
from crossrisk.domain.compensation.settlement import fen
from crossrisk.domain.compensation.water_quality import (
    Direction,
    Indicator,
    rule_from_agreement,
    water_quality_rule,
    water_quality_settlement,
)
from crossrisk.domain.errors import InvalidInput

# Made-up baselines (the pilot's own are not published in the sources we have), mg/L.
BASELINES = {"codmn": "2.0", "nh3_n": "0.10", "tp": "0.020", "tn": "1.00"}
HUNDRED_MILLION_FEN = 100_000_000 * 100


def first_round():  # type: ignore[no-untyped-def]
    return xinan_rule("first", agreement="Xin'an 2012", baselines_mg_l=BASELINES)


def test_shipped_first_round_has_the_published_terms() -> None:
    terms = xinan_round("first")
    rule = first_round()

    assert rule.stability_coefficient == Decimal("0.85")
    assert set(rule.weights.values()) == {Decimal("0.25")}
    assert set(rule.weights) == {i.value for i in Indicator}
    assert (rule.upstream, rule.downstream) == ("Anhui", "Zhejiang")
    assert rule.amount_fen == HUNDRED_MILLION_FEN
    fund = sum(fen(v) for v in terms["fund_yuan_per_year"].values())
    assert fund == 500_000_000 * 100


def test_cleaner_water_than_the_baseline_has_zhejiang_pay_anhui() -> None:
    # Every indicator at 0.9 of its baseline: P = 0.85 × 0.9 = 0.765.
    result = water_quality_settlement(
        first_round(), {"codmn": "1.8", "nh3_n": "0.09", "tp": "0.018", "tn": "0.90"}
    )

    assert result.index == Decimal("0.765")
    assert result.direction is Direction.DOWNSTREAM_PAYS
    assert (result.payer, result.payee, result.amount_fen) == (
        "Zhejiang",
        "Anhui",
        HUNDRED_MILLION_FEN,
    )
    assert result.terms[Indicator.TOTAL_PHOSPHORUS] == Decimal("0.225")
    (transfer,) = result.settlement.transfers
    assert (transfer.payer, transfer.payee) == ("Zhejiang", "Anhui")
    assert result.settlement.inputs["index"] == "0.765"


def test_mixed_indicators_are_weighed_before_k0() -> None:
    # Ratios 1.0, 0.5, 1.5, 1.2: mean 1.05; P = 0.85 × 1.05 = 0.8925 ≤ 1.
    result = water_quality_settlement(
        first_round(), {"codmn": "2.0", "nh3_n": "0.05", "tp": "0.03", "tn": "1.2"}
    )

    assert result.index == Decimal("0.8925")
    assert result.direction is Direction.DOWNSTREAM_PAYS


def test_index_of_exactly_one_still_has_the_downstream_party_pay() -> None:
    rule = water_quality_rule(
        agreement="test",
        round="K0 0.8",
        upstream="Huangshan",
        downstream="Hangzhou",
        stability_coefficient="0.8",
        weights={"codmn": "0.25", "nh3_n": "0.25", "tp": "0.25", "tn": "0.25"},
        baselines_mg_l=BASELINES,
        amount_fen=fen("1000000"),
    )
    # Every ratio 1.25: P = 0.8 × 1.25 = 1 exactly.
    result = water_quality_settlement(
        rule, {"codmn": "2.5", "nh3_n": "0.125", "tp": "0.025", "tn": "1.25"}
    )

    assert result.index == 1
    assert result.direction is Direction.DOWNSTREAM_PAYS
    assert (result.payer, result.payee) == ("Hangzhou", "Huangshan")


def test_worse_water_than_the_baseline_has_anhui_pay_zhejiang() -> None:
    # Every ratio 1.3: P = 0.85 × 1.3 = 1.105.
    result = water_quality_settlement(
        first_round(), {"codmn": 2.6, "nh3_n": 0.13, "tp": 0.026, "tn": 1.3}
    )

    assert result.index == Decimal("1.105")
    assert result.direction is Direction.UPSTREAM_PAYS
    assert (result.payer, result.payee) == ("Anhui", "Zhejiang")


def rule_with(**changes: object):  # type: ignore[no-untyped-def]
    terms: dict[str, object] = {
        "agreement": "a",
        "round": "r",
        "upstream": "up",
        "downstream": "down",
        "stability_coefficient": "0.85",
        "weights": {"codmn": "0.5", "nh3_n": "0.5"},
        "baselines_mg_l": {"codmn": "2", "nh3_n": "0.1"},
        "amount_fen": 100,
    }
    terms.update(changes)
    return water_quality_rule(**terms)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"weights": {"codmn": "0.5", "nh3_n": "0.4"}}, "add up to 0.9, not 1"),
        ({"weights": {"codmn": "1.5", "nh3_n": "-0.5"}}, "must not be negative"),
        ({"baselines_mg_l": {"codmn": "0", "nh3_n": "0.1"}}, "baseline of codmn must be above 0"),
        ({"baselines_mg_l": {"codmn": "2"}}, "needs a baseline"),
        ({"weights": {"": "1"}}, "an indicator code has 1–64 characters"),
        ({"stability_coefficient": "0"}, "K0 must be in"),
        ({"stability_coefficient": "nan"}, "not finite"),
        ({"downstream": "up"}, "must differ"),
        ({"amount_fen": -1}, "must not be negative"),
    ],
)
def test_bad_terms_are_refused(changes: dict[str, object], message: str) -> None:
    with pytest.raises(InvalidInput, match=message):
        rule_with(**changes)


def test_concentrations_must_match_the_rule() -> None:
    rule = rule_with()
    with pytest.raises(InvalidInput, match="no concentration given for nh3_n"):
        water_quality_settlement(rule, {"codmn": "2"})
    with pytest.raises(InvalidInput, match="tp is not an indicator of this rule"):
        water_quality_settlement(rule, {"codmn": "2", "nh3_n": "0.1", "tp": "0.02"})
    with pytest.raises(InvalidInput, match="concentration of codmn must be between"):
        water_quality_settlement(rule, {"codmn": "-1", "nh3_n": "0.1"})


def test_an_agreements_checked_terms_make_the_same_rule() -> None:
    terms = check_compensation(
        "xinan_water_quality",
        {
            "k0": 0.85,
            "amount_yuan": 100_000_000,
            "indicators": [
                {"code": code, "weight": 0.25, "baseline": float(baseline)}
                for code, baseline in BASELINES.items()
            ],
        },
    )

    rule = rule_from_agreement(
        terms, agreement="Xin'an 2012", round="2012–2014", upstream="Anhui", downstream="Zhejiang"
    )

    assert rule == first_round()
    with pytest.raises(InvalidInput, match="not xinan_water_quality"):
        rule_from_agreement(
            check_compensation("shapley", {}),
            agreement="a",
            round="r",
            upstream="u",
            downstream="d",
        )
