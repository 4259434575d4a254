"""GCJ-02 <-> WGS84 conversion."""

from __future__ import annotations

import math

import numpy as np
import pytest
import shapely

from crossrisk.geo.gcj02 import (
    gcj02_to_wgs84,
    gcj02_to_wgs84_array,
    is_outside_china,
    wgs84_to_gcj02,
    wgs84_to_gcj02_array,
)

# WGS84 points spread over the Yangtze River Delta, including its corners.
YRD_POINTS = [
    (121.4737, 31.2304),  # Shanghai, People's Square
    (121.8, 31.6),  # Chongming
    (118.7969, 32.0603),  # Nanjing
    (120.5853, 31.2989),  # Suzhou
    (120.1551, 30.2741),  # Hangzhou
    (121.5440, 29.8683),  # Ningbo
    (122.2072, 29.9853),  # Zhoushan
    (120.6994, 27.9943),  # Wenzhou
    (117.2272, 31.8206),  # Hefei
    (118.3375, 29.7147),  # Huangshan
    (117.1840, 34.2610),  # Xuzhou
    (115.5118, 32.4689),  # Funan, western edge of Anhui
]

OUTSIDE_CHINA = [
    (-0.1276, 51.5072),  # London
    (-74.0060, 40.7128),  # New York
    (139.6917, 35.6895),  # Tokyo: east of the box
    (151.2093, -33.8688),  # Sydney: south of the box
    (37.6173, 55.7558),  # Moscow: west of the box
]


def _metres(lon_a: float, lat_a: float, lon_b: float, lat_b: float) -> float:
    # Equirectangular is plenty for a few hundred metres.
    dx = (lon_b - lon_a) * 111_320.0 * math.cos(math.radians(lat_a))
    dy = (lat_b - lat_a) * 110_574.0
    return math.hypot(dx, dy)


@pytest.mark.parametrize(("lon", "lat"), YRD_POINTS)
def test_round_trip_from_wgs84(lon: float, lat: float) -> None:
    back = gcj02_to_wgs84(*wgs84_to_gcj02(lon, lat))
    assert back[0] == pytest.approx(lon, abs=1e-9)
    assert back[1] == pytest.approx(lat, abs=1e-9)


@pytest.mark.parametrize(("lon", "lat"), YRD_POINTS)
def test_round_trip_from_gcj02(lon: float, lat: float) -> None:
    # Here the point is read as GCJ-02, as it comes out of AMap data.
    forward = wgs84_to_gcj02(*gcj02_to_wgs84(lon, lat))
    assert forward[0] == pytest.approx(lon, abs=1e-9)
    assert forward[1] == pytest.approx(lat, abs=1e-9)


@pytest.mark.parametrize(("lon", "lat"), OUTSIDE_CHINA)
def test_identity_outside_china(lon: float, lat: float) -> None:
    assert is_outside_china(lon, lat)
    assert wgs84_to_gcj02(lon, lat) == (lon, lat)
    assert gcj02_to_wgs84(lon, lat) == (lon, lat)


def test_points_in_china_are_inside() -> None:
    for lon, lat in [*YRD_POINTS, (87.6, 43.8), (116.39, 39.91), (110.3, 20.0)]:
        assert not is_outside_china(lon, lat)


def test_shanghai_offset_is_a_few_hundred_metres_east_and_south() -> None:
    lon, lat = 121.4737, 31.2304
    g_lon, g_lat = wgs84_to_gcj02(lon, lat)
    # GCJ-02 puts Shanghai roughly 430 m east and 215 m south of WGS84.
    assert 300.0 < _metres(lon, lat, g_lon, g_lat) < 700.0
    assert g_lon > lon
    assert g_lat < lat
    assert g_lon - lon == pytest.approx(0.00452, abs=2e-4)
    assert g_lat - lat == pytest.approx(-0.00194, abs=2e-4)


def test_offset_stays_within_published_range_over_yrd() -> None:
    for lon, lat in YRD_POINTS:
        offset = _metres(lon, lat, *wgs84_to_gcj02(lon, lat))
        assert 100.0 < offset < 1000.0


def test_array_matches_scalar() -> None:
    points = np.array(YRD_POINTS + OUTSIDE_CHINA, dtype=float)
    forward = wgs84_to_gcj02_array(points)
    inverse = gcj02_to_wgs84_array(points)
    for i, (lon, lat) in enumerate(points.tolist()):
        assert tuple(forward[i]) == pytest.approx(wgs84_to_gcj02(lon, lat), abs=1e-12)
        assert tuple(inverse[i]) == pytest.approx(gcj02_to_wgs84(lon, lat), abs=1e-12)


def test_array_round_trip_on_a_grid_over_china() -> None:
    lon, lat = np.meshgrid(np.linspace(74.0, 134.0, 61), np.linspace(18.0, 53.0, 36))
    wgs = np.column_stack((lon.ravel(), lat.ravel()))
    back = gcj02_to_wgs84_array(wgs84_to_gcj02_array(wgs))
    assert np.abs(back - wgs).max() < 1e-9


def test_array_does_not_modify_its_input() -> None:
    points = np.array(YRD_POINTS, dtype=float)
    before = points.copy()
    gcj02_to_wgs84_array(points)
    wgs84_to_gcj02_array(points)
    assert np.array_equal(points, before)


def test_array_result_does_not_depend_on_batch() -> None:
    # A vertex shared by two polygons must convert to the same bits whichever other
    # vertices it is converted with, or neighbouring boundaries would drift apart.
    points = np.array(YRD_POINTS, dtype=float)
    together = gcj02_to_wgs84_array(points)
    for i in range(len(points)):
        alone = gcj02_to_wgs84_array(points[i : i + 1])
        assert np.array_equal(alone[0], together[i])


def test_array_rejects_bad_shape() -> None:
    with pytest.raises(ValueError):
        gcj02_to_wgs84_array(np.zeros(4))


def test_works_with_shapely_transform() -> None:
    a = shapely.Polygon([(121.0, 31.0), (121.2, 31.0), (121.2, 31.2), (121.0, 31.2)])
    b = shapely.Polygon([(121.2, 31.0), (121.4, 31.0), (121.4, 31.2), (121.2, 31.2)])
    converted = shapely.transform(np.array([a, b]), gcj02_to_wgs84_array)
    assert all(shapely.is_valid(converted))
    # The shared edge is still shared exactly.
    shared = shapely.intersection(converted[0].boundary, converted[1].boundary)
    assert shared.length == pytest.approx(0.2, rel=1e-3)
    assert shapely.intersection(converted[0], converted[1]).area == 0.0
    # And it moved: GCJ-02 to WGS84 is a shift west and north in Shanghai.
    assert converted[0].bounds[0] < 121.0
    assert converted[0].bounds[1] > 31.0
