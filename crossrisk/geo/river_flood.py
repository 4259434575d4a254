"""A flood wave routed down the river network: the hydrograph at each city's first section.

The wave at the source is a triangular rise over the river's mean discharge, peaking at
3/8 of its duration as the SCS dimensionless triangular hydrograph does (USDA NRCS,
National Engineering Handbook part 630, ch. 16). River edges route it by Muskingum–Cunge
with parameters from each edge's length, celerity, discharge, width and slope; a lake or
reservoir by its storage (hydro/flood_routing). Where a tributary joins, its mean discharge
adds to the base flow, not to the wave.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from crossrisk.geo.hydraulics import Lake
from crossrisk.geo.river import RiverNetwork
from crossrisk.geo.river_path import RiverPath, Span
from crossrisk.geo.river_spill import RIVERINE_ZONE_KM
from crossrisk.hydro.flood_routing import Storage, Stretch, route_chain

FloatArray = npt.NDArray[np.float64]

STEP_S = 900.0
PEAK_AT = 0.375  # of the wave's duration: the SCS triangular hydrograph
# Long enough for the wave to pass the farthest section: its travel time at the slowest
# celerity, twice over, plus the wave; never under two days, never over a month.
MIN_HORIZON_H = 48.0
MAX_HORIZON_H = 720.0


@dataclass(frozen=True, slots=True)
class Wave:
    """The flood wave at the source."""

    peak_m3_s: float | None  # above base flow; None: one mean discharge of the source's river
    duration_s: float
    celerity_m_s: float | None  # for every edge; None: each edge's measured or kinematic one
    muskingum_x: float | None  # for every edge; None: Cunge's from the edge's geometry


@dataclass(frozen=True, slots=True)
class Hydrograph:
    """Discharge over time at one section."""

    km: float
    span: Span
    lake: Lake | None
    hours: FloatArray
    discharge_m3_s: FloatArray
    base_m3_s: float
    riverine: bool = False  # in the lake's riverine zone: the river flowing into it

    def excess(self) -> FloatArray:
        return np.asarray(self.discharge_m3_s - self.base_m3_s, dtype=np.float64)


@dataclass(frozen=True, slots=True)
class FloodRun:
    source_peak_m3_s: float  # the wave's peak above base flow at the source
    source: Hydrograph
    sections: list[Hydrograph]


def flood_sections(
    network: RiverNetwork, path: RiverPath, wave: Wave, sections_km: Sequence[float]
) -> FloodRun:
    """Hydrographs at the source and at each given km of the path."""
    points = sorted({0.0, *(min(max(k, 0.0), path.length_km) for k in sections_km)})
    elements: list[Stretch | Storage] = []
    bases: list[float] = []
    ends: list[float] = []  # km at the end of each element
    for lo, hi in zip(points, [*points[1:], path.length_km], strict=True):
        for span in path.spans:
            a, b = max(lo, span.start_km), min(hi, span.end_km)
            if b <= a:
                continue
            lake = network.lake(span.edge)
            if lake is not None:
                if span.start_km < a:  # a lake is one storage: route it once, whole
                    ends[-1] = b
                    continue
                elements.append(_storage(lake))
                bases.append(lake.outflow_m3_s)
            else:
                channel = network.channel(span.edge)
                elements.append(
                    Stretch(
                        length_m=(b - a) * 1000.0,
                        celerity_m_s=wave.celerity_m_s or channel.flood_celerity_m_s,
                        discharge_m3_s=channel.discharge_m3_s,
                        width_m=channel.width_m,
                        slope=channel.slope,
                        x=wave.muskingum_x,
                    )
                )
                bases.append(channel.discharge_m3_s)
            ends.append(b)
    base0 = network.mean_discharge(path.span_at(0.0).edge)
    peak = wave.peak_m3_s if wave.peak_m3_s is not None else base0
    travel = sum(e.length_m / e.celerity_m_s for e in elements if isinstance(e, Stretch)) / 3600.0
    horizon_h = min(
        MAX_HORIZON_H, max(MIN_HORIZON_H, 2.0 * travel + 3.0 * wave.duration_s / 3600.0)
    )
    times = np.arange(0.0, horizon_h * 3600.0 + STEP_S / 2, STEP_S)
    inflow = base0 + peak * _triangle(times, wave.duration_s)
    previous = [base0, *bases[:-1]]
    lateral = [max(0.0, b - p) for b, p in zip(bases, previous, strict=True)]
    outflows = route_chain(inflow, STEP_S, elements, lateral) if elements else []
    # A lake with several outlets (Taihu) sends only part of its outflow down this river:
    # where the chain carries more base flow than the edge's, its flow is shared out.
    carried = np.cumsum([base0 + lateral[0], *lateral[1:]]) if lateral else np.zeros(0)
    for i, (flow, share) in enumerate(zip(carried, bases, strict=True)):
        if flow > share:
            factor = share / flow
            outflows[i:] = [o * factor for o in outflows[i:]]
            carried[i:] *= factor
    hours = times / 3600.0
    source = Hydrograph(
        0.0, path.span_at(0.0), network.lake(path.span_at(0.0).edge), hours, inflow, base0
    )
    found: list[Hydrograph] = []
    for km in sections_km:
        k = min(max(km, 0.0), path.length_km)
        span = path.span_at(k)
        if k <= 0.0 or not elements:
            found.append(source)
            continue
        # The section's hydrograph is the outflow of the element that ends at it (or the
        # lake that holds it); in a lake's riverine zone, the river flowing into it.
        i = next((j for j, end in enumerate(ends) if end >= k - 1e-9), len(ends) - 1)
        lake = network.lake(span.edge)
        if lake is not None and span.start_km >= 0.01 and k - span.start_km <= RIVERINE_ZONE_KM:
            arriving = (outflows[i - 1] if i > 0 else inflow) + lateral[i]
            found.append(
                Hydrograph(k, span, lake, hours, arriving, previous[i] + lateral[i], riverine=True)
            )
            continue
        found.append(Hydrograph(k, span, lake, hours, outflows[i], bases[i]))
    return FloodRun(source_peak_m3_s=peak, source=source, sections=found)


def _triangle(times: FloatArray, duration_s: float) -> FloatArray:
    rise = PEAK_AT * duration_s
    up = times / rise
    down = (duration_s - times) / (duration_s - rise)
    return np.asarray(np.clip(np.minimum(up, down), 0.0, 1.0), dtype=np.float64)


def _storage(lake: Lake) -> Storage:
    if lake.storage_outflow:
        return Storage(table=lake.storage_outflow)
    if lake.time_constant_h is not None:
        return Storage(linear_k_s=lake.time_constant_h * 3600.0)
    # No published storage relation: the lake's whole volume as the storage of a linear
    # reservoir, K = V/Q, the residence time; the most a lake could flatten a wave.
    return Storage(linear_k_s=lake.volume_m3 / lake.outflow_m3_s)


def front_arrival(hydrograph: Hydrograph, threshold_m3_s: float) -> float | None:
    """When the wave's rise above base flow first reaches ``threshold_m3_s``."""
    excess = hydrograph.excess()
    over = np.nonzero(excess >= threshold_m3_s)[0]
    if not len(over):
        return None
    i = int(over[0])
    if i == 0:
        return float(hydrograph.hours[0])
    a, b = excess[i - 1], excess[i]
    share = (threshold_m3_s - a) / (b - a) if b != a else 1.0
    return float(hydrograph.hours[i - 1] + share * (hydrograph.hours[i] - hydrograph.hours[i - 1]))
