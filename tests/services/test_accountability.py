"""Accountability cases on both backends: detected from the record (by the committee, on
closing and by the worker), once per finding; reviewed, answered and decided in order; every
refusal writes nothing."""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

import pytest

from crossrisk.domain.accountability.case import CaseOutcome, CaseState
from crossrisk.domain.accountability.findings import FindingKind
from crossrisk.domain.agreements.agreement import Accountability, ReviewOutcome
from crossrisk.domain.delivery import Purpose
from crossrisk.domain.errors import Conflict, CrossriskError, InvalidInput, NotFound, NotPermitted
from crossrisk.domain.events import Event
from crossrisk.domain.responsibility import DutyKind
from crossrisk.domain.risk import RiskStatus
from crossrisk.services import accountability, agreements, delivery, duties, risks, scorecards
from crossrisk.services.case_notices import message_id
from crossrisk.services.worker import Worker
from crossrisk.store.models import DeliveryMessageRow
from crossrisk.store.uow import UnitOfWork
from tests.agreements_support import PARTIES, mutual_aid
from tests.services.test_meetings import add_hangzhou_channel
from tests.support import T0, XINAN_SPILL, actor, draft

HANGZHOU = "ema-330100"
HUANGSHAN = "ema-341000"
COMMITTEE = "yrd-committee"
LATER = T0 + timedelta(days=1)


def register_spill(uow: UnitOfWork) -> int:
    risk = risks.register_risk(
        uow, actor(uow, HUANGSHAN), draft(**XINAN_SPILL), region_code="yrd", now=T0
    )
    assert risk.id is not None
    return risk.id


def journal(uow: UnitOfWork, action: str) -> list[dict[str, Any]]:
    with uow.read_only() as tx:
        return [dict(e.payload) for e in tx.journal.entries() if e.action == action]


def journal_length(uow: UnitOfWork) -> int:
    with uow.read_only() as tx:
        return len(list(tx.journal.entries()))


def case_of(uow: UnitOfWork, risk_id: int, party: str, kind: FindingKind) -> Any:
    (found,) = [
        c
        for c in accountability.list_cases(uow, actor(uow, COMMITTEE), risk_id=risk_id)
        if c.party == party and c.kind is kind
    ]
    return found


def test_the_committee_detects_duties_never_done_once_each(uow: UnitOfWork) -> None:
    risk_id = register_spill(uow)
    seen: list[Event] = []
    uow.bus.subscribe(seen.append)

    opened = accountability.detect(uow, actor(uow, COMMITTEE), risk_id=risk_id, now=LATER)

    parties = {(c.party, c.kind) for c in opened}
    assert (HUANGSHAN, FindingKind.DUTY_NOT_DONE) in parties
    assert (HANGZHOU, FindingKind.DUTY_NOT_DONE) in parties
    # Hangzhou's unacknowledged warning is its acknowledgement duty's case, not a second one.
    assert not any(c.kind is FindingKind.WARNING_UNACKNOWLEDGED for c in opened)
    hangzhou = case_of(uow, risk_id, HANGZHOU, FindingKind.DUTY_NOT_DONE)
    with uow.read_only() as tx:
        subjects = {tx.journal.at(s).subject.split(":")[0] for s in hangzhou.evidence}  # type: ignore[union-attr]
    assert subjects == {"duty", "warning"}
    assert hangzhou.procedure.reviewer is None and hangzhou.state is CaseState.OPENED
    logged = journal(uow, "case.opened")
    assert len(logged) == len(opened) == len(seen)
    mine = next(p for p in logged if p["case"] == hangzhou.id)
    assert mine["party"] == HANGZHOU and mine["evidence"] == list(hangzhou.evidence)
    assert mine["kind"] == "duty_not_done" and mine["risk_id"] == risk_id
    assert {e.name for e in seen} == {"case.opened"}

    again = accountability.detect(
        uow, actor(uow, COMMITTEE), risk_id=risk_id, now=LATER + timedelta(hours=1)
    )
    assert again == [] and len(journal(uow, "case.opened")) == len(opened)


def test_a_report_corrected_beyond_the_tolerance_opens_a_case_with_both_reports(
    uow: UnitOfWork,
) -> None:
    risk_id = register_spill(uow)
    lead = actor(uow, HUANGSHAN)
    duties.file_report(uow, lead, risk_id, text="泄漏约1吨", figures={"released_kg": 1000}, now=T0)
    duties.file_report(
        uow, lead, risk_id, text="更正：泄漏3吨", figures={"released_kg": 3000}, now=T0
    )

    accountability.detect(uow, actor(uow, COMMITTEE), risk_id=risk_id, now=T0)

    case = case_of(uow, risk_id, HUANGSHAN, FindingKind.REPORT_CORRECTED)
    with uow.read_only() as tx:
        actions = [tx.journal.at(s).action for s in case.evidence]  # type: ignore[union-attr]
    assert actions == ["risk.reported", "risk.reported"]
    assert case.facts["before"] == 1000 and case.facts["after"] == 3000
    record = accountability.get_case(uow, actor(uow, HUANGSHAN), case.id)
    assert [e.verified for e in record.evidence] == [True, True] and record.missing == []


def test_closing_a_risk_opens_its_cases_before_its_duties_are_cancelled(uow: UnitOfWork) -> None:
    risk_id = register_spill(uow)
    lead = actor(uow, HUANGSHAN)
    duties.file_report(uow, lead, risk_id, text="处置完毕", now=T0)
    for status in (RiskStatus.ASSESSED, RiskStatus.TREATING, RiskStatus.MONITORING):
        risks.transition_risk(uow, lead, risk_id, to=status, reason="步骤", now=T0)
    risks.transition_risk(uow, lead, risk_id, to=RiskStatus.CLOSED, reason="已处置", now=LATER)

    case = case_of(uow, risk_id, HANGZHOU, FindingKind.DUTY_NOT_DONE)
    with uow.read_only() as tx:
        entries = list(tx.journal.entries())
    opened_at = next(
        e.seq for e in entries if e.action == "case.opened" and e.subject == f"case:{case.id}"
    )
    cancelled = [e.seq for e in entries if e.action == "duty.cancelled"]
    assert cancelled and opened_at < min(cancelled)
    # The lead reported in time: no case of its report.
    assert not [
        c
        for c in accountability.list_cases(uow, lead, risk_id=risk_id)
        if c.party == HUANGSHAN and c.kind is FindingKind.DUTY_NOT_DONE
    ]


def test_review_statement_and_decision_are_journaled_in_order(uow: UnitOfWork) -> None:
    risk_id = register_spill(uow)
    accountability.detect(uow, actor(uow, COMMITTEE), risk_id=risk_id, now=LATER)
    case = case_of(uow, risk_id, HUANGSHAN, FindingKind.DUTY_NOT_DONE)
    committee, lead = actor(uow, COMMITTEE), actor(uow, HUANGSHAN)

    accountability.review_case(uow, committee, case.id, text="未按时报告", now=LATER)
    accountability.file_statement(uow, lead, case.id, text="通信中断", now=LATER)
    decided = accountability.decide_case(
        uow, committee, case.id, outcome=CaseOutcome.CRITICISM, reason="应有备用通信", now=LATER
    )

    assert decided.state is CaseState.DECIDED and decided.outcome is CaseOutcome.CRITICISM
    assert decided.statement == "通信中断" and decided.statement_by == lead.username
    (reviewed,) = journal(uow, "case.reviewed")
    (stated,) = journal(uow, "case.statement_filed")
    (closed,) = journal(uow, "case.decided")
    assert reviewed["review"] == "未按时报告" and stated["statement"] == "通信中断"
    assert closed["outcome"] == "criticism" and closed["state"] == "decided"
    assert closed["case"] == case.id and closed["party"] == HUANGSHAN


@pytest.mark.parametrize(
    ("who", "step", "error", "key"),
    [
        (COMMITTEE, "statement", NotPermitted, "case-not-party"),
        (HANGZHOU, "review", NotFound, "case-not-found"),
        (HUANGSHAN, "review", NotPermitted, "case-not-reviewer"),
        (COMMITTEE, "statement_early", Conflict, "case-step-out-of-order"),
        (COMMITTEE, "nul", InvalidInput, "text-control"),
        (COMMITTEE, "too_long", InvalidInput, "text-too-long"),
        (COMMITTEE, "penalty", InvalidInput, "case-outcome-not-allowed"),
        (COMMITTEE, "decide_early", Conflict, "case-step-out-of-order"),
        (COMMITTEE, "unknown", NotFound, "case-not-found"),
        (COMMITTEE, "huge_id", InvalidInput, "case-id-out-of-range"),
        (COMMITTEE, "big_id", InvalidInput, "case-id-out-of-range"),
    ],
)
def test_a_refused_step_writes_nothing(
    uow: UnitOfWork, who: str, step: str, error: type[CrossriskError], key: str
) -> None:
    risk_id = register_spill(uow)
    accountability.detect(uow, actor(uow, COMMITTEE), risk_id=risk_id, now=LATER)
    case = case_of(uow, risk_id, HUANGSHAN, FindingKind.DUTY_NOT_DONE)
    if step == "statement":
        accountability.review_case(uow, actor(uow, COMMITTEE), case.id, text="审查", now=LATER)
    before = journal_length(uow), accountability.get_case(uow, actor(uow, COMMITTEE), case.id).case
    who_acts = actor(uow, who)
    steps = {
        "statement": lambda: accountability.file_statement(
            uow, who_acts, case.id, text="不是我们", now=LATER
        ),
        "review": lambda: accountability.review_case(uow, who_acts, case.id, text="x", now=LATER),
        "statement_early": lambda: accountability.file_statement(
            uow, actor(uow, HUANGSHAN), case.id, text="陈述", now=LATER
        ),
        "nul": lambda: accountability.review_case(uow, who_acts, case.id, text="a\x00", now=LATER),
        "too_long": lambda: accountability.review_case(
            uow, who_acts, case.id, text="长" * 4001, now=LATER
        ),
        "penalty": lambda: _review_then_penalise(uow, case.id),
        "decide_early": lambda: accountability.decide_case(
            uow, who_acts, case.id, outcome=CaseOutcome.NO_FAULT, reason="r", now=LATER
        ),
        "unknown": lambda: accountability.review_case(uow, who_acts, 99999, text="x", now=LATER),
        "huge_id": lambda: accountability.review_case(uow, who_acts, 2**64, text="x", now=LATER),
        "big_id": lambda: accountability.review_case(uow, who_acts, 2**40, text="x", now=LATER),
    }
    if step == "penalty":
        accountability.review_case(uow, actor(uow, COMMITTEE), case.id, text="审查", now=LATER)
        before = journal_length(uow), accountability.get_case(uow, who_acts, case.id).case
    with pytest.raises(error) as refused:
        steps[step]()
    assert refused.value.key == key
    after = journal_length(uow), accountability.get_case(uow, actor(uow, COMMITTEE), case.id).case
    assert after == before


def _review_then_penalise(uow: UnitOfWork, case_id: int) -> None:
    accountability.decide_case(
        uow,
        actor(uow, COMMITTEE),
        case_id,
        outcome=CaseOutcome.PENALTY,
        reason="r",
        penalty="罚款",
        now=LATER + timedelta(days=30),
    )


def test_a_city_reads_only_its_own_cases_and_the_committee_all(uow: UnitOfWork) -> None:
    risk_id = register_spill(uow)
    opened = accountability.detect(uow, actor(uow, COMMITTEE), risk_id=risk_id, now=LATER)
    mine = accountability.list_cases(uow, actor(uow, HANGZHOU))
    assert mine and {c.party for c in mine} == {HANGZHOU}
    assert len(accountability.list_cases(uow, actor(uow, COMMITTEE))) == len(opened)
    other = next(c for c in opened if c.party == HUANGSHAN)
    with pytest.raises(NotFound):
        accountability.get_case(uow, actor(uow, HANGZHOU), other.id or 0)
    with pytest.raises(NotPermitted):
        accountability.detect(uow, actor(uow, HANGZHOU), risk_id=risk_id, now=LATER)


def test_the_agreement_binding_the_lead_governs_its_report_case(stations: UnitOfWork) -> None:
    uow = stations
    text = mutual_aid(
        accountability=Accountability(
            reviewer=COMMITTEE,
            outcomes=(ReviewOutcome.NO_FAULT, ReviewOutcome.COMPENSATION),
            statement_days=3,
        )
    )
    agreement = agreements.draft_agreement(uow, actor(uow, COMMITTEE), "yrd", text, now=T0)
    for n, party in enumerate((*PARTIES, COMMITTEE), start=1):
        agreements.sign_agreement(
            uow, actor(uow, party), agreement.id or 0, now=T0 + timedelta(minutes=n)
        )
    risk_id = register_spill(uow)
    accountability.detect(uow, actor(uow, COMMITTEE), risk_id=risk_id, now=LATER)
    case = case_of(uow, risk_id, HUANGSHAN, FindingKind.DUTY_NOT_DONE)
    with uow.read_only() as tx:
        report_duty = tx.duties.get(case.duty_id)
    assert report_duty.kind is DutyKind.HANDLE_AND_REPORT
    assert case.procedure.agreement_id == agreement.id and case.procedure.statement_days == 3
    committee = actor(uow, COMMITTEE)
    accountability.review_case(uow, committee, case.id, text="迟报", now=LATER)
    decided = accountability.decide_case(
        uow,
        committee,
        case.id,
        outcome=CaseOutcome.PENALTY,
        reason="协议约定",
        penalty="承担下游监测费用",
        now=LATER + timedelta(days=3),
    )
    assert decided.penalty == "承担下游监测费用"
    (closed,) = journal(uow, "case.decided")
    assert closed["procedure"]["agreement_id"] == agreement.id


def test_the_worker_opens_cases_on_open_risks_at_most_every_quarter_hour(uow: UnitOfWork) -> None:
    risk_id = register_spill(uow)
    now = [LATER]
    worker = Worker(uow, {}, clock=lambda: now[0])
    first = worker.detect_cases()
    assert first > 0 and len(journal(uow, "case.opened")) == first
    (opened, *_) = journal(uow, "case.opened")
    assert opened["risk_id"] == risk_id
    assert worker.detect_cases() == 0
    now[0] = LATER + accountability.WORKER_EVERY
    assert worker.detect_cases() == 0  # ran again, found nothing new
    assert len(journal(uow, "case.opened")) == first


def test_a_drills_detection_marks_its_cases_with_the_drill(uow: UnitOfWork) -> None:
    risk_id = register_spill(uow)
    committee = actor(uow, COMMITTEE)
    with uow as tx:
        opened = accountability.detect_cases(
            tx, committee, region_code="yrd", risk_ids=[risk_id], now=LATER, drill_id=7
        )
        tx.commit()
    assert opened and {c.drill_id for c in opened} == {7}
    listed = accountability.list_cases(uow, actor(uow, COMMITTEE), drill_id=7)
    assert {c.id for c in listed} == {c.id for c in opened}
    assert accountability.list_cases(uow, actor(uow, COMMITTEE), drill_id=8) == []
    assert {p["drill_id"] for p in journal(uow, "case.opened")} == {7}


def test_a_withdrawn_risk_opens_its_cases_in_the_same_transaction(uow: UnitOfWork) -> None:
    risk_id = register_spill(uow)
    lead = actor(uow, HUANGSHAN)
    with uow as tx:
        risks.withdraw(tx, lead, risk_id, reason="来源撤销", now=LATER)
        tx.commit()
    assert case_of(uow, risk_id, HUANGSHAN, FindingKind.DUTY_NOT_DONE).state is CaseState.OPENED


def test_a_case_shows_on_its_partys_scorecard_and_counts_once_upheld(uow: UnitOfWork) -> None:
    risk_id = register_spill(uow)
    accountability.detect(uow, actor(uow, COMMITTEE), risk_id=risk_id, now=LATER)
    case = case_of(uow, risk_id, HANGZHOU, FindingKind.DUTY_NOT_DONE)
    committee, hangzhou = actor(uow, COMMITTEE), actor(uow, HANGZHOU)
    period = dict(start=T0.date(), end=LATER.date() + timedelta(days=1))

    def card_case() -> Any:
        card = scorecards.scorecard(uow, committee, HANGZHOU, **period, now=LATER)
        (figure,) = [c for c in card.cases if c.case_id == case.id]
        return card, figure

    card, figure = card_case()
    assert (figure.state, figure.outcome, figure.upheld) == ("opened", "", False)
    assert card.upheld_cases == 0
    accountability.review_case(uow, committee, case.id, text="未按时确认", now=LATER)
    accountability.file_statement(uow, hangzhou, case.id, text="值班电话故障", now=LATER)
    assert card_case()[1].state == "statement_filed"
    accountability.decide_case(
        uow, committee, case.id, outcome=CaseOutcome.CRITICISM, reason="应有备用", now=LATER
    )
    card, figure = card_case()
    assert (figure.outcome, figure.upheld, card.upheld_cases) == ("criticism", True, 1)
    # Another city's scorecard does not carry it.
    huangshan = scorecards.scorecard(uow, committee, HUANGSHAN, **period, now=LATER)
    assert case.id not in {c.case_id for c in huangshan.cases}


def test_a_new_case_is_sent_to_its_partys_channels_and_a_drills_to_no_one(
    uow: UnitOfWork,
) -> None:
    add_hangzhou_channel(uow)
    risk_id = register_spill(uow)
    accountability.detect(uow, actor(uow, COMMITTEE), risk_id=risk_id, now=LATER)
    hangzhou = case_of(uow, risk_id, HANGZHOU, FindingKind.DUTY_NOT_DONE)
    notices = {p["case"]: p["notices"] for p in journal(uow, "case.opened")}
    assert notices[hangzhou.id] == 1
    assert all(n == 0 for case, n in notices.items() if case != hangzhou.id)  # no channel

    (sent,) = delivery.deliveries_of(uow, actor(uow, COMMITTEE), message_id(hangzhou.id))
    assert sent.purpose is Purpose.CASE_OPENED and sent.organisation_code == HANGZHOU
    with uow.read_only() as tx:
        (row,) = tx.session.query(DeliveryMessageRow).filter_by(warning_id=sent.warning_id).all()
        subject, body, document = row.subject, row.body, json.loads(row.cap_xml)
    assert subject.startswith(f"责任追究案件 {hangzhou.id}：职责未履行 / ")
    assert f"Accountability case {hangzhou.id}: Duty never done" in subject
    assert "陈述申辩" in body and "file a statement within" in body
    assert document["type"] == "crossrisk.case_opened" and document["case"] == hangzhou.id
    assert document["evidence"] == list(hangzhou.evidence) and document["risk_id"] == risk_id

    drill_risk, committee = register_spill(uow), actor(uow, COMMITTEE)
    with uow as tx:
        drill_cases = accountability.detect_cases(
            tx,
            committee,
            region_code="yrd",
            risk_ids=[drill_risk],
            now=LATER,
            drill_id=7,
        )
        tx.commit()
    assert drill_cases
    for case in drill_cases:
        assert delivery.deliveries_of(uow, actor(uow, COMMITTEE), message_id(case.id)) == []
