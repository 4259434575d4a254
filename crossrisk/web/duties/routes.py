"""My duties: the page, its table for live refreshes, and its forms (report, confirm, waive)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from pydantic import BaseModel
from starlette.responses import RedirectResponse, Response

from crossrisk.domain.duty import source_of
from crossrisk.domain.errors import CrossriskError
from crossrisk.domain.organisation import Actor
from crossrisk.http.deps import UowDep, check_csrf, utc_now
from crossrisk.services import duties, live, reviews, risks
from crossrisk.store.uow import UnitOfWork
from crossrisk.web.accounts.session import PageActor
from crossrisk.web.duties.view import DutyLine, duty_lines
from crossrisk.web.shared.directory import read_directory
from crossrisk.web.shared.i18n import PageLanguage
from crossrisk.web.shared.page_forms import id_in_address
from crossrisk.web.shared.rendering import render

router = APIRouter(include_in_schema=False)


class ReportForm(BaseModel):
    csrf_token: str = ""
    risk_id: str = ""
    text: str = ""


class AcknowledgeForm(BaseModel):
    csrf_token: str = ""
    note: str = ""


class WaiveForm(BaseModel):
    csrf_token: str = ""
    reason: str = ""


def _number(value: str) -> int:
    """A row id from a form or an address; anything else names nothing."""
    return id_in_address(value, "duty", key="duty-not-found", param="duty")


def _lines(uow: UnitOfWork, actor: Actor, lang: PageLanguage) -> list[DutyLine]:
    now = utc_now()
    records = duties.duties_for(uow, actor, now=now)
    wanted = {duty.risk_id for duty in records if duty.risk_id is not None}
    titles = {
        risk.id: risk.title
        for risk in risks.list_risks(uow, actor)
        if risk.id is not None and risk.id in wanted
    }
    regions = {duty.region_code for duty in records}
    directory = read_directory(uow, actor, region_codes=regions)
    sources = (source_of(duty) for duty in records if duty.risk_id is None)
    reviewed = reviews.risks_of_reviews(
        uow, actor, {s[1] for s in sources if s is not None and s[0] == "review"}
    )
    return duty_lines(
        records,
        actor=actor,
        directory=directory,
        titles=titles,
        lang=lang,
        now=now,
        reviewed=reviewed,
    )


def _page(
    request: Request, actor: Actor, uow: UnitOfWork, *, error: CrossriskError | None = None
) -> Response:
    lang = PageLanguage.of(request)
    position = live.head_position(uow)
    context: dict[str, Any] = {
        "lines": _lines(uow, actor, lang),
        "page_data": {
            "after": position,
            "tableUrl": "/duties/table",
            "organisation": actor.organisation.code,
            "texts": {
                "live": lang.gettext("Live"),
                "connecting": lang.gettext("Connecting…"),
                "paused": lang.gettext("Live updates paused; retrying…"),
                "reload": lang.gettext("The page is out of date; reload it."),
                "reminded": lang.gettext("Reminder: a duty of yours falls due soon."),
            },
        },
    }
    if error is not None:
        names = read_directory(uow, actor)
        context["error"] = {
            "headline": lang.error_headline(error),
            "detail": lang.error_detail(error, names),
        }
    return render(
        request,
        "duties/list.html",
        context,
        actor=actor,
        status_code=200 if error is None else 400,
    )


@router.get("/duties")
def duties_page(request: Request, actor: PageActor, uow: UowDep) -> Response:
    """The organisation's duties (the coordination body's: its region's), updated live."""
    return _page(request, actor, uow)


@router.get("/duties/table")
def duties_table(request: Request, actor: PageActor, uow: UowDep) -> Response:
    """The duties table alone, for the page to swap in when a duty event arrives."""
    lines = _lines(uow, actor, PageLanguage.of(request))
    return render(request, "duties/table.html", {"lines": lines}, actor=actor)


@router.post("/duties/report")
def report(
    request: Request,
    actor: PageActor,
    uow: UowDep,
    form: Annotated[ReportForm, Form()],
) -> Response:
    """The lead city's report on its risk, from the page."""
    try:
        check_csrf(request, form.csrf_token)
        duties.file_report(uow, actor, _number(form.risk_id), text=form.text, now=utc_now())
    except CrossriskError as refusal:
        return _page(request, actor, uow, error=refusal)
    return RedirectResponse("/duties", status_code=303)


@router.post("/duties/{duty_id}/acknowledge")
def acknowledge(
    request: Request,
    actor: PageActor,
    uow: UowDep,
    duty_id: str,
    form: Annotated[AcknowledgeForm, Form()],
) -> Response:
    """A domain office or the central office confirms its duty."""
    try:
        check_csrf(request, form.csrf_token)
        duties.acknowledge_duty(uow, actor, _number(duty_id), note=form.note, now=utc_now())
    except CrossriskError as refusal:
        return _page(request, actor, uow, error=refusal)
    return RedirectResponse("/duties", status_code=303)


@router.post("/duties/{duty_id}/waive")
def waive(
    request: Request,
    actor: PageActor,
    uow: UowDep,
    duty_id: str,
    form: Annotated[WaiveForm, Form()],
) -> Response:
    """The coordination body waives a duty with its reason."""
    try:
        check_csrf(request, form.csrf_token)
        duties.waive_duty(uow, actor, _number(duty_id), reason=form.reason, now=utc_now())
    except CrossriskError as refusal:
        return _page(request, actor, uow, error=refusal)
    return RedirectResponse("/duties", status_code=303)
