"""The offline place search: Chinese names, pinyin and codes, best matches first."""

from __future__ import annotations

import pytest

from crossrisk.geo.places import Place, county_places, normalised, point_place, search_places

PLACES = [
    Place("city", "320800", "淮安市", "Huai'an", 119.1, 33.6, (118.5, 32.7, 119.6, 34.1)),
    Place("city", "341000", "黄山市", "Huangshan", 118.1, 29.9, (117.0, 29.4, 118.9, 30.6)),
    Place("river", "huai", "淮河", "Huai River", 117.0, 32.9, (116.0, 32.4, 118.9, 33.5)),
    point_place("station", "tunxi", "新安江屯溪站", "Tunxi gauge (Xin'an River)", 118.322, 29.711),
]


@pytest.mark.parametrize("query", ["淮安", "淮安市", "huaian", "Huai'an", "HUAI AN", "320800"])
def test_a_city_is_found_however_its_name_is_typed(query: str) -> None:
    assert search_places(PLACES, query)[0].code == "320800"


def test_exact_before_prefix_before_inside_and_cities_first() -> None:
    # A river's code typed in full beats cities whose names merely begin with it.
    assert [p.code for p in search_places(PLACES, "huai")] == ["huai", "320800"]
    assert [p.code for p in search_places(PLACES, "hua")] == ["320800", "341000", "huai"]
    assert [p.code for p in search_places(PLACES, "淮")] == ["320800", "huai"]
    assert [p.code for p in search_places(PLACES, "淮河")] == ["huai"]
    assert [p.code for p in search_places(PLACES, "屯溪")] == ["tunxi"]


def test_a_gauge_is_a_point() -> None:
    (tunxi,) = search_places(PLACES, "tunxi")
    assert tunxi.bounds == (118.322, 29.711, 118.322, 29.711)


def test_nothing_and_only_punctuation_find_nothing() -> None:
    assert search_places(PLACES, "") == []
    assert search_places(PLACES, " '- ") == []
    assert search_places(PLACES, "Atlantis") == []


def test_results_are_limited() -> None:
    many = [point_place("station", f"s{i}", f"站{i}", f"Gauge {i}", 118, 30) for i in range(50)]
    assert len(search_places(many, "gauge", limit=5)) == 5


def test_normalised_folds_width_case_and_punctuation() -> None:
    assert normalised("Ｈｕａｉ’an （淮安）") == "huaian淮安"


COUNTY_FILE = """code,name_zh,name_en,city_code,label_lon,label_lat,west,south,east,north
341002,屯溪区,Tunxi District,341000,118.29250,29.74053,118.18661,29.65873,118.40185,29.83715
341003,黄山区,Huangshan District,341000,118.1,30.3,117.8,30.0,118.4,30.5
999901,某县,Mou County,999900,100.0,30.0,99.0,29.0,101.0,31.0
"""


def test_counties_carry_their_city_and_only_member_cities_count() -> None:
    counties = county_places(COUNTY_FILE, {"341000": ("黄山市", "Huangshan")})
    assert [c.code for c in counties] == ["341002", "341003"]
    tunxi = counties[0]
    assert (tunxi.kind, tunxi.city_code, tunxi.city_zh, tunxi.city_en) == (
        "county",
        "341000",
        "黄山市",
        "Huangshan",
    )
    assert (tunxi.lon, tunxi.lat) == (118.2925, 29.74053)
    assert tunxi.bounds == (118.18661, 29.65873, 118.40185, 29.83715)


def test_a_county_comes_after_its_namesake_city_and_before_gauges() -> None:
    counties = county_places(COUNTY_FILE, {"341000": ("黄山市", "Huangshan")})
    assert [p.code for p in search_places([*PLACES, *counties], "黄山")] == ["341000", "341003"]
    assert [p.code for p in search_places([*PLACES, *counties], "屯溪")] == ["341002", "tunxi"]
    # "tunxi" is the gauge's code typed in full: an exact match beats a name's start.
    assert [p.code for p in search_places([*PLACES, *counties], "tunxi")] == ["tunxi", "341002"]
