"""The reach of a risk: which jurisdictions a hazard will reach, when and how hard (§3.3)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any


class Pathway(StrEnum):
    """The propagation model that computed a reach."""

    OVERLAY = "overlay"  # the hazard's footprint laid over the boundaries
    RIVER = "river"  # downstream along the river network
    PLUME = "plume"  # downwind, Gaussian plume over a concentration threshold
    MOBILITY = "mobility"  # along commuting flows, metapopulation SEIR


# What `ReachEntry.intensity` measures on each pathway.
INTENSITY_UNIT = {
    Pathway.OVERLAY: "share of the jurisdiction's population exposed",
    Pathway.RIVER: "peak concentration as a fraction of the source's",
    Pathway.PLUME: "peak ground concentration over the threshold (×)",
    Pathway.MOBILITY: "peak infectious persons per 100,000",
}


@dataclass(frozen=True, slots=True)
class ReachEntry:
    """One jurisdiction the hazard reaches."""

    jurisdiction_code: str
    arrival_hours: float  # from the event's start; 0 where the hazard already is
    intensity: float  # see INTENSITY_UNIT for the pathway
    exposed_population: int | None = None
    detail: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Reach:
    """Everything a propagation model says about one hazard."""

    pathway: Pathway
    entries: tuple[ReachEntry, ...]  # ordered by arrival
    parameters: Mapping[str, Any]
    footprint: Mapping[str, Any] | None = None  # GeoJSON of the area or path, WGS84
    # Part of the hazard's effect lies beyond every member of the region.
    leaves_region: bool = False

    @property
    def codes(self) -> tuple[str, ...]:
        return tuple(entry.jurisdiction_code for entry in self.entries)

    def entry(self, code: str) -> ReachEntry | None:
        """The entry of one jurisdiction, if the hazard reaches it."""
        return next((e for e in self.entries if e.jurisdiction_code == code), None)


def ordered(entries: list[ReachEntry]) -> tuple[ReachEntry, ...]:
    """Entries by arrival, then by code, so equal reaches compare and print the same."""
    return tuple(sorted(entries, key=lambda e: (e.arrival_hours, e.jurisdiction_code)))
