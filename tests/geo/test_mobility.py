"""Gravity flows between cities and the metapopulation SEIR they drive (crossrisk.geo.mobility)."""

from __future__ import annotations

import json
import math
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from shapely.geometry import shape

import crossrisk
from crossrisk.domain.errors import InvalidInput
from crossrisk.geo.mobility import (
    distance_matrix_km,
    gravity_flows,
    seir,
    sir_final_size,
)

GEOJSON = (
    Path(crossrisk.__file__).resolve().parent / "data" / "regions" / "yrd" / "jurisdictions.geojson"
)

# COVID-19-like course: Li et al. 2020 (NEJM 382:1199) give a 5.2-day mean incubation.
INCUBATION_DAYS = 5.2
INFECTIOUS_DAYS = 5.0


def chain_distances() -> np.ndarray:
    """A and B 50 km apart, C 500 km beyond A on the same line."""
    positions = np.array([0.0, 50.0, 500.0])
    distances: np.ndarray = np.abs(positions[:, None] - positions[None, :])
    return distances


@pytest.mark.parametrize("r0", [0.5, 1.0, 1.5, 2.5, 4.0, 10.0])
def test_sir_final_size_solves_the_final_size_equation(r0: float) -> None:
    z = sir_final_size(r0)
    if r0 <= 1:
        assert z == 0.0
    else:
        assert 0 < z < 1
        assert z == pytest.approx(1 - math.exp(-r0 * z), abs=1e-14)


@pytest.mark.parametrize("incubation_days", [0.0, 3.0], ids=["SIR", "SEIR"])
@pytest.mark.parametrize("r0", [1.5, 2.5, 4.0])
def test_single_city_final_size_matches_final_size_equation(
    r0: float, incubation_days: float
) -> None:
    result = seir(
        [10_000_000.0],
        [[0.0]],
        r0=r0,
        incubation_days=incubation_days,
        infectious_days=INFECTIOUS_DAYS,
        seeds={0: 10.0},
        days=1500,  # long enough for R0 = 1.5 to burn out completely
    )
    expected = sir_final_size(r0)
    assert result.infectious[-1, 0] < 1e-6
    assert result.final_size[0] == pytest.approx(expected, rel=0.005)


def test_population_is_conserved_in_every_city_every_day() -> None:
    rng = np.random.default_rng(7)
    populations = rng.uniform(2e5, 2e7, 12)
    distances = distance_matrix_km(rng.uniform(116, 122, 12), rng.uniform(28, 34, 12))
    flows = gravity_flows(populations, distances)
    result = seir(
        populations,
        flows,
        r0=3.0,
        incubation_days=INCUBATION_DAYS,
        infectious_days=INFECTIOUS_DAYS,
        seeds={0: 100.0},
        days=200,
    )
    total = result.susceptible + result.exposed + result.infectious + result.recovered
    np.testing.assert_allclose(total, np.broadcast_to(populations, total.shape), rtol=1e-12)
    assert result.final_size.min() > 0.5  # the epidemic did run everywhere


def test_production_constrained_rows_sum_to_trips_produced() -> None:
    populations = np.array([24.9e6, 12.7e6, 5.4e6, 2.0e6])
    distances = distance_matrix_km([121.47, 120.59, 120.76, 116.80], [31.23, 31.30, 30.75, 33.95])
    flows = gravity_flows(populations, distances, trip_rate=0.02, constraint="production")
    np.testing.assert_allclose(flows.sum(axis=1), 0.02 * populations, rtol=1e-13)
    assert np.all(np.diagonal(flows) == 0)
    assert np.all(flows[~np.eye(4, dtype=bool)] > 0)


def test_doubly_constrained_rows_and_columns_match_totals() -> None:
    populations = np.array([24.9e6, 12.7e6, 5.4e6, 2.0e6, 9.3e6])
    distances = distance_matrix_km(
        [121.47, 120.59, 120.76, 116.80, 118.80], [31.23, 31.30, 30.75, 33.95, 32.06]
    )
    produced = 0.03 * populations
    # Shanghai draws a tenth more than it sends, the others a little less; same total.
    arrivals = produced * np.array([1.1, 0.9, 0.9, 0.9, 0.9])
    arrivals *= produced.sum() / arrivals.sum()
    tolerance = 1e-8
    flows = gravity_flows(
        populations,
        distances,
        trip_rate=0.03,
        constraint="doubly",
        attraction=arrivals,
        tolerance=tolerance,
    )
    np.testing.assert_allclose(flows.sum(axis=1), produced, rtol=tolerance)
    np.testing.assert_allclose(flows.sum(axis=0), arrivals, rtol=tolerance)
    assert np.all(np.diagonal(flows) == 0)


def test_doubly_constrained_refuses_totals_that_disagree() -> None:
    populations = np.array([1e6, 2e6, 3e6])
    with pytest.raises(InvalidInput, match="attraction totals"):
        gravity_flows(
            populations,
            chain_distances(),
            constraint="doubly",
            attraction=0.05 * populations,  # trip_rate is 0.03: 5/3 times too many arrivals
        )


@pytest.mark.parametrize(
    ("deterrence", "beta"), [("power", 1.0), ("power", 2.0), ("exponential", 0.01)]
)
def test_flows_fall_with_distance_and_rise_with_population(deterrence: Any, beta: float) -> None:
    # From city 0: cities 1 and 2 are equally big, 2 is farther; 3 is as far as 1 but bigger.
    populations = np.array([1e6, 1e6, 1e6, 4e6])
    distances = np.array(
        [
            [0.0, 100.0, 300.0, 100.0],
            [100.0, 0.0, 250.0, 150.0],
            [300.0, 250.0, 0.0, 350.0],
            [100.0, 150.0, 350.0, 0.0],
        ]
    )
    flows = gravity_flows(populations, distances, beta=beta, deterrence=deterrence)
    assert flows[0, 1] > flows[0, 2]  # farther, fewer trips
    assert flows[0, 3] > flows[0, 1]  # bigger, more trips


def test_nearby_city_is_reached_before_a_far_one() -> None:
    populations = np.array([1e6, 1e6, 1e6])
    flows = gravity_flows(populations, chain_distances())
    result = seir(
        populations,
        flows,
        r0=2.5,
        incubation_days=INCUBATION_DAYS,
        infectious_days=INFECTIOUS_DAYS,
        seeds={0: 10.0},
        days=365,
    )
    arrival = result.arrival_day
    assert arrival[0] == 0  # the seeds already meet the 1-case threshold
    assert np.isfinite(arrival[2])
    assert arrival[1] < arrival[2]
    assert result.peak_day[1] < result.peak_day[2]


def test_city_with_no_flows_to_the_seed_never_gets_cases() -> None:
    populations = np.array([1e6, 2e6, 5e5])
    flows = np.array([[0.0, 3e4, 0.0], [6e4, 0.0, 0.0], [0.0, 0.0, 0.0]])
    result = seir(
        populations,
        flows,
        r0=3.0,
        incubation_days=INCUBATION_DAYS,
        infectious_days=INFECTIOUS_DAYS,
        seeds={0: 10.0},
        days=365,
    )
    assert np.isfinite(result.arrival_day[1])
    assert math.isnan(result.arrival_day[2])
    assert math.isnan(result.peak_day[2])
    assert result.final_size[2] == 0
    assert np.all(result.infectious[:, 2] == 0)
    assert np.all(result.susceptible[:, 2] == populations[2])


def test_incidence_adds_up_to_cumulative_cases() -> None:
    populations = np.array([1e6, 1e6, 1e6])
    result = seir(
        populations,
        gravity_flows(populations, chain_distances()),
        r0=2.0,
        incubation_days=INCUBATION_DAYS,
        infectious_days=INFECTIOUS_DAYS,
        seeds={0: 5.0},
        days=120,
    )
    assert result.incidence.shape == (120, 3)
    assert result.infectious.shape == (121, 3)
    np.testing.assert_allclose(
        result.incidence.sum(axis=0), result.cumulative_cases[-1] - result.cumulative_cases[0]
    )


def test_distance_matrix_is_geodesic_km_on_wgs84() -> None:
    distances = distance_matrix_km([121.0, 121.0, 122.0], [30.0, 31.0, 30.0])
    # Length of a degree on WGS84 by the textbook series (NGA): of latitude at the mid
    # latitude 30.5°, of longitude (along the parallel) at 30°.
    phi = math.radians(30.5)
    lat_degree_m = 111_132.954 - 559.822 * math.cos(2 * phi) + 1.175 * math.cos(4 * phi)
    phi = math.radians(30.0)
    lon_degree_m = 111_412.84 * math.cos(phi) - 93.5 * math.cos(3 * phi) + 0.118 * math.cos(5 * phi)
    assert distances[0, 1] == pytest.approx(lat_degree_m / 1000, rel=1e-6)
    # The geodesic cuts a little poleward of the parallel, a few metres shorter in 96 km.
    assert distances[0, 2] == pytest.approx(lon_degree_m / 1000, rel=1e-4)
    assert distances[0, 2] < lon_degree_m / 1000
    np.testing.assert_array_equal(distances, distances.T)
    assert np.all(np.diagonal(distances) == 0)


def yrd_members() -> list[dict[str, Any]]:
    with GEOJSON.open(encoding="utf-8") as f:
        collection = json.load(f)
    return [f for f in collection["features"] if f["properties"]["member"]]


def test_yrd_epidemic_seeded_in_shanghai_reaches_neighbours_before_huaibei() -> None:
    members = yrd_members()
    assert len(members) == 41
    codes = [f["properties"]["code"] for f in members]
    populations = np.array([f["properties"]["population"] for f in members], dtype=float)
    points = [shape(f["geometry"]).point_on_surface() for f in members]
    distances = distance_matrix_km([p.x for p in points], [p.y for p in points])
    flows = gravity_flows(populations, distances)
    result = seir(
        populations,
        flows,
        r0=2.5,
        incubation_days=INCUBATION_DAYS,
        infectious_days=INFECTIOUS_DAYS,
        seeds={codes.index("310000"): 10.0},
        days=180,
    )
    arrival = dict(zip(codes, result.arrival_day, strict=True))
    assert arrival["310000"] == 0
    assert np.isfinite(arrival["340600"])  # Huaibei is reached within the horizon
    assert arrival["320500"] < arrival["340600"]  # Suzhou
    assert arrival["330400"] < arrival["340600"]  # Jiaxing
    assert np.all(np.isfinite(result.arrival_day))


POPULATIONS = [1e6, 1e6, 1e6]


def _seir(**overrides: Any) -> Callable[[], object]:
    arguments: dict[str, Any] = {
        "populations": POPULATIONS,
        "flows": gravity_flows(POPULATIONS, chain_distances()),
        "r0": 2.5,
        "incubation_days": INCUBATION_DAYS,
        "infectious_days": INFECTIOUS_DAYS,
        "seeds": {0: 10.0},
        "days": 30,
    }
    arguments.update(overrides)
    populations = arguments.pop("populations")
    flows = arguments.pop("flows")
    return lambda: seir(populations, flows, **arguments)


def _gravity(**overrides: Any) -> Callable[[], object]:
    arguments: dict[str, Any] = {"populations": POPULATIONS, "distances_km": chain_distances()}
    arguments.update(overrides)
    populations = arguments.pop("populations")
    distances = arguments.pop("distances_km")
    return lambda: gravity_flows(populations, distances, **arguments)


@pytest.mark.parametrize(
    ("call", "parameter"),
    [
        (_gravity(populations=[1e6, -5.0, 1e6]), "populations"),
        (_gravity(populations=[1e6, 0.0, 1e6]), "populations"),
        (_gravity(distances_km=np.zeros((3, 2))), "distances_km"),
        (_gravity(distances_km=np.zeros((2, 2))), "distances_km"),
        (_gravity(distances_km=-chain_distances()), "distances_km"),
        (_gravity(distances_km=np.full((3, 3), np.nan)), "distances_km"),
        (_gravity(distances_km=np.zeros((3, 3))), "distances_km"),
        (_gravity(constraint="attraction"), "constraint"),
        (_gravity(deterrence="gaussian"), "deterrence"),
        (_gravity(trip_rate=0.0), "trip_rate"),
        (_gravity(beta=-1.0), "beta"),
        (_gravity(attraction=[1.0, 2.0]), "attraction"),
        (_gravity(attraction=[0.0, 0.0, 1.0]), "attraction"),
        (_gravity(constraint="doubly", tolerance=0.0), "tolerance"),
        (_gravity(constraint="doubly", max_iterations=0), "max_iterations"),
        (_seir(r0=0.0), "r0"),
        (_seir(r0=-2.0), "r0"),
        (_seir(populations=[1e6, -1.0, 1e6]), "populations"),
        (_seir(flows=np.zeros((3, 2))), "flows"),
        (_seir(flows=np.zeros((4, 4))), "flows"),
        (_seir(flows=-np.ones((3, 3)) + np.eye(3)), "flows"),
        (_seir(flows=np.eye(3)), "flows"),
        (_seir(seeds={7: 10.0}), "seeds"),
        (_seir(seeds={-1: 10.0}), "seeds"),
        (_seir(seeds={"Shanghai": 10.0}), "seeds"),
        (_seir(seeds={0: -3.0}), "seeds"),
        (_seir(seeds={0: 2e6}), "seeds"),
        (_seir(seeds={}), "seeds"),
        (_seir(incubation_days=-1.0), "incubation_days"),
        (_seir(infectious_days=0.0), "infectious_days"),
        (_seir(days=0), "days"),
        (_seir(days=2.5), "days"),
        (_seir(threshold_cases=0.0), "threshold_cases"),
        (_seir(steps_per_day=0), "steps_per_day"),
        (_seir(r0=8.0, infectious_days=2.0, steps_per_day=1), "steps_per_day"),
        (_seir(return_rate=0.0), "return_rate"),
        (lambda: sir_final_size(0.0), "r0"),
        (lambda: distance_matrix_km([121.0, 122.0], [31.0, 95.0]), "lats"),
        (lambda: distance_matrix_km([121.0, 122.0], [31.0]), "lons"),
    ],
)
def test_bad_input_is_refused_naming_the_parameter(
    call: Callable[[], object], parameter: str
) -> None:
    with pytest.raises(InvalidInput, match=parameter):
        call()


def test_doubly_constrained_refuses_a_city_drawing_more_than_the_others_send() -> None:
    # No trips to oneself: city 1's arrivals can only come from city 0's departures.
    with pytest.raises(InvalidInput, match="attraction: city 1"):
        gravity_flows(
            [1e6, 3e6],
            [[0.0, 50.0], [50.0, 0.0]],
            constraint="doubly",
            attraction=[0.03 * 1e6, 0.03 * 3e6],
        )


def test_furness_that_does_not_converge_in_time_is_refused() -> None:
    populations = np.array([1e6, 2e6, 3e6])
    arrivals = 0.03 * np.array([2e6, 2e6, 2e6])
    with pytest.raises(InvalidInput, match="Furness"):
        gravity_flows(
            populations,
            chain_distances(),
            constraint="doubly",
            attraction=arrivals,
            max_iterations=1,
        )
