"""Stocks sheets on the pages: the import form with its table of bad rows, and downloads.

/aid/stocks/import takes a CSV or .xlsx file; a bad file shows every problem by row and
column in the page's language and writes nothing. The templates and the export are
downloaded as /aid/stocks/template.{csv,xlsx} and /aid/stocks/export.{csv,xlsx}.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from fastapi import APIRouter
from starlette.datastructures import UploadFile
from starlette.requests import Request
from starlette.responses import Response

from crossrisk.aid.sheet_files import CSV_MEDIA_TYPE, XLSX_MEDIA_TYPE
from crossrisk.domain.aid.sheet import MAX_FILE_BYTES, RowError, SheetRefused
from crossrisk.domain.errors import CrossriskError, InvalidInput, NotFound
from crossrisk.domain.organisation import Actor
from crossrisk.domain.permissions.aid import can_keep_base_information
from crossrisk.domain.permissions.regions import can_read_region
from crossrisk.http.deps import UowDep, body_within, check_csrf, utc_now
from crossrisk.locale import N_
from crossrisk.services import stock_sheets
from crossrisk.web.accounts.session import PageActor
from crossrisk.web.shared.directory import Directory, read_directory
from crossrisk.web.shared.i18n import PageLanguage
from crossrisk.web.shared.rendering import render

router = APIRouter(include_in_schema=False)

MEDIA_TYPES = {"csv": CSV_MEDIA_TYPE, "xlsx": XLSX_MEDIA_TYPE}
# The form's fields and multipart framing around the file.
FORM_OVERHEAD = 64 * 1024
IMPORT_PATHS = ("/aid/stocks/import", "/api/aid/stocks/import")

# A sheet problem as a sentence, by its key; the row and column are shown beside it.
SENTENCE: dict[str, str] = {
    "sheet-empty": N_("The file is empty: it has no header row."),
    "sheet-too-many-columns": N_("The file has more than %(limit)s columns."),
    "sheet-unknown-column": N_("No column is called “%(column)s”: use the template's headers."),
    "sheet-duplicate-column": N_("The column “%(column)s” appears twice."),
    "sheet-missing-column": N_("The required column “%(column)s” is missing."),
    "sheet-too-many-rows": N_("The file has more than %(limit)s rows; split it into several."),
    "sheet-duplicate-row": N_(
        "The same stock (jurisdiction, item, warehouse, expiry) as row %(first_row)s."
    ),
    "sheet-too-large": N_("The file is larger than the limit of %(limit)s bytes."),
    "sheet-not-text": N_("The file is neither an Excel workbook nor a CSV text file in UTF-8."),
    "sheet-not-csv": N_("The CSV file cannot be read; save it again as CSV UTF-8."),
    "sheet-not-xlsx": N_("The file is not an Excel workbook (.xlsx)."),
    "sheet-no-file": N_("Choose a CSV or Excel file to import."),
    "cell-empty": N_("This cell must not be empty."),
    "cell-control-characters": N_("The cell holds control characters."),
    "cell-too-long": N_("The text is %(length)s characters long; the limit is %(limit)s."),
    "cell-not-number": N_("“%(value)s” is not a number."),
    "cell-not-finite": N_("The number must be finite."),
    "cell-out-of-range": N_("%(value)s lies outside %(low)s to %(high)s."),
    "cell-not-date": N_("“%(value)s” is not a date (YYYY-MM-DD)."),
    "cell-date-out-of-range": N_("%(value)s lies outside %(earliest)s to %(latest)s."),
    "unknown-jurisdiction": N_("No member jurisdiction is called “%(value)s”."),
    "unknown-item": N_("No catalogue item is called “%(value)s”."),
    "unknown-unit": N_("The item %(item)s has no unit or pack called “%(value)s”."),
    "unknown-sharing": N_("Sharing must be region or committee, not “%(value)s”."),
    "base-information-not-yours": N_("You may not keep the stocks of %(jurisdiction)s."),
    "location-invalid": N_("The warehouse's location is not a longitude and latitude."),
    "expiry-out-of-range": N_("The expiry date %(expires_on)s is not a plausible date."),
    "text-control": N_("The cell holds control characters."),
    "text-empty": N_("This cell must not be empty."),
    "text-too-long": N_("The text is %(length)s characters long; the limit is %(limit)s."),
    "quantity-too-large": N_("The quantity is above the largest stock the platform keeps."),
}


@dataclass(frozen=True, slots=True)
class ProblemLine:
    row: int
    column: str
    message: str


def say(
    lang: PageLanguage,
    key: str,
    params: Mapping[str, object],
    fallback: str,
    directory: Directory | None = None,
) -> str:
    """A sheet problem in the page's language (a jurisdiction by its name); its English text
    when no sentence fits."""
    sentence = SENTENCE.get(key)
    if sentence is None:
        return fallback
    shown = {k: _shown(v) for k, v in params.items()}
    if directory is not None and isinstance(shown.get("jurisdiction"), str):
        code = str(shown["jurisdiction"])
        shown["jurisdiction"] = directory.jurisdiction_name(code, chinese=lang.is_chinese)
    try:
        return lang.gettext(sentence) % shown
    except (KeyError, TypeError, ValueError):
        return fallback


def _shown(value: object) -> object:
    return f"{value:g}" if isinstance(value, float) else value


def problem_lines(
    lang: PageLanguage, errors: tuple[RowError, ...], directory: Directory
) -> list[ProblemLine]:
    return [
        ProblemLine(e.row, e.column, say(lang, e.key, e.params, e.message or e.key, directory))
        for e in errors
    ]


def region_of(actor: Actor, requested: str | None) -> str:
    """The region a page works on: the one asked for, else the actor's first (or yrd)."""
    if requested:
        if len(requested) > 32 or not can_read_region(actor, requested):
            raise NotFound(
                f"no region {requested[:32]!r}",
                key="region-not-found",
                params={"region": requested[:32]},
            )
        return requested
    return min(actor.region_codes) if actor.region_codes else "yrd"


def _page(
    request: Request,
    actor: Actor,
    *,
    region_code: str,
    problems: list[ProblemLine] | None = None,
    failure: str | None = None,
    result: stock_sheets.ImportResult | None = None,
    status_code: int = 200,
) -> Response:
    lang = PageLanguage.of(request)
    context: dict[str, Any] = {
        "region_code": region_code,
        "problems": problems or [],
        "result": result,
        "max_mib": MAX_FILE_BYTES // (1024 * 1024),
        # A city officer imports its own rows, the committee any member's; others only read.
        "may_import": can_keep_base_information(
            actor, region_code=region_code, jurisdiction_code=actor.jurisdiction_code or ""
        ),
    }
    if failure is not None:
        context["error"] = {"headline": lang.gettext("Nothing was imported"), "detail": failure}
    return render(request, "aid/stocks_import.html", context, actor=actor, status_code=status_code)


@router.get("/aid/stocks/import")
def import_form(request: Request, actor: PageActor, region: str | None = None) -> Response:
    """The import form, with links to the templates and the export."""
    return _page(request, actor, region_code=region_of(actor, region))


@router.post("/aid/stocks/import")
async def import_file(request: Request, actor: PageActor, uow: UowDep) -> Response:
    """Import the uploaded sheet: every row or none, every problem listed."""
    lang = PageLanguage.of(request)
    region_code = region_of(actor, request.query_params.get("region"))
    try:
        data = await uploaded_file(request)
        result = stock_sheets.import_stocks(uow, actor, region_code, data, now=utc_now())
    except SheetRefused as refused:
        return _page(
            request,
            actor,
            region_code=region_code,
            problems=problem_lines(
                lang, refused.errors, read_directory(uow, actor, region_codes={region_code})
            ),
            failure=lang.gettext("%(count)d problem(s) in the file; correct them and try again.")
            % {"count": len(refused.errors)},
            status_code=422,
        )
    except CrossriskError as error:
        sentence = say(lang, error.key or "", error.params, "") or lang.error_detail(error)
        status = 413 if error.code == "payload-too-large" else 400
        return _page(request, actor, region_code=region_code, failure=sentence, status_code=status)
    return _page(request, actor, region_code=region_code, result=result)


async def uploaded_file(request: Request, *, csrf: bool = True) -> bytes:
    """The file of a multipart form (its CSRF token checked), bounded before parsing."""
    body = await body_within(
        request, MAX_FILE_BYTES + FORM_OVERHEAD, what="the file", key="sheet-too-large"
    )

    async def replay() -> dict[str, Any]:
        return {"type": "http.request", "body": body, "more_body": False}

    form = await Request(request.scope, replay).form(max_files=1, max_fields=10)
    try:
        if csrf:
            token = form.get("csrf_token")
            check_csrf(request, token if isinstance(token, str) else None)
        upload = form.get("file")
        if not isinstance(upload, UploadFile):
            raise InvalidInput("choose a file to import", key="sheet-no-file")
        data = await upload.read(MAX_FILE_BYTES + 1)
        if not data:
            raise InvalidInput("choose a file to import", key="sheet-no-file")
        return data
    finally:
        await form.close()


@router.get("/aid/stocks/template.{file_format}")
def template_file(request: Request, actor: PageActor, file_format: str) -> Response:
    """An empty stocks sheet with its headers in the page's language."""
    del actor  # a login is needed, nothing more
    kind = format_of(file_format)
    lang = PageLanguage.of(request)
    data = stock_sheets.template(file_format=kind, language=_code(lang))
    return download(data, kind, f"stocks-template.{kind}")


@router.get("/aid/stocks/export.{file_format}")
def export_file(
    request: Request, actor: PageActor, uow: UowDep, file_format: str, region: str | None = None
) -> Response:
    """The stocks the visitor reads, as a sheet that imports back unchanged."""
    kind = format_of(file_format)
    region_code = region_of(actor, region)
    data = stock_sheets.export_stocks(
        uow, actor, region_code, file_format=kind, language=_code(PageLanguage.of(request))
    )
    return download(data, kind, f"stocks-{region_code}.{kind}")


def format_of(value: str) -> str:
    if value not in MEDIA_TYPES:
        raise NotFound(f"no {value[:10]!r} file")
    return value


def _code(lang: PageLanguage) -> str:
    return "zh" if lang.is_chinese else "en"


def download(data: bytes, kind: str, filename: str) -> Response:
    return Response(
        data,
        media_type=MEDIA_TYPES[kind],
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )
