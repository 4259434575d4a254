"""Aid request pages: the list with its new-request form, one request with its lines,
offers, commitments and shipments, and the commitments page.

Each form posts to one service call and comes back to the page it was on (303); a refusal
shows the same page with its sentence and changes nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from functools import partial
from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from starlette.responses import RedirectResponse, Response

from crossrisk.domain.aid.commitment import Outcome
from crossrisk.domain.aid.request import Priority, RequestState
from crossrisk.domain.aid.shipment import TransportMode
from crossrisk.domain.errors import CrossriskError, InvalidInput
from crossrisk.domain.organisation import Actor, OrganisationKind
from crossrisk.domain.permissions.aid import can_request_aid
from crossrisk.domain.region import JurisdictionSummary, Region
from crossrisk.http.deps import UowDep, check_csrf, utc_now
from crossrisk.locale import DISPLAY_ZONE
from crossrisk.services import aid_offers, aid_requests, commitments, regions, shipments, stocks
from crossrisk.services.policy_tables import aid_catalogue
from crossrisk.store.uow import UnitOfWork
from crossrisk.web.accounts.session import PageActor
from crossrisk.web.aid.pledge_view import commitment_row
from crossrisk.web.aid.request_forms import (
    FORM_ROWS,
    AcceptForm,
    DispatchForm,
    OfferForm,
    ReasonForm,
    ReceiptForm,
    RequestForm,
    WithdrawForm,
    base_quantity,
    line_drafts,
    offer_draft,
    row_id,
)
from crossrisk.web.aid.request_values import (
    Names,
    amount,
    parse_quantity,
    unit_choices,
)
from crossrisk.web.aid.request_view import request_page, request_rows
from crossrisk.web.shared import aid_labels
from crossrisk.web.shared.directory import read_directory
from crossrisk.web.shared.form_times import local_value, parse_local
from crossrisk.web.shared.i18n import PageLanguage
from crossrisk.web.shared.region_choice import chosen_region
from crossrisk.web.shared.rendering import error_page, error_status, page_error, render

router = APIRouter(include_in_schema=False)
CODE_MAX = 32
# The new-request form's default "needed by": a day ahead, on the hour.
DEFAULT_LEAD = timedelta(days=1)


def _names(uow: UnitOfWork, actor: Actor, lang: PageLanguage) -> Names:
    return Names(lang=lang, directory=read_directory(uow, actor), catalogue=aid_catalogue())


def _choice(value: str, allowed: list[str]) -> str:
    """A filter's value, or InvalidInput when the lists do not offer it."""
    if value and value not in allowed:
        raise InvalidInput(f"unknown filter value {value[:40]!r}", key="filter-value-unknown")
    return value


def _requesters(
    actor: Actor, region: Region, members: list[JurisdictionSummary]
) -> list[JurisdictionSummary]:
    """The member cities the actor may ask for aid for (its own, or all for the committee)."""
    return [
        member
        for member in members
        if can_request_aid(actor, region_code=region.code, jurisdiction_code=member.code)
    ]


def _page_or_error(
    request: Request, actor: Actor, uow: UnitOfWork, page: Callable[[], Response]
) -> Response:
    """The page ``page`` renders, else the error page of its refusal."""
    try:
        return page()
    except CrossriskError as refusal:
        return error_page(request, refusal, actor=actor, names=read_directory(uow, actor))


def _list_page(
    request: Request,
    actor: Actor,
    uow: UnitOfWork,
    *,
    region: str = "",
    state: str = "",
    city: str = "",
    item: str = "",
    form: RequestForm | None = None,
    refusal: CrossriskError | None = None,
) -> Response:
    lang = PageLanguage.of(request)
    now = utc_now()
    names = _names(uow, actor, lang)
    chosen = chosen_region(uow, actor, region[:CODE_MAX])
    members = regions.region_summaries(uow, actor, chosen.code)
    state = _choice(state, [s.value for s in RequestState])
    city = _choice(city, [m.code for m in members])
    item = _choice(item, list(aid_catalogue().codes))
    found = aid_requests.list_requests(
        uow,
        actor,
        region_code=chosen.code,
        jurisdiction_code=city or None,
        state=RequestState(state) if state else None,
        now=now,
    )
    requesters = _requesters(actor, chosen, members)
    context: dict[str, Any] = {
        "regions": regions.readable_regions(uow, actor),
        "region": chosen,
        "members": members,
        "requesters": requesters,
        "filter": {"state": state, "city": city, "item": item},
        "states": [(s.value, names.state(s)) for s in RequestState],
        "rows": request_rows(found, names, item=item, now=now),
        "items": list(aid_catalogue()),
        "unit_choices": unit_choices,
        "priorities": [(p.value, names.priority(p)) for p in Priority],
        "form": form or RequestForm(),
        "form_rows": range(FORM_ROWS),
        "default_needed_by": local_value(
            now.replace(minute=0, second=0, microsecond=0) + DEFAULT_LEAD
        ),
        "points": {m.code: (m.label_lon, m.label_lat) for m in requesters},
    }
    if refusal is not None:
        context["error"] = page_error(lang, refusal, names.directory)
    return render(
        request,
        "aid/requests.html",
        context,
        actor=actor,
        status_code=200 if refusal is None else error_status(refusal),
    )


@router.get("/aid/requests")
def requests_page(
    request: Request,
    actor: PageActor,
    uow: UowDep,
    region: str = "",
    state: str = "",
    city: str = "",
    item: str = "",
) -> Response:
    """Aid requests of a region, filtered by (derived) state, city and item, and the form."""
    return _page_or_error(
        request,
        actor,
        uow,
        partial(_list_page, request, actor, uow, region=region, state=state, city=city, item=item),
    )


@router.post("/aid/requests")
def make_request(
    request: Request, actor: PageActor, uow: UowDep, form: Annotated[RequestForm, Form()]
) -> Response:
    """Draft a request of several lines, for the officer's city or (committee) a member."""
    lang = PageLanguage.of(request)
    try:
        check_csrf(request, form.csrf_token)
        chosen = chosen_region(uow, actor, form.region[:CODE_MAX])
        members = {m.code: m for m in regions.region_summaries(uow, actor, chosen.code)}
        city = members.get(form.jurisdiction[:CODE_MAX])
        if city is None:
            raise InvalidInput(
                "choose the requesting city from the list",
                key="not-a-member",
                params={"jurisdiction": form.jurisdiction[:CODE_MAX], "region": chosen.code},
            )
        risk = form.risk_id.strip()
        made = aid_requests.draft_request(
            uow,
            actor,
            region_code=chosen.code,
            jurisdiction_code=city.code,
            lines=line_drafts(form, city=city, chinese=lang.is_chinese),
            risk_id=row_id(risk, what="risk") if risk else None,
            now=utc_now(),
        )
    except CrossriskError as refusal:
        return _page_or_error(
            request,
            actor,
            uow,
            partial(
                _list_page, request, actor, uow, region=form.region, form=form, refusal=refusal
            ),
        )
    return RedirectResponse(f"/aid/requests/{made.id}", status_code=303)


def _detail_page(
    request: Request,
    actor: Actor,
    uow: UnitOfWork,
    request_id: int,
    *,
    refusal: CrossriskError | None = None,
) -> Response:
    lang = PageLanguage.of(request)
    now = utc_now()
    names = _names(uow, actor, lang)
    progress = aid_requests.get_request(uow, actor, request_id, now=now)
    offers = aid_offers.offers_of_request(uow, actor, request_id)
    views = commitments.list_commitments(
        uow, actor, region_code=progress.request.region_code, request_id=request_id, now=now
    )
    page = request_page(progress, offers, views, actor=actor, names=names, now=now)
    catalogue = aid_catalogue()
    # The donor chooses the stock a dispatch is issued from (or first expiring first out).
    donor_stocks: dict[str, list[tuple[int, str]]] = {}
    if any(c.may_dispatch for c in page.commitments) and actor.jurisdiction_code:
        today = now.astimezone(DISPLAY_ZONE).date()
        for listed in stocks.list_stocks(
            uow,
            actor,
            progress.request.region_code,
            jurisdiction_code=actor.jurisdiction_code,
            now=now,
            stale_after=request.app.state.settings.base_information_stale_after,
        ):
            held = listed.stock
            if held.id is None or not held.usable_on(today) or held.quantity <= 0:
                continue
            label = f"{held.warehouse.name} · {names.quantity(held.item_code, held.quantity)}"
            if held.expires_on:
                label += " · " + lang.gettext("expires %(date)s") % {
                    "date": held.expires_on.isoformat()
                }
            donor_stocks.setdefault(held.item_code, []).append((held.id, label))
    context: dict[str, Any] = {
        "page": page,
        "catalogue": catalogue,
        "unit_choices": unit_choices,
        "modes": [(m.value, lang.gettext(aid_labels.TRANSPORT_MODE[m])) for m in TransportMode],
        "now_local": local_value(now),
        "soon_local": local_value(now + timedelta(hours=6)),
        "amount": amount,
        "donor_stocks": donor_stocks,
    }
    if refusal is not None:
        context["error"] = page_error(lang, refusal, names.directory)
    return render(
        request,
        "aid/request.html",
        context,
        actor=actor,
        status_code=200 if refusal is None else error_status(refusal),
    )


def _act(
    request: Request,
    actor: Actor,
    uow: UnitOfWork,
    request_id: str,
    token: str,
    change: Callable[[int], object],
    anchor: str = "",
) -> Response:
    """Run one form's change for request ``request_id`` and come back to its page (303).

    A refusal shows the request's page with its sentence (nothing is written); a request
    id that names nothing, the error page.
    """
    try:
        number = row_id(request_id)
    except CrossriskError as refusal:
        return error_page(request, refusal, actor=actor)
    try:
        check_csrf(request, token)
        change(number)
    except CrossriskError as refusal:
        return _page_or_error(
            request, actor, uow, partial(_detail_page, request, actor, uow, number, refusal=refusal)
        )
    return RedirectResponse(f"/aid/requests/{number}{anchor}", status_code=303)


@router.get("/aid/requests/{request_id}")
def request_detail(request: Request, actor: PageActor, uow: UowDep, request_id: str) -> Response:
    """One request: its lines' progress, the offers, the commitments and their shipments."""
    return _page_or_error(
        request, actor, uow, lambda: _detail_page(request, actor, uow, row_id(request_id))
    )


# The request's own steps, by the last part of their address: each is the service's call
# on the request, given the reason field (which only cancel and close ask for).
_StepCall = Callable[[UnitOfWork, Actor, int, str], object]
REQUEST_STEPS: dict[str, tuple[str, _StepCall]] = {
    "submit": (
        "Send a draft to the coordination body.",
        lambda uow, actor, number, _: aid_requests.submit_request(
            uow, actor, number, now=utc_now()
        ),
    ),
    "approve": (
        "The coordination body opens the request to offers.",
        lambda uow, actor, number, _: aid_requests.approve_request(
            uow, actor, number, now=utc_now()
        ),
    ),
    "cancel": (
        "Withdraw a request no commitment stands on, saying why.",
        lambda uow, actor, number, reason: aid_requests.cancel_request(
            uow, actor, number, reason=reason, now=utc_now()
        ),
    ),
    "close": (
        "End an approved request: nothing more is offered, committed or shipped against it.",
        lambda uow, actor, number, reason: aid_requests.close_request(
            uow, actor, number, reason=reason, now=utc_now()
        ),
    ),
}


def _step_route(step: str, summary: str, call: _StepCall) -> None:
    def take_step(
        request: Request,
        actor: PageActor,
        uow: UowDep,
        request_id: str,
        form: Annotated[ReasonForm, Form()],
    ) -> Response:
        return _act(
            request,
            actor,
            uow,
            request_id,
            form.csrf_token,
            lambda number: call(uow, actor, number, form.reason),
        )

    take_step.__name__ = take_step.__qualname__ = step
    take_step.__doc__ = summary
    router.post(f"/aid/requests/{{request_id}}/{step}")(take_step)


for _step, (_summary, _call) in REQUEST_STEPS.items():
    _step_route(_step, _summary, _call)


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

    return _act(request, actor, uow, request_id, form.csrf_token, offer, "#offers")


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

    return _act(request, actor, uow, form.request, form.csrf_token, accept_lines, "#commitments")


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

    return _act(request, actor, uow, form.request, form.csrf_token, withdraw, "#offers")


@router.post("/aid/commitments/{commitment_id}/withdraw")
def withdraw_commitment(
    request: Request,
    actor: PageActor,
    uow: UowDep,
    commitment_id: str,
    form: Annotated[WithdrawForm, Form()],
) -> Response:
    """The donor withdraws its commitment, saying why: it counts as broken."""

    def withdraw(_: int) -> None:
        commitment = row_id(commitment_id, what="commitment")
        commitments.cancel_commitment(uow, actor, commitment, reason=form.reason, now=utc_now())

    return _act(request, actor, uow, form.request, form.csrf_token, withdraw, "#commitments")


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

    return _act(request, actor, uow, form.request, form.csrf_token, send, "#commitments")


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

    return _act(request, actor, uow, form.request, form.csrf_token, on_the_road, "#commitments")


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

    return _act(request, actor, uow, form.request, form.csrf_token, receive, "#commitments")


@router.get("/aid/commitments")
def commitments_page(
    request: Request,
    actor: PageActor,
    uow: UowDep,
    region: str = "",
    outcome: str = "",
) -> Response:
    """A donor city's own commitments; everyone else's view: all the region's."""
    lang = PageLanguage.of(request)
    try:
        now = utc_now()
        names = _names(uow, actor, lang)
        chosen = chosen_region(uow, actor, region[:CODE_MAX])
        wanted = _choice(outcome, [o.value for o in Outcome])
        # A member city sees what it promised; the committee, the central office and
        # evaluators see every commitment of the region.
        donor = actor.jurisdiction_code if actor.kind is OrganisationKind.JURISDICTION else None
        views = commitments.list_commitments(
            uow, actor, region_code=chosen.code, donor=donor, now=now
        )
        requesters = {
            p.request.id: p.request.jurisdiction_code
            for p in aid_requests.list_requests(uow, actor, region_code=chosen.code, now=now)
        }
        rows = [
            commitment_row(
                view,
                request=None,
                actor=actor,
                names=names,
                requester=requesters.get(view.commitment.request_id),
            )
            for view in views
            if not wanted or view.outcome.value == wanted
        ]
    except CrossriskError as refusal:
        return error_page(request, refusal, actor=actor, names=read_directory(uow, actor))
    return render(
        request,
        "aid/commitments.html",
        {
            "rows": rows,
            "mine": donor is not None,
            "regions": regions.readable_regions(uow, actor),
            "region": chosen,
            "outcomes": [(o.value, names.outcome(o)) for o in Outcome],
            "filter": {"outcome": wanted},
        },
        actor=actor,
    )
