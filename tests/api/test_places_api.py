"""The maps' river network, place search and nearest river over HTTP."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from crossrisk.data import bundled_region_path
from crossrisk.domain.errors import InvalidInput
from crossrisk.geo.places import QUERY_MAX
from crossrisk.geo.river import load_network
from tests.support import assert_problem, auth


def places(client: TestClient, tokens: dict[str, str], q: str) -> list[dict[str, object]]:
    response = client.get("/api/regions/yrd/places", params={"q": q}, headers=auth(tokens))
    assert response.status_code == 200, response.text
    return response.json()


def test_rivers_are_named_lines_the_browser_may_keep(
    client: TestClient, tokens: dict[str, str]
) -> None:
    response = client.get("/api/regions/yrd/rivers", headers=auth(tokens))
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/geo+json")
    assert "max-age" in response.headers["cache-control"]
    collection = response.json()
    names = {f["properties"]["name_zh"] for f in collection["features"]}
    assert {"长江", "新安江", "钱塘江", "黄浦江"} <= names
    assert {f["geometry"]["type"] for f in collection["features"]} == {"LineString"}
    again = client.get(
        "/api/regions/yrd/rivers",
        headers={**auth(tokens), "If-None-Match": response.headers["etag"]},
    )
    assert (again.status_code, again.content) == (304, b"")


def test_other_region_cannot_read_the_rivers(client: TestClient, tokens: dict[str, str]) -> None:
    response = client.get("/api/regions/yrd/rivers", headers=auth(tokens, "other-committee"))
    assert_problem(response, 403)


@pytest.mark.parametrize("query", ["黄山", "huangshan", "Huang Shan", "341000"])
def test_a_city_is_found_by_chinese_name_pinyin_or_code(
    client: TestClient, tokens: dict[str, str], query: str
) -> None:
    found = places(client, tokens, query)
    assert (found[0]["kind"], found[0]["code"], found[0]["name_zh"]) == ("city", "341000", "黄山市")
    west, south, east, north = found[0]["bounds"]  # type: ignore[misc]
    assert west < found[0]["lon"] < east and south < found[0]["lat"] < north  # type: ignore[operator]


def test_gauges_and_rivers_are_places(client: TestClient, tokens: dict[str, str]) -> None:
    (tunxi,) = [p for p in places(client, tokens, "tunxi") if p["kind"] == "station"]
    assert (tunxi["code"], tunxi["lon"], tunxi["lat"]) == ("tunxi", 118.322, 29.711)
    rivers = [p for p in places(client, tokens, "新安江") if p["kind"] == "river"]
    assert [r["name_en"] for r in rivers] == ["Xin'an River"]
    assert [p["code"] for p in places(client, tokens, "xinan river")] == ["xinan", "tunxi"]


def test_same_named_cities_are_told_apart(client: TestClient, tokens: dict[str, str]) -> None:
    found = {p["code"]: p["name_en"] for p in places(client, tokens, "suzhou")}
    assert found == {"320500": "Suzhou (Jiangsu)", "341300": "Suzhou (Anhui)"}


def test_nothing_matches_a_stranger(client: TestClient, tokens: dict[str, str]) -> None:
    assert places(client, tokens, "Atlantis") == []


@pytest.mark.parametrize("query", ["", "x" * (QUERY_MAX + 1)])
def test_the_query_is_bounded(client: TestClient, tokens: dict[str, str], query: str) -> None:
    response = client.get("/api/regions/yrd/places", params={"q": query}, headers=auth(tokens))
    assert_problem(response, 422)


def test_other_region_cannot_search_places(client: TestClient, tokens: dict[str, str]) -> None:
    response = client.get(
        "/api/regions/yrd/places", params={"q": "黄山"}, headers=auth(tokens, "other-committee")
    )
    assert_problem(response, 403)


def test_nearest_river_is_what_the_river_model_snaps_to(
    client: TestClient, tokens: dict[str, str]
) -> None:
    network = load_network(bundled_region_path("yrd").with_name("rivers.geojson"))
    for lon, lat in [(118.33, 29.72), (118.5, 29.6), (120.2, 30.25)]:
        response = client.get(
            "/api/regions/yrd/rivers/nearest", params={"lon": lon, "lat": lat}, headers=auth(tokens)
        )
        found = response.json()
        try:
            snap = network.snap((lon, lat))
        except InvalidInput as refusal:  # farther than the model's tolerance
            assert refusal.params["distance_km"] == round(found["distance_km"], 1)
            assert refusal.params["river_zh"] == found["name_zh"]
        else:
            assert found["distance_km"] == pytest.approx(snap.distance_km, abs=1e-3)
            assert found["river"] == snap.river


def test_nearest_river_refuses_a_point_off_the_earth(
    client: TestClient, tokens: dict[str, str]
) -> None:
    response = client.get(
        "/api/regions/yrd/rivers/nearest", params={"lon": 200, "lat": 29}, headers=auth(tokens)
    )
    assert_problem(response, 422)


@pytest.mark.parametrize(
    ("query", "code", "name_zh", "name_en"),
    [
        ("屯溪", "341002", "屯溪区", "Tunxi District"),
        ("Tunxi District", "341002", "屯溪区", "Tunxi District"),
        ("341002", "341002", "屯溪区", "Tunxi District"),
        ("歙县", "341021", "歙县", "She County"),
    ],
)
def test_a_county_is_found_with_its_city(
    client: TestClient, tokens: dict[str, str], query: str, code: str, name_zh: str, name_en: str
) -> None:
    (county,) = [p for p in places(client, tokens, query) if p["kind"] == "county"]
    assert (county["code"], county["name_zh"], county["name_en"]) == (code, name_zh, name_en)
    assert (county["city_code"], county["city_zh"], county["city_en"]) == (
        "341000",
        "黄山市",
        "Huangshan",
    )
    west, south, east, north = county["bounds"]  # type: ignore[misc]
    assert west < county["lon"] < east and south < county["lat"] < north  # type: ignore[operator]
    # Inside Huangshan city (118.1E 29.9N thereabouts), not merely somewhere in the region.
    assert 117.5 < west < east < 119.0 and 29.3 < south < north < 30.5  # type: ignore[operator]


def test_tunxi_finds_the_county_and_the_gauge_counties_after_cities(
    client: TestClient, tokens: dict[str, str]
) -> None:
    assert [(p["kind"], p["code"]) for p in places(client, tokens, "tunxi")] == [
        ("station", "tunxi"),  # the gauge's code, typed in full
        ("county", "341002"),
    ]
    found = [(p["kind"], p["code"]) for p in places(client, tokens, "黄山")]
    assert found[:2] == [("city", "341000"), ("county", "341003")]
    cities = [p for p in places(client, tokens, "黄山") if p["kind"] == "city"]
    assert all(p["city_code"] is None for p in cities)


def test_namesake_counties_are_told_apart_by_their_city(
    client: TestClient, tokens: dict[str, str]
) -> None:
    found = {p["code"]: p["city_zh"] for p in places(client, tokens, "普陀区")}
    assert found == {"310107": "上海市", "330903": "舟山市"}
