"""A risk's cost ledger: members record what they spent, and the loss each avoided.

A member's officer records its own costs (the committee may record for any member); each
line is an aid cost the requesting city reimburses (the default for the costs of an aid
request's accepted offers) or a cost of the member's own response, and names the member
jurisdictions it protected, which the joint-response cost game reads
(crossrisk.domain.compensation.ledger). A drill's risk takes costs too, marked as a
drill's, so a drill can rehearse its settlement. Bad input is refused and nothing written.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime
from decimal import Decimal
from typing import TypeVar

from crossrisk.domain.compensation.evidence import (
    EvidenceFile,
    check_count,
    check_file_name,
    media_type_of,
)
from crossrisk.domain.compensation.ledger import (
    NOTE_MAX,
    CostCategory,
    CostKind,
    CostLine,
    Statement,
    check_cost_line,
    check_text,
)
from crossrisk.domain.compensation.settlement import fen
from crossrisk.domain.errors import InvalidInput, InvalidTransition, NotFound, NotPermitted
from crossrisk.domain.organisation import Actor, OrganisationKind
from crossrisk.domain.permissions.compensation import can_record_cost
from crossrisk.domain.permissions.regions import require_read_region
from crossrisk.domain.risk import Risk
from crossrisk.store.uow import Transaction, UnitOfWork

DB_ID_MAX = 2**31 - 1
AMOUNT_TEXT_MAX = 40
AMOUNT_DIGITS_MAX = 15  # a trillion yuan has 13 digits
_Choice = TypeVar("_Choice", CostCategory, CostKind)


@dataclass(frozen=True, slots=True)
class Ledger:
    """Everything the compensation page of a risk shows, read in one transaction."""

    risk: Risk
    lines: list[CostLine]
    loss_avoided_fen: dict[str, int]
    statements: list[Statement]
    members: list[str]  # the region's member jurisdictions, which may be parties
    files: dict[int, list[EvidenceFile]]  # each line's evidence files, by line id


@dataclass(frozen=True, slots=True)
class Upload:
    """A file offered as evidence, checked: a bare name, an allowed type its bytes are."""

    file_name: str
    media_type: str
    data: bytes


def checked_upload(file_name: str, data: bytes, *, declared_type: str = "") -> Upload:
    """The file checked before anything is written, or a refusal (cost-evidence-…)."""
    name = check_file_name(file_name)
    return Upload(name, media_type_of(data, declared_type), data)


def record_cost(
    uow: UnitOfWork,
    actor: Actor,
    risk_id: int,
    *,
    party: str,
    amount_yuan: str | int | Decimal,
    category: str,
    spent_on: date,
    evidence: str,
    kind: str | None = None,
    protects: Sequence[str] | None = None,
    aid_request_id: int | None = None,
    reimbursed_by: str | None = None,
    files: Sequence[Upload] = (),
    now: datetime,
) -> CostLine:
    """Record one cost a member bore for a risk (cost.recorded), with any evidence files
    (cost.evidence_attached each), all or nothing."""
    amount_fen = checked_amount(amount_yuan)
    check_count(len(files) - 1)
    chosen_category = _choice(CostCategory, category, what="category")
    with uow as tx:
        risk = tx.risks.get(checked_id(risk_id, "risk"))
        members = member_codes(tx, risk.region_code)
        _require_member(party, members)
        if not can_record_cost(actor, region_code=risk.region_code, party=party):
            raise NotPermitted(
                f"only an officer of {party} or the committee records its costs",
                key="cost-not-permitted",
                params={"party": party},
            )
        # Costs of an aid request's offers are the requester's to reimburse unless the
        # line says it was the helper's own response (issue 15, "Costs").
        if kind is None:
            chosen_kind = CostKind.AID if aid_request_id is not None else CostKind.OWN_RESPONSE
        else:
            chosen_kind = _choice(CostKind, kind, what="kind")
        if aid_request_id is not None:
            request = tx.aid_requests.get(checked_id(aid_request_id, "aid request"))
            if request.risk_id != risk.id:
                raise InvalidInput(
                    f"aid request {aid_request_id} is not one of risk {risk_id}",
                    key="cost-aid-request-other-risk",
                    params={"request": aid_request_id, "risk": risk_id},
                )
            reimbursed_by = request.jurisdiction_code
        if reimbursed_by is not None:
            _require_member(reimbursed_by, members)
        protected = tuple(protects) if protects else (party,)
        for code in protected:
            _require_member(code, members)
        line = check_cost_line(
            CostLine(
                id=None,
                risk_id=risk_id,
                region_code=risk.region_code,
                party=party,
                organisation_code=_organisation_of(tx, actor, party),
                amount_fen=amount_fen,
                category=chosen_category,
                spent_on=spent_on,
                evidence=check_text(evidence, what="the evidence", limit=2_000, required=True),
                kind=chosen_kind,
                protects=protected,
                recorded_by=actor.username,
                recorded_at=now,
                aid_request_id=aid_request_id,
                reimbursed_by=reimbursed_by if chosen_kind is CostKind.AID else None,
                drill=risk.drill_id is not None,
            )
        )
        saved = tx.compensation.add_cost(line)
        _record(tx, actor, "cost.recorded", saved, now=now)
        for upload in files:
            _attach(tx, actor, saved, upload, now=now)
        tx.commit()
    return saved


def attach_evidence(
    uow: UnitOfWork, actor: Actor, line_id: int, upload: Upload, *, now: datetime
) -> EvidenceFile:
    """Attach a file to an active cost line (cost.evidence_attached): by whoever records
    that party's costs, or the committee; a drill's line too."""
    with uow as tx:
        line = _recorders_line(tx, actor, line_id)
        if not line.active:
            raise InvalidTransition(
                f"cost line {line_id} is withdrawn: it takes no more evidence",
                key="cost-evidence-line-withdrawn",
                params={"line": line_id},
            )
        check_count(tx.compensation.evidence_count(line_id))
        saved = _attach(tx, actor, line, upload, now=now)
        tx.commit()
    return saved


def line_of(uow: UnitOfWork, actor: Actor, line_id: int) -> CostLine:
    """One cost line, for whoever reads its risk's region."""
    with uow.read_only() as tx:
        line = tx.compensation.cost(checked_id(line_id, "cost line"))
        require_read_region(actor, line.region_code)
        return line


def evidence_file(
    uow: UnitOfWork, actor: Actor, line_id: int, file_id: int
) -> tuple[EvidenceFile, bytes]:
    """A line's evidence file and its bytes, for whoever reads the risk's region."""
    with uow.read_only() as tx:
        line = tx.compensation.cost(checked_id(line_id, "cost line"))
        require_read_region(actor, line.region_code)
        return tx.compensation.evidence_file(line_id, checked_id(file_id, "evidence file"))


def _attach(
    tx: Transaction, actor: Actor, line: CostLine, upload: Upload, *, now: datetime
) -> EvidenceFile:
    assert line.id is not None
    saved = tx.compensation.add_evidence(
        EvidenceFile(
            id=None,
            line_id=line.id,
            file_name=upload.file_name,
            media_type=upload.media_type,
            size=len(upload.data),
            sha256=hashlib.sha256(upload.data).hexdigest(),
            attached_by=actor.username,
            attached_at=now,
        ),
        upload.data,
    )
    tx.record(
        actor,
        "cost.evidence_attached",
        subject=f"risk:{line.risk_id}",
        payload={
            "line": line.id,
            "risk_id": line.risk_id,
            "party": line.party,
            "file": saved.id,
            "file_name": saved.file_name,
            "media_type": saved.media_type,
            "size": saved.size,
            "sha256": saved.sha256,
            "drill": line.drill,
        },
        region_code=line.region_code,
        now=now,
    )
    return saved


def _recorders_line(tx: Transaction, actor: Actor, line_id: int) -> CostLine:
    """A cost line the actor may change: one its party's officers or the committee record."""
    line = tx.compensation.cost(checked_id(line_id, "cost line"))
    if not can_record_cost(actor, region_code=line.region_code, party=line.party):
        raise NotPermitted(
            f"only an officer of {line.party} or the committee records its costs",
            key="cost-not-permitted",
            params={"party": line.party},
        )
    return line


def withdraw_cost(
    uow: UnitOfWork, actor: Actor, line_id: int, *, reason: str, now: datetime
) -> CostLine:
    """Withdraw a cost line recorded in error (cost.withdrawn); it stays in the record."""
    reason = check_text(reason, what="the reason", limit=NOTE_MAX, required=True)
    with uow as tx:
        line = _recorders_line(tx, actor, line_id)
        if not line.active:
            raise InvalidTransition(
                f"cost line {line_id} is withdrawn already",
                key="cost-withdrawn-already",
                params={"line": line_id},
            )
        saved = tx.compensation.withdraw_cost(
            replace(line, withdrawn_at=now, withdrawn_by=actor.username)
        )
        _record(tx, actor, "cost.withdrawn", saved, now=now, reason=reason)
        tx.commit()
    return saved


def estimate_loss_avoided(
    uow: UnitOfWork,
    actor: Actor,
    risk_id: int,
    *,
    party: str,
    amount_yuan: str | int | Decimal,
    basis: str,
    now: datetime,
) -> int:
    """Enter a party's estimate of the loss the response avoided it (cost.loss_estimated)."""
    amount_fen = checked_amount(amount_yuan, allow_zero=True)
    basis = check_text(basis, what="the basis of the estimate", limit=2_000, required=True)
    with uow as tx:
        risk = tx.risks.get(checked_id(risk_id, "risk"))
        _require_member(party, member_codes(tx, risk.region_code))
        if not can_record_cost(actor, region_code=risk.region_code, party=party):
            raise NotPermitted(
                f"only an officer of {party} or the committee estimates its loss avoided",
                key="cost-not-permitted",
                params={"party": party},
            )
        tx.compensation.set_loss_avoided(
            risk_id, party, amount_fen, basis=basis, by=actor.username, now=now
        )
        tx.record(
            actor,
            "cost.loss_estimated",
            subject=f"risk:{risk_id}",
            payload={
                "risk_id": risk_id,
                "party": party,
                "amount_fen": amount_fen,
                "basis": basis,
                "drill": risk.drill_id is not None,
            },
            region_code=risk.region_code,
            now=now,
        )
        tx.commit()
    return amount_fen


def ledger(uow: UnitOfWork, actor: Actor, risk_id: int) -> Ledger:
    """A risk's cost lines, loss estimates and statements, for whoever reads its region."""
    with uow.read_only() as tx:
        risk = tx.risks.get(checked_id(risk_id, "risk"))
        require_read_region(actor, risk.region_code)
        lines = tx.compensation.costs_of(risk_id)
        return Ledger(
            risk=risk,
            lines=lines,
            loss_avoided_fen=tx.compensation.loss_avoided(risk_id),
            statements=tx.compensation.statements_of(risk_id),
            members=member_codes(tx, risk.region_code),
            files=tx.compensation.evidence_of([line.id for line in lines if line.id is not None]),
        )


def member_codes(tx: Transaction, region_code: str) -> list[str]:
    """The codes of the region's member jurisdictions, sorted."""
    return sorted(j.code for j in tx.regions.members(region_code))


def _require_member(code: str, members: Sequence[str]) -> None:
    if code not in members:
        shown = str(code)[:64]
        raise InvalidInput(
            f"{shown!r} is not a member jurisdiction of the risk's region",
            key="cost-party-unknown",
            params={"party": shown},
        )


def _organisation_of(tx: Transaction, actor: Actor, party: str) -> str:
    if actor.jurisdiction_code == party:
        return actor.organisation.code
    for organisation in tx.organisations.of_kind(OrganisationKind.JURISDICTION):
        if organisation.jurisdiction_code == party:
            return organisation.code
    return actor.organisation.code


def checked_amount(amount_yuan: str | int | Decimal, *, allow_zero: bool = False) -> int:
    """Yuan as fen, or InvalidInput keyed "cost-amount-invalid"."""
    try:
        # A number written with a vast exponent would be expanded digit by digit before
        # the domain's bound refuses it: refuse it by its size first.
        if isinstance(amount_yuan, str | Decimal) and (
            len(str(amount_yuan)) > AMOUNT_TEXT_MAX or _magnitude(amount_yuan) > AMOUNT_DIGITS_MAX
        ):
            raise InvalidInput(f"the amount {str(amount_yuan)[:32]} is too large")
        amount_fen = fen(amount_yuan, what="the amount")
    except InvalidInput as refused:
        raise InvalidInput(
            refused.detail, key="cost-amount-invalid", params={"amount": str(amount_yuan)[:32]}
        ) from None
    if amount_fen == 0 and not allow_zero:
        raise InvalidInput(
            "a cost must be above zero", key="cost-amount-invalid", params={"amount": "0"}
        )
    return amount_fen


def _magnitude(amount: str | Decimal) -> int:
    try:
        value = Decimal(amount)
    except (ArithmeticError, ValueError):
        return 0  # not a number: fen() names the fault
    return value.adjusted() if value.is_finite() and value else 0


def _choice(enum: type[_Choice], value: str, *, what: str) -> _Choice:
    try:
        return enum(value)
    except ValueError:
        allowed = ", ".join(e.value for e in enum)
        raise InvalidInput(
            f"the {what} must be one of {allowed}",
            key="cost-choice-invalid",
            params={"what": what, "allowed": allowed},
        ) from None


def checked_id(value: int, name: str) -> int:
    """An id in the database's range, or NotFound (no row could have it)."""
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= DB_ID_MAX:
        raise NotFound(f"there is no {name} {str(value)[:24]}")
    return value


def _record(
    tx: Transaction,
    actor: Actor,
    action: str,
    line: CostLine,
    *,
    now: datetime,
    reason: str = "",
) -> None:
    payload: dict[str, object] = {
        "line": line.id,
        "risk_id": line.risk_id,
        "party": line.party,
        "organisation": line.organisation_code,
        "amount_fen": line.amount_fen,
        "category": line.category.value,
        "spent_on": line.spent_on.isoformat(),
        "evidence": line.evidence,
        "kind": line.kind.value,
        "aid_request_id": line.aid_request_id,
        "reimbursed_by": line.reimbursed_by,
        "protects": list(line.protects),
        "drill": line.drill,
    }
    if reason:
        payload["reason"] = reason
    tx.record(
        actor,
        action,
        subject=f"risk:{line.risk_id}",
        payload=payload,
        region_code=line.region_code,
        now=now,
    )
