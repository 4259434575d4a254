"""What the plan pages show: conditions in words, the task table by role, line problems."""

from __future__ import annotations

from dataclasses import dataclass

from crossrisk.domain.durations import format_minutes
from crossrisk.domain.plans.plan import Plan
from crossrisk.domain.responsibility import DutyKind, PlanRole, RegionState
from crossrisk.domain.risk import EventLevel
from crossrisk.locale import N_
from crossrisk.services.policy_tables import hazard_types
from crossrisk.web.shared import responsibility_labels, risk_labels
from crossrisk.web.shared.i18n import PageLanguage

PLAN_ROLE = {
    PlanRole.ORIGIN: N_("Origin (lead)"),
    PlanRole.AFFECTED: N_("Affected jurisdictions"),
    PlanRole.COMMITTEE: N_("Coordination body"),
    PlanRole.DOMAIN_OFFICE: N_("Domain office"),
    PlanRole.CENTRAL_OFFICE: N_("Central office (once escalated)"),
}
COMPLETED_BY = {
    "report": N_("The lead's report"),
    "acknowledgement": N_("Acknowledging the warning"),
    "convened": N_("The committee's confirmation or a meeting convened"),
    "confirmation": N_("The party's own confirmation (Mark done)"),
}
STATE = {RegionState.NORMAL: N_("Normal state"), RegionState.EMERGENCY: N_("Emergency state")}


@dataclass(frozen=True, slots=True)
class DeadlineCell:
    level: str
    duration: str
    source_number: int


@dataclass(frozen=True, slots=True)
class TaskRow:
    role: str
    what: str
    custom: bool
    completed_by: str
    by_state: tuple[tuple[str, tuple[DeadlineCell, ...]], ...]


@dataclass(frozen=True, slots=True)
class SourceNote:
    number: int
    text: str
    platform_default: bool


@dataclass(frozen=True, slots=True)
class PlanPage:
    name: str
    conditions: tuple[str, ...]
    rows: tuple[TaskRow, ...]
    sources: tuple[SourceNote, ...]


def plan_page(plan: Plan, lang: PageLanguage) -> PlanPage:
    """The plan in the page's language, its sources numbered in the order cited."""
    _ = lang.gettext
    numbers = {key: n for n, key in enumerate(plan.sources, start=1)}
    rows = []
    for role in PlanRole:
        for task in (t for t in plan.tasks if t.template.role is role):
            t = task.template
            custom = t.kind is DutyKind.TASK
            what = (
                lang.pick(t.title or "", t.title_en or "")
                if custom
                else _(responsibility_labels.DUTY[t.kind])
            )
            rows.append(
                TaskRow(
                    role=_(PLAN_ROLE[role]),
                    what=what,
                    custom=custom,
                    completed_by=_(COMPLETED_BY[task.completed_by]),
                    by_state=tuple(
                        (
                            _(STATE[state]),
                            tuple(
                                DeadlineCell(
                                    level=level.name,
                                    duration=format_minutes(t.minutes[(level, state)]),
                                    source_number=numbers[task.sources[(level, state)]],
                                )
                                for level in EventLevel
                            ),
                        )
                        for state in RegionState
                    ),
                )
            )
    sources = tuple(
        SourceNote(numbers[key], lang.pick(s.zh, s.en), s.platform_default)
        for key, s in plan.sources.items()
    )
    return PlanPage(
        name=lang.pick(plan.name_zh, plan.name_en),
        conditions=conditions_text(plan, lang),
        rows=tuple(rows),
        sources=sources,
    )


def conditions_text(plan: Plan, lang: PageLanguage) -> tuple[str, ...]:
    """Each condition as a sentence; one sentence when the plan applies to every risk."""
    _ = lang.gettext
    c, s = plan.conditions, plan.conditions.situation
    said = []
    if c.hazard_types:
        known = hazard_types()
        names = [lang.pick(known[h].name_zh, known[h].name_en) for h in sorted(c.hazard_types)]
        said.append(_("Hazard type: %(types)s") % {"types": "; ".join(names)})
    if c.levels:
        levels = [_(risk_labels.LEVEL[level]) for level in EventLevel if level in c.levels]
        said.append(_("Event level: %(levels)s") % {"levels": ", ".join(levels)})
    if c.states:
        said.append(
            _("Region state: %(states)s")
            % {"states": ", ".join(_(STATE[x]) for x in RegionState if x in c.states)}
        )
    if s.crosses_border is not None:
        said.append(
            _("The reach crosses a border") if s.crosses_border else _("The reach stays at home")
        )
    if s.leaves_region is not None:
        said.append(
            _("The reach leaves the region")
            if s.leaves_region
            else _("The reach stays within the region")
        )
    if s.min_affected is not None:
        said.append(_("At least %(count)s affected jurisdictions") % {"count": s.min_affected})
    return tuple(said) or (_("Every risk (no condition)"),)
