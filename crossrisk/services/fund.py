"""The regional fund: third parties' contributions with their conditions, penalties of
upheld accountability cases, payouts; the committee keeps its book.

Each movement is a settlement of the pure fund rules (crossrisk.domain.compensation.fund,
rules.penalty) and is journaled as `fund.*`; the fund's statement replays them in order
and refuses a payout beyond what the fund holds. A payout pays an approved statement's
payee what the statement, settled with its in-kind deliveries, leaves it due; a penalty is
the amount its agreement provides unless the committee states another with its reason.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from decimal import Decimal

from crossrisk.domain.accountability.case import Case, CaseOutcome, CaseState
from crossrisk.domain.compensation.fund import FundStatement, fund_contribution, fund_statement
from crossrisk.domain.compensation.in_kind import InKindDelivery, payout_due_fen
from crossrisk.domain.compensation.ledger import (
    NOTE_MAX,
    FundMovement,
    FundMovementKind,
    SettlementState,
    check_text,
    fund_party,
    require_payable,
)
from crossrisk.domain.compensation.rules import penalty
from crossrisk.domain.compensation.settlement import Settlement, Transfer, fen
from crossrisk.domain.errors import InvalidInput, InvalidTransition, NotFound, NotPermitted
from crossrisk.domain.organisation import Actor, Organisation, OrganisationKind
from crossrisk.domain.permissions.accountability import can_read_case
from crossrisk.domain.permissions.compensation import can_keep_fund
from crossrisk.domain.permissions.regions import require_read_region
from crossrisk.services.costs import checked_amount, checked_id
from crossrisk.services.settlements import lock_settled
from crossrisk.store.uow import Transaction, UnitOfWork

CONTRIBUTORS = (OrganisationKind.PROVINCE, OrganisationKind.CENTRAL_OFFICE)


def contribute(
    uow: UnitOfWork,
    actor: Actor,
    region_code: str,
    *,
    contributor: str,
    amount_yuan: str | int | Decimal,
    conditions: Sequence[str] = (),
    now: datetime,
) -> FundMovement:
    """Record a province's or the central government's contribution (fund.contributed)."""
    amount_fen = checked_amount(amount_yuan)
    with uow as tx:
        _require_keeper(actor, region_code)
        organisation = tx.organisations.get(contributor)
        if organisation.kind not in CONTRIBUTORS:
            raise InvalidInput(
                f"{contributor} is neither a province nor the central office",
                key="fund-contributor-invalid",
                params={"contributor": contributor},
            )
        settled = fund_contribution(
            contributor, amount_fen, fund=fund_party(region_code), conditions=list(conditions)
        )
        movement = _add(
            tx,
            actor,
            region_code,
            FundMovementKind.CONTRIBUTION,
            party=contributor,
            settlement=settled,
            conditions=tuple(c.strip() for c in conditions),
            note="",
            now=now,
        )
        tx.commit()
    return movement


def charge_penalty(
    uow: UnitOfWork,
    actor: Actor,
    case_id: int,
    *,
    amount_yuan: str | int | Decimal | None = None,
    reason: str = "",
    now: datetime,
) -> FundMovement:
    """Pay an upheld case's penalty, as its agreement provides, into the fund (fund.penalty).

    The amount is the agreement's `penalty_yuan` unless the committee states another with
    its reason; where the agreement names none, the committee states it.
    """
    stated = None if amount_yuan is None or amount_yuan == "" else checked_amount(amount_yuan)
    reason = check_text(reason, what="the reason", limit=NOTE_MAX, required=False)
    with uow as tx:
        case = tx.cases.get(checked_id(case_id, "case"), for_update=True)
        _require_keeper(actor, case.region_code)
        if case.state is not CaseState.DECIDED or case.outcome is not CaseOutcome.PENALTY:
            raise InvalidTransition(
                f"case {case_id} was not decided with a penalty",
                key="fund-case-not-penalty",
                params={"case": case_id},
            )
        if tx.compensation.penalty_of_case(case_id) is not None:
            raise InvalidTransition(
                f"the penalty of case {case_id} is paid in already",
                key="fund-penalty-charged",
                params={"case": case_id},
            )
        provided = _provided_penalty(tx, case.procedure.agreement_id)
        if stated is None and provided is None:
            raise InvalidInput(
                f"the agreement of case {case_id} provides no amount: state the penalty",
                key="fund-penalty-amount-missing",
                params={"case": case_id},
            )
        if stated is not None and provided is not None and stated != provided and not reason:
            raise InvalidInput(
                f"the agreement provides {provided} fen: give the reason for another amount",
                key="fund-penalty-reason-missing",
                params={"case": case_id, "provided": f"{Decimal(provided) / 100:,.2f}"},
            )
        amount_fen = stated if stated is not None else provided
        assert amount_fen is not None
        settled = penalty(
            case.party, amount_fen, fund=fund_party(case.region_code), reason=f"case:{case_id}"
        )
        note = case.penalty if not reason else f"{case.penalty} · {reason}".strip(" ·")
        movement = _add(
            tx,
            actor,
            case.region_code,
            FundMovementKind.PENALTY,
            party=case.party,
            settlement=settled,
            conditions=(),
            note=note[:NOTE_MAX],
            now=now,
            case_id=case_id,
            extra={"provided_fen": provided, "reason": reason},
        )
        tx.commit()
    return movement


def provided_penalty_fen(uow: UnitOfWork, actor: Actor, case_id: int) -> int | None:
    """The penalty the agreement of a case provides, in fen, or None where it names none."""
    with uow.read_only() as tx:
        case = tx.cases.get(checked_id(case_id, "case"))
        if not _may_read_case(actor, case):
            # Another party's case is not shown: it does not exist for this reader.
            raise NotFound(
                f"accountability case {case_id} does not exist",
                key="case-not-found",
                params={"case": case_id},
            )
        return _provided_penalty(tx, case.procedure.agreement_id)


def pay_out(
    uow: UnitOfWork,
    actor: Actor,
    region_code: str,
    *,
    settlement_id: int,
    payee: str,
    amount_yuan: str | int | Decimal,
    note: str,
    now: datetime,
) -> FundMovement:
    """Pay a party what an approved statement has it due, out of the fund, never beyond
    what the statement (settled with its in-kind deliveries) leaves it due, nor beyond what
    the fund holds (fund.paid_out)."""
    amount_fen = checked_amount(amount_yuan)
    note = check_text(note, what="the purpose", limit=NOTE_MAX, required=True)
    with uow as tx:
        _require_keeper(actor, region_code)
        statement = tx.compensation.statement(checked_id(settlement_id, "settlement"))
        if statement.region_code != region_code or statement.state is not SettlementState.APPROVED:
            raise InvalidTransition(
                f"statement {settlement_id} is not an approved statement of {region_code}",
                key="fund-payout-not-approved",
                params={"settlement": settlement_id, "region": region_code},
            )
        require_payable(statement)
        # The lock serialises two payouts on the same statement.
        lock_settled(tx, statement)
        due = payout_due_fen(
            statement,
            tx.compensation.deliveries_of(settlement_id),
            tx.compensation.movements(region_code),
            payee,
        )
        if amount_fen > due:
            raise InvalidInput(
                f"statement {settlement_id} leaves {payee} due {due} fen, not {amount_fen}",
                key="fund-payout-beyond-due",
                params={
                    "settlement": settlement_id,
                    "payee": payee,
                    "due": f"{Decimal(due) / 100:,.2f}",
                },
            )
        fund = fund_party(region_code)
        settled = Settlement("payout", {"payee": payee}, (Transfer(fund, payee, amount_fen),))
        _statement_of(tx, region_code, extra=settled)  # refuses an overdraft
        movement = _add(
            tx,
            actor,
            region_code,
            FundMovementKind.PAYOUT,
            party=payee,
            settlement=settled,
            conditions=(),
            note=note,
            now=now,
            settlement_id=settlement_id,
        )
        tx.commit()
    return movement


def fund_of(uow: UnitOfWork, actor: Actor, region_code: str) -> FundStatement:
    """The fund's statement: received, paid, balance and each movement, for its readers."""
    with uow.read_only() as tx:
        require_read_region(actor, region_code)
        return _statement_of(tx, region_code)


def contributors(uow: UnitOfWork, actor: Actor, region_code: str) -> list[Organisation]:
    """Who may contribute to the region's fund: its provinces and the central office."""
    with uow.read_only() as tx:
        require_read_region(actor, region_code)
        found = [
            o
            for o in tx.organisations.of_kind(OrganisationKind.PROVINCE)
            if o.region_code == region_code
        ]
        return found + tx.organisations.of_kind(OrganisationKind.CENTRAL_OFFICE)


@dataclass(frozen=True, slots=True)
class PayoutDue:
    """What an approved statement still leaves a payee due, the most a payout may pay."""

    settlement_id: int
    risk_id: int | None  # None: a border section's period statement
    payee: str
    due_fen: int


@dataclass(frozen=True, slots=True)
class PenaltyDue:
    """A case decided with a penalty whose penalty is not paid in yet."""

    case_id: int
    party: str
    penalty: str  # what the decision said
    provided_fen: int | None  # the agreement's amount, if it states one


@dataclass(frozen=True, slots=True)
class FundBook:
    """The fund's statement with every movement, the region's in-kind deliveries, what its
    approved statements still leave due, and the risk of each statement named."""

    statement: FundStatement
    movements: tuple[FundMovement, ...]
    deliveries: tuple[InKindDelivery, ...]
    dues: tuple[PayoutDue, ...]
    risk_of_settlement: dict[int, int | None]
    penalties_due: tuple[PenaltyDue, ...] = ()


def book(uow: UnitOfWork, actor: Actor, region_code: str) -> FundBook:
    """The fund's book for its page: balance, movements in order, in-kind deliveries."""
    with uow.read_only() as tx:
        require_read_region(actor, region_code)
        movements = tx.compensation.movements(region_code)
        deliveries = tx.compensation.deliveries_in(region_code)
        dues: list[PayoutDue] = []
        risk_of: dict[int, int | None] = {}
        for approved in tx.compensation.approved_in(region_code):
            if approved.drill:
                continue  # nothing of a drill's statement is ever due
            sid = approved.id or 0
            risk_of[sid] = approved.risk_id
            on_it = [d for d in deliveries if d.settlement_id == sid]
            payees = dict.fromkeys(t.payee for t in approved.transfers)
            for payee in payees:
                due = payout_due_fen(approved, on_it, movements, payee)
                if due:
                    dues.append(PayoutDue(sid, approved.risk_id, payee, due))
        charged = {m.case_id for m in movements if m.case_id is not None}
        cases = tx.cases.listed(region_codes=[region_code], state=CaseState.DECIDED)
        penalties_due = tuple(
            PenaltyDue(
                case.id,
                case.party,
                case.penalty,
                _provided_penalty(tx, case.procedure.agreement_id),
            )
            for case in cases
            if case.id is not None
            and _may_read_case(actor, case)
            and case.outcome is CaseOutcome.PENALTY
            and case.drill_id is None  # a drill's penalty is rehearsed, never paid
            and case.id not in charged
        )
        return FundBook(
            statement=_statement_of(tx, region_code),
            movements=tuple(_as_read_by(tx, actor, m) for m in movements),
            deliveries=tuple(deliveries),
            dues=tuple(dues),
            risk_of_settlement=risk_of,
            penalties_due=penalties_due,
        )


def balance_over_time(movements: Sequence[FundMovement]) -> list[tuple[datetime, int]]:
    """The balance in fen after each movement, in the order recorded."""
    balance = 0
    points = []
    for movement in movements:
        sign = -1 if movement.kind is FundMovementKind.PAYOUT else 1
        balance += sign * movement.amount_fen
        points.append((movement.recorded_at, balance))
    return points


def _may_read_case(actor: Actor, case: Case) -> bool:
    return can_read_case(
        actor, region_code=case.region_code, party=case.party, reviewer=case.procedure.reviewer
    )


def _as_read_by(tx: Transaction, actor: Actor, movement: FundMovement) -> FundMovement:
    """The movement as the reader may see it: the fund's receipts are open to the region,
    but an accountability case's decision only to its party, reviewer and the committee."""
    if movement.case_id is None or _may_read_case(actor, tx.cases.get(movement.case_id)):
        return movement
    return replace(movement, note="", case_id=None)


def _provided_penalty(tx: Transaction, agreement_id: int | None) -> int | None:
    if agreement_id is None:
        return None
    provided = tx.agreements.get(agreement_id).text.accountability.penalty_yuan
    if provided is None:
        return None
    return fen(f"{provided:.2f}", what="the agreement's penalty")


def _statement_of(
    tx: Transaction, region_code: str, *, extra: Settlement | None = None
) -> FundStatement:
    return statement_of_movements(region_code, tx.compensation.movements(region_code), extra=extra)


def statement_of_movements(
    region_code: str, movements: Sequence[FundMovement], *, extra: Settlement | None = None
) -> FundStatement:
    """The fund's statement from its movements in order (and one more, to try it)."""
    fund = fund_party(region_code)
    settlements = [_as_settlement(m, fund) for m in movements]
    try:
        return fund_statement(fund, [*settlements, *([extra] if extra else [])])
    except InvalidInput as refused:
        raise InvalidInput(
            refused.detail, key="fund-overdrawn", params={"region": region_code}
        ) from None


def _as_settlement(movement: FundMovement, fund: str) -> Settlement:
    if movement.kind is FundMovementKind.PAYOUT:
        transfer = Transfer(fund, movement.party, movement.amount_fen, note=movement.note)
    else:
        transfer = Transfer(movement.party, fund, movement.amount_fen, note=movement.note)
    return Settlement(movement.kind.value, {}, (transfer,))


def _require_keeper(actor: Actor, region_code: str) -> None:
    if not can_keep_fund(actor, region_code):
        raise NotPermitted(
            f"only the committee of {region_code} keeps its fund",
            key="fund-not-committee",
            params={"region": region_code},
        )


def _add(
    tx: Transaction,
    actor: Actor,
    region_code: str,
    kind: FundMovementKind,
    *,
    party: str,
    settlement: Settlement,
    conditions: tuple[str, ...],
    note: str,
    now: datetime,
    case_id: int | None = None,
    settlement_id: int | None = None,
    extra: dict[str, object] | None = None,
) -> FundMovement:
    amount = sum(t.amount_fen for t in settlement.transfers)
    movement = tx.compensation.add_movement(
        FundMovement(
            id=None,
            region_code=region_code,
            kind=kind,
            party=party,
            amount_fen=amount,
            conditions=conditions,
            note=note,
            recorded_by=actor.username,
            recorded_at=now,
            case_id=case_id,
            settlement_id=settlement_id,
        )
    )
    action = {
        FundMovementKind.CONTRIBUTION: "fund.contributed",
        FundMovementKind.PENALTY: "fund.penalty_paid",
        FundMovementKind.PAYOUT: "fund.paid_out",
    }[kind]
    tx.record(
        actor,
        action,
        subject=f"fund:{region_code}",
        payload={
            "movement": movement.id,
            "region": region_code,
            "kind": kind.value,
            "party": party,
            "amount_fen": amount,
            "conditions": list(conditions),
            "note": note,
            "case": case_id,
            "settlement": settlement_id,
            **(extra or {}),
        },
        region_code=region_code,
        now=now,
    )
    return movement
