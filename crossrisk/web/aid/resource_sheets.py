"""Teams, equipment and shelters sheets on the pages: the import form with its table of bad
rows (as /aid/stocks/import has), the templates and the export.

/aid/{teams,equipment,shelters}/import takes a CSV or .xlsx file; a bad file shows every
problem by row and column in the page's language and writes nothing. The downloads are
/aid/<kind>/template.{csv,xlsx} and /aid/<kind>/export.{csv,xlsx}. The paths are fixed per
kind and registered before the records' own routes.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter
from starlette.requests import Request
from starlette.responses import Response

from crossrisk.domain.aid.resource_sheets import KINDS
from crossrisk.domain.aid.sheet import MAX_FILE_BYTES, RowError, SheetRefused
from crossrisk.domain.errors import CrossriskError, InvalidInput
from crossrisk.domain.organisation import Actor
from crossrisk.domain.permissions.aid import can_keep_base_information
from crossrisk.http.deps import UowDep, utc_now
from crossrisk.locale import N_
from crossrisk.services import resource_sheets
from crossrisk.web.accounts.session import PageActor
from crossrisk.web.aid import sheets
from crossrisk.web.shared.directory import Directory, read_directory
from crossrisk.web.shared.i18n import PageLanguage
from crossrisk.web.shared.rendering import render

router = APIRouter(include_in_schema=False)

TITLE = {
    "teams": N_("Import response teams"),
    "equipment": N_("Import equipment"),
    "shelters": N_("Import shelters"),
}
IDENTITY = {
    "teams": N_("A row for a team already kept (same jurisdiction and name) updates it."),
    "equipment": N_(
        "A row for equipment already kept (same jurisdiction, kind and site) updates it."
    ),
    "shelters": N_("A row for a shelter already kept (same jurisdiction and name) updates it."),
}
# Sentences of the problems only these sheets have, or that they say otherwise than stocks.
SENTENCE: dict[str, str] = {
    "sheet-duplicate-record": N_("The same record as row %(first_row)s."),
    "cell-not-whole": N_("%(value)s is not a whole number."),
    "unknown-team-kind": N_("No kind of team is called “%(value)s”."),
    "unknown-equipment-kind": N_("No kind of equipment is called “%(value)s”."),
    "unknown-shelter-class": N_("No shelter class is called “%(value)s”."),
    "base-information-not-yours": N_("You may not keep the records of %(jurisdiction)s."),
}


def say(lang: PageLanguage, error: RowError, directory: Directory) -> str:
    """A row's problem in the page's language: this module's sentence, the stocks sheet's,
    or the refusal sentence the forms show for the same rule (a team's type, a figure)."""
    if error.key in SENTENCE and not (
        error.key.startswith("unknown-") and "value" not in error.params
    ):
        shown = dict(error.params)
        if isinstance(shown.get("jurisdiction"), str):
            code = str(shown["jurisdiction"])
            shown["jurisdiction"] = directory.jurisdiction_name(code, chinese=lang.is_chinese)
        if isinstance(shown.get("value"), float):
            shown["value"] = f"{shown['value']:g}"
        try:
            return lang.gettext(SENTENCE[error.key]) % shown
        except (KeyError, TypeError, ValueError):
            return error.message or error.key
    if error.key in sheets.SENTENCE:
        return sheets.say(lang, error.key, error.params, error.message or error.key, directory)
    refusal = InvalidInput(error.message or error.key, key=error.key, params=error.params)
    return lang.error_detail(refusal, directory)


def problem_lines(
    lang: PageLanguage, errors: tuple[RowError, ...], directory: Directory
) -> list[sheets.ProblemLine]:
    return [sheets.ProblemLine(e.row, e.column, say(lang, e, directory)) for e in errors]


def _page(
    request: Request,
    actor: Actor,
    kind: str,
    *,
    region_code: str,
    problems: list[sheets.ProblemLine] | None = None,
    failure: str | None = None,
    result: resource_sheets.ImportResult | None = None,
    status_code: int = 200,
) -> Response:
    lang = PageLanguage.of(request)
    context: dict[str, Any] = {
        "kind": kind,
        "region": region_code,
        "title": lang.gettext(TITLE[kind]),
        "identity": lang.gettext(IDENTITY[kind]),
        "problems": problems or [],
        "result": result,
        "max_mib": MAX_FILE_BYTES // (1024 * 1024),
        "may_import": can_keep_base_information(
            actor, region_code=region_code, jurisdiction_code=actor.jurisdiction_code or ""
        ),
    }
    if failure is not None:
        context["error"] = {"headline": lang.gettext("Nothing was imported"), "detail": failure}
    return render(
        request, "aid/resources_import.html", context, actor=actor, status_code=status_code
    )


def _install(kind: str) -> None:
    @router.get(f"/aid/{kind}/import", name=f"{kind}_import_form")
    def import_form(request: Request, actor: PageActor, region: str | None = None) -> Response:
        """The import form, with links to the templates and the export."""
        return _page(request, actor, kind, region_code=sheets.region_of(actor, region))

    @router.post(f"/aid/{kind}/import", name=f"{kind}_import_file")
    async def import_file(request: Request, actor: PageActor, uow: UowDep) -> Response:
        """Import the uploaded sheet: every row or none, every problem listed."""
        lang = PageLanguage.of(request)
        region_code = sheets.region_of(actor, request.query_params.get("region"))
        try:
            data = await sheets.uploaded_file(request)
            result = resource_sheets.import_sheet(
                uow, actor, kind, region_code, data, now=utc_now()
            )
        except SheetRefused as refused:
            directory = read_directory(uow, actor, region_codes={region_code})
            return _page(
                request,
                actor,
                kind,
                region_code=region_code,
                problems=problem_lines(lang, refused.errors, directory),
                failure=lang.gettext(
                    "%(count)d problem(s) in the file; correct them and try again."
                )
                % {"count": len(refused.errors)},
                status_code=422,
            )
        except CrossriskError as error:
            sentence = sheets.say(lang, error.key or "", error.params, "") or lang.error_detail(
                error
            )
            status = 413 if error.code == "payload-too-large" else 400
            return _page(
                request, actor, kind, region_code=region_code, failure=sentence, status_code=status
            )
        return _page(request, actor, kind, region_code=region_code, result=result)

    @router.get(f"/aid/{kind}/template.{{file_format}}", name=f"{kind}_template")
    def template_file(request: Request, actor: PageActor, file_format: str) -> Response:
        """An empty sheet with its headers in the page's language."""
        del actor  # a login is needed, nothing more
        chosen = sheets.format_of(file_format)
        language = "zh" if PageLanguage.of(request).is_chinese else "en"
        data = resource_sheets.template(kind, file_format=chosen, language=language)
        return sheets.download(data, chosen, f"{kind}-template.{chosen}")

    @router.get(f"/aid/{kind}/export.{{file_format}}", name=f"{kind}_export")
    def export_file(
        request: Request,
        actor: PageActor,
        uow: UowDep,
        file_format: str,
        region: str | None = None,
    ) -> Response:
        """The records the visitor reads, as a sheet that imports back unchanged."""
        chosen = sheets.format_of(file_format)
        region_code = sheets.region_of(actor, region)
        language = "zh" if PageLanguage.of(request).is_chinese else "en"
        data = resource_sheets.export_sheet(
            uow, actor, kind, region_code, file_format=chosen, language=language
        )
        return sheets.download(data, chosen, f"{kind}-{region_code}.{chosen}")


for _kind in KINDS:
    _install(_kind)
