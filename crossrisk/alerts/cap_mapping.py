"""The policy table that maps warnings onto CAP 1.2 values (data/policy/cap_mapping.toml)."""

from __future__ import annotations

import tomllib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from importlib import resources
from types import MappingProxyType
from typing import Any

from crossrisk.domain.errors import InvalidInput
from crossrisk.domain.reach import Pathway
from crossrisk.domain.warning import LevelBand, LevelThresholds, WarningLevel, parse_level

# Code lists of CAP 1.2 §3.2.2 (the XSD's enumerations); the table may use nothing else.
CAP_CATEGORIES = frozenset(
    {
        "Geo",
        "Met",
        "Safety",
        "Security",
        "Rescue",
        "Fire",
        "Health",
        "Env",
        "Transport",
        "Infra",
        "CBRNE",
        "Other",
    }
)
CAP_RESPONSE_TYPES = frozenset(
    {"Shelter", "Evacuate", "Prepare", "Execute", "Avoid", "Monitor", "Assess", "AllClear", "None"}
)
CAP_URGENCIES = frozenset({"Immediate", "Expected", "Future", "Past", "Unknown"})
CAP_SEVERITIES = frozenset({"Extreme", "Severe", "Moderate", "Minor", "Unknown"})
CAP_CERTAINTIES = frozenset({"Observed", "Likely", "Possible", "Unlikely", "Unknown"})


@dataclass(frozen=True, slots=True)
class UrgencyBand:
    """CAP urgency for a lead time up to max_lead_hours (None: any longer lead)."""

    urgency: str
    max_lead_hours: float | None = None


@dataclass(frozen=True, slots=True)
class CapMapping:
    """Warning → CAP values, and the level thresholds, as the policy table gives them."""

    sender_name_zh: str
    sender_name_en: str
    restriction_zh: str
    restriction_en: str
    categories: Mapping[str, tuple[str, ...]]  # risk category → CAP categories
    hazard_categories: Mapping[tuple[str, str], tuple[str, ...]]  # (category, hazard type)
    severity: Mapping[WarningLevel, str]
    urgency_bands: tuple[UrgencyBand, ...]
    urgency_unknown_arrival: str
    certainty_model: str
    certainty_observed: str
    response_types: Mapping[WarningLevel, tuple[str, ...]]
    cancel_response_types: tuple[str, ...]
    cancel_urgency: str
    validity_hours: float
    levels: LevelThresholds
    source: str = ""

    def cap_categories(self, risk_category: str, hazard_type: str | None = None) -> tuple[str, ...]:
        """CAP categories of a risk, the hazard type's where it says more than the category."""
        specific = self.hazard_categories.get((str(risk_category), hazard_type or ""))
        if specific is not None:
            return specific
        try:
            return self.categories[str(risk_category)]
        except KeyError:
            raise InvalidInput(
                f"no CAP category is mapped for risk category {risk_category!r}",
                key="cap-category-unmapped",
                params={"category": str(risk_category)},
            ) from None

    def urgency_for(self, lead_time_hours: float | None) -> str:
        """CAP urgency for the hours until the hazard arrives (None: unknown arrival)."""
        if lead_time_hours is None:
            return self.urgency_unknown_arrival
        lead = max(lead_time_hours, 0.0)
        for band in self.urgency_bands:
            if band.max_lead_hours is None or lead <= band.max_lead_hours:
                return band.urgency
        raise AssertionError("the loader demands an open-ended last urgency band")

    def certainty_for(self, *, observed: bool) -> str:
        """CAP certainty: Observed when measured at the recipient, else the model's."""
        return self.certainty_observed if observed else self.certainty_model


def load_cap_mapping() -> CapMapping:
    """The CAP mapping shipped in crossrisk/data/policy/cap_mapping.toml."""
    return _bundled()


@cache
def _bundled() -> CapMapping:
    path = resources.files("crossrisk.data").joinpath("policy/cap_mapping.toml")
    return cap_mapping_from_table(tomllib.loads(path.read_text("utf-8")))


def cap_mapping_from_table(table: Mapping[str, Any]) -> CapMapping:
    """Build and check the mapping from the parsed TOML table, refusing unknown CAP codes."""
    try:
        return _build(table)
    except (KeyError, TypeError, ValueError) as exc:
        raise InvalidInput(
            f"the CAP mapping table is incomplete or malformed: {exc!r}",
            key="cap-mapping-malformed",
        ) from None


def _build(table: Mapping[str, Any]) -> CapMapping:
    urgency_bands = tuple(
        UrgencyBand(
            urgency=_code(band["urgency"], CAP_URGENCIES, "urgency"),
            max_lead_hours=_hours(band.get("max_lead_hours")),
        )
        for band in table["urgency"]["bands"]
    )
    if not urgency_bands or urgency_bands[-1].max_lead_hours is not None:
        raise InvalidInput("the last urgency band must have no max_lead_hours (any lead time)")
    return CapMapping(
        sender_name_zh=str(table["sender"]["name_zh"]),
        sender_name_en=str(table["sender"]["name_en"]),
        restriction_zh=str(table["scope"]["restriction_zh"]),
        restriction_en=str(table["scope"]["restriction_en"]),
        categories=_frozen(
            {
                category: _codes(values, CAP_CATEGORIES, "category")
                for category, values in table["cap_category"].items()
            }
        ),
        hazard_categories=_frozen(
            {
                (category, hazard): _codes(values, CAP_CATEGORIES, "category")
                for category, hazards in table.get("cap_category_by_hazard", {}).items()
                for hazard, values in hazards.items()
            }
        ),
        severity=_frozen(
            {
                parse_level(key): _code(value, CAP_SEVERITIES, "severity")
                for key, value in table["severity"].items()
            },
            complete=True,
        ),
        urgency_bands=urgency_bands,
        urgency_unknown_arrival=_code(
            table["urgency"]["unknown_arrival"], CAP_URGENCIES, "urgency"
        ),
        certainty_model=_code(table["certainty"]["model"], CAP_CERTAINTIES, "certainty"),
        certainty_observed=_code(table["certainty"]["observed"], CAP_CERTAINTIES, "certainty"),
        response_types=_frozen(
            {
                parse_level(key): _codes(values, CAP_RESPONSE_TYPES, "responseType")
                for key, values in table["response_type"].items()
            },
            complete=True,
        ),
        cancel_response_types=_codes(
            table["cancel"]["response_type"], CAP_RESPONSE_TYPES, "responseType"
        ),
        cancel_urgency=_code(table["cancel"]["urgency"], CAP_URGENCIES, "urgency"),
        validity_hours=float(table["validity"]["hours_after_onset"]),
        levels=LevelThresholds(
            bands={
                Pathway(pathway): tuple(
                    LevelBand(
                        level=parse_level(band["level"]),
                        min_intensity=float(band["min_intensity"]),
                        max_lead_hours=_hours(band.get("max_lead_hours")),
                    )
                    for band in bands
                )
                for pathway, bands in table["levels"].items()
            },
            source=str(table.get("source", "")),
        ),
        source=str(table.get("source", "")),
    )


def _code(value: object, known: frozenset[str], name: str) -> str:
    if not isinstance(value, str) or value not in known:
        raise InvalidInput(
            f"{value!r} is not a CAP 1.2 {name}; known: {', '.join(sorted(known))}",
            key="cap-code-unknown",
            params={"name": name, "value": str(value)},
        )
    return value


def _codes(values: Sequence[object], known: frozenset[str], name: str) -> tuple[str, ...]:
    if isinstance(values, str) or not values:
        raise InvalidInput(f"CAP {name} values must be a non-empty list, got {values!r}")
    return tuple(_code(value, known, name) for value in values)


def _hours(value: Any) -> float | None:
    return None if value is None else float(value)


def _frozen(values: Mapping[Any, Any], *, complete: bool = False) -> Mapping[Any, Any]:
    if complete:
        missing = [level.key for level in WarningLevel if level not in values]
        if missing:
            raise InvalidInput(f"the CAP mapping gives no value for level(s) {', '.join(missing)}")
    return MappingProxyType(dict(values))
