"""The shortfall computed by hand: need, kept, shortfall, neighbours' cover, region lacks."""

from __future__ import annotations

import math

import pytest

from crossrisk.domain.aid.shortfall import check_scenario, compute_shortfall
from crossrisk.domain.errors import InvalidInput
from crossrisk.services.demand_factors import bundled_factors

A, B, C = "330100", "330200", "330300"
MEMBERS = (A, B, C)
# B is 1 hour from A, C is 3 hours from A; B and C 2 hours apart.
HOURS = {
    A: {B: 1.0, C: 3.0},
    B: {A: 1.0, C: 2.0},
    C: {A: 3.0, B: 2.0},
}


def scenario(people: dict[str, int], share: float = 0.3, days: int = 7):
    return check_scenario(people, displaced_share=share, days=days, member_codes=MEMBERS)


def test_need_for_ten_thousand_people_thirty_percent_displaced_for_a_week() -> None:
    result = compute_shortfall(
        scenario({A: 10_000}), bundled_factors(), member_codes=MEMBERS, levels={}, hours=HOURS
    )

    a = result.of(A)
    assert (a.people, a.displaced) == (10_000, 3_000)
    # 15 L × 10,000 people × 7 days; one 2,100 kcal ration per person-day.
    assert a.line("drinking_water").need == 1_050_000
    assert a.line("food_ration").need == 70_000
    # 3.5 m² × 3,000 displaced = 10,500 m² = 875 tents of 12 m²; none in stock to mix.
    assert a.line("tent").need == 875
    assert a.line("family_tent").need == 0
    # A week is past the first phase: one toilet per 20 displaced.
    assert a.line("portable_toilet").need == 150
    assert a.line("tent").shortfall == 875
    assert result.of(B).line("tent").need == 0


def test_first_phase_asks_one_toilet_per_fifty() -> None:
    result = compute_shortfall(
        scenario({A: 10_000}, days=3),
        bundled_factors(),
        member_codes=MEMBERS,
        levels={},
        hours=HOURS,
    )
    assert result.of(A).line("portable_toilet").need == 60


def test_tent_mix_uses_own_tents_then_family_tents_then_asks_for_tents() -> None:
    levels = {A: {"tent": 100, "family_tent": 50}}
    result = compute_shortfall(
        scenario({A: 10_000}),
        bundled_factors(),
        member_codes=MEMBERS,
        levels=levels,
        hours=HOURS,
    )
    a = result.of(A)
    # 10,500 m² − 100 × 12 − 50 × 16 = 8,500 m² still open: ⌈8,500 / 12⌉ = 709 tents.
    assert a.line("family_tent").need == 50
    assert a.line("tent").need == 100 + 709
    assert a.line("tent").kept == 100
    assert a.line("tent").shortfall == 709
    assert a.line("family_tent").shortfall == 0


def test_own_need_is_kept_and_only_the_rest_is_surplus() -> None:
    levels = {B: {"drinking_water": 2_000_000}}
    result = compute_shortfall(
        scenario({A: 10_000, B: 10_000}),
        bundled_factors(),
        member_codes=MEMBERS,
        levels=levels,
        hours=HOURS,
    )
    b = result.of(B).line("drinking_water")
    assert (b.need, b.kept, b.shortfall, b.surplus) == (1_050_000, 1_050_000, 0, 950_000)
    a = result.of(A).line("drinking_water")
    assert a.covered == 950_000 and a.cover_hours == 1.0
    assert result.lacking["drinking_water"] == 100_000


def test_neighbours_cover_nearest_first() -> None:
    levels = {B: {"food_ration": 30_000}, C: {"food_ration": 100_000}}
    result = compute_shortfall(
        scenario({A: 10_000}),
        bundled_factors(),
        member_codes=MEMBERS,
        levels=levels,
        hours=HOURS,
    )
    line = result.of(A).line("food_ration")
    assert [(d.jurisdiction_code, d.quantity, d.hours) for d in line.donors] == [
        (B, 30_000, 1.0),
        (C, 40_000, 3.0),
    ]
    assert line.covered == 70_000
    # The last of it arrives from the farther donor.
    assert line.cover_hours == 3.0
    assert "food_ration" not in result.lacking


def test_region_lacks_what_all_members_together_do_not_hold() -> None:
    levels = {B: {"portable_toilet": 100}, C: {"portable_toilet": 20}}
    result = compute_shortfall(
        scenario({A: 10_000}),
        bundled_factors(),
        member_codes=MEMBERS,
        levels=levels,
        hours=HOURS,
        stale_codes={C},
    )
    assert result.lacking["portable_toilet"] == 30
    assert result.lacking["tent"] == 875
    region = {line.item_code: line for line in result.region}
    assert (region["portable_toilet"].need, region["portable_toilet"].stock) == (150, 120)
    assert result.stale_codes == (C,)
    assert result.of(C).stale and not result.of(B).stale


@pytest.mark.parametrize(
    ("people", "share", "days", "key"),
    [
        ({A: -1}, 0.3, 7, "people-invalid"),
        ({A: math.nan}, 0.3, 7, "people-invalid"),
        ({A: math.inf}, 0.3, 7, "people-invalid"),
        ({A: 1.5}, 0.3, 7, "people-invalid"),
        ({A: 100}, 1.2, 7, "displaced-share-invalid"),
        ({A: 100}, math.nan, 7, "displaced-share-invalid"),
        ({A: 100}, 0.3, 0, "days-invalid"),
        ({A: 100}, 0.3, 10_000, "days-invalid"),
        ({"999999": 100}, 0.3, 7, "not-a-member"),
    ],
)
def test_bad_scenarios_are_refused(people, share, days, key) -> None:
    with pytest.raises(InvalidInput) as refused:
        check_scenario(people, displaced_share=share, days=days, member_codes=MEMBERS)
    assert refused.value.key == key
