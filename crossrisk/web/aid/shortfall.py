"""The shortfall page: a risk's (from its newest analysis) or a what-if's, and its workbook."""

from __future__ import annotations

import math
from typing import Any

from fastapi import APIRouter, Request
from starlette.responses import Response

from crossrisk.domain.errors import CrossriskError, InvalidInput, NotFound
from crossrisk.domain.organisation import Actor
from crossrisk.domain.region import Region
from crossrisk.http.deps import ID_MAX, UowDep, check_csrf, utc_now
from crossrisk.services import regions, shortfall
from crossrisk.services.policy_tables import aid_catalogue
from crossrisk.services.shortfall import ShortfallContext, ShortfallReport
from crossrisk.store.uow import UnitOfWork
from crossrisk.web.accounts.session import PageActor
from crossrisk.web.aid import shortfall_view
from crossrisk.web.aid.maps import shortfall_map_config
from crossrisk.web.shared.directory import read_directory
from crossrisk.web.shared.i18n import PageLanguage
from crossrisk.web.shared.rendering import error_page, error_status, page_error, render
from crossrisk.web.shared.tables import export_language

router = APIRouter(include_in_schema=False)
FIELD_MAX = 32  # a number typed in a form field: longer is not a number


def _risk_id(value: str | None) -> int:
    if value is None or not value.isdigit() or len(value) > 10 or int(value) > ID_MAX:
        shown = (value or "")[:20]
        raise NotFound(
            f"risk {shown!r} does not exist", key="risk-not-found", params={"risk": shown}
        )
    return int(value)


def _number(value: str | None, *, name: str, whole: bool = False) -> float | int | None:
    """A number typed in a form or an address; blank for the default."""
    text = (value or "").strip().replace(",", "")
    if not text:
        return None
    try:
        number = float(text) if len(text) <= FIELD_MAX and "\x00" not in text else math.nan
    except ValueError:
        number = math.nan
    if whole and math.isfinite(number) and number == int(number):
        return int(number)
    if whole:
        raise InvalidInput(f"{name} must be a whole number", key=f"{name}-invalid")
    return number


def _region(actor: Actor, readable: list[Region], wanted: str | None) -> str:
    codes = [region.code for region in readable]
    if wanted in codes:
        return str(wanted)
    own = [code for code in codes if code in actor.region_codes]
    return (own or codes or [""])[0]


def _page(
    request: Request,
    actor: Actor,
    uow: UnitOfWork,
    *,
    region_code: str,
    report: ShortfallReport | None = None,
    form: dict[str, Any] | None = None,
    refusal: CrossriskError | None = None,
) -> Response:
    lang = PageLanguage.of(request)
    catalogue = aid_catalogue()
    readable = regions.readable_regions(uow, actor)
    members = regions.region_summaries(uow, actor, region_code) if region_code else []
    context: dict[str, Any] = {
        "regions": readable,
        "region_code": region_code,
        "members": members,
        "form": form or {},
        "report": report,
        "rows": [],
        "chart": None,
        "note": "",
    }
    if report is not None:
        context["rows"] = shortfall_view.rows(report, lang, catalogue)
        context["chart"] = shortfall_view.chart_data(report, lang, catalogue)
        context["shortfall_map"] = shortfall_map_config(
            report, actor=actor, lang=lang, catalogue=catalogue
        )
        context["note"] = shortfall_view.source_note(report, lang)
        context["lacking"] = [
            (
                catalogue.item(code).name(lang.locale.code),
                qty,
                catalogue.item(code).unit_name(lang.locale.code),
            )
            for code, qty in report.shortfall.lacking.items()
        ]
        context["stale"] = [
            report.name(code, lang.locale.code) for code in report.shortfall.stale_codes
        ]
        context["unknown"] = [
            report.name(code, lang.locale.code) for code in report.population_unknown
        ]
    if refusal is not None:
        context["error"] = page_error(lang, refusal, read_directory(uow, actor))
    return render(
        request,
        "aid/shortfall.html",
        context,
        actor=actor,
        status_code=200 if refusal is None else error_status(refusal),
    )


def _risk_report(
    request: Request, actor: Actor, uow: UnitOfWork, risk: str | None
) -> ShortfallReport:
    params = request.query_params
    return shortfall.risk_shortfall(
        uow,
        actor,
        _risk_id(risk),
        displaced_share=_number(params.get("displaced_share"), name="displaced-share"),
        days=_number(params.get("days"), name="days", whole=True),
        context=ShortfallContext.of(request.app.state.settings),
        now=utc_now(),
    )


@router.get("/aid/shortfall")
def shortfall_page(request: Request, actor: PageActor, uow: UowDep) -> Response:
    """A risk's shortfall (`?risk=ID`), or the what-if form alone."""
    risk = request.query_params.get("risk")
    readable = regions.readable_regions(uow, actor)
    if risk is None:
        region = _region(actor, readable, request.query_params.get("region"))
        return _page(request, actor, uow, region_code=region)
    try:
        report = _risk_report(request, actor, uow, risk)
    except CrossriskError as refusal:
        return error_page(request, refusal, actor=actor, names=read_directory(uow, actor))
    form = {
        "displaced_share": report.shortfall.scenario.displaced_share,
        "days": report.shortfall.scenario.days,
    }
    return _page(request, actor, uow, region_code=report.region_code, report=report, form=form)


@router.post("/aid/shortfall")
async def what_if(request: Request, actor: PageActor, uow: UowDep) -> Response:
    """The shortfall of the people the form enters per member; nothing is stored."""
    data = await request.form()
    fields = {key: str(value) for key, value in data.items() if isinstance(value, str)}
    readable = regions.readable_regions(uow, actor)
    region = _region(actor, readable, fields.get("region"))
    form: dict[str, Any] = dict(fields)
    try:
        check_csrf(request, fields.get("csrf_token"))
        people: dict[str, object] = {}
        for key, value in fields.items():
            if key.startswith("people_"):
                count = _number(value, name="people")
                if count is not None:
                    people[key.removeprefix("people_")[:64]] = count
        report = shortfall.what_if_shortfall(
            uow,
            actor,
            region,
            people,
            displaced_share=_number(fields.get("displaced_share"), name="displaced-share"),
            days=_number(fields.get("days"), name="days", whole=True),
            context=ShortfallContext.of(request.app.state.settings),
            now=utc_now(),
        )
    except CrossriskError as refusal:
        return _page(request, actor, uow, region_code=region, form=form, refusal=refusal)
    return _page(request, actor, uow, region_code=region, report=report, form=form)


@router.get("/aid/shortfall.xlsx")
def workbook(request: Request, actor: PageActor, uow: UowDep) -> Response:
    """A risk's shortfall as an Excel workbook, headers in the page's (or `?lang=`) language."""
    lang = export_language(request)
    try:
        report = _risk_report(request, actor, uow, request.query_params.get("risk"))
    except CrossriskError as refusal:
        return error_page(request, refusal, actor=actor, names=read_directory(uow, actor))
    body = shortfall_view.workbook(report, lang, aid_catalogue())
    return Response(
        body,
        media_type=shortfall_view.XLSX_MEDIA_TYPE,
        headers={
            "Content-Disposition": f'attachment; filename="shortfall-risk-{report.risk_id}.xlsx"'
        },
    )
