"""Aid shipment forms on a request's page: dispatch against a commitment, on the road, receipt."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from starlette.responses import Response

from crossrisk.http.deps import UowDep, utc_now
from crossrisk.services import commitments, shipments
from crossrisk.services.policy_tables import aid_catalogue
from crossrisk.web.accounts.session import PageActor
from crossrisk.web.aid.request_forms import (
    DispatchForm,
    ReceiptForm,
    base_quantity,
    row_id,
)
from crossrisk.web.aid.request_page import (
    CODE_MAX,
    act,
)
from crossrisk.web.aid.request_values import parse_quantity
from crossrisk.web.shared.form_times import parse_local

router = APIRouter(include_in_schema=False)


@router.post("/aid/commitments/{commitment_id}/dispatch")
def dispatch(
    request: Request,
    actor: PageActor,
    uow: UowDep,
    commitment_id: str,
    form: Annotated[DispatchForm, Form()],
) -> Response:
    """The donor dispatches (part of) its commitment."""

    def send(_: int) -> None:
        commitment = row_id(commitment_id, what="commitment")
        now = utc_now()
        item = commitments.get_commitment(uow, actor, commitment, now=now).commitment.item_code
        shipments.dispatch(
            uow,
            actor,
            commitment,
            quantity=base_quantity(
                form.quantity, form.unit, catalogue=aid_catalogue(), item_code=item
            ),
            mode=form.mode[:CODE_MAX],
            reference=form.reference,
            expected_arrival=parse_local(form.expected_arrival[:CODE_MAX]),
            stock_id=row_id(form.stock, what="stock") if form.stock else None,
            now=now,
        )

    return act(request, actor, uow, form.request, form.csrf_token, send, "#commitments")


@router.post("/aid/shipments/{shipment_id}/in-transit")
def in_transit(
    request: Request,
    actor: PageActor,
    uow: UowDep,
    shipment_id: str,
    form: Annotated[ReceiptForm, Form()],
) -> Response:
    """The donor reports its shipment on the road."""

    def on_the_road(_: int) -> None:
        shipments.set_in_transit(uow, actor, row_id(shipment_id, what="shipment"), now=utc_now())

    return act(request, actor, uow, form.request, form.csrf_token, on_the_road, "#commitments")


@router.post("/aid/shipments/{shipment_id}/receipt")
def receipt(
    request: Request,
    actor: PageActor,
    uow: UowDep,
    shipment_id: str,
    form: Annotated[ReceiptForm, Form()],
) -> Response:
    """The requesting city records what arrived (in base units) and any note."""

    def receive(_: int) -> None:
        shipment = row_id(shipment_id, what="shipment")
        quantity = parse_quantity(form.quantity[:CODE_MAX])
        shipments.record_receipt(
            uow, actor, shipment, quantity=quantity, note=form.note, now=utc_now()
        )

    return act(request, actor, uow, form.request, form.csrf_token, receive, "#commitments")
