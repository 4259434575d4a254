"""A bundled region's geography read straight from the package, without a database.

The platform loads regions into its store and builds their RegionGeo from there; the
benchmarks and the models' tests want the same geography without one.
"""

from __future__ import annotations

import json
from functools import cache

import shapely
from shapely.geometry import shape

from crossrisk.data import bundled_region_path
from crossrisk.geo.jurisdiction_index import JurisdictionIndex
from crossrisk.geo.region_geo import RegionGeo
from crossrisk.geo.river import load_network


@cache
def bundled_region_geo(name: str) -> RegionGeo:
    """The members, populations and rivers of a bundled region (no surroundings)."""
    path = bundled_region_path(name)
    collection = json.loads(path.read_text("utf-8"))
    members = [f for f in collection["features"] if f["properties"]["member"]]
    boundaries = [shape(f["geometry"]) for f in members]
    rivers = path.with_name("rivers.geojson")
    return RegionGeo(
        code=name,
        index=JurisdictionIndex([f["properties"]["code"] for f in members], boundaries),
        populations={f["properties"]["code"]: f["properties"]["population"] for f in members},
        label_points={
            f["properties"]["code"]: shapely.point_on_surface(b).coords[0]
            for f, b in zip(members, boundaries, strict=True)
        },
        names={
            f["properties"]["code"]: (f["properties"]["name_zh"], f["properties"]["name_en"])
            for f in members
        },
        rivers=load_network(rivers) if rivers.is_file() else None,
    )
