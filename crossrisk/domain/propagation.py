"""Which propagation model a hazard takes, and the parameters it is assessed with (§3.3).

The model follows from the hazard type (a spill into a river goes downstream, a gas
release goes downwind, an infection travels with commuters); hazard types and the
categories they belong to are policy data (crossrisk/data/policy/hazard_types.toml). The
parameters are part of the risk's assessment: the lead edits them, and the reach is
recomputed from them.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from crossrisk.domain.errors import InvalidInput
from crossrisk.domain.reach import Pathway


@dataclass(frozen=True, slots=True)
class HazardType:
    key: str
    pathway: Pathway
    categories: frozenset[str]
    name_zh: str
    name_en: str


@dataclass(frozen=True, slots=True)
class Parameter:
    """One assessment parameter: its unit, default and the range a person may give."""

    name: str
    unit: str
    default: float | str | None
    minimum: float | None = None
    maximum: float | None = None
    choices: tuple[str, ...] = ()
    integer: bool = False
    # A name rather than a quantity (the spilled substance): free text up to this length.
    text_length: int = 0

    def read(self, value: object) -> float | str | None:
        """Check one given value, refusing it by name and range."""
        if self.text_length:
            return self._read_text(value)
        if self.choices:
            text = str(value).strip()
            matched = next((c for c in self.choices if c.lower() == text.lower()), None)
            if matched is None:
                raise InvalidInput(
                    f"{self.name} must be one of {', '.join(self.choices)}, got {value!r}"
                )
            return matched
        if value is None and self.default is None:
            return None
        if isinstance(value, bool) or not isinstance(value, int | float | str):
            raise InvalidInput(f"{self.name} must be a number ({self.unit}), got {value!r}")
        try:
            number = float(value)
        except ValueError:
            raise InvalidInput(
                f"{self.name} must be a number ({self.unit}), got {str(value)[:32]!r}"
            ) from None
        except OverflowError:  # an integer beyond float range (10**400) is no quantity
            raise InvalidInput(
                f"{self.name} must be a finite number, got {str(value)[:24]}…"
            ) from None
        if not math.isfinite(number):
            raise InvalidInput(f"{self.name} must be a finite number, got {value!r}")
        if self.integer and not number.is_integer():
            raise InvalidInput(f"{self.name} must be a whole number, got {value!r}")
        if self.minimum is not None and number < self.minimum:
            raise InvalidInput(
                f"{self.name} must be at least {self.minimum:g} {self.unit}, got {number:g}"
            )
        if self.maximum is not None and number > self.maximum:
            raise InvalidInput(
                f"{self.name} must be at most {self.maximum:g} {self.unit}, got {number:g}"
            )
        return int(number) if self.integer else number

    def _read_text(self, value: object) -> str | None:
        if value is None:
            return None
        if not isinstance(value, str):
            raise InvalidInput(f"{self.name} must be text, got {str(value)[:32]!r}")
        text = " ".join(value.split())
        if len(text) > self.text_length:
            raise InvalidInput(
                f"{self.name} must be at most {self.text_length} characters, got {len(text)}"
            )
        return text or None


def _specs(*parameters: Parameter) -> dict[str, Parameter]:
    return {p.name: p for p in parameters}


SUBSTANCE_LENGTH = 80
# A spill of less than a gram is no spill; zero or below is refused.
MIN_MASS_KG = 0.001

PARAMETERS: Mapping[Pathway, Mapping[str, Parameter]] = {
    Pathway.OVERLAY: _specs(
        # A point hazard stands for an area around it; a line for a corridor along it.
        Parameter("radius_km", "km", 5.0, minimum=0.1, maximum=200.0),
        Parameter("buffer_km", "km", 1.0, minimum=0.01, maximum=50.0),
    ),
    Pathway.RIVER: _specs(
        # A flood wave: a triangular rise over base flow, routed by Muskingum–Cunge on river
        # edges and by storage on lakes and reservoirs.
        Parameter("snap_tolerance_km", "km", 5.0, minimum=0.1, maximum=20.0),
        Parameter("pulse_hours", "h", 12.0, minimum=0.5, maximum=240.0),
        # The wave's peak above base flow at the source; blank: one mean discharge of the
        # source's river (the reach then reads as shares of the source's peak).
        Parameter("peak_discharge_m3_s", "m³/s", None, minimum=0.1, maximum=200000.0),
        # One celerity for every edge, overriding the measured or kinematic ones.
        Parameter("celerity_m_s", "m/s", None, minimum=0.05, maximum=10.0),
        # Muskingum's X for every edge, overriding the Cunge value from each edge's geometry.
        Parameter("muskingum_x", "", None, minimum=0.0, maximum=0.5),
        Parameter("min_peak_fraction", "", 0.01, minimum=0.0, maximum=1.0),
    ),
    Pathway.SPILL: _specs(
        # A key, Chinese or English name or CAS number of the substance table; the service
        # checks it against the table and stores the key. Blank: the substance is unknown.
        Parameter("substance", "", None, text_length=SUBSTANCE_LENGTH),
        # What was released: a mass, or a rate over `release_hours`. Neither: unknown, and
        # the reach is judged by the share of the source's concentration.
        Parameter("mass_kg", "kg", None, minimum=MIN_MASS_KG, maximum=1e9),
        Parameter("rate_kg_s", "kg/s", None, minimum=1e-6, maximum=1e6),
        # 0: all at once. Otherwise released evenly over this many hours.
        Parameter("release_hours", "h", 0.0, minimum=0.0, maximum=720.0),
        Parameter("horizon_hours", "h", 240.0, minimum=1.0, maximum=8760.0),
        Parameter(
            "limit_basis", "", "surface_class_iii", choices=("surface_class_iii", "drinking_water")
        ),
        # Reached, for a substance without a limit or an unknown mass: the peak is at least
        # this share of the concentration just below the source.
        Parameter("source_fraction", "", 0.01, minimum=1e-9, maximum=1.0),
        Parameter("snap_tolerance_km", "km", 5.0, minimum=0.1, maximum=20.0),
    ),
    Pathway.PLUME: _specs(
        Parameter("substance", "", None, text_length=SUBSTANCE_LENGTH),
        Parameter("emission_g_s", "g/s", 1000.0, minimum=0.0, maximum=1e7),
        Parameter("wind_speed_m_s", "m/s", 3.0, minimum=0.1, maximum=60.0),
        Parameter("wind_from_deg", "°", 315.0, minimum=0.0, maximum=360.0),
        Parameter("stability", "", "D", choices=("A", "B", "C", "D", "E", "F")),
        Parameter("source_height_m", "m", 10.0, minimum=0.0, maximum=1000.0),
        Parameter("terrain", "", "rural", choices=("rural", "urban")),
        Parameter("threshold_g_m3", "g/m³", 1e-4, minimum=1e-12, maximum=10.0),
        Parameter("max_distance_km", "km", 100.0, minimum=1.0, maximum=500.0),
    ),
    Pathway.MOBILITY: _specs(
        Parameter("r0", "", 2.5, minimum=0.1, maximum=20.0),
        Parameter("incubation_days", "d", 5.0, minimum=0.5, maximum=30.0),
        Parameter("infectious_days", "d", 5.0, minimum=0.5, maximum=60.0),
        Parameter("initial_cases", "persons", 10.0, minimum=1.0, maximum=1e7),
        Parameter("threshold_cases", "persons", 10.0, minimum=1.0, maximum=1e7),
        Parameter("days", "d", 180, minimum=1, maximum=730, integer=True),
        # Inter-city trips per resident per day; see crossrisk/geo/MOBILITY.md for the basis.
        Parameter("trip_rate", "trips/person/day", 0.03, minimum=0.0, maximum=2.0),
    ),
}


def assessment_parameters(pathway: Pathway, given: Mapping[str, Any]) -> dict[str, Any]:
    """The full parameter set of a model: given values checked, the rest defaulted."""
    specs = PARAMETERS[pathway]
    unknown = sorted(set(given) - set(specs))
    if unknown:
        raise InvalidInput(
            f"unknown {pathway} parameter(s) {', '.join(unknown)}; known: {', '.join(specs)}"
        )
    values = {
        name: spec.read(given[name]) if name in given else spec.default
        for name, spec in specs.items()
    }
    if pathway is Pathway.SPILL:
        _check_release(values)
    return values


def _check_release(values: Mapping[str, Any]) -> None:
    """A spill's mass, rate and duration agree, and the release ends within the horizon."""
    if values["mass_kg"] is not None and values["rate_kg_s"] is not None:
        raise InvalidInput(
            "give the spill's mass_kg or its rate_kg_s over release_hours, not both",
            key="spill-mass-and-rate",
        )
    if values["rate_kg_s"] is not None and not values["release_hours"]:
        raise InvalidInput(
            "a release rate (rate_kg_s) needs the release's duration (release_hours > 0)",
            key="spill-rate-without-duration",
        )
    if values["release_hours"] > values["horizon_hours"]:
        raise InvalidInput(
            f"the release lasts {values['release_hours']:g} h, longer than the horizon of "
            f"{values['horizon_hours']:g} h; lengthen the horizon",
            key="release-longer-than-horizon",
            params={"release": values["release_hours"], "horizon": values["horizon_hours"]},
        )


def released_mass_kg(values: Mapping[str, Any]) -> float | None:
    """The mass a spill put into the river, from its mass or its rate and duration."""
    if values.get("mass_kg") is not None:
        return float(values["mass_kg"])
    if values.get("rate_kg_s") is not None:
        return float(values["rate_kg_s"]) * float(values["release_hours"]) * 3600.0
    return None


def hazard_type_for(types: Mapping[str, HazardType], key: str | None, category: str) -> HazardType:
    """The hazard type named (or the category's area default), checked against the category."""
    if key is None:
        key = "area"
    found = types.get(key)
    if found is None:
        raise InvalidInput(f"unknown hazard type {key!r}; known: {', '.join(sorted(types))}")
    if found.categories and category not in found.categories:
        allowed = ", ".join(sorted(found.categories))
        raise InvalidInput(f"hazard type {key} belongs to the categories {allowed}, not {category}")
    return found
