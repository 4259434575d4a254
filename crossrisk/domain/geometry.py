"""Limits on geometries that come from outside: how many vertices one may have."""

from __future__ import annotations

from crossrisk.domain.errors import InvalidInput

# A hazard source drawn by a person, or an area sent by a system, needs far fewer; more is
# a mistake or an attack, and would make every overlay slow.
MAX_VERTICES = 50_000


def check_vertex_count(count: int, *, what: str) -> None:
    """Refuse a geometry with more vertices than the limit, before any work is done on it."""
    if count > MAX_VERTICES:
        raise InvalidInput(
            f"{what} has {count} vertices; the limit is {MAX_VERTICES}",
            key="geometry-too-many-vertices",
            params={"count": count, "limit": MAX_VERTICES},
        )


# GeoJSON nests positions at most four lists deep (a MultiPolygon's polygons, rings,
# positions, numbers); deeper nesting is no geometry, however many brackets it takes.
MAX_DEPTH = 4


def count_positions(coordinates: object, *, what: str) -> int:
    """How many positions a GeoJSON `coordinates` member holds, without recursion.

    Refuses nesting deeper than any geometry has, and more positions than the limit, so
    nothing builds a geometry from such input.
    """
    count = 0
    stack: list[tuple[object, int]] = [(coordinates, 1)]
    while stack:
        value, depth = stack.pop()
        if not isinstance(value, list | tuple):
            continue
        if depth > MAX_DEPTH:
            raise InvalidInput(
                f"{what} nests its coordinates deeper than any GeoJSON geometry",
                key="geometry-too-deep",
            )
        if value and not isinstance(value[0], list | tuple):
            count += 1
            continue
        stack.extend((item, depth + 1) for item in value)
    check_vertex_count(count, what=what)
    return count
