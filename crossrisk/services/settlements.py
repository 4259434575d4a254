"""Settlement statements of a closed risk, drawn up by a named rule, and the committee's
approval of one of them.

Anyone who may propose (the committee, or an officer of a party to the risk's costs)
draws up a statement by one rule; several rules give several proposals, shown side by
side. The committee approves one statement per risk; the others stay proposals. A risk
still open is refused ("settlement-risk-open"): its costs are not all in.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace
from datetime import datetime
from typing import Any

from crossrisk.domain.agreements.agreement import Agreement, AgreementState
from crossrisk.domain.compensation.ledger import (
    CostLine,
    SettlementRule,
    SettlementState,
    Statement,
    parties_of,
    settlement_rule,
)
from crossrisk.domain.compensation.settlement import fen
from crossrisk.domain.compensation.statement import Figures, draw_up
from crossrisk.domain.errors import InvalidInput, InvalidTransition, NotPermitted
from crossrisk.domain.organisation import Actor
from crossrisk.domain.permissions.compensation import can_propose_settlement, can_settle
from crossrisk.domain.permissions.regions import require_read_region
from crossrisk.domain.risk import RiskStatus
from crossrisk.services.costs import checked_id
from crossrisk.store.uow import Transaction, UnitOfWork

MAX_ORDER = 100


def propose(
    uow: UnitOfWork,
    actor: Actor,
    risk_id: int,
    *,
    rule: str,
    upstream_order: Sequence[str] = (),
    now: datetime,
) -> Statement:
    """Draw up a closed risk's statement by a rule and keep it as a proposal."""
    order = [str(code)[:64] for code in list(upstream_order)[:MAX_ORDER]]
    with uow as tx:
        risk = tx.risks.get(checked_id(risk_id, "risk"))
        lines = tx.compensation.costs_of(risk_id)
        parties = parties_of(lines)
        if not can_propose_settlement(actor, region_code=risk.region_code, parties=parties):
            raise NotPermitted(
                f"only the committee or a party to risk {risk_id}'s costs proposes a statement",
                key="settlement-not-permitted",
                params={"risk": risk_id},
            )
        if risk.status is not RiskStatus.CLOSED:
            raise InvalidTransition(
                f"risk {risk_id} is still open: close it before settling its costs",
                key="settlement-risk-open",
                params={"risk": risk_id},
            )
        agreement = _agreement_of(tx, risk.region_code, lines)
        chosen = settlement_rule(rule or _named_rule(agreement))
        terms = _terms(agreement, chosen)
        figures = statement_figures(
            risk_id,
            populations=populations_of(tx, parties),
            loss_avoided_fen=tx.compensation.loss_avoided(risk_id),
            order=order,
            terms=terms,
        )
        drawn = draw_up(chosen, lines, figures)
        statement = tx.compensation.add_statement(
            Statement(
                id=None,
                risk_id=risk_id,
                region_code=risk.region_code,
                rule=chosen,
                inputs={
                    **drawn.settlement.inputs,
                    "drill": risk.drill_id is not None,
                    "agreement": _agreement_facts(agreement),
                    # What the statement was drawn under, so the journal alone redraws it.
                    "terms": terms,
                    "order": order,
                },
                transfers=drawn.settlement.transfers,
                borne_fen=drawn.borne_fen,
                due_fen=dict(drawn.settlement.due_fen),
                state=SettlementState.PROPOSED,
                proposed_by=actor.username,
                proposed_at=now,
            )
        )
        record_statement(tx, actor, "settlement.proposed", statement, now=now, full=True)
        tx.commit()
    return statement


def approve(uow: UnitOfWork, actor: Actor, settlement_id: int, *, now: datetime) -> Statement:
    """The committee approves a proposed statement: the one its risk is settled by."""
    with uow as tx:
        statement = tx.compensation.statement(checked_id(settlement_id, "settlement"))
        if not can_settle(actor, statement.region_code):
            raise NotPermitted(
                "only the region's committee approves a settlement statement",
                key="settlement-approve-not-committee",
                params={"settlement": settlement_id},
            )
        _require_proposed(statement)
        _require_unsettled(tx, statement)
        decided = tx.compensation.decide_statement(
            replace(
                statement,
                state=SettlementState.APPROVED,
                decided_by=actor.username,
                decided_at=now,
            )
        )
        record_statement(tx, actor, "settlement.approved", decided, now=now, full=True)
        tx.commit()
    return decided


def withdraw(uow: UnitOfWork, actor: Actor, settlement_id: int, *, now: datetime) -> Statement:
    """Withdraw a proposal: by whoever proposed it, or the committee."""
    with uow as tx:
        statement = tx.compensation.statement(checked_id(settlement_id, "settlement"))
        mine = statement.proposed_by == actor.username
        if not (mine or can_settle(actor, statement.region_code)):
            if statement.risk_id is None:
                raise NotPermitted(
                    "only whoever proposed a statement, or the committee, withdraws it",
                    key="water-quality-not-permitted",
                    params={"agreement": statement.agreement_id},
                )
            raise NotPermitted(
                "only whoever proposed a statement, or the committee, withdraws it",
                key="settlement-not-permitted",
                params={"risk": statement.risk_id},
            )
        _require_proposed(statement)
        decided = tx.compensation.decide_statement(
            replace(
                statement,
                state=SettlementState.WITHDRAWN,
                decided_by=actor.username,
                decided_at=now,
            )
        )
        record_statement(tx, actor, "settlement.withdrawn", decided, now=now, full=False)
        tx.commit()
    return decided


def statements(uow: UnitOfWork, actor: Actor, risk_id: int) -> list[Statement]:
    """A risk's statements, oldest first, for whoever reads its region."""
    with uow.read_only() as tx:
        risk = tx.risks.get(checked_id(risk_id, "risk"))
        require_read_region(actor, risk.region_code)
        return tx.compensation.statements_of(risk_id)


def of_agreement(uow: UnitOfWork, actor: Actor, agreement_id: int) -> list[Statement]:
    """An agreement's period statements (a border section's), oldest first."""
    with uow.read_only() as tx:
        agreement = tx.agreements.get(checked_id(agreement_id, "agreement"))
        require_read_region(actor, agreement.region_code)
        return tx.compensation.statements_of_agreement(agreement_id)


def get(uow: UnitOfWork, actor: Actor, settlement_id: int) -> Statement:
    """One statement, for whoever reads its region."""
    with uow.read_only() as tx:
        statement = tx.compensation.statement(checked_id(settlement_id, "settlement"))
        require_read_region(actor, statement.region_code)
        return statement


def statement_figures(
    risk_id: int,
    *,
    populations: Mapping[str, int | None],
    loss_avoided_fen: Mapping[str, int],
    order: Sequence[str],
    terms: Mapping[str, Any],
) -> Figures:
    """What a risk's statement is drawn up with besides its ledger; the seed of a sampled
    Shapley value is the risk's id, so the same figures draw the same statement."""
    return Figures(
        populations=populations,
        loss_avoided_fen=loss_avoided_fen,
        upstream_order=order,
        seed=risk_id,
        reimbursed_share=terms.get("share", 1),
        cap_fen=terms.get("cap_fen"),
    )


def populations_of(tx: Transaction, parties: Sequence[str]) -> dict[str, int | None]:
    """The census population of each party's jurisdiction, where the region has one."""
    return {code: tx.regions.jurisdiction(code).population for code in parties}


def _agreement_of(tx: Transaction, region_code: str, lines: Sequence[CostLine]) -> Agreement | None:
    """The newest agreement in force that binds every organisation that bore a cost."""
    bearers = {line.organisation_code for line in lines if line.active}
    for agreement in tx.agreements.listed(
        region_codes=[region_code], states=[AgreementState.IN_FORCE]
    ):
        if bearers and bearers <= set(agreement.text.parties):
            return agreement
    return None


def _named_rule(agreement: Agreement | None) -> str:
    """The rule the binding agreement names, when the proposer names none."""
    if agreement is None:
        raise InvalidInput(
            "name a rule: no agreement in force binds every party to the costs",
            key="settlement-rule-unknown",
            params={"rule": ""},
        )
    return agreement.text.compensation.name.value


def _terms(agreement: Agreement | None, rule: SettlementRule) -> dict[str, Any]:
    """The agreement's parameters for the rule chosen, if it names that rule: the share of
    aid costs reimbursed, or the cap of what one party bears."""
    if agreement is None or agreement.text.compensation.name.value != rule.value:
        return {}
    parameters = agreement.text.compensation.parameters
    terms: dict[str, Any] = {}
    if "share" in parameters:
        terms["share"] = parameters["share"]
    if "cap_yuan" in parameters:
        terms["cap_fen"] = fen(str(parameters["cap_yuan"]), what="the agreement's cap")
    return terms


def _agreement_facts(agreement: Agreement | None) -> dict[str, Any] | None:
    if agreement is None:
        return None
    return {
        "id": agreement.id,
        "number": agreement.number,
        "version": agreement.version,
        "rule": agreement.text.compensation.name.value,
    }


def lock_settled(tx: Transaction, statement: Statement) -> None:
    """Lock what the statement settles, its risk or (a border section's period) its
    agreement, so that two steps on the same statements wait for each other."""
    if statement.risk_id is not None:
        tx.risks.get(statement.risk_id, for_update=True)
    else:
        assert statement.agreement_id is not None
        tx.agreements.get(statement.agreement_id, for_update=True)


def _require_unsettled(tx: Transaction, statement: Statement) -> None:
    """Refuse when the statement's risk, or its agreement's period, is settled already.

    The lock on the risk (or on the agreement, for a border section's period) serialises
    two approvals of its statements.
    """
    lock_settled(tx, statement)
    if statement.risk_id is not None:
        siblings = tx.compensation.statements_of(statement.risk_id)
    else:
        assert statement.agreement_id is not None
        assert statement.period_from is not None and statement.period_to is not None
        siblings = tx.compensation.statements_of_period(
            statement.agreement_id,
            period_from=statement.period_from,
            period_to=statement.period_to,
        )
    for other in siblings:
        if other.state is not SettlementState.APPROVED:
            continue
        if statement.risk_id is not None:
            raise InvalidTransition(
                f"risk {statement.risk_id} is settled already by statement {other.id}",
                key="settlement-already-approved",
                params={"risk": statement.risk_id, "settlement": other.id},
            )
        period = f"{statement.period_from}–{statement.period_to}"
        raise InvalidTransition(
            f"agreement {statement.agreement_id}'s period {period} is settled already by "
            f"statement {other.id}",
            key="settlement-period-already-approved",
            params={"period": period, "settlement": other.id},
        )


def _require_proposed(statement: Statement) -> None:
    if statement.state is not SettlementState.PROPOSED:
        raise InvalidTransition(
            f"statement {statement.id} is {statement.state.value}, not a proposal",
            key="settlement-not-proposed",
            params={"settlement": statement.id},
        )


def record_statement(
    tx: Transaction,
    actor: Actor,
    action: str,
    statement: Statement,
    *,
    now: datetime,
    full: bool,
) -> None:
    """Journal a statement's step; a proposal or approval carries every input and transfer."""
    payload: dict[str, object] = {
        "settlement": statement.id,
        "risk_id": statement.risk_id,
        "rule": statement.rule.value,
        "state": statement.state.value,
    }
    if full:
        payload |= {
            "inputs": dict(statement.inputs),
            "borne_fen": dict(statement.borne_fen),
            "due_fen": dict(statement.due_fen),
            "transfers": [
                {
                    "payer": t.payer,
                    "payee": t.payee,
                    "amount_fen": t.amount_fen,
                    "form": t.form.value,
                }
                for t in statement.transfers
            ],
        }
    if statement.risk_id is None:
        payload["period"] = _period_facts(statement)
    tx.record(
        actor,
        action,
        subject=f"settlement:{statement.id}",
        payload=payload,
        region_code=statement.region_code,
        now=now,
    )


def _period_facts(statement: Statement) -> dict[str, object]:
    return {
        "agreement_id": statement.agreement_id,
        "round": statement.round,
        "from": statement.period_from.isoformat() if statement.period_from else None,
        "to": statement.period_to.isoformat() if statement.period_to else None,
        "station": statement.station_code,
    }
