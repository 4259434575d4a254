"""A risk's situation report (情况通报) as PDF, and its warnings as a table to take away.

The report is an HTML page printed by WeasyPrint: the situation, the reach table and a
static map, the responsibility list, the warnings with their acknowledgements and the
timeline from the journal. Its fonts are Noto CJK (Debian's fonts-noto-cjk, which `make`
installs when absent); WeasyPrint embeds the glyphs it uses, so the file reads the same on
a machine without them.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from markupsafe import Markup
from starlette.responses import Response

from crossrisk.domain.analysis import Analysis
from crossrisk.domain.errors import CrossriskError, InvalidInput, NotFound
from crossrisk.domain.organisation import Actor
from crossrisk.http.deps import ActorDep, UowDep, utc_now
from crossrisk.services import analysis as analysis_service
from crossrisk.services import journal, regions, risks
from crossrisk.store.uow import UnitOfWork
from crossrisk.web.accounts.session import PageActor
from crossrisk.web.risks.analysis_view import analysis_view
from crossrisk.web.risks.detail import history_rows
from crossrisk.web.risks.exports import warnings_table
from crossrisk.web.risks.static_map import reach_svg
from crossrisk.web.shared.directory import read_directory
from crossrisk.web.shared.page_forms import id_in_address
from crossrisk.web.shared.rendering import environment, error_page
from crossrisk.web.shared.tables import (
    CSV_MEDIA_TYPE,
    XLSX_MEDIA_TYPE,
    export_language,
    to_csv,
    to_xlsx,
)
from crossrisk.web.warnings.tables import risk_warning_rows

router = APIRouter(include_in_schema=False)
PDF_MEDIA_TYPE = "application/pdf"
TIMELINE_MAX = 300
FORMATS = {"csv": (to_csv, CSV_MEDIA_TYPE), "xlsx": (to_xlsx, XLSX_MEDIA_TYPE)}


@router.get("/risks/{risk_id}/report.pdf")
def report_page(request: Request, actor: PageActor, uow: UowDep, risk_id: str) -> Response:
    """The situation report, from the risk page's link."""
    try:
        return _pdf(request, actor, uow, risk_id)
    except CrossriskError as refusal:
        return error_page(request, refusal, actor=actor, names=read_directory(uow, actor))


@router.get("/api/risks/{risk_id}/report.pdf")
def report_api(request: Request, actor: ActorDep, uow: UowDep, risk_id: str) -> Response:
    """The situation report for API clients; its language follows Accept-Language."""
    return _pdf(request, actor, uow, risk_id)


@router.get("/risks/{risk_id}/warnings.{kind}")
def warnings_page(
    request: Request, actor: PageActor, uow: UowDep, risk_id: str, kind: str
) -> Response:
    """A risk's warnings as a file, from the risk page's link."""
    try:
        return _warnings_file(request, actor, uow, risk_id, kind)
    except CrossriskError as refusal:
        return error_page(request, refusal, actor=actor, names=read_directory(uow, actor))


@router.get("/api/risks/{risk_id}/warnings.{kind}")
def warnings_api(
    request: Request, actor: ActorDep, uow: UowDep, risk_id: str, kind: str
) -> Response:
    """A risk's warnings as a file for API clients."""
    return _warnings_file(request, actor, uow, risk_id, kind)


def _warnings_file(
    request: Request, actor: Actor, uow: UnitOfWork, risk_id: str, kind: str
) -> Response:
    if kind not in FORMATS:
        raise NotFound(
            f"no export as {kind[:10]!r}; choose csv or xlsx", key="export-format-unknown"
        )
    lang = export_language(request)
    risk = risks.get_risk(uow, actor, id_in_address(risk_id))
    table = warnings_table(risk, risk_warning_rows(uow, actor, risk, lang), lang=lang)
    write, media_type = FORMATS[kind]
    return _download(write(table), media_type, f"risk-{risk.id}-warnings.{kind}")


def _pdf(request: Request, actor: Actor, uow: UnitOfWork, risk_id: str) -> Response:
    html = report_html(request, actor, uow, id_in_address(risk_id))
    return _download(print_pdf(html), PDF_MEDIA_TYPE, f"risk-{risk_id}-report.pdf")


def report_html(request: Request, actor: Actor, uow: UnitOfWork, risk_id: int) -> str:
    """The situation report as a printable HTML document in the request's language."""
    lang = export_language(request)
    risk = risks.get_risk(uow, actor, risk_id)
    history = journal.risk_record(uow, actor, risk_id)
    directory = read_directory(uow, actor, region_codes={risk.region_code})
    analysis = _analysis(uow, actor, risk_id)
    now = utc_now()
    view = (
        analysis_view(
            analysis,
            directory=directory,
            lang=lang,
            now=now,
            region_code=risk.region_code,
            hazard_geometry=risk.hazard_geometry,
            level=risk.level,
        )
        if analysis is not None
        else None
    )
    members = [m for m in regions.region_members(uow, actor, risk.region_code) if m.member]
    map_data: dict[str, Any] = view.map_data if view is not None else {}
    svg = reach_svg(
        members,
        hazard=risk.hazard_geometry,
        footprint=map_data.get("footprint"),
        origins=risk.origin_codes,
        reached=map_data.get("reached") or {},
        labels={m.code: lang.pick(m.name_zh, m.name_en) for m in members},
    )
    context = {
        "lang": lang,
        "_": lang.gettext,
        "risk": risk,
        "directory": directory,
        "view": view,
        "map_svg": Markup(svg),
        "warning_rows": risk_warning_rows(uow, actor, risk, lang),
        # The newest part of a long timeline: the whole one is the journal extract's.
        "history": history_rows(history[-TIMELINE_MAX:], directory, lang),
        "timeline_cut": len(history) > TIMELINE_MAX,
        "generated_at": now,
        "issuer": lang.pick(actor.organisation.name_zh, actor.organisation.name_en),
    }
    return environment.get_template("risks/report.html").render(context)


def _analysis(uow: UnitOfWork, actor: Actor, risk_id: int) -> Analysis | None:
    try:
        return analysis_service.current_analysis(uow, actor, risk_id)
    except InvalidInput:
        return None  # registered before analyses existed; the report says so


def print_pdf(html: str) -> bytes:
    """Print an HTML document to PDF, embedding the subset of each font it uses."""
    # Imported here: WeasyPrint loads Pango and its fonts, which only a report needs.
    from weasyprint import HTML

    pdf: bytes = HTML(string=html, base_url=None).write_pdf()
    return pdf


def _download(content: bytes, media_type: str, filename: str) -> Response:
    return Response(
        content,
        media_type=media_type,
        headers={
            "Content-Disposition": f'attachment; filename="{filename}"',
            "Cache-Control": "no-store",
        },
    )
