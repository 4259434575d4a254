"""A flood wave through a lake or reservoir: storage routing by continuity, I − O = dS/dt.

Two storage functions, as the issue asks:

- the linear reservoir S = K·O, where only a time constant is known. Within each step the
  inflow is taken as linear between its ordinates, and the outflow is the exact solution of
  K dO/dt + O = I(t) over the step (derived in ``linear_reservoir_coefficients``). This is
  stable and non-oscillating at any step, where the trapezoidal coefficients (Muskingum with
  X = 0; Chow, Maidment & Mays 1988, *Applied Hydrology*, §8.4) need Δt ≤ 2K.
- storage-indication (modified Puls) routing on a storage–outflow table (Puls 1928; Chow,
  Maidment & Mays 1988, §8.2, eq. 8.2.3):

      (2S/Δt + O)ⱼ₊₁ = Iⱼ + Iⱼ₊₁ + (2S/Δt − O)ⱼ,

  with O read from the table by linear interpolation of O against 2S/Δt + O.

An inflow that fills the reservoir beyond the table's last row is routed on the straight
line through the table's last two rows, extended: a flood that overtops the surveyed range
still gets an answer (a spillway's rating keeps rising), and HYDRO.md says that such an
answer is an extrapolation. Below the first row the first two rows' line is followed down
to zero outflow, never below.

Units: inflow and outflow in m³/s, storage in m³, steps and time constants in seconds.
"""

from __future__ import annotations

import math

import numpy as np
import numpy.typing as npt
from scipy.signal import lfilter

from crossrisk.domain.errors import InvalidInput

FloatArray = npt.NDArray[np.float64]

# The longest hydrograph any routing here accepts (ordinates): ten years at 15 minutes is
# 350,400; a bound keeps one request from holding a core for long.
MAX_ORDINATES = 400_000
# Storages, flows and steps beyond these are not rivers or reservoirs on this planet
# (the largest reservoir holds ~2·10¹¹ m³, the largest river carries ~2·10⁵ m³/s).
MAX_FLOW_M3_S = 1e7
MAX_STORAGE_M3 = 1e13
MAX_STEP_S = 366 * 86_400.0
MAX_TIME_CONSTANT_S = 100 * 366 * 86_400.0


def checked_inflow(inflow_m3_s: npt.ArrayLike) -> FloatArray:
    """The inflow as a 1-D float array of finite flows ≥ 0, or a refusal."""
    values = np.asarray(inflow_m3_s, dtype=np.float64)
    if values.ndim != 1 or values.size == 0:
        raise InvalidInput("an inflow hydrograph must be a non-empty list of flows in m³/s")
    if values.size > MAX_ORDINATES:
        raise InvalidInput(f"an inflow hydrograph has at most {MAX_ORDINATES} ordinates")
    if not (np.all(np.isfinite(values)) and np.all(values >= 0) and values.max() <= MAX_FLOW_M3_S):
        raise InvalidInput(f"inflows must be finite flows from 0 to {MAX_FLOW_M3_S:g} m³/s")
    return values


def checked_step(step_s: float) -> float:
    """The routing step in seconds: positive, finite and at most a year."""
    if not (math.isfinite(step_s) and 0 < step_s <= MAX_STEP_S):
        raise InvalidInput(f"the routing step must be over 0 and at most {MAX_STEP_S:g} s")
    return float(step_s)


def _checked_initial(initial_outflow_m3_s: float | None, inflow: FloatArray) -> float:
    if initial_outflow_m3_s is None:
        return float(inflow[0])
    value = float(initial_outflow_m3_s)
    if not (math.isfinite(value) and 0 <= value <= MAX_FLOW_M3_S):
        raise InvalidInput(f"the initial outflow must be a flow from 0 to {MAX_FLOW_M3_S:g} m³/s")
    return value


def linear_reservoir_coefficients(step_s: float, k_s: float) -> tuple[float, float, float]:
    """(c_new, c_old, kept): Oⱼ₊₁ = c_new·Iⱼ₊₁ + c_old·Iⱼ + kept·Oⱼ, exact for linear inflow.

    With I(t) = Iⱼ + s·t over the step, K dO/dt + O = I has the solution
    O(t) = I(t) − K·s + (Oⱼ − Iⱼ + K·s)·e^(−t/K); at t = Δt, with a = e^(−Δt/K) and
    b = (K/Δt)(1 − a): c_new = 1 − b, c_old = b − a, kept = a. All three lie in [0, 1] and
    sum to 1, so the outflow never overshoots or turns negative.
    """
    if not (math.isfinite(k_s) and 0 < k_s <= MAX_TIME_CONSTANT_S):
        raise InvalidInput(
            f"a linear reservoir's time constant must be over 0 and at most "
            f"{MAX_TIME_CONSTANT_S:g} s; got {k_s}"
        )
    ratio = step_s / k_s
    kept = math.exp(-ratio)
    # (1 − e^(−r))/r, written with expm1 so that a long time constant keeps its digits.
    b = -math.expm1(-ratio) / ratio
    return 1.0 - b, b - kept, kept


def linear_reservoir(
    inflow_m3_s: npt.ArrayLike,
    step_s: float,
    k_s: float,
    initial_outflow_m3_s: float | None = None,
) -> FloatArray:
    """Outflow of a linear reservoir S = K·O, one value per inflow ordinate.

    The first outflow is ``initial_outflow_m3_s``, or the first inflow (steady state).
    """
    inflow = checked_inflow(inflow_m3_s)
    step = checked_step(step_s)
    first = _checked_initial(initial_outflow_m3_s, inflow)
    c_new, c_old, kept = linear_reservoir_coefficients(step, k_s)
    return first_order_filter(inflow, c_new, c_old, kept, first)


def first_order_filter(
    inflow: FloatArray, c_new: float, c_old: float, kept: float, first: float
) -> FloatArray:
    """Oⱼ₊₁ = c_new·Iⱼ₊₁ + c_old·Iⱼ + kept·Oⱼ from O₀ = ``first``, as one recursive filter."""
    # lfilter's state after the first sample is chosen so that its first output is `first`.
    out, _ = lfilter([c_new, c_old], [1.0, -kept], inflow, zi=[first - c_new * inflow[0]])
    return np.asarray(out, dtype=np.float64)


def storage_table(
    storage_m3: npt.ArrayLike, outflow_m3_s: npt.ArrayLike
) -> tuple[FloatArray, FloatArray]:
    """A storage–outflow table checked: ≥ 2 rows, finite, ≥ 0, strictly increasing in both."""
    storage = np.asarray(storage_m3, dtype=np.float64)
    outflow = np.asarray(outflow_m3_s, dtype=np.float64)
    if storage.ndim != 1 or storage.shape != outflow.shape or storage.size < 2:
        raise InvalidInput("a storage–outflow table needs at least two (storage, outflow) rows")
    if storage.size > 10_000:
        raise InvalidInput("a storage–outflow table has at most 10000 rows")
    finite = np.all(np.isfinite(storage)) and np.all(np.isfinite(outflow))
    if not (
        finite
        and storage.min() >= 0
        and outflow.min() >= 0
        and storage.max() <= MAX_STORAGE_M3
        and outflow.max() <= MAX_FLOW_M3_S
    ):
        raise InvalidInput(
            f"a storage–outflow table holds storages from 0 to {MAX_STORAGE_M3:g} m³ and "
            f"outflows from 0 to {MAX_FLOW_M3_S:g} m³/s"
        )
    # Storage-indication needs O to be a single-valued, increasing function of S: a flat or
    # falling row would make 2S/Δt + O ambiguous.
    if not (np.all(np.diff(storage) > 0) and np.all(np.diff(outflow) > 0)):
        raise InvalidInput(
            "a storage–outflow table must be strictly increasing in storage and in outflow"
        )
    return storage, outflow


def modified_puls(
    inflow_m3_s: npt.ArrayLike,
    step_s: float,
    storage_m3: npt.ArrayLike,
    outflow_m3_s: npt.ArrayLike,
    initial_outflow_m3_s: float | None = None,
) -> FloatArray:
    """Storage-indication routing on a storage–outflow table, one value per inflow ordinate.

    The reservoir starts at the storage the table gives ``initial_outflow_m3_s``, or the
    first inflow (steady state) when it is not given.
    """
    inflow = checked_inflow(inflow_m3_s)
    step = checked_step(step_s)
    storage, outflow = storage_table(storage_m3, outflow_m3_s)
    first = _checked_initial(initial_outflow_m3_s, inflow)
    return route_on_table(inflow, step, storage, outflow, first)


def route_on_table(
    inflow: FloatArray, step: float, storage: FloatArray, outflow: FloatArray, first: float
) -> FloatArray:
    indication = 2.0 * storage / step + outflow
    # Each segment of O against N = 2S/Δt + O as a line O = o + g·(N − n); the first and
    # last lines are extended beyond the table.
    n_at = indication.tolist()
    o_at = outflow.tolist()
    gains = (np.diff(outflow) / np.diff(indication)).tolist()
    last = len(gains) - 1
    segment = _segment_of(o_at, first, last)
    # N₀ from the first outflow, on the same (extended) lines.
    n_now = n_at[segment] + (first - o_at[segment]) / gains[segment]
    o_now = first
    result = [first]
    # A loop, since O depends on N through the table; the segment pointer walks from the
    # previous step's segment, as a hydrograph moves a few segments per step at most.
    values = inflow.tolist()
    previous_in = values[0]
    for current_in in values[1:]:
        n_now = previous_in + current_in + n_now - 2.0 * o_now
        while segment < last and n_now > n_at[segment + 1]:
            segment += 1
        while segment > 0 and n_now < n_at[segment]:
            segment -= 1
        o_now = max(0.0, o_at[segment] + gains[segment] * (n_now - n_at[segment]))
        result.append(o_now)
        previous_in = current_in
    return np.asarray(result, dtype=np.float64)


def _segment_of(o_at: list[float], outflow: float, last: int) -> int:
    segment = 0
    while segment < last and outflow > o_at[segment + 1]:
        segment += 1
    return segment
