"""Accountability cases (DESIGN §3.7): detected from the record, reviewed, answered, decided.

Detection opens a case per new finding (`detect_cases`, inside the transaction that closes
a risk, ends a drill or the worker's pass); the committee may also run it for one risk
(`detect`). Each later step is one use case: the reviewer's review, the party's
statement, the reviewer's decision. Nothing is decided automatically, and every step is
journaled as `case.*` with the case's facts.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from crossrisk.domain.accountability.case import (
    Case,
    CaseOutcome,
    CaseState,
    Procedure,
    agreement_procedure,
    governing_agreement,
    open_case,
    platform_procedure,
)
from crossrisk.domain.agreements.agreement import Agreement
from crossrisk.domain.duty import DutyRecord
from crossrisk.domain.errors import InvalidInput, NotFound, NotPermitted
from crossrisk.domain.journal import JournalEntry, entry_hash
from crossrisk.domain.organisation import Actor
from crossrisk.domain.permissions.accountability import (
    can_file_statement,
    can_read_case,
    can_review_case,
)
from crossrisk.domain.permissions.regions import (
    regions_to_list,
    require_coordinate,
    require_read_region,
)
from crossrisk.domain.risk import RiskStatus
from crossrisk.services.case_findings import committee_of, findings_of_risk
from crossrisk.services.case_notices import queue_case_notice
from crossrisk.services.policy_tables import accountability_policy
from crossrisk.store.uow import Transaction, UnitOfWork

# The largest row id the tables hold (a 32-bit integer column on PostgreSQL).
DB_ID_MAX = 2**31 - 1
# How often the worker looks for findings on open risks whose duties fell due.
WORKER_EVERY = timedelta(minutes=15)
OPEN_RISKS_MAX = 2000


@dataclass(frozen=True, slots=True)
class Evidence:
    """One journal entry of a case's evidence, its hash recomputed."""

    entry: JournalEntry
    verified: bool


@dataclass(frozen=True, slots=True)
class CaseRecord:
    """A case as its page shows it: the evidence entries and the duty, if any."""

    case: Case
    evidence: list[Evidence]
    missing: list[int]  # evidence seqs the journal no longer holds: itself a finding
    duty: DutyRecord | None


def detect_cases(
    tx: Transaction,
    actor: Actor,
    *,
    region_code: str,
    risk_ids: Sequence[int],
    now: datetime,
    drill_id: int | None = None,
) -> list[Case]:
    """Open a case for each new finding on these risks (in the open tx); returns the new ones."""
    opened: list[Case] = []
    agreements: list[Agreement] | None = None
    committee: str | None = None
    for risk_id in risk_ids:
        findings, record = findings_of_risk(tx, risk_id, now=now)
        findings = [f for f in findings if f.region_code == region_code]
        known = tx.cases.keys([f.key for f in findings])
        if agreements is None:
            agreements = record.agreements
            committee = committee_of(tx, region_code) or ""
        assert committee is not None
        duty_kinds = {d.id: d.kind for d in record.duties}
        for finding in findings:
            if finding.key in known:
                continue
            known.add(finding.key)
            agreement = governing_agreement(
                finding, agreements, duty_kind=duty_kinds.get(finding.duty_id)
            )
            procedure = (
                agreement_procedure(agreement, committee_code=committee)
                if agreement is not None
                else platform_procedure(accountability_policy().statement_days)
            )
            case = tx.cases.add(
                open_case(finding, procedure, drill_id=drill_id, by=actor.username, now=now)
            )
            notices = queue_case_notice(tx, case, now=now)
            _record(
                tx,
                actor,
                "case.opened",
                case,
                now=now,
                extra={"facts": dict(case.facts), "notices": notices},
            )
            opened.append(case)
    return opened


def detect(uow: UnitOfWork, actor: Actor, *, risk_id: int, now: datetime) -> list[Case]:
    """The committee looks for findings on one risk now; opens a case for each new one."""
    risk_id = _id(risk_id, "risk")
    with uow as tx:
        risk = tx.risks.get(risk_id)
        require_read_region(actor, risk.region_code)
        require_coordinate(actor, risk.region_code)
        opened = detect_cases(tx, actor, region_code=risk.region_code, risk_ids=[risk_id], now=now)
        tx.commit()
    return opened


def detect_open_risks(uow: UnitOfWork, actor: Actor, *, now: datetime) -> int:
    """The worker's pass: new findings on every open risk (duties that fell due, warnings
    left unacknowledged, requests unanswered); returns how many cases it opened.

    The worker runs it at most once per WORKER_EVERY; detection is idempotent, so a pass
    that finds nothing new writes nothing.
    """
    opened = 0
    with uow as tx:
        by_region: dict[str, list[int]] = {}
        for risk in tx.risks.list(region_codes=None, limit=OPEN_RISKS_MAX):
            if risk.status is not RiskStatus.CLOSED and risk.id is not None:
                by_region.setdefault(risk.region_code, []).append(risk.id)
        for region_code, risk_ids in sorted(by_region.items()):
            opened += len(
                detect_cases(tx, actor, region_code=region_code, risk_ids=risk_ids, now=now)
            )
        tx.commit()
    return opened


def review_case(uow: UnitOfWork, actor: Actor, case_id: int, *, text: str, now: datetime) -> Case:
    """The reviewer's review of the case: what the record shows and what it asks of the party."""
    with uow as tx:
        case = _for_reviewer(tx, actor, case_id)
        saved = tx.cases.save(case.reviewed(text, by=actor.username, now=now))
        _record(tx, actor, "case.reviewed", saved, now=now, extra={"review": saved.review})
        tx.commit()
    return saved


def file_statement(
    uow: UnitOfWork, actor: Actor, case_id: int, *, text: str, now: datetime
) -> Case:
    """The party's statement (陈述申辩), by an officer of the party."""
    with uow as tx:
        case = _readable(tx, actor, case_id, for_update=True)
        if not can_file_statement(actor, case.party):
            raise NotPermitted(
                f"only an officer of {case.party} may file its statement on case {case_id}",
                key="case-not-party",
                params={"case": case_id, "party": case.party},
            )
        saved = tx.cases.save(case.with_statement(text, by=actor.username, now=now))
        _record(
            tx, actor, "case.statement_filed", saved, now=now, extra={"statement": saved.statement}
        )
        tx.commit()
    return saved


def decide_case(
    uow: UnitOfWork,
    actor: Actor,
    case_id: int,
    *,
    outcome: CaseOutcome,
    reason: str,
    penalty: str = "",
    now: datetime,
) -> Case:
    """The reviewer's decision: an outcome its procedure allows, with the reason."""
    with uow as tx:
        case = _for_reviewer(tx, actor, case_id)
        saved = tx.cases.save(
            case.decided(outcome, reason=reason, penalty=penalty, by=actor.username, now=now)
        )
        _record(
            tx,
            actor,
            "case.decided",
            saved,
            now=now,
            extra={"outcome": outcome.value, "reason": saved.reason, "penalty": saved.penalty},
        )
        tx.commit()
    return saved


def list_cases(
    uow: UnitOfWork,
    actor: Actor,
    *,
    region_code: str | None = None,
    party: str | None = None,
    state: CaseState | None = None,
    risk_id: int | None = None,
    drill_id: int | None = None,
) -> list[Case]:
    """The cases the actor may read: its region's for a committee, its own for a party."""
    for value, name in ((risk_id, "risk"), (drill_id, "drill")):
        if value is not None:
            _id(value, name)
    with uow.read_only() as tx:
        regions = regions_to_list(actor, region_code)
        found = tx.cases.listed(
            region_codes=regions, party=party, state=state, risk_id=risk_id, drill_id=drill_id
        )
    return [c for c in found if _may_read(actor, c)]


def readable_cases(
    tx: Transaction, actor: Actor, *, risk_id: int | None = None, drill_id: int | None = None
) -> list[Case]:
    """The cases of a risk or a drill that the actor may read, oldest first (in an open tx):
    what an after-action review shows."""
    found = tx.cases.listed(region_codes=None, risk_id=risk_id, drill_id=drill_id)
    return [c for c in reversed(found) if _may_read(actor, c)]


def get_case(uow: UnitOfWork, actor: Actor, case_id: int) -> CaseRecord:
    """One case with each evidence entry, its hash recomputed, and the duty it is about."""
    with uow.read_only() as tx:
        case = _readable(tx, actor, case_id)
        evidence = []
        missing = []
        for seq in case.evidence:
            entry = tx.journal.at(seq)
            if entry is None:
                missing.append(seq)
                continue
            evidence.append(Evidence(entry=entry, verified=entry_hash(entry) == entry.hash))
        duty = tx.duties.get(case.duty_id) if case.duty_id is not None else None
    return CaseRecord(case=case, evidence=evidence, missing=missing, duty=duty)


def may_review(actor: Actor, case: Case) -> bool:
    """Whether pages offer the actor the review and decision forms."""
    return can_review_case(actor, region_code=case.region_code, reviewer=case.procedure.reviewer)


def may_answer(actor: Actor, case: Case) -> bool:
    """Whether pages offer the actor the statement form."""
    return can_file_statement(actor, case.party)


def _may_read(actor: Actor, case: Case) -> bool:
    return can_read_case(
        actor, region_code=case.region_code, party=case.party, reviewer=case.procedure.reviewer
    )


def _readable(tx: Transaction, actor: Actor, case_id: int, *, for_update: bool = False) -> Case:
    case = tx.cases.get(_id(case_id, "case"), for_update=for_update)
    if not _may_read(actor, case):
        # A case of another party is not shown: say it does not exist rather than leak it.
        raise NotFound(
            f"accountability case {case_id} does not exist",
            key="case-not-found",
            params={"case": case_id},
        )
    return case


def _for_reviewer(tx: Transaction, actor: Actor, case_id: int) -> Case:
    case = _readable(tx, actor, case_id, for_update=True)
    if not may_review(actor, case):
        raise NotPermitted(
            f"only the reviewer of case {case_id} may review or decide it",
            key="case-not-reviewer",
            params={"case": case_id, "reviewer": _reviewer(case)},
        )
    return case


def _reviewer(case: Case) -> str:
    return case.procedure.reviewer or f"committee:{case.region_code}"


def _id(value: int, name: str) -> int:
    if not 1 <= value <= DB_ID_MAX:
        raise InvalidInput(
            f"{name} id {value} is out of range",
            key="case-id-out-of-range",
            params={"name": name, "value": str(value)[:24]},
        )
    return value


def procedure_facts(procedure: Procedure) -> dict[str, Any]:
    """The procedure as journal entries and the API carry it."""
    return procedure.as_dict()


def _record(
    tx: Transaction,
    actor: Actor,
    action: str,
    case: Case,
    *,
    now: datetime,
    extra: Mapping[str, Any],
) -> None:
    tx.record(
        actor,
        action,
        subject=f"case:{case.id}",
        payload={
            "case": case.id,
            "region": case.region_code,
            "risk_id": case.risk_id,
            "drill_id": case.drill_id,
            "kind": case.kind.value,
            "party": case.party,
            "duty": case.duty_id,
            "key": case.key,
            "evidence": list(case.evidence),
            "procedure": procedure_facts(case.procedure),
            "state": case.state.value,
            **extra,
        },
        region_code=case.region_code,
        now=now,
    )
