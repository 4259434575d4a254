"""Gaussian plume: the textbook example, the model's symmetries, and the ground footprint."""

from __future__ import annotations

import itertools
import math
from typing import Any

import numpy as np
import pytest
import shapely

from crossrisk.domain.errors import InvalidInput
from crossrisk.geo import plume
from crossrisk.geo.geodesy import LocalProjection
from crossrisk.geo.plume import Stability, Terrain

# A source in central Shanghai; the YRD lies about 30°N, where metres per degree of longitude
# differ most from those of latitude among the places the platform serves.
LON, LAT = 121.47, 31.23
STACK: dict[str, Any] = {"q": 500.0, "u": 3.0, "h": 30.0, "stability": "D"}
THRESHOLD = 1e-4  # g/m³, 100 µg/m³


def plume_coordinates(
    polygon_coords: np.ndarray, wind_from_deg: float
) -> tuple[np.ndarray, np.ndarray]:
    """Downwind and crosswind metres of lon/lat points, for a source at LON, LAT."""
    east, north = LocalProjection(LON, LAT).east_north(polygon_coords[:, 0], polygon_coords[:, 1])
    heading = math.radians(wind_from_deg + 180.0)
    down_e, down_n = math.sin(heading), math.cos(heading)
    return east * down_e + north * down_n, -east * down_n + north * down_e


def ground(x: float, y: float) -> float:
    """Ground-level concentration of the STACK source at x downwind, y crosswind."""
    return plume.concentration(STACK["q"], STACK["u"], x, y, 0.0, STACK["h"], STACK["stability"])


# De Visscher (2014), Air Dispersion Modeling: Foundations and Applications, Example 2.1:
# 100 g/s from an effective height of 90 m, wind 7 m/s, neutral (D), open country (Briggs
# rural σ), receptor at ground level 1.5 km downwind. The book itself was not reachable; these
# inputs and answers are as transcribed in the doctests of pychemqt (lib/atmosphere.py,
# "Example 2.1"): σy = 111.9 m, σz = 49.9 m, 1.603e-4 g/m³ on the axis, 1.075e-4 at y = 100 m.
def test_de_visscher_example_2_1_sigmas() -> None:
    assert float(plume.sigma_y(1500.0, "D")) == pytest.approx(111.9, abs=0.05)
    assert float(plume.sigma_z(1500.0, "D")) == pytest.approx(49.9, abs=0.05)


@pytest.mark.parametrize("y, published", [(0.0, 1.603e-4), (100.0, 1.075e-4)])
def test_de_visscher_example_2_1_concentration_within_one_percent(
    y: float, published: float
) -> None:
    value = plume.concentration(100.0, 7.0, 1500.0, y, 0.0, 90.0, Stability.D, Terrain.RURAL)
    assert value == pytest.approx(published, rel=0.01)


def test_ground_reflection_doubles_ground_level_source_on_the_axis() -> None:
    q, u, x = 10.0, 4.0, 800.0
    sy, sz = float(plume.sigma_y(x, "C")), float(plume.sigma_z(x, "C"))
    without_reflection = q / (2 * math.pi * u * sy * sz)
    assert plume.concentration(q, u, x, 0.0, 0.0, 0.0, "C") == pytest.approx(
        2 * without_reflection, rel=1e-12
    )


def test_ground_reflection_adds_an_image_source_below_ground() -> None:
    q, u, x, h, z = 10.0, 4.0, 800.0, 40.0, 15.0
    sy, sz = float(plume.sigma_y(x, "B")), float(plume.sigma_z(x, "B"))
    direct = q / (2 * math.pi * u * sy * sz) * math.exp(-((z - h) ** 2) / (2 * sz**2))
    image = q / (2 * math.pi * u * sy * sz) * math.exp(-((z + h) ** 2) / (2 * sz**2))
    assert plume.concentration(q, u, x, 0.0, z, h, "B") == pytest.approx(direct + image)


@pytest.mark.parametrize("y", [1.0, 25.0, 140.0, 600.0])
def test_concentration_is_symmetric_across_the_axis(y: float) -> None:
    assert ground(2000.0, y) == ground(2000.0, -y)
    assert ground(2000.0, y) < ground(2000.0, 0.0)


def test_concentration_falls_with_distance_far_downwind() -> None:
    values = [ground(x, 0.0) for x in (3_000.0, 5_000.0, 10_000.0, 20_000.0, 50_000.0)]
    assert all(a > b for a, b in itertools.pairwise(values))


def test_nothing_arrives_upwind_or_at_the_source() -> None:
    assert ground(0.0, 0.0) == 0.0
    assert ground(-500.0, 0.0) == 0.0


@pytest.mark.parametrize("x", [100.0, 1_000.0, 10_000.0])
def test_urban_spreads_more_than_rural_in_neutral_air(x: float) -> None:
    assert plume.sigma_y(x, "D", "urban") > plume.sigma_y(x, "D", "rural")
    assert plume.sigma_z(x, "D", "urban") > plume.sigma_z(x, "D", "rural")


def test_sigmas_are_vectorised_and_widen_from_a_to_f_reversed() -> None:
    x = np.array([100.0, 1_000.0, 10_000.0])
    widths = [plume.sigma_z(x, klass) for klass in "ABCDEF"]
    assert widths[0].shape == (3,)
    for wider, narrower in itertools.pairwise(widths):
        assert np.all(wider > narrower)


def test_stability_is_read_in_either_case() -> None:
    assert plume.parse_stability("d") is Stability.D
    assert plume.parse_stability(" F ") is Stability.F
    assert plume.parse_terrain("Urban") is Terrain.URBAN


@pytest.fixture(scope="module")
def footprint() -> plume.PlumeFootprint:
    return plume.ground_footprint(LON, LAT, wind_from_deg=315.0, threshold_g_m3=THRESHOLD, **STACK)


def test_points_inside_the_footprint_are_over_the_threshold(
    footprint: plume.PlumeFootprint,
) -> None:
    rng = np.random.default_rng(7)
    min_lon, min_lat, max_lon, max_lat = footprint.polygon.bounds
    candidates = shapely.points(
        np.column_stack((rng.uniform(min_lon, max_lon, 3000), rng.uniform(min_lat, max_lat, 3000)))
    )
    inside = candidates[shapely.contains(footprint.polygon, candidates)]
    assert len(inside) > 100
    along, across = plume_coordinates(shapely.get_coordinates(inside), 315.0)
    values = np.array([ground(x, y) for x, y in zip(along, across, strict=True)])
    assert values.min() >= THRESHOLD


def test_points_just_outside_the_footprint_are_under_the_threshold(
    footprint: plume.PlumeFootprint,
) -> None:
    along, across = plume_coordinates(shapely.get_coordinates(footprint.polygon.exterior), 315.0)
    off_axis = np.abs(across) > 1.0
    # 1 % farther from the axis than the outline is outside the area over the threshold.
    values = [ground(x, 1.01 * y) for x, y in zip(along[off_axis], across[off_axis], strict=True)]
    assert max(values) < THRESHOLD
    assert ground(footprint.max_distance_m * 1.001, 0.0) < THRESHOLD
    assert ground(footprint.max_distance_m * 0.999, 0.0) >= THRESHOLD


def test_footprint_reports_the_peak_and_where_it_ends(footprint: plume.PlumeFootprint) -> None:
    distances = np.linspace(50.0, 5_000.0, 20_000)
    values = [ground(x, 0.0) for x in distances]
    assert footprint.max_concentration == pytest.approx(max(values), rel=1e-6)
    assert footprint.peak_distance_m == pytest.approx(distances[int(np.argmax(values))], abs=1.0)
    along, _ = plume_coordinates(shapely.get_coordinates(footprint.polygon.exterior), 315.0)
    assert along.max() == pytest.approx(footprint.max_distance_m, rel=1e-6)
    assert not footprint.truncated


def test_wind_from_north_west_carries_the_footprint_south_east(
    footprint: plume.PlumeFootprint,
) -> None:
    centroid = footprint.polygon.centroid
    assert centroid.x > LON and centroid.y < LAT
    east, north = LocalProjection(LON, LAT).east_north(centroid.x, centroid.y)
    bearing = math.degrees(math.atan2(float(east), float(north))) % 360
    assert bearing == pytest.approx(135.0, abs=0.5)


def test_higher_threshold_gives_a_smaller_area_within_the_lower_one(
    footprint: plume.PlumeFootprint,
) -> None:
    higher = plume.ground_footprint(
        LON, LAT, wind_from_deg=315.0, threshold_g_m3=5 * THRESHOLD, **STACK
    )
    assert 0 < higher.polygon.area < footprint.polygon.area
    assert higher.max_distance_m < footprint.max_distance_m
    assert footprint.polygon.buffer(1e-7).contains(higher.polygon)


def test_footprint_is_empty_when_nothing_reaches_the_threshold() -> None:
    result = plume.ground_footprint(LON, LAT, wind_from_deg=90.0, threshold_g_m3=1.0, **STACK)
    assert result.polygon.is_empty
    assert result.max_concentration < 1.0
    assert result.max_distance_m == 0.0


def test_ground_level_source_footprint_starts_at_the_source_and_may_be_cut_off() -> None:
    result = plume.ground_footprint(
        LON,
        LAT,
        q=10.0,
        u=2.0,
        wind_from_deg=0.0,
        h=0.0,
        stability="F",
        threshold_g_m3=1e-6,
        max_distance_m=20_000.0,
    )
    assert result.polygon.distance(shapely.Point(LON, LAT)) < 1e-9
    assert result.truncated
    assert result.max_distance_m == 20_000.0
    # The wind blows from the north, so the whole area lies south of the source.
    assert result.polygon.bounds[3] <= LAT + 1e-9


@pytest.mark.parametrize(
    "changes, named",
    [
        ({"stability": "G"}, "stability must be a Pasquill–Gifford class, one of A, B, C, D, E, F"),
        ({"stability": None}, "stability"),
        ({"terrain": "suburban"}, "terrain must be one of rural, urban"),
        ({"u": 0.0}, "u (wind speed) must be > 0 m/s"),
        ({"u": -2.0}, "u (wind speed) must be > 0 m/s"),
        ({"q": -1.0}, "q (emission rate) must be ≥ 0 g/s"),
        ({"h": -5.0}, "h (source height) must be ≥ 0 m"),
        ({"z": -1.0}, "z (receptor height) must be ≥ 0 m"),
        ({"x": math.nan}, "x (downwind distance, m) must be a finite number"),
        ({"u": math.inf}, "u (wind speed, m/s) must be a finite number"),
    ],
)
def test_bad_concentration_input_is_refused_naming_the_parameter(
    changes: dict[str, Any], named: str
) -> None:
    args: dict[str, Any] = {
        "q": 1.0,
        "u": 3.0,
        "x": 500.0,
        "y": 0.0,
        "z": 0.0,
        "h": 10.0,
        "stability": "D",
        "terrain": "rural",
    }
    args.update(changes)
    with pytest.raises(InvalidInput) as refused:
        plume.concentration(**args)
    assert named in refused.value.detail


@pytest.mark.parametrize(
    "changes, named",
    [
        ({"threshold_g_m3": 0.0}, "threshold_g_m3 (concentration threshold) must be > 0"),
        ({"max_distance_m": -1.0}, "max_distance_m (farthest downwind distance) must be"),
        ({"max_distance_m": 1e9}, "max_distance_m (farthest downwind distance) must be"),
        ({"resolution_m": 0.0}, "resolution_m (sample spacing along the plume) must be > 0"),
        ({"wind_from_deg": math.nan}, "wind_from_deg"),
        ({"u": 0.0}, "u (wind speed) must be > 0 m/s"),
        ({"stability": "Z"}, "one of A, B, C, D, E, F"),
        ({"lat": 91.0}, "lat (source latitude)"),
    ],
)
def test_bad_footprint_input_is_refused_naming_the_parameter(
    changes: dict[str, Any], named: str
) -> None:
    args: dict[str, Any] = {
        "lon": LON,
        "lat": LAT,
        "wind_from_deg": 0.0,
        "threshold_g_m3": THRESHOLD,
        **STACK,
    }
    args.update(changes)
    with pytest.raises(InvalidInput) as refused:
        plume.ground_footprint(**args)
    assert named in refused.value.detail


def test_ground_concentrations_agree_with_the_point_formula() -> None:
    xs = [-50.0, 0.0, 120.0, 1500.0, 12_000.0]
    ys = [0.0, 10.0, -35.0, 100.0, 800.0]
    many = plume.ground_concentrations(100.0, 7.0, xs, ys, 90.0, "D", "urban")
    pairs = zip(xs, ys, strict=True)
    one_by_one = [plume.concentration(100.0, 7.0, x, y, 0.0, 90.0, "D", "urban") for x, y in pairs]
    assert many == pytest.approx(one_by_one, rel=1e-12, abs=0.0)
