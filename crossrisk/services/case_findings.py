"""What detection reads for one risk (in an open transaction): its duties, warnings, aid
requests and commitments with the journal entries about them, turned into findings."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from crossrisk.domain.accountability.findings import (
    AidQuestion,
    CommitmentFacts,
    Finding,
    aid_findings,
    commitment_findings,
    duty_findings,
    report_findings,
    warning_findings,
)
from crossrisk.domain.agreements.agreement import Agreement, AgreementState, ObligationKind
from crossrisk.domain.aid.commitment import outcome
from crossrisk.domain.aid.request import AidRequest
from crossrisk.domain.duty import DutyRecord
from crossrisk.domain.errors import NotFound
from crossrisk.domain.journal import JournalEntry
from crossrisk.domain.organisation import OrganisationKind
from crossrisk.domain.responsibility import DutyKind
from crossrisk.domain.warning_plan import WarningMessage
from crossrisk.services.agreements import coordinator_of
from crossrisk.services.policy_tables import accountability_policy
from crossrisk.store.uow import Transaction

# A risk's whole history; a risk with more entries than this is beyond any drill or event.
HISTORY_MAX = 50_000


@dataclass(frozen=True, slots=True)
class RiskRecord:
    """What the record holds about one risk, as detection reads it."""

    duties: list[DutyRecord]
    entries: list[JournalEntry]
    agreements: list[Agreement]


def findings_of_risk(
    tx: Transaction, risk_id: int, *, now: datetime
) -> tuple[list[Finding], RiskRecord]:
    """Every finding the record of one risk shows at `now`."""
    risk = tx.risks.get(risk_id)
    region = risk.region_code
    policy = accountability_policy()
    entries = {e.seq: e for e in tx.journal.about_risk(risk_id, limit=HISTORY_MAX)}
    duties = tx.duties.of_risk(risk_id)
    messages = _warnings(tx, risk_id)
    requests = [
        r
        for r in tx.aid_requests.find(region_codes=[region])
        if r.risk_id == risk_id and r.approved_at is not None
    ]
    for request in requests:
        for entry in tx.journal.about(f"aid_request:{request.id}"):
            entries[entry.seq] = entry
    agreements = tx.agreements.listed(region_codes=[region], states=[AgreementState.IN_FORCE])
    organisation_of = {
        o.jurisdiction_code: o.code
        for o in tx.organisations.of_kind(OrganisationKind.JURISDICTION)
        if o.jurisdiction_code
    }
    committee = committee_of(tx, region)
    questions: list[AidQuestion] = []
    facts: list[CommitmentFacts] = []
    for request in requests:
        assert request.id is not None and request.approved_at is not None
        offers = tx.aid_offers.of_request(request.id)
        commitments = tx.commitments.of_request(request.id)
        shipments = tx.shipments.of_commitments([c.id for c in commitments if c.id is not None])
        answers: dict[str, datetime] = {}
        for offer in offers:
            party = organisation_of.get(offer.jurisdiction_code, offer.jurisdiction_code)
            answers[party] = min(answers.get(party, offer.created_at), offer.created_at)
        any_answer = min([*answers.values(), *(c.made_at for c in commitments)], default=None)
        requester = organisation_of.get(request.jurisdiction_code, request.jurisdiction_code)
        bound = _bound_to_answer(agreements, exclude=requester)
        for party in bound or ([committee] if committee else []):
            questions.append(
                AidQuestion(
                    request_id=request.id,
                    region_code=region,
                    risk_id=risk_id,
                    party=party,
                    approved_at=request.approved_at,
                    needed_by=_needed_by(request),
                    answered_at=answers.get(party) if bound else any_answer,
                )
            )
        for c in commitments:
            assert c.id is not None
            for entry in tx.journal.about(f"commitment:{c.id}"):
                entries[entry.seq] = entry
            facts.append(
                CommitmentFacts(
                    commitment_id=c.id,
                    region_code=region,
                    risk_id=risk_id,
                    request_id=c.request_id,
                    party=organisation_of.get(c.donor_jurisdiction_code, c.donor_jurisdiction_code),
                    due=c.due,
                    outcome=outcome(
                        quantity=c.quantity,
                        due=c.due,
                        cancelled_at=c.cancelled_at,
                        shipments=shipments.get(c.id, []),
                        now=now,
                    ),
                )
            )
    history = sorted(entries.values(), key=lambda e: e.seq)
    covered = {d.organisation_code for d in duties if d.kind is DutyKind.PREPARE_AND_ACKNOWLEDGE}
    found = [
        *duty_findings(duties, history, messages, now=now),
        *warning_findings(messages, history, covered=covered, now=now),
        *aid_findings(questions, history, policy, now=now),
        *commitment_findings(facts, history),
        *report_findings(
            history, region_code=region, risk_id=risk_id, tolerance=policy.report_tolerance
        ),
    ]
    return found, RiskRecord(duties=duties, entries=history, agreements=agreements)


def committee_of(tx: Transaction, region_code: str) -> str | None:
    """The region's coordination body, None for a region loaded without one."""
    try:
        return coordinator_of(tx, region_code)
    except NotFound:
        return None


def _warnings(tx: Transaction, risk_id: int) -> list[WarningMessage]:
    """Every message of the risk, superseded ones too: each had its own deadline."""
    messages: dict[str, WarningMessage] = {}
    for recipient in tx.warnings.threads(risk_id):
        for message in tx.warnings.history(risk_id, recipient):
            messages[message.id] = message
    return list(messages.values())


def _bound_to_answer(agreements: Sequence[Agreement], *, exclude: str) -> list[str]:
    """The members an agreement in force binds to answer aid requests, the requester apart."""
    return sorted(
        {
            o.party
            for a in agreements
            for o in a.text.obligations
            if o.kind is ObligationKind.ANSWER_AID_WITHIN and o.party != exclude
        }
    )


def _needed_by(request: AidRequest) -> datetime:
    return min(line.needed_by for line in request.lines)
