"""The common reach of each model, and when it leaves the region."""

from __future__ import annotations

import pytest
import shapely
from shapely.geometry import Point, box, shape

from crossrisk.domain.propagation import assessment_parameters
from crossrisk.domain.reach import Pathway, PopulationBasis
from crossrisk.geo.bundled import bundled_region_geo
from crossrisk.geo.reach import compute_reach
from crossrisk.geo.region_geo import RegionGeo


@pytest.fixture(scope="module")
def geo() -> RegionGeo:
    bundled = bundled_region_geo("yrd")
    # Land west of Huangshan and Anqing that no member holds (Jiangxi, roughly).
    west = box(113.0, 27.5, 118.3, 30.2).difference(shapely.union_all(bundled.index.boundaries))
    return RegionGeo(
        code="yrd",
        index=bundled.index,
        populations=bundled.populations,
        label_points=bundled.label_points,
        names=bundled.names,
        rivers=None,
        surroundings=[west],
    )


def plume(geo: RegionGeo, where: tuple[float, float], wind_from: float):
    parameters = assessment_parameters(
        Pathway.PLUME,
        {
            "wind_from_deg": wind_from,
            "emission_g_s": 20000,
            "stability": "F",
            "threshold_g_m3": 1e-4,
        },
    )
    return compute_reach(Pathway.PLUME, Point(where), parameters, geo)


def test_plume_into_neighbouring_land_leaves_the_region(geo: RegionGeo) -> None:
    # Near Huangshan's western border, the wind from the east carries it into the land beyond.
    assert plume(geo, (117.95, 29.75), wind_from=90).leaves_region


def test_plume_out_to_sea_stays_in_the_region(geo: RegionGeo) -> None:
    # Shanghai's coast, wind from the west: the plume goes over the East China Sea.
    reach = plume(geo, (121.85, 31.05), wind_from=270)
    assert reach.footprint is not None
    assert not geo.index.extent.covers(shape(reach.footprint))  # it is over the sea
    assert not reach.leaves_region


def test_area_hazard_over_the_border_leaves_the_region(geo: RegionGeo) -> None:
    parameters = assessment_parameters(Pathway.OVERLAY, {"radius_km": 30})
    inside = compute_reach(Pathway.OVERLAY, Point(118.6, 30.0), parameters, geo)
    across = compute_reach(Pathway.OVERLAY, Point(117.45, 29.55), parameters, geo)
    assert not inside.leaves_region
    assert across.leaves_region


def test_overlay_intensity_is_the_share_exposed(geo: RegionGeo) -> None:
    parameters = assessment_parameters(Pathway.OVERLAY, {"radius_km": 10})
    reach = compute_reach(Pathway.OVERLAY, Point(118.32, 29.71), parameters, geo)
    huangshan = reach.entry("341000")
    assert huangshan is not None
    assert 0 < huangshan.intensity < 1
    assert huangshan.exposed_population == round(1_330_565 * huangshan.intensity)


def test_overlay_exposes_people_by_the_share_of_the_city_it_covers(geo: RegionGeo) -> None:
    # By hand: a 10 km circle covers π × 10² = 314.2 km² of Huangshan's 9,673 km² (its
    # bundled boundary, measured on the ellipsoid; the official figure is 9,807 km²), 3.248 %;
    # 3.248 % of its 1,330,565 people is 43,218. The circle is a polygon, a little smaller.
    parameters = assessment_parameters(Pathway.OVERLAY, {"radius_km": 10})
    reach = compute_reach(Pathway.OVERLAY, Point(118.32, 29.71), parameters, geo)
    huangshan = reach.entry("341000")
    assert huangshan is not None
    assert huangshan.population_basis is PopulationBasis.AREA_SHARE
    assert huangshan.population_upper_bound is None
    assert huangshan.exposed_population == pytest.approx(43_218, rel=0.01)


def test_plume_exposes_people_by_area_share_too(geo: RegionGeo) -> None:
    reach = plume(geo, (117.95, 29.75), wind_from=90)
    assert reach.entries
    for entry in reach.entries:
        assert entry.population_basis is PopulationBasis.AREA_SHARE
        share = entry.detail["area_share"]
        population = geo.populations[entry.jurisdiction_code]
        assert population is not None
        assert entry.exposed_population == pytest.approx(
            population * share, abs=1 + population * 1e-6
        )


def test_an_epidemic_exposes_the_people_it_is_expected_to_infect(geo: RegionGeo) -> None:
    parameters = assessment_parameters(Pathway.MOBILITY, {"days": 60})
    reach = compute_reach(Pathway.MOBILITY, Point(118.32, 29.71), parameters, geo)
    huangshan = reach.entry("341000")
    assert huangshan is not None
    assert huangshan.population_basis is PopulationBasis.INFECTIONS
    assert 0 < (huangshan.exposed_population or 0) <= 1_330_565
