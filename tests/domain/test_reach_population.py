"""The exposed population of a reach entry, and what a table says of how it is known.

Figures are the 2020 census populations of crossrisk/data/regions/yrd/population_2020.csv,
worked by hand.
"""

from __future__ import annotations

from crossrisk.domain.analysis import reach_from_record
from crossrisk.domain.reach import (
    Pathway,
    PopulationBasis,
    population_by_area_share,
    recorded_basis,
    river_population,
)

HANGZHOU_2020 = 11_936_010
HUANGSHAN_2020 = 1_330_565


def test_a_footprint_exposes_the_citys_population_in_proportion_to_the_area_it_covers() -> None:
    # 10 % of Hangzhou's area: 1,193,601 of its 11,936,010 people.
    assert population_by_area_share(HANGZHOU_2020, 0.1) == 1_193_601
    # A quarter of Huangshan: 1,330,565 / 4 = 332,641.25, so 332,641.
    assert population_by_area_share(HUANGSHAN_2020, 0.25) == 332_641
    # A share rounded above one is the whole city; a city without a figure has no estimate.
    assert population_by_area_share(HUANGSHAN_2020, 1.0000001) == HUANGSHAN_2020
    assert population_by_area_share(None, 0.5) is None


def test_a_river_gives_the_whole_city_as_an_upper_bound_never_as_an_estimate() -> None:
    assert river_population(HANGZHOU_2020) == (PopulationBasis.WHOLE_CITY, 11_936_010)
    assert river_population(None) == (PopulationBasis.UNKNOWN, None)


def test_an_analysis_stored_before_the_basis_was_recorded_reads_back_with_one() -> None:
    assert recorded_basis(Pathway.OVERLAY, 1_000) is PopulationBasis.AREA_SHARE
    assert recorded_basis(Pathway.PLUME, 12) is PopulationBasis.AREA_SHARE
    assert recorded_basis(Pathway.MOBILITY, 5_000) is PopulationBasis.INFECTIONS
    assert recorded_basis(Pathway.RIVER, None) is PopulationBasis.UNKNOWN
    old = {
        "pathway": "overlay",
        "parameters": {},
        "leaves_region": False,
        "footprint": None,
        "entries": [
            {
                "jurisdiction": "341000",
                "arrival_hours": 0.0,
                "intensity": 0.25,
                "exposed_population": 332_641,
                "detail": {},
            }
        ],
    }
    [entry] = reach_from_record(old).entries
    assert entry.population_basis is PopulationBasis.AREA_SHARE
    assert entry.population_upper_bound is None
