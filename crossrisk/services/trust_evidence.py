"""The evidence of members' trust scores (issue 15, "Trust"; DESIGN §3.9), read from the record.

The score is `domain/trust/reputation.py`'s beta reputation; this module gathers what it
reads, each item keeping the journal entries it comes from:

- commitments, by the aid rule's outcome (honoured, late, partial, broken; open ones are
  no evidence yet), at the time they were resolved;
- duties done in time or late, duties still open past their deadline and duties the
  closing of a risk cancelled when already overdue (late);
- acknowledgements of warnings in time, late or never: every message of a thread that was
  owed an acknowledgement (one superseded before its deadline was not); the affected
  city's prepare-and-acknowledge duty is that same act, so it is not counted a second time;
- the committee's verdicts (a disputed commitment or duty counts as the committee holds
  it) and members' ratings of aid they received (weighted by the rater's own score).

A drill's records count as well (issue 15: a city that acknowledges late in an exercise
would acknowledge late in earnest), each item marked with its drill so that the page, the
API and the CLI show it for what it is.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any, Protocol

from crossrisk.domain.aid.commitment import Commitment, Outcome, outcome
from crossrisk.domain.aid.shipment import Shipment
from crossrisk.domain.duty import DutyStatus
from crossrisk.domain.journal import JournalEntry
from crossrisk.domain.organisation import OrganisationKind
from crossrisk.domain.responsibility import DutyKind
from crossrisk.domain.trust.reputation import Evidence, EvidenceKind
from crossrisk.domain.trust.supervision import Rating, Supervision
from crossrisk.domain.warning import AWAITING_ACK, WarningStatus
from crossrisk.domain.warning_plan import WarningMessage
from crossrisk.store.uow import Transaction

# A region's whole record; one with more than this is beyond any real one.
HISTORY_MAX = 50_000

# A member's rating of aid is journaled under this action; the evidence reads it back.
RATED = "trust.rated"

COMMITMENT_KIND = {
    Outcome.HONOURED: EvidenceKind.COMMITMENT_HONOURED,
    Outcome.LATE: EvidenceKind.COMMITMENT_LATE,
    Outcome.PARTIAL: EvidenceKind.COMMITMENT_PARTIAL,
    Outcome.BROKEN: EvidenceKind.COMMITMENT_BROKEN,
}


@dataclass(frozen=True, slots=True)
class EvidenceItem:
    """One item of evidence with the journal entries it comes from and any verdict on it."""

    evidence: Evidence
    seqs: tuple[int, ...]
    recorded_kind: EvidenceKind  # what the record shows, before any dispute
    risk_id: int | None = None
    supervision: Supervision | None = None
    drill_id: int | None = None  # the drill whose risk the item comes from

    @property
    def source(self) -> str:
        return self.evidence.source_ref

    @property
    def drill(self) -> bool:
        return self.drill_id is not None


class DutyLike(Protocol):
    """What a duty's evidence reads: a stored duty, or one rebuilt from the journal."""

    @property
    def id(self) -> int | None: ...
    @property
    def risk_id(self) -> int | None: ...
    @property
    def organisation_code(self) -> str: ...
    @property
    def deadline(self) -> datetime: ...
    @property
    def status(self) -> DutyStatus: ...
    @property
    def done_at(self) -> datetime | None: ...


@dataclass(frozen=True, slots=True)
class TrustRecords:
    """The records a region's evidence is read from: its tables, or the journal refolded
    (crossrisk.domain.recompute) when the figures are recomputed."""

    organisation_of: Mapping[str, str]  # jurisdiction code → its organisation
    risk_of_request: Mapping[int | None, int | None]  # aid request → its risk, if any
    drill_of: Mapping[int, int]  # risk → its drill, for the risks of drills
    commitments: Sequence[Commitment]
    shipments: Mapping[int, list[Shipment]]  # by commitment id
    duties: Sequence[DutyLike]  # prepare-and-acknowledge left out (see region_evidence)
    threads: Sequence[Sequence[WarningMessage]]
    history: Mapping[str, list[JournalEntry]]  # by subject
    supervisions: Sequence[Supervision]
    ratings: Sequence[Rating]


def region_evidence(tx: Transaction, region_code: str, *, now: datetime) -> list[EvidenceItem]:
    """Every item of evidence about the region's members at `now`, in the open transaction."""
    return evidence_of(region_records(tx, region_code), now=now)


def region_records(tx: Transaction, region_code: str) -> TrustRecords:
    """What the region's evidence is read from, as its tables hold it."""
    requests = tx.aid_requests.find(region_codes=[region_code], limit=HISTORY_MAX, with_drills=True)
    commitments = [c for r in requests for c in tx.commitments.of_request(r.id or 0)]
    shipments = tx.shipments.of_commitments([c.id or 0 for c in commitments])
    duties = [
        d
        for d in tx.duties.listed(region_codes=[region_code], limit=HISTORY_MAX, with_drills=True)
        # The warning's acknowledgement is the evidence of this duty: counted once, there.
        if d.kind is not DutyKind.PREPARE_AND_ACKNOWLEDGE
    ]
    threads = tx.warnings.threads_of_regions([region_code], limit=HISTORY_MAX)
    history = tx.journal.about_each(
        {f"commitment:{c.id}" for c in commitments}
        | {f"shipment:{s.id}" for sent in shipments.values() for s in sent}
        | {f"duty:{d.id}" for d in duties}
        | {f"warning:{m.warning.id}" for thread in threads for m in thread}
    )
    risk_ids = {r.risk_id for r in requests} | {d.risk_id for d in duties}
    risk_ids |= {m.warning.risk_id for thread in threads for m in thread}
    return TrustRecords(
        organisation_of=organisations_by_jurisdiction(tx),
        risk_of_request={r.id: r.risk_id for r in requests},
        drill_of=tx.risks.drills_of({r for r in risk_ids if r is not None}),
        commitments=commitments,
        shipments=shipments,
        duties=duties,
        threads=threads,
        history=history,
        supervisions=tx.trust.supervisions([region_code]),
        ratings=tx.trust.ratings([region_code]),
    )


def organisations_by_jurisdiction(tx: Transaction) -> dict[str, str]:
    """Each member city's jurisdiction code and the code of its organisation."""
    return {
        o.jurisdiction_code: o.code
        for o in tx.organisations.of_kind(OrganisationKind.JURISDICTION)
        if o.jurisdiction_code
    }


def evidence_of(records: TrustRecords, *, now: datetime) -> list[EvidenceItem]:
    """The evidence the records give at `now`, each item as the committee holds it."""
    history = records.history
    risk_of_commitment = {
        c.id: records.risk_of_request.get(c.request_id) for c in records.commitments
    }
    items = [
        *_commitment_items(
            history,
            records.commitments,
            records.shipments,
            records.organisation_of,
            risk_of_commitment,
            now=now,
        ),
        *_duty_items(history, records.duties, now=now),
        *_acknowledgement_items(history, records.threads, now=now),
    ]
    items = _apply_verdicts(items, records.supervisions)
    risk_of_shipment = {
        s.id: risk_of_commitment.get(s.commitment_id)
        for sent in records.shipments.values()
        for s in sent
    }
    items += _rating_items(history, records.ratings, risk_of_shipment)
    drill_of = records.drill_of
    items = [
        replace(item, drill_id=drill_of[item.risk_id])
        if item.risk_id is not None and item.risk_id in drill_of
        else item
        for item in items
    ]
    items.sort(key=lambda item: (item.evidence.time, item.seqs[:1]))
    return items


def describe(item: EvidenceItem) -> dict[str, Any]:
    """An evidence item as JSON-safe facts, for the API, the CLI and the page."""
    supervision = item.supervision
    return {
        "source": item.source,
        "kind": item.evidence.kind.value,
        "recorded_kind": item.recorded_kind.value,
        "time": item.evidence.time.isoformat(),
        "risk_id": item.risk_id,
        "drill": item.drill,
        "drill_id": item.drill_id,
        "journal": list(item.seqs),
        "rater": item.evidence.rater,
        "rating": item.evidence.rating,
        "supervision": None
        if supervision is None
        else {
            "verdict": supervision.verdict.value,
            "counts_as": supervision.counts_as.value,
            "reason": supervision.reason,
            "by": supervision.by,
            "at": supervision.at.isoformat(),
        },
    }


def _commitment_items(
    history: Mapping[str, list[JournalEntry]],
    commitments: Sequence[Commitment],
    shipments: Mapping[int, list[Shipment]],
    organisation_of: Mapping[str, str],
    risk_of_commitment: Mapping[int | None, int | None],
    *,
    now: datetime,
) -> list[EvidenceItem]:
    items = []
    for c in commitments:
        assert c.id is not None
        sent = shipments.get(c.id, [])
        result = outcome(
            quantity=c.quantity, due=c.due, cancelled_at=c.cancelled_at, shipments=sent, now=now
        )
        if result is Outcome.OPEN:
            continue
        entries = [*history.get(f"commitment:{c.id}", [])]
        for shipment in sent:
            entries += history.get(f"shipment:{shipment.id}", [])
        seqs = tuple(sorted(e.seq for e in entries if e.action != RATED))
        kind = COMMITMENT_KIND[result]
        items.append(
            EvidenceItem(
                Evidence(
                    time=_resolved_at(c, sent, result),
                    kind=kind,
                    subject=organisation_of.get(
                        c.donor_jurisdiction_code, c.donor_jurisdiction_code
                    ),
                    source_ref=f"commitment:{c.id}",
                ),
                seqs=seqs,
                recorded_kind=kind,
                risk_id=risk_of_commitment.get(c.id),
            )
        )
    return items


def _resolved_at(c: Commitment, sent: Sequence[Shipment], result: Outcome) -> datetime:
    """When the record settled what the commitment came to."""
    if result is Outcome.BROKEN:
        return c.cancelled_at or c.due
    received = [s.received_at for s in sent if s.received_at is not None]
    last = max(received, default=c.due)
    if result is Outcome.PARTIAL and sum(s.quantity for s in sent) < c.quantity:
        return max(last, c.due)  # short shipped: partial once the due time passed
    return last


def _duty_items(
    history: Mapping[str, list[JournalEntry]], duties: Sequence[DutyLike], *, now: datetime
) -> list[EvidenceItem]:
    items = []
    for duty in duties:
        if duty.status is DutyStatus.DONE and duty.done_at is not None:
            late = duty.done_at > duty.deadline
            time = duty.done_at
        elif duty.status is DutyStatus.OPEN and now > duty.deadline:
            late, time = True, duty.deadline
        elif duty.status is DutyStatus.CANCELLED and _cancelled_overdue(history, duty):
            # Closing a risk cancels its open duties; one already overdue is not excused
            # (as the duty metrics and the accountability case read it).
            late, time = True, duty.deadline
        else:
            continue
        kind = EvidenceKind.DUTY_LATE if late else EvidenceKind.DUTY_IN_TIME
        items.append(
            EvidenceItem(
                Evidence(
                    time=time,
                    kind=kind,
                    subject=duty.organisation_code,
                    source_ref=f"duty:{duty.id}",
                ),
                seqs=tuple(e.seq for e in history.get(f"duty:{duty.id}", [])),
                recorded_kind=kind,
                risk_id=duty.risk_id,
            )
        )
    return items


def _cancelled_overdue(history: Mapping[str, list[JournalEntry]], duty: DutyLike) -> bool:
    cancelled = [e for e in history.get(f"duty:{duty.id}", []) if e.action == "duty.cancelled"]
    return bool(cancelled) and cancelled[-1].at > duty.deadline


def _acknowledgement_items(
    history: Mapping[str, list[JournalEntry]],
    threads: Sequence[Sequence[WarningMessage]],
    *,
    now: datetime,
) -> list[EvidenceItem]:
    """Each message acknowledged, or owed and not acknowledged by its deadline.

    A message superseded (an update, the lifting on closing) after its deadline had passed
    unacknowledged was missed: the later message does not excuse it. One superseded before
    its deadline was owed no longer, and the last message of a thread is owed only while
    it awaits acknowledgement (a lifting is not acknowledged).
    """
    items = []
    for thread in threads:
        for message, following in zip(thread, [*thread[1:], None], strict=True):
            verdict = _acknowledged(message, following, now=now)
            if verdict is not None:
                items.append(_acknowledgement_item(history, message, *verdict))
    return items


def _acknowledged(
    message: WarningMessage, following: WarningMessage | None, *, now: datetime
) -> tuple[bool, datetime] | None:
    """(in time, when) for a message that is evidence, None for one that is not (yet)."""
    warning = message.warning
    if message.acknowledged_at is not None:
        return message.acknowledged_at <= warning.ack_deadline, message.acknowledged_at
    if following is not None:
        overdue = following.warning.issued_at > warning.ack_deadline
        return (False, warning.ack_deadline) if overdue else None
    awaiting = warning.status in AWAITING_ACK or warning.status is WarningStatus.EXPIRED
    if awaiting and now > warning.ack_deadline:
        return False, warning.ack_deadline
    return None


def _acknowledgement_item(
    history: Mapping[str, list[JournalEntry]],
    message: WarningMessage,
    in_time: bool,
    time: datetime,
) -> EvidenceItem:
    warning = message.warning
    kind = EvidenceKind.ACKNOWLEDGED_IN_TIME if in_time else EvidenceKind.ACKNOWLEDGEMENT_MISSED
    return EvidenceItem(
        Evidence(
            time=time,
            kind=kind,
            subject=message.recipient_organisation,
            source_ref=f"warning:{warning.id}",
        ),
        seqs=tuple(e.seq for e in history.get(f"warning:{warning.id}", [])),
        recorded_kind=kind,
        risk_id=warning.risk_id,
    )


def _apply_verdicts(
    items: list[EvidenceItem], verdicts: Sequence[Supervision]
) -> list[EvidenceItem]:
    """Each item as the committee's latest verdict on it holds it."""
    latest = {v.target: v for v in verdicts}
    return [
        item
        if item.source not in latest
        else replace(
            item,
            evidence=replace(item.evidence, kind=latest[item.source].counts_as),
            supervision=latest[item.source],
        )
        for item in items
    ]


def _rating_items(
    history: Mapping[str, list[JournalEntry]],
    ratings: Sequence[Rating],
    risk_of_shipment: Mapping[int | None, int | None],
) -> list[EvidenceItem]:
    items = []
    for rating in ratings:
        if rating.shipment_id not in risk_of_shipment:
            continue  # aid of another region's request
        entries = history.get(f"shipment:{rating.shipment_id}", [])
        seqs = tuple(
            e.seq
            for e in entries
            if e.action == "shipment.received"
            or (e.action == RATED and e.payload.get("rating") == rating.id)
        )
        items.append(
            EvidenceItem(
                Evidence(
                    time=rating.at,
                    kind=EvidenceKind.PEER_RATING,
                    subject=rating.subject,
                    source_ref=f"rating:{rating.id}",
                    rater=rating.rater,
                    rating=rating.share,
                ),
                seqs=seqs,
                recorded_kind=EvidenceKind.PEER_RATING,
                risk_id=risk_of_shipment[rating.shipment_id],
            )
        )
    return items
