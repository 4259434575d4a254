"""The regional fund: third parties' contributions with their conditions, penalties of
upheld accountability cases, payouts; the committee keeps its book.

Each movement is a settlement of the pure fund rules (crossrisk.domain.compensation.fund,
rules.penalty) and is journaled as `fund.*`; the fund's statement replays them in order
and refuses a payout beyond what the fund holds.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from decimal import Decimal

from crossrisk.domain import permissions
from crossrisk.domain.accountability.case import CaseOutcome, CaseState
from crossrisk.domain.compensation.fund import FundStatement, fund_contribution, fund_statement
from crossrisk.domain.compensation.ledger import (
    NOTE_MAX,
    FundMovement,
    FundMovementKind,
    check_text,
    fund_party,
)
from crossrisk.domain.compensation.rules import penalty
from crossrisk.domain.compensation.settlement import Settlement, Transfer
from crossrisk.domain.errors import InvalidInput, InvalidTransition, NotPermitted
from crossrisk.domain.organisation import Actor, Organisation, OrganisationKind
from crossrisk.services.costs import checked_amount, checked_id
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
    amount_yuan: str | int | Decimal,
    now: datetime,
) -> FundMovement:
    """Pay an upheld case's penalty, as its agreement provides, into the fund (fund.penalty)."""
    amount_fen = checked_amount(amount_yuan)
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
        settled = penalty(
            case.party, amount_fen, fund=fund_party(case.region_code), reason=f"case:{case_id}"
        )
        movement = _add(
            tx,
            actor,
            case.region_code,
            FundMovementKind.PENALTY,
            party=case.party,
            settlement=settled,
            conditions=(),
            note=case.penalty,
            now=now,
            case_id=case_id,
        )
        tx.commit()
    return movement


def pay_out(
    uow: UnitOfWork,
    actor: Actor,
    region_code: str,
    *,
    payee: str,
    amount_yuan: str | int | Decimal,
    note: str,
    now: datetime,
) -> FundMovement:
    """Pay a party out of the fund, never beyond what it holds (fund.paid_out)."""
    amount_fen = checked_amount(amount_yuan)
    note = check_text(note, what="the purpose", limit=NOTE_MAX, required=True)
    with uow as tx:
        _require_keeper(actor, region_code)
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
        )
        tx.commit()
    return movement


def fund_of(uow: UnitOfWork, actor: Actor, region_code: str) -> FundStatement:
    """The fund's statement: received, paid, balance and each movement, for its readers."""
    with uow.read_only() as tx:
        permissions.require_read_region(actor, region_code)
        return _statement_of(tx, region_code)


def contributors(uow: UnitOfWork, actor: Actor, region_code: str) -> list[Organisation]:
    """Who may contribute to the region's fund: its provinces and the central office."""
    with uow.read_only() as tx:
        permissions.require_read_region(actor, region_code)
        found = [
            o
            for o in tx.organisations.of_kind(OrganisationKind.PROVINCE)
            if o.region_code == region_code
        ]
        return found + tx.organisations.of_kind(OrganisationKind.CENTRAL_OFFICE)


def _statement_of(
    tx: Transaction, region_code: str, *, extra: Settlement | None = None
) -> FundStatement:
    fund = fund_party(region_code)
    settlements = [_as_settlement(m, fund) for m in tx.compensation.movements(region_code)]
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
    if not permissions.can_keep_fund(actor, region_code):
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
        },
        region_code=region_code,
        now=now,
    )
    return movement
