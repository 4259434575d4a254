"""The advection–dispersion kernel against the limits its closed form must reduce to."""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy.integrate import quad

from crossrisk.hydro.advection_dispersion import (
    SECONDS_PER_DAY,
    equivalent_reach,
    instantaneous,
    passed_fraction,
    released,
)

M, A, U, D, X = 10_000.0, 800.0, 0.6, 120.0, 30_000.0


def flux_integral(decay_per_day: float) -> float:
    """∫ C·Q dt at the section, in kg (C in mg/L = g/m³)."""

    def flux(t: float) -> float:
        return float(instantaneous(M, A, U, D, decay_per_day, X, t)) * U * A / 1_000.0

    centre = X / U
    total, _ = quad(flux, 0.0, 20 * centre, points=[centre], limit=400, epsabs=1e-9)
    return float(total)


def test_without_decay_the_whole_mass_passes_each_section() -> None:
    # ∫₀^∞ exp(−(x − Ut)²/4Dt)/√(4πDt) dt = 1/U for x > 0, so ∫ C·U·A dt = M exactly.
    assert flux_integral(0.0) == pytest.approx(M, rel=1e-6)
    assert float(passed_fraction(U, D, 0.0, X, 50 * X / U)) == pytest.approx(1.0, abs=1e-9)


def test_with_decay_the_passed_mass_is_the_tilted_closed_form() -> None:
    # With k: ∫ C·U·A dt = M·(U/U')·exp((U − U')x/2D), U' = √(U² + 4kD).
    k = 0.5
    tilted = math.sqrt(U**2 + 4 * k / SECONDS_PER_DAY * D)
    expected = M * U / tilted * math.exp((U - tilted) * X / (2 * D))
    assert flux_integral(k) == pytest.approx(expected, rel=1e-6)
    # Nearly e^(−k·x/U) when dispersion is small against advection.
    assert expected == pytest.approx(M * math.exp(-k * X / U / SECONDS_PER_DAY), rel=0.01)


def test_decay_multiplies_the_solution_by_exp_minus_kt() -> None:
    t = np.linspace(3_600.0, 3 * 86_400.0, 50)
    ratio = instantaneous(M, A, U, D, 0.8, X, t) / instantaneous(M, A, U, D, 0.0, X, t)
    assert ratio == pytest.approx(np.exp(-0.8 * t / SECONDS_PER_DAY), rel=1e-12)


def test_as_dispersion_vanishes_the_cloud_moves_by_pure_advection() -> None:
    t = np.arange(40_000.0, 60_000.0, 10.0)
    for d in (1.0, 0.01):
        c = instantaneous(M, A, U, d, 0.0, X, t)
        assert t[int(np.argmax(c))] == pytest.approx(X / U, abs=20.0)
    # and the cloud's spread in time, √(2Dx/U³), shrinks with √D.
    wide = instantaneous(M, A, U, 1.0, 0.0, X, t)
    narrow = instantaneous(M, A, U, 0.01, 0.0, X, t)
    assert narrow.max() / wide.max() == pytest.approx(10.0, rel=0.01)


def test_a_short_release_equals_one_instantaneous_release() -> None:
    t = np.linspace(10_000.0, 100_000.0, 200)
    single = instantaneous(M, A, U, D, 0.2, X, t)
    # The difference shrinks with the release's duration T (of order T/σ_t, σ_t ≈ 5800 s).
    for duration, tolerance in ((600.0, 0.05), (60.0, 0.005), (6.0, 0.0005)):
        spread = released(M, duration, A, U, D, 0.2, X, t)
        assert np.max(np.abs(spread - single)) < tolerance * single.max()
    # A long release lowers and delays the peak but passes the same mass.
    long = released(M, 6 * 3_600.0, A, U, D, 0.0, X, np.linspace(1.0, 300_000.0, 30_000))
    short = instantaneous(M, A, U, D, 0.0, X, np.linspace(1.0, 300_000.0, 30_000))
    assert long.max() < short.max()
    assert long.sum() == pytest.approx(short.sum(), rel=1e-6)


def test_equivalent_reach_of_one_uniform_reach_is_that_reach() -> None:
    travel = X / U
    variance = 2 * D * X / U**3
    u, d = equivalent_reach(X, travel, variance)
    assert float(u) == pytest.approx(U, rel=1e-15)
    assert float(d) == pytest.approx(D, rel=1e-14)


def test_nothing_arrives_before_the_release() -> None:
    assert instantaneous(M, A, U, D, 0.0, X, np.array([-10.0, 0.0])).tolist() == [0.0, 0.0]
