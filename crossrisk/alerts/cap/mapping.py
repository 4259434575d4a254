"""The policy table that maps warnings onto CAP 1.2 values (data/policy/cap_mapping.toml)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from types import MappingProxyType
from typing import Any

from crossrisk.data import policy_table
from crossrisk.domain.errors import InvalidInput
from crossrisk.domain.reach import Pathway
from crossrisk.domain.risk import RiskCategory
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
    # CAP 1.2 §3.2.2 contact: the issuing organisation's duty desk, in each language.
    contact_zh: str = ""
    contact_en: str = ""

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
    return cap_mapping_from_table(policy_table("cap_mapping.toml"))


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
        contact_zh=str(table["sender"].get("contact_zh", "")),
        contact_en=str(table["sender"].get("contact_en", "")),
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


# ---------------------------------------------------------------------------------------
# Incoming alerts ([incoming] of the same table)


@dataclass(frozen=True, slots=True)
class IncomingRule:
    """Alerts of these CAP categories (and words, if any) become risks of this kind."""

    categories: frozenset[str]
    words: tuple[str, ...]  # lower case; empty: any event
    risk_category: str
    hazard_type: str
    # Used when the hazard type's model cannot take the alert's area (a flood away
    # from every river of the network).
    fallback_hazard_type: str | None = None

    def matches(self, categories: Sequence[str], text: str) -> bool:
        """True when one of the categories is the rule's and, if it has words, one occurs."""
        if not self.categories.intersection(categories):
            return False
        folded = text.casefold()
        return not self.words or any(word in folded for word in self.words)


@dataclass(frozen=True, slots=True)
class IncomingMapping:
    """How a received CAP alert becomes a risk: its kind and its 5×5 assessment."""

    languages: tuple[str, ...]
    likelihood: Mapping[str, int]  # CAP certainty → likelihood 1..5
    consequence: Mapping[str, int]  # CAP severity → consequence 1..5
    rules: tuple[IncomingRule, ...]
    default: IncomingRule
    source: str = ""

    def rule_for(self, categories: Sequence[str], texts: Sequence[str | None]) -> IncomingRule:
        """The first rule matching the alert's categories and its event or headline."""
        text = "\n".join(value for value in texts if value)
        return next((rule for rule in self.rules if rule.matches(categories, text)), self.default)


def load_incoming_mapping() -> IncomingMapping:
    """The incoming-alert mapping shipped in crossrisk/data/policy/cap_mapping.toml."""
    return _bundled_incoming()


@cache
def _bundled_incoming() -> IncomingMapping:
    return incoming_mapping_from_table(policy_table("cap_mapping.toml"))


def incoming_mapping_from_table(table: Mapping[str, Any]) -> IncomingMapping:
    """Build and check the [incoming] part of the parsed TOML table."""
    try:
        return _build_incoming(table["incoming"], source=str(table.get("source", "")))
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        raise InvalidInput(
            f"the incoming CAP mapping is incomplete or malformed: {exc!r}",
            key="cap-mapping-malformed",
        ) from None


def _build_incoming(table: Mapping[str, Any], *, source: str) -> IncomingMapping:
    languages = tuple(str(language).lower() for language in table["languages"])
    if not languages:
        raise InvalidInput(
            "the incoming CAP mapping names no language", key="cap-mapping-malformed"
        )
    return IncomingMapping(
        languages=languages,
        likelihood=_scale(table["likelihood"], CAP_CERTAINTIES, "certainty"),
        consequence=_scale(table["consequence"], CAP_SEVERITIES, "severity"),
        rules=tuple(_rule(rule, default=False) for rule in table["rules"]),
        default=_rule(table["default"], default=True),
        source=source,
    )


def _scale(values: Mapping[str, Any], known: frozenset[str], name: str) -> Mapping[str, int]:
    scale = {_code(code, known, name): value for code, value in values.items()}
    missing = sorted(known - set(scale))
    if missing:
        raise InvalidInput(
            f"the incoming CAP mapping gives no value for {name} {', '.join(missing)}",
            key="cap-mapping-malformed",
        )
    for code, value in scale.items():
        if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 5:
            raise InvalidInput(
                f"the incoming CAP mapping puts {name} {code} at {value!r}; "
                "it must be an integer from 1 to 5",
                key="cap-mapping-malformed",
            )
    return MappingProxyType(scale)


def _rule(table: Mapping[str, Any], *, default: bool) -> IncomingRule:
    # The default rule applies to whatever no other rule names, so it has no categories.
    categories = () if default else _codes(table["categories"], CAP_CATEGORIES, "category")
    words = table.get("words", [])
    if isinstance(words, str) or not all(isinstance(w, str) and w.strip() for w in words):
        raise InvalidInput(
            f"the words of an incoming CAP rule must be a list of non-empty texts, got {words!r}",
            key="cap-mapping-malformed",
        )
    risk_category = str(table["risk_category"])
    if risk_category not in {category.value for category in RiskCategory}:
        raise InvalidInput(
            f"the incoming CAP mapping names the unknown risk category {risk_category!r}",
            key="cap-mapping-malformed",
        )
    fallback = table.get("fallback_hazard_type")
    return IncomingRule(
        categories=frozenset(categories),
        words=tuple(word.strip().casefold() for word in words),
        risk_category=risk_category,
        hazard_type=str(table["hazard_type"]),
        fallback_hazard_type=None if fallback is None else str(fallback),
    )
