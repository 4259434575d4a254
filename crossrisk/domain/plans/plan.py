"""A contingency plan: when it applies (conditions) and who does what by when (its tasks).

A plan is kept for a region, or for one member jurisdiction of it, and is versioned: the
committee imports a new version, earlier versions stay for the record. The bundled default
plan (id 0) applies where no plan of the region matches.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from crossrisk.domain.responsibility import (
    DutyKind,
    RegionState,
    TaskTemplate,
)
from crossrisk.domain.risk import EventLevel

DEFAULT_PLAN_ID = 0

# What marks a task done, by its kind (the five built-in kinds are done by their own
# action; a plan's own task by the party's confirmation "Mark done").
COMPLETED_BY: Mapping[str, str] = {
    "handle_and_report": "report",
    "prepare_and_acknowledge": "acknowledgement",
    "convene": "convened",
    "follow_up": "confirmation",
    "take_command": "confirmation",
    "task": "confirmation",
}


@dataclass(frozen=True, slots=True)
class Situation:
    """The situation a plan asks for, computable from the analysis; None: either way."""

    crosses_border: bool | None = None  # reaches a jurisdiction that is not an origin
    leaves_region: bool | None = None
    min_affected: int | None = None  # at least this many affected jurisdictions


@dataclass(frozen=True, slots=True)
class Conditions:
    """When a plan applies; an empty set means any."""

    hazard_types: frozenset[str] = frozenset()
    levels: frozenset[EventLevel] = frozenset()
    states: frozenset[RegionState] = frozenset()
    situation: Situation = field(default_factory=Situation)

    @property
    def specificity(self) -> int:
        """How many conditions are set: a plan that asks more is chosen first."""
        s = self.situation
        return sum(
            (
                bool(self.hazard_types),
                bool(self.levels),
                bool(self.states),
                s.crosses_border is not None,
                s.leaves_region is not None,
                s.min_affected is not None,
            )
        )


@dataclass(frozen=True, slots=True)
class Source:
    """Where a deadline comes from: a regulation, or a platform default."""

    key: str
    zh: str
    en: str
    platform_default: bool = False


@dataclass(frozen=True, slots=True)
class PlanTask:
    """One line of the duty template, with each deadline's source key."""

    template: TaskTemplate
    sources: Mapping[tuple[EventLevel, RegionState], str]

    @property
    def completed_by(self) -> str:
        return COMPLETED_BY[self.template.kind.value]


@dataclass(frozen=True, slots=True)
class Plan:
    """One version of a plan, read and checked."""

    code: str
    name_zh: str
    name_en: str
    conditions: Conditions
    tasks: tuple[PlanTask, ...]
    sources: Mapping[str, Source]
    jurisdiction_code: str | None = None  # a member's own plan; None: the region's
    id: int = DEFAULT_PLAN_ID
    version: int = 1
    region_code: str | None = None  # None: the bundled default, every region's

    @property
    def templates(self) -> tuple[TaskTemplate, ...]:
        return tuple(task.template for task in self.tasks)

    def minutes(self, kind: DutyKind, level: EventLevel, state: RegionState) -> int | None:
        """The first task of a built-in kind's minutes at a level and state."""
        for task in self.tasks:
            if task.template.kind is kind:
                return task.template.minutes.get((level, state))
        return None


@dataclass(frozen=True, slots=True)
class RiskFacts:
    """What a plan's conditions are checked against, from the risk and its analysis."""

    hazard_type: str
    level: EventLevel
    state: RegionState
    lead_code: str
    affected_count: int
    leaves_region: bool


def matches(conditions: Conditions, facts: RiskFacts) -> bool:
    """Whether the conditions hold for the risk."""
    s = conditions.situation
    return (
        (not conditions.hazard_types or facts.hazard_type in conditions.hazard_types)
        and (not conditions.levels or facts.level in conditions.levels)
        and (not conditions.states or facts.state in conditions.states)
        and (s.crosses_border is None or s.crosses_border == (facts.affected_count > 0))
        and (s.leaves_region is None or s.leaves_region == facts.leaves_region)
        and (s.min_affected is None or facts.affected_count >= s.min_affected)
    )


def plan_for(plans: tuple[Plan, ...], facts: RiskFacts, default: Plan) -> Plan:
    """The plan in force that matches: the lead's own plan before the region's, the most
    specific first, the newest on a tie; the default when none matches."""
    candidates = [p for p in plans if matches(p.conditions, facts)]
    candidates = [p for p in candidates if p.jurisdiction_code in (None, facts.lead_code)]
    if not candidates:
        return default
    return max(
        candidates,
        key=lambda p: (p.jurisdiction_code is not None, p.conditions.specificity, p.id),
    )


def plan_outline(plan: Plan) -> dict[str, object]:
    """The plan as plain values: what the API returns and the pages show."""
    c, s = plan.conditions, plan.conditions.situation
    return {
        "id": plan.id,
        "code": plan.code,
        "version": plan.version,
        "region": plan.region_code,
        "jurisdiction": plan.jurisdiction_code,
        "name_zh": plan.name_zh,
        "name_en": plan.name_en,
        "conditions": {
            "hazard_types": sorted(c.hazard_types),
            "levels": [level.name for level in EventLevel if level in c.levels],
            "states": [state.value for state in RegionState if state in c.states],
            "crosses_border": s.crosses_border,
            "leaves_region": s.leaves_region,
            "min_affected": s.min_affected,
        },
        "sources": [
            {"key": x.key, "zh": x.zh, "en": x.en, "platform_default": x.platform_default}
            for x in plan.sources.values()
        ],
        "tasks": [
            {
                "role": t.template.role.value,
                "kind": t.template.kind.value,
                "task": t.template.task,
                "title": t.template.title,
                "title_en": t.template.title_en,
                "completed_by": t.completed_by,
                "deadlines": {
                    state.value: {
                        level.name: {
                            "minutes": t.template.minutes[(level, state)],
                            "source": t.sources[(level, state)],
                        }
                        for level in EventLevel
                    }
                    for state in RegionState
                },
            }
            for t in plan.tasks
        ],
    }
