"""The one Earth model: WGS84 geodesics, areas and the local projection (crossrisk.geo.geodesy)."""

from __future__ import annotations

import math

import numpy as np
import pytest
from shapely.geometry import LineString, Point, Polygon

from crossrisk.geo import geodesy
from crossrisk.geo.geodesy import LocalProjection

A, E2 = 6_378_137.0, 6.69437999014e-3  # WGS84 semi-major axis (m), first eccentricity²
LON, LAT = 121.47, 31.23  # central Shanghai


def meridian_arc_m(lat1: float, lat2: float) -> float:
    """Meridian arc of WGS84 between two latitudes, by quadrature of its radius of curvature."""
    phi = np.radians(np.linspace(lat1, lat2, 2001))
    radius = A * (1 - E2) / (1 - E2 * np.sin(phi) ** 2) ** 1.5
    return float(np.sum((radius[1:] + radius[:-1]) / 2 * np.diff(phi)))


def quadrangle_km2(lat1: float, lat2: float, dlon: float) -> float:
    """Area between two parallels and two meridians of WGS84, in closed form."""
    e = math.sqrt(E2)

    def q(lat: float) -> float:
        s = math.sin(math.radians(lat))
        return s / (1 - E2 * s**2) + math.log((1 + e * s) / (1 - e * s)) / (2 * e)

    b2 = A**2 * (1 - E2)
    return b2 * math.radians(dlon) / 2 * (q(lat2) - q(lat1)) / 1e6


def test_a_degree_along_the_equator_and_a_meridian_matches_the_ellipsoid() -> None:
    along_equator = geodesy.distance_km(120.0, 0.0, 121.0, 0.0)
    assert float(along_equator) == pytest.approx(A * math.pi / 180 / 1000, rel=1e-9)
    along_meridian = geodesy.distance_km(121.0, 30.0, 121.0, 31.0)
    assert float(along_meridian) == pytest.approx(meridian_arc_m(30.0, 31.0) / 1000, rel=1e-7)


def test_distances_are_vectorised_and_the_matrix_symmetric() -> None:
    lons, lats = np.array([121.47, 120.16, 118.80]), np.array([31.23, 30.27, 32.06])
    matrix = geodesy.distance_matrix_km(lons, lats)
    pairs = geodesy.distance_km(lons[:, None], lats[:, None], lons[None, :], lats[None, :])
    np.testing.assert_allclose(matrix, pairs, rtol=1e-12, atol=1e-9)
    np.testing.assert_array_equal(matrix, matrix.T)
    assert np.all(np.diagonal(matrix) == 0)
    assert 160 < matrix[0, 1] < 170  # Shanghai to Hangzhou, some 165 km


def test_polyline_segments_add_up_to_its_length() -> None:
    coords = np.array([[118.0, 29.5], [118.3, 29.7], [118.9, 29.6], [119.4, 29.9]])
    cumulative = geodesy.cumulative_km(coords)
    assert cumulative[0] == 0.0
    assert cumulative[-1] == pytest.approx(geodesy.length_km(LineString(coords)), rel=1e-12)
    np.testing.assert_allclose(np.diff(cumulative), geodesy.segment_km(coords), rtol=1e-12)


def test_area_of_a_one_degree_cell_matches_the_closed_form() -> None:
    # Edges densified along the parallels, so the geodesic polygon is the quadrangle.
    lons = np.linspace(120.0, 121.0, 201)
    ring = [(x, 30.0) for x in lons] + [(x, 31.0) for x in lons[::-1]]
    cell = Polygon(ring)
    assert geodesy.area_km2(cell) == pytest.approx(quadrangle_km2(30.0, 31.0, 1.0), rel=1e-6)
    # Orientation does not change the area; a hole takes its own area away.
    assert geodesy.area_km2(Polygon(ring[::-1])) == pytest.approx(geodesy.area_km2(cell))
    hole = [(120.2, 30.2), (120.2, 30.4), (120.4, 30.4), (120.4, 30.2)]
    holed = Polygon(ring, [hole])
    assert geodesy.area_km2(holed) == pytest.approx(
        geodesy.area_km2(cell) - geodesy.area_km2(Polygon(hole)), rel=1e-12
    )
    assert geodesy.area_km2(LineString(ring)) == 0.0
    assert geodesy.area_km2(Point(LON, LAT)) == 0.0


def test_local_projection_round_trips_and_keeps_the_meridian_length() -> None:
    projection = LocalProjection(LON, LAT)
    east = np.array([0.0, 100_000.0, -70_000.0, 3.0])
    north = np.array([100_000.0, 0.0, -70_000.0, -4.0])
    lon, lat = projection.lon_lat(east, north)
    back_east, back_north = projection.east_north(lon, lat)
    np.testing.assert_allclose(back_east, east, atol=1e-6)
    np.testing.assert_allclose(back_north, north, atol=1e-6)
    assert meridian_arc_m(LAT, lat[0]) == pytest.approx(100_000.0, rel=1e-7)
    assert lon[0] == pytest.approx(LON, abs=1e-12)
    # Distances from the centre are geodesic ones, in every direction.
    radial = geodesy.distance_km(LON, LAT, lon, lat) * 1000
    np.testing.assert_allclose(radial, np.hypot(east, north), rtol=1e-9, atol=1e-6)


def test_a_buffer_in_km_is_that_far_on_the_ground_in_every_direction() -> None:
    circle = geodesy.buffer_by_km(Point(LON, LAT), 25.0)
    lon, lat = np.asarray(circle.exterior.coords).T
    np.testing.assert_allclose(geodesy.distance_km(LON, LAT, lon, lat), 25.0, rtol=1e-9)


def test_km_per_degree_is_the_local_scale_of_the_ellipsoid() -> None:
    kx, ky = geodesy.km_per_degree(LAT)
    assert kx == pytest.approx(
        float(geodesy.distance_km(LON, LAT, LON + 0.01, LAT)) * 100, rel=1e-5
    )
    assert ky == pytest.approx(meridian_arc_m(LAT - 0.005, LAT + 0.005) / 10, rel=1e-6)
