"""The Shapley value: textbook games, the definition, its properties and bad tables."""

from __future__ import annotations

import itertools

import numpy as np
import pytest

from crossrisk.domain.compensation.shapley import (
    CoalitionGame,
    Method,
    exact_shapley,
    game_from_cost,
    game_from_table,
    permutation_shapley,
    sampled_shapley,
)
from crossrisk.domain.errors import InvalidInput


def table(players: list[str], cost) -> dict[str, float]:  # type: ignore[no-untyped-def]
    worth = {}
    for size in range(1, len(players) + 1):
        for members in itertools.combinations(players, size):
            worth[",".join(members)] = cost(frozenset(members))
    return worth


def airport(runway: dict[str, float]):  # type: ignore[no-untyped-def]
    """Littlechild and Owen (1973): a coalition pays for the runway its largest plane needs."""
    return lambda coalition: max((runway[p] for p in coalition), default=0.0)


def test_glove_game_gives_the_scarce_right_glove_two_thirds() -> None:
    # One right glove (c), two left gloves (a, b); a pair is worth 1.
    def pairs(s: frozenset[str]) -> float:
        return 1.0 if "c" in s and ({"a", "b"} & s) else 0.0

    shares = exact_shapley(game_from_table(["a", "b", "c"], table(["a", "b", "c"], pairs)))

    assert shares.as_dict() == pytest.approx({"a": 1 / 6, "b": 1 / 6, "c": 2 / 3})
    assert shares.method is Method.EXACT


def test_airport_game_shares_each_runway_segment_among_the_planes_that_use_it() -> None:
    # Runway 8, 11, 13: the first 8 shared by all three, the next 3 by two, the last 2 by one.
    players = ["small", "medium", "large"]
    runway = {"small": 8.0, "medium": 11.0, "large": 13.0}

    shares = exact_shapley(game_from_table(players, table(players, airport(runway))))

    assert shares.as_dict() == pytest.approx(
        {"small": 8 / 3, "medium": 8 / 3 + 3 / 2, "large": 8 / 3 + 3 / 2 + 2}
    )


def test_subset_sum_equals_walking_every_order_on_a_random_game() -> None:
    rng = np.random.default_rng(7)
    worth = rng.uniform(0, 100, 1 << 7)
    worth[0] = 0.0
    game = CoalitionGame(tuple("abcdefg"), worth)

    assert exact_shapley(game).shares == pytest.approx(permutation_shapley(game).shares)


def test_twenty_players_shares_add_up_to_the_grand_coalition() -> None:
    rng = np.random.default_rng(11)
    worth = rng.uniform(0, 1000, 1 << 20)
    worth[0] = 0.0

    shares = exact_shapley(CoalitionGame(tuple(f"p{i}" for i in range(20)), worth))

    assert sum(shares.shares) == pytest.approx(worth[-1], rel=1e-9)


def test_symmetric_players_get_equal_shares_and_a_null_player_nothing() -> None:
    # a and b are interchangeable; d changes no coalition's cost.
    def cost(s: frozenset[str]) -> float:
        return (
            10.0 * len(s & {"a", "b"})
            + (7.0 if "c" in s else 0.0)
            - (3.0 if {"a", "b"} <= s else 0)
        )

    shares = exact_shapley(game_from_cost(["a", "b", "c", "d"], cost)).as_dict()

    assert shares["a"] == pytest.approx(shares["b"])
    assert shares["d"] == pytest.approx(0.0, abs=1e-12)
    assert shares["c"] == pytest.approx(7.0)
    assert sum(shares.values()) == pytest.approx(24.0)


def test_cost_function_and_table_give_the_same_game() -> None:
    players = ["a", "b", "c", "d"]
    runway = {"a": 3.0, "b": 5.0, "c": 5.0, "d": 9.0}

    from_cost = exact_shapley(game_from_cost(players, airport(runway)))
    from_table = exact_shapley(game_from_table(players, table(players, airport(runway))))

    assert from_cost.shares == pytest.approx(from_table.shares)


def test_sampling_is_reproducible_and_within_its_bound_of_the_exact_value() -> None:
    # A concave joint cost (economies of scale): sqrt of the members' summed demands.
    demand = {f"c{i}": float(1 + i) for i in range(12)}

    def cost(s: frozenset[str]) -> float:
        return float(sum(demand[p] for p in s)) ** 0.5

    players = list(demand)
    exact = exact_shapley(game_from_cost(players, cost)).as_dict()

    first = sampled_shapley(players, cost, permutations=2000, seed=2026)
    again = sampled_shapley(players, cost, permutations=2000, seed=2026)

    assert first == again
    assert first.method is Method.SAMPLED and first.permutations == 2000
    # Every order's marginal costs add up to v(N), so the estimate is efficient exactly.
    assert sum(first.shares) == pytest.approx(cost(frozenset(players)))
    for p, share, error, half in zip(
        players, first.shares, first.standard_errors, first.half_widths_95, strict=True
    ):
        assert 0 < error < 0.05 * exact[p]
        assert half == pytest.approx(1.959963984540054 * error)
        assert abs(share - exact[p]) <= 4 * error, p


def test_sampling_goes_beyond_twenty_players() -> None:
    players = [f"p{i:02d}" for i in range(30)]
    runway = {p: float(1 + i // 3) for i, p in enumerate(players)}

    estimate = sampled_shapley(players, airport(runway), permutations=200, seed=1)

    assert len(estimate.shares) == 30
    assert sum(estimate.shares) == pytest.approx(10.0)
    # The largest planes' share includes the top segment that only they use: 1 / 3 each.
    assert min(estimate.shares[-3:]) > 1 / 3


@pytest.mark.parametrize(
    ("players", "worth", "message"),
    [
        (["a", "b"], {"a": 1, "a,b": 3}, "the coalition 'b' is missing"),
        (
            ["a", "b", "c"],
            {"a": 1, "b": 1, "c": 1, "a,b": 2, "a,c": 2, "a,b,c": 3},
            "'b,c' is missing",
        ),
        (["a", "a"], {"a": 1}, "the player 'a' appears twice"),
        ([], {}, "at least one player"),
        (["a,b"], {"a,b": 1}, "contains a comma"),
        (["a", ""], {}, "non-empty string"),
        (["a"], {"a": float("nan")}, "the worth of 'a' is not finite"),
        (["a"], {"a": float("inf")}, "not finite"),
        (["a"], {"a": "1"}, "not a number"),
        (["a"], {"a": True}, "not a number"),
        (["a"], {"a": 1, "z": 2}, "names 'z', who is not a player"),
        (["a", "b"], {"a": 1, "b": 1, "b,a": 2}, "not written in the players' order"),
        ([f"p{i}" for i in range(21)], {}, "at most 20 players"),
    ],
)
def test_bad_table_is_refused_naming_what_is_wrong(
    players: list[str], worth: dict[str, object], message: str
) -> None:
    with pytest.raises(InvalidInput, match=message.replace("(", r"\(")):
        game_from_table(players, worth)  # type: ignore[arg-type]


def test_sampling_refuses_a_cost_that_is_not_finite_or_an_empty_coalition_that_costs() -> None:
    with pytest.raises(InvalidInput, match="not a finite number"):
        sampled_shapley(["a", "b"], lambda s: float("nan") if s else 0.0, permutations=5, seed=1)
    with pytest.raises(InvalidInput, match="empty coalition must be 0"):
        sampled_shapley(["a", "b"], lambda s: 1.0, permutations=5, seed=1)
    with pytest.raises(InvalidInput, match="permutations"):
        sampled_shapley(["a", "b"], lambda s: float(len(s)), permutations=1, seed=1)
