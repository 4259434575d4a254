"""Conversion between WGS84 and GCJ-02 ("Mars coordinates").

GCJ-02 is the obfuscated datum that Chinese law requires for published maps; AMap,
Tencent and most domestic map data are in it. It is WGS84 plus a smooth, deliberately
irregular offset of up to several hundred metres, computed on the Krasovsky-1940
ellipsoid. The forward direction (WGS84 -> GCJ-02) has a published closed form; there
is no closed-form inverse, so :func:`gcj02_to_wgs84` solves ``forward(w) = g`` by
fixed-point iteration. The offset changes by at most a few metres per kilometre, so
each step shrinks the error some 300-fold and four steps reach ~1e-10 degrees.

Outside a rectangle roughly covering China the offset is not applied (the identity),
which is what the published implementations do: the datum is only defined for China.

The scalar functions use only :mod:`math`; the ``*_array`` variants do the same over
numpy arrays and accept the ``(N, 2)`` coordinate arrays that :func:`shapely.transform`
passes, e.g. ``shapely.transform(geom, gcj02_to_wgs84_array)``.
"""

from __future__ import annotations

import math

import numpy as np
import numpy.typing as npt

__all__ = [
    "CHINA_BOUNDS",
    "gcj02_to_wgs84",
    "gcj02_to_wgs84_array",
    "is_outside_china",
    "wgs84_to_gcj02",
    "wgs84_to_gcj02_array",
]

# Krasovsky-1940 ellipsoid, which the GCJ-02 formulation is defined on.
_A = 6378245.0
_EE = 0.00669342162296594323

# (min_lon, min_lat, max_lon, max_lat). The customary coarse box; it also contains
# parts of neighbouring countries, but every implementation in use agrees on it, so
# staying with it keeps our coordinates interoperable with theirs.
CHINA_BOUNDS: tuple[float, float, float, float] = (72.004, 0.8293, 137.8347, 55.8271)

# The inverse stops once the forward image is within this distance (degrees) of the
# target; 1e-10 deg is ~0.01 mm, far below anything the data can resolve.
_INVERSE_TOLERANCE = 1e-10
# Convergence takes about 4 steps in practice; the cap only guards against a NaN input.
_INVERSE_MAX_ITERATIONS = 30


def is_outside_china(lon: float, lat: float) -> bool:
    """Return True where the GCJ-02 offset is not applied (outside :data:`CHINA_BOUNDS`)."""
    min_lon, min_lat, max_lon, max_lat = CHINA_BOUNDS
    return not (min_lon <= lon <= max_lon and min_lat <= lat <= max_lat)


def _offset(lon: float, lat: float) -> tuple[float, float]:
    """GCJ-02 minus WGS84 at a WGS84 point, in degrees (dlon, dlat)."""
    # The polynomial-plus-sines terms are in metres-like units relative to (105E, 35N).
    x = lon - 105.0
    y = lat - 35.0
    pi = math.pi
    dlat = -100.0 + 2.0 * x + 3.0 * y + 0.2 * y * y + 0.1 * x * y + 0.2 * math.sqrt(abs(x))
    dlat += (20.0 * math.sin(6.0 * x * pi) + 20.0 * math.sin(2.0 * x * pi)) * 2.0 / 3.0
    dlat += (20.0 * math.sin(y * pi) + 40.0 * math.sin(y / 3.0 * pi)) * 2.0 / 3.0
    dlat += (160.0 * math.sin(y / 12.0 * pi) + 320.0 * math.sin(y * pi / 30.0)) * 2.0 / 3.0
    dlon = 300.0 + x + 2.0 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * math.sqrt(abs(x))
    dlon += (20.0 * math.sin(6.0 * x * pi) + 20.0 * math.sin(2.0 * x * pi)) * 2.0 / 3.0
    dlon += (20.0 * math.sin(x * pi) + 40.0 * math.sin(x / 3.0 * pi)) * 2.0 / 3.0
    dlon += (150.0 * math.sin(x / 12.0 * pi) + 300.0 * math.sin(x / 30.0 * pi)) * 2.0 / 3.0
    # Metres to degrees on the Krasovsky ellipsoid: meridional and prime-vertical radii.
    rad_lat = lat / 180.0 * pi
    magic = 1.0 - _EE * math.sin(rad_lat) ** 2
    sqrt_magic = math.sqrt(magic)
    dlat = (dlat * 180.0) / ((_A * (1.0 - _EE)) / (magic * sqrt_magic) * pi)
    dlon = (dlon * 180.0) / (_A / sqrt_magic * math.cos(rad_lat) * pi)
    return dlon, dlat


def wgs84_to_gcj02(lon: float, lat: float) -> tuple[float, float]:
    """Convert a WGS84 (lon, lat) to GCJ-02; identity outside China."""
    if is_outside_china(lon, lat):
        return lon, lat
    dlon, dlat = _offset(lon, lat)
    return lon + dlon, lat + dlat


def gcj02_to_wgs84(lon: float, lat: float) -> tuple[float, float]:
    """Convert a GCJ-02 (lon, lat) to WGS84 by iterating the forward transform.

    The round trip ``wgs84_to_gcj02(*gcj02_to_wgs84(lon, lat))`` reproduces the input to
    about 1e-10 degrees inside China. Identity outside China.
    """
    if is_outside_china(lon, lat):
        return lon, lat
    # Start from "subtract the offset seen at the GCJ point", then correct by the residual
    # of the forward transform until it vanishes.
    w_lon, w_lat = lon, lat
    for _ in range(_INVERSE_MAX_ITERATIONS):
        dlon, dlat = _offset(w_lon, w_lat)
        err_lon = w_lon + dlon - lon
        err_lat = w_lat + dlat - lat
        w_lon -= err_lon
        w_lat -= err_lat
        if abs(err_lon) < _INVERSE_TOLERANCE and abs(err_lat) < _INVERSE_TOLERANCE:
            break
    return w_lon, w_lat


FloatArray = npt.NDArray[np.float64]


def _offset_array(lon: FloatArray, lat: FloatArray) -> tuple[FloatArray, FloatArray]:
    """Vectorised :func:`_offset`; same formula term by term."""
    x = lon - 105.0
    y = lat - 35.0
    pi = np.pi
    sqrt_abs_x = np.sqrt(np.abs(x))
    common = (20.0 * np.sin(6.0 * x * pi) + 20.0 * np.sin(2.0 * x * pi)) * 2.0 / 3.0
    dlat = -100.0 + 2.0 * x + 3.0 * y + 0.2 * y * y + 0.1 * x * y + 0.2 * sqrt_abs_x
    dlat = dlat + common
    dlat = dlat + (20.0 * np.sin(y * pi) + 40.0 * np.sin(y / 3.0 * pi)) * 2.0 / 3.0
    dlat = dlat + (160.0 * np.sin(y / 12.0 * pi) + 320.0 * np.sin(y * pi / 30.0)) * 2.0 / 3.0
    dlon = 300.0 + x + 2.0 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * sqrt_abs_x
    dlon = dlon + common
    dlon = dlon + (20.0 * np.sin(x * pi) + 40.0 * np.sin(x / 3.0 * pi)) * 2.0 / 3.0
    dlon = dlon + (150.0 * np.sin(x / 12.0 * pi) + 300.0 * np.sin(x / 30.0 * pi)) * 2.0 / 3.0
    rad_lat = lat / 180.0 * pi
    magic = 1.0 - _EE * np.sin(rad_lat) ** 2
    sqrt_magic = np.sqrt(magic)
    dlat = (dlat * 180.0) / ((_A * (1.0 - _EE)) / (magic * sqrt_magic) * pi)
    dlon = (dlon * 180.0) / (_A / sqrt_magic * np.cos(rad_lat) * pi)
    return dlon, dlat


def _split(coords: npt.ArrayLike) -> tuple[FloatArray, FloatArray, FloatArray]:
    array = np.array(coords, dtype=np.float64)  # a copy: callers' arrays stay untouched
    if array.ndim != 2 or array.shape[1] < 2:
        raise ValueError(f"expected an (N, 2) coordinate array, got shape {array.shape}")
    return array, array[:, 0], array[:, 1]


def _inside_mask(lon: FloatArray, lat: FloatArray) -> npt.NDArray[np.bool_]:
    min_lon, min_lat, max_lon, max_lat = CHINA_BOUNDS
    return (lon >= min_lon) & (lon <= max_lon) & (lat >= min_lat) & (lat <= max_lat)


def wgs84_to_gcj02_array(coords: npt.ArrayLike) -> FloatArray:
    """Vectorised :func:`wgs84_to_gcj02` over an ``(N, 2)`` array of (lon, lat).

    Extra columns (e.g. z) are passed through unchanged.
    """
    array, lon, lat = _split(coords)
    inside = _inside_mask(lon, lat)
    dlon, dlat = _offset_array(lon[inside], lat[inside])
    array[inside, 0] = lon[inside] + dlon
    array[inside, 1] = lat[inside] + dlat
    return array


def gcj02_to_wgs84_array(coords: npt.ArrayLike) -> FloatArray:
    """Vectorised :func:`gcj02_to_wgs84` over an ``(N, 2)`` array of (lon, lat).

    Extra columns (e.g. z) are passed through unchanged.
    """
    array, lon, lat = _split(coords)
    inside = np.flatnonzero(_inside_mask(lon, lat))
    target_lon = lon[inside]
    target_lat = lat[inside]
    w_lon = target_lon.copy()
    w_lat = target_lat.copy()
    # Each point stops on its own convergence test, exactly as in the scalar version, so
    # its result never depends on which other points share the array. That matters for
    # polygon coverages: a vertex shared by two neighbours must map to the same bits
    # whether the neighbours are transformed together or one at a time.
    active = np.arange(inside.size)
    for _ in range(_INVERSE_MAX_ITERATIONS):
        if active.size == 0:
            break
        dlon, dlat = _offset_array(w_lon[active], w_lat[active])
        err_lon = w_lon[active] + dlon - target_lon[active]
        err_lat = w_lat[active] + dlat - target_lat[active]
        w_lon[active] -= err_lon
        w_lat[active] -= err_lat
        converged = (np.abs(err_lon) < _INVERSE_TOLERANCE) & (np.abs(err_lat) < _INVERSE_TOLERANCE)
        active = active[~converged]
    array[inside, 0] = w_lon
    array[inside, 1] = w_lat
    return array
