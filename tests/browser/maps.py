"""Driving the pages' Leaflet maps from browser tests."""

from __future__ import annotations

from playwright.sync_api import Page


def click_map_at(page: Page, map_id: str, longitude: float, latitude: float) -> None:
    """Click a Leaflet map of the page where it shows this longitude and latitude."""
    point = page.evaluate(
        """([id, lat, lng]) => {
            const p = window.crossrisk.maps[id].latLngToContainerPoint([lat, lng]);
            return {x: p.x, y: p.y};
        }""",
        [map_id, latitude, longitude],
    )
    box = page.locator(f"#{map_id}").bounding_box()
    assert box is not None
    page.mouse.click(box["x"] + point["x"], box["y"] + point["y"])
