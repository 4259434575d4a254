"""The maps: rivers that can be switched off, a place search, labels that never collide,
the nearest river while a river hazard is placed, and several risks at one spot."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import pytest
from playwright.sync_api import Page, expect
from shapely.geometry import Point, shape

from crossrisk.data import bundled_region_path
from crossrisk.domain.region import read_region_spec
from crossrisk.geo.labels import label_point
from crossrisk.geo.river import load_network
from crossrisk.services import risks
from crossrisk.store.db import make_engine
from crossrisk.store.uow import UnitOfWork
from tests.browser.conftest import Visit
from tests.browser.maps import click_map_at
from tests.support import actor, draft
from tests.web.officers import HUANGSHAN_OFFICER

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1440, "height": 900}
REGION = read_region_spec(json.loads(bundled_region_path("yrd").read_text("utf-8")))
BOUNDARIES = {j.code: shape(j.boundary) for j in REGION.members}
NETWORK = load_network(bundled_region_path("yrd").with_name("rivers.geojson"))
# The pairs whose labels the issue found on top of each other.
CROWDED = [("320100", "340500"), ("320200", "320400"), ("340600", "341300"), ("340700", "341700")]


def wait_for_map(page: Page, map_id: str) -> None:
    page.wait_for_selector(f"#{map_id}[data-ready='true']")
    page.wait_for_selector(f"#{map_id}[data-rivers='ready']")
    page.wait_for_selector(f"#{map_id}[data-labels='placed']")


def shown_labels(page: Page, map_id: str) -> list[dict[str, Any]]:
    """Each visible city label: its code, its box and the place its centre shows."""
    labels: list[dict[str, Any]] = page.evaluate(
        """(id) => {
            const map = window.crossrisk.maps[id];
            const frame = map.getContainer().getBoundingClientRect();
            return [...map.getContainer().querySelectorAll('.city-label[data-code]')]
                .filter(e => !e.classList.contains('label-hidden'))
                .map(e => {
                    const r = e.getBoundingClientRect();
                    const at = map.containerPointToLatLng(
                        [(r.left + r.right) / 2 - frame.left, (r.top + r.bottom) / 2 - frame.top]);
                    return {code: e.dataset.code, text: e.textContent,
                            box: [r.left, r.top, r.right, r.bottom], lon: at.lng, lat: at.lat};
                });
        }""",
        map_id,
    )
    return labels


def assert_labels_apart_and_inside(page: Page, map_id: str, at_least: int) -> None:
    labels = shown_labels(page, map_id)
    assert len(labels) >= at_least, labels
    for i, a in enumerate(labels):
        assert BOUNDARIES[a["code"]].contains(Point(a["lon"], a["lat"])), a
        for b in labels[i + 1 :]:
            left = max(a["box"][0], b["box"][0]) < min(a["box"][2], b["box"][2])
            top = max(a["box"][1], b["box"][1]) < min(a["box"][3], b["box"][3])
            assert not (left and top), (a, b)


def set_view(page: Page, map_id: str, lon: float, lat: float, zoom: float) -> None:
    page.evaluate(
        "([id, lat, lon, z]) => window.crossrisk.maps[id].setView([lat, lon], z, {animate: false})",
        [map_id, lat, lon, zoom],
    )
    page.wait_for_timeout(100)


def river_vertex(name_zh: str) -> tuple[float, float]:
    """A vertex in the middle of a river's first edge."""
    edge = next(e for e in NETWORK.edges if e.name_zh == name_zh)
    lon, lat = edge.coords[len(edge.coords) // 2]
    return float(lon), float(lat)


@pytest.mark.browser
@pytest.mark.parametrize("size", [DESKTOP, PHONE], ids=["1440", "390"])
def test_region_map_labels_never_collide(visit: Callable[[], Visit], size: Any) -> None:
    officer = visit()
    page = officer.page
    page.set_viewport_size(size)
    officer.log_in(HUANGSHAN_OFFICER)
    wait_for_map(page, "region-map")
    assert_labels_apart_and_inside(page, "region-map", 12 if size is DESKTOP else 5)
    shown = {label["code"] for label in shown_labels(page, "region-map")}
    assert "341000" in shown  # the officer's own city always has its name
    # Zooming in makes room: each pair the issue found on top of each other is named
    # side by side, each inside its own city.
    for pair in CROWDED:
        points = [label_point(BOUNDARIES[code]) for code in pair]
        page.evaluate(
            """([id, a, b]) => window.crossrisk.maps[id].fitBounds(
                [[a[1], a[0]], [b[1], b[0]]], {padding: [80, 80], animate: false})""",
            ["region-map", points[0], points[1]],
        )
        page.wait_for_timeout(100)
        assert_labels_apart_and_inside(page, "region-map", 2)
        assert set(pair) <= {label["code"] for label in shown_labels(page, "region-map")}
    officer.assert_self_contained()


@pytest.mark.browser
@pytest.mark.parametrize("size", [DESKTOP, PHONE], ids=["1440", "390"])
def test_picker_labels_never_collide(visit: Callable[[], Visit], size: Any) -> None:
    officer = visit()
    page = officer.page
    page.set_viewport_size(size)
    officer.log_in(HUANGSHAN_OFFICER)
    officer.go("/risks/new")
    wait_for_map(page, "hazard-picker")
    # The picker starts on the officer's own city: the neighbours' labels lie mostly beyond.
    assert_labels_apart_and_inside(page, "hazard-picker", 1)
    assert "341000" in {label["code"] for label in shown_labels(page, "hazard-picker")}
    set_view(page, "hazard-picker", 117.5, 30.7, 8)  # Tongling, Chizhou and Anqing
    assert_labels_apart_and_inside(page, "hazard-picker", 3)
    officer.assert_self_contained()


@pytest.mark.browser
def test_rivers_are_drawn_named_and_can_be_switched_off(visit: Callable[[], Visit]) -> None:
    officer = visit()
    page = officer.page
    page.set_viewport_size(DESKTOP)
    officer.log_in(HUANGSHAN_OFFICER)
    wait_for_map(page, "region-map")
    rivers = page.locator("#region-map path.river")
    expect(rivers).to_have_count(len(NETWORK.edges))
    lon, lat = river_vertex("长江")
    point = page.evaluate(
        "([lat, lng]) => window.crossrisk.maps['region-map'].latLngToContainerPoint([lat, lng])",
        [lat, lon],
    )
    box = page.locator("#region-map").bounding_box()
    assert box is not None
    page.mouse.move(box["x"] + point["x"], box["y"] + point["y"])
    expect(page.locator("#region-map .leaflet-tooltip.river-name")).to_have_text("长江")
    page.uncheck("#region-map .rivers-toggle")
    expect(rivers).to_have_count(0)
    page.check("#region-map .rivers-toggle")
    expect(rivers).to_have_count(len(NETWORK.edges))
    officer.assert_self_contained()


@pytest.mark.browser
def test_place_search_flies_to_a_gauge_and_opens_a_city(visit: Callable[[], Visit]) -> None:
    officer = visit()
    page = officer.page
    page.set_viewport_size(PHONE)
    officer.log_in(HUANGSHAN_OFFICER)
    wait_for_map(page, "region-map")
    search = page.locator("#region-map .place-search-input")
    search.fill("tunxi")
    page.click("#region-map button[data-place='station:tunxi']")
    page.wait_for_selector("#region-map[data-place='station:tunxi']")
    centre = page.evaluate("() => window.crossrisk.maps['region-map'].getCenter()")
    assert (centre["lng"], centre["lat"]) == pytest.approx((118.322, 29.711), abs=0.01)
    # A city found by name opens its panel, whose neighbours say what the km are.
    search.fill("黄山")
    search.press("Enter")
    page.wait_for_selector("#region-map[data-place='city:341000']")
    expect(page.locator("#city-panel .city-name")).to_contain_text("黄山市")
    border = page.locator("#city-panel .neighbours .border-length").first
    expect(border).to_have_text(re_shared_border("共同边界"))
    search.fill("Atlantis")
    expect(page.locator("#region-map .place-results")).to_contain_text("本区域没有这个名称的地点")
    # The query is bounded on the page as in the API.
    assert search.get_attribute("maxlength") == "40"
    officer.assert_self_contained()


def re_shared_border(words: str) -> re.Pattern[str]:
    return re.compile(rf"^{words} \d+ km$")


@pytest.mark.browser
def test_same_named_cities_are_told_apart_in_english(visit: Callable[[], Visit]) -> None:
    officer = visit()
    page = officer.page
    page.set_viewport_size(DESKTOP)
    officer.log_in(HUANGSHAN_OFFICER)
    officer.go("/language/en?next=/map")
    wait_for_map(page, "region-map")
    page.fill("#region-map .place-search-input", "suzhou")
    results = page.locator("#region-map .place-results button")
    expect(results).to_have_count(2)
    expect(results.nth(0)).to_contain_text("Suzhou (Jiangsu)")
    expect(results.nth(1)).to_contain_text("Suzhou (Anhui)")
    results.nth(1).click()
    expect(page.locator("#city-panel .city-name")).to_contain_text("Suzhou (Anhui)")
    expect(page.locator("#city-panel .neighbours .border-length").first).to_have_text(
        re_shared_border("shared border")
    )
    set_view(page, "region-map", 117.0, 33.6, 9)
    names = {label["text"] for label in shown_labels(page, "region-map")}
    assert "Suzhou (Anhui)" in names
    # A county of such a city names it once, not in brackets inside brackets.
    page.fill("#region-map .place-search-input", "yongqiao")
    expect(results.first).to_contain_text("Yongqiao District (Suzhou, Anhui)")
    officer.assert_self_contained()


@pytest.mark.browser
def test_picker_shows_the_nearest_river_as_the_model_measures_it(
    visit: Callable[[], Visit],
) -> None:
    officer = visit()
    page = officer.page
    page.set_viewport_size(DESKTOP)
    officer.log_in(HUANGSHAN_OFFICER)
    officer.go("/risks/new")
    wait_for_map(page, "hazard-picker")
    page.select_option("#category", "accident_disaster")
    page.select_option("#hazard-type", "river_spill")
    distance = page.locator("#river-distance")
    for lon, lat in [(118.36, 29.74), (118.25, 29.68)]:
        click_map_at(page, "hazard-picker", lon, lat)
        expect(distance).to_be_visible()
        expect(distance).to_contain_text("新安江")
        chosen = (float(page.input_value("#longitude")), float(page.input_value("#latitude")))
        snapped = NETWORK.snap(chosen).distance_km
        expect(distance).to_have_attribute("data-km", f"{snapped:.1f}")
        expect(distance).to_contain_text(f"{snapped:.1f} 公里")
    # Dragged along: the figure follows the point while it moves.
    start = page.evaluate(
        "([lat, lng]) => window.crossrisk.maps['hazard-picker'].latLngToContainerPoint([lat, lng])",
        [chosen[1], chosen[0]],
    )
    frame = page.locator("#hazard-picker").bounding_box()
    assert frame is not None
    page.mouse.move(frame["x"] + start["x"], frame["y"] + start["y"])
    page.mouse.down()
    page.mouse.move(frame["x"] + start["x"] + 30, frame["y"] + start["y"] + 20, steps=5)
    page.mouse.up()
    moved = (float(page.input_value("#longitude")), float(page.input_value("#latitude")))
    assert moved[0] > chosen[0] and moved[1] < chosen[1]
    expect(distance).to_have_attribute("data-km", f"{NETWORK.nearest(*moved).distance_km:.1f}")
    # Typed far from any river: the figure the model would refuse with, and why.
    page.fill("#longitude", "118.0")
    page.fill("#latitude", "30.2")
    nearest = NETWORK.nearest(118.0, 30.2)
    expect(distance).to_have_attribute("data-km", f"{nearest.distance_km:.1f}")
    expect(distance).to_contain_text("超出河流模型允许的距离")
    # Not a river hazard: nothing to say.
    page.select_option("#hazard-type", "area")
    expect(distance).to_be_hidden()
    officer.assert_self_contained()


@pytest.mark.browser
def test_picker_search_sets_the_point_at_a_gauge(visit: Callable[[], Visit]) -> None:
    officer = visit()
    page = officer.page
    page.set_viewport_size(PHONE)
    officer.log_in(HUANGSHAN_OFFICER)
    officer.go("/risks/new")
    wait_for_map(page, "hazard-picker")
    page.fill("#hazard-picker .place-search-input", "屯溪")
    page.click("#hazard-picker button[data-place='station:tunxi']")
    expect(page.locator("#longitude")).to_have_value("118.32200")
    expect(page.locator("#latitude")).to_have_value("29.71100")
    # Enter in the search box chooses; it does not submit the form.
    page.fill("#hazard-picker .place-search-input", "新安江")
    page.press("#hazard-picker .place-search-input", "Enter")
    page.wait_for_selector("#hazard-picker[data-place='river:xinan']")
    assert page.url.endswith("/risks/new")
    officer.assert_self_contained()


@pytest.mark.browser
def test_place_search_finds_a_county_with_its_city(visit: Callable[[], Visit]) -> None:
    officer = visit()
    page = officer.page
    page.set_viewport_size(DESKTOP)
    officer.log_in(HUANGSHAN_OFFICER)
    wait_for_map(page, "region-map")
    page.fill("#region-map .place-search-input", "屯溪")
    county = page.locator("#region-map button[data-place='county:341002']")
    expect(county).to_contain_text("屯溪区（黄山市）")
    expect(county.locator(".place-kind")).to_have_text("区县")
    county.click()
    page.wait_for_selector("#region-map[data-place='county:341002']")
    # Flown to the county's bounds (118.19-118.40E, 29.66-29.84N), not the whole city.
    bounds = page.evaluate(
        "() => { const b = window.crossrisk.maps['region-map'].getBounds();"
        " return [b.getWest(), b.getSouth(), b.getEast(), b.getNorth()]; }"
    )
    west, south, east, north = bounds
    assert west <= 118.19 and south <= 29.66 and east >= 118.40 and north >= 29.84
    assert east - west < 1.5 and north - south < 1.0
    # On the hazard picker the county puts the point at its label point, like a city.
    officer.go("/language/en?next=/risks/new")
    wait_for_map(page, "hazard-picker")
    page.fill("#hazard-picker .place-search-input", "tunxi district")
    county = page.locator("#hazard-picker button[data-place='county:341002']")
    expect(county).to_contain_text("Tunxi District (Huangshan)")
    county.click()
    expect(page.locator("#longitude")).to_have_value("118.29250")
    expect(page.locator("#latitude")).to_have_value("29.74053")
    officer.assert_self_contained()


@pytest.mark.browser
def test_three_risks_at_one_point_are_all_reachable(
    visit: Callable[[], Visit], sqlite_url: str
) -> None:
    engine = make_engine(sqlite_url)
    titles = ["黄山仓库火灾", "黄山仓库气体泄漏", "黄山仓库人员被困"]
    try:
        uow = UnitOfWork(engine)
        for title in titles:
            risks.register_risk(
                uow,
                actor(uow, "ema-341000"),
                draft(where=(118.2, 29.95), title=title),
                region_code="yrd",
                now=datetime.now(UTC),
            )
    finally:
        engine.dispose()
    officer = visit()
    page = officer.page
    page.set_viewport_size(DESKTOP)
    officer.log_in(HUANGSHAN_OFFICER)
    wait_for_map(page, "region-map")
    stack = page.locator("#region-map path.risk-stack")
    expect(stack).to_have_count(1)
    expect(page.locator("#region-map .risk-stack-count")).to_have_text("3")
    click_map_at(page, "region-map", 118.2, 29.95)
    popup = page.locator("#region-map .risk-stack-popup")
    expect(popup).to_contain_text("此处有 3 项风险")
    links = popup.locator("a")
    expect(links).to_have_count(3)
    assert sorted(links.all_text_contents()) == sorted(titles)
    links.nth(1).click()
    page.wait_for_url("**/risks/*")
    # The reach map has the rivers and the search too, and its labels make room.
    page.wait_for_selector("#reach-map[data-rivers='ready']")
    page.wait_for_selector("#reach-map[data-labels='placed']")
    expect(page.locator("#reach-map path.river")).to_have_count(len(NETWORK.edges))
    page.fill("#reach-map .place-search-input", "黄山")
    page.press("#reach-map .place-search-input", "Enter")
    page.wait_for_selector("#reach-map[data-place='city:341000']")
    officer.assert_self_contained()
