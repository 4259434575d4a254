"""Muskingum–Cunge: Muskingum's K and X from a reach's hydraulics instead of a calibration.

Cunge (1969), "On the subject of a flood propagation computation method (Muskingum
method)", *J. Hydraulic Research* 7(2), 205–230, showed that the Muskingum scheme solves
the kinematic wave equation with a numerical diffusion of c·Δx·(½ − X), and that choosing

    K = Δx / c,        X = ½ (1 − Q / (B · S₀ · c · Δx))

makes that diffusion equal to the physical diffusion of the flood wave, Q / (2 B S₀)
(the diffusion wave; Ponce & Yevjevich 1978, "Muskingum–Cunge method with variable
parameters", *J. Hydraulics Division ASCE* 104(HY12), 1663–1667). c is the flood wave's
celerity, B the top width, S₀ the bed slope and Δx the length of one sub-reach.

The number of sub-reaches n, and so Δx = L/n:

1. accuracy: Ponce & Theurer (1982), "Accuracy criteria in diffusion routing",
   *J. Hydraulics Division ASCE* 108(HY6), 747–757, found the routed wave accurate while
   the coefficient of the new inflow stays at or above about ⅓, which is C + D ≥ 2 for
   the Courant number C = c·Δt/Δx and the cell Reynolds number D = Q/(B S₀ c Δx), i.e.

       Δx ≤ ½ (c·Δt + Q/(B S₀ c));

   a reach is cut into the fewest equal sub-reaches that meet it;
2. stability: all three routing coefficients must be ≥ 0, which is 2KX ≤ Δt ≤ 2K(1 − X)
   (Chow, Maidment & Mays 1988, *Applied Hydrology*, §8.4). C + D ≥ 2 gives the lower
   bound. Where C > 2(1 − X) (a reach shorter than the wave travels in a step), the
   router divides the step into m = ⌈C / 2(1 − X)⌉ equal sub-steps; if the sub-step's
   Courant number then falls below 2X, X is lowered to half of it, so no coefficient
   turns negative (a little more attenuation than Cunge's X, never an oscillation).

X is clamped to [0, ½]: a cell Reynolds number Q/(B S₀ c Δx) above 1 (a very flat,
diffusive river on short sub-reaches) gives X < 0, which would make storage fall as
inflow rises, and Muskingum's storage S = K[XI + (1 − X)O] is defined for 0 ≤ X ≤ ½
(Chow et al. 1988, §8.4). Clamping at 0 under-diffuses: the routed peak comes out higher
than the diffusion wave's, the side a warning should err on.
"""

from __future__ import annotations

import math

from crossrisk.domain.errors import InvalidInput
from crossrisk.hydro.muskingum import STABILITY_SLACK

# Bounds that no river reach on the network comes near; they keep a request finite.
MAX_LENGTH_M = 5_000_000.0
MAX_CELERITY_M_S = 50.0
MAX_WIDTH_M = 100_000.0
# More sub-reaches or sub-steps than this is a reach far finer than the step can use: the
# step, not the reach, is then wrong for this routing.
MAX_PIECES = 10_000


def cunge(
    length_m: float,
    celerity_m_s: float,
    discharge_m3_s: float,
    width_m: float,
    slope: float,
    step_s: float,
) -> tuple[float, float, int]:
    """(K of one sub-reach in s, its X, the number of sub-reaches) for a reach and a step."""
    _check(
        length_m=(length_m, MAX_LENGTH_M),
        celerity_m_s=(celerity_m_s, MAX_CELERITY_M_S),
        discharge_m3_s=(discharge_m3_s, 1e7),
        width_m=(width_m, MAX_WIDTH_M),
        slope=(slope, 1.0),
        step_s=(step_s, 366 * 86_400.0),
    )
    diffusion_length = discharge_m3_s / (width_m * slope * celerity_m_s)
    longest = 0.5 * (celerity_m_s * step_s + diffusion_length)
    pieces = max(1, math.ceil(length_m / longest * (1.0 - STABILITY_SLACK)))
    if pieces > MAX_PIECES:
        raise InvalidInput(
            f"a reach of {length_m:g} m needs over {MAX_PIECES} sub-reaches at a step of "
            f"{step_s:g} s; use a longer step"
        )
    sub_length = length_m / pieces
    k = sub_length / celerity_m_s
    cell_reynolds = diffusion_length / sub_length
    x = min(0.5, max(0.0, 0.5 * (1.0 - cell_reynolds)))
    return k, stable_x(k, x, step_s), pieces


def sub_steps(k_s: float, x: float, step_s: float) -> int:
    """Equal sub-steps a step is divided into so that Δt ≤ 2K(1 − X) holds on each."""
    courant = step_s / k_s
    upper = 2.0 * (1.0 - x)
    steps = max(1, math.ceil(courant / upper * (1.0 - STABILITY_SLACK)))
    if steps > MAX_PIECES:
        raise InvalidInput(
            f"a sub-reach with K = {k_s:g} s needs over {MAX_PIECES} sub-steps of a "
            f"{step_s:g} s step; use a shorter step"
        )
    return steps


def stable_x(k_s: float, x: float, step_s: float) -> float:
    """X, lowered where needed so that the sub-step keeps 2KX ≤ Δt (no negative C0)."""
    sub_step = step_s / sub_steps(k_s, x, step_s)
    return min(x, 0.5 * sub_step / k_s)


def _check(**values: tuple[float, float]) -> None:
    for name, (value, most) in values.items():
        if not (math.isfinite(value) and 0 < value <= most):
            raise InvalidInput(f"{name} must be a number over 0 and at most {most:g}; got {value}")
