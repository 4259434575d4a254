"""One model of the Earth for every distance, length, area and local projection: WGS84.

Every model measures on the WGS84 ellipsoid, the datum of the bundled boundaries, river
network and GPS coordinates, so a border length, a river reach, a distance between cities
and a plume's extent agree with each other. Distances and lengths follow geodesics and
areas are geodesic polygon areas (Karney 2013, as PROJ's Geod computes them, vectorised
over numpy arrays); a sphere would be off by up to 0.5 %, an equirectangular plane by
more away from its centre.

Local metric work (buffers in metres, a plume's downwind axis, a CAP circle, simplifying
in metres) uses the azimuthal equidistant projection about a centre on the same
ellipsoid: distances and bearings from the centre are geodesic ones, exactly.
"""

from __future__ import annotations

import math
from functools import lru_cache

import numpy as np
import numpy.typing as npt
import shapely
from pyproj import Geod, Transformer
from pyproj.enums import TransformDirection
from shapely.geometry.base import BaseGeometry

__all__ = [
    "WGS84",
    "LocalProjection",
    "area_km2",
    "buffer_by_km",
    "cumulative_km",
    "distance_km",
    "distance_matrix_km",
    "km_per_degree",
    "length_km",
    "segment_km",
]

FloatArray = npt.NDArray[np.float64]

WGS84 = Geod(ellps="WGS84")


def distance_km(
    lon1: npt.ArrayLike, lat1: npt.ArrayLike, lon2: npt.ArrayLike, lat2: npt.ArrayLike
) -> FloatArray:
    """Geodesic distances in km between pairs of WGS84 points (arrays broadcast)."""
    a, b, c, d = np.broadcast_arrays(
        *(np.asarray(v, dtype=np.float64) for v in (lon1, lat1, lon2, lat2))
    )
    _, _, metres = WGS84.inv(a.ravel(), b.ravel(), c.ravel(), d.ravel())
    return np.asarray(metres, dtype=np.float64).reshape(a.shape) / 1000.0


def distance_matrix_km(lons: npt.ArrayLike, lats: npt.ArrayLike) -> FloatArray:
    """Geodesic distances in km between every pair of WGS84 points, as an (n, n) matrix."""
    lon = np.asarray(lons, dtype=np.float64).ravel()
    lat = np.asarray(lats, dtype=np.float64).ravel()
    distances = distance_km(lon[:, None], lat[:, None], lon[None, :], lat[None, :])
    # The geodesic is symmetric; taking one triangle makes the matrix so to the last bit.
    upper = np.triu(distances, 1)
    return upper + upper.T


def segment_km(coords: npt.ArrayLike) -> FloatArray:
    """Geodesic length in km of each segment of an (N, 2) lon/lat polyline."""
    xy = np.asarray(coords, dtype=np.float64)
    if len(xy) < 2:
        return np.zeros(0)
    return distance_km(xy[:-1, 0], xy[:-1, 1], xy[1:, 0], xy[1:, 1])


def cumulative_km(coords: npt.ArrayLike) -> FloatArray:
    """Distance in km from the first vertex to each vertex of a lon/lat polyline."""
    return np.concatenate(([0.0], np.cumsum(segment_km(coords))))


def length_km(geometry: BaseGeometry) -> float:
    """Geodesic length in km of lon/lat lines, with a polygon's whole boundary (holes too)."""
    metres = 0.0
    for part in shapely.get_parts(geometry):
        if part.is_empty or shapely.get_dimensions(part) == 0:
            continue
        line = part.boundary if shapely.get_dimensions(part) == 2 else part
        metres += WGS84.geometry_length(line)
    return metres / 1000.0


def area_km2(geometry: BaseGeometry) -> float:
    """Geodesic area in km² of the polygons of a lon/lat geometry (points and lines have none)."""
    metres2 = 0.0
    for part in shapely.get_parts(geometry):
        if part.is_empty or shapely.get_dimensions(part) < 2:
            continue
        # The area's sign follows each ring's orientation: shells counter-clockwise count
        # positive, holes clockwise negative.
        area, _ = WGS84.geometry_area_perimeter(shapely.orient_polygons(part))
        metres2 += area
    return metres2 / 1e6


def km_per_degree(lat: float) -> tuple[float, float]:
    """Km per degree of longitude and of latitude at a latitude: the local plane's scale."""
    # The radii of curvature of the same ellipsoid: prime vertical (N) and meridian (M).
    phi = math.radians(lat)
    w = 1.0 - WGS84.es * math.sin(phi) ** 2
    n = WGS84.a / math.sqrt(w)
    m = WGS84.a * (1.0 - WGS84.es) / w**1.5
    per_radian = math.pi / 180.0 / 1000.0
    return n * math.cos(phi) * per_radian, m * per_radian


class LocalProjection:
    """Longitude/latitude to metres east/north of a centre, and back (azimuthal equidistant)."""

    def __init__(self, lon: float, lat: float) -> None:
        self.lon = float(lon)
        self.lat = float(lat)
        self._transformer = _transformer(self.lon, self.lat)

    def east_north(self, lon: npt.ArrayLike, lat: npt.ArrayLike) -> tuple[FloatArray, FloatArray]:
        """Metres east and north of the centre of WGS84 points."""
        east, north = self._transformer.transform(
            np.asarray(lon, dtype=np.float64), np.asarray(lat, dtype=np.float64)
        )
        return np.asarray(east, dtype=np.float64), np.asarray(north, dtype=np.float64)

    def lon_lat(self, east: npt.ArrayLike, north: npt.ArrayLike) -> tuple[FloatArray, FloatArray]:
        """WGS84 lon/lat of points given in metres east and north of the centre."""
        lon, lat = self._transformer.transform(
            np.asarray(east, dtype=np.float64),
            np.asarray(north, dtype=np.float64),
            direction=TransformDirection.INVERSE,
        )
        return np.asarray(lon, dtype=np.float64), np.asarray(lat, dtype=np.float64)

    def to_metres(self, geometry: BaseGeometry) -> BaseGeometry:
        """The geometry in metres east and north of the centre."""
        return shapely.transform(geometry, lambda xy: np.column_stack(self.east_north(*xy.T)))

    def to_lonlat(self, geometry: BaseGeometry) -> BaseGeometry:
        """A geometry in metres about the centre, back in WGS84 longitude and latitude."""
        return shapely.transform(geometry, lambda xy: np.column_stack(self.lon_lat(*xy.T)))


@lru_cache(maxsize=512)
def _transformer(lon: float, lat: float) -> Transformer:
    # Building a transformer parses a pipeline; a city's or a source's centre recurs, so
    # it is kept. Coordinates go in as lon/lat degrees and come out as metres.
    return Transformer.from_pipeline(
        "+proj=pipeline +step +proj=unitconvert +xy_in=deg +xy_out=rad "
        f"+step +proj=aeqd +lat_0={lat!r} +lon_0={lon!r} +ellps=WGS84"
    )


def buffer_by_km(geometry: BaseGeometry, distance_km: float) -> BaseGeometry:
    """Buffer a lon/lat geometry by a distance in km, measured on the ground."""
    centre = geometry.centroid
    projection = LocalProjection(centre.x, centre.y)
    return projection.to_lonlat(projection.to_metres(geometry).buffer(distance_km * 1000.0))
