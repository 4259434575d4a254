"""/risks/{id}/compensation as it is shown: the cost ledger, the settlement statements side
by side (rule, inputs, transfers), the approved one's deliveries in kind, the region's
fund, a chart of what each party bore against what it is due, and the forms each visitor
may use; and the one way its forms end (back to the page, or the page with the refusal)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from decimal import Decimal
from typing import Any

from fastapi import Request
from starlette.responses import Response

from crossrisk.domain.compensation.evidence import MAX_FILES_PER_LINE
from crossrisk.domain.compensation.in_kind import InKindDelivery
from crossrisk.domain.compensation.ledger import (
    CostCategory,
    CostKind,
    SettlementRule,
    SettlementState,
    Statement,
    parties_of,
)
from crossrisk.domain.compensation.settlement import FEN_PER_YUAN
from crossrisk.domain.compensation.settlement import Form as TransferForm
from crossrisk.domain.errors import CrossriskError, InvalidInput
from crossrisk.domain.organisation import Actor
from crossrisk.domain.permissions.compensation import (
    can_keep_fund,
    can_propose_settlement,
    can_record_cost,
    can_settle,
)
from crossrisk.services import costs, fund, in_kind
from crossrisk.store.uow import UnitOfWork
from crossrisk.web.shared.compensation_labels import (
    COST_CATEGORY,
    COST_KIND,
    SETTLEMENT_RULE,
    SETTLEMENT_STATE,
)
from crossrisk.web.shared.directory import read_directory
from crossrisk.web.shared.i18n import PageLanguage
from crossrisk.web.shared.page_forms import form_action
from crossrisk.web.shared.rendering import error_status, page_error, render


def act(
    request: Request,
    actor: Actor,
    uow: UnitOfWork,
    risk_id: str,
    csrf_token: str,
    change: Callable[[int], object],
    *,
    anchor: str,
) -> Response:
    """One form of the compensation page: back to it at `anchor`, or it with the refusal."""
    return form_action(
        request,
        actor,
        uow,
        risk_id,
        csrf_token,
        change,
        page=lambda number, refusal: show_compensation(request, actor, uow, number, error=refusal),
        then=lambda number: f"/risks/{number}/compensation{anchor}",
    )


def form_day(value: str) -> date:
    """A day typed in a form (2026-03-02), or the refusal of it."""
    try:
        return date.fromisoformat(value.strip()[:10])
    except ValueError:
        raise InvalidInput(
            f"{value[:20]!r} is not a date", key="cost-date-invalid", params={"date": value[:20]}
        ) from None


def show_compensation(
    request: Request,
    actor: Actor,
    uow: UnitOfWork,
    risk_id: int,
    *,
    error: CrossriskError | None = None,
) -> Response:
    """The risk's compensation page, with a refused form's refusal if there was one."""
    lang = PageLanguage.of(request)
    ledger = costs.ledger(uow, actor, risk_id)
    region_code = ledger.risk.region_code
    directory = read_directory(uow, actor, region_codes={region_code})
    chinese = lang.is_chinese

    def name(code: str) -> str:
        return directory.jurisdiction_name(code, chinese=chinese)

    may_keep_fund = can_keep_fund(actor, region_code)
    recordable = [
        code
        for code in ledger.members
        if can_record_cost(actor, region_code=region_code, party=code)
    ]
    context: dict[str, Any] = {
        "lang": lang,
        "_": lang.gettext,
        "risk": ledger.risk,
        "lines": [
            {
                "id": line.id,
                "party": name(line.party),
                "amount": yuan(line.amount_fen),
                "category": lang.gettext(COST_CATEGORY[line.category]),
                "spent_on": line.spent_on.isoformat(),
                "evidence": line.evidence,
                "kind": lang.gettext(COST_KIND[line.kind]),
                "reimbursed_by": name(line.reimbursed_by) if line.reimbursed_by else "",
                "protects": lang.gettext(", ").join(name(p) for p in line.protects),
                "active": line.active,
                "drill": line.drill,
                "may_withdraw": line.active and line.party in recordable,
                "may_attach": line.active
                and line.party in recordable
                and len(ledger.files.get(line.id or 0, [])) < MAX_FILES_PER_LINE,
                "files": [
                    {"id": f.id, "name": f.file_name, "size": f.size, "sha256": f.sha256}
                    for f in ledger.files.get(line.id or 0, [])
                ],
            }
            for line in ledger.lines
        ],
        "statements": [_statement(s, lang, name) for s in ledger.statements],
        "fund": fund.fund_of(uow, actor, region_code),
        "fund_yuan": yuan,
        "contributors": [
            (o.code, lang.pick(o.name_zh, o.name_en))
            for o in (fund.contributors(uow, actor, region_code) if may_keep_fund else [])
        ],
        "may_keep_fund": may_keep_fund,
        "losses": [(name(p), yuan(v)) for p, v in sorted(ledger.loss_avoided_fen.items())],
        "chart": _chart(ledger.statements, lang, name),
        "may_record": bool(recordable),
        "recordable": [(code, name(code)) for code in recordable],
        "members": [(code, name(code)) for code in ledger.members],
        "categories": [(c.value, lang.gettext(COST_CATEGORY[c])) for c in CostCategory],
        "kinds": [(k.value, lang.gettext(COST_KIND[k])) for k in CostKind],
        "rules": [
            (r.value, lang.gettext(SETTLEMENT_RULE[r]))
            for r in SettlementRule
            if r is not SettlementRule.XINAN_WATER_QUALITY  # a period's rule, not a risk's
        ],
        "may_propose": can_propose_settlement(
            actor,
            region_code=region_code,
            parties=parties_of(ledger.lines),
        ),
        "may_approve": can_settle(actor, region_code),
        "settled": any(s.state is SettlementState.APPROVED for s in ledger.statements),
        "in_kind": _in_kind(uow, actor, ledger.statements, name),
        "fund_link": f"/committee/fund?region={region_code}",
    }
    if error is not None:
        context["error"] = page_error(lang, error, directory)
    return render(
        request,
        "compensation/risk.html",
        context,
        actor=actor,
        status_code=200 if error is None else error_status(error),
    )


def yuan(amount_fen: int) -> str:
    """Fen shown as yuan with two decimals and thousands separators: 1,234,567.89."""
    return f"{Decimal(amount_fen) / FEN_PER_YUAN:,.2f}"


def delivery_row(delivery: InKindDelivery, name: Callable[[str], str]) -> dict[str, Any]:
    """A delivery in kind as a table shows it, its parties named."""
    return {
        "delivered_on": delivery.delivered_on.isoformat(),
        "provider": name(delivery.provider),
        "recipient": name(delivery.recipient),
        "description": delivery.description,
        "quantity": delivery.quantity,
        "unit_value": yuan(delivery.unit_value_fen),
        "value": yuan(delivery.value_fen),
        "evidence": delivery.evidence,
    }


def _statement(
    statement: Statement, lang: PageLanguage, name: Callable[[str], str]
) -> dict[str, Any]:
    parties = list(statement.borne_fen) or sorted(statement.due_fen)
    shown_inputs = {
        key: value for key, value in statement.inputs.items() if key not in ("lines", "borne_fen")
    }
    return {
        "id": statement.id,
        "rule": lang.gettext(SETTLEMENT_RULE[statement.rule]),
        "rule_code": statement.rule.value,
        "state": lang.gettext(SETTLEMENT_STATE[statement.state]),
        "proposed": statement.state is SettlementState.PROPOSED,
        "approved": statement.state is SettlementState.APPROVED,
        "proposed_by": statement.proposed_by,
        "rows": [
            {
                "party": name(p),
                "borne": yuan(statement.borne_fen.get(p, 0)),
                "due": yuan(statement.due_fen[p]) if p in statement.due_fen else "—",
            }
            for p in parties
        ],
        "transfers": [
            {"payer": name(t.payer), "payee": name(t.payee), "amount": yuan(t.amount_fen)}
            for t in statement.transfers
        ],
        "inputs": shown_inputs,
    }


def _in_kind(
    uow: UnitOfWork, actor: Actor, statements: list[Statement], name: Callable[[str], str]
) -> dict[str, Any] | None:
    """The approved statement's deliveries in kind, its transfers settled with them, and
    the pairs that owe money (the form's choices)."""
    approved = next((s for s in statements if s.state is SettlementState.APPROVED), None)
    if approved is None or approved.id is None:
        return None
    account = in_kind.account(uow, actor, approved.id)
    return {
        "settlement_id": approved.id,
        "deliveries": [delivery_row(d, name) for d in account.deliveries],
        "transfers": [
            {
                "payer": name(t.payer),
                "payee": name(t.payee),
                "amount": yuan(t.amount_fen),
                "in_kind": t.form is TransferForm.IN_KIND,
            }
            for t in account.settled.transfers
        ],
        "pairs": [
            (f"{t.payer}:{t.payee}", f"{name(t.payer)} → {name(t.payee)}")
            for t in approved.transfers
            if t.form is TransferForm.MONEY
        ],
        "may_record": can_settle(actor, approved.region_code) and not approved.drill,
    }


def _chart(
    statements: list[Statement], lang: PageLanguage, name: Callable[[str], str]
) -> dict[str, Any]:
    """Borne against due per party, one due series per statement still standing."""
    standing = [s for s in statements if s.state is not SettlementState.WITHDRAWN and s.due_fen]
    if not standing:
        return {"parties": [], "series": []}
    parties = list(standing[0].borne_fen)
    series = [
        {
            "name": lang.gettext("Borne"),
            "values": [standing[0].borne_fen.get(p, 0) / FEN_PER_YUAN for p in parties],
        }
    ]
    for s in standing:
        label = lang.gettext("Due under %(rule)s") % {"rule": lang.gettext(SETTLEMENT_RULE[s.rule])}
        series.append(
            {
                "name": f"{label} (#{s.id})",
                "values": [s.due_fen.get(p, 0) / FEN_PER_YUAN for p in parties],
            }
        )
    return {"parties": [name(p) for p in parties], "series": series, "unit": lang.gettext("yuan")}
