"""A lake or reservoir as one completely mixed volume (a continuously stirred tank).

A mass entering the volume V mixes through it at once; the outflow Q carries the mixed
concentration away and the substance decays at the rate k, so

    V dC/dt = ṁ(t) − Q C − k V C,

and a mass M entering at t = 0 leaves C(t) = M/V · exp(−(Q/V + k) t) (Chapra 1997,
*Surface Water-Quality Modeling*, lecture 2, the completely mixed lake). The residence
time V/Q of a large reservoir is months to years, so a spill above it reaches the river
below its dam diluted by the whole volume.
"""

from __future__ import annotations

import math

import numpy as np
import numpy.typing as npt
from scipy.signal import lfilter

from crossrisk.domain.errors import InvalidInput
from crossrisk.hydro.advection_dispersion import MG_L_PER_KG_M3, SECONDS_PER_DAY

FloatArray = npt.NDArray[np.float64]


def loss_rate(volume_m3: float, outflow_m3_s: float, decay_per_day: float) -> float:
    """Q/V + k, per second: how fast the mixed concentration falls."""
    if not (math.isfinite(volume_m3) and volume_m3 > 0):
        raise InvalidInput(f"a mixed volume needs a positive volume in m³; got {volume_m3}")
    if not (math.isfinite(outflow_m3_s) and outflow_m3_s >= 0):
        raise InvalidInput(f"outflow must be a number of m³/s ≥ 0; got {outflow_m3_s}")
    if not (math.isfinite(decay_per_day) and decay_per_day >= 0):
        raise InvalidInput(f"decay must be a number per day ≥ 0; got {decay_per_day}")
    return outflow_m3_s / volume_m3 + decay_per_day / SECONDS_PER_DAY


def instantaneous(
    mass_kg: float,
    volume_m3: float,
    outflow_m3_s: float,
    decay_per_day: float,
    times_s: float | FloatArray,
) -> FloatArray:
    """C(t) in mg/L after ``mass_kg`` mixed into the volume at t = 0; zero before."""
    rate = loss_rate(volume_m3, outflow_m3_s, decay_per_day)
    t = np.asarray(times_s, dtype=np.float64)
    c = mass_kg / volume_m3 * np.exp(-rate * np.maximum(t, 0.0)) * MG_L_PER_KG_M3
    return np.where(t >= 0, c, 0.0)


def driven(
    inflow_kg: FloatArray,
    step_s: float,
    volume_m3: float,
    outflow_m3_s: float,
    decay_per_day: float,
) -> FloatArray:
    """Mixed concentration (mg/L) at the end of each step, starting from clean water.

    ``inflow_kg[i]`` is the mass entering during step i, at a constant rate within it;
    the recursion is the equation's exact solution over each step.
    """
    rate = loss_rate(volume_m3, outflow_m3_s, decay_per_day)
    kept = math.exp(-rate * step_s)
    # Of a mass entering evenly over a step, this share is still in the volume at its end.
    entering = (1.0 - kept) / (rate * step_s) if rate * step_s > 1e-12 else 1.0
    # c[i] = kept · c[i−1] + entering · m[i] / V, as a first-order recursive filter.
    masses = np.asarray(inflow_kg, dtype=np.float64)
    out = lfilter([entering / volume_m3], [1.0, -kept], masses)
    return np.asarray(out, dtype=np.float64) * MG_L_PER_KG_M3
