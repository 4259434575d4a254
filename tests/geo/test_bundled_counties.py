"""The bundled county-level divisions the place search finds: well-formed and where they are."""

from __future__ import annotations

import csv
import json
import re
from pathlib import Path

import pytest
from shapely.geometry import Point, shape
from shapely.geometry.base import BaseGeometry

import crossrisk

REGION_DIR = Path(crossrisk.__file__).resolve().parent / "data" / "regions" / "yrd"
COLUMNS = [
    "code",
    "name_zh",
    "name_en",
    "city_code",
    "label_lon",
    "label_lat",
    "west",
    "south",
    "east",
    "north",
]
# The English rule: capitalised pinyin, then the translated administrative suffix.
ENGLISH = re.compile(r"[A-Z][a-z']+ (District|County|City|New Area|She Autonomous County)")


@pytest.fixture(scope="module")
def rows() -> list[dict[str, str]]:
    with (REGION_DIR / "counties.csv").open(encoding="utf-8", newline="") as f:
        reader = csv.DictReader(f)
        assert reader.fieldnames == COLUMNS
        return list(reader)


@pytest.fixture(scope="module")
def cities() -> dict[str, BaseGeometry]:
    with (REGION_DIR / "jurisdictions.geojson").open(encoding="utf-8") as f:
        features = json.load(f)["features"]
    return {
        f["properties"]["code"]: shape(f["geometry"]) for f in features if f["properties"]["member"]
    }


def test_codes_are_six_digits_unique_and_sorted(rows: list[dict[str, str]]) -> None:
    codes = [row["code"] for row in rows]
    assert all(re.fullmatch(r"\d{6}", code) for code in codes)
    assert codes == sorted(set(codes))
    assert 250 < len(rows) < 400  # a few hundred rows, no polygons
    assert (REGION_DIR / "counties.csv").stat().st_size < 60_000


def test_every_member_city_has_counties_and_every_county_a_member_city(
    rows: list[dict[str, str]], cities: dict[str, BaseGeometry]
) -> None:
    assert {row["city_code"] for row in rows} == set(cities)


def test_every_label_point_lies_in_its_city(
    rows: list[dict[str, str]], cities: dict[str, BaseGeometry]
) -> None:
    outside = [
        row["code"]
        for row in rows
        if not cities[row["city_code"]].contains(
            Point(float(row["label_lon"]), float(row["label_lat"]))
        )
    ]
    assert outside == []


def test_label_points_lie_within_their_bounds(rows: list[dict[str, str]]) -> None:
    for row in rows:
        west, south, east, north = (float(row[k]) for k in ("west", "south", "east", "north"))
        assert west < float(row["label_lon"]) < east, row["code"]
        assert south < float(row["label_lat"]) < north, row["code"]


def test_names_follow_the_documented_rule(rows: list[dict[str, str]]) -> None:
    by_code = {row["code"]: (row["name_zh"], row["name_en"]) for row in rows}
    assert by_code["341002"] == ("屯溪区", "Tunxi District")
    assert by_code["341021"] == ("歙县", "She County")
    assert by_code["330382"] == ("乐清市", "Yueqing City")
    assert by_code["310115"] == ("浦东新区", "Pudong New Area")
    assert [row["code"] for row in rows if not ENGLISH.fullmatch(row["name_en"])] == []
    assert all(re.fullmatch(r"\w+(区|县|市)", row["name_zh"]) for row in rows)
