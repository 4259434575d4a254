"""A dissolved substance in a river: one-dimensional advection, dispersion and decay.

Once mixed over the cross-section, the concentration C(x, t) obeys

    ∂C/∂t + U ∂C/∂x = D ∂²C/∂x² − k C

(Taylor 1954; Fischer et al. 1979, *Mixing in Inland and Coastal Waters*, ch. 4–5;
Chapra 1997, *Surface Water-Quality Modeling*, McGraw-Hill). For a mass M released at
once over the cross-section A at x = 0, t = 0, in a uniform reach, its solution is

    C(x, t) = M / (A √(4π D t)) · exp(−(x − U t)² / (4 D t) − k t).

A release spread evenly over a duration T is the sum of such solutions, one per equal
piece of the release at the piece's middle time.

A path down several reaches. Each reach i adds its travel time Lᵢ/Uᵢ to the cloud's mean
time of passage and 2 Dᵢ Lᵢ / Uᵢ³ to its temporal variance (the change-of-moment relation
Fischer et al. 1979 use to measure D from two sections). A section x km down the path is
then given the uniform reach with the same travel time τ and temporal variance σ²: U = x/τ,
D = σ² U³ / (2x), and A = Q/U from the discharge Q at the section, so that the mass
passing it is the mass released (a tributary that joins above the section dilutes by its
discharge). For one uniform reach this is the exact solution above.
"""

from __future__ import annotations

import math

import numpy as np
import numpy.typing as npt
from scipy.special import log_ndtr

from crossrisk.domain.errors import InvalidInput

SECONDS_PER_DAY = 86_400.0
MG_L_PER_KG_M3 = 1_000.0
# Pieces of a release over a duration: fine enough that each piece is short against the
# spread of the cloud it makes, bounded so that a ten-day release stays cheap.
PIECE_SECONDS = 900.0
MAX_PIECES = 240

FloatArray = npt.NDArray[np.float64]
ArrayLike = float | FloatArray


def instantaneous(
    mass_kg: ArrayLike,
    area_m2: ArrayLike,
    velocity_m_s: ArrayLike,
    dispersion_m2_s: ArrayLike,
    decay_per_day: ArrayLike,
    distance_m: ArrayLike,
    times_s: ArrayLike,
) -> FloatArray:
    """C(x, t) in mg/L of an instantaneous release; zero at and before the release.

    Every argument broadcasts with numpy's rules, so one call serves many sections (a
    column of distances and their reach values) at many times (a row of times).
    """
    t = np.asarray(times_s, dtype=np.float64)
    after = t > 0
    ts = np.where(after, t, 1.0)
    d = np.asarray(dispersion_m2_s, dtype=np.float64)
    u = np.asarray(velocity_m_s, dtype=np.float64)
    x = np.asarray(distance_m, dtype=np.float64)
    k = np.asarray(decay_per_day, dtype=np.float64) / SECONDS_PER_DAY
    exponent = -((x - u * ts) ** 2) / (4.0 * d * ts) - k * ts
    c = (
        np.asarray(mass_kg, dtype=np.float64)
        / (np.asarray(area_m2, dtype=np.float64) * np.sqrt(4.0 * math.pi * d * ts))
        * np.exp(exponent)
    )
    return np.where(after, c * MG_L_PER_KG_M3, 0.0)


def release_pieces(release_s: float) -> int:
    """How many equal pieces a release over ``release_s`` seconds is summed from."""
    if release_s <= 0:
        return 1
    return int(min(MAX_PIECES, max(1, math.ceil(release_s / PIECE_SECONDS))))


def released(
    mass_kg: float,
    release_s: float,
    area_m2: ArrayLike,
    velocity_m_s: ArrayLike,
    dispersion_m2_s: ArrayLike,
    decay_per_day: ArrayLike,
    distance_m: ArrayLike,
    times_s: ArrayLike,
) -> FloatArray:
    """C(x, t) in mg/L of ``mass_kg`` released evenly over ``release_s`` (0: at once)."""
    pieces = release_pieces(release_s)
    t = np.asarray(times_s, dtype=np.float64)
    total: FloatArray = np.zeros(np.broadcast_shapes(np.shape(distance_m), t.shape))
    for j in range(pieces):
        start = (j + 0.5) * release_s / pieces
        total = total + instantaneous(
            mass_kg / pieces,
            area_m2,
            velocity_m_s,
            dispersion_m2_s,
            decay_per_day,
            distance_m,
            t - start,
        )
    return total


def equivalent_reach(
    distance_m: ArrayLike, travel_s: ArrayLike, time_variance_s2: ArrayLike
) -> tuple[FloatArray, FloatArray]:
    """The uniform reach (U in m/s, D in m²/s) with a path's travel time and variance."""
    x = np.asarray(distance_m, dtype=np.float64)
    u = x / np.asarray(travel_s, dtype=np.float64)
    d = np.asarray(time_variance_s2, dtype=np.float64) * u**3 / (2.0 * x)
    return u, d


def passed_fraction(
    velocity_m_s: float,
    dispersion_m2_s: float,
    decay_per_day: float,
    distance_m: float,
    times_s: ArrayLike,
) -> FloatArray:
    """Share of an instantaneous release that has passed a section by each time, decayed.

    The flux through the section, x/√(4π D t³) · exp(−(x − U t)²/(4 D t) − k t), is an
    inverse Gaussian density tilted by the decay: with U' = √(U² + 4kD) it equals
    exp((U − U') x / 2D) times the inverse Gaussian of mean x/U' and shape x²/2D. Its
    cumulative (Chhikara & Folks 1989, *The Inverse Gaussian Distribution*, eq. 2.5) is
    taken in logarithms, since exp(2λ/μ) overflows on a long reach.
    """
    if not (distance_m > 0 and dispersion_m2_s > 0 and velocity_m_s > 0):
        raise InvalidInput("a section's distance, velocity and dispersion must be positive")
    k = decay_per_day / SECONDS_PER_DAY
    tilted = math.sqrt(velocity_m_s**2 + 4.0 * k * dispersion_m2_s)
    log_weight = (velocity_m_s - tilted) * distance_m / (2.0 * dispersion_m2_s)
    mean = distance_m / tilted
    shape = distance_m**2 / (2.0 * dispersion_m2_s)
    t = np.asarray(times_s, dtype=np.float64)
    after = t > 0
    ts = np.where(after, t, 1.0)
    root = np.sqrt(shape / ts)
    first = log_ndtr(root * (ts / mean - 1.0))
    second = 2.0 * shape / mean + log_ndtr(-root * (ts / mean + 1.0))
    cumulative = np.exp(np.logaddexp(first, second) + log_weight)
    return np.where(after, cumulative, 0.0)
