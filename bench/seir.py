"""Metapopulation SEIR for 370 cities over 180 days: numpy RK4 against a plain Python loop."""

from __future__ import annotations

import operator
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from bench.report import Result
from bench.size import Size
from crossrisk.domain.propagation import PARAMETERS
from crossrisk.domain.reach import Pathway
from crossrisk.geo import mobility
from crossrisk.geo.mobility import _mixing_matrix  # the baseline shares it: only RK4 differs


@dataclass(frozen=True)
class Counts:
    cities: int
    runs: int
    # The plain loop costs the same every simulated day (one RK4 step a day at the
    # defaults), so a few days, timed and scaled to the full run, give its cost without
    # minutes of waiting.
    baseline_days: int
    baseline_runs: int


COUNTS = {
    # 370: the city count of Liu et al. 2014, on which the gravity defaults rest.
    Size.FULL: Counts(cities=370, runs=10, baseline_days=5, baseline_runs=3),
    Size.SMOKE: Counts(cities=40, runs=2, baseline_days=2, baseline_runs=1),
}
TARGET_MS = 100.0


def _default(name: str) -> float:
    """A mobility parameter's default, as the platform would run it."""
    return float(PARAMETERS[Pathway.MOBILITY][name].default)  # type: ignore[arg-type]


def synthetic_cities(cities: int, seed: int = 370) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Populations and positions of made-up cities spread over eastern and central China."""
    rng = np.random.default_rng(seed)
    # Prefecture-level cities hold from a few hundred thousand to over twenty million people;
    # a log-normal with a 3 million median spans that range.
    populations = np.round(rng.lognormal(mean=np.log(3e6), sigma=0.8, size=cities))
    lons = rng.uniform(100.0, 122.0, size=cities)
    lats = rng.uniform(21.0, 45.0, size=cities)
    return populations, lons, lats


def run(size: Size = Size.FULL) -> Result:
    """Median time of distances, gravity flows and a 180-day SEIR, against plain Python."""
    counts = COUNTS[size]
    populations, lons, lats = synthetic_cities(counts.cities)
    days = int(_default("days"))
    seeds = {0: _default("initial_cases")}

    def flows() -> np.ndarray:
        return mobility.gravity_flows(
            populations,
            mobility.distance_matrix_km(lons, lats),
            trip_rate=_default("trip_rate"),
            constraint="production",
        )

    def seir(trips: np.ndarray) -> mobility.SeirResult:
        return mobility.seir(
            populations,
            trips,
            r0=_default("r0"),
            incubation_days=_default("incubation_days"),
            infectious_days=_default("infectious_days"),
            seeds=seeds,
            days=days,
            threshold_cases=_default("threshold_cases"),
        )

    trips = flows()
    result = seir(trips)  # also the warm-up
    if result.steps_per_day != 1:
        raise AssertionError("the defaults no longer integrate at one step a day; rescale")
    whole_ms = _median_ms(lambda: seir(flows()), counts.runs)
    flows_ms = _median_ms(flows, counts.runs)
    seir_ms = _median_ms(lambda: seir(trips), counts.runs)

    # Baseline: the same chain, with the RK4 loop written city by city in plain Python.
    mixing_ms = _median_ms(
        lambda: _mixing_matrix(populations, trips, mobility.DEFAULT_RETURN_RATE), counts.runs
    )
    contacts = (
        (_default("r0") / _default("infectious_days"))
        * _mixing_matrix(populations, trips, mobility.DEFAULT_RETURN_RATE)
    ).tolist()
    start = [
        populations.tolist(),
        [0.0] * counts.cities,
        [0.0] * counts.cities,
        [0.0] * counts.cities,
    ]
    start[0][0] -= seeds[0]
    start[2][0] += seeds[0]
    per_day_ms = []
    for _ in range(counts.baseline_runs):
        began = time.perf_counter()
        end = _plain_rk4(
            start,
            contacts,
            onset=1.0 / _default("incubation_days"),
            recovery=1.0 / _default("infectious_days"),
            days=counts.baseline_days,
        )
        per_day_ms.append((time.perf_counter() - began) * 1000 / counts.baseline_days)
    # The loop must be the same model, or its time says nothing about ours.
    expected = np.stack(
        [
            result.susceptible[counts.baseline_days],
            result.exposed[counts.baseline_days],
            result.infectious[counts.baseline_days],
            result.recovered[counts.baseline_days],
        ]
    )
    deviation = float(np.max(np.abs(np.array(end) - expected) / np.maximum(expected, 1.0)))
    if deviation > 1e-9:
        raise AssertionError(f"plain loop departs from mobility.seir by {deviation:.2g}")
    plain_ms = flows_ms + mixing_ms + statistics.median(per_day_ms) * days
    return Result(
        name=f"SEIR, {counts.cities} cities, {days} days",
        unit="ms median, flows + SEIR",
        measured=whole_ms,
        baseline_name=(
            f"plain Python RK4 ({counts.baseline_days} days timed, ×{days // counts.baseline_days})"
        ),
        baseline=plain_ms,
        ratio=plain_ms / whole_ms,
        detail={
            "distances + gravity flows ms": flows_ms,
            "seir() alone ms": seir_ms,
            "plain loop: mixing matrix ms": mixing_ms,
            "plain loop ms per day": statistics.median(per_day_ms),
            "plain loop max deviation": deviation,
        },
        target=f"< {TARGET_MS:g} ms",
        met=whole_ms < TARGET_MS,
    )


def _plain_rk4(
    state: list[list[float]],
    contacts: list[list[float]],
    *,
    onset: float,
    recovery: float,
    days: int,
) -> list[list[float]]:
    """S, E, I, R after `days` one-day RK4 steps, one city at a time."""
    n = len(state[0])

    def derivative(y: list[list[float]]) -> list[list[float]]:
        s, e, i, _ = y
        out = [[0.0] * n for _ in range(4)]
        for city in range(n):
            pressure = sum(map(operator.mul, contacts[city], i))
            infections = s[city] * pressure
            onsets = e[city] * onset
            recoveries = i[city] * recovery
            out[0][city] = -infections
            out[1][city] = infections - onsets
            out[2][city] = onsets - recoveries
            out[3][city] = recoveries
        return out

    def plus(y: list[list[float]], k: list[list[float]], h: float) -> list[list[float]]:
        return [
            [a + h * b for a, b in zip(ya, ka, strict=True)] for ya, ka in zip(y, k, strict=True)
        ]

    y = [list(row) for row in state]
    for _ in range(days):
        k1 = derivative(y)
        k2 = derivative(plus(y, k1, 0.5))
        k3 = derivative(plus(y, k2, 0.5))
        k4 = derivative(plus(y, k3, 1.0))
        y = [
            [
                a + (b1 + 2.0 * b2 + 2.0 * b3 + b4) / 6.0
                for a, b1, b2, b3, b4 in zip(ya, *ks, strict=True)
            ]
            for ya, *ks in zip(y, k1, k2, k3, k4, strict=True)
        ]
    return y


def _median_ms(call: Callable[[], object], runs: int) -> float:
    times = []
    for _ in range(runs):
        began = time.perf_counter()
        call()
        times.append((time.perf_counter() - began) * 1000)
    return statistics.median(times)
