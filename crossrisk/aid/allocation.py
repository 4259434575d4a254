"""The mutual-aid allocation: who sends how much of what to whom, as one linear programme.

The model (one commodity per item; items share nothing, so they are independent):

- Donors d hold stock s[d,i] of item i and keep a reserve r[d,i] (r ≤ s); each gives at most
  a[d,i] = s[d,i] − r[d,i].
- Needs n ask for demand q[n,i] with a priority p(n) in 1..4 (1 life-saving, 4 normal).
- Travel hours h[d,n] exist only where a route exists; a missing pair has no arc, and the
  programme has a variable x[d,n,i] ≥ 0 only on arcs with a[d,i] > 0 and q[n,i] > 0, so it
  is built sparsely (about 30 arcs a need, not donors × needs).
- Unmet demand u[n,i] ≥ 0 closes every need row, Σ_d x[d,n,i] + u[n,i] = q[n,i], so the
  programme is never infeasible and what could not be met is reported.
- Donor rows: Σ_n x[d,n,i] ≤ a[d,i].
- Minimise Σ h[d,n] x[d,n,i] + Σ w[p(n)] u[n,i].

Priority weights. Fix an item. Any change of a feasible flow that delivers one more unit to
one need and one fewer to another (or to none) is, in the residual network, a simple
alternating path: forward arcs add flow, backward arcs remove it. Each forward arc ends at a
distinct need and starts at a distinct donor, so a path has at most K = min(donors, needs)
forward arcs, and its change in travel hours is at most K·H, H the largest travel hours
(removing flow only saves hours). With the weights of the priorities present, lowest first,
w[last] = K·H + 1 and w[p] = w[next lower] + K·H + 1, every swap of an unmet unit of a higher
priority for one of a lower priority lowers the cost by at least 1 whatever the hours, and
every unit that can be delivered at all is (w ≥ K·H + 1 > the hours any augmenting path
adds). So the optimum fills the highest priority as far as the routes and reserves allow,
then the next, and only then minimises hours. The weights come from the data, not constants.

Fairness (optional). First maximise t, the lowest fill rate Σ_d x[d,n,i] / q[n,i] over all
(n, i) with demand, subject to the same rows; then minimise the weighted cost above with
every fill rate at least t* (less 1e-9 for the solver's tolerance). The price of fairness is
the fair plan's travel hours less those of the plan without fairness.

Integrality. Each item's programme is a transportation problem: its constraint matrix (one
donor row and one need row per arc column, unit columns for u) is totally unimodular, so
with integer stock, reserve and demand every vertex is integral and HiGHS's simplex returns
one. Quantities within 1e-6 of an integer are reported as exact integers when every input
quantity is an integer; otherwise as floats to six decimals. The fairness bound t·q breaks
total unimodularity, so fair plans may hold fractions.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import highspy
import numpy as np

PRIORITIES = (1, 2, 3, 4)
INTEGRAL_TOLERANCE = 1e-6
FAIR_SLACK = 1e-9


@dataclass(frozen=True)
class Donor:
    id: str
    stock: Mapping[str, float]
    reserve: Mapping[str, float]

    def available(self, item: str) -> float:
        return self.stock.get(item, 0) - self.reserve.get(item, 0)


@dataclass(frozen=True)
class Need:
    id: str
    demand: Mapping[str, float]
    priority: int


@dataclass(frozen=True)
class Problem:
    donors: Sequence[Donor]
    needs: Sequence[Need]
    # donor id → need id → hours; a missing pair means no route.
    travel_hours: Mapping[str, Mapping[str, float]]


@dataclass(frozen=True)
class Shipment:
    source: str
    destination: str
    item: str
    quantity: float


@dataclass(frozen=True)
class Unmet:
    need: str
    item: str
    quantity: float


@dataclass(frozen=True)
class Fairness:
    lowest_fill_rate: float
    # Travel hours of the plan without fairness, and what fairness adds to them.
    unfair_total_hours: float
    price_hours: float


@dataclass(frozen=True)
class Allocation:
    shipments: list[Shipment]
    unmet: list[Unmet]
    total_hours: float
    fairness: Fairness | None = None


@dataclass(frozen=True)
class Programme:
    """The sparse programme in column-wise (CSC) form, as HiGHS, SciPy and PuLP take it.

    Columns: the arcs first (arc_donor, arc_need, arc_item), then one unmet column per
    (need, item) with demand. Rows: one per (donor, item) with something to give, then one
    per (need, item) with demand.
    """

    cost: np.ndarray
    col_upper: np.ndarray
    row_lower: np.ndarray
    row_upper: np.ndarray
    start: np.ndarray
    index: np.ndarray
    value: np.ndarray
    arc_donor: list[str]
    arc_need: list[str]
    arc_item: list[str]
    arc_hours: np.ndarray
    unmet_need: list[str]
    unmet_item: list[str]
    demand: np.ndarray  # per unmet column, the demand it closes
    need_rows: np.ndarray  # per unmet column, its need row
    integral: bool

    @property
    def arcs(self) -> int:
        return len(self.arc_donor)

    @property
    def rows(self) -> int:
        return len(self.row_lower)


def priority_weights(problem: Problem) -> dict[int, float]:
    """The weight of a unit unmet at each priority present (see the module's argument)."""
    hours = [h for row in problem.travel_hours.values() for h in row.values()]
    step = min(len(problem.donors), len(problem.needs)) * max(hours, default=0.0) + 1.0
    weights: dict[int, float] = {}
    for rank, priority in enumerate(sorted({n.priority for n in problem.needs}, reverse=True)):
        weights[priority] = step * (rank + 1)
    return weights


def formulate(problem: Problem) -> Programme:
    """The allocation programme, with variables only on arcs that can carry something."""
    weights = priority_weights(problem)
    donor_row: dict[tuple[str, str], int] = {}
    upper: list[float] = []
    for donor in problem.donors:
        for item in donor.stock:
            if donor.available(item) > 0:
                donor_row[donor.id, item] = len(upper)
                upper.append(donor.available(item))
    need_row: dict[tuple[str, str], int] = {}
    demand: list[float] = []
    unmet_cost: list[float] = []
    for need in problem.needs:
        for item, quantity in need.demand.items():
            if quantity > 0:
                need_row[need.id, item] = len(upper) + len(demand)
                demand.append(quantity)
                unmet_cost.append(weights[need.priority])
    arc_donor: list[str] = []
    arc_need: list[str] = []
    arc_item: list[str] = []
    arc_hours: list[float] = []
    index: list[int] = []
    needs = {need.id: need for need in problem.needs}
    for donor in problem.donors:
        # Only the routes listed: a missing pair is no arc, and the loop never visits it.
        for need_id, hours in problem.travel_hours.get(donor.id, {}).items():
            need = needs[need_id]
            for item in need.demand:
                row = donor_row.get((donor.id, item))
                target = need_row.get((need.id, item))
                if row is None or target is None:
                    continue
                arc_donor.append(donor.id)
                arc_need.append(need.id)
                arc_item.append(item)
                arc_hours.append(hours)
                index.extend((row, target))
    arcs = len(arc_donor)
    unmet_rows = np.fromiter(need_row.values(), dtype=np.int32, count=len(need_row))
    demand_array = np.asarray(demand, dtype=float)
    bounds = np.concatenate([np.asarray(upper, dtype=float), demand_array])
    integral = all(float(v).is_integer() for v in bounds) if len(bounds) else True
    return Programme(
        cost=np.concatenate([np.asarray(arc_hours, dtype=float), np.asarray(unmet_cost)]),
        col_upper=np.concatenate([np.full(arcs, np.inf), demand_array]),
        row_lower=np.concatenate([np.full(len(upper), -np.inf), demand_array]),
        row_upper=bounds,
        start=np.concatenate(
            [np.arange(0, 2 * arcs + 1, 2), 2 * arcs + np.arange(1, len(demand) + 1)]
        ).astype(np.int32),
        index=np.concatenate([np.asarray(index, dtype=np.int32), unmet_rows]),
        value=np.ones(2 * arcs + len(demand)),
        arc_donor=arc_donor,
        arc_need=arc_need,
        arc_item=arc_item,
        arc_hours=np.asarray(arc_hours, dtype=float),
        unmet_need=[need for need, _ in need_row],
        unmet_item=[item for _, item in need_row],
        demand=demand_array,
        need_rows=unmet_rows,
        integral=integral,
    )


def solve(problem: Problem, *, fair: bool = False) -> Allocation:
    """The least weighted-hours allocation, or with `fair` the max-min fair one."""
    programme = formulate(problem)
    plain = _solve_highs(programme)
    if not fair:
        return _allocation(programme, plain)
    fair_values, lowest = _solve_fair(programme)
    allocation = _allocation(programme, fair_values)
    unfair_hours = float(programme.arc_hours @ plain[: programme.arcs])
    return Allocation(
        allocation.shipments,
        allocation.unmet,
        allocation.total_hours,
        Fairness(
            lowest_fill_rate=lowest,
            unfair_total_hours=_quantity(unfair_hours, False),
            price_hours=_quantity(allocation.total_hours - unfair_hours, False),
        ),
    )


def solve_highs(programme: Programme) -> tuple[np.ndarray, float]:
    """The optimal column values and objective of a formulated programme."""
    values = _solve_highs(programme)
    return values, float(programme.cost @ values)


_banner_shown = False


def _highs(*, primal: bool = False) -> highspy.Highs:
    global _banner_shown
    if not _banner_shown:
        # HiGHS prints its banner on standard output from C++ when the first solver of a
        # process is made, before any option can stop it; it would corrupt printed JSON.
        sys.stdout.flush()
        saved = os.dup(1)
        with open(os.devnull, "wb") as sink:
            os.dup2(sink.fileno(), 1)
            try:
                highs = highspy.Highs()  # type: ignore[no-untyped-call]
            finally:
                os.dup2(saved, 1)
                os.close(saved)
        _banner_shown = True
    else:
        highs = highspy.Highs()  # type: ignore[no-untyped-call]
    highs.setOptionValue("output_flag", False)
    if primal:
        # On one item's block, x = 0, u = demand is a feasible start and the unmet columns
        # a ready basis: the primal simplex without presolve is quicker there (about 0.55 s
        # against 0.75 s at bench/aid.py's national scale). On the whole matrix, or with
        # fairness's coupling rows, it is far slower (8 s against 1.4 s): defaults there.
        highs.setOptionValue("simplex_strategy", 4)
        highs.setOptionValue("presolve", "off")
    return highs


def _lp(programme: Programme, cost: np.ndarray) -> highspy.HighsLp:
    extra = len(cost) - len(programme.cost)
    lp = highspy.HighsLp()
    lp.num_col_ = len(cost)
    lp.num_row_ = programme.rows
    lp.col_cost_ = cost
    lp.col_lower_ = np.zeros(len(cost))
    lp.col_upper_ = np.concatenate([programme.col_upper, np.full(extra, np.inf)])
    lp.row_lower_ = programme.row_lower
    lp.row_upper_ = programme.row_upper
    lp.a_matrix_.format_ = highspy.MatrixFormat.kColwise
    # Columns beyond the programme's (fairness's t) are empty.
    lp.a_matrix_.start_ = np.concatenate(
        [programme.start, np.full(extra, programme.start[-1], dtype=np.int32)]
    )
    lp.a_matrix_.index_ = programme.index
    lp.a_matrix_.value_ = programme.value
    return lp


def _run(highs: highspy.Highs) -> np.ndarray:
    highs.run()
    status = highs.getModelStatus()
    if status != highspy.HighsModelStatus.kOptimal:
        # Never expected: the unmet columns make every programme feasible and bounded.
        raise RuntimeError(f"HiGHS ended with {highs.modelStatusToString(status)}")
    return np.asarray(highs.getSolution().col_value, dtype=float)


def _solve_highs(programme: Programme) -> np.ndarray:
    """Item by item: the matrix is block-diagonal by item (no row holds two items), and
    HiGHS's simplex solves ten blocks of n columns faster than one of 10n."""
    values = np.zeros(len(programme.cost))
    for columns, block in item_blocks(programme):
        highs = _highs(primal=True)
        highs.passModel(_lp(block, block.cost))
        values[columns] = _run(highs)
    return values


def item_blocks(programme: Programme) -> list[tuple[np.ndarray, Programme]]:
    """Each item's columns in the whole programme, and its own programme of them alone."""
    items = programme.arc_item + programme.unmet_item
    codes = {item: code for code, item in enumerate(dict.fromkeys(items))}
    column_item = np.fromiter((codes[item] for item in items), dtype=np.int32, count=len(items))
    blocks = []
    for code in range(len(codes)):
        columns = np.flatnonzero(column_item == code)
        firsts = programme.start[columns]
        counts = programme.start[columns + 1] - firsts
        offsets = np.concatenate([[0], np.cumsum(counts)]).astype(np.int32)
        positions = np.repeat(firsts - offsets[:-1], counts) + np.arange(offsets[-1])
        rows = np.unique(programme.index[positions])
        renumber = np.full(programme.rows, -1, dtype=np.int32)
        renumber[rows] = np.arange(len(rows), dtype=np.int32)
        arcs = int(np.sum(columns < programme.arcs))
        block = Programme(
            cost=programme.cost[columns],
            col_upper=programme.col_upper[columns],
            row_lower=programme.row_lower[rows],
            row_upper=programme.row_upper[rows],
            start=offsets,
            index=renumber[programme.index[positions]],
            value=programme.value[positions],
            arc_donor=[programme.arc_donor[k] for k in columns[:arcs]],
            arc_need=[programme.arc_need[k] for k in columns[:arcs]],
            arc_item=[programme.arc_item[k] for k in columns[:arcs]],
            arc_hours=programme.arc_hours[columns[:arcs]],
            unmet_need=[programme.unmet_need[k - programme.arcs] for k in columns[arcs:]],
            unmet_item=[programme.unmet_item[k - programme.arcs] for k in columns[arcs:]],
            demand=programme.demand[columns[arcs:] - programme.arcs],
            need_rows=renumber[programme.need_rows[columns[arcs:] - programme.arcs]],
            integral=programme.integral,
        )
        blocks.append((columns, block))
    return blocks


def solve_highs_whole(programme: Programme) -> tuple[np.ndarray, float]:
    """The same optimum from one HiGHS run on the whole matrix (the benchmark's check)."""
    highs = _highs()
    highs.passModel(_lp(programme, programme.cost))
    values = _run(highs) if programme.rows else np.zeros(len(programme.cost))
    return values, float(programme.cost @ values)


def _solve_fair(programme: Programme) -> tuple[np.ndarray, float]:
    """Max-min fill rate t*, then the least-cost plan with every fill rate ≥ t*."""
    columns = len(programme.cost)
    if len(programme.demand) == 0:
        return np.zeros(columns), 1.0
    # Fill rate ≥ t ⇔ u[n,i] ≤ q[n,i](1 − t) ⇔ u[n,i] + q[n,i]·t ≤ q[n,i]: one row per
    # unmet column and a t column (0 ≤ t ≤ 1) appended.
    highs = _highs()
    lp = _lp(programme, np.concatenate([np.zeros(columns), [-1.0]]))
    lp.col_upper_ = np.concatenate([programme.col_upper, [1.0]])
    highs.passModel(lp)
    count = len(programme.demand)
    unmet_columns = np.arange(programme.arcs, columns, dtype=np.int32)
    highs.addRows(
        count,
        np.full(count, -np.inf),
        programme.demand,
        2 * count,
        np.arange(0, 2 * count, 2, dtype=np.int32),
        np.column_stack([unmet_columns, np.full(count, columns, dtype=np.int32)]).ravel(),
        np.column_stack([np.ones(count), programme.demand]).ravel(),
    )
    lowest = float(_run(highs)[columns])
    # Stage two: drop t's column, bound each unmet quantity to keep fill ≥ t*.
    bound = np.maximum(programme.demand * (1.0 - lowest + FAIR_SLACK), 0.0)
    highs = _highs()
    lp = _lp(programme, programme.cost)
    lp.col_upper_ = np.concatenate(
        [np.full(programme.arcs, np.inf), np.minimum(bound, programme.demand)]
    )
    highs.passModel(lp)
    return _run(highs), lowest


def _quantity(value: float, integral: bool) -> float:
    nearest = round(value)
    if integral and abs(value - nearest) <= INTEGRAL_TOLERANCE:
        return int(nearest)
    return round(value, 6)


def _allocation(programme: Programme, values: np.ndarray) -> Allocation:
    integral = programme.integral
    shipments = [
        Shipment(programme.arc_donor[k], programme.arc_need[k], programme.arc_item[k], quantity)
        for k in np.flatnonzero(values[: programme.arcs] > INTEGRAL_TOLERANCE)
        if (quantity := _quantity(float(values[k]), integral))
    ]
    unmet = [
        Unmet(programme.unmet_need[k], programme.unmet_item[k], quantity)
        for k in np.flatnonzero(values[programme.arcs :] > INTEGRAL_TOLERANCE)
        if (quantity := _quantity(float(values[programme.arcs + k]), integral))
    ]
    hours = float(programme.arc_hours @ values[: programme.arcs])
    return Allocation(
        shipments, unmet, _quantity(hours, integral and _integral_hours(programme)), None
    )


def _integral_hours(programme: Programme) -> bool:
    return bool(np.all(np.mod(programme.arc_hours, 1.0) == 0))
