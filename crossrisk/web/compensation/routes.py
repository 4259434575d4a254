"""/risks/{id}/compensation: the cost ledger with a form to add a cost, the settlement
statements side by side (rule, inputs, transfers), a form to propose one by a rule, the
committee's Approve button, and a chart of what each party bore against what it is due."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from decimal import Decimal
from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from pydantic import BaseModel
from starlette.responses import RedirectResponse, Response

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
from crossrisk.domain.errors import CrossriskError, InvalidInput, NotFound
from crossrisk.domain.organisation import Actor
from crossrisk.domain.permissions.compensation import (
    can_keep_fund,
    can_propose_settlement,
    can_record_cost,
    can_settle,
)
from crossrisk.http.deps import UowDep, check_csrf, utc_now
from crossrisk.http.uploads import bounded_form, evidence_download, evidence_upload
from crossrisk.services import costs, fund, in_kind, settlements
from crossrisk.services.costs import Upload
from crossrisk.store.uow import UnitOfWork
from crossrisk.web.accounts.session import PageActor
from crossrisk.web.shared.compensation_labels import (
    COST_CATEGORY,
    COST_KIND,
    SETTLEMENT_RULE,
    SETTLEMENT_STATE,
)
from crossrisk.web.shared.directory import read_directory
from crossrisk.web.shared.i18n import PageLanguage
from crossrisk.web.shared.rendering import error_page, error_status, page_error, render

router = APIRouter(include_in_schema=False)
ID_MAX = 2**31 - 1


class CostForm(BaseModel):
    csrf_token: str = ""
    party: str = ""
    amount_yuan: str = ""
    category: str = ""
    spent_on: str = ""
    evidence: str = ""
    kind: str = ""
    protects: list[str] = []


class SettleForm(BaseModel):
    csrf_token: str = ""
    rule: str = ""
    upstream_order: str = ""


class ApproveForm(BaseModel):
    csrf_token: str = ""


class WithdrawForm(BaseModel):
    csrf_token: str = ""
    reason: str = ""


class ContributionForm(BaseModel):
    csrf_token: str = ""
    contributor: str = ""
    amount_yuan: str = ""
    conditions: str = ""


class DeliveryForm(BaseModel):
    csrf_token: str = ""
    pair: str = ""  # "provider:recipient", one of the statement's money transfers
    description: str = ""
    quantity: str = ""
    unit_value_yuan: str = ""
    delivered_on: str = ""
    evidence: str = ""


class LossForm(BaseModel):
    csrf_token: str = ""
    party: str = ""
    amount_yuan: str = ""
    basis: str = ""


def number_of(value: str, what: str = "risk") -> int:
    """An id typed in an address, or NotFound."""
    if not value.isascii() or not value.isdigit() or len(value) > 10 or int(value) > ID_MAX:
        raise NotFound(f"no {what} {value[:20]!r}", key="risk-unknown", params={"risk": value[:20]})
    return int(value)


@router.get("/risks/{risk_id}/compensation")
def compensation_page(request: Request, actor: PageActor, uow: UowDep, risk_id: str) -> Response:
    """A risk's cost ledger and settlement statements."""
    try:
        return _page(request, actor, uow, number_of(risk_id))
    except CrossriskError as refusal:
        return error_page(request, refusal, actor=actor, names=read_directory(uow, actor))


async def _multipart(
    request: Request,
) -> tuple[dict[str, Any], list[Upload], CrossriskError | None]:
    """A multipart form's fields and its checked file, or the refusal of either, which the
    change raises after the CSRF check."""
    try:
        form = await bounded_form(request)
    except CrossriskError as refusal:
        return {}, [], refusal
    try:
        fields: dict[str, Any] = {
            key: (form.getlist(key) if key == "protects" else value)
            for key, value in form.items()
            if isinstance(value, str)
        }
        upload = await evidence_upload(form)
    except CrossriskError as refusal:
        return fields, [], refusal
    finally:
        await form.close()
    return fields, [upload] if upload else [], None


@router.post("/risks/{risk_id}/compensation/costs")
async def add_cost(request: Request, actor: PageActor, uow: UowDep, risk_id: str) -> Response:
    """A member's officer (or the committee) records a cost, with an evidence file or not
    (a multipart form)."""
    fields, files, refused = await _multipart(request)
    form = CostForm.model_validate(fields)

    def record(number: int) -> object:
        if refused is not None:
            raise refused
        return costs.record_cost(
            uow,
            actor,
            number,
            party=form.party.strip()[:64],
            amount_yuan=form.amount_yuan.strip()[:40],
            category=form.category[:32],
            spent_on=_day(form.spent_on),
            evidence=form.evidence,
            kind=form.kind[:32] or None,
            protects=[p[:64] for p in form.protects[:100]] or None,
            files=files,
            now=utc_now(),
        )

    return _act(request, actor, uow, risk_id, form.csrf_token, record, anchor="#ledger")


@router.post("/risks/{risk_id}/compensation/costs/{line_id}/evidence")
async def attach_evidence(
    request: Request, actor: PageActor, uow: UowDep, risk_id: str, line_id: str
) -> Response:
    """Attach an evidence file to an active cost line."""
    fields, files, refused = await _multipart(request)
    token = fields.get("csrf_token", "")

    def attach(number: int) -> object:
        if refused is not None:
            raise refused
        if not files:
            raise InvalidInput("choose a file to attach", key="cost-evidence-no-file")
        line = number_of(line_id, "cost line")
        if costs.line_of(uow, actor, line).risk_id != number:
            raise NotFound(
                f"risk {number} has no cost line {line}", key="cost-unknown", params={"line": line}
            )
        return costs.attach_evidence(uow, actor, line, files[0], now=utc_now())

    return _act(
        request,
        actor,
        uow,
        risk_id,
        token if isinstance(token, str) else "",
        attach,
        anchor="#ledger",
    )


@router.get("/risks/{risk_id}/compensation/costs/{line_id}/evidence/{file_id}")
def evidence_file(
    request: Request, actor: PageActor, uow: UowDep, risk_id: str, line_id: str, file_id: str
) -> Response:
    """An evidence file, downloaded."""
    try:
        line = number_of(line_id, "cost line")
        if costs.line_of(uow, actor, line).risk_id != number_of(risk_id):
            raise NotFound(f"no cost line {line}", key="cost-unknown", params={"line": line})
        evidence, data = costs.evidence_file(uow, actor, line, number_of(file_id, "file"))
    except CrossriskError as refusal:
        return error_page(request, refusal, actor=actor, names=read_directory(uow, actor))
    return evidence_download(evidence, data)


@router.post("/risks/{risk_id}/compensation/settlements")
def propose(
    request: Request,
    actor: PageActor,
    uow: UowDep,
    risk_id: str,
    form: Annotated[SettleForm, Form()],
) -> Response:
    """Draw up a statement by a rule."""
    order = [p.strip()[:64] for p in form.upstream_order[:2_000].split(",") if p.strip()]
    return _act(
        request,
        actor,
        uow,
        risk_id,
        form.csrf_token,
        lambda number: settlements.propose(
            uow, actor, number, rule=form.rule[:64], upstream_order=order, now=utc_now()
        ),
        anchor="#statements",
    )


@router.post("/risks/{risk_id}/compensation/settlements/{settlement_id}/approve")
def approve(
    request: Request,
    actor: PageActor,
    uow: UowDep,
    risk_id: str,
    settlement_id: str,
    form: Annotated[ApproveForm, Form()],
) -> Response:
    """The committee approves a statement."""
    return _act(
        request,
        actor,
        uow,
        risk_id,
        form.csrf_token,
        lambda number: settlements.approve(
            uow, actor, number_of(settlement_id, "settlement"), now=utc_now()
        ),
        anchor="#statements",
    )


@router.post("/risks/{risk_id}/compensation/costs/{line_id}/withdraw")
def withdraw_cost(
    request: Request,
    actor: PageActor,
    uow: UowDep,
    risk_id: str,
    line_id: str,
    form: Annotated[WithdrawForm, Form()],
) -> Response:
    """Withdraw a cost line recorded in error."""
    return _act(
        request,
        actor,
        uow,
        risk_id,
        form.csrf_token,
        lambda number: costs.withdraw_cost(
            uow, actor, number_of(line_id, "cost line"), reason=form.reason, now=utc_now()
        ),
        anchor="#ledger",
    )


@router.post("/risks/{risk_id}/compensation/loss-avoided")
def estimate_loss(
    request: Request,
    actor: PageActor,
    uow: UowDep,
    risk_id: str,
    form: Annotated[LossForm, Form()],
) -> Response:
    """Enter a member's estimate of the loss the response avoided it."""
    return _act(
        request,
        actor,
        uow,
        risk_id,
        form.csrf_token,
        lambda number: costs.estimate_loss_avoided(
            uow,
            actor,
            number,
            party=form.party.strip()[:64],
            amount_yuan=form.amount_yuan.strip()[:40],
            basis=form.basis,
            now=utc_now(),
        ),
        anchor="#loss-avoided",
    )


@router.post("/risks/{risk_id}/compensation/fund/contributions")
def contribute(
    request: Request,
    actor: PageActor,
    uow: UowDep,
    risk_id: str,
    form: Annotated[ContributionForm, Form()],
) -> Response:
    """The committee records a province's or the central office's contribution to the fund
    of the risk's region, one condition a line."""

    def record(number: int) -> object:
        region_code = costs.ledger(uow, actor, number).risk.region_code
        conditions = [c.strip() for c in form.conditions[:12_000].splitlines() if c.strip()]
        return fund.contribute(
            uow,
            actor,
            region_code,
            contributor=form.contributor.strip()[:64],
            amount_yuan=form.amount_yuan.strip()[:40],
            conditions=conditions,
            now=utc_now(),
        )

    return _act(request, actor, uow, risk_id, form.csrf_token, record, anchor="#fund")


@router.post("/risks/{risk_id}/compensation/settlements/{settlement_id}/in-kind")
def deliver_in_kind(
    request: Request,
    actor: PageActor,
    uow: UowDep,
    risk_id: str,
    settlement_id: str,
    form: Annotated[DeliveryForm, Form()],
) -> Response:
    """The committee records goods or services delivered in kind on the approved statement."""
    quantity = form.quantity.strip()[:12]
    provider, _, recipient = form.pair[:200].partition(":")

    def record(number: int) -> object:
        return in_kind.record_delivery(
            uow,
            actor,
            number_of(settlement_id, "settlement"),
            provider=provider.strip()[:64],
            recipient=recipient.strip()[:64],
            description=form.description,
            quantity=int(quantity) if quantity.isascii() and quantity.isdigit() else 0,
            unit_value_yuan=form.unit_value_yuan.strip()[:40],
            delivered_on=_day(form.delivered_on),
            evidence=form.evidence,
            now=utc_now(),
        )

    return _act(request, actor, uow, risk_id, form.csrf_token, record, anchor="#in-kind")


def _day(value: str) -> date:
    try:
        return date.fromisoformat(value.strip()[:10])
    except ValueError:
        raise InvalidInput(
            f"{value[:20]!r} is not a date", key="cost-date-invalid", params={"date": value[:20]}
        ) from None


def _act(
    request: Request,
    actor: Actor,
    uow: UnitOfWork,
    risk_id: str,
    csrf_token: str,
    change: Callable[[int], object],
    *,
    anchor: str,
) -> Response:
    try:
        number = number_of(risk_id)
    except NotFound as refusal:
        return error_page(request, refusal, actor=actor, names=read_directory(uow, actor))
    try:
        check_csrf(request, csrf_token)
        change(number)
    except CrossriskError as refusal:
        try:
            return _page(request, actor, uow, number, error=refusal)
        except CrossriskError as missing:
            return error_page(request, missing, actor=actor, names=read_directory(uow, actor))
    return RedirectResponse(f"/risks/{number}/compensation{anchor}", status_code=303)


def _page(
    request: Request,
    actor: Actor,
    uow: UnitOfWork,
    risk_id: int,
    *,
    error: CrossriskError | None = None,
) -> Response:
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
