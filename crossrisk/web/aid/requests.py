"""Aid request pages: the list with its new-request form, one request, and the request's own
steps (submit, approve, cancel, close).

Each form posts to one service call and comes back to the page it was on (303); a refusal
shows the same page with its sentence and changes nothing. Offers, commitments and
shipments on a request's page are in offers.py, commitments.py and shipments.py.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from functools import partial
from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from starlette.responses import RedirectResponse, Response

from crossrisk.domain.aid.request import Priority, RequestState
from crossrisk.domain.errors import CrossriskError, InvalidInput
from crossrisk.domain.organisation import Actor
from crossrisk.domain.permissions.aid import can_request_aid
from crossrisk.domain.region import JurisdictionSummary, Region
from crossrisk.http.deps import UowDep, check_csrf, utc_now
from crossrisk.services import aid_requests, regions
from crossrisk.services.policy_tables import aid_catalogue
from crossrisk.store.uow import UnitOfWork
from crossrisk.web.accounts.session import PageActor
from crossrisk.web.aid.request_forms import (
    FORM_ROWS,
    ReasonForm,
    RequestForm,
    line_drafts,
    row_id,
)
from crossrisk.web.aid.request_page import (
    CODE_MAX,
    act,
    choice,
    detail_page,
    page_names,
    page_or_error,
)
from crossrisk.web.aid.request_values import unit_choices
from crossrisk.web.aid.request_view import request_rows
from crossrisk.web.shared.form_times import local_value
from crossrisk.web.shared.i18n import PageLanguage
from crossrisk.web.shared.region_choice import chosen_region
from crossrisk.web.shared.rendering import error_status, page_error, render

router = APIRouter(include_in_schema=False)
# The new-request form's default "needed by": a day ahead, on the hour.
DEFAULT_LEAD = timedelta(days=1)


def _requesters(
    actor: Actor, region: Region, members: list[JurisdictionSummary]
) -> list[JurisdictionSummary]:
    """The member cities the actor may ask for aid for (its own, or all for the committee)."""
    return [
        member
        for member in members
        if can_request_aid(actor, region_code=region.code, jurisdiction_code=member.code)
    ]


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
    names = page_names(uow, actor, lang)
    chosen = chosen_region(uow, actor, region[:CODE_MAX])
    members = regions.region_summaries(uow, actor, chosen.code)
    state = choice(state, [s.value for s in RequestState])
    city = choice(city, [m.code for m in members])
    item = choice(item, list(aid_catalogue().codes))
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
    return page_or_error(
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
        return page_or_error(
            request,
            actor,
            uow,
            partial(
                _list_page, request, actor, uow, region=form.region, form=form, refusal=refusal
            ),
        )
    return RedirectResponse(f"/aid/requests/{made.id}", status_code=303)


@router.get("/aid/requests/{request_id}")
def request_detail(request: Request, actor: PageActor, uow: UowDep, request_id: str) -> Response:
    """One request: its lines' progress, the offers, the commitments and their shipments."""
    return page_or_error(
        request, actor, uow, lambda: detail_page(request, actor, uow, row_id(request_id))
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
        return act(
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
