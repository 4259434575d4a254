"""The committed Yangtze River Delta boundary file (crossrisk/data/regions/yrd)."""

from __future__ import annotations

import csv
import json
import math
from pathlib import Path
from typing import Any

import pytest
import shapely
from shapely.geometry import shape
from shapely.geometry.base import BaseGeometry

import crossrisk
from crossrisk.geo.jurisdiction_index import JurisdictionIndex

REGION_DIR = Path(crossrisk.__file__).resolve().parent / "data" / "regions" / "yrd"
GEOJSON = REGION_DIR / "jurisdictions.geojson"
POPULATION_CSV = REGION_DIR / "population_2020.csv"

PROVINCES = {"310000": "上海市", "320000": "江苏省", "330000": "浙江省", "340000": "安徽省"}
PROVINCE_NAMES_EN = {
    "310000": "Shanghai",
    "320000": "Jiangsu",
    "330000": "Zhejiang",
    "340000": "Anhui",
}
# Every province outside the region that shares a border with a member city, carried as
# land that is not the region's (the sea is nobody's): code -> (name_zh, name_en).
NEIGHBOURS = {
    "350000": ("福建省", "Fujian"),
    "360000": ("江西省", "Jiangxi"),
    "370000": ("山东省", "Shandong"),
    "410000": ("河南省", "Henan"),
    "420000": ("湖北省", "Hubei"),
}
YRD_POPULATION_2020 = 235_213_670
PROPERTY_KEYS = {"code", "name_zh", "name_en", "level", "parent_code", "population", "member"}
# Anything bigger than this (deg², ~10,000 m²) is not numerical noise.
MAX_OVERLAP = 1e-6


@pytest.fixture(scope="module")
def collection() -> dict[str, Any]:
    with GEOJSON.open(encoding="utf-8") as f:
        data: dict[str, Any] = json.load(f)
    return data


@pytest.fixture(scope="module")
def features(collection: dict[str, Any]) -> list[dict[str, Any]]:
    return list(collection["features"])


@pytest.fixture(scope="module")
def geoms(features: list[dict[str, Any]]) -> dict[str, BaseGeometry]:
    return {f["properties"]["code"]: shape(f["geometry"]) for f in features}


@pytest.fixture(scope="module")
def members(features: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [f["properties"] for f in features if f["properties"]["member"]]


@pytest.fixture(scope="module")
def census() -> dict[str, dict[str, str]]:
    with POPULATION_CSV.open(encoding="utf-8", newline="") as f:
        return {row["adcode"]: row for row in csv.DictReader(f)}


def test_file_is_small() -> None:
    assert GEOJSON.stat().st_size < 2_500_000


def test_region_member(collection: dict[str, Any]) -> None:
    assert collection["type"] == "FeatureCollection"
    assert collection["region"] == {
        "code": "yrd",
        "name_zh": "长三角区域",
        "name_en": "Yangtze River Delta",
    }


def test_counts(features: list[dict[str, Any]], members: list[dict[str, Any]]) -> None:
    # 41 member cities, their 3 parent provinces (Shanghai is itself a member) and the 5
    # neighbouring provinces.
    assert len(features) == 49
    assert len(members) == 41
    provinces = [
        f["properties"]["code"] for f in features if f["properties"]["level"] == "province"
    ]
    assert provinces == sorted([*PROVINCES, *NEIGHBOURS])
    not_members = [f["properties"]["code"] for f in features if not f["properties"]["member"]]
    assert not_members == sorted(["320000", "330000", "340000", *NEIGHBOURS])


def test_sorted_by_code_without_duplicates(features: list[dict[str, Any]]) -> None:
    codes = [f["properties"]["code"] for f in features]
    assert codes == sorted(codes)
    assert len(set(codes)) == len(codes)


def test_properties_are_exactly_the_schema(features: list[dict[str, Any]]) -> None:
    for feature in features:
        assert feature["type"] == "Feature"
        props = feature["properties"]
        assert set(props) == PROPERTY_KEYS
        assert isinstance(props["code"], str)
        assert len(props["code"]) == 6
        assert props["code"].isdigit()
        assert isinstance(props["name_zh"], str)
        assert props["name_zh"]
        assert isinstance(props["name_en"], str)
        assert props["name_en"]
        assert props["level"] in {"province", "prefecture"}
        if props["code"] in NEIGHBOURS:
            # No census figure for the neighbours has been verified for this file.
            assert props["population"] is None
        else:
            assert isinstance(props["population"], int)
            assert not isinstance(props["population"], bool)
        assert isinstance(props["member"], bool)


def test_hierarchy(features: list[dict[str, Any]]) -> None:
    for feature in features:
        props = feature["properties"]
        code = props["code"]
        if code in PROVINCES:
            assert props["level"] == "province"
            assert props["parent_code"] is None
            assert props["name_zh"] == PROVINCES[code]
            assert props["name_en"] == PROVINCE_NAMES_EN[code]
            # Shanghai is both a province-level unit and the member city.
            assert props["member"] is (code == "310000")
        elif code in NEIGHBOURS:
            assert props["level"] == "province"
            assert props["parent_code"] is None
            assert (props["name_zh"], props["name_en"]) == NEIGHBOURS[code]
            assert props["member"] is False
        else:
            assert props["level"] == "prefecture"
            assert props["parent_code"] == code[:2] + "0000"
            assert props["parent_code"] in PROVINCES
            assert props["member"] is True


def test_members_match_census_csv(
    members: list[dict[str, Any]], census: dict[str, dict[str, str]]
) -> None:
    assert sorted(m["code"] for m in members) == sorted(census)
    for m in members:
        row = census[m["code"]]
        assert m["name_zh"] == row["name_zh"]
        assert m["name_en"] == row["name_en"]
        assert m["population"] == int(row["population_2020"])


def test_member_populations_sum_to_census_total(members: list[dict[str, Any]]) -> None:
    assert sum(m["population"] for m in members) == YRD_POPULATION_2020


def test_province_population_is_sum_of_cities(features: list[dict[str, Any]]) -> None:
    props = [f["properties"] for f in features]
    for code in ("320000", "330000", "340000"):
        province = next(p for p in props if p["code"] == code)
        cities = [p for p in props if p["parent_code"] == code]
        assert province["population"] == sum(p["population"] for p in cities)
    assert sum(p["population"] for p in props if p["code"] in PROVINCES) == YRD_POPULATION_2020


def test_geometries_valid_and_in_region(geoms: dict[str, BaseGeometry]) -> None:
    for code, geom in geoms.items():
        assert geom.geom_type in {"Polygon", "MultiPolygon"}, code
        assert geom.is_valid, (code, shapely.is_valid_reason(geom))
        assert not geom.is_empty, code
        # Longitude first, and inside the YRD (or, for the neighbours, around it): catches
        # swapped axes.
        min_lon, min_lat, max_lon, max_lat = geom.bounds
        if code in NEIGHBOURS:
            assert min_lon > 108.0, code
            assert max_lon < 123.5, code
            assert min_lat > 23.0, code
            assert max_lat < 38.5, code
        else:
            assert min_lon > 114.5, code
            assert max_lon < 123.5, code
            assert min_lat > 26.5, code
            assert max_lat < 35.5, code


def test_coordinates_rounded_to_five_decimals(geoms: dict[str, BaseGeometry]) -> None:
    for geom in geoms.values():
        coords = shapely.get_coordinates(geom)
        assert (abs(coords * 1e5 - (coords * 1e5).round()) < 1e-6).all()


def test_members_do_not_overlap(
    geoms: dict[str, BaseGeometry], members: list[dict[str, Any]]
) -> None:
    codes = [m["code"] for m in members]
    polys = [geoms[c] for c in codes]
    tree = shapely.STRtree(polys)
    left, right = tree.query(polys, predicate="intersects")
    worst = 0.0
    for i, j in zip(left.tolist(), right.tolist(), strict=True):
        if i < j:
            worst = max(worst, polys[i].intersection(polys[j]).area)
    assert worst < MAX_OVERLAP


def test_members_form_a_coverage(
    geoms: dict[str, BaseGeometry], members: list[dict[str, Any]]
) -> None:
    # Shared borders are vertex-identical, so neighbours fit without gaps or slivers.
    assert shapely.coverage_is_valid([geoms[m["code"]] for m in members])


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("310000", "320500"),  # Shanghai - Suzhou
        ("310000", "330400"),  # Shanghai - Jiaxing
        ("330100", "341000"),  # Hangzhou - Huangshan
        ("320100", "340500"),  # Nanjing - Ma'anshan
    ],
)
def test_known_neighbours_share_a_border(geoms: dict[str, BaseGeometry], a: str, b: str) -> None:
    shared = shapely.intersection(geoms[a].boundary, geoms[b].boundary)
    # These borders are tens of kilometres long; 0.1 deg is ~10 km.
    assert shared.length > 0.1


def test_non_neighbours_do_not_touch(geoms: dict[str, BaseGeometry]) -> None:
    assert not geoms["310000"].intersects(geoms["341000"])  # Shanghai - Huangshan
    assert not geoms["320300"].intersects(geoms["330300"])  # Xuzhou - Wenzhou


def test_shanghai_centroid(geoms: dict[str, BaseGeometry]) -> None:
    centroid = geoms["310000"].centroid
    assert centroid.x == pytest.approx(121.4, abs=0.25)
    assert centroid.y == pytest.approx(31.1, abs=0.25)


def test_provinces_are_unions_of_their_cities(
    geoms: dict[str, BaseGeometry], members: list[dict[str, Any]]
) -> None:
    for code in ("320000", "330000", "340000"):
        cities = [geoms[m["code"]] for m in members if m["parent_code"] == code]
        union = shapely.union_all(cities)
        assert geoms[code].symmetric_difference(union).area < 1e-9, code
        # Province borders run along city borders, vertex for vertex.
        province_vertices = {tuple(xy) for xy in shapely.get_coordinates(geoms[code]).tolist()}
        city_vertices = {tuple(xy) for c in cities for xy in shapely.get_coordinates(c).tolist()}
        assert province_vertices <= city_vertices, code


def test_province_areas_are_plausible(geoms: dict[str, BaseGeometry]) -> None:
    # Catches unit or axis mistakes, not survey detail. deg² at ~31°N is ~1.06e4 km²;
    # official areas: Jiangsu ~107,200 km², Zhejiang ~105,500 km², Anhui ~140,100 km².
    # Shanghai's official area is ~6,340 km², but AMap's boundary also takes in tidal
    # flats and shoals (its Chongming part alone is ~1,800 km²), so it measures ~8,000.
    areas_km2 = {code: geoms[code].area * 1.06e4 for code in PROVINCES}
    assert 6_000 < areas_km2["310000"] < 9_000
    assert areas_km2["320000"] == pytest.approx(107_200, rel=0.1)
    assert areas_km2["330000"] == pytest.approx(105_500, rel=0.1)
    assert areas_km2["340000"] == pytest.approx(140_100, rel=0.1)


# ------------------------------------------------------------------ neighbouring provinces


def test_neighbours_are_not_members_and_parent_no_member(features: list[dict[str, Any]]) -> None:
    props = {f["properties"]["code"]: f["properties"] for f in features}
    for code in NEIGHBOURS:
        assert props[code]["member"] is False
        assert props[code]["level"] == "province"
        assert props[code]["parent_code"] is None
    assert not {p["parent_code"] for p in props.values()} & set(NEIGHBOURS)
    # The members' provinces are the region's own.
    assert {p["code"][:2] for p in props.values() if p["member"]} == {"31", "32", "33", "34"}


@pytest.mark.parametrize(
    ("neighbour", "member"),
    [
        ("410000", "341200"),  # Henan - Fuyang
        ("370000", "320300"),  # Shandong - Xuzhou
        ("360000", "341000"),  # Jiangxi - Huangshan
        ("350000", "331100"),  # Fujian - Lishui
        ("350000", "330300"),  # Fujian - Wenzhou
        ("420000", "340800"),  # Hubei - Anqing
    ],
)
def test_neighbours_share_a_border_with_members(
    geoms: dict[str, BaseGeometry], neighbour: str, member: str
) -> None:
    shared = shapely.intersection(geoms[neighbour].boundary, geoms[member].boundary)
    # Each of these borders is well over 100 km long; 0.1 deg is ~10 km.
    assert shared.length > 0.1


def test_neighbours_do_not_overlap_members_or_each_other(geoms: dict[str, BaseGeometry]) -> None:
    codes = sorted(geoms)
    polys = [geoms[c] for c in codes]
    tree = shapely.STRtree(polys)
    left, right = tree.query(polys, predicate="intersects")
    worst = 0.0
    for i, j in zip(left.tolist(), right.tolist(), strict=True):
        if i < j and (codes[i] in NEIGHBOURS or codes[j] in NEIGHBOURS):
            worst = max(worst, polys[i].intersection(polys[j]).area)
    assert worst < MAX_OVERLAP


def test_members_and_neighbours_form_a_coverage(
    geoms: dict[str, BaseGeometry], members: list[dict[str, Any]]
) -> None:
    # A neighbour's border with a member is the member's own border, vertex for vertex:
    # no sliver of a member lies in a neighbour, and none is left between them.
    polys = [geoms[m["code"]] for m in members] + [geoms[c] for c in NEIGHBOURS]
    assert shapely.coverage_is_valid(polys, gap_width=1e-3)


def test_henan_fills_its_enclave_in_fuyang(geoms: dict[str, BaseGeometry]) -> None:
    parts = shapely.get_parts(geoms["341200"])
    holes = [shapely.Polygon(ring) for part in parts for ring in part.interiors]
    assert holes
    for hole in holes:
        assert hole.difference(geoms["410000"]).area < 1e-12


def test_neighbour_areas_are_plausible(geoms: dict[str, BaseGeometry]) -> None:
    # Official areas (km²); AMap's boundaries include islands and tidal flats.
    official = {
        "350000": 124_000,
        "360000": 166_900,
        "370000": 157_900,
        "410000": 167_000,
        "420000": 185_900,
    }
    for code, km2 in official.items():
        geom = geoms[code]
        per_deg2 = 111.32**2 * math.cos(math.radians(geom.centroid.y))
        assert geom.area * per_deg2 == pytest.approx(km2, rel=0.1), code


def test_a_city_shaped_hazard_has_that_city_alone_as_origin(
    members: list[dict[str, Any]], geoms: dict[str, BaseGeometry]
) -> None:
    codes = [m["code"] for m in members]
    index = JurisdictionIndex(codes, [geoms[code] for code in codes])

    # Its neighbours touch it along their borders, which hold none of its area.
    origins = index.origins(geoms["341000"])

    assert [o.jurisdiction_code for o in origins] == ["341000"]
