"""The completely mixed volume: closed form, its driven recursion, the residence time."""

from __future__ import annotations

import math

import numpy as np
import pytest

from crossrisk.domain.errors import InvalidInput
from crossrisk.hydro.mixed_volume import driven, instantaneous

# Qiandao Lake's order of magnitude: 1.78·10¹⁰ m³ (as cited in issue 13), 300 m³/s.
V, Q = 1.78e10, 300.0


def test_after_one_residence_time_a_conservative_mass_is_down_to_one_e_th() -> None:
    residence = V / Q
    c = instantaneous(20_000.0, V, Q, 0.0, np.array([0.0, residence]))
    assert c[0] == pytest.approx(20_000.0 / V * 1_000.0)
    assert c[1] / c[0] == pytest.approx(math.exp(-1.0), rel=1e-12)


def test_the_driven_recursion_of_a_pulse_follows_the_closed_form() -> None:
    step, v, q, k = 3_600.0, 5e7, 50.0, 0.3
    masses = np.zeros(400)
    masses[0] = 1_000.0
    recursive = driven(masses, step, v, q, k)
    rate = q / v + k / 86_400.0
    # The pulse enters evenly over the first step: (1 − e^(−rΔt))/(rΔt) of it is left then.
    first = 1_000.0 / v * (1 - math.exp(-rate * step)) / (rate * step) * 1_000.0
    t = np.arange(400, dtype=np.float64) * step
    assert recursive == pytest.approx(first * np.exp(-rate * t), rel=1e-10)
    # and, for a step short against the residence time, the instantaneous solution.
    closed = instantaneous(1_000.0, v, q, k, t + step)
    assert recursive == pytest.approx(closed, rel=0.01)


def test_a_steady_load_reaches_the_steady_concentration() -> None:
    step, v, q = 86_400.0, 1e8, 100.0
    load = 2.0  # kg/s
    c = driven(np.full(2_000, load * step), step, v, q, 0.0)
    assert c[-1] == pytest.approx(load / q * 1_000.0, rel=1e-6)


@pytest.mark.parametrize(("volume", "outflow"), [(0.0, 1.0), (-1.0, 1.0), (1.0, -1.0)])
def test_a_volume_without_water_is_refused(volume: float, outflow: float) -> None:
    with pytest.raises(InvalidInput):
        instantaneous(1.0, volume, outflow, 0.0, 0.0)
