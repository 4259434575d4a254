"""How far below a spill the river is mixed across its width: where the 1-D model holds.

The advection–dispersion model (advection_dispersion.py) takes the substance as mixed
over the cross-section from the source. It is not: a release at a bank spreads across
the river by turbulence, with the transverse mixing coefficient ε_t ≈ 0.6 H u* (±50 %,
Fischer, List, Koh, Imberger & Brooks 1979, *Mixing in Inland and Coastal Waters*,
Academic Press, §5.1), and is mixed over the width W only about

    L ≈ 0.4 U W² / ε_t          (a release at one bank; 0.1 U W² / ε_t at the centre)

downstream (Fischer et al. 1979, §5.1). Above L, the concentration along the spill's bank
is higher than the cross-sectional mean the model gives, and lower across the river.
"""

from __future__ import annotations

import math

from crossrisk.domain.errors import InvalidInput

# Fischer et al. (1979), §5.1: the transverse mixing coefficient over H·u*, and the
# distance to mixing across the width for a release at a bank and at the centre line.
TRANSVERSE_COEFFICIENT = 0.6
BANK_RELEASE = 0.4
CENTRE_RELEASE = 0.1


def transverse_mixing(depth_m: float, shear_m_s: float) -> float:
    """ε_t = 0.6 H u*, in m²/s."""
    _positive(depth_m=depth_m, shear_m_s=shear_m_s)
    return TRANSVERSE_COEFFICIENT * depth_m * shear_m_s


def mixing_length(
    width_m: float,
    depth_m: float,
    velocity_m_s: float,
    shear_m_s: float,
    *,
    at_bank: bool = True,
) -> float:
    """Distance in m below a release beyond which it is mixed across the river."""
    _positive(width_m=width_m, velocity_m_s=velocity_m_s)
    coefficient = BANK_RELEASE if at_bank else CENTRE_RELEASE
    return coefficient * velocity_m_s * width_m**2 / transverse_mixing(depth_m, shear_m_s)


def _positive(**values: float) -> None:
    for name, value in values.items():
        if not (math.isfinite(value) and value > 0):
            raise InvalidInput(f"{name} must be a positive number; got {value}")
