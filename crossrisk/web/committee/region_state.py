"""The region's state page: normal or emergency, the committee's switch, and its history."""

from __future__ import annotations

from fastapi import APIRouter, Request
from starlette.responses import RedirectResponse, Response

from crossrisk.domain.errors import CrossriskError
from crossrisk.domain.permissions.region_state import can_switch_region_state
from crossrisk.domain.region import Region
from crossrisk.domain.risk import REASON_MAX
from crossrisk.http.deps import UowDep, check_csrf, utc_now
from crossrisk.services import region_state
from crossrisk.store.uow import UnitOfWork
from crossrisk.web.accounts.session import PageActor
from crossrisk.web.shared.directory import read_directory
from crossrisk.web.shared.i18n import PageLanguage
from crossrisk.web.shared.region_choice import CODE_MAX, chosen_region
from crossrisk.web.shared.rendering import error_page, error_status, page_error, render

router = APIRouter(include_in_schema=False)


def _page(
    request: Request,
    actor: PageActor,
    uow: UnitOfWork,
    region: Region,
    *,
    refusal: CrossriskError | None = None,
    reason: str = "",
) -> Response:
    names = read_directory(uow, actor)
    context = {
        "region": region,
        "current": region_state.current_state(uow, actor, region.code),
        "history": region_state.state_history(uow, actor, region.code),
        "may_switch": can_switch_region_state(actor, region.code),
        "reason": reason,
        "reason_max": REASON_MAX,
        "names": names,
    }
    if refusal is not None:
        context["error"] = page_error(PageLanguage.of(request), refusal, names)
    status = 200 if refusal is None else error_status(refusal)
    return render(request, "committee/region_state.html", context, actor=actor, status_code=status)


@router.get("/committee/state")
def state_view(request: Request, actor: PageActor, uow: UowDep) -> Response:
    """The region's state, with the switch for its committee."""
    try:
        region = chosen_region(uow, actor, request.query_params.get("region"))
    except CrossriskError as refusal:
        return error_page(request, refusal, actor=actor)
    return _page(request, actor, uow, region)


@router.post("/committee/state")
async def switch(request: Request, actor: PageActor, uow: UowDep) -> Response:
    """The committee switches the region's state, saying why."""
    form = await request.form()
    fields = {k: str(v) for k, v in form.items() if isinstance(v, str)}
    try:
        region = chosen_region(uow, actor, fields.get("region", "")[:CODE_MAX])
    except CrossriskError as refusal:
        return error_page(request, refusal, actor=actor)
    reason = fields.get("reason", "")[: REASON_MAX + 1]
    try:
        check_csrf(request, fields.get("csrf_token"))
        state = region_state.parse_state(fields.get("state", ""))
        region_state.switch_state(uow, actor, region.code, state, reason=reason, now=utc_now())
    except CrossriskError as refusal:
        return _page(request, actor, uow, region, refusal=refusal, reason=reason)
    return RedirectResponse(f"/committee/state?region={region.code}", status_code=303)
