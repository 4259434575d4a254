"""Muskingum–Cunge and the chain router: conservation, attenuation, lag, steadiness, speed."""

from __future__ import annotations

import math
import time

import numpy as np
import pytest

from crossrisk.domain.errors import InvalidInput
from crossrisk.hydro.flood_routing import FloatArray, Storage, Stretch, route_chain, route_stretch
from crossrisk.hydro.muskingum import coefficients, muskingum
from crossrisk.hydro.muskingum_cunge import cunge, sub_steps
from crossrisk.hydro.storage_routing import linear_reservoir, modified_puls

STEP = 900.0  # 15 minutes
TIMES = np.arange(960, dtype=np.float64) * STEP  # ten days


def flood(peak: float = 2_000.0, base: float = 200.0, at_h: float = 36.0) -> FloatArray:
    return base + (peak - base) * np.exp(-(((TIMES - at_h * 3_600.0) / (12 * 3_600.0)) ** 2))


def test_cunge_k_and_x_give_ponces_routing_coefficients() -> None:
    """Ponce's form of the Muskingum–Cunge coefficients in the Courant number C and the
    cell Reynolds number D (Ponce, "onlinerouting05: Muskingum–Cunge routing", San Diego
    State University online calculator): C0 = (−1 + C + D)/(1 + C + D),
    C1 = (1 + C − D)/(1 + C + D), C2 = (1 − C + D)/(1 + C + D)."""
    length, c, q, width, slope, step = 6_000.0, 2.0, 600.0, 150.0, 4e-4, 3_600.0
    k, x, pieces = cunge(length, c, q, width, slope, step)
    assert pieces == 1  # ½(c·Δt + q/(S₀c)) = ½(7200 + 5000) m ≥ 6 km: one reach.
    assert k == pytest.approx(length / c)
    courant = c * step / length
    cell = q / (width * slope * c * length)
    assert x == pytest.approx(0.5 * (1 - cell))
    ponce = np.array([-1 + courant + cell, 1 + courant - cell, 1 - courant + cell])
    assert coefficients(k, x, step) == pytest.approx(ponce / (1 + courant + cell))


def test_cunge_cuts_a_long_reach_by_ponce_and_theurers_criterion() -> None:
    # Δx ≤ ½(c·Δt + Q/(B·S₀·c)) = ½(1.5·900 + 500/(200·2e-4·1.5)) = 4841.67 m.
    k, x, pieces = cunge(50_000.0, 1.5, 500.0, 200.0, 2e-4, STEP)
    assert pieces == math.ceil(50_000.0 / 4_841.666)
    assert k == pytest.approx(50_000.0 / pieces / 1.5)
    # D = 8333/4545 > 1 would make X negative: it is clamped at 0.
    assert x == 0.0


def test_a_reach_shorter_than_a_step_of_travel_is_routed_on_sub_steps() -> None:
    k, x, pieces = cunge(300.0, 1.5, 500.0, 200.0, 2e-4, STEP)
    assert pieces == 1
    steps = sub_steps(k, x, STEP)
    assert steps > 1
    c0, c1, c2 = coefficients(k, x, STEP / steps)  # stable: no refusal
    assert min(c0, c1, c2) >= 0
    routed = route_stretch(flood(), STEP, Stretch(300.0, 1.5, 500.0, 200.0, 2e-4))
    assert np.max(np.abs(routed - flood())) < 0.01 * flood().max()


def test_the_frequency_domain_cascade_equals_routing_sub_reach_by_sub_reach() -> None:
    # An hourly step on a steep river, where Cunge's X stays above 0.
    stretch = Stretch(80_000.0, 1.2, 800.0, 300.0, 1e-3)
    k, x, pieces = cunge(80_000.0, 1.2, 800.0, 300.0, 1e-3, 3_600.0)
    assert pieces > 5 and x > 0
    inflow = flood()[::4]
    expected = inflow.tolist()
    for _ in range(pieces):
        expected = muskingum(expected, k=k, x=x, dt=3_600.0)
    assert route_stretch(inflow, 3_600.0, stretch) == pytest.approx(expected, rel=1e-9)


def test_a_reach_conserves_volume_attenuates_and_delays_the_peak() -> None:
    # A triangular flood from and back to a base of 200 m³/s, peak 2000 at 36 h.
    inflow = 200.0 + np.interp(TIMES / 3_600.0, [12.0, 36.0, 72.0], [0.0, 1_800.0, 0.0])
    outflow = route_stretch(inflow, STEP, Stretch(150_000.0, 1.5, 1_000.0, 300.0, 1e-4))
    assert np.sum(outflow - 200.0) == pytest.approx(np.sum(inflow - 200.0), rel=1e-6)
    assert outflow.max() < inflow.max()
    lag_h = (int(np.argmax(outflow)) - int(np.argmax(inflow))) * STEP / 3_600.0
    # The peak travels at about the celerity: 150 km at 1.5 m/s is 27.8 h.
    assert lag_h == pytest.approx(150_000.0 / 1.5 / 3_600.0, rel=0.1)


def test_a_chain_passes_a_steady_flow_unchanged_and_adds_its_tributaries() -> None:
    elements: list[Stretch | Storage] = [
        Stretch(40_000.0, 1.5, 500.0, 200.0, 2e-4),
        Storage(linear_k_s=86_400.0),
        Storage(table=((0.0, 0.0), (1e7, 300.0), (5e7, 2_000.0))),
        Stretch(10_000.0, 2.0, 700.0, 250.0, 5e-4, x=0.3),
    ]
    outflows = route_chain(np.full(100, 400.0), STEP, elements, [0.0, 50.0, 0.0, 25.0])
    assert [float(o[0]) for o in outflows] == [400.0, 450.0, 450.0, 475.0]
    for o, level in zip(outflows, (400.0, 450.0, 450.0, 475.0), strict=True):
        assert o == pytest.approx(np.full(100, level), rel=1e-12)


def test_a_chain_routes_storages_as_their_own_routings_do() -> None:
    inflow = flood()
    table = ((0.0, 0.0), (2e7, 500.0), (6e7, 1_500.0), (1.5e8, 4_000.0))
    linear, puls = route_chain(
        inflow, STEP, [Storage(linear_k_s=20 * 3_600.0), Storage(table=table)]
    )
    assert linear == pytest.approx(linear_reservoir(inflow, STEP, 20 * 3_600.0), rel=1e-12)
    volumes, rates = zip(*table, strict=True)
    assert puls == pytest.approx(modified_puls(linear, STEP, volumes, rates), rel=1e-12)


def test_twenty_elements_over_ten_days_at_fifteen_minutes_take_well_under_10_ms() -> None:
    elements: list[Stretch | Storage] = []
    for i in range(10):
        elements.append(Stretch(30_000.0 + 5_000 * i, 1.5, 800.0, 250.0, 2e-4))
        elements.append(
            Storage(linear_k_s=6 * 3_600.0)
            if i % 3
            else Storage(table=((0.0, 0.0), (1e7, 200.0), (5e7, 1_000.0), (2e8, 5_000.0)))
        )
    inflow = flood()
    route_chain(inflow, STEP, elements)
    best = math.inf
    for _ in range(5):
        start = time.perf_counter()
        outflows = route_chain(inflow, STEP, elements)
        best = min(best, time.perf_counter() - start)
    assert len(outflows) == 20 and all(o.size == inflow.size for o in outflows)
    assert best < 0.010, f"{best * 1000:.2f} ms"


def test_bad_chains_are_refused() -> None:
    with pytest.raises(InvalidInput):
        route_chain(flood(), STEP, [Storage()])
    with pytest.raises(InvalidInput):
        route_chain(flood(), STEP, [Storage(linear_k_s=3_600.0)], [1.0, 2.0])
    with pytest.raises(InvalidInput):
        route_chain(flood(), STEP, [Stretch(1_000.0, 1.0, 10.0, 10.0, 1e-3, x=0.7)])
    with pytest.raises(InvalidInput):
        route_chain(flood(), STEP, [Stretch(-1.0, 1.0, 10.0, 10.0, 1e-3)])
    with pytest.raises(InvalidInput):
        route_chain(flood(), STEP, [Storage(table=((0.0, 0.0), (1.0, 0.0)))])
