"""Policy tables shipped as data in crossrisk/data/policy."""

from __future__ import annotations

from functools import cache

from crossrisk.alerts.cap.mapping import load_cap_mapping
from crossrisk.data import policy_table
from crossrisk.domain.aid.catalogue import Catalogue, catalogue_from_table
from crossrisk.domain.aid.resource_types import ResourceTypes, resource_types_from_tables
from crossrisk.domain.monitoring.firing import FiringAssessment, read_firing_assessment
from crossrisk.domain.monitoring.variable import Variable, read_variables
from crossrisk.domain.propagation import HazardType
from crossrisk.domain.reach import Pathway
from crossrisk.domain.responsibility import DeadlinePolicy, DutyKind, RegionState
from crossrisk.domain.risk import EventLevel, RiskMatrix
from crossrisk.domain.warning import WarningLevel
from crossrisk.domain.warning_plan import WarningPolicy


@cache
def event_level_matrix() -> RiskMatrix:
    """The 5×5 matrix from likelihood and consequence to event level."""
    table = policy_table("event_levels.toml")
    return RiskMatrix.from_rows(table["levels"], source=table.get("source", ""))


@cache
def deadline_policy() -> DeadlinePolicy:
    """Minutes to each duty's deadline by level and region state."""
    table = policy_table("deadlines.toml")
    minutes = {
        (DutyKind(duty), level, RegionState(state)): int(values[index])
        for state in RegionState
        for duty, values in table[state.value].items()
        for index, level in enumerate(EventLevel)
    }
    return DeadlinePolicy(
        minutes=minutes,
        source=table.get("source", ""),
        min_ack_minutes=int(table["acknowledgement"]["min_minutes"]),
    )


@cache
def duty_reminder_minutes() -> int:
    """How long before its deadline an open duty is reminded to its organisation."""
    return int(policy_table("deadlines.toml")["duty_reminders"]["minutes_before_deadline"])


@cache
def hazard_types() -> dict[str, HazardType]:
    """The hazard types by key, with the model that computes their reach."""
    return {
        key: HazardType(
            key=key,
            pathway=Pathway(entry["model"]),
            categories=frozenset(entry.get("categories", [])),
            name_zh=entry["name_zh"],
            name_en=entry["name_en"],
        )
        for key, entry in policy_table("hazard_types.toml").items()
    }


@cache
def warning_policy() -> WarningPolicy:
    """Warning levels, acknowledgement deadlines and instructions, from the policy tables."""
    deadlines = policy_table("deadlines.toml")
    table = policy_table("warnings.toml")
    mapping = load_cap_mapping()
    # Warning levels and event levels share the national numbering (red Ⅰ … blue Ⅳ), so
    # the acknowledgement deadline of a level's warning is the duty's deadline at that level.
    ack_minutes = {
        (level, state): int(deadlines[state.value]["prepare_and_acknowledge"][level.value - 1])
        for level in WarningLevel
        for state in RegionState
    }
    return WarningPolicy(
        thresholds=mapping.levels,
        ack_minutes=ack_minutes,
        min_ack_minutes=int(deadlines["acknowledgement"]["min_minutes"]),
        arrival_shift_minutes=int(table["update_when_arrival_moves_minutes"]),
        instructions={
            key: (str(texts["zh"]), str(texts["en"]))
            for key, texts in table["instructions"].items()
        },
        validity_hours=mapping.validity_hours,
    )


@cache
def variables() -> dict[str, Variable]:
    """The variables stations may measure, with their units and possible ranges."""
    return read_variables(policy_table("variables.toml"))


@cache
def firing_assessment() -> FiringAssessment:
    """Likelihood and consequence per firing level, checked against the event-level matrix."""
    return read_firing_assessment(
        policy_table("firing_assessment.toml"), matrix=event_level_matrix()
    )


@cache
def aid_catalogue() -> Catalogue:
    """The relief items stocks, requests and offers are kept in, with units and packs."""
    return catalogue_from_table(policy_table("aid_items.toml"))


@cache
def aid_resource_types() -> ResourceTypes:
    """Team kinds and types, equipment kinds and shelter classes, from the policy tables."""
    return resource_types_from_tables(
        policy_table("aid_resource_types.toml"), policy_table("aid_shelter_classes.toml")
    )
