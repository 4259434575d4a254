"""The three calculators: a checked input (inputs.py) in, a JSON-ready answer out.

Numbers out are rounded to six significant figures: the models' inputs are rarely known
to three, and six keep a rounding step from hiding a trend in a long series.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import numpy.typing as npt

from crossrisk.domain.errors import InvalidInput
from crossrisk.hydro import advection_dispersion, mixed_volume, storage_routing
from crossrisk.hydro.inputs import MixedReservoir, ReservoirRouting, RiverSpill

SECONDS_PER_HOUR = 3_600.0
SIGNIFICANT = 6


def river_spill(spill: RiverSpill) -> dict[str, Any]:
    """Concentration at the section at each time; the peak among those times and its time."""
    times = np.asarray(spill.times_h) * SECONDS_PER_HOUR
    concentration = advection_dispersion.released(
        spill.mass_kg,
        spill.release_hours * SECONDS_PER_HOUR,
        spill.area_m2,
        spill.velocity_m_s,
        spill.dispersion_m2_s,
        spill.decay_per_day,
        spill.distance_km * 1_000.0,
        times,
    )
    values = _finite(concentration)
    peak = int(np.argmax(values))
    return {
        "concentration_mg_l": rounded(values),
        "peak_mg_l": _round(float(values[peak])),
        "peak_time_h": _round(spill.times_h[peak]),
    }


def mixed_reservoir(reservoir: MixedReservoir) -> dict[str, Any]:
    """Mixed concentration at each time after the mass entered at time 0."""
    concentration = mixed_volume.instantaneous(
        reservoir.mass_kg,
        reservoir.volume_m3,
        reservoir.outflow_m3_s,
        reservoir.decay_per_day,
        np.asarray(reservoir.times_h) * SECONDS_PER_HOUR,
    )
    return {"concentration_mg_l": rounded(_finite(concentration))}


def reservoir(routing: ReservoirRouting) -> dict[str, Any]:
    """Outflow at each inflow ordinate, by the linear reservoir or storage indication."""
    step = routing.dt_h * SECONDS_PER_HOUR
    if routing.linear_k_h is not None:
        outflow = storage_routing.linear_reservoir(
            routing.inflow_m3_s,
            step,
            routing.linear_k_h * SECONDS_PER_HOUR,
            routing.initial_outflow_m3_s,
        )
    else:
        outflow = storage_routing.modified_puls(
            routing.inflow_m3_s,
            step,
            [row[0] for row in routing.table],
            [row[1] for row in routing.table],
            routing.initial_outflow_m3_s,
        )
    return {"outflow_m3_s": rounded(_finite(outflow))}


def rounded(values: npt.NDArray[np.float64]) -> list[float]:
    """Each value to six significant figures."""
    return [_round(v) for v in values.tolist()]


def _round(value: float) -> float:
    return float(f"{value:.{SIGNIFICANT}g}")


def _finite(values: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
    if not all(math.isfinite(v) for v in values.tolist()):
        raise InvalidInput("the result is beyond the range of a number; check the inputs' scale")
    return values
