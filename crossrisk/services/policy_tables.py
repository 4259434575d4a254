"""Policy tables shipped as data in crossrisk/data/policy."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta
from functools import cache

from crossrisk.alerts.cap.mapping import load_cap_mapping
from crossrisk.data import bundled_plan_text, policy_table
from crossrisk.domain.accountability.findings import AccountabilityPolicy
from crossrisk.domain.aid.catalogue import Catalogue, catalogue_from_table
from crossrisk.domain.aid.resource_types import ResourceTypes, resource_types_from_tables
from crossrisk.domain.duty import ReminderPolicy
from crossrisk.domain.monitoring.firing import FiringAssessment, read_firing_assessment
from crossrisk.domain.monitoring.variable import Variable, read_variables
from crossrisk.domain.plans.plan import Plan
from crossrisk.domain.plans.reading import read_plan
from crossrisk.domain.propagation import HazardType
from crossrisk.domain.reach import Pathway
from crossrisk.domain.responsibility import (
    BUILT_IN_ROLES,
    DeadlinePolicy,
    DutyKind,
    RegionState,
)
from crossrisk.domain.risk import EventLevel, RiskMatrix
from crossrisk.domain.trust.reputation import EvidenceKind, TrustPolicy
from crossrisk.domain.warning import WarningLevel
from crossrisk.domain.warning_plan import WarningPolicy


@cache
def event_level_matrix() -> RiskMatrix:
    """The 5×5 matrix from likelihood and consequence to event level."""
    table = policy_table("event_levels.toml")
    return RiskMatrix.from_rows(table["levels"], source=table.get("source", ""))


@cache
def default_plan() -> Plan:
    """The bundled default contingency plan (crossrisk/data/plans/default.yaml, id 0): the
    one source of the built-in duties' deadlines, every region's plan where none matches."""
    return read_plan(bundled_plan_text("default.yaml"), hazard_types=hazard_types())


def _plan_minutes(kind: DutyKind, level: EventLevel, state: RegionState) -> int:
    minutes = default_plan().minutes(kind, level, state)
    if minutes is None:
        raise ValueError(f"the default plan has no {kind} deadline at {level} ({state})")
    return minutes


@cache
def deadline_policy() -> DeadlinePolicy:
    """Minutes to each built-in duty's deadline by level and region state, from the default
    plan; the acknowledgement's floor from deadlines.toml."""
    return DeadlinePolicy(
        minutes={
            (kind, level, state): _plan_minutes(kind, level, state)
            for kind in BUILT_IN_ROLES
            for level in EventLevel
            for state in RegionState
        },
        source=f"{default_plan().name_en} (crossrisk/data/plans/default.yaml)",
        min_ack_minutes=int(policy_table("deadlines.toml")["acknowledgement"]["min_minutes"]),
    )


@cache
def redraw_open_duties_on_switch() -> bool:
    """Whether a switch of the region's state draws its open risks' lists again."""
    return bool(policy_table("deadlines.toml")["region_state"]["redraw_open_duties"])


@cache
def duty_reminder_policy() -> ReminderPolicy:
    """When open duties are reminded to their organisations."""
    table = policy_table("deadlines.toml")["duty_reminders"]
    return ReminderPolicy(
        minutes_before=int(table["minutes_before_deadline"]),
        follow_up_days_before=int(table["follow_up_days_before_deadline"]),
        follow_up_every=timedelta(hours=float(table["overdue_every_hours"])),
    )


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
    # the acknowledgement deadline of a level's warning is the default plan's
    # prepare_and_acknowledge deadline at that level.
    ack_minutes = {
        (level, state): _plan_minutes(
            DutyKind.PREPARE_AND_ACKNOWLEDGE, list(EventLevel)[level.value - 1], state
        )
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


def plan_warning_policy(plan: Plan) -> WarningPolicy:
    """The warning policy with the acknowledgement deadlines of the plan that drew a risk's
    list, where it sets them (its prepare_and_acknowledge task), so that the warning and the
    affected city's duty fall due together under every plan; else the default plan's."""
    base = warning_policy()
    ack_minutes = dict(base.ack_minutes)
    for level, state in base.ack_minutes:
        minutes = plan.minutes(
            DutyKind.PREPARE_AND_ACKNOWLEDGE, list(EventLevel)[level.value - 1], state
        )
        if minutes is not None:
            ack_minutes[(level, state)] = minutes
    return replace(base, ack_minutes=ack_minutes)


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


@cache
def accountability_policy() -> AccountabilityPolicy:
    """Detection thresholds and the default statement period (accountability.toml)."""
    table = policy_table("accountability.toml")
    return AccountabilityPolicy(
        report_tolerance=float(table["report_correction"]["tolerance"]),
        aid_answer_hours=float(table["aid_answer"]["hours"]),
        statement_days=int(table["statement"]["days"]),
        source=str(table.get("source", "")),
    )


@cache
def trust_policy(region_code: str) -> TrustPolicy:
    """The region's trust settings (trust.toml): its own λ, else the platform default."""
    table = policy_table("trust.toml")
    settings = {**table["default"], **table.get("regions", {}).get(region_code, {})}
    period = settings.get("period_days")
    return TrustPolicy(
        increments={
            EvidenceKind(kind): (float(pair[0]), float(pair[1]))
            for kind, pair in table["increments"].items()
        },
        forgetting=float(settings["forgetting"]),
        period=None if period is None else timedelta(days=float(period)),
    )
