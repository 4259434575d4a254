"""Aid offer forms on a request's page: offer against a line, accept offer lines, withdraw."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from starlette.responses import Response

from crossrisk.http.deps import UowDep, utc_now
from crossrisk.services import aid_offers, aid_requests
from crossrisk.services.policy_tables import aid_catalogue
from crossrisk.web.accounts.session import PageActor
from crossrisk.web.aid.request_forms import (
    AcceptForm,
    OfferForm,
    offer_draft,
    row_id,
)
from crossrisk.web.aid.request_page import act

router = APIRouter(include_in_schema=False)


@router.post("/aid/requests/{request_id}/offers")
def make_offer(
    request: Request,
    actor: PageActor,
    uow: UowDep,
    request_id: str,
    form: Annotated[OfferForm, Form()],
) -> Response:
    """The officer's city offers against one line of the request."""

    def offer(number: int) -> None:
        progress = aid_requests.get_request(uow, actor, number, now=utc_now())
        line = progress.request.line(row_id(form.request_line, what="request-line"))
        draft = offer_draft(form, catalogue=aid_catalogue(), line_item=line.item_code)
        aid_offers.make_offer(uow, actor, number, lines=[draft], now=utc_now())

    return act(request, actor, uow, request_id, form.csrf_token, offer, "#offers")


@router.post("/aid/offers/{offer_id}/accept")
def accept(
    request: Request,
    actor: PageActor,
    uow: UowDep,
    offer_id: str,
    form: Annotated[AcceptForm, Form()],
) -> Response:
    """The committee or the requesting city accepts offer lines: each becomes a commitment."""

    def accept_lines(_: int) -> None:
        lines = [row_id(line, what="offer-line") for line in form.line[:100]] or None
        offer = row_id(offer_id, what="offer")
        aid_offers.accept_offer(uow, actor, offer, line_ids=lines, now=utc_now())

    return act(request, actor, uow, form.request, form.csrf_token, accept_lines, "#commitments")


@router.post("/aid/offers/{offer_id}/withdraw")
def withdraw_offer(
    request: Request,
    actor: PageActor,
    uow: UowDep,
    offer_id: str,
    form: Annotated[AcceptForm, Form()],
) -> Response:
    """The donor takes back what of its offer is not accepted yet."""

    def withdraw(_: int) -> None:
        aid_offers.withdraw_offer(uow, actor, row_id(offer_id, what="offer"), now=utc_now())

    return act(request, actor, uow, form.request, form.csrf_token, withdraw, "#offers")
