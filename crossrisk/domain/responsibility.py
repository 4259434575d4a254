"""Drafting the responsibility list: the origin leads, affected cities assist (§3.3).

发生地为主、波及地为辅: the lead (origin) jurisdiction handles the hazard and reports; each
affected jurisdiction prepares before the hazard arrives and acknowledges; the region's
coordination body convenes and coordinates; the domain office of the category follows the
risk; and where the risk is beyond the region — level I, or reaching beyond its members —
the central office takes command.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from crossrisk.domain.errors import InvalidInput
from crossrisk.domain.reach import Reach
from crossrisk.domain.risk import EventLevel, Origin


class RegionState(StrEnum):
    NORMAL = "normal"  # 常态
    EMERGENCY = "emergency"  # 应急态


class PartyRole(StrEnum):
    LEAD = "lead"  # 牵头（发生地）
    ASSIST = "assist"  # 协助（波及地）
    COORDINATE = "coordinate"  # 综合协调
    FOLLOW = "follow"  # 专项跟进
    COMMAND = "command"  # 中央统一指挥


class DutyKind(StrEnum):
    HANDLE_AND_REPORT = "handle_and_report"  # 先期处置并报告
    PREPARE_AND_ACKNOWLEDGE = "prepare_and_acknowledge"  # 做好防范并确认
    CONVENE = "convene"  # 召集会商、协调
    FOLLOW_UP = "follow_up"  # 专项跟进
    TAKE_COMMAND = "take_command"  # 接管指挥
    TASK = "task"  # 预案规定的其他任务: a plan's own task, named by its code and title
    ACTION = "action"  # 会议决定事项: an action item decided by a coordination meeting
    ITEM = "item"  # 年度计划与合作事项: an item of the committee's annual plan


class PlanRole(StrEnum):
    """The roles a contingency plan's duty template speaks of."""

    ORIGIN = "origin"  # 发生地: the lead, and the other origins of a spanning source
    AFFECTED = "affected"  # 波及地: each reached jurisdiction that is not an origin
    COMMITTEE = "committee"  # the region's coordination body
    DOMAIN_OFFICE = "domain_office"  # the office of the risk's category
    CENTRAL_OFFICE = "central_office"  # only once the risk is escalated


@dataclass(frozen=True, slots=True)
class TaskTemplate:
    """A line of a plan's duty template: a role's task and its minutes by level and state."""

    role: PlanRole
    kind: DutyKind
    minutes: Mapping[tuple[EventLevel, RegionState], int]
    task: str = ""  # "" for the built-in kinds; a plan's own task's code
    title: str | None = None
    title_en: str | None = None


# Who carries each built-in kind when a deadline table, not a plan, drafts the list.
BUILT_IN_ROLES: Mapping[DutyKind, PlanRole] = {
    DutyKind.HANDLE_AND_REPORT: PlanRole.ORIGIN,
    DutyKind.PREPARE_AND_ACKNOWLEDGE: PlanRole.AFFECTED,
    DutyKind.CONVENE: PlanRole.COMMITTEE,
    DutyKind.FOLLOW_UP: PlanRole.DOMAIN_OFFICE,
    DutyKind.TAKE_COMMAND: PlanRole.CENTRAL_OFFICE,
}


def acknowledgement_deadline(
    minutes: int, *, start: datetime, arrival: datetime | None, min_minutes: int
) -> datetime:
    """When an affected city must have acknowledged and be prepared: the one rule.

    The table's minutes from the start, capped at the expected arrival (a city cannot be
    ready after the hazard reached it), but never closer than min_minutes to the start, so
    a hazard already there still leaves time to read the warning. The warning's
    acknowledgement deadline and the prepare_and_acknowledge duty both come from here.
    """
    deadline = start + timedelta(minutes=minutes)
    if arrival is not None:
        deadline = min(deadline, arrival)
    return max(deadline, start + timedelta(minutes=min_minutes))


@dataclass(frozen=True, slots=True)
class DeadlinePolicy:
    """Minutes from drafting to each duty's deadline, by duty, event level and region state."""

    minutes: Mapping[tuple[DutyKind, EventLevel, RegionState], int]
    source: str = ""
    min_ack_minutes: int = 0  # [acknowledgement] min_minutes

    def deadline(
        self, duty: DutyKind, level: EventLevel, state: RegionState, *, start: datetime
    ) -> datetime:
        """When a duty falls due if it starts now."""
        key = (duty, level, state)
        if key not in self.minutes:
            raise InvalidInput(
                f"the deadline policy has no entry for {duty} at level {level} ({state})"
            )
        return start + timedelta(minutes=self.minutes[key])

    def templates(self) -> tuple[TaskTemplate, ...]:
        """The five built-in duties with this table's minutes, as a plan's template."""
        return tuple(
            TaskTemplate(
                role=role,
                kind=kind,
                minutes={(lvl, st): m for (k, lvl, st), m in self.minutes.items() if k is kind},
            )
            for kind, role in BUILT_IN_ROLES.items()
        )

    def prepare_deadline(
        self, level: EventLevel, state: RegionState, *, start: datetime, arrival: datetime | None
    ) -> datetime:
        """An affected city's prepare_and_acknowledge deadline, read at its warning's level."""
        key = (DutyKind.PREPARE_AND_ACKNOWLEDGE, level, state)
        if key not in self.minutes:
            raise InvalidInput(
                f"the deadline policy has no entry for {key[0]} at level {level} ({state})"
            )
        return acknowledgement_deadline(
            self.minutes[key], start=start, arrival=arrival, min_minutes=self.min_ack_minutes
        )


@dataclass(frozen=True, slots=True)
class Party:
    """Who carries duties: a jurisdiction's bureau or one of the region's bodies."""

    role: PartyRole
    organisation_code: str
    jurisdiction_code: str | None = None


@dataclass(frozen=True, slots=True)
class Duty:
    party: Party
    kind: DutyKind
    deadline: datetime
    task: str = ""  # the plan's code of a TASK line; "" for the built-in kinds
    title: str | None = None  # what a TASK line says, in Chinese
    title_en: str | None = None


@dataclass(frozen=True, slots=True)
class Escalation:
    reasons: tuple[str, ...]  # "level-I", "beyond-region"

    @property
    def escalated(self) -> bool:
        return bool(self.reasons)


@dataclass(frozen=True, slots=True)
class RegionBodies:
    """The organisations of the region that carry duties besides the cities."""

    coordination_body: str
    domain_offices: Mapping[str, str]  # risk category -> office code
    central_office: str
    jurisdiction_organisations: Mapping[str, str]  # jurisdiction code -> its bureau


@dataclass(frozen=True, slots=True)
class ResponsibilityList:
    lead_code: str
    duties: tuple[Duty, ...]
    escalation: Escalation
    drafted_at: datetime
    state: RegionState

    @property
    def commander(self) -> str:
        """Who commands: the central office once escalated, else the lead jurisdiction."""
        return "central" if self.escalation.escalated else "lead"


def choose_lead(origins: tuple[Origin, ...], *, override: str | None = None) -> str:
    """The lead jurisdiction: the origin holding the largest share, unless the body chose."""
    if not origins:
        raise InvalidInput("a risk without origin jurisdiction has no lead")
    codes = [o.jurisdiction_code for o in origins]
    if override is not None:
        if override not in codes:
            raise InvalidInput(
                f"the lead must be an origin jurisdiction ({', '.join(codes)}), not {override}",
                key="lead-not-origin",
                params={"lead": override, "origins": tuple(codes)},
            )
        return override
    # Origins are ordered by share, largest first, ties by code.
    return codes[0]


def escalation(level: EventLevel, reach: Reach) -> Escalation:
    """Whether the risk goes to the central office, and why."""
    reasons = []
    if level is EventLevel.I:
        reasons.append("level-I")
    if reach.leaves_region:
        reasons.append("beyond-region")
    return Escalation(reasons=tuple(reasons))


def draft_responsibility_list(
    *,
    origins: tuple[Origin, ...],
    reach: Reach,
    level: EventLevel,
    category: str,
    bodies: RegionBodies,
    policy: DeadlinePolicy,
    state: RegionState,
    now: datetime,
    lead_override: str | None = None,
    warning_levels: Mapping[str, EventLevel] | None = None,
    tasks: Sequence[TaskTemplate] | None = None,
) -> ResponsibilityList:
    """Draft who does what by when for one risk, from a plan's tasks (the policy's five
    built-in duties when none are given).

    `warning_levels` gives, per affected jurisdiction, the level (Ⅰ…Ⅳ) of the warning it
    receives: its prepare_and_acknowledge deadline is read at that level, as the warning's
    acknowledgement deadline is, so the two are one value; without it, the event level.
    """
    lead = choose_lead(origins, override=lead_override)
    origin_codes = {o.jurisdiction_code for o in origins}
    escalated = escalation(level, reach)

    def party(role: PartyRole, code: str) -> Party:
        organisation = bodies.jurisdiction_organisations.get(code)
        if organisation is None:
            raise InvalidInput(f"jurisdiction {code} has no organisation in the region")
        return Party(role=role, organisation_code=organisation, jurisdiction_code=code)

    def parties(role: PlanRole) -> list[Party]:
        if role is PlanRole.ORIGIN:
            # Other origin jurisdictions of a spanning source act too, under the lead.
            others = [o.jurisdiction_code for o in origins if o.jurisdiction_code != lead]
            return [party(PartyRole.LEAD, lead)] + [party(PartyRole.ASSIST, c) for c in others]
        if role is PlanRole.AFFECTED:
            return [
                party(PartyRole.ASSIST, e.jurisdiction_code)
                for e in reach.entries
                if e.jurisdiction_code not in origin_codes
            ]
        if role is PlanRole.COMMITTEE:
            return [Party(PartyRole.COORDINATE, bodies.coordination_body)]
        if role is PlanRole.DOMAIN_OFFICE:
            office = bodies.domain_offices.get(category)
            return [] if office is None else [Party(PartyRole.FOLLOW, office)]
        return [Party(PartyRole.COMMAND, bodies.central_office)] if escalated.escalated else []

    def due(template: TaskTemplate, who: Party) -> datetime:
        if template.kind is DutyKind.PREPARE_AND_ACKNOWLEDGE and who.jurisdiction_code:
            # An affected city must be ready before the hazard arrives, whatever the table says.
            entry = reach.entry(who.jurisdiction_code)
            arrival = None if entry is None else now + timedelta(hours=entry.arrival_hours)
            warned_at = (warning_levels or {}).get(who.jurisdiction_code, level)
            return acknowledgement_deadline(
                _minutes(template, warned_at, state),
                start=now,
                arrival=arrival,
                min_minutes=policy.min_ack_minutes,
            )
        return now + timedelta(minutes=_minutes(template, level, state))

    templates = policy.templates() if tasks is None else tasks
    # The template's roles in the list's order: origin, affected, committee, office, central.
    duties = [
        Duty(
            who,
            template.kind,
            due(template, who),
            task=template.task,
            title=template.title,
            title_en=template.title_en,
        )
        for role in PlanRole
        for template in templates
        if template.role is role
        for who in parties(role)
    ]
    return ResponsibilityList(
        lead_code=lead, duties=tuple(duties), escalation=escalated, drafted_at=now, state=state
    )


def _minutes(template: TaskTemplate, level: EventLevel, state: RegionState) -> int:
    minutes = template.minutes.get((level, state))
    if minutes is None:
        raise InvalidInput(
            f"the deadline policy has no entry for {template.kind} at level {level} ({state})"
        )
    return minutes
