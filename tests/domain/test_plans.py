"""Contingency plans: reading YAML with every problem by line, durations, matching, drafting."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest

from crossrisk.domain.durations import format_minutes, parse_minutes
from crossrisk.domain.errors import InvalidInput
from crossrisk.domain.plans.plan import Conditions, RiskFacts, Situation, plan_for
from crossrisk.domain.plans.reading import read_plan
from crossrisk.domain.responsibility import DutyKind, PartyRole, RegionState
from crossrisk.domain.risk import EventLevel, Origin
from crossrisk.services.policy_tables import deadline_policy, default_plan, hazard_types
from tests.domain.test_responsibility import BODIES, HUANGSHAN, XINAN, river
from tests.domain.test_responsibility import draft as draft_default
from tests.support import T0

PLANS = Path(__file__).parents[2] / "crossrisk" / "data" / "plans"
XINAN_FLOOD = (PLANS / "examples" / "xinan_flood.yaml").read_text("utf-8")


def read(text: str):
    return read_plan(text, hazard_types=hazard_types(), jurisdictions={"341000", "330100"})


def problems(text: str) -> list[tuple[int, str]]:
    with pytest.raises(InvalidInput) as caught:
        read(text)
    assert caught.value.key == "plan-invalid"
    return [(p["line"], p["key"]) for p in caught.value.params["errors"]]  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    ("text", "minutes"),
    [
        ("30m", 30),
        ("2h", 120),
        ("1d", 1440),
        ("1h30m", 90),
        ("PT30M", 30),
        ("P1D", 1440),
        ("PT1H30M", 90),
    ],
)
def test_durations_read_short_and_iso_forms(text: str, minutes: int) -> None:
    assert parse_minutes(text) == minutes


@pytest.mark.parametrize("text", ["soon", "30", "0m", "PT", "P", "-1h", "400d", "1.5h", "x" * 50])
def test_what_is_not_a_duration_is_none(text: str) -> None:
    assert parse_minutes(text) is None


def test_durations_are_written_back_short() -> None:
    assert [format_minutes(m) for m in (30, 120, 1440, 90)] == ["30m", "2h", "1d", "1h30m"]


def test_the_default_plan_carries_the_old_deadline_rows_exactly() -> None:
    old = {
        "normal": {
            "handle_and_report": [30, 60, 120, 240],
            "prepare_and_acknowledge": [30, 60, 120, 480],
            "convene": [60, 120, 240, 480],
            "follow_up": [120, 240, 480, 1440],
            "take_command": [60, 120, 240, 480],
        },
        "emergency": {
            "handle_and_report": [15, 30, 60, 120],
            "prepare_and_acknowledge": [15, 30, 60, 240],
            "convene": [30, 60, 120, 240],
            "follow_up": [60, 120, 240, 720],
            "take_command": [30, 60, 120, 240],
        },
    }
    policy = deadline_policy()
    for state, rows in old.items():
        for kind, minutes in rows.items():
            for level, expected in zip(EventLevel, minutes, strict=True):
                assert policy.minutes[(DutyKind(kind), level, RegionState(state))] == expected
    assert policy.min_ack_minutes == 15


def test_every_deadline_of_the_default_cites_a_source_and_platform_defaults_say_so() -> None:
    plan = default_plan()
    report = plan.tasks[0]
    assert report.sources[(EventLevel.I, RegionState.NORMAL)] == "sc-2015"
    assert report.sources[(EventLevel.IV, RegionState.NORMAL)] == "env-2011"
    assert report.sources[(EventLevel.III, RegionState.NORMAL)] == "platform"
    assert plan.sources["platform"].platform_default
    assert not plan.sources["sc-2015"].platform_default
    # No national figure for acknowledging, convening or the emergency-state shortening.
    for task in plan.tasks[1:]:
        assert set(task.sources.values()) == {"platform"}
    assert all(report.sources[(level, RegionState.EMERGENCY)] == "platform" for level in EventLevel)


def test_the_example_plan_has_a_custom_task_for_the_origin() -> None:
    plan = read(XINAN_FLOOD)
    custom = [t.template for t in plan.tasks if t.template.kind is DutyKind.TASK]
    assert custom[0].task == "spillway-warning" and custom[0].title == "发布新安江水库泄洪预警"
    assert plan.conditions.hazard_types == frozenset({"flood_wave"})
    assert plan.conditions.situation.crosses_border is True


def test_every_problem_is_reported_with_its_line() -> None:
    text = XINAN_FLOOD.replace("role: origin\n    kind: task", "role: mayor\n    kind: task")
    text = text.replace("hazard_types: [flood_wave]", "hazard_types: [tsunami]")
    text = text.replace("normal: {I: 2h, II: 4h", "normal: {I: soon, II: 4h")
    lines = text.splitlines()
    found = problems(text)
    assert (lines.index("  hazard_types: [tsunami]") + 1, "unknown-hazard-type") in found
    assert (lines.index("  - role: mayor") + 1, "unknown-role") in found
    # Two tasks (the evacuation and the follow-up) had that row: both are named.
    soon = [i + 1 for i, line in enumerate(lines) if "I: soon" in line]
    assert [(line, "not-duration") for line in soon] == [p for p in found if p[1] == "not-duration"]
    assert len(found) == 2 + len(soon) == 4


def test_missing_cells_unknown_fields_sources_and_jurisdictions_are_refused() -> None:
    text = (
        "code: x\nname: {zh: 甲, en: A}\njurisdiction: '999999'\nextra: 1\n"
        "sources: [{key: s, zh: 甲, en: A}]\n"
        "tasks:\n"
        "  - role: origin\n"
        "    kind: handle_and_report\n"
        "    deadlines: {normal: {I: 1h, II: 1h, III: 1h},"
        " emergency: {I: 1h, II: 1h, III: 1h, IV: 1h}}\n"
        "    source: nope\n"
        "  - role: committee\n"
        "    kind: task\n"
        "    deadlines: {normal: 1h, emergency: 1h}\n"
        "    source: s\n"
    )
    found = problems(text)
    assert (3, "unknown-jurisdiction") in found
    assert (4, "unknown-field") in found
    assert (9, "missing") in found  # normal.IV
    assert (10, "unknown-source") in found
    assert (11, "task-title") in found
    assert (13, "expected-mapping") in found


@pytest.mark.parametrize(
    "text", ["a: [", "- just\n- a list\n", "code: &a x\nname: *a\n", "x\x00y", "a: b\n" * 40_000]
)
def test_broken_lists_aliases_nul_and_huge_files_are_refused(text: str) -> None:
    assert problems(text)


def facts(**overrides: object) -> RiskFacts:
    values: dict[str, object] = dict(
        hazard_type="flood_wave",
        level=EventLevel.II,
        state=RegionState.NORMAL,
        lead_code="341000",
        affected_count=1,
        leaves_region=False,
    )
    values.update(overrides)
    return RiskFacts(**values)  # type: ignore[arg-type]


def test_the_lead_own_plan_comes_before_the_region_and_the_most_specific_first() -> None:
    from dataclasses import replace

    base = read(XINAN_FLOOD)
    region = replace(base, id=1, conditions=Conditions(hazard_types=frozenset({"flood_wave"})))
    specific = replace(base, id=2)  # flood_wave and crossing a border
    member = replace(base, id=3, jurisdiction_code="341000", conditions=Conditions())
    other_member = replace(base, id=4, jurisdiction_code="330100", conditions=Conditions())
    default = default_plan()
    assert plan_for((region, specific), facts(), default).id == 2
    assert plan_for((region, specific, member, other_member), facts(), default).id == 3
    assert plan_for((specific,), facts(affected_count=0), default) is default
    assert plan_for((region,), facts(hazard_type="river_spill"), default) is default
    at_least = replace(base, id=5, conditions=Conditions(situation=Situation(min_affected=2)))
    assert plan_for((at_least,), facts(), default) is default
    assert plan_for((at_least,), facts(affected_count=2), default).id == 5


def test_a_plan_draws_its_own_tasks_for_each_role() -> None:
    plan = read(XINAN_FLOOD)
    result = draft_responsibility_list_with(plan.templates)
    kinds = [(d.kind, d.task, d.party.organisation_code) for d in result.duties]
    assert (DutyKind.TASK, "spillway-warning", "ema-341000") in kinds
    assert (DutyKind.TASK, "evacuate-riverside", "ema-330100") in kinds
    spillway = next(d for d in result.duties if d.task == "spillway-warning")
    assert spillway.party.role is PartyRole.LEAD and spillway.deadline == T0 + timedelta(hours=1)
    assert spillway.title_en == "Open the Xin'anjiang dam's spillway warning"


def test_the_default_plan_drafts_what_the_deadline_table_drafted() -> None:
    from crossrisk.domain.responsibility import draft_responsibility_list

    for state in RegionState:
        by_plan = draft_responsibility_list(
            origins=(Origin("320500", 0.7), Origin("310000", 0.3)),
            reach=river(("320500", 0), ("310000", 0), ("330100", 3.0), leaves=True),
            level=EventLevel.I,
            category="accident_disaster",
            bodies=BODIES,
            policy=deadline_policy(),
            state=state,
            now=T0,
            tasks=default_plan().templates,
        )
        by_table = draft_default(
            (Origin("320500", 0.7), Origin("310000", 0.3)),
            river(("320500", 0), ("310000", 0), ("330100", 3.0), leaves=True),
            level=EventLevel.I,
            state=state,
        )
        assert by_plan == by_table


def draft_responsibility_list_with(templates):
    from crossrisk.domain.responsibility import draft_responsibility_list

    return draft_responsibility_list(
        origins=HUANGSHAN,
        reach=XINAN,
        level=EventLevel.II,
        category="accident_disaster",
        bodies=BODIES,
        policy=deadline_policy(),
        state=RegionState.NORMAL,
        now=T0,
        tasks=templates,
    )
