"""What the propagation models need to know of a region, gathered once per load."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

from crossrisk.geo.jurisdiction_index import JurisdictionIndex

if TYPE_CHECKING:
    from crossrisk.geo.river import RiverNetwork


@dataclass(frozen=True, slots=True)
class RegionGeo:
    code: str
    index: JurisdictionIndex
    populations: Mapping[str, int | None]
    label_points: Mapping[str, tuple[float, float]]  # a point inside each member (lon, lat)
    names: Mapping[str, tuple[str, str]]  # code -> (name_zh, name_en)
    rivers: RiverNetwork | None  # None where the region ships no river network
