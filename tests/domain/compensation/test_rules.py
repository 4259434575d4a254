"""Cost-sharing rules: hand-checked settlements that balance to the fen, and refusals."""

from __future__ import annotations

from fractions import Fraction

import pytest

from crossrisk.domain.compensation.rules import (
    InKindItem,
    beneficiary_pays,
    by_weights,
    penalty,
    proportional_to_cost,
    proportional_to_population,
    reimbursement,
    settle_in_kind,
    shapley_sharing,
)
from crossrisk.domain.compensation.settlement import (
    Form,
    Settlement,
    Transfer,
    apportion,
    fen,
    net_transfers,
)
from crossrisk.domain.compensation.shapley import exact_shapley, game_from_cost
from crossrisk.domain.errors import InvalidInput

YUAN = 100  # fen

# A spill from Huangshan (origin) reaches Hangzhou and Quzhou. The joint response cost
# 500,000 yuan: Huangshan bore 100,000, Hangzhou 300,000, Quzhou 100,000.
BORNE = {"Huangshan": 100_000 * YUAN, "Hangzhou": 300_000 * YUAN, "Quzhou": 100_000 * YUAN}


def moves(settlement: Settlement) -> list[tuple[str, str, int]]:
    return [(t.payer, t.payee, t.amount_fen) for t in settlement.transfers]


def assert_balances(settlement: Settlement, borne: dict[str, int]) -> None:
    """After the transfers each party has borne exactly its due, and money is conserved."""
    net = settlement.net_fen()
    assert sum(net.values()) == 0
    for party, due in settlement.due_fen.items():
        assert borne[party] - net.get(party, 0) == due
    assert sum(settlement.due_fen.values()) == sum(borne.values())


def test_requester_reimburses_each_assisting_city_its_aid_costs() -> None:
    settlement = reimbursement(
        "Huangshan", {"Hangzhou": fen("12345.67"), "Quzhou": 0, "Xuancheng": fen(800)}
    )

    assert moves(settlement) == [
        ("Huangshan", "Hangzhou", 1_234_567),
        ("Huangshan", "Xuancheng", 80_000),
    ]
    assert settlement.rule == "reimburse_aid_costs"


def test_an_agreed_share_of_aid_costs_is_reimbursed_to_the_fen() -> None:
    # 80 % of 12,345.67 yuan is 9,876.536: 987,654 fen (half a fen and more rounds up).
    settlement = reimbursement("Huangshan", {"Hangzhou": fen("12345.67")}, share="0.8")

    assert [t.amount_fen for t in settlement.transfers] == [987_654]
    assert settlement.inputs["share"] == "0.8"


def test_beneficiary_pays_has_the_origin_compensate_the_affected_cities() -> None:
    # Loss avoided: Huangshan 8 million, Hangzhou 1.5 million, Quzhou 0.5 million yuan:
    # shares 80 %, 15 %, 5 % of 500,000 = 400,000, 75,000 and 25,000 yuan.
    avoided = {
        "Huangshan": 8_000_000 * YUAN,
        "Hangzhou": 1_500_000 * YUAN,
        "Quzhou": 500_000 * YUAN,
    }

    settlement = beneficiary_pays(BORNE, avoided)

    assert settlement.due_fen == {
        "Huangshan": 400_000 * YUAN,
        "Hangzhou": 75_000 * YUAN,
        "Quzhou": 25_000 * YUAN,
    }
    assert moves(settlement) == [
        ("Huangshan", "Hangzhou", 225_000 * YUAN),
        ("Huangshan", "Quzhou", 75_000 * YUAN),
    ]
    assert_balances(settlement, BORNE)
    assert settlement.inputs["loss_avoided_fen"] == avoided


def test_a_cap_spreads_what_the_origin_cannot_pay_over_the_others() -> None:
    # As above, but the agreement caps what one party pays at 300,000 yuan: Huangshan pays
    # the cap and the other 200,000 split 1.5 : 0.5 between Hangzhou and Quzhou.
    avoided = {
        "Huangshan": 8_000_000 * YUAN,
        "Hangzhou": 1_500_000 * YUAN,
        "Quzhou": 500_000 * YUAN,
    }

    settlement = beneficiary_pays(BORNE, avoided, cap_fen=300_000 * YUAN)

    assert settlement.due_fen == {
        "Huangshan": 300_000 * YUAN,
        "Hangzhou": 150_000 * YUAN,
        "Quzhou": 50_000 * YUAN,
    }
    assert moves(settlement) == [
        ("Huangshan", "Hangzhou", 150_000 * YUAN),
        ("Huangshan", "Quzhou", 50_000 * YUAN),
    ]
    assert_balances(settlement, BORNE)
    assert settlement.inputs["cap_fen"] == 300_000 * YUAN


def test_a_cap_too_low_for_the_cost_is_refused() -> None:
    with pytest.raises(InvalidInput, match="no party with a share can bear"):
        by_weights(BORNE, {"Huangshan": "0.5", "Hangzhou": "0.5", "Quzhou": "0"}, cap_fen=1)


def test_weights_split_the_joint_cost_as_agreed() -> None:
    settlement = by_weights(BORNE, {"Huangshan": "0.5", "Hangzhou": "0.3", "Quzhou": "0.2"})

    assert settlement.due_fen == {
        "Huangshan": 250_000 * YUAN,
        "Hangzhou": 150_000 * YUAN,
        "Quzhou": 100_000 * YUAN,
    }
    assert moves(settlement) == [("Huangshan", "Hangzhou", 150_000 * YUAN)]


def test_population_split_rounds_to_the_fen_and_still_balances() -> None:
    # 100.00 yuan among three equal populations: 33.34 + 33.33 + 33.33.
    borne = {"a": 10_000, "b": 0, "c": 0}

    settlement = proportional_to_population(borne, {"a": 1_000, "b": 1_000, "c": 1_000})

    assert settlement.due_fen == {"a": 3_334, "b": 3_333, "c": 3_333}
    assert moves(settlement) == [("b", "a", 3_333), ("c", "a", 3_333)]
    assert_balances(settlement, borne)


def test_proportional_to_cost_by_stand_alone_costs_and_by_costs_borne() -> None:
    # Stand-alone estimates 100, 300 and 600 yuan: the 500,000 joint cost splits 1 : 3 : 6.
    basis = {"Huangshan": 100 * YUAN, "Hangzhou": 300 * YUAN, "Quzhou": 600 * YUAN}

    settlement = proportional_to_cost(BORNE, basis)

    assert settlement.due_fen == {
        "Huangshan": 50_000 * YUAN,
        "Hangzhou": 150_000 * YUAN,
        "Quzhou": 300_000 * YUAN,
    }
    assert_balances(settlement, BORNE)
    assert proportional_to_cost(BORNE).transfers == ()


def test_shapley_sharing_settles_the_airport_game() -> None:
    # Each city alone would need a response of 80,000, 110,000 or 130,000 yuan; together
    # they need the largest (Littlechild and Owen's airport game).
    alone = {"Huangshan": 80_000.0, "Hangzhou": 110_000.0, "Quzhou": 130_000.0}
    shares = exact_shapley(
        game_from_cost(list(alone), lambda s: max((alone[p] for p in s), default=0.0))
    ).as_dict()
    borne = {"Huangshan": 0, "Hangzhou": 0, "Quzhou": 130_000 * YUAN}

    settlement = shapley_sharing(borne, shares)

    # 80,000 / 3 = 26,666.67; + 30,000 / 2 = 41,666.67; + 20,000 = 61,666.66 (the fen
    # the rounding leaves goes to the largest remainder, ties to the first listed).
    assert settlement.due_fen == {
        "Huangshan": 2_666_667,
        "Hangzhou": 4_166_667,
        "Quzhou": 6_166_666,
    }
    assert_balances(settlement, borne)


def test_in_kind_delivery_counts_as_payment_and_money_settles_the_rest() -> None:
    avoided = {"Huangshan": 8, "Hangzhou": 1.5, "Quzhou": 0.5}
    owed = beneficiary_pays(BORNE, {p: int(v * 1_000_000 * YUAN) for p, v in avoided.items()})
    # Huangshan trains 10 of Hangzhou's responders at 5,000 yuan a place.
    training = InKindItem("Huangshan", "Hangzhou", "training places", 10, 5_000 * YUAN)

    settled = settle_in_kind(owed, [training])

    assert settled.transfers == (
        Transfer("Huangshan", "Hangzhou", 50_000 * YUAN, form=Form.IN_KIND, note="training places"),
        Transfer("Huangshan", "Hangzhou", 175_000 * YUAN),
        Transfer("Huangshan", "Quzhou", 75_000 * YUAN),
    )
    assert settled.net_fen() == owed.net_fen()
    assert settled.inputs["in_kind"][0]["quantity"] == 10  # type: ignore[index]


def test_penalty_is_paid_into_the_regional_fund() -> None:
    settlement = penalty(
        "Quzhou", fen("50000"), fund="regional fund", reason="commitment 17 broken"
    )

    assert moves(settlement) == [("Quzhou", "regional fund", 5_000_000)]
    assert settlement.inputs["reason"] == "commitment 17 broken"


def test_apportion_and_netting_are_exact() -> None:
    parts = apportion(1_000_001, [Fraction(1, 3)] * 3)
    assert parts == [333_334, 333_334, 333_333] and sum(parts) == 1_000_001
    assert net_transfers({"a": 5, "b": -2, "c": -3}) == (
        Transfer("a", "b", 2),
        Transfer("a", "c", 3),
    )


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (
            lambda: by_weights(BORNE, {"Huangshan": 0.5, "Hangzhou": 0.3, "Quzhou": 0.1}),
            "add up to 0.9, not 1",
        ),
        (
            lambda: by_weights(BORNE, {"Huangshan": 1.2, "Hangzhou": -0.2, "Quzhou": 0}),
            "must not be negative",
        ),
        (
            lambda: by_weights(BORNE, {"Huangshan": 0.5, "Hangzhou": 0.5, "Nanjing": 0}),
            "'Nanjing' is not a party",
        ),
        (
            lambda: by_weights(BORNE, {"Huangshan": 0.5, "Hangzhou": 0.5}),
            "no weights given for 'Quzhou'",
        ),
        (lambda: beneficiary_pays({"a": -100}, {"a": 1}), "must not be negative"),
        (lambda: beneficiary_pays({"a": 100, "b": 0}, {"a": 0, "b": 0}), "is zero"),
        (lambda: reimbursement("a", {"a": 100}), "cannot reimburse itself"),
        (lambda: reimbursement("a", {"b": -1}), "must not be negative"),
        (lambda: fen("10.005"), "more than two decimals"),
        (lambda: fen(10.5), "decimal string or integer"),  # type: ignore[arg-type]
        (lambda: fen("ten"), "not a number"),
        (lambda: penalty("fund", 1, fund="fund", reason="x"), "cannot pay a penalty to itself"),
        (lambda: penalty("a", 1, fund="fund", reason=" "), "names its reason"),
        (lambda: shapley_sharing({"a": 1}, {"a": -1.0}), "must be finite and ≥ 0"),
        (lambda: reimbursement("a", {"b": 1}, share="1.5"), "between 0 and 1"),
    ],
)
def test_bad_input_is_refused_with_a_clear_error(call, message: str) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(InvalidInput, match=message):
        call()


def test_in_kind_from_an_unknown_party_is_refused() -> None:
    owed = by_weights({"a": 100, "b": 0}, {"a": "0.5", "b": "0.5"})
    with pytest.raises(InvalidInput, match="'z' is not a party"):
        settle_in_kind(owed, [InKindItem("z", "a", "pumps", 1, 10)])
    with pytest.raises(InvalidInput, match="quantity of 'pumps' must be positive"):
        settle_in_kind(owed, [InKindItem("b", "a", "pumps", 0, 10)])
