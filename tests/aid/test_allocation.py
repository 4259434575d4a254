"""The allocation programme on published transportation problems, priorities, reserves,
unmet demand and max-min fairness.

Each published optimum is also recomputed here from the brute data with SciPy's dense
`linprog`, so a wrong citation or a wrong model cannot agree by accident.
"""

from __future__ import annotations

import numpy as np
import pytest
from scipy.optimize import linprog

from crossrisk.aid.allocation import (
    Donor,
    Need,
    Problem,
    formulate,
    item_blocks,
    priority_weights,
    solve,
    solve_highs,
    solve_highs_whole,
)

# (source, cost rows (plant × customer), supplies, demands, published optimum)
PUBLISHED = {
    # W. L. Winston, Operations Research: Applications and Algorithms, 4th ed., §7.1,
    # Powerco: 3 power plants, 4 cities, million kWh; minimum cost $1,020.
    "winston-powerco": (
        [[8, 6, 10, 9], [9, 12, 13, 7], [14, 9, 16, 5]],
        [35, 50, 40],
        [45, 20, 30, 30],
        1020,
    ),
    # H. A. Taha, Operations Research: An Introduction, 8th ed., Example 5.1-1 (SunRay
    # Transport): 3 silos, 4 mills, truckloads of grain; minimum cost $435.
    "taha-sunray": (
        [[10, 2, 20, 11], [12, 7, 9, 20], [4, 14, 16, 18]],
        [15, 25, 10],
        [5, 15, 15, 15],
        435,
    ),
    # F. S. Hillier & G. J. Lieberman, Introduction to Operations Research, 7th ed., §8.1,
    # P & T Company: 3 canneries, 4 warehouses, truckloads of peas; minimum cost $152,535.
    "hillier-lieberman-pt": (
        [[464, 513, 654, 867], [352, 416, 690, 791], [995, 682, 388, 685]],
        [75, 125, 100],
        [80, 65, 70, 85],
        152535,
    ),
}


def _problem(costs: list[list[int]], supplies: list[int], demands: list[int]) -> Problem:
    donors = [Donor(f"s{i}", {"x": s}, {}) for i, s in enumerate(supplies)]
    needs = [Need(f"d{j}", {"x": d}, 4) for j, d in enumerate(demands)]
    hours = {f"s{i}": {f"d{j}": c for j, c in enumerate(row)} for i, row in enumerate(costs)}
    return Problem(donors, needs, hours)


def _dense_optimum(costs: list[list[int]], supplies: list[int], demands: list[int]) -> float:
    c = np.asarray(costs, dtype=float)
    m, n = c.shape
    supply_rows = np.kron(np.eye(m), np.ones(n))
    demand_rows = np.kron(np.ones(m), np.eye(n))
    result = linprog(
        c.ravel(), A_ub=supply_rows, b_ub=supplies, A_eq=demand_rows, b_eq=demands, method="highs"
    )
    assert result.status == 0
    return float(result.fun)


@pytest.mark.parametrize("name", PUBLISHED)
def test_published_transportation_problems_reach_their_known_optima(name: str) -> None:
    costs, supplies, demands, optimum = PUBLISHED[name]
    assert _dense_optimum(costs, supplies, demands) == pytest.approx(optimum, abs=1e-6)

    allocation = solve(_problem(costs, supplies, demands))

    assert allocation.total_hours == optimum
    assert isinstance(allocation.total_hours, int)
    assert allocation.unmet == []
    for j, demand in enumerate(demands):
        assert sum(s.quantity for s in allocation.shipments if s.destination == f"d{j}") == demand
    for i, supply in enumerate(supplies):
        assert sum(s.quantity for s in allocation.shipments if s.source == f"s{i}") <= supply
    assert all(isinstance(s.quantity, int) for s in allocation.shipments)


def test_higher_priority_is_filled_first_however_far() -> None:
    # 10 tents for two needs of 10: the life-saving one is 50 hours away, the normal one 1.
    problem = Problem(
        [Donor("a", {"tent": 10}, {})],
        [Need("near", {"tent": 10}, 4), Need("far", {"tent": 10}, 1)],
        {"a": {"near": 1, "far": 50}},
    )

    allocation = solve(problem)

    assert [(s.destination, s.quantity) for s in allocation.shipments] == [("far", 10)]
    assert [(u.need, u.item, u.quantity) for u in allocation.unmet] == [("near", "tent", 10)]
    assert allocation.total_hours == 500


def test_priority_wins_even_when_it_needs_a_long_reroute() -> None:
    # Serving `urgent` from b (its only route) means moving `normal` from b to a (far):
    # an augmenting path of two forward arcs. The weights still make it worth it.
    problem = Problem(
        [Donor("a", {"w": 5}, {}), Donor("b", {"w": 5}, {})],
        [Need("normal", {"w": 5}, 4), Need("urgent", {"w": 5}, 2)],
        {"a": {"normal": 100}, "b": {"normal": 1, "urgent": 100}},
    )
    weights = priority_weights(problem)
    assert weights[2] > weights[4] > 100

    allocation = solve(problem)

    assert allocation.unmet == []
    assert sorted((s.source, s.destination, s.quantity) for s in allocation.shipments) == [
        ("a", "normal", 5),
        ("b", "urgent", 5),
    ]


def test_reserves_are_kept_and_the_rest_reported_unmet() -> None:
    problem = Problem(
        [Donor("a", {"water": 100, "tent": 5}, {"water": 70, "tent": 5})],
        [Need("n", {"water": 50, "tent": 3}, 1)],
        {"a": {"n": 2.5}},
    )

    allocation = solve(problem)

    assert [(s.item, s.quantity) for s in allocation.shipments] == [("water", 30)]
    assert sorted((u.item, u.quantity) for u in allocation.unmet) == [("tent", 3), ("water", 20)]
    assert allocation.total_hours == 75


def test_no_route_means_no_arc_and_unmet_demand() -> None:
    problem = Problem(
        [Donor("a", {"x": 10}, {})], [Need("n", {"x": 4}, 3), Need("m", {"x": 4}, 3)], {}
    )

    assert formulate(problem).arcs == 0
    allocation = solve(problem)

    assert allocation.shipments == []
    assert {(u.need, u.quantity) for u in allocation.unmet} == {("n", 4), ("m", 4)}
    assert allocation.total_hours == 0


def test_fairness_raises_the_lowest_fill_rate_and_reports_its_price() -> None:
    # 10 units for two needs of 10: without fairness all go to the nearer need; with it,
    # each gets 5, and the far need's 5 units cost 5 × (9 − 1) more hours.
    problem = Problem(
        [Donor("a", {"x": 10}, {})],
        [Need("near", {"x": 10}, 4), Need("far", {"x": 10}, 4)],
        {"a": {"near": 1, "far": 9}},
    )

    plain = solve(problem)
    fair = solve(problem, fair=True)

    assert plain.total_hours == 10 and plain.fairness is None
    assert fair.fairness is not None
    assert fair.fairness.lowest_fill_rate == pytest.approx(0.5)
    assert sorted((s.destination, s.quantity) for s in fair.shipments) == [("far", 5), ("near", 5)]
    assert fair.total_hours == pytest.approx(50)
    assert fair.fairness.unfair_total_hours == pytest.approx(10)
    assert fair.fairness.price_hours == pytest.approx(40)


def test_fractional_inputs_give_floats() -> None:
    problem = Problem([Donor("a", {"x": 2.5}, {})], [Need("n", {"x": 4}, 1)], {"a": {"n": 1.5}})

    allocation = solve(problem)

    assert allocation.shipments[0].quantity == 2.5
    assert allocation.unmet[0].quantity == 1.5
    assert allocation.total_hours == 3.75


def test_item_by_item_solve_equals_the_whole_matrix() -> None:
    rng = np.random.default_rng(7)
    items = ["water", "tent", "pump"]
    donors = [Donor(f"d{k}", {i: int(rng.integers(0, 50)) for i in items}, {}) for k in range(6)]
    needs = [
        Need(f"n{j}", {i: int(rng.integers(0, 60)) for i in items}, int(rng.integers(1, 5)))
        for j in range(5)
    ]
    hours = {
        f"d{k}": {f"n{j}": float(rng.integers(1, 20)) for j in range(5) if (j + k) % 3}
        for k in range(6)
    }
    programme = formulate(Problem(donors, needs, hours))

    blocks, by_item = solve_highs(programme)
    _, in_one = solve_highs_whole(programme)

    assert len(item_blocks(programme)) == 3
    assert by_item == pytest.approx(in_one, rel=1e-9)
    assert np.all(programme.arc_hours @ blocks[: programme.arcs] >= 0)


def test_three_priorities_are_filled_in_order() -> None:
    # 15 units for three needs of 10; the lower the priority, the nearer.
    problem = Problem(
        [Donor("a", {"x": 20}, {"x": 5})],
        [Need("p3", {"x": 10}, 3), Need("p2", {"x": 10}, 2), Need("p1", {"x": 10}, 1)],
        {"a": {"p3": 1, "p2": 20, "p1": 40}},
    )

    allocation = solve(problem)

    assert sorted((s.destination, s.quantity) for s in allocation.shipments) == [
        ("p1", 10),
        ("p2", 5),
    ]
    assert sorted((u.need, u.quantity) for u in allocation.unmet) == [("p2", 5), ("p3", 10)]
    weights = priority_weights(problem)
    assert weights[1] > weights[2] > weights[3] > 1 * 40
