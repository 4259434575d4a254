"""The allocation proposal's overhead: request lines and donors in, proposed lines out,
against the raw programme's build and solve on the same seeded data (bench/aid.py).

The proposal path (`crossrisk.aid.proposal.propose`) does what the raw solve is spared:
checks every input, times every donor to every destination with the great-circle model
(WGS84 geodesics), picks each line's 30 nearest donors among those holding its item, maps
the answer back to lines, and makes a second pass for substitutes (none here, so the
second pass is empty). The raw solve is bench/aid.py's highspy path on a Problem whose
travel hours and nearest donors are already drawn. The overhead is the ratio of the two.
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable

from bench.aid import CASES, ROAD_FACTOR, SPEED_KMH, Case, synthetic_data, synthetic_problem
from bench.report import Result
from bench.size import Size
from crossrisk.aid.allocation import formulate, solve_highs
from crossrisk.aid.proposal import DonorStock, RequestLine, propose
from crossrisk.aid.travel import GreatCircleTravel

RUNS = {Size.FULL: 3, Size.SMOKE: 1}


def run(size: Size = Size.FULL) -> list[Result]:
    """The national case (the first of bench/aid.py's): proposal time against raw solve."""
    return [_run_case(CASES[size][0], RUNS[size])]


def inputs(case: Case, seed: int = 2875) -> tuple[list[RequestLine], list[DonorStock]]:
    """bench/aid.py's synthetic data as request lines (one per need and item) and donors."""
    data = synthetic_data(case, seed)
    lines = [
        RequestLine(
            id=j * len(data.items) + i + 1,
            jurisdiction=f"n{j}",
            item=item,
            quantity=int(data.demand[j, i]),
            priority=int(data.priority[j]),
            destination=(float(data.need_xy[j, 0]), float(data.need_xy[j, 1])),
        )
        for j in range(case.needs)
        for i, item in enumerate(data.items)
    ]
    donors = [
        DonorStock(
            f"d{k}",
            (float(data.donor_xy[k, 0]), float(data.donor_xy[k, 1])),
            {item: int(data.stock[k, i]) for i, item in enumerate(data.items)},
            {item: int(data.reserve[k, i]) for i, item in enumerate(data.items)},
        )
        for k in range(case.donors)
    ]
    return lines, donors


def _median_ms(call: Callable[[], object], runs: int) -> float:
    times = []
    for _ in range(runs):
        began = time.perf_counter()
        call()
        times.append((time.perf_counter() - began) * 1000)
    return statistics.median(times)


def _run_case(case: Case, runs: int) -> Result:
    problem = synthetic_problem(case)
    lines, donors = inputs(case)
    travel = GreatCircleTravel(ROAD_FACTOR, SPEED_KMH)
    nearest = case.nearest or case.donors
    raw_ms = _median_ms(lambda: solve_highs(formulate(problem)), runs)
    proposal_ms = _median_ms(lambda: propose(lines, donors, travel=travel, nearest=nearest), runs)
    destinations = dict.fromkeys(line.destination for line in lines)
    points = {f"p{j}": point for j, point in enumerate(destinations)}
    origins = {donor.jurisdiction: donor.point for donor in donors}
    travel_ms = _median_ms(lambda: travel.hours(origins, points), runs)
    proposal = propose(lines, donors, travel=travel, nearest=nearest)
    values, _ = solve_highs(programme := formulate(problem))
    raw_unmet = float(values[programme.arcs :].sum())
    return Result(
        name=f"aid proposal, {case.label}",
        unit="ms median, request lines and donors → proposed lines",
        measured=proposal_ms,
        baseline_name="the raw programme's build + solve (bench aid), same data",
        baseline=raw_ms,
        ratio=raw_ms / proposal_ms,
        detail={
            "proposal ms": proposal_ms,
            "raw solve ms": raw_ms,
            "overhead ratio": proposal_ms / raw_ms,
            "travel hours ms": travel_ms,
            "request lines": len(lines),
            "proposed lines": len(proposal.lines),
            "proposal unmet": float(sum(u.quantity for u in proposal.unmet)),
            "raw unmet": raw_unmet,
            "raw arcs": programme.arcs,
        },
    )
