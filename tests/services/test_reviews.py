"""After-action reviews of a risk: metrics from its journal, the evaluator's ratings, the
committee's corrective actions as duties reminded once; refusals write nothing. Both backends."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from crossrisk.domain.duty import ShownStatus
from crossrisk.domain.errors import CrossriskError, InvalidInput, NotPermitted
from crossrisk.domain.evaluation.review import Rating
from crossrisk.domain.responsibility import DutyKind
from crossrisk.services import duties, duty_reminders, evaluation, reviews, risks
from crossrisk.store.uow import UnitOfWork
from tests.support import T0, XINAN_SPILL, actor, draft

HUANGSHAN = "ema-341000"
HANGZHOU = "ema-330100"
COMMITTEE = "yrd-committee"
EVALUATOR = "yrd-evaluator"
NOW = T0 + timedelta(days=2)


def register_spill(uow: UnitOfWork) -> int:
    risk = risks.register_risk(
        uow, actor(uow, HUANGSHAN), draft(**XINAN_SPILL), region_code="yrd", now=T0
    )
    assert risk.id is not None
    return risk.id


def journal(uow: UnitOfWork, prefix: str) -> list[dict[str, Any]]:
    with uow.read_only() as tx:
        return [dict(e.payload) for e in tx.journal.entries() if e.action.startswith(prefix)]


def journal_length(uow: UnitOfWork) -> int:
    with uow.read_only() as tx:
        return len(list(tx.journal.entries()))


def test_metrics_come_from_the_risks_journal(uow: UnitOfWork) -> None:
    risk_id = register_spill(uow)
    duties.file_report(
        uow, actor(uow, HUANGSHAN), risk_id, text="已围堵泄漏点", now=T0 + timedelta(minutes=20)
    )

    metrics = evaluation.risk_metrics(uow, actor(uow, HANGZHOU), risk_id, now=NOW)

    by_name = {(m.name, m.party): m for m in metrics}
    assert by_name[("report_latency", None)].value == 20.0
    assert by_name[("report_on_time", HUANGSHAN)].value == 1.0
    assert by_name[("escalation_latency", None)].value is None
    assert by_name[("aid_fill_rate", None)].value is None
    with uow.read_only() as tx:
        assert evaluation.metrics_of_risks(tx, [risk_id], now=NOW) == metrics


def test_a_drills_risks_are_measured_as_one_activity(uow: UnitOfWork) -> None:
    first = register_spill(uow)
    second = register_spill(uow)
    duties.file_report(
        uow, actor(uow, HUANGSHAN), second, text="第二处泄漏", now=T0 + timedelta(minutes=50)
    )

    with uow.read_only() as tx:
        both = evaluation.metrics_of_risks(tx, [first, second], now=NOW)
        alone = evaluation.metrics_of_risks(tx, [first], now=NOW)

    latency = {m.name: m.value for m in both if m.party is None}["report_latency"]
    assert latency == 50.0  # from the first registration to the first report of either
    assert {m.name: m.value for m in alone if m.party is None}["report_latency"] is None
    counted = {m.name: m.value for m in both if m.party is None}["duties_counted"]
    assert counted == 2 * {m.name: m.value for m in alone if m.party is None}["duties_counted"]


def test_metrics_of_too_many_risks_are_refused(uow: UnitOfWork) -> None:
    with uow.read_only() as tx, pytest.raises(InvalidInput):
        evaluation.metrics_of_risks(tx, [], now=NOW)


def test_the_evaluator_rates_a_capability_and_a_later_rating_replaces_it(uow: UnitOfWork) -> None:
    risk_id = register_spill(uow)
    evaluator = actor(uow, EVALUATOR)

    reviews.rate_capability(
        uow,
        evaluator,
        risk_id,
        capability="public_information_and_warning",
        rating="s",
        strengths="预警及时",
        improvements="确认迟缓",
        now=NOW,
    )
    reviews.rate_capability(
        uow, evaluator, risk_id, capability="public_information_and_warning", rating="M", now=NOW
    )

    report = reviews.review_of_risk(uow, actor(uow, HANGZHOU), risk_id, now=NOW)
    assert report.review is not None and report.review.risk_id == risk_id
    assert report.ratings["public_information_and_warning"].rating is Rating.M
    assert len(report.review.ratings) == 1
    (begun,) = journal(uow, "review.begun")
    assert begun["risk_id"] == risk_id
    rated = journal(uow, "review.rated")
    assert [r["rating"] for r in rated] == ["S", "M"]
    assert rated[0]["strengths"] == "预警及时"
    # The review's own entries are no part of the risk's handling.
    assert not any(e.action.startswith("review.") for e in report.timeline)
    assert HUANGSHAN in report.parties


@pytest.mark.parametrize(
    ("who", "changes", "refusal"),
    [
        (EVALUATOR, {"rating": "X"}, InvalidInput),
        (EVALUATOR, {"rating": ""}, InvalidInput),
        (EVALUATOR, {"capability": "cooking"}, InvalidInput),
        (EVALUATOR, {"strengths": "a\x00b"}, InvalidInput),
        (EVALUATOR, {"strengths": "长" * 2001}, InvalidInput),
        (COMMITTEE, {}, NotPermitted),
        (HANGZHOU, {}, NotPermitted),
    ],
)
def test_a_bad_rating_is_refused_and_writes_nothing(
    uow: UnitOfWork, who: str, changes: dict[str, str], refusal: type[CrossriskError]
) -> None:
    risk_id = register_spill(uow)
    before = journal_length(uow)
    fields = {"capability": "operational_coordination", "rating": "P", **changes}

    with pytest.raises(refusal):
        reviews.rate_capability(uow, actor(uow, who), risk_id, now=NOW, **fields)

    assert journal_length(uow) == before
    assert reviews.review_of_risk(uow, actor(uow, COMMITTEE), risk_id, now=NOW).review is None


def test_a_corrective_action_is_a_duty_of_its_owner_reminded_a_week_ahead_then_daily(
    uow: UnitOfWork,
) -> None:
    risk_id = register_spill(uow)
    due = NOW + timedelta(days=30)
    duty_reminders.send_reminders(uow, now=NOW)  # the risk's own duties, reminded already

    action, duty = reviews.add_corrective_action(
        uow,
        actor(uow, COMMITTEE),
        risk_id,
        capability="operational_communications",
        text="杭州市建立夜间值班确认机制",
        owner_code=HANGZHOU,
        due_at=due,
        now=NOW,
    )

    assert action.number == 1 and action.duty_id == duty.id and action.owner_code == HANGZHOU
    assert duty.kind is DutyKind.ACTION and duty.organisation_code == HANGZHOU
    assert duty.deadline == due and duty.risk_id is None
    assert duty.source.startswith("review:") and duty.title == "杭州市建立夜间值班确认机制"
    (added,) = journal(uow, "review.corrective_action_added")
    assert added["owner"] == HANGZHOU and added["duty"] == duty.id and added["number"] == 1
    hangzhou = actor(uow, HANGZHOU)
    assert duty.id in {d.id for d in duties.duties_for(uow, hangzhou, now=NOW)}

    assert duty_reminders.send_reminders(uow, now=NOW + timedelta(days=1)) == 0  # not yet
    week_ahead = due - timedelta(days=7)
    assert duty_reminders.send_reminders(uow, now=week_ahead - timedelta(minutes=1)) == 0
    assert duty_reminders.send_reminders(uow, now=week_ahead) == 1
    # Not again within the day; then when it falls due, and each day it stays open.
    assert duty_reminders.send_reminders(uow, now=week_ahead + timedelta(hours=23)) == 0
    assert duty_reminders.send_reminders(uow, now=due - timedelta(minutes=5)) == 0
    assert duty_reminders.send_reminders(uow, now=due) == 1
    assert duty_reminders.send_reminders(uow, now=due + timedelta(hours=12)) == 0
    assert duty_reminders.send_reminders(uow, now=due + timedelta(days=1)) == 1
    reminded = [e for e in journal(uow, "duty.reminded") if e["duty"] == duty.id]
    assert [e["overdue"] for e in reminded] == [False, True, True]
    assert all(e["source"] == duty.source for e in reminded)

    done = reviews.complete_corrective_action(
        uow, hangzhou, risk_id, 1, note="已建立", now=NOW + timedelta(days=3)
    )
    assert done.shown(NOW + timedelta(days=3)) is ShownStatus.DONE
    report = reviews.review_of_risk(uow, hangzhou, risk_id, now=NOW + timedelta(days=3))
    assert report.action_duties[1].id == duty.id


@pytest.mark.parametrize(
    ("who", "changes", "refusal"),
    [
        (COMMITTEE, {"owner_code": ""}, InvalidInput),
        (COMMITTEE, {"owner_code": "   "}, InvalidInput),
        (COMMITTEE, {"owner_code": "ema-440100"}, InvalidInput),
        (COMMITTEE, {"due_at": NOW - timedelta(days=1)}, InvalidInput),
        (COMMITTEE, {"due_at": NOW + timedelta(days=3000)}, InvalidInput),
        (COMMITTEE, {"due_at": NOW.replace(tzinfo=None)}, InvalidInput),
        (COMMITTEE, {"text": ""}, InvalidInput),
        (COMMITTEE, {"capability": "cooking"}, InvalidInput),
        (EVALUATOR, {}, NotPermitted),
        (HANGZHOU, {}, NotPermitted),
    ],
)
def test_a_bad_corrective_action_is_refused_and_writes_nothing(
    uow: UnitOfWork, who: str, changes: dict[str, Any], refusal: type[CrossriskError]
) -> None:
    risk_id = register_spill(uow)
    before = journal_length(uow)
    fields: dict[str, Any] = {
        "capability": "operational_coordination",
        "text": "完善会商机制",
        "owner_code": HANGZHOU,
        "due_at": NOW + timedelta(days=10),
        **changes,
    }

    with pytest.raises(refusal):
        reviews.add_corrective_action(uow, actor(uow, who), risk_id, now=NOW, **fields)

    assert journal_length(uow) == before
    report = reviews.review_of_risk(uow, actor(uow, COMMITTEE), risk_id, now=NOW)
    assert report.review is None
    assert not [
        d
        for d in duties.duties_for(uow, actor(uow, HANGZHOU), now=NOW)
        if d.kind is DutyKind.ACTION
    ]
