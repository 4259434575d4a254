"""A local metric projection about a point, for distances and buffers in metres.

An azimuthal equidistant projection would be exact along rays from the centre; over the
extent of a city or a 100 km plume an equirectangular projection on the centre's latitude
is within a fraction of a percent, and it is affine, so it maps straight lines to straight
lines and shapely can transform whole geometries at once.
"""

from __future__ import annotations

import math

import numpy as np
import shapely
from shapely.geometry.base import BaseGeometry

# Metres per degree of latitude, and of longitude at the equator (WGS84 mean values).
M_PER_DEG_LAT = 110_574.0
M_PER_DEG_LON = 111_320.0


class LocalProjection:
    """Longitude/latitude to metres east/north of a centre, and back."""

    def __init__(self, lon: float, lat: float) -> None:
        self.lon = lon
        self.lat = lat
        self.scale = np.array([M_PER_DEG_LON * math.cos(math.radians(lat)), M_PER_DEG_LAT])

    def to_metres(self, geometry: BaseGeometry) -> BaseGeometry:
        """The geometry in metres east and north of the centre."""
        centre = np.array([self.lon, self.lat])
        return shapely.transform(geometry, lambda xy: (xy - centre) * self.scale)

    def to_lonlat(self, geometry: BaseGeometry) -> BaseGeometry:
        """The geometry back in WGS84 longitude and latitude."""
        centre = np.array([self.lon, self.lat])
        return shapely.transform(geometry, lambda xy: xy / self.scale + centre)


def buffer_by_km(geometry: BaseGeometry, distance_km: float) -> BaseGeometry:
    """Buffer a lon/lat geometry by a distance in km, measured on the ground."""
    centre = geometry.centroid
    projection = LocalProjection(centre.x, centre.y)
    return projection.to_lonlat(projection.to_metres(geometry).buffer(distance_km * 1000.0))
