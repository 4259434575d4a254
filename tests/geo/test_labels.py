"""City labels sit inside the city's largest part, away from its border."""

from __future__ import annotations

import json

import pytest
from shapely.geometry import MultiPolygon, Point, Polygon, box, shape

from crossrisk.data import bundled_region_path
from crossrisk.domain.region import read_region_spec
from crossrisk.geo.labels import label_point, largest_part

REGION = read_region_spec(json.loads(bundled_region_path("yrd").read_text("utf-8")))


def test_an_island_city_is_labelled_on_its_largest_island() -> None:
    small = box(0, 0, 1, 1)
    large = box(5, 0, 9, 4)
    lon, lat = label_point(MultiPolygon([small, large]))
    assert large.contains(Point(lon, lat))
    assert (lon, lat) == pytest.approx((7, 2), abs=0.02)


def test_a_bent_city_is_labelled_inside_not_at_its_centroid() -> None:
    # An L: its centroid lies in the notch, outside the shape.
    bent = Polygon([(0, 0), (10, 0), (10, 2), (2, 2), (2, 10), (0, 10)])
    assert not bent.contains(bent.centroid)
    assert bent.contains(Point(label_point(bent)))


@pytest.mark.parametrize("member", REGION.members, ids=lambda j: j.code)
def test_every_member_is_labelled_inside_its_largest_part(member: object) -> None:
    boundary = shape(member.boundary)  # type: ignore[attr-defined]
    point = Point(label_point(boundary))
    assert largest_part(boundary).contains(point)


def test_jiaxing_and_zhoushan_are_labelled_in_themselves() -> None:
    shapes = {j.code: shape(j.boundary) for j in REGION.members}
    for code, neighbour in (("330400", "310000"), ("330900", "330200")):
        point = Point(label_point(shapes[code]))
        assert shapes[code].contains(point) and not shapes[neighbour].contains(point)


def test_a_line_has_no_label() -> None:
    with pytest.raises(ValueError):
        largest_part(shape({"type": "LineString", "coordinates": [[0, 0], [1, 1]]}))
