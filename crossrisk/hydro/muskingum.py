"""Muskingum routing: how a flood wave or a pulse is delayed and flattened along a reach.

The ``k`` and ``dt`` may be in any time unit, as long as it is the same one.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from crossrisk.domain.errors import InvalidInput

# Stability bounds are compared with this relative slack, so that a sub-reach whose K is
# exactly on a bound (K = Δt / 2X after splitting) is not refused for a rounding error.
STABILITY_SLACK = 1e-9


def muskingum(
    inflow: Sequence[float],
    k: float,
    x: float,
    dt: float,
    initial_outflow: float | None = None,
) -> list[float]:
    """Route an inflow hydrograph through one Muskingum reach; outflow at the same times.

    ``k`` (storage constant) and ``dt`` (time step) are in the same time unit, ``x`` is
    the dimensionless weighting factor. Storage S = K[XI + (1 - X)O] and continuity give
    O[j+1] = C0 I[j+1] + C1 I[j] + C2 O[j]. The first outflow is ``initial_outflow``,
    or the first inflow (steady state) when not given.
    """
    c0, c1, c2 = coefficients(k, x, dt)
    values = [float(v) for v in inflow]
    if not all(math.isfinite(v) for v in values):
        raise InvalidInput("Muskingum inflow must be finite numbers")
    if not values:
        return []
    first = values[0] if initial_outflow is None else float(initial_outflow)
    if not math.isfinite(first):
        raise InvalidInput("Muskingum initial outflow must be a finite number")
    return route(values, c0, c1, c2, first)


def coefficients(k: float, x: float, dt: float) -> tuple[float, float, float]:
    """Muskingum C0, C1, C2 (summing to 1), or a refusal naming the violated bound."""
    if not (math.isfinite(k) and k > 0):
        raise InvalidInput(f"Muskingum K must be a positive number; got {k}")
    if not (math.isfinite(dt) and dt > 0):
        raise InvalidInput(f"Muskingum time step Δt must be a positive number; got {dt}")
    if not (math.isfinite(x) and 0.0 <= x <= 0.5):
        raise InvalidInput(f"Muskingum X must lie between 0 and 0.5; got {x}")
    lower, upper = 2.0 * k * x, 2.0 * k * (1.0 - x)
    # Outside 2KX <= Δt <= 2K(1-X) a coefficient turns negative and the outflow can dip
    # below zero or oscillate (Chow, Maidment & Mays 1988, §8.4).
    if dt < lower * (1.0 - STABILITY_SLACK):
        raise InvalidInput(
            f"Muskingum parameters are unstable: Δt = {dt:g} is below the lower bound "
            f"2KX = {lower:g} (K = {k:g}, X = {x:g}); need 2KX ≤ Δt ≤ 2K(1−X)",
            key="muskingum-unstable",
        )
    if dt > upper * (1.0 + STABILITY_SLACK):
        raise InvalidInput(
            f"Muskingum parameters are unstable: Δt = {dt:g} is above the upper bound "
            f"2K(1−X) = {upper:g} (K = {k:g}, X = {x:g}); need 2KX ≤ Δt ≤ 2K(1−X)",
            key="muskingum-unstable",
        )
    denominator = upper + dt
    # Clamped at zero: on a bound the slack above can leave a -1e-17.
    return (
        max(0.0, (dt - lower) / denominator),
        (dt + lower) / denominator,
        max(0.0, (upper - dt) / denominator),
    )


def route(inflow: list[float], c0: float, c1: float, c2: float, first: float) -> list[float]:
    """Outflow of one reach for an inflow, by the coefficients, starting at `first`."""
    outflow = [first]
    previous_in, previous_out = inflow[0], first
    for current_in in inflow[1:]:
        previous_out = c0 * current_in + c1 * previous_in + c2 * previous_out
        outflow.append(previous_out)
        previous_in = current_in
    return outflow
