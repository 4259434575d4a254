"""A risk's reach map as a static SVG, drawn on the server from the stored geometries.

The situation report is printed without a browser or tiles, so the map is the member
cities' boundaries shaded as the page's map shades them (origin, arrival class, not
reached), with the hazard source and the footprint or river path on top.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from html import escape
from typing import Any

from shapely.geometry import shape
from shapely.geometry.base import BaseGeometry

from crossrisk.domain.region import Jurisdiction

WIDTH = 680.0
ARRIVAL = ("#7a0c0c", "#b42318", "#d8482a", "#ec7a3f", "#f4a261", "#f9c98a", "#fde7bf")
ORIGIN, UNREACHED, FOOTPRINT, RIVER, HAZARD = "#4b2a7b", "#f4f3ef", "#1d4fa3", "#0a66d1", "#111"
# Degrees: boundaries are simplified to about a kilometre, plenty at report scale.
SIMPLIFY = 0.01


def reach_svg(
    members: Iterable[Jurisdiction],
    *,
    hazard: Mapping[str, Any],
    footprint: Mapping[str, Any] | None,
    origins: Iterable[str],
    reached: Mapping[str, int],
    labels: Mapping[str, str],
) -> str:
    """An SVG document of the region's member cities, shaded by reach, with the hazard."""
    cities = [(city, shape(dict(city.boundary)).simplify(SIMPLIFY)) for city in members]
    if not cities:
        return ""
    hazard_shape = shape(dict(hazard))
    extra = [hazard_shape] + ([shape(dict(footprint))] if footprint else [])
    west, south, east, north = _bounds([g for _, g in cities] + extra)
    # Equirectangular at the region's middle latitude: close enough over a few degrees.
    stretch = math.cos(math.radians((south + north) / 2))
    span_x = max((east - west) * stretch, 1e-6)
    scale = WIDTH / span_x
    height = (north - south) * scale

    def xy(lon: float, lat: float) -> str:
        return f"{(lon - west) * stretch * scale:.1f},{(north - lat) * scale:.1f}"

    origin_codes = set(origins)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH:.0f} {height:.0f}" '
        f'width="{WIDTH:.0f}" height="{height:.0f}" role="img">'
    ]
    for city, geometry in cities:
        if city.code in origin_codes:
            fill = ORIGIN
        elif city.code in reached:
            fill = ARRIVAL[min(max(reached[city.code], 0), len(ARRIVAL) - 1)]
        else:
            fill = UNREACHED
        parts.append(
            f'<path d="{_path(geometry, xy)}" fill="{fill}" stroke="#8793a1" '
            f'stroke-width="0.8" fill-rule="evenodd"><title>{escape(city.name_zh)}</title></path>'
        )
    if footprint:
        river = shape(dict(footprint)).geom_type in ("LineString", "MultiLineString")
        style = (
            f'fill="none" stroke="{RIVER}" stroke-width="2.5"'
            if river
            else f'fill="{FOOTPRINT}" fill-opacity="0.2" stroke="{FOOTPRINT}" '
            'stroke-dasharray="4 3"'
        )
        parts.append(f'<path d="{_path(shape(dict(footprint)), xy)}" {style}/>')
    parts.append(_hazard(hazard_shape, xy))
    for city, geometry in cities:
        label = labels.get(city.code)
        if not label:
            continue
        point = geometry.representative_point()
        x, y = xy(point.x, point.y).split(",")
        dark = city.code in origin_codes or reached.get(city.code, 99) <= 2
        colour = "#fff" if dark else "#222"
        parts.append(
            f'<text x="{x}" y="{y}" font-size="10" text-anchor="middle" fill="{colour}">'
            f"{escape(label)}</text>"
        )
    parts.append("</svg>")
    return "".join(parts)


def _bounds(geometries: list[BaseGeometry]) -> tuple[float, float, float, float]:
    boxes = [g.bounds for g in geometries if not g.is_empty]
    return (
        min(b[0] for b in boxes),
        min(b[1] for b in boxes),
        max(b[2] for b in boxes),
        max(b[3] for b in boxes),
    )


def _path(geometry: BaseGeometry, xy: Any) -> str:
    kind = geometry.geom_type
    if kind == "Polygon":
        rings = [geometry.exterior, *geometry.interiors]
        return " ".join(_ring(ring.coords, xy, closed=True) for ring in rings)
    if kind == "LineString":
        return _ring(geometry.coords, xy, closed=False)
    if kind.startswith("Multi") or kind == "GeometryCollection":
        return " ".join(_path(part, xy) for part in geometry.geoms)
    return ""


def _ring(coords: Iterable[Any], xy: Any, *, closed: bool) -> str:
    points = [xy(c[0], c[1]) for c in coords]
    if not points:
        return ""
    return "M" + " L".join(points) + (" Z" if closed else "")


def _hazard(geometry: BaseGeometry, xy: Any) -> str:
    if geometry.geom_type == "Point":
        x, y = xy(geometry.x, geometry.y).split(",")
        return (
            f'<circle cx="{x}" cy="{y}" r="6" fill="#fff" stroke="{HAZARD}" stroke-width="2.5"/>'
            f'<circle cx="{x}" cy="{y}" r="2" fill="{HAZARD}"/>'
        )
    if geometry.geom_type in ("LineString", "MultiLineString"):
        return f'<path d="{_path(geometry, xy)}" fill="none" stroke="{HAZARD}" stroke-width="3"/>'
    return (
        f'<path d="{_path(geometry, xy)}" fill="{HAZARD}" fill-opacity="0.25" '
        f'stroke="{HAZARD}" stroke-width="2"/>'
    )
