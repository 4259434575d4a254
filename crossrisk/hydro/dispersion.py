"""The longitudinal dispersion coefficient of a river reach, from its geometry.

Once a substance is mixed over the cross-section, the differences of velocity across the
section spread it along the river far faster than turbulence alone would (Taylor's shear
dispersion). No formula predicts the coefficient well; two are standard:

- Fischer, List, Koh, Imberger & Brooks (1979), *Mixing in Inland and Coastal Waters*,
  Academic Press, eq. 5.19:  D = 0.011 U² W² / (H u*).
- Seo & Cheong (1998), "Predicting longitudinal dispersion coefficient in natural
  streams", *J. Hydraulic Engineering* 124(1), 25–32, fitted on 59 measurements in 26
  US rivers:  D = 5.915 H u* (W/H)^0.620 (U/u*)^1.428.

Fischer's estimate is known to run several times too high on wide rivers, and a
coefficient too high spreads the cloud and lowers its peak, which would warn a city too
little. The network model therefore takes the lower of the two; both are here so that a
reach can be checked against either.

u* is the shear velocity √(g R S); for a channel much wider than deep the hydraulic
radius R is the depth H.
"""

from __future__ import annotations

import math

from crossrisk.domain.errors import InvalidInput

GRAVITY_M_S2 = 9.80665


def shear_velocity(depth_m: float, slope: float) -> float:
    """u* = √(g H S) in m/s, for a wide channel of mean depth H and slope S."""
    _positive(depth_m=depth_m, slope=slope)
    return math.sqrt(GRAVITY_M_S2 * depth_m * slope)


def fischer(width_m: float, depth_m: float, velocity_m_s: float, shear_m_s: float) -> float:
    """Fischer et al. (1979) eq. 5.19, in m²/s."""
    _positive(width_m=width_m, depth_m=depth_m, velocity_m_s=velocity_m_s, shear_m_s=shear_m_s)
    return 0.011 * velocity_m_s**2 * width_m**2 / (depth_m * shear_m_s)


def seo_cheong(width_m: float, depth_m: float, velocity_m_s: float, shear_m_s: float) -> float:
    """Seo & Cheong (1998), in m²/s."""
    _positive(width_m=width_m, depth_m=depth_m, velocity_m_s=velocity_m_s, shear_m_s=shear_m_s)
    return float(
        5.915
        * depth_m
        * shear_m_s
        * (width_m / depth_m) ** 0.620
        * (velocity_m_s / shear_m_s) ** 1.428
    )


def reach_dispersion(width_m: float, depth_m: float, velocity_m_s: float, slope: float) -> float:
    """The dispersion coefficient the network model uses: the lower of the two, in m²/s."""
    shear = shear_velocity(depth_m, slope)
    return min(
        fischer(width_m, depth_m, velocity_m_s, shear),
        seo_cheong(width_m, depth_m, velocity_m_s, shear),
    )


def _positive(**values: float) -> None:
    for name, value in values.items():
        if not (math.isfinite(value) and value > 0):
            raise InvalidInput(f"{name} must be a positive number; got {value}")
