"""Dispersion coefficients and the mixing length: the published formulas, evaluated."""

from __future__ import annotations

import math

import pytest

from crossrisk.domain.errors import InvalidInput
from crossrisk.hydro.dispersion import (
    GRAVITY_M_S2,
    fischer,
    reach_dispersion,
    seo_cheong,
    shear_velocity,
)
from crossrisk.hydro.mixing import mixing_length, transverse_mixing

# A wide lowland river, values chosen for the test (not a measured river).
W, H, U, S = 300.0, 5.0, 0.8, 1e-4


def test_shear_velocity_is_root_g_h_s() -> None:
    assert shear_velocity(H, S) == pytest.approx(math.sqrt(GRAVITY_M_S2 * H * S))


def test_the_two_formulas_and_the_lower_of_them() -> None:
    u_star = shear_velocity(H, S)
    expected_fischer = 0.011 * U**2 * W**2 / (H * u_star)
    expected_seo = 5.915 * H * u_star * (W / H) ** 0.620 * (U / u_star) ** 1.428
    assert fischer(W, H, U, u_star) == pytest.approx(expected_fischer)
    assert seo_cheong(W, H, U, u_star) == pytest.approx(expected_seo)
    # Fischer's runs higher on a wide river; the model takes the lower.
    assert expected_fischer > expected_seo
    assert reach_dispersion(W, H, U, S) == pytest.approx(expected_seo)


def test_a_bank_release_on_a_wide_river_mixes_only_tens_of_kilometres_down() -> None:
    u_star = shear_velocity(H, S)
    assert transverse_mixing(H, u_star) == pytest.approx(0.6 * H * u_star)
    bank = mixing_length(W, H, U, u_star)
    assert bank == pytest.approx(0.4 * U * W**2 / (0.6 * H * u_star))
    assert 50_000 < bank < 300_000
    assert mixing_length(W, H, U, u_star, at_bank=False) == pytest.approx(bank / 4)


@pytest.mark.parametrize("bad", [0.0, -1.0, math.nan, math.inf])
def test_non_positive_or_non_finite_geometry_is_refused(bad: float) -> None:
    with pytest.raises(InvalidInput):
        mixing_length(bad, H, U, 0.07)
    with pytest.raises(InvalidInput):
        fischer(W, bad, U, 0.07)
