"""Ni and Wang (2007): LRS and UES, each equal to the Shapley value of its game."""

from __future__ import annotations

import numpy as np
import pytest

from crossrisk.domain.compensation.river_sharing import (
    local_responsibility_sharing,
    river,
    stand_alone_cost,
    upstream_equal_sharing,
    upstream_responsibility_cost,
)
from crossrisk.domain.compensation.shapley import exact_shapley, game_from_cost
from crossrisk.domain.errors import InvalidInput

# Three regions, upstream first; cleaning their segments costs 6, 4 and 3.
THREE = river(["Huangshan", "Chun'an", "Hangzhou"], [6.0, 4.0, 3.0])


def test_local_responsibility_sharing_charges_each_region_its_own_segment() -> None:
    assert local_responsibility_sharing(THREE) == {"Huangshan": 6, "Chun'an": 4, "Hangzhou": 3}


def test_upstream_equal_sharing_splits_each_segment_among_it_and_those_above() -> None:
    # Segment 1: 6 / 1 to Huangshan; segment 2: 4 / 2 each to the first two; segment 3:
    # 3 / 3 each to all: Huangshan 6 + 2 + 1, Chun'an 2 + 1, Hangzhou 1.
    assert upstream_equal_sharing(THREE) == pytest.approx(
        {"Huangshan": 9.0, "Chun'an": 3.0, "Hangzhou": 1.0}
    )


def test_both_rules_are_the_shapley_values_of_their_games() -> None:
    rng = np.random.default_rng(2007)
    regions = [f"r{i}" for i in range(12)]
    stretch = river(regions, rng.uniform(0, 50, len(regions)).tolist())

    lrs_game = exact_shapley(game_from_cost(regions, stand_alone_cost(stretch))).as_dict()
    ues_game = exact_shapley(game_from_cost(regions, upstream_responsibility_cost(stretch)))

    assert lrs_game == pytest.approx(local_responsibility_sharing(stretch))
    assert ues_game.as_dict() == pytest.approx(upstream_equal_sharing(stretch))
    assert sum(ues_game.shares) == pytest.approx(sum(stretch.costs))


def test_upstream_game_charges_a_coalition_from_its_most_upstream_member_down() -> None:
    cost = upstream_responsibility_cost(THREE)
    assert cost(frozenset({"Hangzhou"})) == 3.0
    assert cost(frozenset({"Chun'an", "Hangzhou"})) == 7.0
    assert cost(frozenset({"Huangshan", "Hangzhou"})) == 13.0
    assert cost(frozenset()) == 0.0


@pytest.mark.parametrize(
    ("regions", "costs", "message"),
    [
        (["a", "b"], [1.0, -1.0], "of 'b' must be finite and ≥ 0"),
        (["a", "b"], [1.0, float("nan")], "must be finite"),
        (["a", "b"], [1.0, 10**400], "must be finite"),
        (["a", "b"], [1.0], "one cleaning cost per region"),
        (["a", "a"], [1.0, 1.0], "appears twice"),
        ([], [], "at least one player"),
    ],
)
def test_bad_river_is_refused(regions: list[str], costs: list[float], message: str) -> None:
    with pytest.raises(InvalidInput, match=message):
        river(regions, costs)
