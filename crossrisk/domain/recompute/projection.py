"""The record rebuilt from the journal alone (issue 15, "Recomputation"; DESIGN §3.10).

Every service journals the state it leaves a duty, a warning message, an aid commitment, a
shipment, a cost line, a settlement statement, a case or a supervision in; folding the
entries in order gives those records back without reading a table. The figures are then
computed from these by the same rules the platform uses, so a table changed outside the
services (or an entry missing from the journal) shows as a difference.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from typing import Any

from crossrisk.domain.aid.commitment import Commitment
from crossrisk.domain.aid.shipment import Shipment, ShipmentState, TransportMode
from crossrisk.domain.compensation.ledger import (
    CostCategory,
    CostKind,
    CostLine,
    FundMovement,
    FundMovementKind,
)
from crossrisk.domain.duty import DutyStatus
from crossrisk.domain.journal import JournalEntry
from crossrisk.domain.trust.reputation import EvidenceKind
from crossrisk.domain.trust.supervision import Rating, Supervision, Verdict
from crossrisk.domain.warning import EarlyWarning, WarningLevel, WarningStatus
from crossrisk.domain.warning_plan import MessageType, WarningMessage

# Statuses a duty's entries show that the table stores as one.
DUTY_STATUS = {"done_late": DutyStatus.DONE}
SUPERVISED = {f"trust.{verdict.value}": verdict for verdict in Verdict}


@dataclass(frozen=True, slots=True)
class DutyFacts:
    """What the journal says of a duty: enough for its evidence and its metrics."""

    id: int
    risk_id: int | None
    region_code: str
    kind: str  # a DutyKind's value, or a plan line's own
    organisation_code: str
    deadline: datetime
    status: DutyStatus
    done_at: datetime | None


@dataclass(frozen=True, slots=True)
class JournaledCase:
    """A case as its last entry left it."""

    id: int
    region_code: str
    risk_id: int | None
    drill_id: int | None
    kind: str
    party: str
    duty_id: int | None
    key: str
    evidence: tuple[int, ...]
    state: str
    outcome: str | None


@dataclass(frozen=True, slots=True)
class JournaledStatement:
    """A settlement statement as proposed, with the ledger and estimates of that moment."""

    id: int
    risk_id: int | None  # None: a period's statement under an agreement
    agreement_id: int | None
    rule: str
    state: str
    inputs: Mapping[str, Any]
    lines: tuple[CostLine, ...]  # the risk's cost lines when it was proposed
    loss_avoided_fen: Mapping[str, int]


@dataclass(slots=True)
class Record:
    """Everything the figures read, as the journal tells it."""

    risks: dict[int, dict[str, Any]] = field(default_factory=dict)  # region, drill
    duties: dict[int, DutyFacts] = field(default_factory=dict)
    duty_history: dict[int, list[JournalEntry]] = field(default_factory=dict)
    messages: dict[str, WarningMessage] = field(default_factory=dict)
    threads: dict[tuple[int, str], list[str]] = field(default_factory=dict)
    requests: dict[int, dict[str, Any]] = field(default_factory=dict)  # region, risk
    commitments: dict[int, Commitment] = field(default_factory=dict)
    shipments: dict[int, Shipment] = field(default_factory=dict)
    costs: dict[int, CostLine] = field(default_factory=dict)
    loss_avoided: dict[int, dict[str, int]] = field(default_factory=dict)
    statements: dict[int, JournaledStatement] = field(default_factory=dict)
    cases: dict[int, JournaledCase] = field(default_factory=dict)
    supervisions: list[Supervision] = field(default_factory=list)
    ratings: list[Rating] = field(default_factory=list)
    by_subject: dict[str, list[JournalEntry]] = field(default_factory=dict)
    by_risk: dict[int, list[JournalEntry]] = field(default_factory=dict)
    obligation_checks: list[JournalEntry] = field(default_factory=list)
    # Each cost line's evidence files, as attached: name and SHA-256.
    evidence: dict[int, list[tuple[str, str]]] = field(default_factory=dict)
    # What was delivered in kind on each statement: provider, recipient, value in fen.
    deliveries: dict[int, list[tuple[str, str, int]]] = field(default_factory=dict)
    fund_movements: dict[str, list[FundMovement]] = field(default_factory=dict)  # by region
    # Each agreement and the organisation that drafted it (the committee of its region).
    agreement_drafters: dict[int, str] = field(default_factory=dict)

    def thread_messages(self) -> list[list[WarningMessage]]:
        """Every thread of messages, oldest first, as the warnings table orders them."""
        return [[self.messages[wid] for wid in self.threads[key]] for key in sorted(self.threads)]


def project(entries: Iterable[JournalEntry]) -> Record:
    """Fold the journal, oldest entry first, into the records the figures read."""
    record = Record()
    for entry in entries:
        record.by_subject.setdefault(entry.subject, []).append(entry)
        family, _, number = entry.subject.partition(":")
        risk_id = _int(number) if family == "risk" else _int(entry.payload.get("risk_id"))
        if risk_id is not None:
            record.by_risk.setdefault(risk_id, []).append(entry)
        _apply(record, entry)
    return record


def _apply(record: Record, entry: JournalEntry) -> None:
    family, _, verb = entry.action.partition(".")
    p = entry.payload
    match family:
        case "risk":
            _risk(record, entry)
        case "duty":
            _duty(record, entry)
        case "warning":
            _warning(record, entry)
        case "aid_request":
            record.requests[int(p["request_id"])] = {
                "risk_id": _int(p.get("risk_id")),
                "jurisdiction": p.get("jurisdiction_code"),
            }
        case "commitment":
            _commitment(record, entry)
        case "shipment":
            _shipment(record, entry)
        case "cost":
            _cost(record, entry)
        case "settlement":
            _settlement(record, entry)
        case "case":
            _case(record, entry)
        case "trust":
            _trust(record, entry)
        case "fund":
            _fund(record, entry)
        case "agreement":
            agreement = _int(p.get("agreement_id"))
            if agreement is not None:
                record.agreement_drafters.setdefault(agreement, entry.organisation)
            if verb.startswith("obligation_"):
                record.obligation_checks.append(entry)
        case _:
            pass


def _risk(record: Record, entry: JournalEntry) -> None:
    p = entry.payload
    stored = p.get("risk")
    risk_id = _int(stored.get("id")) if isinstance(stored, Mapping) else _int(p.get("risk_id"))
    if risk_id is None:
        return
    risk = record.risks.setdefault(risk_id, {"drill": None})
    region = stored.get("region") if isinstance(stored, Mapping) else p.get("region")
    if region:
        risk["region"] = str(region)
    if entry.action == "risk.registered":
        risk["drill"] = _int(p.get("drill"))


def _duty(record: Record, entry: JournalEntry) -> None:
    p = entry.payload
    duty_id = int(p["duty"])
    record.duty_history.setdefault(duty_id, []).append(entry)
    status = str(p.get("status", ""))
    known = record.duties.get(duty_id)
    kind = str(p.get("kind") or (known.kind if known else ""))
    done_at = _time(p.get("done_at"))
    record.duties[duty_id] = DutyFacts(
        id=duty_id,
        risk_id=_int(p.get("risk_id")),
        region_code=str(p.get("region", known.region_code if known else "")),
        kind=kind,
        organisation_code=str(p.get("organisation", known.organisation_code if known else "")),
        deadline=_time(p.get("deadline")) or (known.deadline if known else entry.at),
        status=DUTY_STATUS.get(status) or DutyStatus(status),
        done_at=done_at if done_at is not None else (known.done_at if known else None),
    )


def _warning(record: Record, entry: JournalEntry) -> None:
    p = entry.payload
    wid = str(p["warning"])
    known = record.messages.get(wid)
    status = WarningStatus(p["status"])
    if known is None:
        if entry.action not in ("warning.issued", "warning.updated", "warning.cancelled"):
            return  # a message issued before the journal began: nothing to rebuild from
        warning = EarlyWarning(
            id=wid,
            risk_id=int(p["risk_id"]),
            region_code=str(p["region"]),
            recipient_code=str(p["recipient"]),
            level=WarningLevel(int(p["level"])),
            expected_arrival=_time(p.get("expected_arrival")),
            instructions_zh="",
            instructions_en="",
            status=status,
            issued_at=entry.at,
            ack_deadline=_time(p["ack_deadline"]) or entry.at,
        )
        record.messages[wid] = WarningMessage(
            warning=warning,
            msg_type=MessageType(p["msg_type"]),
            manual=False,
            recipient_organisation=str(p["organisation"]),
            issued_by=entry.actor,
        )
        record.threads.setdefault((warning.risk_id, warning.recipient_code), []).append(wid)
        replaced = p.get("replaces")
        if isinstance(replaced, str) and replaced in record.messages:
            old = record.messages[replaced]
            record.messages[replaced] = replace(
                old, warning=replace(old.warning, status=WarningStatus.UPDATED)
            )
        return
    acknowledged = entry.action == "warning.acknowledged"
    record.messages[wid] = replace(
        known,
        warning=replace(
            known.warning,
            status=status,
            ack_deadline=_time(p.get("ack_deadline")) or known.warning.ack_deadline,
        ),
        acknowledged_at=entry.at if acknowledged else known.acknowledged_at,
        acknowledged_by=entry.actor if acknowledged else known.acknowledged_by,
    )


def _commitment(record: Record, entry: JournalEntry) -> None:
    p = entry.payload
    cid = int(p["commitment_id"] if "commitment_id" in p else p["commitment"])
    known = record.commitments.get(cid)
    if known is None:
        request = record.requests.get(int(p["request_id"]), {})
        record.commitments[cid] = Commitment(
            id=cid,
            region_code=str(p.get("region", request.get("region", ""))),
            request_id=int(p["request_id"]),
            request_line_id=int(p["request_line_id"]),
            donor_jurisdiction_code=str(p["donor_jurisdiction_code"]),
            item_code=str(p["item_code"]),
            quantity=float(p["quantity"]),
            due=_time(p["due"]) or entry.at,
            made_at=entry.at,
            made_by=entry.actor,
            offer_line_id=_int(p.get("offer_line_id")),
        )
    elif entry.action == "commitment.cancelled":
        record.commitments[cid] = replace(
            known, cancelled_at=entry.at, cancel_reason=str(p.get("reason", ""))
        )


def _shipment(record: Record, entry: JournalEntry) -> None:
    p = entry.payload
    if entry.action == "shipment.rated" or "shipment_id" not in p:
        return
    sid = int(p["shipment_id"])
    known = record.shipments.get(sid)
    state = ShipmentState(p["state"])
    received_quantity = p.get("received_quantity")
    record.shipments[sid] = Shipment(
        id=sid,
        commitment_id=int(p["commitment_id"]),
        quantity=float(p["quantity"]),
        mode=TransportMode(p["mode"]),
        reference=str(p.get("reference", "")),
        dispatched_at=_time(p.get("dispatched_at")) or entry.at,
        dispatched_by=known.dispatched_by if known else entry.actor,
        expected_arrival=_time(p.get("expected_arrival")) or entry.at,
        state=state,
        in_transit_at=entry.at
        if state is ShipmentState.IN_TRANSIT
        else (known.in_transit_at if known else None),
        received_quantity=None if received_quantity is None else float(received_quantity),
        received_at=_time(p.get("received_at")),
        received_by=entry.actor if state is ShipmentState.RECEIVED else None,
    )


def _cost(record: Record, entry: JournalEntry) -> None:
    p = entry.payload
    risk_id = int(p["risk_id"])
    if entry.action == "cost.evidence_attached":
        record.evidence.setdefault(int(p["line"]), []).append(
            (str(p["file_name"]), str(p["sha256"]))
        )
        return
    if entry.action == "cost.loss_estimated":
        record.loss_avoided.setdefault(risk_id, {})[str(p["party"])] = int(p["amount_fen"])
        return
    line_id = int(p["line"])
    if entry.action == "cost.withdrawn" and line_id in record.costs:
        record.costs[line_id] = replace(
            record.costs[line_id], withdrawn_at=entry.at, withdrawn_by=entry.actor
        )
    if entry.action != "cost.recorded":
        return
    region = record.risks.get(risk_id, {}).get("region", "")
    record.costs[line_id] = CostLine(
        id=line_id,
        risk_id=risk_id,
        region_code=str(region),
        party=str(p["party"]),
        organisation_code=str(p["organisation"]),
        amount_fen=int(p["amount_fen"]),
        category=CostCategory(p["category"]),
        spent_on=date.fromisoformat(str(p["spent_on"])),
        evidence=str(p.get("evidence", "")),
        kind=CostKind(p["kind"]),
        protects=tuple(str(c) for c in p.get("protects", [])),
        recorded_by=entry.actor,
        recorded_at=entry.at,
        aid_request_id=_int(p.get("aid_request_id")),
        reimbursed_by=p.get("reimbursed_by"),
        drill=bool(p.get("drill")),
    )


def _settlement(record: Record, entry: JournalEntry) -> None:
    p = entry.payload
    sid = int(p["settlement"])
    known = record.statements.get(sid)
    if entry.action == "settlement.delivered_in_kind":
        record.deliveries.setdefault(sid, []).append(
            (str(p["provider"]), str(p["recipient"]), int(p["value_fen"]))
        )
        return
    if known is not None:
        record.statements[sid] = replace(known, state=str(p["state"]))
        return
    # A risk's statement shares its ledger; a period's (a border section's water quality)
    # has none, only the means and terms in its inputs.
    risk_id = _int(p.get("risk_id"))
    period = p.get("period")
    agreement = _int(period.get("agreement_id")) if isinstance(period, Mapping) else None
    record.statements[sid] = JournaledStatement(
        id=sid,
        risk_id=risk_id,
        agreement_id=agreement,
        rule=str(p["rule"]),
        state=str(p["state"]),
        inputs=dict(p.get("inputs", {})),
        lines=tuple(
            c for c in record.costs.values() if risk_id is not None and c.risk_id == risk_id
        ),
        loss_avoided_fen=dict(record.loss_avoided.get(risk_id, {})) if risk_id is not None else {},
    )


def _fund(record: Record, entry: JournalEntry) -> None:
    p = entry.payload
    region = str(p["region"])
    record.fund_movements.setdefault(region, []).append(
        FundMovement(
            id=_int(p.get("movement")),
            region_code=region,
            kind=FundMovementKind(p["kind"]),
            party=str(p["party"]),
            amount_fen=int(p["amount_fen"]),
            conditions=tuple(str(c) for c in p.get("conditions", [])),
            note=str(p.get("note", "")),
            recorded_by=entry.actor,
            recorded_at=entry.at,
            case_id=_int(p.get("case")),
            settlement_id=_int(p.get("settlement")),
        )
    )


def _case(record: Record, entry: JournalEntry) -> None:
    p = entry.payload
    cid = int(p["case"])
    known = record.cases.get(cid)
    record.cases[cid] = JournaledCase(
        id=cid,
        region_code=str(p.get("region", "")),
        risk_id=_int(p.get("risk_id")),
        drill_id=_int(p.get("drill_id")),
        kind=str(p["kind"]),
        party=str(p["party"]),
        duty_id=_int(p.get("duty")),
        key=str(p["key"]),
        evidence=tuple(int(s) for s in p.get("evidence", [])),
        state=str(p["state"]),
        outcome=p.get("outcome", known.outcome if known else None),
    )


def _trust(record: Record, entry: JournalEntry) -> None:
    p = entry.payload
    verdict = SUPERVISED.get(entry.action)
    if verdict is not None:
        record.supervisions.append(
            Supervision(
                id=_int(p.get("supervision")),
                region_code=str(p["region"]),
                target=entry.subject,
                verdict=verdict,
                recorded_kind=EvidenceKind(p["recorded_kind"]),
                counts_as=EvidenceKind(p["counts_as"]),
                reason=str(p.get("reason", "")),
                by=entry.actor,
                organisation=entry.organisation,
                at=entry.at,
            )
        )
    elif entry.action == "trust.rated":
        record.ratings.append(
            Rating(
                id=_int(p.get("rating")),
                region_code=str(p["region"]),
                shipment_id=int(entry.subject.partition(":")[2]),
                rater=str(p["rater"]),
                subject=str(p["member"]),
                score=str(p["score"]),
                share=float(p["share"]),
                comment=str(p.get("comment", "")),
                by=entry.actor,
                at=entry.at,
            )
        )


def _int(value: object) -> int | None:
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    if isinstance(value, str) and value.isdigit():
        return int(value)
    return None


def _time(value: object) -> datetime | None:
    return datetime.fromisoformat(value) if isinstance(value, str) and value else None
