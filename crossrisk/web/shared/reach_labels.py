"""A reach analysis's labels: pathways, what intensities measure, the propagation models'
parameters, units and choices, how populations were counted, and the refusal sentences of
the hazard source and the models (merged into refusal_labels.REFUSAL)."""

from __future__ import annotations

from crossrisk.domain.reach import Pathway, PopulationBasis
from crossrisk.locale import N_

PATHWAY = {
    Pathway.OVERLAY: N_("Footprint overlay"),
    Pathway.RIVER: N_("River network, flood wave routed downstream"),
    Pathway.SPILL: N_("River network, substance carried downstream"),
    Pathway.PLUME: N_("Gaussian plume, downwind"),
    Pathway.MOBILITY: N_("Commuting flows, SEIR"),
}

# What a reach's intensity measures on each pathway (crossrisk.domain.reach.INTENSITY_UNIT).
INTENSITY = {
    Pathway.OVERLAY: N_("Share of the city's population exposed"),
    Pathway.RIVER: N_("Peak of the wave above base flow, as a share of the source's"),
    Pathway.SPILL: N_("Peak concentration, times the substance's limit"),
    Pathway.PLUME: N_("Peak ground concentration, times the threshold"),
    Pathway.MOBILITY: N_("Peak infectious persons per 100,000"),
}

# Flood words for a flood on the river pathway; an analysis stored before spills had a
# pathway of their own (SPILL) computed a spill on the river pathway as a share of the
# source's concentration, and still reads so.
INTENSITY_BY_HAZARD = {
    "river_spill": N_("Peak concentration, as a share of the source's"),
    "flood_wave": N_(
        "Peak discharge above base flow, as a share of the flood wave's at the source"
    ),
}

# The propagation models' parameters (crossrisk.domain.propagation.PARAMETERS), named as
# an officer would fill them in.
PARAMETER = {
    "substance": N_("Substance released"),
    "radius_km": N_("Radius around a point source"),
    "buffer_km": N_("Half-width of the corridor along a line source"),
    "snap_tolerance_km": N_("Largest distance from the source to a river"),
    "pulse_hours": N_("Duration of the flood wave at the source"),
    "peak_discharge_m3_s": N_("Peak of the flood wave above base flow at the source"),
    "mass_kg": N_("Mass released"),
    "rate_kg_s": N_("Release rate (instead of a mass)"),
    "release_hours": N_("Duration of the release"),
    "horizon_hours": N_("Hours followed downstream"),
    "limit_basis": N_("Limit that decides whether a city is reached"),
    "source_fraction": N_("Share of the source's concentration that counts as reached"),
    "celerity_m_s": N_("Speed of the front (blank: from the river network)"),
    "muskingum_x": N_("Muskingum weighting factor X (blank: Cunge, from each reach)"),
    "min_peak_fraction": N_("Smallest peak share still listed"),
    "emission_g_s": N_("Emission rate"),
    "wind_speed_m_s": N_("Wind speed"),
    "wind_from_deg": N_("Wind from (degrees clockwise from north)"),
    "stability": N_("Atmospheric stability class (Pasquill–Gifford)"),
    "source_height_m": N_("Height of the release"),
    "terrain": N_("Terrain"),
    "threshold_g_m3": N_("Concentration threshold"),
    "max_distance_km": N_("Largest downwind distance"),
    "r0": N_("Basic reproduction number R0"),
    "incubation_days": N_("Incubation period"),
    "infectious_days": N_("Infectious period"),
    "initial_cases": N_("Initial cases"),
    "threshold_cases": N_("Cases that count as arrival"),
    "days": N_("Days simulated"),
    "trip_rate": N_("Inter-city trips per resident"),
}

# A parameter named in the words of one hazard type, where its general name says less.
PARAMETER_BY_HAZARD = {
    ("flood_wave", "celerity_m_s"): N_(
        "Speed of the flood wave front (blank: from the river network)"
    ),
}

# What an officer must know to fill in a parameter, beyond its range and default.
PARAMETER_HINT = {
    "mass_kg": N_("in kilograms: 1 t = 1,000 kg; blank if not known"),
    "rate_kg_s": N_("with a duration of the release; leave the mass blank"),
    "release_hours": N_("0: all at once"),
    "horizon_hours": N_("at least the duration of the release"),
    "source_fraction": N_("used only for a substance without a limit or an unknown mass"),
    "peak_discharge_m3_s": N_("blank: one mean discharge of the source's river"),
}

# Lakes and reservoirs a river reach entry may lie in (its detail's "lake").
LAKE = {
    "qiandao": N_("Qiandao Lake"),
    "hongze": N_("Hongze Lake"),
    "taihu": N_("Taihu"),
}

UNIT = {
    "km": N_("km"),
    "h": N_("h"),
    "m/s": N_("m/s"),
    "g/s": N_("g/s"),
    "°": N_("°"),
    "m": N_("m"),
    "g/m³": N_("g/m³"),
    "kg": N_("kg"),
    "kg/s": N_("kg/s"),
    "m³/s": N_("m³/s"),
    "mg/L": N_("mg/L"),
    "d": N_("days"),
    "persons": N_("persons"),
    "trips/person/day": N_("trips per person per day"),
}

# Choices of the parameters that take one: stability classes A (very unstable) to F (stable).
CHOICE = {
    ("stability", "A"): N_("A Very unstable"),
    ("stability", "B"): N_("B Unstable"),
    ("stability", "C"): N_("C Slightly unstable"),
    ("stability", "D"): N_("D Neutral"),
    ("stability", "E"): N_("E Slightly stable"),
    ("stability", "F"): N_("F Stable"),
    ("terrain", "rural"): N_("Rural, open country"),
    ("terrain", "urban"): N_("Urban"),
    ("limit_basis", "surface_class_iii"): N_("Surface water Class III (GB 3838-2002)"),
    ("limit_basis", "drinking_water"): N_("Drinking water (GB 5749-2022)"),
}

# How a reach entry's exposed population was arrived at (crossrisk.domain.reach).
POPULATION_BASIS = {
    PopulationBasis.AREA_SHARE: N_("by the share of the city's area covered (2020 census)"),
    PopulationBasis.INFECTIONS: N_("expected infections (epidemic model, 2020 census)"),
    PopulationBasis.WHOLE_CITY: N_(
        "upper bound: the whole city (2020 census); who lives along the river or draws "
        "water from it is not known"
    ),
    PopulationBasis.UNKNOWN: N_("no census figure"),
}

REACH_REFUSAL = {
    "unknown-substance": N_("There is no substance “%(text)s”; known substances: %(known)s."),
    "risk-not-analysed": N_("Risk %(risk)s has not been analysed yet."),
    "analysis-unknown": N_("Risk %(risk)s has no analysis version %(version)s."),
    "analysis-confirmed-meanwhile": N_(
        "Version %(version)s was confirmed meanwhile; reload the page."
    ),
    "geometry-too-many-vertices": N_(
        "The hazard source has %(count)s vertices; the limit is %(limit)s."
    ),
    "geometry-too-deep": N_("The hazard source nests its coordinates deeper than any geometry."),
    "muskingum-unstable": N_(
        "The river model's parameters are unstable: the time step must lie between 2KX and "
        "2K(1−X). Change the travel time K, the weighting X or the time step."
    ),
    "hazard-outside-region": N_(
        "The hazard source lies (partly) outside the member cities of the region."
    ),
    "hazard-in-no-jurisdiction": N_("The hazard source lies in no member city of the region."),
    "hazard-empty": N_("The hazard source is empty."),
    "hazard-not-geojson": N_("The hazard source must be a GeoJSON geometry object."),
    "river-too-far": N_(
        "The nearest river (%(river)s) is %(distance_km)s km away; the river model needs "
        "a source within %(tolerance_km)s km of a river."
    ),
    "river-needs-point": N_("The river model needs a point source on the river."),
    "no-river-network": N_("Region %(region)s has no river network; choose another hazard type."),
    "no-river-hydraulics": N_(
        "The river network has no flow data for %(river)s; the river models need each "
        "reach's discharge, width, depth and velocity."
    ),
    "spill-mass-and-rate": N_(
        "Give the spill's mass or its release rate over a duration, not both."
    ),
    "spill-rate-without-duration": N_(
        "A release rate needs the duration of the release (more than 0 hours)."
    ),
    "release-longer-than-horizon": N_(
        "The release lasts %(release)s h, longer than the %(horizon)s h followed "
        "downstream; lengthen the hours followed."
    ),
    "analysis-outdated": N_(
        "Version %(version)s is no longer the newest analysis (now %(newest)s); reload the page."
    ),
    "analysis-confirmed": N_("Version %(version)s was confirmed already by %(by)s."),
}
