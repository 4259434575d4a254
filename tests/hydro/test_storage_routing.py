"""Storage routing against a published table and the linear reservoir's closed form."""

from __future__ import annotations

import math

import numpy as np
import pytest

from crossrisk.domain.errors import InvalidInput
from crossrisk.hydro.muskingum import muskingum
from crossrisk.hydro.storage_routing import linear_reservoir, modified_puls

# Ponce, V. M., "onlinerouting02: Storage-indication reservoir routing (linear)", San Diego
# State University online calculator, worked example (run 070422): K = 2 h, Δt = 1 h,
# S = K·O; its printed table of inflow and outflow (m³/s, hours 0–25).
PONCE_INFLOW = [100, 150, 250, 400, 800, 1000, 900, 700, 550, 400, 300, 250, 200, 150, 120, 100]
PONCE_INFLOW += [100] * 10
PONCE_OUTFLOW = [
    100, 110, 146, 217.6, 370.56, 582.336, 729.402, 757.641, 704.585, 612.751, 507.65,
    414.59, 338.754, 273.252, 217.951, 174.771, 144.863, 126.918, 116.151, 109.69,
    105.814, 103.489, 102.093, 101.256, 100.754, 100.452,
]  # fmt: skip


def test_modified_puls_reproduces_ponces_storage_indication_table() -> None:
    k_h, step_h = 2.0, 1.0
    outflows = np.linspace(0.0, 2_000.0, 11)
    storages = k_h * 3_600.0 * outflows
    routed = modified_puls(PONCE_INFLOW, step_h * 3_600.0, storages, outflows)
    assert routed.size == len(PONCE_INFLOW)
    # Printed to three decimals: agree to half a unit of the last one.
    assert routed == pytest.approx(PONCE_OUTFLOW, abs=6e-4)


def test_linear_reservoir_is_exact_for_a_step_inflow() -> None:
    # O(t) = I·(1 − e^(−t/K)) from rest solves K dO/dt + O = I; a step inflow is constant,
    # so linear, within every routing step.
    k, step = 7_200.0, 600.0
    inflow = np.full(200, 50.0)
    routed = linear_reservoir(inflow, step, k, initial_outflow_m3_s=0.0)
    t = np.arange(200) * step
    assert routed == pytest.approx(50.0 * (1.0 - np.exp(-t / k)), rel=1e-12, abs=1e-12)


def test_linear_reservoir_is_exact_for_a_ramp_at_any_step() -> None:
    # I = a·t from rest: O = a·(t − K(1 − e^(−t/K))), also for a step far beyond 2K.
    k, a = 1_800.0, 0.01
    for step in (60.0, 10_000.0):
        t = np.arange(50) * step
        routed = linear_reservoir(a * t, step, k, initial_outflow_m3_s=0.0)
        assert routed == pytest.approx(a * (t - k * (1.0 - np.exp(-t / k))), rel=1e-10)
        assert np.all(routed >= 0)


def test_modified_puls_on_a_linear_table_is_muskingum_with_x_zero() -> None:
    # Storage indication on S = K·O is the trapezoidal rule, i.e. Muskingum with X = 0.
    k, step = 3.0, 1.0
    inflow = [20.0, 50, 120, 300, 240, 160, 90, 50, 30, 20, 20, 20]
    outflows = np.array([0.0, 500.0])
    routed = modified_puls(inflow, step, k * outflows, outflows)
    assert routed == pytest.approx(muskingum(inflow, k=k, x=0.0, dt=step), rel=1e-12)


def test_modified_puls_on_a_linear_table_approaches_the_exact_linear_reservoir() -> None:
    k = 10 * 3_600.0
    t = np.arange(0, 5 * 86_400.0, 600.0)
    inflow = 100 + 900 * np.exp(-(((t - 86_400.0) / 20_000.0) ** 2))
    table = np.array([0.0, 5_000.0])
    puls = modified_puls(inflow, 600.0, k * table, table)
    exact = linear_reservoir(inflow, 600.0, k)
    # The trapezoidal rule's error is of order (Δt/K)² ≈ 3·10⁻⁴ of the wave.
    assert np.max(np.abs(puls - exact)) < 1e-3 * inflow.max()


def test_routing_conserves_volume_and_attenuates_and_delays_the_peak() -> None:
    step = 3_600.0
    inflow = np.concatenate([np.linspace(0, 500, 6), np.linspace(500, 0, 12)[1:], np.zeros(300)])
    table_o = np.array([0.0, 100.0, 300.0, 800.0, 2_000.0])
    table_s = np.array([0.0, 1e6, 2.5e6, 5e6, 9e6])
    for routed in (
        linear_reservoir(inflow, step, 5 * 3_600.0),
        modified_puls(inflow, step, table_s, table_o),
    ):
        assert routed.sum() == pytest.approx(inflow.sum(), rel=1e-6)
        assert routed.max() < inflow.max()
        assert int(np.argmax(routed)) > int(np.argmax(inflow))


def test_modified_puls_extends_the_tables_last_line_above_its_top() -> None:
    # A steady flow over the table's top stays steady on the extended line.
    routed = modified_puls([300.0] * 10, 3_600.0, [0.0, 1e5, 3e5], [0.0, 50.0, 100.0])
    assert routed == pytest.approx([300.0] * 10)


def test_modified_puls_starts_at_a_given_initial_outflow() -> None:
    routed = modified_puls([0.0] * 30, 3_600.0, [0.0, 1e6], [0.0, 100.0], 80.0)
    assert routed[0] == 80.0
    assert np.all(np.diff(routed) < 0)
    assert routed[-1] >= 0


@pytest.mark.parametrize(
    ("storages", "outflows"),
    [
        ([0.0, 2.0, 1.0], [0.0, 1.0, 2.0]),
        ([0.0, 1.0, 2.0], [0.0, 1.0, 1.0]),
        ([0.0], [0.0]),
        ([0.0, math.inf], [0.0, 1.0]),
        ([-1.0, 1.0], [0.0, 1.0]),
    ],
)
def test_a_table_not_strictly_increasing_or_not_finite_is_refused(
    storages: list[float], outflows: list[float]
) -> None:
    with pytest.raises(InvalidInput):
        modified_puls([1.0, 2.0], 60.0, storages, outflows)


@pytest.mark.parametrize("inflow", [[], [1.0, math.nan], [1.0, -1.0], [1e30], [[1.0, 2.0]]])
def test_bad_inflows_are_refused(inflow: list[float]) -> None:
    with pytest.raises(InvalidInput):
        linear_reservoir(inflow, 60.0, 600.0)


@pytest.mark.parametrize(
    ("step", "k"), [(0.0, 1.0), (60.0, 0.0), (math.inf, 1.0), (60.0, math.nan)]
)
def test_bad_steps_and_time_constants_are_refused(step: float, k: float) -> None:
    with pytest.raises(InvalidInput):
        linear_reservoir([1.0, 2.0], step, k)
