"""Places a map can be searched for, offline: cities, counties, gauges and rivers of a region.

Everything comes from the region's bundled data, so the search works on an intranet with no
geocoder. A place matches when the query is part of its Chinese name, its English (pinyin)
name or its code, compared without case, spaces, apostrophes, hyphens or brackets, so that
"huaian", "Huai'an" and "淮安" all find 淮安市.
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
import shapely

if TYPE_CHECKING:
    from crossrisk.geo.region_geo import RegionGeo
    from crossrisk.geo.river import RiverEdge, RiverNetwork

__all__ = [
    "PLACE_KINDS",
    "QUERY_MAX",
    "RESULTS_MAX",
    "Place",
    "city_places",
    "county_places",
    "normalised",
    "point_place",
    "river_places",
    "search_places",
]

# A place name is short; a longer query is a mistake or an attack on the matcher.
QUERY_MAX = 40
RESULTS_MAX = 20
# Within one quality of match, cities come first: they are what officers look for most.
PLACE_KINDS = ("city", "county", "station", "river")

_IGNORED = re.compile(r"[\s'’\-_.,()（）·]+")
# Administrative suffixes a query need not type: 黄山 finds 黄山市.
_SUFFIXES = ("市", "省", "站", "区", "县")


@dataclass(frozen=True, slots=True)
class Place:
    """Something with a name on the map, and where to look at it."""

    kind: str  # one of PLACE_KINDS
    code: str
    name_zh: str
    name_en: str
    lon: float  # a point inside (a city's label point, a gauge, a river's middle)
    lat: float
    bounds: tuple[float, float, float, float]  # west, south, east, north
    # The city a county belongs to (two counties may share a name: 普陀区 is in two cities).
    city_code: str | None = None
    city_zh: str | None = None
    city_en: str | None = None


def normalised(text: str) -> str:
    """Text as the matcher compares it: NFKC, lower case, no spaces or punctuation."""
    return _IGNORED.sub("", unicodedata.normalize("NFKC", text).casefold())


def _keys(place: Place) -> list[str]:
    keys = [normalised(place.name_zh), normalised(place.name_en), normalised(place.code)]
    for suffix in _SUFFIXES:
        if place.name_zh.endswith(suffix):
            keys.append(normalised(place.name_zh.removesuffix(suffix)))
    return [key for key in keys if key]


def _quality(place: Place, query: str) -> int | None:
    """0 exact, 1 a name's start, 2 anywhere inside; None when it does not match."""
    keys = _keys(place)
    if query in keys:
        return 0
    if any(key.startswith(query) for key in keys):
        return 1
    if any(query in key for key in keys):
        return 2
    return None


def search_places(places: Iterable[Place], query: str, *, limit: int = RESULTS_MAX) -> list[Place]:
    """The places matching the query, best first (exact, then prefix, then inside)."""
    wanted = normalised(query)
    if not wanted:
        return []
    found: list[tuple[int, int, str, Place]] = []
    for place in places:
        quality = _quality(place, wanted)
        if quality is not None:
            found.append((quality, PLACE_KINDS.index(place.kind), place.code, place))
    found.sort(key=lambda item: item[:3])
    return [item[3] for item in found[:limit]]


def city_places(geo: RegionGeo) -> list[Place]:
    """The region's member cities, at their label points, with their boundaries' bounds."""
    bounds = shapely.bounds(geo.index.boundaries)
    places = []
    for code, box in zip(geo.index.codes, bounds, strict=True):
        name_zh, name_en = geo.names[code]
        lon, lat = geo.label_points[code]
        west, south, east, north = (float(v) for v in box)
        places.append(Place("city", code, name_zh, name_en, lon, lat, (west, south, east, north)))
    return places


def river_places(network: RiverNetwork) -> list[Place]:
    """One place per river (all its edges together), found at the middle of its course."""
    by_river: dict[str, list[RiverEdge]] = {}
    for edge in network.edges:
        by_river.setdefault(edge.river, []).append(edge)
    places = []
    for river, edges in by_river.items():
        coords = np.concatenate([edge.coords for edge in edges])
        # The vertex halfway along the longest edge lies on the river, unlike a centroid.
        longest = max(edges, key=lambda edge: edge.length_km)
        middle = longest.coords[int(np.searchsorted(longest.cum_km, longest.cum_km[-1] / 2))]
        west, south = (float(v) for v in coords.min(axis=0))
        east, north = (float(v) for v in coords.max(axis=0))
        places.append(
            Place(
                "river",
                river,
                edges[0].name_zh,
                edges[0].name_en,
                round(float(middle[0]), 5),
                round(float(middle[1]), 5),
                (west, south, east, north),
            )
        )
    return places


def point_place(kind: str, code: str, name_zh: str, name_en: str, lon: float, lat: float) -> Place:
    """A place that is a point (a gauge): its bounds are the point itself."""
    return Place(kind, code, name_zh, name_en, lon, lat, (lon, lat, lon, lat))


def county_places(text: str, city_names: Mapping[str, tuple[str, str]]) -> list[Place]:
    """The counties of a region's county file (CSV) whose city is one of city_names.

    city_names maps a member city's code to its Chinese and English names.
    """
    places = []
    for row in csv.DictReader(io.StringIO(text)):
        names = city_names.get(row["city_code"])
        if names is None:  # a county of a city the region no longer has as a member
            continue
        west, south, east, north = (float(row[k]) for k in ("west", "south", "east", "north"))
        places.append(
            Place(
                "county",
                row["code"],
                row["name_zh"],
                row["name_en"],
                float(row["label_lon"]),
                float(row["label_lat"]),
                (west, south, east, north),
                row["city_code"],
                names[0],
                names[1],
            )
        )
    return places
