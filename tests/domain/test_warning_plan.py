"""Planning warnings from a reach: new alerts, updates, cancellations and deadlines."""

from __future__ import annotations

from datetime import timedelta

import pytest

from crossrisk.domain.reach import Pathway, Reach, ReachEntry
from crossrisk.domain.responsibility import RegionState
from crossrisk.domain.warning import WarningLevel, WarningStatus
from crossrisk.domain.warning_plan import (
    Context,
    MessageType,
    Outgoing,
    Thread,
    by_hand,
    minutes_late,
    plan_closing,
    plan_from_reach,
    reminder_due,
)
from crossrisk.services.policy_tables import warning_policy
from tests.support import T0

HUANGSHAN, HANGZHOU, JIAXING = "341000", "330100", "330400"
POLICY = warning_policy()
CONTEXT = Context(risk_id=7, region_code="yrd", state=RegionState.NORMAL, now=T0)


def river(*entries: tuple[str, float, float]) -> Reach:
    return Reach(
        pathway=Pathway.RIVER,
        entries=tuple(ReachEntry(code, hours, intensity) for code, hours, intensity in entries),
        parameters={},
    )


def plan(reach: Reach, threads: dict[str, Thread] | None = None, context: Context = CONTEXT):
    return plan_from_reach(
        reach,
        analysed_at=context.now,
        origin_codes=(HUANGSHAN,),
        threads=threads or {},
        policy=POLICY,
        context=context,
    )


def thread_of(outgoing: Outgoing) -> Thread:
    return Thread(current=outgoing.warning, manual=outgoing.manual, msg_type=outgoing.msg_type)


def test_each_affected_jurisdiction_gets_an_alert_but_the_origin_does_not() -> None:
    planned = plan(river((HUANGSHAN, 0, 1.0), (HANGZHOU, 12.8, 0.6), (JIAXING, 30, 0.1)))

    assert [(o.msg_type, o.warning.recipient_code) for o in planned] == [
        (MessageType.ALERT, HANGZHOU),
        (MessageType.ALERT, JIAXING),
    ]
    hangzhou = planned[0].warning
    assert hangzhou.id == "crossrisk-yrd-7-330100-1"
    assert hangzhou.expected_arrival == T0 + timedelta(hours=12.8)
    # Intensity 0.6 (high) arriving within 24 h is orange by the bundled bands.
    assert hangzhou.level is WarningLevel.ORANGE
    assert hangzhou.status is WarningStatus.ISSUED
    assert hangzhou.instructions_zh == POLICY.instructions_for("orange")[0]


def test_the_ack_deadline_comes_from_the_table_capped_at_arrival_with_a_floor() -> None:
    (far,) = plan(river((HANGZHOU, 40, 0.06)))
    (near,) = plan(river((HANGZHOU, 0.5, 0.06)))
    (here,) = plan(river((HANGZHOU, 0, 0.06)))

    blue_minutes = POLICY.ack_minutes[(WarningLevel.BLUE, RegionState.NORMAL)]
    assert far.warning.level is WarningLevel.BLUE
    assert far.warning.ack_deadline == T0 + timedelta(minutes=blue_minutes)
    assert near.warning.ack_deadline == T0 + timedelta(minutes=30)  # the arrival
    assert here.warning.ack_deadline == T0 + timedelta(minutes=POLICY.min_ack_minutes)
    assert reminder_due(far.warning) == T0 + timedelta(minutes=blue_minutes / 2)


def test_the_emergency_state_halves_the_deadline() -> None:
    emergency = Context(risk_id=7, region_code="yrd", state=RegionState.EMERGENCY, now=T0)
    (normal,) = plan(river((HANGZHOU, 40, 0.06)))
    (urgent,) = plan(river((HANGZHOU, 40, 0.06)), context=emergency)

    assert (urgent.warning.ack_deadline - T0) * 2 == normal.warning.ack_deadline - T0


def test_a_changed_level_updates_the_thread_with_references() -> None:
    (first,) = plan(river((HANGZHOU, 40, 0.06)))
    later = Context(
        risk_id=7, region_code="yrd", state=RegionState.NORMAL, now=T0 + timedelta(hours=1)
    )

    (update,) = plan(river((HANGZHOU, 5, 0.6)), {HANGZHOU: thread_of(first)}, context=later)

    assert update.msg_type is MessageType.UPDATE
    assert update.replaces == first.warning
    assert update.warning.sequence == 2
    assert update.warning.id.endswith("-330100-2")
    assert [r.identifier for r in update.warning.references] == [first.warning.id]
    assert update.warning.level is WarningLevel.RED


def test_a_small_shift_of_arrival_sends_nothing_and_a_large_one_an_update() -> None:
    (first,) = plan(river((HANGZHOU, 12.0, 0.3)))
    threads = {HANGZHOU: thread_of(first)}

    assert plan(river((HANGZHOU, 12.2, 0.3)), threads) == []
    (moved,) = plan(river((HANGZHOU, 13.0, 0.3)), threads)
    assert moved.msg_type is MessageType.UPDATE


def test_a_jurisdiction_no_longer_reached_is_cancelled() -> None:
    planned = plan(river((HANGZHOU, 12, 0.3), (JIAXING, 30, 0.1)))
    threads = {o.warning.recipient_code: thread_of(o) for o in planned}

    (cancel,) = plan(river((HANGZHOU, 12, 0.3)), threads)

    assert cancel.msg_type is MessageType.CANCEL
    assert cancel.warning.recipient_code == JIAXING
    assert cancel.warning.status is WarningStatus.CANCELLED
    assert cancel.warning.instructions_zh == POLICY.instructions_for("cancel")[0]


def test_a_cancelled_thread_reached_again_gets_a_new_alert() -> None:
    (first,) = plan(river((HANGZHOU, 12, 0.3)))
    (cancel,) = plan_closing({HANGZHOU: thread_of(first)}, policy=POLICY, context=CONTEXT)

    (again,) = plan(river((HANGZHOU, 12, 0.3)), {HANGZHOU: thread_of(cancel)})

    assert again.msg_type is MessageType.ALERT
    assert again.warning.sequence == 3
    assert again.warning.references == ()


def test_closing_cancels_every_live_thread_once() -> None:
    planned = plan(river((HANGZHOU, 12, 0.3), (JIAXING, 30, 0.1)))
    threads = {o.warning.recipient_code: thread_of(o) for o in planned}

    cancels = plan_closing(threads, policy=POLICY, context=CONTEXT)
    assert {c.warning.recipient_code for c in cancels} == {HANGZHOU, JIAXING}
    closed = {c.warning.recipient_code: thread_of(c) for c in cancels}
    assert plan_closing(closed, policy=POLICY, context=CONTEXT) == []


def test_a_warning_by_hand_is_never_lowered_or_cancelled_by_the_model() -> None:
    manual = by_hand(
        JIAXING,
        level=WarningLevel.ORANGE,
        arrival=None,
        instructions=("关闭取水口", ""),
        thread=None,
        policy=POLICY,
        context=CONTEXT,
    )
    assert manual.manual and manual.msg_type is MessageType.ALERT
    assert manual.warning.instructions_en == "关闭取水口"  # one language serves both
    threads = {JIAXING: thread_of(manual)}

    assert plan(river((HANGZHOU, 12, 0.3)), threads)[0].warning.recipient_code == HANGZHOU
    assert all(o.warning.recipient_code != JIAXING for o in plan(river(), threads))
    assert plan(river((JIAXING, 30, 0.06)), threads) == []  # blue: milder than orange
    (raised,) = plan(river((JIAXING, 2, 0.9)), threads)
    assert raised.warning.level is WarningLevel.RED and raised.manual


def test_a_warning_by_hand_without_instructions_takes_the_levels() -> None:
    manual = by_hand(
        JIAXING,
        level=WarningLevel.YELLOW,
        arrival=None,
        instructions=(" ", ""),
        thread=None,
        policy=POLICY,
        context=CONTEXT,
    )
    assert (manual.warning.instructions_zh, manual.warning.instructions_en) == (
        POLICY.instructions_for("yellow")
    )


@pytest.mark.parametrize(("minutes", "late"), [(-5, 0.0), (0, 0.0), (30, 30.0)])
def test_minutes_late(minutes: int, late: float) -> None:
    (warning,) = plan(river((HANGZHOU, 40, 0.06)))
    at = warning.warning.ack_deadline + timedelta(minutes=minutes)
    assert minutes_late(warning.warning, at) == late
