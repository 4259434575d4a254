"""Travel hours on a small hand-made road graph with known shortest paths.

    A(120.0, 30.0) ── B(120.1, 30.0) ── C(120.2, 30.0) ─→ E(120.3, 30.0)   (C→E one-way)
       slow, 20 km/h  │                   │
                      D(120.1, 30.1) ─────┘   A–D–C one line at 100 km/h; B–D a line at 60
    F(121.0, 31.0) ── G(121.1, 31.0)          a piece joined to nothing

Expected hours are recomputed from the geodesic lengths of the same segments, so the test
checks the graph's topology and the path choice, not a copy of the length formula.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from crossrisk.aid import roads
from crossrisk.aid.roads import RoadTravel, load_road_graph, parse_road_graph, travel_model
from crossrisk.aid.travel import GreatCircleTravel
from crossrisk.domain.errors import InvalidInput
from crossrisk.geo.geodesy import distance_km
from crossrisk.settings import load_settings

A, B, C, D, E = (120.0, 30.0), (120.1, 30.0), (120.2, 30.0), (120.1, 30.1), (120.3, 30.0)
F, G = (121.0, 31.0), (121.1, 31.0)


def km(p: tuple[float, float], q: tuple[float, float]) -> float:
    return float(distance_km(p[0], p[1], q[0], q[1]))


def line(*points: tuple[float, float], **properties: Any) -> dict[str, Any]:
    return {
        "type": "Feature",
        "properties": properties,
        "geometry": {"type": "LineString", "coordinates": [list(p) for p in points]},
    }


def collection(*features: dict[str, Any]) -> str:
    return json.dumps({"type": "FeatureCollection", "features": list(features)})


GRAPH = collection(
    line(A, B, C, speed_kmh=20),
    line(A, D, C, speed_kmh=100),
    line(B, D, speed_kmh=60),
    line(C, E, speed_kmh=50, oneway=True),
    line(F, G),  # the default speed
)


@pytest.fixture
def travel() -> RoadTravel:
    return RoadTravel(parse_road_graph(GRAPH, speed_kmh=60), road_factor=1.3, speed_kmh=60)


def test_the_faster_road_wins_over_the_shorter(travel: RoadTravel) -> None:
    hours = travel.hours({"a": A}, {"c": C})
    via_d = (km(A, D) + km(D, C)) / 100
    assert (km(A, B) + km(B, C)) / 20 > via_d
    assert hours["a"]["c"] == pytest.approx(via_d, rel=1e-9)


def test_lines_join_where_they_share_an_inner_vertex(travel: RoadTravel) -> None:
    # B reaches C fastest through D, the inner vertex of the A–D–C line.
    hours = travel.hours({"b": B}, {"c": C})
    assert hours["b"]["c"] == pytest.approx(km(B, D) / 60 + km(D, C) / 100, rel=1e-9)


def test_one_way_street_runs_only_forward(travel: RoadTravel) -> None:
    hours = travel.hours({"c": C, "e": E}, {"c": C, "e": E})
    assert hours["c"]["e"] == pytest.approx(km(C, E) / 50, rel=1e-9)
    assert "c" not in hours["e"]  # no route back against the one-way street
    assert hours["e"]["e"] == 0


def test_a_disconnected_piece_has_no_route(travel: RoadTravel) -> None:
    hours = travel.hours({"a": A, "f": F}, {"a": A, "g": G})
    assert "g" not in hours["a"]
    assert "a" not in hours["f"]
    assert hours["f"]["g"] == pytest.approx(km(F, G) / 60, rel=1e-9)


def test_a_place_off_the_road_snaps_to_the_nearest_node_with_a_great_circle_leg(
    travel: RoadTravel,
) -> None:
    near_a = (119.99, 30.0)  # about 1 km west of A, far nearer A than any other node
    hours = travel.hours({"x": near_a}, {"c": C})
    access = km(near_a, A) * 1.3 / 60
    assert hours["x"]["c"] == pytest.approx(access + (km(A, D) + km(D, C)) / 100, rel=1e-9)


def test_vertices_within_a_metre_are_one_node() -> None:
    nearly_c = (C[0] + 3e-6, C[1] - 3e-6)  # a third of a metre off
    graph = parse_road_graph(collection(line(A, C), line(nearly_c, E)), speed_kmh=60)
    assert graph.node_count == 3
    hours = RoadTravel(graph).hours({"a": A}, {"e": E})
    assert hours["a"]["e"] == pytest.approx((km(A, C) + km(nearly_c, E)) / 60, rel=1e-6)


def test_parallel_roads_count_the_faster() -> None:
    graph = parse_road_graph(
        collection(line(A, B, speed_kmh=30), line(B, A, speed_kmh=90)), speed_kmh=60
    )
    assert graph.edge_count == 2
    assert RoadTravel(graph).hours({"a": A}, {"b": B})["a"]["b"] == pytest.approx(
        km(A, B) / 90, rel=1e-9
    )


def test_many_origins_in_small_chunks_and_either_direction_agree(
    travel: RoadTravel, monkeypatch: pytest.MonkeyPatch
) -> None:
    places = {"a": A, "b": B, "c": C, "d": D, "e": E, "f": F}
    whole = travel.hours(places, {"c": C, "g": G})
    reverse = travel.hours({"c": C, "g": G}, places)
    monkeypatch.setattr(roads, "CHUNK_CELLS", 1)
    assert travel.hours(places, {"c": C, "g": G}) == whole
    assert travel.hours({"c": C, "g": G}, places) == reverse
    assert set(whole["e"]) == set()  # E leads nowhere but itself
    assert reverse["c"]["e"] == pytest.approx(km(C, E) / 50, rel=1e-9)


def test_no_origins_or_destinations_answer_empty(travel: RoadTravel) -> None:
    assert travel.hours({}, {"c": C}) == {}
    assert travel.hours({"a": A}, {}) == {"a": {}}


def test_a_place_off_the_earth_is_refused(travel: RoadTravel) -> None:
    with pytest.raises(InvalidInput, match="off the Earth"):
        travel.hours({"a": (float("nan"), 30.0)}, {"c": C})


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("{", "not valid JSON"),
        ('{"type": "FeatureCollection", "features": [NaN]}', "not valid JSON"),
        ("[]", "FeatureCollection"),
        ('{"type": "FeatureCollection"}', "no list of features"),
        ('{"type": "FeatureCollection", "features": []}', "no lines"),
        (collection({"type": "Feature", "properties": {}, "geometry": None}), "no geometry"),
        (
            collection({"type": "Feature", "geometry": {"type": "Point", "coordinates": [1, 2]}}),
            "not a LineString",
        ),
        (collection(line(A)), "at least two positions"),
        (collection(line(A, (120.1, 30.0))).replace("30.0]]", "1e400]]"), "not finite"),
        (collection(line(A, (200.0, 30.0))), "off the Earth"),
        (collection(line(A, B, speed_kmh=-5)), "speed_kmh"),
        (collection(line(A, B, speed_kmh=float("inf"))), "not valid JSON"),
        (collection(line(A, B, speed_kmh="fast")), "speed_kmh"),
        (collection(line(A, B, oneway="yes")), "oneway"),
        (
            collection(
                {
                    "type": "Feature",
                    "geometry": {"type": "LineString", "coordinates": [["x", 1], [2, 3]]},
                }
            ),
            "not \\[longitude, latitude\\]",
        ),
    ],
)
def test_bad_graph_is_refused_with_a_clear_message(text: str, message: str) -> None:
    with pytest.raises(InvalidInput, match=message):
        parse_road_graph(text, speed_kmh=60)


def test_graph_beyond_its_bounds_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(roads, "MAX_FEATURES", 4)
    with pytest.raises(InvalidInput, match="5 features; at most 4"):
        parse_road_graph(GRAPH, speed_kmh=60)
    monkeypatch.setattr(roads, "MAX_FEATURES", 100)
    monkeypatch.setattr(roads, "MAX_VERTICES", 5)
    with pytest.raises(InvalidInput, match="more than 5 vertices"):
        parse_road_graph(GRAPH, speed_kmh=60)
    monkeypatch.setattr(roads, "MAX_BYTES", 100)
    with pytest.raises(InvalidInput, match="larger than"):
        parse_road_graph(GRAPH, speed_kmh=60)


def test_graph_file_too_large_or_missing_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "roads.geojson"
    with pytest.raises(InvalidInput, match="cannot read it"):
        load_road_graph(path, speed_kmh=60)
    path.write_text(GRAPH)
    assert load_road_graph(path, speed_kmh=60).node_count == 7
    monkeypatch.setattr(roads, "MAX_BYTES", 1024 * 1024 - 1)
    path.write_bytes(b" " * 1024 * 1024)
    with pytest.raises(InvalidInput, match="larger than"):
        load_road_graph(path, speed_kmh=60)


def _settings(tmp_path: Path, **env: str) -> Any:
    return load_settings(
        {"CROSSRISK_DATA_DIR": str(tmp_path), "CROSSRISK_SECRET_KEY": "test", **env}
    )


def test_settings_choose_great_circle_without_a_road_graph(tmp_path: Path) -> None:
    model = travel_model(
        _settings(tmp_path, CROSSRISK_ROAD_FACTOR="1.5", CROSSRISK_ROAD_SPEED_KMH="80")
    )
    assert model == GreatCircleTravel(1.5, 80.0)


def test_settings_choose_road_travel_with_a_road_graph(tmp_path: Path) -> None:
    path = tmp_path / "roads.geojson"
    path.write_text(GRAPH)
    model = travel_model(_settings(tmp_path, CROSSRISK_ROAD_GRAPH=str(path)))
    assert isinstance(model, RoadTravel)
    assert model.graph.node_count == 7
    assert model.hours({"a": A}, {"c": C})["a"]["c"] == pytest.approx(
        (km(A, D) + km(D, C)) / 100, rel=1e-9
    )
    # Read once while the file stays the same.
    assert travel_model(_settings(tmp_path, CROSSRISK_ROAD_GRAPH=str(path))).graph is model.graph


def test_settings_naming_a_missing_road_graph_are_refused(tmp_path: Path) -> None:
    settings = _settings(tmp_path, CROSSRISK_ROAD_GRAPH=str(tmp_path / "none.geojson"))
    with pytest.raises(InvalidInput, match="CROSSRISK_ROAD_GRAPH"):
        travel_model(settings)
