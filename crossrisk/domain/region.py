"""Regions and their jurisdictions (DESIGN §3.1)."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, replace
from enum import StrEnum
from typing import Any

from crossrisk.domain.errors import InvalidInput

# GB/T 2260 codes are six digits; larger datasets may add township digits, so allow 6–12.
CODE_PATTERN = re.compile(r"^\d{6,12}$")
REGION_CODE_PATTERN = re.compile(r"^[a-z][a-z0-9-]{1,31}$")


class JurisdictionLevel(StrEnum):
    PROVINCE = "province"
    PREFECTURE = "prefecture"
    COUNTY = "county"


@dataclass(frozen=True, slots=True)
class Jurisdiction:
    code: str
    name_zh: str
    name_en: str
    level: JurisdictionLevel
    parent_code: str | None
    population: int | None
    boundary: Mapping[str, Any]  # GeoJSON Polygon or MultiPolygon, WGS84
    member: bool


@dataclass(frozen=True, slots=True)
class JurisdictionSummary:
    """A jurisdiction without its boundary: what lists, labels and markers need."""

    code: str
    name_zh: str
    name_en: str
    level: JurisdictionLevel
    parent_code: str | None
    population: int | None
    label_lon: float
    label_lat: float


@dataclass(frozen=True, slots=True)
class Region:
    code: str
    name_zh: str
    name_en: str


@dataclass(frozen=True, slots=True)
class RegionSpec:
    """A region as read from a GeoJSON FeatureCollection, before it is loaded."""

    code: str
    name_zh: str
    name_en: str
    jurisdictions: tuple[Jurisdiction, ...]

    @property
    def members(self) -> tuple[Jurisdiction, ...]:
        return tuple(j for j in self.jurisdictions if j.member)

    @property
    def surroundings(self) -> tuple[Jurisdiction, ...]:
        """Non-members that hold no member: the land around the region, not its parents."""
        parents: set[str] = set()
        by_code = {j.code: j for j in self.jurisdictions}
        for member in self.members:
            parent = member.parent_code
            while parent is not None and parent not in parents:
                parents.add(parent)
                parent = by_code[parent].parent_code if parent in by_code else None
        return tuple(j for j in self.jurisdictions if not j.member and j.code not in parents)


def read_region_spec(
    collection: Mapping[str, Any], *, region_code: str | None = None
) -> RegionSpec:
    """Read a region FeatureCollection; every problem is named with the feature's index."""
    if collection.get("type") != "FeatureCollection":
        raise InvalidInput("a region file must be a GeoJSON FeatureCollection")
    header = collection.get("region") or {}
    if not isinstance(header, Mapping):
        raise InvalidInput("the 'region' member must be an object")
    code = region_code or header.get("code")
    if not isinstance(code, str) or not REGION_CODE_PATTERN.match(code):
        raise InvalidInput(
            "the region needs a code of lower-case letters, digits and hyphens "
            "(the file's 'region.code' or --code)"
        )
    features = collection.get("features")
    if not isinstance(features, list) or not features:
        raise InvalidInput("the FeatureCollection has no features")
    jurisdictions = told_apart(
        tuple(_jurisdiction(index, feature) for index, feature in enumerate(features))
    )
    codes = [j.code for j in jurisdictions]
    duplicates = sorted({c for c in codes if codes.count(c) > 1})
    if duplicates:
        raise InvalidInput(f"duplicate jurisdiction codes: {', '.join(duplicates)}")
    known = set(codes)
    for j in jurisdictions:
        if j.parent_code is not None and j.parent_code not in known:
            raise InvalidInput(f"jurisdiction {j.code} names parent {j.parent_code}, not in file")
    if not any(j.member for j in jurisdictions):
        raise InvalidInput("no feature is a member of the region (property 'member': true)")
    return RegionSpec(
        code=code,
        name_zh=str(header.get("name_zh") or code),
        name_en=str(header.get("name_en") or code),
        jurisdictions=jurisdictions,
    )


def told_apart(jurisdictions: tuple[Jurisdiction, ...]) -> tuple[Jurisdiction, ...]:
    """Same-named jurisdictions told apart by their province: "Suzhou (Jiangsu)".

    Pinyin folds different characters into one spelling (苏州 and 宿州 are both Suzhou), so
    a name the file holds twice, in either language, is followed by the name of the province
    above it; every page, message and export then shows the told-apart name.
    """
    by_code = {j.code: j for j in jurisdictions}

    def province(j: Jurisdiction) -> Jurisdiction | None:
        seen: set[str] = set()
        above = by_code.get(j.parent_code or "")
        while above is not None and above.level is not JurisdictionLevel.PROVINCE:
            if above.code in seen:
                return None
            seen.add(above.code)
            above = by_code.get(above.parent_code or "")
        return above

    english = Counter(j.name_en for j in jurisdictions)
    chinese = Counter(j.name_zh for j in jurisdictions)
    told: list[Jurisdiction] = []
    for j in jurisdictions:
        found = province(j)
        if found is None or found.code == j.code:
            told.append(j)
            continue
        name_en = f"{j.name_en} ({found.name_en})" if english[j.name_en] > 1 else j.name_en
        name_zh = f"{j.name_zh}（{found.name_zh}）" if chinese[j.name_zh] > 1 else j.name_zh
        told.append(replace(j, name_en=name_en, name_zh=name_zh))
    return tuple(told)


def _jurisdiction(index: int, feature: Any) -> Jurisdiction:
    where = f"feature {index}"
    if not isinstance(feature, Mapping) or feature.get("type") != "Feature":
        raise InvalidInput(f"{where} is not a GeoJSON Feature")
    props = feature.get("properties")
    if not isinstance(props, Mapping):
        raise InvalidInput(f"{where} has no properties")
    code = str(props.get("code", ""))
    if not CODE_PATTERN.match(code):
        raise InvalidInput(f"{where} has code {code!r}; a GB/T 2260 code has 6 to 12 digits")
    where = f"feature {index} ({code})"
    name_zh = props.get("name_zh")
    if not isinstance(name_zh, str) or not name_zh.strip():
        raise InvalidInput(f"{where} has no name_zh")
    name_en = props.get("name_en") or name_zh
    try:
        level = JurisdictionLevel(props.get("level", ""))
    except ValueError:
        known = ", ".join(level.value for level in JurisdictionLevel)
        raise InvalidInput(f"{where} has level {props.get('level')!r}; known: {known}") from None
    parent = props.get("parent_code")
    population = props.get("population")
    if population is not None and (
        isinstance(population, bool) or not isinstance(population, int) or population < 0
    ):
        raise InvalidInput(f"{where} has population {population!r}; expected a whole number")
    geometry = feature.get("geometry")
    if not isinstance(geometry, Mapping) or geometry.get("type") not in ("Polygon", "MultiPolygon"):
        raise InvalidInput(f"{where} needs a Polygon or MultiPolygon geometry")
    return Jurisdiction(
        code=code,
        name_zh=name_zh.strip(),
        name_en=str(name_en).strip(),
        level=level,
        parent_code=str(parent) if parent not in (None, "") else None,
        population=population,
        boundary=geometry,
        member=bool(props.get("member", True)),
    )
