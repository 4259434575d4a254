"""The compensation page's forms that pay a risk's statement: the committee records a
contribution to the fund of the risk's region, or goods or services delivered in kind on
its approved statement (the fund's own page is fund.py)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from pydantic import BaseModel
from starlette.responses import Response

from crossrisk.http.deps import UowDep, utc_now
from crossrisk.services import costs, fund, in_kind
from crossrisk.web.accounts.session import PageActor
from crossrisk.web.compensation.risk_page import act, form_day
from crossrisk.web.shared.page_forms import id_in_address

router = APIRouter(include_in_schema=False)


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

    return act(request, actor, uow, risk_id, form.csrf_token, record, anchor="#fund")


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
            id_in_address(
                settlement_id, "settlement", key="settlement-unknown", param="settlement"
            ),
            provider=provider.strip()[:64],
            recipient=recipient.strip()[:64],
            description=form.description,
            quantity=int(quantity) if quantity.isascii() and quantity.isdigit() else 0,
            unit_value_yuan=form.unit_value_yuan.strip()[:40],
            delivered_on=form_day(form.delivered_on),
            evidence=form.evidence,
            now=utc_now(),
        )

    return act(request, actor, uow, risk_id, form.csrf_token, record, anchor="#in-kind")
