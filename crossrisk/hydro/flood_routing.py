"""A flood hydrograph down a chain of river reaches, lakes and reservoirs.

Each element routes the previous one's outflow: a ``Stretch`` (river reach) by
Muskingum–Cunge (muskingum_cunge.py), a ``Storage`` (lake or reservoir) as a linear
reservoir or by storage indication on its table (storage_routing.py). Every element
starts in the steady state of its first inflow, so a chain passes a constant flow
unchanged. A tributary joining above an element adds its mean discharge there.

A river reach is a cascade of identical Muskingum sub-reaches, each a first-order
recursive filter; the cascade is applied at once in the frequency domain (the filter's
response raised to the number of sub-reaches), which costs the same for one sub-reach as
for a thousand. The hydrograph is padded until the cascade's response has died away
(its mean delay plus twenty standard deviations), so nothing wraps round.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
from scipy.fft import irfft, next_fast_len, rfft

from crossrisk.domain.errors import InvalidInput
from crossrisk.hydro import muskingum_cunge
from crossrisk.hydro.muskingum import coefficients
from crossrisk.hydro.storage_routing import (
    MAX_FLOW_M3_S,
    checked_inflow,
    checked_step,
    first_order_filter,
    linear_reservoir_coefficients,
    route_on_table,
    storage_table,
)

FloatArray = npt.NDArray[np.float64]

MAX_ELEMENTS = 10_000
# Ordinates a reach may be routed on after dividing its step (inflow ordinates × sub-steps):
# beyond this the step is far too long for the reach, and the arrays would fill memory.
MAX_FINE_ORDINATES = 4_000_000


@dataclass(frozen=True, slots=True)
class Stretch:
    """A river reach: length, flood-wave celerity, reference discharge, top width, bed slope."""

    length_m: float
    celerity_m_s: float
    discharge_m3_s: float
    width_m: float
    slope: float
    x: float | None = None  # Muskingum X override; None: Cunge's


@dataclass(frozen=True, slots=True)
class Storage:
    """A lake or reservoir: a linear time constant, or a (storage m³, outflow m³/s) table."""

    linear_k_s: float | None = None
    table: tuple[tuple[float, float], ...] = ()  # (storage m³, outflow m³/s), used when given


def route_chain(
    inflow_m3_s: npt.ArrayLike,
    step_s: float,
    elements: Sequence[Stretch | Storage],
    lateral_m3_s: Sequence[float] | None = None,
) -> list[FloatArray]:
    """The outflow hydrograph (m³/s) after each element, each as long as the inflow.

    ``lateral_m3_s[i]`` is a constant inflow added before element i (a tributary's mean
    discharge at a confluence).
    """
    flow = checked_inflow(inflow_m3_s)
    step = checked_step(step_s)
    if len(elements) > MAX_ELEMENTS:
        raise InvalidInput(f"a chain has at most {MAX_ELEMENTS} elements")
    laterals = _laterals(lateral_m3_s, len(elements))
    outflows: list[FloatArray] = []
    for element, lateral in zip(elements, laterals, strict=True):
        if lateral:
            flow = flow + lateral
        if isinstance(element, Stretch):
            flow = route_stretch(flow, step, element)
        else:
            flow = route_storage(flow, step, element)
        outflows.append(flow)
    return outflows


def route_stretch(inflow: FloatArray, step_s: float, stretch: Stretch) -> FloatArray:
    """A reach's outflow by Muskingum–Cunge, from the steady state of the first inflow."""
    k, x, pieces = muskingum_cunge.cunge(
        stretch.length_m,
        stretch.celerity_m_s,
        stretch.discharge_m3_s,
        stretch.width_m,
        stretch.slope,
        step_s,
    )
    if stretch.x is not None:
        if not (math.isfinite(stretch.x) and 0.0 <= stretch.x <= 0.5):
            raise InvalidInput(f"Muskingum X must lie between 0 and 0.5; got {stretch.x}")
        x = muskingum_cunge.stable_x(k, stretch.x, step_s)
    return muskingum_cascade(inflow, step_s, k, x, pieces)


def muskingum_cascade(
    inflow: FloatArray, step_s: float, k_s: float, x: float, pieces: int
) -> FloatArray:
    """``pieces`` identical Muskingum sub-reaches in series, starting steady at inflow[0]."""
    steps = muskingum_cunge.sub_steps(k_s, x, step_s)
    if (inflow.size - 1) * steps + 1 > MAX_FINE_ORDINATES:
        raise InvalidInput(
            f"a reach with K = {k_s:g} s needs {steps} sub-steps of a {step_s:g} s step; "
            "use a shorter step"
        )
    fine = inflow if steps == 1 else _refined(inflow, steps)
    c0, c1, c2 = coefficients(k_s, x, step_s / steps)
    base = float(fine[0])
    deviation = fine - base
    if not deviation.any():
        return inflow.copy()
    # The cascade's response: mean delay pieces·K, variance at most pieces·(K + Δt)².
    delay = pieces * k_s * steps / step_s
    spread = math.sqrt(pieces) * (k_s * steps / step_s + 1.0)
    length = next_fast_len(fine.size + math.ceil(delay + 20.0 * spread) + 16, real=True)
    z = np.exp(-2j * math.pi * np.fft.rfftfreq(length))
    response = ((c0 + c1 * z) / (1.0 - c2 * z)) ** pieces
    routed = irfft(rfft(deviation, length) * response, length)[: fine.size] + base
    out = routed if steps == 1 else routed[::steps]
    return np.asarray(out, dtype=np.float64)


def _refined(inflow: FloatArray, steps: int) -> FloatArray:
    # The inflow is linear between its ordinates, as the routing assumes within a step.
    coarse = np.arange(inflow.size, dtype=np.float64)
    fine = np.arange((inflow.size - 1) * steps + 1, dtype=np.float64) / steps
    return np.interp(fine, coarse, inflow)


def route_storage(inflow: FloatArray, step_s: float, storage: Storage) -> FloatArray:
    """A lake's or reservoir's outflow, from the steady state of the first inflow."""
    first = float(inflow[0])
    if storage.table:
        rows = np.asarray(storage.table, dtype=np.float64)
        if rows.ndim != 2 or rows.shape[1] != 2:
            raise InvalidInput("a storage table is a list of (storage m³, outflow m³/s) rows")
        volumes, outflows = storage_table(rows[:, 0], rows[:, 1])
        return route_on_table(inflow, step_s, volumes, outflows, first)
    if storage.linear_k_s is None:
        raise InvalidInput("a storage needs a linear time constant or a storage–outflow table")
    c_new, c_old, kept = linear_reservoir_coefficients(step_s, storage.linear_k_s)
    return first_order_filter(inflow, c_new, c_old, kept, first)


def _laterals(lateral_m3_s: Sequence[float] | None, count: int) -> list[float]:
    if lateral_m3_s is None:
        return [0.0] * count
    values = [float(v) for v in lateral_m3_s]
    if len(values) != count:
        raise InvalidInput(f"lateral inflows: one per element ({count}); got {len(values)}")
    if not all(math.isfinite(v) and 0 <= v <= MAX_FLOW_M3_S for v in values):
        raise InvalidInput(f"lateral inflows must be flows from 0 to {MAX_FLOW_M3_S:g} m³/s")
    return values
