"""The reach of a risk: which jurisdictions a hazard will reach, when and how hard (§3.3)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any


class Pathway(StrEnum):
    """The propagation model that computed a reach."""

    OVERLAY = "overlay"  # the hazard's footprint laid over the boundaries
    RIVER = "river"  # a flood wave routed downstream along the river network
    SPILL = "spill"  # a dissolved substance carried downstream: advection, dispersion, mixing
    PLUME = "plume"  # downwind, Gaussian plume over a concentration threshold
    MOBILITY = "mobility"  # along commuting flows, metapopulation SEIR


# The pathways that travel the river network: they start from a point snapped to a river.
RIVER_PATHWAYS = frozenset({Pathway.RIVER, Pathway.SPILL})

# What `ReachEntry.intensity` measures on each pathway.
INTENSITY_UNIT = {
    Pathway.OVERLAY: "share of the jurisdiction's population exposed",
    Pathway.RIVER: "routed peak of the wave above base flow, as a fraction of the source's",
    Pathway.SPILL: "peak concentration over the substance's limit (×)",
    Pathway.PLUME: "peak ground concentration over the threshold (×)",
    Pathway.MOBILITY: "peak infectious persons per 100,000",
}


class PopulationBasis(StrEnum):
    """Where a reach entry's population figure comes from, so a table can say so.

    The bundled census (2020, resident population) has one figure per member city; no
    county or grid figures, so every estimate below works at city level.
    """

    # A footprint or plume: the city's census population times the share of its area the
    # footprint covers (people spread evenly over the city's area).
    AREA_SHARE = "area_share"
    # An epidemic: the people the metapopulation model expects to be infected there.
    INFECTIONS = "infections"
    # A river: who lives along the polluted stretch or draws water from it is not known;
    # the whole city's census population is given as an upper bound, never as an estimate.
    WHOLE_CITY = "whole_city"
    # No census figure for the jurisdiction.
    UNKNOWN = "unknown"


@dataclass(frozen=True, slots=True)
class ReachEntry:
    """One jurisdiction the hazard reaches."""

    jurisdiction_code: str
    arrival_hours: float  # from the event's start; 0 where the hazard already is
    intensity: float  # see INTENSITY_UNIT for the pathway
    exposed_population: int | None = None  # an estimate; None where there is none
    detail: Mapping[str, Any] = field(default_factory=dict)
    population_basis: PopulationBasis = PopulationBasis.UNKNOWN
    # At most this many people are exposed (a river's whole city); None where not bounded.
    population_upper_bound: int | None = None


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


def population_by_area_share(census: int | None, area_share: float) -> int | None:
    """The people under a footprint covering `area_share` of a city of `census` people.

    Spread evenly by area, as the census gives one figure per city; a share above 1 (a
    rounding of areas) counts as the whole city.
    """
    if census is None:
        return None
    return round(census * min(max(area_share, 0.0), 1.0))


def river_population(census: int | None) -> tuple[PopulationBasis, int | None]:
    """What is known of the people a river hazard exposes in a city: an upper bound at most.

    The river model traces the water, not the people along it: the estimate stays empty
    and the city's whole census population bounds it from above.
    """
    if census is None:
        return PopulationBasis.UNKNOWN, None
    return PopulationBasis.WHOLE_CITY, census


def recorded_basis(pathway: Pathway, exposed_population: int | None) -> PopulationBasis:
    """The basis of an entry stored before bases were recorded, from what its model did."""
    if exposed_population is None:
        return PopulationBasis.UNKNOWN
    if pathway is Pathway.MOBILITY:
        return PopulationBasis.INFECTIONS
    return PopulationBasis.AREA_SHARE


def ordered(entries: list[ReachEntry]) -> tuple[ReachEntry, ...]:
    """Entries by arrival, then by code, so equal reaches compare and print the same."""
    return tuple(sorted(entries, key=lambda e: (e.arrival_hours, e.jurisdiction_code)))
