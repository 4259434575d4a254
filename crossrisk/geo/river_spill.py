"""A spill carried down the river network: its concentration at each city's first section.

Along river edges the substance advects, disperses and decays (hydro/advection_dispersion):
each section gets the uniform reach with the path's travel time and temporal variance, and
the discharge at the section dilutes it, so a tributary joining above dilutes by its flow.
A lake or reservoir on the path is one completely mixed volume (hydro/mixed_volume): the
mass arriving at its inlet mixes into its whole volume, and its outflow carries the mixed
concentration on down the river, delayed, spread and decayed on the way.

Until the first lake each section is computed in closed form on a time window of its own
around the cloud's passage, fine enough to catch a narrow peak near the source. From a
lake down, concentrations change over weeks and are computed on one grid to the horizon.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from crossrisk.geo.hydraulics import Lake
from crossrisk.geo.river import RiverNetwork
from crossrisk.geo.river_path import RiverPath, Span
from crossrisk.hydro import advection_dispersion as ade
from crossrisk.hydro import mixed_volume
from crossrisk.hydro.dispersion import reach_dispersion

FloatArray = npt.NDArray[np.float64]

# The source's own section, where the substance is taken to be mixed across the river.
SOURCE_SECTION_KM = 1.0
# Points of a section's own window, and its extent in standard deviations of the passage.
WINDOW_POINTS = 400
WINDOW_BEFORE_SIGMAS = 8.0
WINDOW_AFTER_SIGMAS = 10.0
# The shared grid from a lake down: this many steps to the horizon, none under a minute.
GRID_STEPS = 2000
MIN_STEP_S = 60.0
# A curve kept for the page: at most this many points, the peak always among them.
CURVE_POINTS = 240
# A river entering a reservoir flows on as a current through the reservoir's riverine
# zone before it mixes into the lake (Thornton, Kimmel & Payne 1990, *Reservoir
# Limnology*, Wiley, ch. 1: riverine, transition and lacustrine zones). A section this
# close below a lake's inlet — a border crossing at the lake's tail, as at Jiekou on the
# Xin'an — sees the inflowing river as well as the mixed lake. The figure is the
# platform's, not a measured one.
RIVERINE_ZONE_KM = 5.0


@dataclass(frozen=True, slots=True)
class Release:
    """What went into the river, and what decides whether water is harmed."""

    mass_kg: float | None  # None: not known; concentrations are then shares of the source's
    release_s: float  # 0: all at once
    horizon_s: float
    decay_at: Callable[[float], float]  # per day, at a water depth in m
    limit_mg_l: float | None  # None: judged by source_fraction
    source_fraction: float


@dataclass(frozen=True, slots=True)
class SectionCurve:
    """The concentration over time at one section of the path."""

    km: float
    span: Span
    lake: Lake | None  # the mixed volume the section lies in
    hours: FloatArray
    values: FloatArray  # mg/L, or shares of the source's peak when the mass is unknown
    riverine: bool = False  # in the lake's riverine zone: it also sees the inflowing river

    @property
    def peak(self) -> tuple[float, float]:
        """(hours, value) of the highest concentration."""
        i = int(np.argmax(self.values)) if len(self.values) else 0
        if not len(self.values):
            return (math.nan, 0.0)
        return float(self.hours[i]), float(self.values[i])

    def over(self, threshold: float) -> tuple[float | None, float]:
        """When the curve first exceeds the threshold, and for how many hours in all."""
        return time_over(self.hours, self.values, threshold)


@dataclass(frozen=True, slots=True)
class SpillRun:
    """Curves at the source and at the sections asked for, and the threshold that judges them."""

    source: SectionCurve
    sections: list[SectionCurve]
    threshold: float  # in the curves' unit
    relative: bool  # curves are shares of the source's peak (the mass is not known)


def spill_sections(
    network: RiverNetwork, path: RiverPath, release: Release, sections_km: Sequence[float]
) -> SpillRun:
    """Concentration curves at the source's section and at each given km of the path."""
    model = _PathModel(network, path, release)
    source_km = min(SOURCE_SECTION_KM, path.length_km)
    curves = model.curves([source_km, *sections_km])
    source, rest = curves[0], curves[1:]
    source_peak = source.peak[1]
    if release.mass_kg is None:
        scale = 1.0 / source_peak if source_peak > 0 else 0.0
        source, rest = _scaled(source, scale), [_scaled(c, scale) for c in rest]
        return SpillRun(source, rest, threshold=release.source_fraction, relative=True)
    if release.limit_mg_l is not None:
        return SpillRun(source, rest, threshold=release.limit_mg_l, relative=False)
    return SpillRun(source, rest, threshold=release.source_fraction * source_peak, relative=False)


def time_over(
    hours: FloatArray, values: FloatArray, threshold: float
) -> tuple[float | None, float]:
    """First crossing above ``threshold`` and total time above it, linear between points."""
    if len(values) < 2:
        return None, 0.0
    a, b = values[:-1], values[1:]
    dt = np.diff(hours)
    above_a, above_b = a > threshold, b > threshold
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        crossing = np.where(b != a, (threshold - a) / (b - a), 0.0)
    share = np.where(
        above_a & above_b,
        1.0,
        np.where(above_b & ~above_a, 1.0 - crossing, np.where(above_a & ~above_b, crossing, 0.0)),
    )
    total = float(np.sum(share * dt))
    if values[0] > threshold:
        return float(hours[0]), total
    rising = np.nonzero(above_b & ~above_a)[0]
    if not len(rising):
        return None, total
    i = int(rising[0])
    return float(hours[i] + crossing[i] * dt[i]), total


# ---------------------------------------------------------------------- the model


@dataclass(frozen=True, slots=True)
class _Moments:
    """What the river between two points does to a passing cloud."""

    travel_s: float
    variance_s2: float
    decay: float  # Σ k·t over the river pieces: the cloud is multiplied by exp(−decay)


class _PathModel:
    def __init__(self, network: RiverNetwork, path: RiverPath, release: Release) -> None:
        self.network = network
        self.path = path
        self.release = release
        self.mass = 1.0 if release.mass_kg is None else release.mass_kg
        self.lakes = [(span, lake) for span in path.spans if (lake := network.lake(span.edge))]
        step = max(MIN_STEP_S, release.horizon_s / GRID_STEPS)
        self.grid_s = np.arange(0.0, release.horizon_s + step / 2, step)
        self.step_s = step
        self._lake_curves: dict[str, FloatArray] = {}

    # -- moments along the river pieces of the path

    def moments(self, start_km: float, end_km: float) -> _Moments:
        travel = variance = decay = 0.0
        for span in self.path.spans:
            lo, hi = max(start_km, span.start_km), min(end_km, span.end_km)
            if hi <= lo or self.network.lake(span.edge) is not None:
                continue
            channel = self.network.channel(span.edge)
            length = (hi - lo) * 1000.0
            u = channel.velocity_m_s
            d = reach_dispersion(channel.width_m, channel.depth_m, u, channel.slope)
            travel += length / u
            variance += 2.0 * d * length / u**3
            decay += self.release.decay_at(channel.depth_m) / ade.SECONDS_PER_DAY * length / u
        return _Moments(travel, variance, decay)

    def discharge_at(self, km: float) -> float:
        return self.network.mean_discharge(self.path.span_at(km).edge)

    def lake_before(self, km: float) -> tuple[Span, Lake] | None:
        found = None
        for span, lake in self.lakes:
            if span.start_km <= km:
                found = (span, lake)
        return found

    # -- curves

    def curves(self, sections_km: Sequence[float]) -> list[SectionCurve]:
        free = [i for i, km in enumerate(sections_km) if self.lake_before(km) is None]
        out: dict[int, SectionCurve] = dict(
            zip(free, self._free_curves([sections_km[i] for i in free]), strict=True)
        )
        for i, km in enumerate(sections_km):
            if i not in out:
                out[i] = self._below_lake_curve(km)
        return [out[i] for i in range(len(sections_km))]

    def _free_curves(self, sections_km: Sequence[float]) -> list[SectionCurve]:
        """Sections with no lake above them: the closed form, each on its own window."""
        if not sections_km:
            return []
        km = np.maximum(np.asarray(sections_km, dtype=np.float64), 0.01)
        moments = [self.moments(0.0, float(k)) for k in km]
        travel = np.array([m.travel_s for m in moments])
        variance = np.array([m.variance_s2 for m in moments])
        rate = np.array([m.decay for m in moments]) / travel * ade.SECONDS_PER_DAY
        x = km * 1000.0
        u, d = ade.equivalent_reach(x, travel, variance)
        area = np.array([self.discharge_at(float(k)) for k in km]) / u
        sigma = np.sqrt(variance)
        start = np.maximum(0.0, travel - WINDOW_BEFORE_SIGMAS * sigma)
        end = np.minimum(
            self.release.horizon_s, travel + self.release.release_s + WINDOW_AFTER_SIGMAS * sigma
        )
        end = np.maximum(end, start)
        times = start[:, None] + (end - start)[:, None] * np.linspace(0.0, 1.0, WINDOW_POINTS)
        values = ade.released(
            self.mass,
            self.release.release_s,
            area[:, None],
            u[:, None],
            d[:, None],
            rate[:, None],
            x[:, None],
            times,
        )
        values = np.where(times <= self.release.horizon_s, values, 0.0)
        return [
            SectionCurve(
                km=float(sections_km[i]),
                span=self.path.span_at(float(sections_km[i])),
                lake=None,
                hours=times[i] / 3600.0,
                values=values[i],
            )
            for i in range(len(km))
        ]

    def _below_lake_curve(self, km: float) -> SectionCurve:
        found = self.lake_before(km)
        assert found is not None
        span, lake = found
        mixed = self._lake_curve(span, lake)
        hours = self.grid_s / 3600.0
        if km > span.end_km:
            values = self._carried(mixed, span.end_km, km)
            return SectionCurve(km, self.path.span_at(km), None, hours, values)
        # A spill into the lake itself has no inflowing river that carries it.
        if km - span.start_km > RIVERINE_ZONE_KM or span.start_km < 0.01:
            return SectionCurve(km, self.path.span_at(km), lake, hours, mixed)
        inflow = self._inflow_curve(span.start_km)
        times = np.union1d(hours, inflow.hours)
        values = np.maximum(
            np.interp(times, hours, mixed), np.interp(times, inflow.hours, inflow.values, 0, 0)
        )
        return SectionCurve(km, self.path.span_at(km), lake, times, values, riverine=True)

    def _inflow_curve(self, inlet_km: float) -> SectionCurve:
        """The river arriving at a lake's inlet, as if the lake were not there."""
        above = self.lake_before(inlet_km - 1e-9) if inlet_km > 0 else None
        if above is None:
            return self._free_curves([inlet_km])[0]
        span, lake = above
        values = self._carried(self._lake_curve(span, lake), span.end_km, inlet_km)
        return SectionCurve(inlet_km, span, None, self.grid_s / 3600.0, values)

    def _carried(self, signal: FloatArray, from_km: float, to_km: float) -> FloatArray:
        """A lake's outflow concentration carried from its end down the river to a section.

        The water that leaves by this river (not the lake's whole outflow: Taihu drains by
        many channels) carries the mixed concentration, diluted by what joins below.
        """
        moments = self.moments(from_km, to_km)
        shifted = np.interp(self.grid_s - moments.travel_s, self.grid_s, signal, left=0.0)
        spread = math.sqrt(moments.variance_s2) / self.step_s
        if spread >= 0.5:
            reach = math.ceil(4.0 * spread)
            offsets = np.arange(-reach, reach + 1, dtype=np.float64)
            kernel = np.exp(-0.5 * (offsets / spread) ** 2)
            full = np.convolve(shifted, kernel / kernel.sum())
            shifted = full[reach : reach + len(shifted)]
        dilution = min(1.0, self.discharge_at(from_km) / self.discharge_at(to_km))
        return np.asarray(shifted * dilution * math.exp(-moments.decay), dtype=np.float64)

    def _lake_curve(self, span: Span, lake: Lake) -> FloatArray:
        if lake.key not in self._lake_curves:
            inflow = self._lake_inflow_kg(span)
            decay = self.release.decay_at(lake.mean_depth_m)
            mixed = mixed_volume.driven(
                inflow, self.step_s, lake.volume_m3, lake.outflow_m3_s, decay
            )
            self._lake_curves[lake.key] = np.concatenate([[0.0], mixed])
        return self._lake_curves[lake.key]

    def _lake_inflow_kg(self, span: Span) -> FloatArray:
        """Mass entering the lake in each step of the grid."""
        inlet = span.start_km
        upstream = self.lake_before(inlet - 1e-9) if inlet > 0 else None
        if upstream is not None:
            above_span, above = upstream
            carried = self._carried(self._lake_curve(above_span, above), above_span.end_km, inlet)
            # mg/L × m³/s × s = g; the mass of each step, from its mean concentration.
            mean = 0.5 * (carried[:-1] + carried[1:])
            return mean * self.discharge_at(inlet - 1e-9) * self.step_s / 1000.0
        release = self.release.release_s
        if inlet < 0.01:  # spilled into the lake itself
            # All of it within the first step, or evenly over the release.
            share = np.clip(self.grid_s / release, 0.0, 1.0) if release > 0 else self.grid_s > 0
            cumulative = self.mass * np.asarray(share, dtype=np.float64)
            return np.diff(cumulative)
        moments = self.moments(0.0, inlet)
        x = inlet * 1000.0
        u, d = ade.equivalent_reach(x, moments.travel_s, moments.variance_s2)
        rate = moments.decay / moments.travel_s * ade.SECONDS_PER_DAY
        pieces = ade.release_pieces(release)
        passed = np.zeros_like(self.grid_s)
        for j in range(pieces):
            start = (j + 0.5) * release / pieces
            passed += ade.passed_fraction(float(u), float(d), rate, x, self.grid_s - start)
        return np.diff(passed / pieces) * self.mass


def _scaled(curve: SectionCurve, factor: float) -> SectionCurve:
    return SectionCurve(
        km=curve.km,
        span=curve.span,
        lake=curve.lake,
        hours=curve.hours,
        values=curve.values * factor,
    )


def thin(
    hours: FloatArray, values: FloatArray, points: int = CURVE_POINTS
) -> tuple[list[float], list[float]]:
    """At most ``points`` of a curve, evenly chosen, keeping its peak."""
    if len(values) <= points:
        keep = np.arange(len(values))
    else:
        keep = np.unique(
            np.append(
                np.linspace(0, len(values) - 1, points - 1).round().astype(int), np.argmax(values)
            )
        )
    return (
        [round(float(h), 3) for h in hours[keep]],
        [float(f"{v:.4g}") for v in values[keep]],
    )
