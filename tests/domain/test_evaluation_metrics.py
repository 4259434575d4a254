"""Evaluation metrics on hand-built journal entries: each metric late and on time, and
None when the record holds nothing to measure."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from crossrisk.domain.evaluation.metrics import (
    AidFact,
    Metric,
    activity_metrics,
    aid_metrics,
    duty_metrics,
    escalation_metrics,
    obligation_metrics,
    party_metrics,
    plan_metrics,
    report_metrics,
    risk_metrics,
    warning_metrics,
)
from crossrisk.domain.journal import JournalEntry

T0 = datetime(2026, 6, 1, 2, 0, tzinfo=UTC)
HUANGSHAN = "ema-341000"
HANGZHOU = "ema-330100"
QUZHOU = "ema-330800"


def at(minutes: float) -> datetime:
    return T0 + timedelta(minutes=minutes)


class Record:
    """Journal entries built by hand, numbered in order."""

    def __init__(self) -> None:
        self.entries: list[JournalEntry] = []

    def add(
        self, minutes: float, action: str, subject: str, writer: str = "", **payload: Any
    ) -> Record:
        self.entries.append(
            JournalEntry(
                seq=len(self.entries) + 1,
                at=at(minutes),
                actor="someone",
                organisation=writer,
                action=action,
                subject=subject,
                payload=payload,
                prev_hash="",
                hash="",
            )
        )
        return self


def one(metrics: list[Metric], name: str, party: str | None = None) -> Metric:
    found = [m for m in metrics if m.name == name and m.party == party]
    assert len(found) == 1, (name, party, metrics)
    return found[0]


def registered() -> Record:
    return Record().add(0, "risk.registered", "risk:1", HUANGSHAN, risk={"id": 1})


def report_duty(record: Record, deadline_minutes: float) -> Record:
    return record.add(
        0,
        "duty.assigned",
        "duty:1",
        HUANGSHAN,
        duty=1,
        risk_id=1,
        kind="handle_and_report",
        organisation=HUANGSHAN,
        deadline=at(deadline_minutes).isoformat(),
        status="open",
    )


def test_report_on_time_is_measured_against_the_report_duty() -> None:
    record = report_duty(registered(), 60).add(
        45, "risk.reported", "risk:1", HUANGSHAN, risk_id=1, organisation=HUANGSHAN
    )
    metrics = report_metrics(record.entries)
    assert one(metrics, "report_latency").value == 45.0
    assert one(metrics, "report_deadline").value == 60.0
    assert one(metrics, "report_on_time", HUANGSHAN).value == 1.0


def test_a_late_report_scores_zero() -> None:
    record = report_duty(registered(), 60).add(
        90, "risk.reported", "risk:1", HUANGSHAN, risk_id=1, organisation=HUANGSHAN
    )
    metrics = report_metrics(record.entries)
    assert one(metrics, "report_latency").value == 90.0
    assert one(metrics, "report_on_time", HUANGSHAN).value == 0.0


def test_no_report_measures_nothing() -> None:
    metrics = report_metrics(registered().entries)
    assert one(metrics, "report_latency").value is None
    assert one(metrics, "report_on_time").value is None
    assert report_metrics([])[0].value is None


def issue(record: Record, minutes: float, warning: str, organisation: str, arrival: float) -> None:
    record.add(
        minutes,
        "warning.issued",
        f"warning:{warning}",
        HUANGSHAN,
        warning=warning,
        risk_id=1,
        organisation=organisation,
        expected_arrival=at(arrival).isoformat(),
    )


def test_warning_lead_time_per_recipient_and_its_minimum() -> None:
    record = registered()
    issue(record, 10, "W1", HANGZHOU, arrival=250)
    issue(record, 20, "W2", QUZHOU, arrival=80)
    metrics = warning_metrics(record.entries)
    assert one(metrics, "warning_lead_time", HANGZHOU).value == 240.0
    assert one(metrics, "warning_lead_time", QUZHOU).value == 60.0
    assert one(metrics, "warning_lead_time_min").value == 60.0


def test_a_warning_after_arrival_has_a_negative_lead_time() -> None:
    record = registered()
    issue(record, 100, "W1", HANGZHOU, arrival=70)
    assert one(warning_metrics(record.entries), "warning_lead_time_min").value == -30.0


def test_acknowledgement_latency_and_the_share_in_time() -> None:
    record = registered()
    issue(record, 10, "W1", HANGZHOU, arrival=250)
    issue(record, 10, "W2", QUZHOU, arrival=250)
    record.add(
        40, "warning.acknowledged", "warning:W1", HANGZHOU, organisation=HANGZHOU, late=False
    )
    record.add(200, "warning.acknowledged", "warning:W2", QUZHOU, organisation=QUZHOU, late=True)
    metrics = warning_metrics(record.entries)
    assert one(metrics, "ack_latency", HANGZHOU).value == 30.0
    assert one(metrics, "ack_latency", QUZHOU).value == 190.0
    assert one(metrics, "ack_in_time_share").value == 0.5


def test_an_unacknowledged_warning_is_not_in_time_and_no_warning_measures_nothing() -> None:
    record = registered()
    issue(record, 10, "W1", HANGZHOU, arrival=250)
    assert one(warning_metrics(record.entries), "ack_in_time_share").value == 0.0
    empty = warning_metrics(registered().entries)
    assert one(empty, "ack_in_time_share").value is None
    assert one(empty, "warning_lead_time_min").value is None


def duty(
    record: Record, minutes: float, action: str, number: int, organisation: str, **extra: Any
) -> None:
    payload = {
        "duty": number,
        "risk_id": 1,
        "kind": extra.pop("kind", "prepare_and_acknowledge"),
        "organisation": organisation,
        "deadline": at(extra.pop("deadline", 60)).isoformat(),
        **extra,
    }
    record.add(minutes, action, f"duty:{number}", organisation, **payload)


def test_duties_in_time_over_all_and_per_party() -> None:
    record = registered()
    for number, organisation in ((1, HANGZHOU), (2, QUZHOU), (3, HUANGSHAN), (4, HUANGSHAN)):
        duty(record, 0, "duty.assigned", number, organisation)
    duty(record, 30, "duty.done", 1, HANGZHOU, late=False)
    duty(record, 90, "duty.done", 2, QUZHOU, late=True)
    duty(record, 40, "duty.waived", 4, HUANGSHAN)
    # Duty 3 is still open: past its deadline at minute 120, it counts late.
    metrics = duty_metrics(record.entries, now=at(120))
    assert one(metrics, "duties_in_time_share").value == round(1 / 3, 3)
    assert one(metrics, "duties_counted").value == 3.0
    assert one(metrics, "party_duties_in_time_share", HANGZHOU).value == 1.0
    assert one(metrics, "party_duties_in_time_share", QUZHOU).value == 0.0
    assert one(metrics, "party_duties_in_time_share", HUANGSHAN).value == 0.0


def test_an_open_duty_not_yet_due_is_not_counted() -> None:
    record = registered()
    duty(record, 0, "duty.assigned", 1, HANGZHOU)
    metrics = duty_metrics(record.entries, now=at(30))
    assert one(metrics, "duties_in_time_share").value is None
    assert one(metrics, "duties_counted").value == 0.0


def test_a_duty_cancelled_after_its_deadline_counts_late_and_one_cancelled_in_time_not() -> None:
    record = registered()
    duty(record, 0, "duty.assigned", 1, HANGZHOU)
    duty(record, 0, "duty.assigned", 2, QUZHOU)
    duty(record, 30, "duty.cancelled", 1, HANGZHOU)  # the risk closed before it fell due
    duty(record, 90, "duty.cancelled", 2, QUZHOU)  # closed with the duty overdue
    metrics = duty_metrics(record.entries, now=at(120))
    assert one(metrics, "duties_counted").value == 1.0
    assert one(metrics, "party_duties_in_time_share", QUZHOU).value == 0.0
    assert [m for m in metrics if m.party == HANGZHOU] == []


def test_plan_activation_names_the_plan_and_counts_its_tasks() -> None:
    record = registered().add(
        15, "plan.activated", "risk:1", HUANGSHAN, risk_id=1, plan_code="xinan", plan_version=2
    )
    duty(record, 15, "duty.assigned", 7, HANGZHOU, kind="task", source="plan:3@2")
    duty(record, 15, "duty.assigned", 8, QUZHOU, kind="task", source="plan:3@2")
    duty(record, 50, "duty.done", 7, HANGZHOU, kind="task", source="plan:3@2", late=False)
    duty(record, 70, "duty.done", 8, QUZHOU, kind="task", source="plan:3@2", late=True)
    metrics = plan_metrics(record.entries, now=at(100))
    latency = one(metrics, "plan_activation_latency")
    assert (latency.value, latency.detail) == (15.0, "xinan v2")
    assert one(metrics, "plan_tasks_in_time_share").value == 0.5


def test_no_plan_activated_measures_nothing() -> None:
    metrics = plan_metrics(registered().entries, now=at(100))
    assert one(metrics, "plan_activation_latency").value is None
    assert one(metrics, "plan_tasks_in_time_share").value is None


def test_obligations_kept_by_their_last_status() -> None:
    record = Record()
    record.add(0, "agreement.obligation_unmet", "agreement:1", position=1)
    record.add(10, "agreement.obligation_kept", "agreement:1", position=1)
    record.add(20, "agreement.obligation_unmet", "agreement:1", position=2)
    assert obligation_metrics(record.entries)[0].value == 0.5
    assert obligation_metrics([])[0].value is None


def test_aid_fill_rate_and_on_time_share() -> None:
    facts = [
        AidFact(HANGZHOU, quantity=100, received=100, outcome="honoured"),
        AidFact(QUZHOU, quantity=100, received=50, outcome="partial"),
        AidFact(QUZHOU, quantity=50, received=0, outcome="open"),
    ]
    metrics = aid_metrics(facts)
    assert one(metrics, "aid_fill_rate").value == 0.6
    assert one(metrics, "aid_on_time_share").value == 0.5
    assert one(metrics, "party_aid_on_time_share", HANGZHOU).value == 1.0
    assert one(metrics, "party_aid_on_time_share", QUZHOU).value == 0.0
    assert one(aid_metrics([]), "aid_fill_rate").value is None


def test_escalation_latency() -> None:
    record = registered().add(130, "risk.escalated", "risk:1", "system", reason="x")
    assert escalation_metrics(record.entries)[0].value == 130.0
    assert escalation_metrics(registered().entries)[0].value is None


def test_the_two_objects_of_evaluation() -> None:
    record = report_duty(registered(), 60).add(
        45, "risk.reported", "risk:1", HUANGSHAN, risk_id=1, organisation=HUANGSHAN
    )
    metrics = risk_metrics(record.entries, now=at(100))
    assert all(m.party is None for m in activity_metrics(metrics))
    assert "report_latency" in {m.name for m in activity_metrics(metrics)}
    parties = party_metrics(metrics)
    assert HUANGSHAN in parties
    assert all(m.definition and m.definition_zh for m in metrics)
