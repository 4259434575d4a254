"""Reading hazard geometry and locating it among the region's jurisdictions."""

from __future__ import annotations

import json

import pytest
from shapely.geometry import shape

from crossrisk.data import bundled_region_path
from crossrisk.domain.errors import InvalidInput
from crossrisk.domain.geometry import MAX_VERTICES
from crossrisk.geo.hazard import parse_hazard_geometry, to_geojson
from crossrisk.geo.jurisdiction_index import JurisdictionIndex
from tests.support import HANGZHOU, HUANGSHAN_TUNXI, OUTSIDE, SHANGHAI, point


@pytest.fixture(scope="module")
def index() -> JurisdictionIndex:
    collection = json.loads(bundled_region_path("yrd").read_text("utf-8"))
    members = [f for f in collection["features"] if f["properties"]["member"]]
    return JurisdictionIndex(
        [f["properties"]["code"] for f in members], [shape(f["geometry"]) for f in members]
    )


@pytest.mark.parametrize(
    "value, message",
    [
        ("POINT(1 2)", "must be a GeoJSON geometry object"),
        ({"type": "GeometryCollection", "geometries": []}, "not one of"),
        ({"type": "Point", "coordinates": []}, "empty"),
        ({"type": "Point", "coordinates": [float("nan"), 30]}, "not a finite number"),
        ({"type": "Point", "coordinates": [120, 95]}, "not WGS84"),
        ({"type": "LineString", "coordinates": [[120, 30]]}, "malformed"),
        (
            {"type": "Polygon", "coordinates": [[[0, 0], [2, 2], [2, 0], [0, 2], [0, 0]]]},
            "invalid: Self-intersection",
        ),
        (
            {
                "type": "LineString",
                "coordinates": [[120 + i * 1e-6, 30] for i in range(MAX_VERTICES + 1)],
            },
            "vertices; the limit",
        ),
    ],
)
def test_unusable_geometry_is_refused_by_name(value: object, message: str) -> None:
    with pytest.raises(InvalidInput, match=message):
        parse_hazard_geometry(value)


def test_feature_wrapper_is_accepted_and_round_trips() -> None:
    geometry = parse_hazard_geometry(
        {"type": "Feature", "properties": {}, "geometry": point(HANGZHOU)}
    )
    assert to_geojson(geometry) == {"type": "Point", "coordinates": [120.16, 30.27]}


def test_point_lies_in_one_city(index: JurisdictionIndex) -> None:
    origins = index.origins(parse_hazard_geometry(point(HUANGSHAN_TUNXI)))
    assert [(o.jurisdiction_code, o.share) for o in origins] == [("341000", 1.0)]


def test_polygon_across_a_border_is_shared_by_area(index: JurisdictionIndex) -> None:
    # A box straddling the Shanghai–Suzhou (Kunshan) border near 121.1°E.
    box = {
        "type": "Polygon",
        "coordinates": [
            [[120.95, 31.2], [121.25, 31.2], [121.25, 31.35], [120.95, 31.35], [120.95, 31.2]]
        ],
    }
    origins = index.origins(parse_hazard_geometry(box))
    assert {o.jurisdiction_code for o in origins} == {"310000", "320500"}
    assert sum(o.share for o in origins) == pytest.approx(1.0, abs=1e-5)


def test_hazard_outside_the_region_is_refused(index: JurisdictionIndex) -> None:
    with pytest.raises(InvalidInput, match="outside the region"):
        index.origins(parse_hazard_geometry(point(OUTSIDE)))


def test_line_reaching_out_of_the_region_is_refused(index: JurisdictionIndex) -> None:
    line = {"type": "LineString", "coordinates": [list(SHANGHAI), [123.5, 31.2]]}
    with pytest.raises(InvalidInput, match="outside the region"):
        index.origins(parse_hazard_geometry(line))


def test_adjacency_pairs_are_symmetric_and_known(index: JurisdictionIndex) -> None:
    pairs = {(p.a, p.b) for p in index.adjacency()}
    assert ("310000", "320500") in pairs
    assert ("330100", "341000") in pairs
    assert all(a < b for a, b in pairs)
    assert ("310000", "330100") not in pairs
