"""/risks/{id}/compensation's page and the forms of its ledger and statements: add a cost
(with an evidence file or not), attach or download evidence, withdraw a cost, estimate a
loss avoided, propose a statement by a rule and the committee's approval of one."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from pydantic import BaseModel
from starlette.responses import Response

from crossrisk.domain.errors import CrossriskError, InvalidInput, NotFound
from crossrisk.http.deps import UowDep, utc_now
from crossrisk.http.uploads import bounded_form, evidence_download, evidence_upload
from crossrisk.services import costs, settlements
from crossrisk.services.costs import Upload
from crossrisk.web.accounts.session import PageActor
from crossrisk.web.compensation.risk_page import act, form_day, show_compensation
from crossrisk.web.shared.directory import read_directory
from crossrisk.web.shared.page_forms import id_in_address
from crossrisk.web.shared.rendering import error_page

router = APIRouter(include_in_schema=False)


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


class LossForm(BaseModel):
    csrf_token: str = ""
    party: str = ""
    amount_yuan: str = ""
    basis: str = ""


@router.get("/risks/{risk_id}/compensation")
def compensation_page(request: Request, actor: PageActor, uow: UowDep, risk_id: str) -> Response:
    """A risk's cost ledger and settlement statements."""
    try:
        return show_compensation(request, actor, uow, id_in_address(risk_id))
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
            spent_on=form_day(form.spent_on),
            evidence=form.evidence,
            kind=form.kind[:32] or None,
            protects=[p[:64] for p in form.protects[:100]] or None,
            files=files,
            now=utc_now(),
        )

    return act(request, actor, uow, risk_id, form.csrf_token, record, anchor="#ledger")


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
        line = id_in_address(line_id, "cost line")
        if costs.line_of(uow, actor, line).risk_id != number:
            raise NotFound(
                f"risk {number} has no cost line {line}", key="cost-unknown", params={"line": line}
            )
        return costs.attach_evidence(uow, actor, line, files[0], now=utc_now())

    return act(
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
        line = id_in_address(line_id, "cost line")
        if costs.line_of(uow, actor, line).risk_id != id_in_address(risk_id):
            raise NotFound(f"no cost line {line}", key="cost-unknown", params={"line": line})
        evidence, data = costs.evidence_file(uow, actor, line, id_in_address(file_id, "file"))
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
    return act(
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
    return act(
        request,
        actor,
        uow,
        risk_id,
        form.csrf_token,
        lambda number: settlements.approve(
            uow,
            actor,
            id_in_address(
                settlement_id, "settlement", key="settlement-unknown", param="settlement"
            ),
            now=utc_now(),
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
    return act(
        request,
        actor,
        uow,
        risk_id,
        form.csrf_token,
        lambda number: costs.withdraw_cost(
            uow, actor, id_in_address(line_id, "cost line"), reason=form.reason, now=utc_now()
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
    return act(
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
