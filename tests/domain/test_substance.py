"""Substances: finding one by any of its names, its limits and its loss rate at a depth."""

from __future__ import annotations

import math

import pytest

from crossrisk.domain.errors import InvalidInput
from crossrisk.domain.substance import (
    Substance,
    find_substance,
    substance_names,
    substances_matching,
)

VOLATILE = Substance(
    key="toluene",
    name_zh="甲苯",
    name_en="Toluene",
    cas="108-88-3",
    decay_per_day=5.74,
    decay_process="volatilisation",
    decay_reference_depth_m=1.0,
    decay_source="HSDB",
    drinking_water_mg_l=0.7,
    drinking_water_source="GB 5749-2022",
)
DEGRADED = Substance(
    key="phenol",
    name_zh="挥发酚",
    name_en="Volatile phenols",
    cas="108-95-2",
    decay_per_day=0.5,
    decay_process="degradation",
    decay_source="a test value",
    surface_class_iii_mg_l=0.005,
    surface_class_iii_source="GB 3838-2002",
)
CONSERVATIVE = Substance(key="cyanide", name_zh="氰化物", name_en="Cyanide", cas="57-12-5")
TABLE = {s.key: s for s in (VOLATILE, DEGRADED, CONSERVATIVE)}


@pytest.mark.parametrize("text", ["toluene", "TOLUENE", "甲苯", "Toluene", " 108-88-3 "])
def test_a_substance_is_found_by_key_names_or_cas(text: str) -> None:
    assert find_substance(TABLE, text) is VOLATILE


def test_an_unknown_substance_is_refused_with_the_known_keys() -> None:
    with pytest.raises(InvalidInput) as caught:
        find_substance(TABLE, "mercury")

    assert caught.value.key == "unknown-substance"
    assert caught.value.params["known"] == "toluene, phenol, cyanide"
    assert "mercury" in caught.value.detail


def test_an_empty_name_is_refused() -> None:
    with pytest.raises(InvalidInput):
        find_substance(TABLE, "  ")


def test_surface_water_class_iii_is_the_default_limit() -> None:
    assert DEGRADED.limit_mg_l() == 0.005
    assert DEGRADED.limit_mg_l("drinking_water") is None
    assert VOLATILE.limit_mg_l("drinking_water") == 0.7
    assert VOLATILE.limit_mg_l() is None


def test_an_unknown_limit_basis_is_refused() -> None:
    with pytest.raises(InvalidInput):
        VOLATILE.limit_mg_l("irrigation")


def test_volatilisation_slows_in_proportion_to_depth() -> None:
    assert VOLATILE.decay_at_depth(1.0) == pytest.approx(5.74)
    assert VOLATILE.decay_at_depth(4.0) == pytest.approx(5.74 / 4)


def test_degradation_does_not_depend_on_depth() -> None:
    assert DEGRADED.decay_at_depth(0.5) == DEGRADED.decay_at_depth(30.0) == 0.5


def test_a_substance_without_a_rate_does_not_decay() -> None:
    assert CONSERVATIVE.decay_at_depth(3.0) == 0.0


@pytest.mark.parametrize("depth", [0.0, -1.0, math.nan, math.inf, 5000.0])
def test_a_depth_out_of_range_is_refused(depth: float) -> None:
    with pytest.raises(InvalidInput):
        VOLATILE.decay_at_depth(depth)


def test_volatilisation_without_a_reference_depth_is_refused() -> None:
    with pytest.raises(InvalidInput):
        Substance(
            key="x",
            name_zh="某",
            name_en="X",
            cas="1-1-1",
            decay_per_day=1.0,
            decay_process="volatilisation",
            decay_source="s",
        )


@pytest.mark.parametrize("value", [0.0, -0.1, math.nan, math.inf])
def test_a_limit_must_be_finite_and_positive(value: float) -> None:
    with pytest.raises(InvalidInput):
        Substance(
            key="x",
            name_zh="某",
            name_en="X",
            cas="1-1-1",
            surface_class_iii_mg_l=value,
            surface_class_iii_source="GB 3838-2002",
        )


def test_a_limit_without_its_source_is_refused() -> None:
    with pytest.raises(InvalidInput):
        Substance(key="x", name_zh="某", name_en="X", cas="1-1-1", drinking_water_mg_l=0.1)


def test_the_limit_that_judges_falls_back_to_the_other_standard() -> None:
    assert DEGRADED.judging_limit("surface_class_iii") == (0.005, "surface_class_iii")
    assert DEGRADED.judging_limit("drinking_water") == (0.005, "surface_class_iii")
    assert VOLATILE.judging_limit("surface_class_iii") == (0.7, "drinking_water")
    assert CONSERVATIVE.judging_limit("drinking_water") is None


def test_a_stored_key_is_named_in_each_language_and_free_text_stays() -> None:
    assert substance_names(TABLE, "toluene") == ("甲苯", "Toluene")
    assert substance_names(TABLE, "氯气") == ("氯气", "氯气")


def test_words_find_the_keys_of_the_substances_they_name() -> None:
    assert substances_matching(TABLE, "甲") == ["toluene"]
    assert substances_matching(TABLE, "phen") == ["phenol"]
    assert substances_matching(TABLE, "  ") == []
    assert substances_matching(TABLE, "108-88-3") == ["toluene"]
    assert substances_matching(TABLE, "8") == []
