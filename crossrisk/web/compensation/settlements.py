"""/settlements/{id}: one settlement statement on a page of its own. A border section's
water-quality statement shows its period, station and indicator table (mean, baseline,
weight, ratio, term), K0, P, the direction and who pays whom, with the committee's
Approve button; a risk's statement is shown on its risk's compensation page."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation, localcontext
from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from starlette.responses import RedirectResponse, Response

from crossrisk.domain.compensation.ledger import SettlementState, Statement
from crossrisk.domain.compensation.water_quality import Direction
from crossrisk.domain.errors import CrossriskError
from crossrisk.domain.organisation import Actor
from crossrisk.domain.permissions.compensation import can_settle
from crossrisk.http.deps import UowDep, check_csrf, utc_now
from crossrisk.services import settlements
from crossrisk.services.policy_tables import variables
from crossrisk.store.uow import UnitOfWork
from crossrisk.web.accounts.session import PageActor
from crossrisk.web.compensation.risk_page import yuan
from crossrisk.web.compensation.routes import ApproveForm
from crossrisk.web.shared.compensation_labels import SETTLEMENT_RULE, SETTLEMENT_STATE
from crossrisk.web.shared.directory import read_directory
from crossrisk.web.shared.i18n import PageLanguage
from crossrisk.web.shared.page_forms import id_in_address
from crossrisk.web.shared.rendering import error_page, error_status, page_error, render

router = APIRouter(include_in_schema=False)


@router.get("/settlements/{settlement_id}")
def settlement_page(
    request: Request, actor: PageActor, uow: UowDep, settlement_id: str
) -> Response:
    """A settlement statement: a period's on this page, a risk's on its risk's page."""
    try:
        return _page(
            request,
            actor,
            uow,
            id_in_address(
                settlement_id, "settlement", key="settlement-unknown", param="settlement"
            ),
        )
    except CrossriskError as refusal:
        return error_page(request, refusal, actor=actor, names=read_directory(uow, actor))


@router.post("/settlements/{settlement_id}/approve")
def approve(
    request: Request,
    actor: PageActor,
    uow: UowDep,
    settlement_id: str,
    form: Annotated[ApproveForm, Form()],
) -> Response:
    """The committee approves the statement (settlements.approve, as for a risk's)."""
    try:
        number = id_in_address(
            settlement_id, "settlement", key="settlement-unknown", param="settlement"
        )
    except CrossriskError as refusal:
        return error_page(request, refusal, actor=actor, names=read_directory(uow, actor))
    try:
        check_csrf(request, form.csrf_token)
        settlements.approve(uow, actor, number, now=utc_now())
    except CrossriskError as refusal:
        try:
            return _page(request, actor, uow, number, error=refusal)
        except CrossriskError as missing:
            return error_page(request, missing, actor=actor, names=read_directory(uow, actor))
    return RedirectResponse(f"/settlements/{number}", status_code=303)


def _page(
    request: Request,
    actor: Actor,
    uow: UnitOfWork,
    settlement_id: int,
    *,
    error: CrossriskError | None = None,
) -> Response:
    statement = settlements.get(uow, actor, settlement_id)
    if statement.risk_id is not None:
        return RedirectResponse(
            f"/risks/{statement.risk_id}/compensation#statement-{statement.id}", status_code=303
        )
    lang = PageLanguage.of(request)
    directory = read_directory(uow, actor, region_codes={statement.region_code})
    chinese = lang.is_chinese

    def name(code: str) -> str:
        return directory.organisation_name(code, chinese=chinese)

    inputs = statement.inputs
    index = _decimal(inputs.get("index"))
    payer, payee = str(inputs.get("payer", "")), str(inputs.get("payee", ""))
    amount = yuan(int(str(inputs.get("amount_fen", 0))))
    if inputs.get("direction") == Direction.DOWNSTREAM_PAYS.value:
        verdict = lang.gettext(
            "P ≤ 1: the water at the section was kept clean, so the downstream party "
            "%(payer)s pays the upstream party %(payee)s %(amount)s yuan."
        )
    else:
        verdict = lang.gettext(
            "P > 1: the water at the section got worse, so the upstream party "
            "%(payer)s pays the downstream party %(payee)s %(amount)s yuan."
        )
    agreement = inputs.get("agreement")
    agreement_facts = agreement if isinstance(agreement, dict) else {}
    context: dict[str, Any] = {
        "lang": lang,
        "_": lang.gettext,
        "statement": statement,
        "rule": lang.gettext(SETTLEMENT_RULE[statement.rule]),
        "state": lang.gettext(SETTLEMENT_STATE[statement.state]),
        "agreement": agreement_facts,
        "upstream": name(str(inputs.get("upstream", ""))),
        "downstream": name(str(inputs.get("downstream", ""))),
        "k0": inputs.get("k0", ""),
        "index": f"{index:.4f}" if index is not None else "—",
        "index_exact": inputs.get("index", ""),
        "verdict": verdict % {"payer": name(payer), "payee": name(payee), "amount": amount},
        "transfers": [
            {"payer": name(t.payer), "payee": name(t.payee), "amount": yuan(t.amount_fen)}
            for t in statement.transfers
        ],
        "indicators": _indicators(statement, lang),
        "inputs": dict(inputs),
        "may_approve": statement.state is SettlementState.PROPOSED
        and can_settle(actor, statement.region_code),
    }
    if error is not None:
        context["error"] = page_error(lang, error, directory)
    return render(
        request,
        "compensation/settlement.html",
        context,
        actor=actor,
        status_code=200 if error is None else error_status(error),
    )


def _indicators(statement: Statement, lang: PageLanguage) -> list[dict[str, str]]:
    """One row per indicator: its mean Cᵢ, baseline Cᵢ0, weight kᵢ, Cᵢ/Cᵢ0 and kᵢ·Cᵢ/Cᵢ0."""
    inputs = statement.inputs
    weights = _mapping(inputs.get("weights"))
    baselines = _mapping(inputs.get("baselines_mg_l"))
    means = _mapping(inputs.get("concentrations_mg_l"))
    counts = _mapping(inputs.get("counts"))
    stations = _mapping(inputs.get("stations"))
    known = variables()
    rows = []
    for code, weight in weights.items():
        mean, baseline, k = (
            _decimal(means.get(code)),
            _decimal(baselines.get(code)),
            _decimal(weight),
        )
        ratio = None
        if mean is not None and baseline:
            with localcontext() as context:
                context.prec = 28
                ratio = mean / baseline
        variable = known.get(code)
        rows.append(
            {
                "code": code,
                "name": lang.pick(variable.name_zh, variable.name_en) if variable else code,
                "station": str(stations.get(code, "")),
                "count": str(counts.get(code, "")),
                "mean": _shown(mean),
                "baseline": _shown(baseline),
                "weight": _shown(k),
                "ratio": _shown(ratio),
                "term": _shown(ratio * k if ratio is not None and k is not None else None),
            }
        )
    return rows


def _mapping(value: object) -> dict[str, object]:
    return {str(k): v for k, v in value.items()} if isinstance(value, dict) else {}


def _decimal(value: object) -> Decimal | None:
    try:
        return Decimal(str(value)) if value is not None else None
    except InvalidOperation:
        return None


def _shown(value: Decimal | None) -> str:
    """Four decimals, enough to check P by hand; the exact figures are in the inputs."""
    return "—" if value is None else f"{value:.4f}"
