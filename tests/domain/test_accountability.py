"""Accountability findings drawn from the record, and a case's steps under its procedure."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest

from crossrisk.domain.accountability.case import (
    PLATFORM_OUTCOMES,
    CaseOutcome,
    CaseState,
    agreement_procedure,
    governing_agreement,
    open_case,
    parse_outcome,
    platform_procedure,
)
from crossrisk.domain.accountability.findings import (
    AccountabilityPolicy,
    AidQuestion,
    CommitmentFacts,
    Finding,
    FindingKind,
    aid_findings,
    changed_beyond,
    commitment_findings,
    duty_findings,
    report_findings,
)
from crossrisk.domain.agreements.agreement import Agreement, AgreementState
from crossrisk.domain.aid.commitment import Outcome
from crossrisk.domain.duty import DutyRecord, DutyStatus
from crossrisk.domain.errors import Conflict, InvalidInput
from crossrisk.domain.journal import GENESIS_HASH, JournalEntry, next_entry
from crossrisk.domain.responsibility import DutyKind, PartyRole
from tests.agreements_support import COMMITTEE, HUANGSHAN, QUZHOU, mutual_aid

T0 = datetime(2026, 7, 1, 8, 0, tzinfo=UTC)
HANGZHOU = "ema-330100"
POLICY = AccountabilityPolicy(report_tolerance=0.2, aid_answer_hours=24, statement_days=7)


def chain(*items: tuple[str, str, dict[str, Any]]) -> list[JournalEntry]:
    entries: list[JournalEntry] = []
    prev_seq, prev_hash = 0, GENESIS_HASH
    for n, (action, subject, payload) in enumerate(items):
        entry = next_entry(
            prev_seq=prev_seq,
            prev_hash=prev_hash,
            at=T0 + timedelta(minutes=n),
            actor="someone",
            organisation=str(payload.get("organisation", "")),
            action=action,
            subject=subject,
            payload=payload,
        )
        entries.append(entry)
        prev_seq, prev_hash = entry.seq, entry.hash
    return entries


def duty(**changes: Any) -> DutyRecord:
    base = DutyRecord(
        id=7,
        risk_id=3,
        region_code="yrd",
        kind=DutyKind.HANDLE_AND_REPORT,
        role=PartyRole.LEAD,
        organisation_code=HUANGSHAN,
        jurisdiction_code="341000",
        deadline=T0 + timedelta(hours=1),
        status=DutyStatus.OPEN,
        assigned_at=T0,
    )
    return replace(base, **changes)


def report(organisation: str, **figures: float) -> tuple[str, str, dict[str, Any]]:
    return ("risk.reported", "risk:3", {"organisation": organisation, "figures": figures})


def test_a_duty_open_past_its_deadline_is_not_done_with_its_entries_as_evidence() -> None:
    entries = chain(
        ("duty.drafted", "duty:7", {}), ("duty.drafted", "duty:8", {}), ("risk.x", "risk:3", {})
    )
    (finding,) = duty_findings([duty()], entries, now=T0 + timedelta(hours=2))
    assert finding.kind is FindingKind.DUTY_NOT_DONE
    assert (finding.party, finding.duty_id, finding.risk_id) == (HUANGSHAN, 7, 3)
    assert finding.key == "duty:7" and finding.evidence == (1,)
    assert duty_findings([duty()], entries, now=T0 + timedelta(hours=1)) == []


def test_a_duty_done_after_its_deadline_is_late_and_on_time_is_none() -> None:
    late = duty(status=DutyStatus.DONE, done_at=T0 + timedelta(minutes=90))
    on_time = duty(id=8, status=DutyStatus.DONE, done_at=T0 + timedelta(minutes=60))
    waived = duty(id=9, status=DutyStatus.WAIVED, done_at=T0 + timedelta(hours=5))
    (finding,) = duty_findings([late, on_time, waived], [], now=T0 + timedelta(days=1))
    assert finding.kind is FindingKind.DUTY_LATE and finding.facts["minutes_late"] == 30.0


def test_a_figure_corrected_beyond_the_tolerance_is_a_finding_at_the_boundary_not() -> None:
    entries = chain(
        report(HUANGSHAN, released_kg=1000, dead=0),
        report(HUANGSHAN, released_kg=1200),  # +20%: at the tolerance, not beyond
        report(HANGZHOU, released_kg=5),  # another party's figure is its own
        report(HUANGSHAN, released_kg=1500, dead=2),  # +25% and from zero
    )
    found = report_findings(entries, region_code="yrd", risk_id=3, tolerance=0.2)
    assert [(f.facts["figure"], f.evidence) for f in found] == [
        ("dead", (1, 4)),
        ("released_kg", (2, 4)),
    ]
    assert all(f.kind is FindingKind.REPORT_CORRECTED and f.party == HUANGSHAN for f in found)
    assert found[1].facts["change"] == 0.25 and found[0].facts["change"] is None
    assert not changed_beyond(100, 80, 0.2) and changed_beyond(100, 79.9, 0.2)


def test_detection_is_idempotent_the_same_record_gives_the_same_keys() -> None:
    entries = chain(report(HUANGSHAN, released_kg=10), report(HUANGSHAN, released_kg=100))
    first = report_findings(entries, region_code="yrd", risk_id=3, tolerance=0.2)
    again = report_findings(entries, region_code="yrd", risk_id=3, tolerance=0.2)
    assert [f.key for f in first] == [f.key for f in again] == ["report:3:ema-341000:released_kg:2"]


def test_an_approved_request_unanswered_by_its_need_or_the_policy_hours() -> None:
    question = AidQuestion(
        request_id=4,
        region_code="yrd",
        risk_id=3,
        party=QUZHOU,
        approved_at=T0,
        needed_by=T0 + timedelta(hours=6),
        answered_at=None,
    )
    entries = chain(("aid_request.approved", "aid_request:4", {}))
    assert aid_findings([question], entries, POLICY, now=T0 + timedelta(hours=6)) == []
    (finding,) = aid_findings([question], entries, POLICY, now=T0 + timedelta(hours=7))
    assert finding.kind is FindingKind.AID_UNANSWERED and finding.evidence == (1,)
    answered = replace(question, answered_at=T0 + timedelta(hours=5))
    assert aid_findings([answered], entries, POLICY, now=T0 + timedelta(days=2)) == []


def test_only_a_broken_commitment_is_a_finding() -> None:
    def facts(n: int, outcome: Outcome) -> CommitmentFacts:
        return CommitmentFacts(n, "yrd", 3, 4, HANGZHOU, T0, outcome)

    found = commitment_findings([facts(1, Outcome.BROKEN), facts(2, Outcome.LATE)], [])
    assert [(f.key, f.kind) for f in found] == [("commitment:1", FindingKind.COMMITMENT_BROKEN)]


def finding(**changes: Any) -> Finding:
    base = Finding(
        kind=FindingKind.DUTY_NOT_DONE,
        party=HUANGSHAN,
        region_code="yrd",
        risk_id=3,
        key="duty:7",
        evidence=(1, 2),
        duty_id=7,
    )
    return replace(base, **changes)


def in_force() -> Agreement:
    return Agreement(
        id=5,
        region_code="yrd",
        number=1,
        version=1,
        state=AgreementState.IN_FORCE,
        text=mutual_aid(valid_from=date(2026, 1, 1)),
        coordinator=COMMITTEE,
        drafted_by="committee",
        drafted_at=T0,
        in_force_at=T0,
    )


def test_the_agreement_binding_the_party_governs_its_report_duty_only() -> None:
    agreement = in_force()
    report_duty = governing_agreement(finding(), [agreement], duty_kind=DutyKind.HANDLE_AND_REPORT)
    assert report_duty is agreement
    ack = governing_agreement(finding(), [agreement], duty_kind=DutyKind.PREPARE_AND_ACKNOWLEDGE)
    assert ack is None
    procedure = agreement_procedure(agreement, committee_code=COMMITTEE)
    assert procedure.reviewer is None and procedure.statement_days == 15
    assert procedure.outcomes == (CaseOutcome.NO_FAULT, CaseOutcome.CORRECTIVE_ACTION)


def test_a_case_goes_review_statement_decision_in_order() -> None:
    case = replace(open_case(finding(), platform_procedure(7), drill_id=None, by="x", now=T0), id=1)
    assert case.state is CaseState.OPENED
    with pytest.raises(Conflict) as early:
        case.with_statement("我方已尽力", by="hs", now=T0)
    assert early.value.key == "case-step-out-of-order"
    reviewed = case.reviewed("报告迟报两小时", by="c", now=T0)
    with pytest.raises(Conflict) as waiting:
        reviewed.decided(CaseOutcome.CRITICISM, reason="迟报", by="c", now=T0 + timedelta(days=1))
    assert waiting.value.key == "case-awaits-statement"
    answered = reviewed.with_statement("通信中断", by="hs", now=T0 + timedelta(hours=1))
    decided = answered.decided(
        CaseOutcome.NO_FAULT, reason="通信中断属实", by="c", now=T0 + timedelta(hours=2)
    )
    assert decided.state is CaseState.DECIDED and decided.outcome is CaseOutcome.NO_FAULT
    # Past the statement period the reviewer may decide without one.
    late = reviewed.decided(
        CaseOutcome.REFERRAL, reason="未陈述", by="c", now=T0 + timedelta(days=7)
    )
    assert late.outcome is CaseOutcome.REFERRAL


def test_the_platform_procedure_allows_no_penalty_and_texts_are_bounded() -> None:
    case = replace(open_case(finding(), platform_procedure(0), drill_id=None, by="x", now=T0), id=1)
    assert CaseOutcome.PENALTY not in PLATFORM_OUTCOMES
    reviewed = case.reviewed("审查", by="c", now=T0)
    with pytest.raises(InvalidInput) as penalty:
        reviewed.decided(CaseOutcome.PENALTY, reason="r", penalty="罚款", by="c", now=T0)
    assert penalty.value.key == "case-outcome-not-allowed"
    for text in ("a\x00b", "x" * 4001, "   "):
        with pytest.raises(InvalidInput):
            case.reviewed(text, by="c", now=T0)
    with pytest.raises(InvalidInput) as unknown:
        parse_outcome("fine")
    assert unknown.value.key == "case-outcome-unknown"
