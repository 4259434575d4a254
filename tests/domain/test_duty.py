"""Duties: one deadline shared with the warning, statuses read against the clock, reminders."""

from __future__ import annotations

from datetime import timedelta

import pytest

from crossrisk.domain.duty import (
    DutyRecord,
    DutyStatus,
    ReminderPolicy,
    ShownStatus,
    next_deadline,
    next_reminder,
    source_of,
)
from crossrisk.domain.errors import Conflict, InvalidInput
from crossrisk.domain.reach import Pathway, Reach, ReachEntry
from crossrisk.domain.responsibility import (
    DutyKind,
    PartyRole,
    RegionBodies,
    RegionState,
    acknowledgement_deadline,
    draft_responsibility_list,
)
from crossrisk.domain.risk import EventLevel, Origin
from crossrisk.domain.warning import WarningLevel
from crossrisk.services.policy_tables import deadline_policy, warning_policy
from tests.support import T0

BODIES = RegionBodies(
    coordination_body="yrd-committee",
    domain_offices={},
    central_office="central-office",
    jurisdiction_organisations={"341000": "ema-341000", "330100": "ema-330100"},
)


def duty(**changes: object) -> DutyRecord:
    values: dict[str, object] = dict(
        id=7,
        risk_id=1,
        region_code="yrd",
        kind=DutyKind.HANDLE_AND_REPORT,
        role=PartyRole.LEAD,
        organisation_code="ema-341000",
        jurisdiction_code="341000",
        deadline=T0 + timedelta(hours=1),
        status=DutyStatus.OPEN,
        assigned_at=T0,
    )
    values.update(changes)
    return DutyRecord(**values)  # type: ignore[arg-type]


def test_the_acknowledgement_deadline_is_capped_at_arrival_but_keeps_its_minimum() -> None:
    assert acknowledgement_deadline(480, start=T0, arrival=None, min_minutes=15) == T0 + timedelta(
        minutes=480
    )
    arrival = T0 + timedelta(hours=2)
    assert acknowledgement_deadline(480, start=T0, arrival=arrival, min_minutes=15) == arrival
    assert acknowledgement_deadline(480, start=T0, arrival=T0, min_minutes=15) == T0 + timedelta(
        minutes=15
    )


@pytest.mark.parametrize("level", list(WarningLevel))
@pytest.mark.parametrize("hours", [0.0, 0.5, 3.0, 30.0])
def test_an_affected_citys_duty_falls_due_when_its_warning_must_be_acknowledged(
    level: WarningLevel, hours: float
) -> None:
    reach = Reach(
        pathway=Pathway.RIVER,
        entries=(ReachEntry("341000", 0.0, 1.0), ReachEntry("330100", hours, 0.5)),
        parameters={},
    )
    drafted = draft_responsibility_list(
        origins=(Origin("341000", 1.0),),
        reach=reach,
        level=EventLevel.I,  # the event's level differs from the warning's
        category="accident_disaster",
        bodies=BODIES,
        policy=deadline_policy(),
        state=RegionState.NORMAL,
        now=T0,
        warning_levels={"330100": list(EventLevel)[level.value - 1]},
    )
    (prepare,) = [d for d in drafted.duties if d.kind is DutyKind.PREPARE_AND_ACKNOWLEDGE]
    warned = warning_policy().ack_deadline(
        level, RegionState.NORMAL, issued_at=T0, arrival=T0 + timedelta(hours=hours)
    )
    assert prepare.deadline == warned


def test_an_open_duty_is_late_after_its_deadline_and_done_late_keeps_both_times() -> None:
    owed = duty()
    assert owed.shown(owed.deadline) is ShownStatus.OPEN
    assert owed.shown(owed.deadline + timedelta(seconds=1)) is ShownStatus.LATE
    done = owed.complete(by="x", via="risk.reported", now=owed.deadline + timedelta(minutes=5))
    assert done.shown(T0) is ShownStatus.DONE_LATE
    assert (done.deadline, done.minutes_late()) == (owed.deadline, 5.0)
    with pytest.raises(Conflict):
        done.complete(by="x", via="risk.reported", now=T0)
    with pytest.raises(Conflict):
        done.waive(by="c", reason="r", now=T0)


def test_a_waiver_needs_a_reason() -> None:
    with pytest.raises(InvalidInput):
        duty().waive(by="c", reason="  ", now=T0)
    waived = duty().waive(by="c", reason="省级统一部署", now=T0)
    assert waived.shown(T0) is ShownStatus.WAIVED and waived.reason == "省级统一部署"


REMINDERS = ReminderPolicy(
    minutes_before=15, follow_up_days_before=7, follow_up_every=timedelta(hours=24)
)


def test_a_response_duty_is_reminded_once_before_its_deadline_but_not_before_half_way() -> None:
    assert next_reminder(duty(), REMINDERS) == T0 + timedelta(minutes=45)
    short = duty(deadline=T0 + timedelta(minutes=20))
    assert next_reminder(short, REMINDERS) == T0 + timedelta(minutes=10)
    assert next_reminder(duty(reminded_at=T0 + timedelta(minutes=45)), REMINDERS) is None


def test_follow_up_work_is_reminded_a_week_ahead_when_due_and_daily_while_overdue() -> None:
    due = T0 + timedelta(days=90)
    work = duty(kind=DutyKind.ACTION, deadline=due)
    assert next_reminder(work, REMINDERS) == due - timedelta(days=7)
    assert (
        next_reminder(
            duty(kind=DutyKind.ACTION, reminded_at=due - timedelta(days=7), deadline=due), REMINDERS
        )
        == due
    )
    # Overdue: again a day after the last reminder, never sooner.
    last = due + timedelta(hours=3)
    again = duty(kind=DutyKind.ITEM, deadline=due, reminded_at=last)
    assert next_reminder(again, REMINDERS) == last + timedelta(hours=24)
    # Reminded just before its deadline: the next waits a day, not until the deadline only.
    close = duty(kind=DutyKind.ACTION, deadline=due, reminded_at=due - timedelta(hours=2))
    assert next_reminder(close, REMINDERS) == due + timedelta(hours=22)
    # Work given two days is first reminded half-way, not a week before.
    soon = duty(kind=DutyKind.ACTION, deadline=T0 + timedelta(days=2))
    assert next_reminder(soon, REMINDERS) == T0 + timedelta(days=1)


def test_a_reanalysis_brings_a_deadline_forward_but_never_postpones_it() -> None:
    owed = duty()
    assert next_deadline(owed, T0 + timedelta(hours=3), warned=None) == owed.deadline
    assert next_deadline(owed, T0 + timedelta(minutes=30), warned=None) == T0 + timedelta(
        minutes=30
    )
    prepare = duty(kind=DutyKind.PREPARE_AND_ACKNOWLEDGE)
    later = T0 + timedelta(hours=5)
    assert next_deadline(prepare, T0, warned=later) == later  # the live warning's, always


@pytest.mark.parametrize(
    ("source", "found"),
    [
        ("review:3", ("review", 3)),
        ("meeting:7", ("meeting", 7)),
        ("annual:12", ("annual", 12)),
        ("plan:3@2", ("plan", 3)),
        ("", None),
        ("review:", None),
        ("review:x", None),
        ("review:١٢", None),
    ],
)
def test_a_duty_names_what_drew_it(source: str, found: tuple[str, int] | None) -> None:
    assert source_of(duty(source=source)) == found
