"""A spill carried down the network: closed form on one reach, dilution, lakes, releases."""

from __future__ import annotations

import numpy as np
import pytest

from crossrisk.geo.river_path import downstream_path
from crossrisk.geo.river_spill import (
    RIVERINE_ZONE_KM,
    Release,
    spill_sections,
    time_over,
)
from crossrisk.hydro import advection_dispersion as ade
from crossrisk.hydro.dispersion import reach_dispersion
from tests.geo.river_fixtures import LAT, channel, straight_network

DAY_S = 86_400.0


def release(**given: object) -> Release:
    values: dict[str, object] = {
        "mass_kg": 1000.0,
        "release_s": 0.0,
        "horizon_s": 20 * DAY_S,
        "decay_at": lambda depth: 0.0,
        "limit_mg_l": 0.01,
        "source_fraction": 0.01,
    }
    values.update(given)
    return Release(**values)  # type: ignore[arg-type]


def one_reach() -> tuple[object, object]:
    network = straight_network([("a", 118.0, 120.0)], {"edges": {"a": channel(400.0)}})
    return network, downstream_path(network, network.snap((118.0, LAT)))


def test_on_one_uniform_reach_the_curve_is_the_closed_form_solution() -> None:
    network, path = one_reach()
    run = spill_sections(network, path, release(), [50.0])  # type: ignore[arg-type]
    curve = run.sections[0]
    row = channel(400.0)
    d = reach_dispersion(row["width_m"], row["depth_m"], row["velocity_m_s"], row["slope"])
    expected = ade.instantaneous(
        1000.0, 800.0, row["velocity_m_s"], d, 0.0, 50_000.0, curve.hours * 3600.0
    )
    assert np.allclose(curve.values, expected, rtol=1e-9, atol=1e-15)
    # The window holds the whole passage: the peak lies inside, near x/U.
    peak_hours, peak = curve.peak
    assert peak == pytest.approx(expected.max())
    assert peak_hours == pytest.approx(50_000.0 / row["velocity_m_s"] / 3600.0, rel=0.02)


def test_mass_passing_each_section_is_the_mass_released() -> None:
    network, path = one_reach()
    run = spill_sections(network, path, release(), [20.0, 120.0])  # type: ignore[arg-type]
    for curve in run.sections:
        grams = np.trapezoid(curve.values, curve.hours * 3600.0) * 400.0
        assert grams / 1000.0 == pytest.approx(1000.0, rel=1e-3)


def test_decay_takes_its_share_over_the_travel_time() -> None:
    network, path = one_reach()
    kept = spill_sections(network, path, release(), [100.0]).sections[0]  # type: ignore[arg-type]
    decayed = spill_sections(  # type: ignore[arg-type]
        network, path, release(decay_at=lambda depth: 0.5), [100.0]
    ).sections[0]
    travel_days = 100_000.0 / channel(400.0)["velocity_m_s"] / DAY_S
    assert decayed.peak[1] / kept.peak[1] == pytest.approx(np.exp(-0.5 * travel_days), rel=0.02)


def test_a_tributary_dilutes_by_the_discharges_that_meet() -> None:
    # Below the junction the river carries twice the flow: the same mass passes in twice
    # the water, so what a section sees integrates to the mass over the larger discharge.
    hydraulics = {"edges": {"a": channel(400.0), "b": channel(800.0, width=400.0)}}
    network = straight_network([("a", 118.0, 119.0), ("b", 119.0, 120.0)], hydraulics)
    path = downstream_path(network, network.snap((118.0, LAT)))
    junction = path.spans[1].start_km
    above, below = spill_sections(
        network, path, release(), [junction - 1.0, junction + 40.0]
    ).sections
    for curve, discharge in ((above, 400.0), (below, 800.0)):
        grams = np.trapezoid(curve.values, curve.hours * 3600.0) * discharge
        assert grams / 1000.0 == pytest.approx(1000.0, rel=1e-3)
    assert below.peak[1] < 0.5 * above.peak[1]


def lake_network() -> object:
    hydraulics = {
        "edges": {"a": channel(300.0), "lake": channel(300.0), "b": channel(300.0)},
        "lakes": {
            "big": {
                "edge": "lake",
                "volume_m3": 1.0e10,
                "area_km2": 400.0,
                "outflow_m3_s": 300.0,
            }
        },
    }
    return straight_network(
        [("a", 118.0, 118.5), ("lake", 118.5, 119.0), ("b", 119.0, 119.5)], hydraulics
    )


def test_a_lake_dilutes_a_spill_into_its_whole_volume() -> None:
    network = lake_network()
    path = downstream_path(network, network.snap((118.0, LAT)))  # type: ignore[attr-defined]
    lake_span = path.spans[1]
    inside = lake_span.start_km + RIVERINE_ZONE_KM + 10.0
    below = path.spans[2].start_km + 10.0
    run = spill_sections(  # type: ignore[arg-type]
        network, path, release(mass_kg=20_000.0), [inside, below]
    )
    in_lake, under_dam = run.sections
    assert in_lake.lake is not None and in_lake.lake.key == "big"
    mixed = 20_000.0 / 1.0e10 * 1000.0  # mg/L with the whole mass mixed in
    assert in_lake.peak[1] == pytest.approx(mixed, rel=0.01)
    # Below the dam the mixed water flows on, barely less over 20 days of a 1-year lake.
    assert under_dam.lake is None
    assert under_dam.peak[1] == pytest.approx(mixed, rel=0.1)
    # Nowhere near the limit below the dam, while the river above it far exceeds it.
    assert under_dam.over(0.01) == (None, 0.0)


def test_the_lakes_inflow_zone_sees_the_river_coming_in() -> None:
    network = lake_network()
    path = downstream_path(network, network.snap((118.0, LAT)))  # type: ignore[attr-defined]
    inlet = path.spans[1].start_km
    run = spill_sections(  # type: ignore[arg-type]
        network, path, release(mass_kg=20_000.0), [inlet - 0.5, inlet + 1.0]
    )
    above, tail = run.sections
    assert tail.lake is not None
    assert tail.peak[1] == pytest.approx(above.peak[1], rel=0.05)


def test_a_release_over_hours_lowers_the_peak_and_keeps_the_mass() -> None:
    network, path = one_reach()
    sudden = spill_sections(network, path, release(), [30.0]).sections[0]  # type: ignore[arg-type]
    slow = spill_sections(  # type: ignore[arg-type]
        network, path, release(release_s=12 * 3600.0), [30.0]
    ).sections[0]
    assert slow.peak[1] < 0.7 * sudden.peak[1]
    grams = np.trapezoid(slow.values, slow.hours * 3600.0) * 400.0
    assert grams / 1000.0 == pytest.approx(1000.0, rel=1e-3)


def test_without_a_mass_curves_are_shares_of_the_source() -> None:
    network, path = one_reach()
    run = spill_sections(network, path, release(mass_kg=None), [60.0])  # type: ignore[arg-type]
    assert run.relative
    assert run.source.peak[1] == pytest.approx(1.0)
    assert 0 < run.sections[0].peak[1] < 1
    assert run.threshold == 0.01


def test_time_over_interpolates_the_crossings() -> None:
    hours = np.array([0.0, 1.0, 2.0, 3.0, 4.0])
    values = np.array([0.0, 2.0, 4.0, 2.0, 0.0])
    first, total = time_over(hours, values, 1.0)
    assert first == pytest.approx(0.5)
    assert total == pytest.approx(3.0)
    assert time_over(hours, values, 5.0) == (None, 0.0)


@pytest.mark.parametrize("release_s", [0.0, 6 * 3600.0])
def test_a_spill_into_a_lake_mixes_into_its_volume_at_once(release_s: float) -> None:
    network = lake_network()
    path = downstream_path(network, network.snap((118.7, LAT)))  # type: ignore[attr-defined]
    assert network.lake(path.spans[0].edge) is not None  # type: ignore[attr-defined]
    run = spill_sections(  # type: ignore[arg-type]
        network, path, release(mass_kg=20_000.0, release_s=release_s), [2.0]
    )
    mixed = 20_000.0 / 1.0e10 * 1000.0
    assert run.source.peak[1] == pytest.approx(mixed, rel=0.01)
    assert run.sections[0].peak[1] == pytest.approx(mixed, rel=0.01)
    assert not run.sections[0].riverine
