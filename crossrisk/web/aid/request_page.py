"""What the aid request pages share: one request's page, and coming back to it after a
form's change (303), or showing it again with the sentence of a refusal.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from functools import partial
from typing import Any

from fastapi import Request
from starlette.responses import RedirectResponse, Response

from crossrisk.domain.aid.shipment import TransportMode
from crossrisk.domain.errors import CrossriskError, InvalidInput
from crossrisk.domain.organisation import Actor
from crossrisk.http.deps import check_csrf, utc_now
from crossrisk.locale import DISPLAY_ZONE
from crossrisk.services import aid_offers, aid_requests, commitments, stocks
from crossrisk.services.policy_tables import aid_catalogue
from crossrisk.store.uow import UnitOfWork
from crossrisk.web.aid.request_forms import row_id
from crossrisk.web.aid.request_values import (
    Names,
    amount,
    unit_choices,
)
from crossrisk.web.aid.request_view import request_page
from crossrisk.web.shared import aid_labels
from crossrisk.web.shared.directory import read_directory
from crossrisk.web.shared.form_times import local_value
from crossrisk.web.shared.i18n import PageLanguage
from crossrisk.web.shared.rendering import error_page, error_status, page_error, render

CODE_MAX = 32


def page_names(uow: UnitOfWork, actor: Actor, lang: PageLanguage) -> Names:
    """The names a page shows: the directory's and the aid catalogue's."""
    return Names(lang=lang, directory=read_directory(uow, actor), catalogue=aid_catalogue())


def choice(value: str, allowed: list[str]) -> str:
    """A filter's value, or InvalidInput when the lists do not offer it."""
    if value and value not in allowed:
        raise InvalidInput(f"unknown filter value {value[:40]!r}", key="filter-value-unknown")
    return value


def page_or_error(
    request: Request, actor: Actor, uow: UnitOfWork, page: Callable[[], Response]
) -> Response:
    """The page ``page`` renders, else the error page of its refusal."""
    try:
        return page()
    except CrossriskError as refusal:
        return error_page(request, refusal, actor=actor, names=read_directory(uow, actor))


def detail_page(
    request: Request,
    actor: Actor,
    uow: UnitOfWork,
    request_id: int,
    *,
    refusal: CrossriskError | None = None,
) -> Response:
    """One request's page, with the sentence of a refusal when there is one."""
    lang = PageLanguage.of(request)
    now = utc_now()
    names = page_names(uow, actor, lang)
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


def act(
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
        return page_or_error(
            request, actor, uow, partial(detail_page, request, actor, uow, number, refusal=refusal)
        )
    return RedirectResponse(f"/aid/requests/{number}{anchor}", status_code=303)
