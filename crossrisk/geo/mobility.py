"""Mobility reach: a gravity model of daily trips between cities driving a metapopulation SEIR.

Units throughout: time in days, people in persons, flows in trips per day (one-way trips
from the row city to the column city), distances in kilometres. Cities are addressed by
their index in the ``populations`` array. The equations, defaults and their sources are
in ``MOBILITY.md`` next to this module.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal

import numpy as np
import numpy.typing as npt

from crossrisk.domain.errors import InvalidInput
from crossrisk.geo import geodesy

__all__ = [
    "DEFAULT_BETA",
    "DEFAULT_RETURN_RATE",
    "DEFAULT_TRIP_RATE",
    "SeirResult",
    "distance_matrix_km",
    "gravity_flows",
    "seir",
    "sir_final_size",
]

FloatArray = npt.NDArray[np.float64]

# One-way inter-city trips per resident per day. China's 2019 operating passenger volume
# (rail, road, water, air; MOT 2019 statistical bulletin) was 17.604 billion trips for
# 1.40 billion people, 0.034 per person per day. That figure excludes private cars and
# includes coach trips inside a prefecture, which pull in opposite directions; 0.03 is an
# assumption of the right order, to be replaced by observed flows where they exist.
DEFAULT_TRIP_RATE = 0.03
# Power-law deterrence d^-beta: Liu et al. 2014 (PLoS ONE 9:e86026) found inter-city
# trips among 370 Chinese cities follow a power-law distance decay; beta = 1 is Zipf's
# (1946) P1*P2/D law for inter-city movement of persons. A calibrated value should
# replace it when flow data are at hand.
DEFAULT_BETA = 1.0
# Return rate of travellers per day: Balcan et al. 2009 (PNAS 106:21484) and 2010
# (J. Comput. Sci. 1:132) take the time away from home as about 8 hours, tau = 3/day.
DEFAULT_RETURN_RATE = 3.0

# Furness: relative mismatch of row and column totals accepted as converged.
DEFAULT_TOLERANCE = 1e-9
DEFAULT_MAX_ITERATIONS = 10_000

# RK4 is stable for h*rate up to about 2.8; at or below 1 the final size is within ~1e-5
# of the analytic value (checked for R0 1.5-4), far inside the model's own uncertainty.
_MAX_RATE_TIMES_STEP = 1.0


@dataclass(frozen=True, slots=True, eq=False)
class SeirResult:
    """Per-city outcome of :func:`seir`; series are indexed [day, city], day 0 is the start."""

    arrival_day: FloatArray  # first day cumulative cases >= threshold; NaN when never
    peak_day: FloatArray  # day of the largest infectious count; NaN when never infected
    peak_infectious: FloatArray  # persons infectious on the peak day
    final_size: FloatArray  # fraction of residents ever infected by the last day
    susceptible: FloatArray  # (days + 1, cities), persons
    exposed: FloatArray  # (days + 1, cities), persons
    infectious: FloatArray  # (days + 1, cities), persons
    recovered: FloatArray  # (days + 1, cities), persons
    incidence: FloatArray  # (days, cities), new cases (onsets) per day
    threshold_cases: float
    steps_per_day: int

    @property
    def cumulative_cases(self) -> FloatArray:
        """Residents who have become infectious by each day, seeds included, (days + 1, cities)."""
        return self.infectious + self.recovered


def distance_matrix_km(lons: npt.ArrayLike, lats: npt.ArrayLike) -> FloatArray:
    """Geodesic distances in km between WGS84 points, as an (n, n) matrix."""
    lon = _vector("lons", lons)
    lat = _vector("lats", lats)
    if lon.shape != lat.shape:
        raise InvalidInput(f"lons has {lon.size} values but lats has {lat.size}")
    if np.any(np.abs(lon) > 180):
        raise InvalidInput("lons must be WGS84 longitudes in [-180, 180]")
    if np.any(np.abs(lat) > 90):
        raise InvalidInput("lats must be WGS84 latitudes in [-90, 90]")
    return geodesy.distance_matrix_km(lon, lat)


def gravity_flows(
    populations: npt.ArrayLike,
    distances_km: npt.ArrayLike,
    *,
    trip_rate: float = DEFAULT_TRIP_RATE,
    beta: float = DEFAULT_BETA,
    deterrence: Literal["power", "exponential"] = "power",
    constraint: Literal["production", "doubly"] = "production",
    attraction: npt.ArrayLike | None = None,
    max_iterations: int = DEFAULT_MAX_ITERATIONS,
    tolerance: float = DEFAULT_TOLERANCE,
) -> FloatArray:
    """Daily one-way trips from city i (row) to city j (column), zero diagonal.

    Every city produces ``trip_rate * population`` trips per day. ``deterrence`` is
    ``d**-beta`` ("power", beta dimensionless) or ``exp(-beta * d)`` ("exponential",
    beta per km). With ``constraint="production"`` trips are shared among destinations in
    proportion to ``attraction * deterrence`` (attraction defaults to population). With
    ``constraint="doubly"`` ``attraction`` is each city's total trips arriving per day
    (default ``trip_rate * population``) and Furness balancing matches rows and columns.
    """
    pop = _populations(populations)
    n = pop.size
    dist = _square("distances_km", distances_km, n)
    if np.any(dist < 0):
        raise InvalidInput("distances_km must not be negative")
    if constraint not in ("production", "doubly"):
        raise InvalidInput(f"constraint {constraint!r} is not 'production' or 'doubly'")
    if deterrence not in ("power", "exponential"):
        raise InvalidInput(f"deterrence {deterrence!r} is not 'power' or 'exponential'")
    off_diagonal = ~np.eye(n, dtype=bool)
    trip_rate = _positive("trip_rate", trip_rate)
    beta = _non_negative("beta", beta)
    tolerance = _positive("tolerance", tolerance)
    max_iterations = _positive_int("max_iterations", max_iterations)
    if deterrence == "power":
        if np.any(dist[off_diagonal] <= 0):
            raise InvalidInput(
                "distances_km must be positive between different cities for power deterrence"
            )
        weight = np.where(off_diagonal, dist, 1.0) ** -beta
    else:
        weight = np.exp(-beta * dist)
    weight[~off_diagonal] = 0.0
    if n == 1:
        # A lone city has nowhere to travel to.
        return np.zeros((1, 1))
    productions = trip_rate * pop
    if constraint == "production":
        attractiveness = pop if attraction is None else _attraction(attraction, n)
        return _production_constrained(productions, attractiveness, weight)
    else:
        arrivals = productions.copy() if attraction is None else _attraction(attraction, n)
        return _furness(productions, arrivals, weight, max_iterations, tolerance)


def seir(
    populations: npt.ArrayLike,
    flows: npt.ArrayLike,
    *,
    r0: float,
    incubation_days: float,
    infectious_days: float,
    seeds: Mapping[int, float],
    days: int,
    steps_per_day: int | None = None,
    threshold_cases: float = 1.0,
    return_rate: float = DEFAULT_RETURN_RATE,
) -> SeirResult:
    """Deterministic metapopulation SEIR over commuting flows (persons, days, trips/day).

    ``seeds`` maps a city index to the number of its residents infectious on day 0;
    ``incubation_days=0`` gives the SIR model. Residents of i spend a share of their time in
    j set by ``flows[i, j] / populations[i]`` and ``return_rate`` (Balcan et al. 2010), and
    are infected where they are, by whoever is present there. ``steps_per_day`` defaults
    to the fewest RK4 steps that keep every rate times the step at most 1 (one a day for
    COVID-like parameters). Cases are residents who have become infectious, seeds included.
    """
    pop = _populations(populations)
    n = pop.size
    trips = _square("flows", flows, n)
    if np.any(trips < 0):
        raise InvalidInput("flows must not be negative")
    if np.any(np.diagonal(trips) != 0):
        raise InvalidInput("flows must have a zero diagonal (trips from a city to itself)")
    r0 = _positive("r0", r0)
    incubation_days = _non_negative("incubation_days", incubation_days)
    infectious_days = _positive("infectious_days", infectious_days)
    return_rate = _positive("return_rate", return_rate)
    threshold_cases = _positive("threshold_cases", threshold_cases)
    days = _positive_int("days", days)
    initial_infectious = _seeds(seeds, pop)

    transmission = r0 / infectious_days  # per day; R0 = beta * D for SEIR and SIR alike
    recovery = 1.0 / infectious_days
    onset = 1.0 / incubation_days if incubation_days > 0 else math.inf
    fastest = max(transmission, recovery, onset if incubation_days > 0 else 0.0)
    needed = max(1, math.ceil(fastest / _MAX_RATE_TIMES_STEP))
    if steps_per_day is None:
        steps_per_day = needed
    steps_per_day = _positive_int("steps_per_day", steps_per_day)
    if steps_per_day < needed:
        raise InvalidInput(
            f"steps_per_day {steps_per_day} is too coarse for these rates; use at least {needed}"
        )

    mixing = _mixing_matrix(pop, trips, return_rate)
    state = np.zeros((4, n))
    state[0] = pop - initial_infectious
    state[2] = initial_infectious
    series = _integrate_rk4(
        state,
        mixing,
        transmission=transmission,
        onset=onset,
        recovery=recovery,
        days=days,
        steps_per_day=steps_per_day,
    )
    susceptible = series[:, 0, :]
    exposed = series[:, 1, :]
    infectious = series[:, 2, :]
    recovered = series[:, 3, :]
    cumulative = infectious + recovered
    reached = cumulative >= threshold_cases
    arrival_day = np.where(reached.any(axis=0), reached.argmax(axis=0), np.nan).astype(float)
    peak_infectious = infectious.max(axis=0)
    peak_day = np.where(peak_infectious > 0, infectious.argmax(axis=0), np.nan).astype(float)
    final_size = (pop - susceptible[-1]) / pop
    return SeirResult(
        arrival_day=arrival_day,
        peak_day=peak_day,
        peak_infectious=peak_infectious,
        final_size=final_size,
        susceptible=susceptible,
        exposed=exposed,
        infectious=infectious,
        recovered=recovered,
        incidence=np.diff(cumulative, axis=0),
        threshold_cases=threshold_cases,
        steps_per_day=steps_per_day,
    )


def _integrate_rk4(
    state: FloatArray,
    mixing: FloatArray,
    *,
    transmission: float,
    onset: float,
    recovery: float,
    days: int,
    steps_per_day: int,
) -> FloatArray:
    """Daily snapshots (days + 1, 4, cities) of S, E, I, R integrated by classical RK4."""
    # Classical RK4 at a fixed step: fourth order, so even one step a day matches the
    # analytic final size to ~1e-6, and, like every Runge-Kutta method, it keeps linear
    # invariants (here S + E + I + R per city) exact up to rounding. Euler would need
    # hundreds of steps a day for the same accuracy. The matrix-vector product is most of
    # the cost, so buffers are reused to keep the per-stage overhead small.
    n = state.shape[1]
    step = 1.0 / steps_per_day
    series = np.empty((days + 1, 4, n))
    series[0] = state
    state = state.copy()
    stages = np.empty((4, 4, n))
    trial = np.empty((4, n))
    pressure = np.empty(n)
    new_infections = np.empty(n)
    onsets = np.empty(n)
    incubating = math.isfinite(onset)
    contacts = transmission * mixing

    def derivative(y: FloatArray, out: FloatArray) -> None:
        np.matmul(contacts, y[2], out=pressure)
        np.multiply(y[0], pressure, out=new_infections)
        if incubating:
            np.multiply(y[1], onset, out=onsets)
        else:
            # SIR: infection makes a person infectious at once, E stays exactly 0.
            onsets[:] = new_infections
        np.multiply(y[2], recovery, out=out[3])
        np.negative(new_infections, out=out[0])
        np.subtract(new_infections, onsets, out=out[1])
        np.subtract(onsets, out[3], out=out[2])

    k1, k2, k3, k4 = stages
    for day in range(1, days + 1):
        for _ in range(steps_per_day):
            derivative(state, k1)
            np.multiply(k1, step / 2, out=trial)
            trial += state
            derivative(trial, k2)
            np.multiply(k2, step / 2, out=trial)
            trial += state
            derivative(trial, k3)
            np.multiply(k3, step, out=trial)
            trial += state
            derivative(trial, k4)
            k2 += k3
            k2 *= 2.0
            k2 += k1
            k2 += k4
            k2 *= step / 6
            state += k2
        series[day] = state
    return series


def sir_final_size(r0: float) -> float:
    """Fraction z ever infected in a large well-mixed SIR epidemic: z = 1 - exp(-R0 z)."""
    r0 = _positive("r0", r0)
    if r0 <= 1.0:
        return 0.0
    # g(z) = z - 1 + exp(-R0 z) is convex with g(1) > 0, so Newton from z = 1 falls
    # monotonically onto the positive root without overshooting to the trivial z = 0.
    z = 1.0
    for _ in range(200):
        g = z - 1.0 + math.exp(-r0 * z)
        slope = 1.0 - r0 * math.exp(-r0 * z)
        delta = g / slope
        z -= delta
        if abs(delta) < 1e-15:
            break
    return z


def _mixing_matrix(pop: FloatArray, trips: FloatArray, return_rate: float) -> FloatArray:
    """Matrix M with force of infection on residents = beta * M @ I (Balcan et al. 2010)."""
    # Time-scale separation for commuting (Balcan et al. 2010, eqs. for lambda_j;
    # Keeling & Rohani 2008, ch. 7): residents of i leave at rate sigma_ij = T_ij/N_i
    # and return at rate tau, so at equilibrium a share 1/(1 + sigma_i/tau) is at home and
    # (sigma_ij/tau)/(1 + sigma_i/tau) is in j. Stays are short against the disease's
    # generation time, so the shares are used in place of the moving population.
    leave = trips / pop[:, None] / return_rate
    share = leave / (1.0 + leave.sum(axis=1))[:, None]
    share[np.diag_indices_from(share)] = 1.0 / (1.0 + leave.sum(axis=1))
    present = share.T @ pop  # persons present in each city at a time
    # lambda_i = beta * sum_k share[i,k] * (sum_l share[l,k] I_l) / present_k: one matrix,
    # computed once, so each time step costs a single matrix-vector product.
    mixing: FloatArray = (share / present[None, :]) @ share.T
    return mixing


def _production_constrained(
    productions: FloatArray, attractiveness: FloatArray, weight: FloatArray
) -> FloatArray:
    """Wilson's (1971) production-constrained model; rows sum to the productions exactly."""
    raw = attractiveness[None, :] * weight
    totals = raw.sum(axis=1)
    if np.any(totals <= 0):
        stranded = int(np.flatnonzero(totals <= 0)[0])
        raise InvalidInput(
            f"attraction: city {stranded} has no other city with positive attraction to go to"
        )
    flows: FloatArray = raw * (productions / totals)[:, None]
    return flows


def _furness(
    productions: FloatArray,
    arrivals: FloatArray,
    weight: FloatArray,
    max_iterations: int,
    tolerance: float,
) -> FloatArray:
    """Doubly-constrained trips by Furness (iterative proportional fitting) balancing."""
    produced, attracted = productions.sum(), arrivals.sum()
    if abs(produced - attracted) > tolerance * max(produced, attracted):
        raise InvalidInput(
            f"attraction totals {attracted:.6g} trips/day disagree with production totals "
            f"{produced:.6g} trips/day; a doubly-constrained model needs them equal"
        )
    # With no trips from a city to itself, a city cannot draw more than all the others
    # send, nor send more than all the others draw; Furness would never settle.
    for totals, others, verb in ((arrivals, productions, "draw"), (productions, arrivals, "send")):
        excess = totals > (others.sum() - others) * (1 + tolerance)
        if excess.any():
            city = int(np.flatnonzero(excess)[0])
            raise InvalidInput(
                f"attraction: city {city} would {verb} {totals[city]:.6g} trips/day, more "
                "than all other cities together can match"
            )
    flows = arrivals[None, :] * weight
    for _ in range(max_iterations):
        row = flows.sum(axis=1)
        flows *= np.divide(productions, row, out=np.zeros_like(row), where=row > 0)[:, None]
        column = flows.sum(axis=0)
        flows *= np.divide(arrivals, column, out=np.zeros_like(column), where=column > 0)[None, :]
        # After the column step columns are exact; converged when rows are too.
        row = flows.sum(axis=1)
        if np.all(np.abs(row - productions) <= tolerance * np.maximum(productions, 1e-300)):
            return flows
    raise InvalidInput(
        f"Furness balancing did not reach tolerance {tolerance:g} in {max_iterations} "
        "iterations; the production and attraction totals may be infeasible with no "
        "trips from a city to itself"
    )


def _vector(name: str, value: npt.ArrayLike) -> FloatArray:
    try:
        array = np.asarray(value, dtype=float)
    except (TypeError, ValueError):
        raise InvalidInput(f"{name} must be an array of numbers") from None
    if array.ndim != 1 or array.size == 0:
        raise InvalidInput(f"{name} must be a non-empty one-dimensional array")
    if not np.all(np.isfinite(array)):
        raise InvalidInput(f"{name} must contain only finite numbers")
    return array


def _populations(value: npt.ArrayLike) -> FloatArray:
    pop = _vector("populations", value)
    if np.any(pop <= 0):
        bad = int(np.flatnonzero(pop <= 0)[0])
        raise InvalidInput(f"populations[{bad}] is {pop[bad]:g}; populations must be positive")
    return pop


def _attraction(value: npt.ArrayLike, n: int) -> FloatArray:
    attraction = _vector("attraction", value)
    if attraction.size != n:
        raise InvalidInput(f"attraction has {attraction.size} values for {n} cities")
    if np.any(attraction < 0):
        raise InvalidInput("attraction must not be negative")
    return attraction


def _square(name: str, value: npt.ArrayLike, n: int) -> FloatArray:
    try:
        matrix = np.array(value, dtype=float)
    except (TypeError, ValueError):
        raise InvalidInput(f"{name} must be a matrix of numbers") from None
    if matrix.ndim != 2 or matrix.shape[0] != matrix.shape[1]:
        raise InvalidInput(f"{name} must be a square matrix, got shape {matrix.shape}")
    if matrix.shape[0] != n:
        raise InvalidInput(f"{name} is {matrix.shape[0]}x{matrix.shape[1]} for {n} cities")
    if not np.all(np.isfinite(matrix)):
        raise InvalidInput(f"{name} must contain only finite numbers")
    return matrix


def _number(name: str, value: float) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float | np.floating | np.integer):
        raise InvalidInput(f"{name} must be a number")
    number = float(value)
    if not math.isfinite(number):
        raise InvalidInput(f"{name} must be finite")
    return number


def _positive(name: str, value: float) -> float:
    number = _number(name, value)
    if number <= 0:
        raise InvalidInput(f"{name} must be positive, got {number:g}")
    return number


def _non_negative(name: str, value: float) -> float:
    number = _number(name, value)
    if number < 0:
        raise InvalidInput(f"{name} must not be negative, got {number:g}")
    return number


def _positive_int(name: str, value: int) -> int:
    # Whole floats (180.0) are accepted: parameters often arrive through JSON.
    if isinstance(value, bool) or not isinstance(value, int | float | np.integer | np.floating):
        raise InvalidInput(f"{name} must be a positive integer, got {value!r}")
    if not (math.isfinite(value) and float(value).is_integer() and value >= 1):
        raise InvalidInput(f"{name} must be a positive integer, got {value!r}")
    return int(value)


def _seeds(seeds: Mapping[int, float], pop: FloatArray) -> FloatArray:
    if not isinstance(seeds, Mapping):
        raise InvalidInput("seeds must map city indices to numbers of cases")
    initial = np.zeros_like(pop)
    for city, cases in seeds.items():
        if isinstance(city, bool) or not isinstance(city, int | np.integer):
            raise InvalidInput(f"seeds key {city!r} is not a city index")
        if not 0 <= city < pop.size:
            raise InvalidInput(f"seeds names city {city}, but there are {pop.size} cities")
        count = _non_negative(f"seeds[{city}]", cases)
        if count > pop[city]:
            raise InvalidInput(
                f"seeds[{city}] is {count:g}, more than the city's population {pop[city]:g}"
            )
        initial[city] = count
    if not initial.any():
        raise InvalidInput("seeds must put at least one case in some city")
    return initial
