"""The offline place search: Chinese names, pinyin and codes, best matches first."""

from __future__ import annotations

import pytest

from crossrisk.geo.places import Place, normalised, point_place, search_places

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
