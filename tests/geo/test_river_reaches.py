"""Spills and flood waves on the bundled network: who is reached, when, and how hard."""

from __future__ import annotations

from typing import Any

import pytest
from shapely.geometry import Point

from crossrisk.domain.propagation import assessment_parameters
from crossrisk.domain.reach import Pathway, Reach
from crossrisk.geo.bundled import bundled_region_geo
from crossrisk.geo.reach import compute_reach
from crossrisk.geo.region_geo import RegionGeo

TUNXI = Point(118.32, 29.71)  # Huangshan, on the Xin'an above Qiandao Lake
ANQING = Point(117.05, 30.52)  # on the Yangtze
LANXI = Point(119.3, 29.1)  # on the Qu above Lanxi, Jinhua
HUANGSHAN, HANGZHOU, JINHUA = "341000", "330100", "330700"
JIAXING, SHAOXING, NINGBO, NANJING = "330400", "330600", "330200", "320100"


@pytest.fixture(scope="module")
def geo() -> RegionGeo:
    return bundled_region_geo("yrd")


def spill(geo: RegionGeo, where: Point, **given: Any) -> Reach:
    return compute_reach(Pathway.SPILL, where, assessment_parameters(Pathway.SPILL, given), geo)


def flood(geo: RegionGeo, where: Point, **given: Any) -> Reach:
    return compute_reach(Pathway.RIVER, where, assessment_parameters(Pathway.RIVER, given), geo)


def test_styrene_at_tunxi_harms_hangzhou_at_the_lakes_tail_and_no_city_below_the_dam(
    geo: RegionGeo,
) -> None:
    reach = spill(geo, TUNXI, substance="苯乙烯", mass_kg=20_000)

    assert reach.codes == (HUANGSHAN, HANGZHOU)
    hangzhou = reach.entry(HANGZHOU)
    assert hangzhou is not None
    detail = hangzhou.detail
    # Judged where the Xin'an enters Zhejiang, in Qiandao Lake's riverine zone, against
    # GB 3838's class III limit for styrene.
    assert (detail["lake"], detail["lake_zone"]) == ("qiandao", "inflow")
    assert (detail["substance"], detail["limit_basis"], detail["limit_mg_l"]) == (
        "styrene",
        "surface_class_iii",
        0.02,
    )
    assert hangzhou.intensity == pytest.approx(detail["peak_mg_l"] / 0.02, rel=1e-3)
    assert hangzhou.intensity > 10
    assert 0 < hangzhou.arrival_hours < detail["peak_hours"]
    assert detail["exceed_hours"] > 1
    assert max(detail["curve"]["mg_l"]) == pytest.approx(detail["peak_mg_l"], rel=1e-3)
    assert len(detail["curve"]["hours"]) <= 240
    # Qiandao Lake mixes 20 t into 17.8 billion m³: about 0.001 mg/L below the dam.
    assert not {JIAXING, SHAOXING, NINGBO} & set(reach.codes)
    assert reach.pathway is Pathway.SPILL
    assert reach.footprint is not None and reach.footprint["type"] == "LineString"


def test_the_same_mass_below_the_dam_reaches_hangzhou_city_undiluted(geo: RegionGeo) -> None:
    reach = spill(geo, LANXI, substance="ammonia_nitrogen", mass_kg=100_000)

    assert reach.codes[:2] == (JINHUA, HANGZHOU)
    assert "lake" not in reach.entries[1].detail


def test_a_spill_on_the_yangtze_weakens_downstream_and_a_short_horizon_stops_it(
    geo: RegionGeo,
) -> None:
    reach = spill(geo, ANQING, substance="benzene", mass_kg=50_000)
    peaks = [e.detail["peak_mg_l"] for e in reach.entries[1:]]
    arrivals = [e.arrival_hours for e in reach.entries]

    assert NANJING in reach.codes
    assert peaks == sorted(peaks, reverse=True)
    assert arrivals == sorted(arrivals)
    short = spill(geo, ANQING, substance="benzene", mass_kg=50_000, horizon_hours=24)
    assert NANJING not in short.codes
    assert len(short.entries) < len(reach.entries)


def test_a_substance_without_a_class_iii_limit_is_judged_by_the_drinking_water_one(
    geo: RegionGeo,
) -> None:
    reach = spill(geo, TUNXI, substance="toluene", mass_kg=20_000)
    detail = reach.entries[0].detail

    assert detail["limit_basis"] == "drinking_water"
    assert detail["limit_mg_l"] == 0.7


def test_without_a_mass_the_reach_is_judged_by_a_share_of_the_source(geo: RegionGeo) -> None:
    reach = spill(geo, TUNXI, substance="styrene")
    source = reach.entries[0].detail

    assert source["limit_basis"] == "source_fraction"
    assert source["peak_mg_l"] is None and source["peak_share"] == pytest.approx(1.0)
    assert "share" in source["curve"] and "mg_l" not in source["curve"]
    assert all(e.detail["peak_share"] >= 0.01 for e in reach.entries)


def test_a_release_over_hours_lowers_every_peak(geo: RegionGeo) -> None:
    sudden = spill(geo, ANQING, substance="benzene", mass_kg=50_000)
    slow = spill(geo, ANQING, substance="benzene", mass_kg=50_000, release_hours=24)
    for code in slow.codes[1:]:
        assert slow.entry(code).detail["peak_mg_l"] < sudden.entry(code).detail["peak_mg_l"]  # type: ignore[union-attr]


def test_a_stored_name_the_table_does_not_know_is_judged_by_the_source_share(
    geo: RegionGeo,
) -> None:
    # Registering refuses it (services.analysis); a risk stored before the table keeps it.
    reach = spill(geo, TUNXI, substance="某化学品", mass_kg=10_000)
    source = reach.entries[0].detail

    assert source["substance"] == "某化学品"
    assert source["limit_basis"] == "source_fraction"
    assert source["limit_mg_l"] == pytest.approx(0.01 * source["peak_mg_l"], rel=1e-3)


def test_a_flood_at_tunxi_reaches_hangzhou_where_the_river_enters_the_lake(
    geo: RegionGeo,
) -> None:
    reach = flood(geo, TUNXI, peak_discharge_m3_s=2000)

    assert reach.codes == (HUANGSHAN, HANGZHOU)
    hangzhou = reach.entry(HANGZHOU)
    assert hangzhou is not None
    detail = hangzhou.detail
    assert (detail["lake"], detail["lake_zone"]) == ("qiandao", "inflow")
    # Routed 46 km down the Xin'an, the wave has flattened and come later.
    assert 0.3 < hangzhou.intensity < 1.0
    assert detail["peak_hours"] > reach.entries[0].detail["peak_hours"]
    assert detail["peak_m3_s"] > detail["base_m3_s"]
    assert max(detail["curve"]["m3_s"]) == pytest.approx(detail["peak_m3_s"], rel=1e-3)


def test_a_faster_celerity_brings_the_wave_sooner(geo: RegionGeo) -> None:
    usual = flood(geo, ANQING).entry(NANJING)
    fast = flood(geo, ANQING, celerity_m_s=5.0).entry(NANJING)

    assert usual is not None and fast is not None
    assert fast.arrival_hours < usual.arrival_hours


def test_cities_on_hongze_lake_see_the_mixed_lake(geo: RegionGeo) -> None:
    bengbu = Point(117.38, 32.95)
    small = spill(geo, bengbu, substance="phenol", mass_kg=5_000)
    large = spill(geo, bengbu, substance="phenol", mass_kg=2_000_000)

    in_lake = [e for e in large.entries if e.detail.get("lake") == "hongze"]
    assert in_lake and all(e.detail["lake_zone"] == "mixed" for e in in_lake)
    # 2,000 t over the lake's 3.04 billion m³: about 0.66 mg/L at most, whoever holds it.
    for entry in in_lake:
        assert entry.detail["peak_mg_l"] == pytest.approx(2e9 / 3.04e9, rel=0.05)
    assert not {e.jurisdiction_code for e in in_lake} & set(small.codes)


def test_taihu_sends_only_the_taipus_share_down_the_taipu(geo: RegionGeo) -> None:
    taihu = Point(120.23, 31.20)
    lake_spill = spill(geo, taihu, substance="ammonia_nitrogen", mass_kg=5_000_000)
    mixed = lake_spill.entries[0].detail["peak_mg_l"]
    # 5,000 t in 4.43 billion m³; below the lake nothing concentrates it again.
    assert mixed == pytest.approx(5e9 / 4.43e9, rel=0.02)
    assert all(e.detail["peak_mg_l"] <= mixed * 1.001 for e in lake_spill.entries)
    wave = flood(geo, taihu, peak_discharge_m3_s=500)
    assert wave.entries[0].arrival_hours == 0.0
    for entry in wave.entries[1:]:
        assert entry.detail["peak_m3_s"] >= entry.detail["base_m3_s"]
        assert entry.intensity < 0.5
