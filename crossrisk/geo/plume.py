"""Steady Gaussian plume over flat ground: concentration, and the ground area over a threshold.

Equations, coefficient tables, assumptions and the worked example are in PLUME.md next to
this module. Units are SI throughout: g/s, m/s, m, g/m³.
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum

import numpy as np
import shapely
from numpy.typing import ArrayLike, NDArray
from shapely.geometry import MultiPolygon, Polygon

from crossrisk.domain.errors import InvalidInput
from crossrisk.geo.geodesy import LocalProjection

FloatArray = NDArray[np.float64]


class Stability(StrEnum):
    """Pasquill–Gifford stability class, from A (very unstable) to F (moderately stable)."""

    A = "A"
    B = "B"
    C = "C"
    D = "D"
    E = "E"
    F = "F"


class Terrain(StrEnum):
    """Surface the plume travels over; urban roughness and heat spread it faster."""

    RURAL = "rural"
    URBAN = "urban"


# σ = a·x·(1 + b·x)^p, x in metres. Briggs (1973) fits to the Pasquill–Gifford curves (open
# country) and to the St Louis data of McElroy & Pooler (urban), as tabulated by Gifford (1976),
# Hanna, Briggs & Hosker (1982, Handbook on Atmospheric Diffusion) and Seinfeld & Pandis
# (Atmospheric Chemistry and Physics, Gaussian plume chapter); checked against Boubel et al.
# (1994, Fundamentals of Air Pollution, Tables 19-6 and 19-7). Fitted for 100 m < x < 10 km;
# outside that range the same formulas are extrapolated, as screening models do.
_Coefficients = tuple[float, float, float]
_RURAL_Y = {
    Stability.A: (0.22, 0.0001, -0.5),
    Stability.B: (0.16, 0.0001, -0.5),
    Stability.C: (0.11, 0.0001, -0.5),
    Stability.D: (0.08, 0.0001, -0.5),
    Stability.E: (0.06, 0.0001, -0.5),
    Stability.F: (0.04, 0.0001, -0.5),
}
_RURAL_Z = {
    Stability.A: (0.20, 0.0, 0.0),
    Stability.B: (0.12, 0.0, 0.0),
    Stability.C: (0.08, 0.0002, -0.5),
    Stability.D: (0.06, 0.0015, -0.5),
    Stability.E: (0.03, 0.0003, -1.0),
    Stability.F: (0.016, 0.0003, -1.0),
}
# Urban classes A and B share one fit, as do E and F (the St Louis data do not separate them).
_URBAN_Y = {
    Stability.A: (0.32, 0.0004, -0.5),
    Stability.B: (0.32, 0.0004, -0.5),
    Stability.C: (0.22, 0.0004, -0.5),
    Stability.D: (0.16, 0.0004, -0.5),
    Stability.E: (0.11, 0.0004, -0.5),
    Stability.F: (0.11, 0.0004, -0.5),
}
_URBAN_Z = {
    Stability.A: (0.24, 0.001, 0.5),
    Stability.B: (0.24, 0.001, 0.5),
    Stability.C: (0.20, 0.0, 0.0),
    Stability.D: (0.14, 0.0003, -0.5),
    Stability.E: (0.08, 0.0015, -0.5),
    Stability.F: (0.08, 0.0015, -0.5),
}
_SIGMA: dict[Terrain, tuple[dict[Stability, _Coefficients], dict[Stability, _Coefficients]]] = {
    Terrain.RURAL: (_RURAL_Y, _RURAL_Z),
    Terrain.URBAN: (_URBAN_Y, _URBAN_Z),
}

# A ground-level source gives an infinite concentration at the source itself; the peak is
# reported from this distance on, where the plume is at least a few centimetres wide.
MIN_DISTANCE_M = 1.0
# Steady-state transport over more than a few hundred kilometres takes longer than any wind
# stays constant; farther than this is a mistake, not a question the model can answer.
MAX_FOOTPRINT_DISTANCE_M = 500_000.0
# Log-spaced distances scanned for where the centre-line concentration crosses the threshold
# (2.3 % apart from 1 m to 100 km); each crossing and the peak are then refined.
_SCAN_POINTS = 512
_SCAN_FRACTIONS = np.linspace(0.0, 1.0, _SCAN_POINTS)
# Each refinement round narrows a crossing's bracket 128-fold (the peak's 64-fold): after two,
# a 2.3 % scan step is down to about 1.4e-6 of the distance (7 cm at 50 km). Few large rounds
# beat many small ones, since a round costs mostly numpy call overhead, not points.
_REFINE_FRACTIONS = np.linspace(0.0, 1.0, 129)
_REFINE_ROUNDS = 2
_MIN_SAMPLES = 33
_MAX_SAMPLES = 4001
# Latitude beyond which a projection about the source stops being useful; the region is at 30°N.
_MAX_ABS_LATITUDE = 85.0


@dataclass(frozen=True, slots=True)
class PlumeFootprint:
    """Ground area over a concentration threshold, with the peak and how far the area reaches."""

    polygon: Polygon | MultiPolygon  # WGS84 lon/lat; empty when nothing reaches the threshold
    max_concentration: float  # g/m³, highest ground-level concentration from MIN_DISTANCE_M on
    peak_distance_m: float  # downwind distance of that peak
    max_distance_m: float  # downwind distance where the footprint ends; 0.0 when empty
    truncated: bool  # still over the threshold at max_distance_m: the real area reaches farther


def parse_stability(value: object) -> Stability:
    """Stability class from 'A'..'F' in either case, or refuse it naming the allowed values."""
    if isinstance(value, str):
        try:
            return Stability(value.strip().upper())
        except ValueError:
            pass
    allowed = ", ".join(Stability)
    raise InvalidInput(
        f"stability must be a Pasquill–Gifford class, one of {allowed}; got {value!r}"
    )


def parse_terrain(value: object) -> Terrain:
    """Terrain from 'rural' or 'urban' in either case, or refuse it naming the allowed values."""
    if isinstance(value, str):
        try:
            return Terrain(value.strip().lower())
        except ValueError:
            pass
    allowed = ", ".join(Terrain)
    raise InvalidInput(f"terrain must be one of {allowed}; got {value!r}")


def sigma_y(
    x: ArrayLike, stability: Stability | str, terrain: Terrain | str = Terrain.RURAL
) -> FloatArray:
    """Crosswind spread σy (m) at downwind distances x (m), Briggs (1973); 0 at and upwind of 0."""
    coefficients = _SIGMA[parse_terrain(terrain)][0][parse_stability(stability)]
    return _briggs(np.asarray(x, dtype=np.float64), coefficients)


def sigma_z(
    x: ArrayLike, stability: Stability | str, terrain: Terrain | str = Terrain.RURAL
) -> FloatArray:
    """Vertical spread σz (m) at downwind distances x (m), Briggs (1973); 0 at and upwind of 0."""
    coefficients = _SIGMA[parse_terrain(terrain)][1][parse_stability(stability)]
    return _briggs(np.asarray(x, dtype=np.float64), coefficients)


def concentration(
    q: float,
    u: float,
    x: float,
    y: float,
    z: float,
    h: float,
    stability: Stability | str,
    terrain: Terrain | str = Terrain.RURAL,
) -> float:
    """Concentration (g/m³) at x downwind, y crosswind, z above ground; 0.0 at or upwind of x=0."""
    stability_class = parse_stability(stability)
    surface = parse_terrain(terrain)
    _check_source(q=q, u=u, h=h)
    _require_finite("x (downwind distance, m)", x)
    _require_finite("y (crosswind distance, m)", y)
    _require_finite("z (receptor height, m)", z)
    if z < 0:
        raise InvalidInput(f"z (receptor height) must be ≥ 0 m above ground; got {z}")
    if x <= 0 or q == 0:
        return 0.0
    coefficients_y, coefficients_z = _SIGMA[surface]
    sy = _briggs_scalar(x, coefficients_y[stability_class])
    sz = _briggs_scalar(x, coefficients_z[stability_class])
    # Total reflection at the ground: an image source at -h (e.g. Seinfeld & Pandis, Gaussian
    # plume with reflection), so no mass is lost into the surface.
    vertical = math.exp(-0.5 * ((z - h) / sz) ** 2) + math.exp(-0.5 * ((z + h) / sz) ** 2)
    return q / (2.0 * math.pi * u * sy * sz) * math.exp(-0.5 * (y / sy) ** 2) * vertical


def ground_concentrations(
    q: float,
    u: float,
    x: ArrayLike,
    y: ArrayLike,
    h: float,
    stability: Stability | str,
    terrain: Terrain | str = Terrain.RURAL,
) -> FloatArray:
    """Ground-level concentrations (g/m³) at many points at once; 0 at or upwind of x=0."""
    _check_source(q=q, u=u, h=h)
    xs = np.asarray(x, dtype=np.float64)
    ys = np.asarray(y, dtype=np.float64)
    downwind = xs > 0
    # Evaluate only downwind points, so σ is never 0 in a denominator.
    safe_x = np.where(downwind, xs, 1.0)
    sy = sigma_y(safe_x, stability, terrain)
    sz = sigma_z(safe_x, stability, terrain)
    # At z = 0 the source and its ground image contribute equally: the factor 2.
    values = q / (np.pi * u * sy * sz) * np.exp(-0.5 * (ys / sy) ** 2 - 0.5 * (h / sz) ** 2)
    result: FloatArray = np.where(downwind, values, 0.0)
    return result


def ground_footprint(
    lon: float,
    lat: float,
    *,
    q: float,
    u: float,
    wind_from_deg: float,
    h: float,
    stability: Stability | str,
    terrain: Terrain | str = Terrain.RURAL,
    threshold_g_m3: float,
    max_distance_m: float = 100_000.0,
    resolution_m: float = 200.0,
) -> PlumeFootprint:
    """Ground area (WGS84) where the plume from a source at lon/lat reaches the threshold."""
    stability_class = parse_stability(stability)
    surface = parse_terrain(terrain)
    _check_source(q=q, u=u, h=h)
    _check_location(lon, lat)
    _require_finite("wind_from_deg (direction the wind blows from, degrees)", wind_from_deg)
    _require_finite("threshold_g_m3 (concentration threshold, g/m³)", threshold_g_m3)
    if threshold_g_m3 <= 0:
        raise InvalidInput(
            f"threshold_g_m3 (concentration threshold) must be > 0; got {threshold_g_m3}"
        )
    _require_finite("max_distance_m (farthest downwind distance, m)", max_distance_m)
    if not MIN_DISTANCE_M < max_distance_m <= MAX_FOOTPRINT_DISTANCE_M:
        raise InvalidInput(
            f"max_distance_m (farthest downwind distance) must be > {MIN_DISTANCE_M:g} m and "
            f"≤ {MAX_FOOTPRINT_DISTANCE_M:g} m; got {max_distance_m}"
        )
    _require_finite("resolution_m (sample spacing along the plume, m)", resolution_m)
    if resolution_m <= 0:
        raise InvalidInput(
            f"resolution_m (sample spacing along the plume) must be > 0; got {resolution_m}"
        )

    coefficients_y = _SIGMA[surface][0][stability_class]
    axis = _centre_line(
        q=q,
        u=u,
        h=h,
        coefficients_y=coefficients_y,
        coefficients_z=_SIGMA[surface][1][stability_class],
    )
    xs = MIN_DISTANCE_M * np.exp(math.log(max_distance_m / MIN_DISTANCE_M) * _SCAN_FRACTIONS)
    cs = axis(xs)
    peak_x, peak_c = _refine_peak(axis, xs, int(np.argmax(cs)))
    if not peak_c >= threshold_g_m3:
        return PlumeFootprint(Polygon(), peak_c, peak_x, 0.0, False)

    # A narrow peak can fall between scan points; adding it makes sure its run is found.
    at = int(np.searchsorted(xs, peak_x))
    xs = np.insert(xs, at, peak_x)
    cs = np.insert(cs, at, peak_c)
    above = np.concatenate(([False], cs >= threshold_g_m3, [False]))
    edges = np.flatnonzero(np.diff(above.astype(np.int8)))
    starts, ends = edges[0::2], edges[1::2] - 1  # inclusive scan indices of each run

    rings: list[FloatArray] = []
    end_x = 0.0
    truncated = False
    for first, last in zip(starts.tolist(), ends.tolist(), strict=True):
        # Closer than the first scan point the plume is centimetres wide: close it at the source.
        x_start = (
            0.0 if first == 0 else _refine_crossing(axis, xs[first - 1], xs[first], threshold_g_m3)
        )
        run_truncated = last == len(xs) - 1
        x_end = (
            float(max_distance_m)
            if run_truncated
            else _refine_crossing(axis, xs[last + 1], xs[last], threshold_g_m3)
        )
        end_x, truncated = max(end_x, x_end), truncated or run_truncated
        rings.append(
            _run_outline(
                axis, coefficients_y, x_start, x_end, threshold_g_m3, resolution_m, run_truncated
            )
        )

    pieces = [shapely.polygons(_to_lonlat_rotated(lon, lat, wind_from_deg, ring)) for ring in rings]
    polygon: Polygon | MultiPolygon = pieces[0] if len(pieces) == 1 else MultiPolygon(pieces)
    return PlumeFootprint(polygon, peak_c, peak_x, end_x, truncated)


def _briggs(x: FloatArray, coefficients: _Coefficients) -> FloatArray:
    return _spread(np.maximum(x, 0.0), coefficients)


def _spread(x: FloatArray, coefficients: _Coefficients) -> FloatArray:
    """σ = a·x·(1 + b·x)^p for x ≥ 0; the exponents in the tables get sqrt, not a slow power."""
    a, b, p = coefficients
    result: FloatArray
    if p == 0.0:
        result = a * x
    elif p == -0.5:
        result = a * x / np.sqrt(1.0 + b * x)
    elif p == 0.5:
        result = a * x * np.sqrt(1.0 + b * x)
    elif p == -1.0:
        result = a * x / (1.0 + b * x)
    else:
        result = a * x * (1.0 + b * x) ** p
    return result


def _briggs_scalar(x: float, coefficients: _Coefficients) -> float:
    a, b, p = coefficients
    return float(a * x * (1.0 + b * x) ** p)


def _centre_line(
    *, q: float, u: float, h: float, coefficients_y: _Coefficients, coefficients_z: _Coefficients
) -> Callable[[FloatArray], FloatArray]:
    """C(x, 0, 0): ground-level concentration under the plume axis at distances x > 0."""
    scale = q / (math.pi * u)
    half_h2 = -0.5 * h * h

    def axis(x: FloatArray) -> FloatArray:
        sz = _spread(x, coefficients_z)
        # Both reflection terms are equal at z = 0, hence q/(π u σy σz) rather than 2π. Far
        # from an elevated source the exponential underflows to 0, which numpy allows quietly.
        value: FloatArray = scale / (_spread(x, coefficients_y) * sz) * np.exp(half_h2 / (sz * sz))
        return value

    return axis


def _refine_peak(
    axis: Callable[[FloatArray], FloatArray], xs: FloatArray, i: int
) -> tuple[float, float]:
    """Distance and value of the centre-line maximum near scan index i."""
    lo, hi = xs[max(i - 1, 0)], xs[min(i + 1, len(xs) - 1)]
    best_x, best_c = float(xs[i]), float(axis(xs[i : i + 1])[0])
    for _ in range(_REFINE_ROUNDS):
        grid = lo + (hi - lo) * _REFINE_FRACTIONS
        values = axis(grid)
        k = int(np.argmax(values))
        if values[k] > best_c:
            best_x, best_c = float(grid[k]), float(values[k])
        lo, hi = grid[max(k - 1, 0)], grid[min(k + 1, len(grid) - 1)]
    return best_x, best_c


def _refine_crossing(
    axis: Callable[[FloatArray], FloatArray], outside: float, inside: float, threshold: float
) -> float:
    """Distance where the centre line crosses the threshold, between a point below and one above.

    Returns the last point found still over the threshold, so the outline never claims ground
    that is below it.
    """
    for _ in range(_REFINE_ROUNDS):
        grid = outside + (inside - outside) * _REFINE_FRACTIONS
        k = int(np.argmax(axis(grid) >= threshold))  # first point over, counted from outside
        outside, inside = grid[max(k - 1, 0)], grid[k]
    return float(inside)


def _run_outline(
    axis: Callable[[FloatArray], FloatArray],
    coefficients_y: _Coefficients,
    x_start: float,
    x_end: float,
    threshold: float,
    resolution_m: float,
    truncated: bool,
) -> FloatArray:
    """Closed ring (x downwind, y crosswind) around one stretch of ground over the threshold."""
    count = int(
        np.clip(math.ceil((x_end - x_start) / resolution_m) + 1, _MIN_SAMPLES, _MAX_SAMPLES)
    )
    # Cosine spacing crowds samples at both ends, where the half-width rises like a square root.
    t = 0.5 * (1.0 - np.cos(np.linspace(0.0, math.pi, count)))
    x = x_start + (x_end - x_start) * t
    half = np.zeros_like(x)
    inside = x > 0
    ratio = axis(x[inside]) / threshold
    # C(x, y, 0) = C(x, 0, 0)·exp(-y²/2σy²) equals the threshold at
    # y = σy·√(2·ln(C(x, 0, 0) / threshold)): the half-width in closed form, no root finding.
    half[inside] = _spread(x[inside], coefficients_y) * np.sqrt(
        2.0 * np.log(np.maximum(ratio, 1.0))
    )
    half[0] = 0.0
    if not truncated:
        half[-1] = 0.0
    upper = np.column_stack((x, half))
    lower = np.column_stack((x[::-1], -half[::-1]))
    # The two sides meet on the axis at a closed end; keep that vertex once.
    lower = lower[(1 if not truncated else 0) : len(lower) - 1]
    return np.concatenate((upper, lower, upper[:1]))


def _to_lonlat_rotated(
    lon: float, lat: float, wind_from_deg: float, ring: FloatArray
) -> FloatArray:
    # Meteorological convention: the wind blows FROM wind_from_deg (clockwise from north), so the
    # plume travels towards wind_from_deg + 180°.
    heading = math.radians(wind_from_deg + 180.0)
    down_e, down_n = math.sin(heading), math.cos(heading)
    x, y = ring[:, 0], ring[:, 1]
    # y is measured to the left of the downwind direction; the plume is symmetric in y anyway.
    east = x * down_e - y * down_n
    north = x * down_n + y * down_e
    lons, lats = LocalProjection(lon, lat).lon_lat(east, north)
    return np.column_stack((lons, lats))


def _check_source(*, q: float, u: float, h: float) -> None:
    _require_finite("q (emission rate, g/s)", q)
    _require_finite("u (wind speed, m/s)", u)
    _require_finite("h (source height, m)", h)
    if q < 0:
        raise InvalidInput(f"q (emission rate) must be ≥ 0 g/s; got {q}")
    if u <= 0:
        # The plume formula divides by u: calm air has no downwind direction to carry it.
        raise InvalidInput(f"u (wind speed) must be > 0 m/s; got {u}")
    if h < 0:
        raise InvalidInput(f"h (source height) must be ≥ 0 m above ground; got {h}")


def _check_location(lon: float, lat: float) -> None:
    _require_finite("lon (source longitude)", lon)
    _require_finite("lat (source latitude)", lat)
    if not -180.0 <= lon <= 180.0:
        raise InvalidInput(f"lon (source longitude) must be within -180..180 degrees; got {lon}")
    if not -_MAX_ABS_LATITUDE <= lat <= _MAX_ABS_LATITUDE:
        raise InvalidInput(
            f"lat (source latitude) must be within -{_MAX_ABS_LATITUDE:g}..{_MAX_ABS_LATITUDE:g} "
            f"degrees; got {lat}"
        )


def _require_finite(name: str, value: object) -> None:
    # numbers.Real takes numpy scalars too; a bool is an int to Python but never a quantity.
    if isinstance(value, bool) or not isinstance(value, numbers.Real) or not math.isfinite(value):
        raise InvalidInput(f"{name} must be a finite number; got {value!r}")
