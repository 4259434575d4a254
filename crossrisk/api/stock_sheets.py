"""Stocks sheets over HTTP: import a CSV or .xlsx (all rows or none), export one."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from pydantic import BaseModel
from starlette.datastructures import UploadFile
from starlette.responses import Response

from crossrisk.aid.sheet_files import CSV_MEDIA_TYPE, XLSX_MEDIA_TYPE
from crossrisk.domain.aid.sheet import MAX_FILE_BYTES, SheetRefused
from crossrisk.domain.errors import InvalidInput, NotPermitted, UnsupportedMediaType
from crossrisk.domain.organisation import Actor
from crossrisk.domain.permissions.regions import can_read_region
from crossrisk.http.deps import ActorDep, UowDep, body_within, utc_now
from crossrisk.http.problems import problem
from crossrisk.services import stock_sheets

router = APIRouter(prefix="/api", tags=["stocks"])

FORM_OVERHEAD = 64 * 1024
RAW_TYPES = ("text/csv", XLSX_MEDIA_TYPE, "application/octet-stream")


class ImportOut(BaseModel):
    rows: int
    created: int
    counted: int
    sha256: str


def sheet_region(actor: Actor, region: str | None) -> str:
    if region is None:
        return min(actor.region_codes) if actor.region_codes else "yrd"
    if len(region) > 32 or not can_read_region(actor, region):
        raise NotPermitted(
            f"{actor.organisation.code} does not read region {region[:32]}",
            key="region-not-readable",
            params={"region": region[:32]},
        )
    return region


@router.post(
    "/aid/stocks/import",
    response_model=ImportOut,
    responses={
        413: {"description": "the file is over its limit"},
        415: {"description": "neither a CSV, an .xlsx nor a multipart form"},
        422: {"description": "bad rows: `errors` lists {row, column, key, message}"},
    },
)
async def import_stocks(
    request: Request,
    actor: ActorDep,
    uow: UowDep,
    region: Annotated[str | None, Query(max_length=32)] = None,
) -> Any:
    """Import a stocks sheet: the body is the CSV (text/csv) or the .xlsx file, or a
    multipart form whose `file` field holds it. All rows or none."""
    region_code = sheet_region(actor, region)
    data = await sheet_file(request)
    try:
        result = stock_sheets.import_stocks(uow, actor, region_code, data, now=utc_now())
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
    return ImportOut(
        rows=result.rows, created=result.created, counted=result.counted, sha256=result.sha256
    )


async def sheet_file(request: Request) -> bytes:
    media = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if media == "multipart/form-data":
        body = await body_within(
            request, MAX_FILE_BYTES + FORM_OVERHEAD, what="the file", key="sheet-too-large"
        )

        async def replay() -> dict[str, Any]:
            return {"type": "http.request", "body": body, "more_body": False}

        form = await Request(request.scope, replay).form(max_files=1, max_fields=10)
        try:
            upload = form.get("file")
            if not isinstance(upload, UploadFile):
                raise InvalidInput("the form has no `file` field", key="sheet-no-file")
            return await upload.read(MAX_FILE_BYTES + 1)
        finally:
            await form.close()
    if media not in RAW_TYPES:
        raise UnsupportedMediaType(
            f"send text/csv, {XLSX_MEDIA_TYPE} or multipart/form-data, not {media[:80]!r}",
            key="sheet-media-type",
        )
    return await body_within(request, MAX_FILE_BYTES, what="the file", key="sheet-too-large")


@router.get(
    "/aid/stocks/export",
    response_class=Response,
    responses={200: {"content": {CSV_MEDIA_TYPE: {}, XLSX_MEDIA_TYPE: {}}}},
)
def export_stocks(
    actor: ActorDep,
    uow: UowDep,
    file_format: Annotated[str, Query(alias="format", pattern="^(csv|xlsx)$")] = "csv",
    region: Annotated[str | None, Query(max_length=32)] = None,
    lang: Annotated[str, Query(pattern="^(zh|en)$")] = "zh",
) -> Response:
    """The stocks the caller reads, as a sheet that imports back unchanged."""
    region_code = sheet_region(actor, region)
    data = stock_sheets.export_stocks(
        uow, actor, region_code, file_format=file_format, language=lang
    )
    media = CSV_MEDIA_TYPE if file_format == "csv" else XLSX_MEDIA_TYPE
    return Response(
        data,
        media_type=media,
        headers={
            "Content-Disposition": f'attachment; filename="stocks-{region_code}.{file_format}"'
        },
    )
