"""The bundled Yangtze River Delta network, snapping to it, and the path below a source."""

from __future__ import annotations

import itertools
import json
import re
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from shapely.geometry import Point, shape
from shapely.geometry.base import BaseGeometry

import crossrisk
from crossrisk.domain.errors import InvalidInput
from crossrisk.geo.geodesy import cumulative_km
from crossrisk.geo.river import RiverNetwork, load_network
from crossrisk.geo.river_path import Crossing, crossings, downstream_path
from crossrisk.hydro.muskingum import muskingum

REGION_DIR = Path(crossrisk.__file__).resolve().parent / "data" / "regions" / "yrd"
RIVERS = REGION_DIR / "rivers.geojson"
JURISDICTIONS = REGION_DIR / "jurisdictions.geojson"

ANHUI_ANQING = "340800"
CHIZHOU = "341700"
TONGLING = "340700"
WUHU = "340200"
MAANSHAN = "340500"
NANJING = "320100"
ZHENJIANG = "321100"
YANGZHOU = "321000"
TAIZHOU_JS = "321200"
CHANGZHOU = "320400"
WUXI = "320200"
NANTONG = "320600"
SUZHOU = "320500"
SHANGHAI = "310000"
HUANGSHAN = "341000"
HANGZHOU = "330100"
QUZHOU = "330800"
JINHUA = "330700"
XUANCHENG = "341800"

TUNXI = Point(118.32, 29.71)  # Huangshan city on the Xin'an
ANQING = Point(117.05, 30.52)  # Anqing city on the Yangtze
HEFEI = Point(117.8, 31.8)  # about 60 km from the Yangtze, further from any other river

# Chow, Maidment & Mays (1988), Applied Hydrology, Example 8.4.1 and Table 8.4.1:
# K = 2.3 h, X = 0.15, Δt = 1 h, initial outflow 85 cfs; hours 1..20. Inflow (column 2)
# and the routed outflow as published (column 6, rounded to whole cfs).
CHOW_INFLOW_CFS = [93, 137, 208, 320, 442, 546, 630, 678, 691, 675,
                   634, 571, 477, 390, 329, 247, 184, 134, 108, 90]  # fmt: skip
CHOW_OUTFLOW_CFS = [85, 91, 114, 159, 233, 324, 420, 509, 578, 623,
                    642, 635, 603, 546, 479, 413, 341, 274, 215, 170]  # fmt: skip


@pytest.fixture(scope="module")
def collection() -> dict[str, Any]:
    with RIVERS.open(encoding="utf-8") as f:
        data: dict[str, Any] = json.load(f)
    return data


@pytest.fixture(scope="module")
def network(collection: dict[str, Any]) -> RiverNetwork:
    return RiverNetwork.from_geojson(collection)


@pytest.fixture(scope="module")
def members() -> tuple[list[str], list[BaseGeometry]]:
    with JURISDICTIONS.open(encoding="utf-8") as f:
        features = [x for x in json.load(f)["features"] if x["properties"]["member"]]
    return [x["properties"]["code"] for x in features], [shape(x["geometry"]) for x in features]


# ------------------------------------------------------------------------ Muskingum


def test_muskingum_reproduces_chow_example_8_4_1() -> None:
    outflow = muskingum(CHOW_INFLOW_CFS, k=2.3, x=0.15, dt=1.0, initial_outflow=85.0)

    assert len(outflow) == len(CHOW_INFLOW_CFS)
    for computed, published in zip(outflow, CHOW_OUTFLOW_CFS, strict=True):
        assert computed == pytest.approx(published, rel=0.01)
    # The peak: 642 cfs at hour 11 in the book.
    assert int(np.argmax(outflow)) == 10
    assert max(outflow) == pytest.approx(642, rel=0.01)


def test_muskingum_starts_from_steady_state_when_no_initial_outflow() -> None:
    assert muskingum([50.0] * 10, k=2.0, x=0.2, dt=1.0) == pytest.approx([50.0] * 10)


def test_muskingum_conserves_volume() -> None:
    pulse = [0.0] + [10.0] * 6 + [0.0] * 60
    outflow = muskingum(pulse, k=2.0, x=0.2, dt=1.0, initial_outflow=0.0)

    assert sum(outflow) == pytest.approx(sum(pulse), rel=1e-6)
    assert max(outflow) < max(pulse)


def test_dt_below_2kx_is_refused_naming_the_bound() -> None:
    with pytest.raises(InvalidInput, match="2KX") as info:
        muskingum([1.0, 2.0], k=10.0, x=0.3, dt=1.0)
    assert "lower bound" in info.value.detail
    assert "6" in info.value.detail  # 2KX = 6 h


def test_dt_above_2k_one_minus_x_is_refused_naming_the_bound() -> None:
    with pytest.raises(InvalidInput, match=re.escape("2K(1−X)")) as info:
        muskingum([1.0, 2.0], k=0.3, x=0.2, dt=1.0)
    assert "upper bound" in info.value.detail
    assert "0.48" in info.value.detail


@pytest.mark.parametrize(
    ("k", "x", "dt"),
    [(0.0, 0.2, 1.0), (-1.0, 0.2, 1.0), (2.0, 0.2, 0.0), (2.0, -0.1, 1.0), (2.0, 0.6, 1.0)],
)
def test_out_of_range_parameters_are_refused(k: float, x: float, dt: float) -> None:
    with pytest.raises(InvalidInput):
        muskingum([1.0, 2.0], k=k, x=x, dt=dt)


def test_parameters_on_the_stable_bounds_are_accepted() -> None:
    # Δt = 2KX exactly (K = 2.5, X = 0.2) and Δt = 2K(1 - X) exactly (K = 0.625).
    assert muskingum([0.0, 1.0, 0.0], k=2.5, x=0.2, dt=1.0)[1] == pytest.approx(0.0)
    assert muskingum([0.0, 1.0, 0.0], k=0.625, x=0.2, dt=1.0, initial_outflow=0.0)


# ------------------------------------------------------------------------- the file


def test_network_edges_lead_downstream_to_the_sea_or_a_lake(
    collection: dict[str, Any],
) -> None:
    nodes = {n["id"]: n for n in collection["nodes"]}
    outgoing: dict[str, str] = {}
    for feature in collection["features"]:
        props = feature["properties"]
        assert props["from_node"] not in outgoing, "two ways downstream from one node"
        outgoing[props["from_node"]] = props["to_node"]
        coords = feature["geometry"]["coordinates"]
        assert coords[0] == nodes[props["from_node"]]["coordinates"]
        assert coords[-1] == nodes[props["to_node"]]["coordinates"]
    for start in outgoing:
        seen = {start}
        node = start
        while node in outgoing:
            node = outgoing[node]
            assert node not in seen, f"cycle through {node}"
            seen.add(node)
        assert nodes[node]["kind"] in ("mouth", "lake")
    ends = {n for n in nodes if n not in outgoing}
    assert ends == {"yangtze-mouth", "ganpu", "hongze-lake"}


def test_network_covers_the_rivers_of_the_issue(collection: dict[str, Any]) -> None:
    rivers = {f["properties"]["river"] for f in collection["features"]}

    assert {"yangtze", "xinan", "fuchun", "qiantang", "qu", "huai", "taipu", "huangpu"} <= rivers
    synthetic = {
        f["properties"]["id"] for f in collection["features"] if f["properties"]["synthetic"]
    }
    # Only where GSHHG has nothing: the Yangtze between Zhenjiang and Jiangyin, Taihu's
    # edge to the Taipu, the Taipu,
    # and the Huangpu's last few km to the Yangtze's centerline.
    assert synthetic == {"yangtze-02", "taihu-01", "taipu-01", "huangpu-02"}


def test_edge_lengths_are_measured_from_the_geometry(collection: dict[str, Any]) -> None:
    for feature in collection["features"]:
        coords = np.asarray(feature["geometry"]["coordinates"])
        assert feature["properties"]["length_km"] == pytest.approx(
            cumulative_km(coords)[-1], abs=0.001
        )
        assert feature["properties"]["celerity_m_s"] > 0
        assert np.all(np.round(coords, 5) == coords)


def test_file_is_small() -> None:
    assert RIVERS.stat().st_size < 300_000


def test_load_network_reads_a_path_or_a_mapping(collection: dict[str, Any]) -> None:
    assert len(load_network(RIVERS).edges) == len(load_network(collection).edges)


# --------------------------------------------------------------------------- snap


def test_a_point_on_a_river_snaps_to_it(network: RiverNetwork) -> None:
    snap = network.snap(TUNXI)

    assert snap.river == "xinan"
    assert snap.distance_km < 1.0
    assert 0 < snap.along_km < network.edge(snap.edge_id).length_km


def test_a_point_far_from_every_river_is_refused_with_the_distance(
    network: RiverNetwork, members: tuple[list[str], list[BaseGeometry]]
) -> None:
    with pytest.raises(InvalidInput) as info:
        crossed(network, members, HEFEI)

    found = re.search(r"is ([0-9.]+) km away", info.value.detail)
    assert found is not None, info.value.detail
    assert 55 < float(found.group(1)) < 65
    assert "within 5 km of a river" in info.value.detail
    assert info.value.key == "river-too-far"


def test_a_wider_tolerance_lets_a_nearby_point_snap(network: RiverNetwork) -> None:
    near = Point(117.05, 30.62)  # ~11 km north of the Yangtze at Anqing

    with pytest.raises(InvalidInput):
        network.snap(near)
    assert network.snap(near, tolerance_km=15.0).river == "yangtze"


# -------------------------------------------------------------------------- path


def crossed(
    network: RiverNetwork, members: tuple[list[str], list[BaseGeometry]], point: Point
) -> list[Crossing]:
    codes, boundaries = members
    return crossings(downstream_path(network, network.snap(point)), point, codes, boundaries)


def test_the_path_below_tunxi_enters_hangzhou_and_nothing_upstream(
    network: RiverNetwork, members: tuple[list[str], list[BaseGeometry]]
) -> None:
    found = crossed(network, members, TUNXI)
    codes = [c.jurisdiction_code for c in found]

    assert found[0] == Crossing(HUANGSHAN, 0.0, True)
    assert HANGZHOU in codes
    # Upstream branches (the Qu at Quzhou, the Lan at Jinhua) and cities off the river
    # are never entered.
    assert not {QUZHOU, JINHUA, XUANCHENG} & set(codes)
    distances = [c.entry_km for c in found]
    assert distances == sorted(distances)


def test_the_yangtze_below_anqing_enters_the_cities_downstream_in_order(
    network: RiverNetwork, members: tuple[list[str], list[BaseGeometry]]
) -> None:
    found = crossed(network, members, ANQING)
    entry = {c.jurisdiction_code: c.entry_km for c in found}

    assert found[0].jurisdiction_code == ANHUI_ANQING and found[0].is_origin
    # Cities facing each other across the river may be entered in either order; the
    # groups follow one another down the river.
    groups = [
        [CHIZHOU, TONGLING],
        [WUHU],
        [MAANSHAN],
        [NANJING],
        [ZHENJIANG, YANGZHOU],
        [TAIZHOU_JS, CHANGZHOU, WUXI, NANTONG, SUZHOU],
        [SHANGHAI],
    ]
    for group in groups:
        for code in group:
            assert code in entry, code
    for upper, lower in itertools.pairwise(groups):
        assert max(entry[c] for c in upper) < min(entry[c] for c in lower)
    assert entry[CHIZHOU] < entry[TONGLING] < entry[WUHU]
    assert entry[SHANGHAI] > 500


def test_the_path_starts_at_the_snapped_point_and_follows_the_edges(
    network: RiverNetwork,
) -> None:
    snap = network.snap((118.32, 29.71))
    path = downstream_path(network, snap)

    assert path.line.geom_type == "LineString"
    assert path.line.coords[0] == pytest.approx((snap.lon, snap.lat))
    assert [s.edge.id for s in path.spans] == [
        "xinan-01",
        "xinan-02",
        "xinan-03",
        "fuchun-01",
        "qiantang-01",
        "qiantang-02",
    ]
    for upper, lower in itertools.pairwise(path.spans):
        assert upper.end_km == pytest.approx(lower.start_km)
    # Whole edges below the first keep their stored length.
    assert path.spans[1].length_km == pytest.approx(network.edge("xinan-02").length_km)
    assert path.span_at(path.spans[2].start_km).edge.id == "xinan-03"


def test_nearest_measures_what_snap_measures_however_far() -> None:
    from crossrisk.data import bundled_region_path
    from crossrisk.geo.river import load_network

    network = load_network(bundled_region_path("yrd").with_name("rivers.geojson"))
    near = network.nearest(118.33, 29.72)
    snapped = network.snap((118.33, 29.72))
    assert (near.edge_id, near.distance_km, near.along_km) == (
        snapped.edge_id,
        snapped.distance_km,
        snapped.along_km,
    )
    far = network.nearest(118.0, 30.2)
    with pytest.raises(InvalidInput) as refused:
        network.snap((118.0, 30.2))
    assert refused.value.params["distance_km"] == round(far.distance_km, 1)
    with pytest.raises(InvalidInput):
        network.nearest(float("nan"), 30.0)
