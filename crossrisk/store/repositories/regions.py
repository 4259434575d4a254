"""Regions, jurisdictions, membership and adjacency; and the cached spatial index."""

from __future__ import annotations

import json
import threading
import tomllib
import uuid
from collections.abc import Callable, Sequence
from importlib import resources

from shapely.geometry import shape
from shapely.geometry.base import BaseGeometry
from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from crossrisk.domain.errors import NotFound
from crossrisk.domain.region import (
    Jurisdiction,
    JurisdictionLevel,
    JurisdictionSummary,
    Region,
    RegionSpec,
)
from crossrisk.domain.responsibility import RegionState
from crossrisk.geo.jurisdiction_index import Adjacency, JurisdictionIndex
from crossrisk.geo.labels import label_point
from crossrisk.geo.region_geo import RegionGeo
from crossrisk.geo.river import RiverNetwork
from crossrisk.store.models import (
    AdjacencyRow,
    JurisdictionRow,
    RegionMemberRow,
    RegionRow,
    SurroundingRow,
)

_LEVEL_ORDER = {JurisdictionLevel.PROVINCE: 0, JurisdictionLevel.PREFECTURE: 1}
_geo_cache: dict[tuple[str, str], RegionGeo] = {}
_cache_lock = threading.Lock()


class RegionRepository:
    def __init__(self, session: Session) -> None:
        self.session = session
        # One use case asks for its region many times (index, geo, state); the session's
        # identity map holds rows only weakly, so without this each ask is a query.
        self._rows: dict[str, RegionRow] = {}

    def save(
        self,
        spec: RegionSpec,
        adjacency: Sequence[Adjacency],
        *,
        on_saved: Callable[[str], None] | None = None,
    ) -> None:
        """Insert or replace the region, its jurisdictions, members and adjacency."""
        ordered = sorted(spec.jurisdictions, key=lambda j: (_LEVEL_ORDER.get(j.level, 2), j.code))
        for jurisdiction in ordered:
            row = self.session.get(JurisdictionRow, jurisdiction.code) or JurisdictionRow(
                code=jurisdiction.code
            )
            label_lon, label_lat = label_point(jurisdiction.boundary)
            row.name_zh = jurisdiction.name_zh
            row.name_en = jurisdiction.name_en
            row.level = jurisdiction.level.value
            row.parent_code = jurisdiction.parent_code
            row.population = jurisdiction.population
            row.boundary = dict(jurisdiction.boundary)
            row.label_lon = label_lon
            row.label_lat = label_lat
            self.session.add(row)
            self.session.flush()
            if on_saved is not None:
                on_saved(jurisdiction.code)
        region = self.session.get(RegionRow, spec.code) or RegionRow(code=spec.code)
        region.name_zh = spec.name_zh
        region.name_en = spec.name_en
        region.revision = str(uuid.uuid4())
        self.session.add(region)
        self.session.flush()
        self.session.execute(
            delete(RegionMemberRow).where(RegionMemberRow.region_code == spec.code)
        )
        member_codes = [j.code for j in spec.members]
        self.session.add_all(
            RegionMemberRow(region_code=spec.code, jurisdiction_code=code) for code in member_codes
        )
        self.session.execute(delete(SurroundingRow).where(SurroundingRow.region_code == spec.code))
        self.session.add_all(
            SurroundingRow(region_code=spec.code, jurisdiction_code=j.code)
            for j in spec.surroundings
        )
        self.session.execute(
            delete(AdjacencyRow).where(
                AdjacencyRow.a_code.in_(member_codes) | AdjacencyRow.b_code.in_(member_codes)
            )
        )
        self.session.add_all(
            AdjacencyRow(a_code=pair.a, b_code=pair.b, border_km=pair.border_km)
            for pair in adjacency
        )
        self.session.flush()

    def get(self, code: str) -> Region:
        """The region, or NotFound."""
        row = self._row(code)
        return Region(code=row.code, name_zh=row.name_zh, name_en=row.name_en)

    def all(self) -> list[Region]:
        """Every loaded region, by code."""
        rows = self.session.scalars(select(RegionRow).order_by(RegionRow.code))
        return [Region(code=row.code, name_zh=row.name_zh, name_en=row.name_en) for row in rows]

    def _row(self, code: str) -> RegionRow:
        row = self._rows.get(code) or self.session.get(RegionRow, code)
        if row is None:
            raise NotFound(f"region {code!r} is not loaded")
        self._rows[code] = row
        return row

    def regions_of(self, jurisdiction_code: str) -> list[str]:
        """Codes of the regions a jurisdiction is a member of."""
        return list(
            self.session.scalars(
                select(RegionMemberRow.region_code).where(
                    RegionMemberRow.jurisdiction_code == jurisdiction_code
                )
            )
        )

    def members(self, region_code: str) -> list[Jurisdiction]:
        """Member jurisdictions of a region, by code."""
        rows = self.session.scalars(
            select(JurisdictionRow)
            .join(RegionMemberRow, RegionMemberRow.jurisdiction_code == JurisdictionRow.code)
            .where(RegionMemberRow.region_code == region_code)
            .order_by(JurisdictionRow.code)
        ).all()
        return [_jurisdiction(row, member=True) for row in rows]

    def jurisdiction(self, code: str) -> Jurisdiction:
        """One jurisdiction, or NotFound."""
        row = self.session.get(JurisdictionRow, code)
        if row is None:
            raise NotFound(f"jurisdiction {code!r} does not exist")
        member = self.session.scalar(
            select(RegionMemberRow.region_code).where(RegionMemberRow.jurisdiction_code == code)
        )
        return _jurisdiction(row, member=member is not None)

    def summaries(self, region_code: str) -> list[JurisdictionSummary]:
        """Member jurisdictions without their boundaries, by code."""
        rows = self.session.execute(
            select(
                JurisdictionRow.code,
                JurisdictionRow.name_zh,
                JurisdictionRow.name_en,
                JurisdictionRow.level,
                JurisdictionRow.parent_code,
                JurisdictionRow.population,
                JurisdictionRow.label_lon,
                JurisdictionRow.label_lat,
            )
            .join(RegionMemberRow, RegionMemberRow.jurisdiction_code == JurisdictionRow.code)
            .where(RegionMemberRow.region_code == region_code)
            .order_by(JurisdictionRow.code)
        ).all()
        return [
            JurisdictionSummary(
                code=code,
                name_zh=name_zh,
                name_en=name_en,
                level=JurisdictionLevel(level),
                parent_code=parent,
                population=population,
                label_lon=lon,
                label_lat=lat,
            )
            for code, name_zh, name_en, level, parent, population, lon, lat in rows
        ]

    def neighbours(self, code: str) -> list[tuple[str, float]]:
        """Jurisdictions sharing a border with this one, with the border length in km."""
        rows = self.session.execute(
            select(AdjacencyRow).where(
                (AdjacencyRow.a_code == code) | (AdjacencyRow.b_code == code)
            )
        ).scalars()
        return sorted(
            ((row.b_code if row.a_code == code else row.a_code, row.border_km) for row in rows),
            key=lambda item: item[0],
        )

    def index(self, region_code: str) -> JurisdictionIndex:
        """The spatial index of the region's members."""
        return self.geo(region_code).index

    def geo(self, region_code: str) -> RegionGeo:
        """What the propagation models need of the region, rebuilt only after a reload."""
        revision = self._row(region_code).revision
        key = (region_code, revision)
        with _cache_lock:
            cached = _geo_cache.get(key)
        if cached is not None:
            return cached
        members = self.members(region_code)
        built = RegionGeo(
            code=region_code,
            index=JurisdictionIndex(
                [j.code for j in members], [shape(j.boundary) for j in members]
            ),
            populations={j.code: j.population for j in members},
            label_points={s.code: (s.label_lon, s.label_lat) for s in self.summaries(region_code)},
            names={j.code: (j.name_zh, j.name_en) for j in members},
            rivers=_bundled_rivers(region_code),
            surroundings=self._surroundings(region_code),
        )
        with _cache_lock:
            for stale in [k for k in _geo_cache if k[0] == region_code]:
                del _geo_cache[stale]
            _geo_cache[key] = built
        return built

    def _surroundings(self, region_code: str) -> list[BaseGeometry]:
        boundaries = self.session.scalars(
            select(JurisdictionRow.boundary)
            .join(SurroundingRow, SurroundingRow.jurisdiction_code == JurisdictionRow.code)
            .where(SurroundingRow.region_code == region_code)
            .order_by(JurisdictionRow.code)
        )
        return [shape(boundary) for boundary in boundaries]

    def state(self, region_code: str, *, for_update: bool = False) -> RegionState:
        """Whether the region is in its normal or emergency state; `for_update` locks the
        region's row, so two switches of its state are journaled one after the other."""
        if for_update:
            row = self.session.get(RegionRow, region_code, with_for_update=True)
            if row is None:
                raise NotFound(f"region {region_code!r} is not loaded")
            self.session.refresh(row, with_for_update=True)
            self._rows[region_code] = row
            return RegionState(row.state)
        return RegionState(self._row(region_code).state)

    def set_state(self, region_code: str, state: RegionState) -> None:
        """Switch the region's state."""
        self._row(region_code).state = state.value
        self.session.flush()


def _bundled_rivers(region_code: str) -> RiverNetwork | None:
    # River networks ship with the package beside the region's boundaries.
    folder = resources.files("crossrisk.data").joinpath(f"regions/{region_code}")
    path = folder.joinpath("rivers.geojson")
    if not path.is_file():
        return None
    flows = folder.joinpath("hydraulics.toml")
    return RiverNetwork.from_geojson(
        json.loads(path.read_text("utf-8")),
        tomllib.loads(flows.read_text("utf-8")) if flows.is_file() else None,
    )


def _jurisdiction(row: JurisdictionRow, *, member: bool) -> Jurisdiction:
    return Jurisdiction(
        code=row.code,
        name_zh=row.name_zh,
        name_en=row.name_en,
        level=JurisdictionLevel(row.level),
        parent_code=row.parent_code,
        population=row.population,
        boundary=row.boundary,
        member=member,
    )
