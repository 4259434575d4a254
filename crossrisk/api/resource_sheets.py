"""Teams, equipment and shelters sheets over HTTP: import a CSV or .xlsx (all rows or
none), export one. Registered before the records' own /{id} routes."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from pydantic import BaseModel
from starlette.responses import Response

from crossrisk.aid.sheet_files import CSV_MEDIA_TYPE, XLSX_MEDIA_TYPE
from crossrisk.api.stock_sheets import sheet_file, sheet_region
from crossrisk.domain.aid.resource_sheets import KINDS
from crossrisk.domain.aid.sheet import SheetRefused
from crossrisk.http.deps import ActorDep, UowDep, utc_now
from crossrisk.http.problems import problem
from crossrisk.services import resource_sheets

router = APIRouter(prefix="/api", tags=["base information"])


class ResourceImportOut(BaseModel):
    rows: int
    created: int
    changed: int
    confirmed: int
    sha256: str


def _install(kind: str) -> None:
    """The import and export routes of one kind, at fixed paths (no {kind} parameter that
    would catch another router's /aid/x/export)."""

    @router.post(
        f"/aid/{kind}/import",
        name=f"import_{kind}",
        operation_id=f"import_{kind}_sheet",
        response_model=ResourceImportOut,
        responses={
            413: {"description": "the file is over its limit"},
            415: {"description": "neither a CSV, an .xlsx nor a multipart form"},
            422: {"description": "bad rows: `errors` lists {row, column, key, message}"},
        },
    )
    async def import_resources(
        request: Request,
        actor: ActorDep,
        uow: UowDep,
        region: Annotated[str | None, Query(max_length=32)] = None,
    ) -> Any:
        """Import a teams, equipment or shelters sheet: the body is the CSV (text/csv) or the
        .xlsx file, or a multipart form whose `file` field holds it. All rows or none; a row
        naming a kept record changes it (or confirms it when nothing differs)."""
        region_code = sheet_region(actor, region)
        data = await sheet_file(request)
        try:
            result = resource_sheets.import_sheet(
                uow, actor, kind, region_code, data, now=utc_now()
            )
        except SheetRefused as refused:
            return problem(
                422,
                refused.code,
                refused.title,
                refused.detail,
                key=refused.key,
                errors=[
                    {"row": e.row, "column": e.column, "key": e.key, "message": e.message}
                    for e in refused.errors
                ],
            )
        return ResourceImportOut(
            rows=result.rows,
            created=result.created,
            changed=result.changed,
            confirmed=result.confirmed,
            sha256=result.sha256,
        )

    @router.get(
        f"/aid/{kind}/export",
        name=f"export_{kind}",
        operation_id=f"export_{kind}_sheet",
        response_class=Response,
        responses={200: {"content": {CSV_MEDIA_TYPE: {}, XLSX_MEDIA_TYPE: {}}}},
    )
    def export_resources(
        actor: ActorDep,
        uow: UowDep,
        file_format: Annotated[str, Query(alias="format", pattern="^(csv|xlsx)$")] = "csv",
        region: Annotated[str | None, Query(max_length=32)] = None,
        lang: Annotated[str, Query(pattern="^(zh|en)$")] = "zh",
    ) -> Response:
        """The records of `kind` the caller reads, as a sheet that imports back unchanged."""
        region_code = sheet_region(actor, region)
        data = resource_sheets.export_sheet(
            uow, actor, kind, region_code, file_format=file_format, language=lang
        )
        media = CSV_MEDIA_TYPE if file_format == "csv" else XLSX_MEDIA_TYPE
        return Response(
            data,
            media_type=media,
            headers={
                "Content-Disposition": f'attachment; filename="{kind}-{region_code}.{file_format}"'
            },
        )


for _kind in KINDS:
    _install(_kind)
