"""The overlay in PostGIS: the peer a user would pick instead of an in-process STRtree.

The same boundaries go into a scratch PostgreSQL database with a GiST index; each hazard's
footprint (the one the platform drew) goes to the server as WKB in one query, which finds
the boundaries it meets and returns each one's covered share and its share of the
footprint, as `crossrisk.geo.overlay.overlay` does in process. The database is dropped
afterwards. PostGIS comes from Debian's postgresql-15-postgis-3 (`make postgis`).
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass

import psycopg
import shapely
from shapely.geometry.base import BaseGeometry
from sqlalchemy.engine import make_url

from bench import _servers as servers
from crossrisk.geo.jurisdiction_index import JurisdictionIndex

# What a user would write: the GiST index serves ST_Intersects; areas on the WGS84
# ellipsoid (geography), the Earth model the platform measures its shares on.
OVERLAY_SQL = """
WITH given AS (SELECT ST_GeomFromWKB(%(footprint)s, 4326) AS footprint),
hits AS (
    SELECT j.code,
           ST_Area(ST_Intersection(j.boundary, given.footprint)::geography) AS piece,
           ST_Area(j.boundary::geography) AS whole
    FROM jurisdictions AS j, given
    WHERE ST_Intersects(j.boundary, given.footprint)
)
SELECT code, piece / whole AS area_share, piece / SUM(piece) OVER () AS footprint_share
FROM hits
WHERE piece > 0
"""

# (code, area share, footprint share) per jurisdiction reached
Shares = dict[str, tuple[float, float]]


@dataclass(frozen=True)
class Loaded:
    connection: psycopg.Connection[tuple[object, ...]]
    load_s: float  # inserting the boundaries
    index_s: float  # building the GiST index and analysing the table
    uses_index: bool  # the planner chose the GiST index for an overlay query


def missing_extension() -> str | None:
    """Why the PostGIS comparison cannot run here, or None when it can."""
    if not servers.postgres_available():
        return f"PostgreSQL at {servers.POSTGRES_ADMIN_URL} does not answer"
    url = make_url(servers.POSTGRES_ADMIN_URL)
    with _connect(url.database or "postgres") as connection:
        row = connection.execute(
            "SELECT 1 FROM pg_available_extensions WHERE name = 'postgis'"
        ).fetchone()
    if row is None:
        return "PostGIS is not installed in the PostgreSQL server (make postgis installs it)"
    return None


@contextmanager
def loaded(index: JurisdictionIndex, footprint: BaseGeometry) -> Iterator[Loaded]:
    """A scratch database holding the index's boundaries under a GiST index, then dropped.

    `footprint` is one the benchmark will send, used to ask the planner for its plan.
    """
    with (
        servers.scratch_database("postgresql") as (url, _folder),
        _connect(make_url(url).database or "") as connection,
    ):
        connection.execute("CREATE EXTENSION postgis")
        connection.execute(
            "CREATE TABLE jurisdictions ("
            " code text PRIMARY KEY, boundary geometry(Geometry, 4326) NOT NULL)"
        )
        start = time.perf_counter()
        with connection.cursor() as cursor:
            cursor.executemany(
                "INSERT INTO jurisdictions VALUES (%s, ST_GeomFromWKB(%s, 4326))",
                list(zip(index.codes, shapely.to_wkb(index.boundaries), strict=True)),
            )
        load_s = time.perf_counter() - start
        start = time.perf_counter()
        connection.execute("CREATE INDEX ON jurisdictions USING gist (boundary)")
        connection.execute("VACUUM ANALYZE jurisdictions")
        index_s = time.perf_counter() - start
        yield Loaded(connection, load_s, index_s, _uses_index(connection, footprint))


def overlay_shares(connection: psycopg.Connection[tuple[object, ...]], wkb: bytes) -> Shares:
    """Each jurisdiction the footprint covers: its covered share and its share of it."""
    rows = connection.execute(OVERLAY_SQL, {"footprint": wkb}).fetchall()
    return {str(code): (float(area), float(part)) for code, area, part in rows}  # type: ignore[arg-type]


def execution_ms(connection: psycopg.Connection[tuple[object, ...]], wkb: bytes) -> float:
    """The server's own execution time of the overlay query, without the round trip."""
    row = connection.execute(
        f"EXPLAIN (ANALYZE, TIMING OFF, FORMAT JSON) {OVERLAY_SQL}", {"footprint": wkb}
    ).fetchone()
    assert row is not None
    plan = row[0] if isinstance(row[0], list) else json.loads(str(row[0]))
    return float(plan[0]["Execution Time"])


def differing(a: Sequence[Shares], b: Sequence[Shares], *, tolerance: float) -> int:
    """How many footprints reach other jurisdictions, or shares off by more than tolerance.

    Both sides run GEOS, but not the same release: a piece of a few square metres along
    a shared border may exist on one side only; it is not a different answer.
    """
    count = 0
    for left, right in zip(a, b, strict=True):
        codes = set(left) | set(right)
        for code in codes:
            l_area, l_part = left.get(code, (0.0, 0.0))
            r_area, r_part = right.get(code, (0.0, 0.0))
            if abs(l_area - r_area) > tolerance or abs(l_part - r_part) > tolerance:
                count += 1
                break
    return count


def _uses_index(
    connection: psycopg.Connection[tuple[object, ...]], footprint: BaseGeometry
) -> bool:
    row = connection.execute(
        f"EXPLAIN (FORMAT JSON) {OVERLAY_SQL}", {"footprint": shapely.to_wkb(footprint)}
    ).fetchone()
    assert row is not None
    return "jurisdictions_boundary_idx" in json.dumps(row[0])


def _connect(database: str) -> psycopg.Connection[tuple[object, ...]]:
    url = make_url(servers.POSTGRES_ADMIN_URL)
    return psycopg.connect(
        host=url.host,
        port=url.port,
        user=url.username,
        password=url.password,
        dbname=database,
        autocommit=True,
    )
