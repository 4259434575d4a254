"""Observations in by HTTP batch, and the stations they come from."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field
from starlette.concurrency import run_in_threadpool

from crossrisk.domain.errors import InvalidInput, UnsupportedMediaType
from crossrisk.domain.monitoring.observation import MAX_BATCH_LINES, batch_lines, check_batch_size
from crossrisk.http.deps import ActorDep, UowDep, body_within, utc_now
from crossrisk.http.problems import problem
from crossrisk.services import firings, observations, stations

router = APIRouter(prefix="/api", tags=["monitoring"])

MAX_BODY_BYTES = 5 * 1024 * 1024
JSON_LINES = ("application/x-ndjson", "application/jsonl", "application/json-lines")

_BODY_DOC = {
    "requestBody": {
        "required": True,
        "content": {
            "application/x-ndjson": {
                "schema": {"type": "string"},
                "example": '{"station": "tunxi", "time": "2026-07-01T10:00:00+08:00", '
                '"value": 24.9, "unit": "m"}\n',
            },
            "application/json": {
                "schema": {
                    "type": "array",
                    "maxItems": MAX_BATCH_LINES,
                    "items": {
                        "type": "object",
                        "required": ["station", "time", "value", "unit"],
                        "properties": {
                            "station": {"type": "string"},
                            "time": {"type": "string", "format": "date-time"},
                            "value": {"type": "number"},
                            "unit": {"type": "string"},
                        },
                    },
                }
            },
        },
    }
}


class LastObservationOut(BaseModel):
    observed_at: datetime
    value: float


class StationOut(BaseModel):
    code: str
    name_zh: str
    name_en: str
    kind: str
    region: str
    jurisdiction: str
    lon: float
    lat: float
    variable: str
    unit: str
    rule: dict[str, Any]
    risk: dict[str, Any]
    source: str
    valid_range: list[float] | None = None
    last_observation: LastObservationOut | None
    open_risk_id: int | None
    fired_level: int | None


@router.post(
    "/observations",
    openapi_extra=_BODY_DOC,
    responses={
        200: {"description": "at least one line stored (or stored before); the report"},
        403: {"description": "the caller may feed none of the stations named"},
        413: {"description": f"over {MAX_BODY_BYTES} bytes or {MAX_BATCH_LINES} lines"},
        415: {"description": "neither JSON lines nor a JSON array"},
        422: {"description": "no line could be stored; `errors` lists each line's refusal"},
    },
)
async def post_observations(request: Request, actor: ActorDep, uow: UowDep) -> JSONResponse:
    """Store a batch of observations: JSON lines, or a JSON array (line n = item n)."""
    media_type = request.headers.get("content-type", "").partition(";")[0].strip().lower()
    if media_type not in (*JSON_LINES, "application/json"):
        raise UnsupportedMediaType(
            "send application/x-ndjson (one observation per line) or application/json (an array)",
            key="observation-media-type",
        )
    body = await body_within(
        request, MAX_BODY_BYTES, what="the batch", key="observation-body-too-large"
    )
    records: list[object] | str
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        return problem(400, "invalid-encoding", "Invalid encoding", "the body is not UTF-8")
    if media_type == "application/json":
        try:
            parsed = json.loads(text)
        except ValueError:
            return problem(
                400, "invalid-json", "Invalid JSON", "the request body is not valid JSON"
            )
        if not isinstance(parsed, list):
            raise InvalidInput("a JSON body must be an array of observations")
        records = parsed
        count = len(parsed)
    else:
        records = text
        count = len(batch_lines(text))
    # Refused before any work, as 413: the request, not an observation in it, is wrong.
    check_batch_size(count)
    report = await run_in_threadpool(
        observations.ingest,
        uow,
        actor,
        records,
        source="http",
        now=utc_now(),
        stale_after=request.app.state.settings.stale_reading_window,
    )
    # The firings are queued with the batch; acting on them now spares the wait for the
    # worker, which takes whatever this request leaves (a crash, another process first).
    fired = await run_in_threadpool(firings.act_on_queued, uow, report.queued, now=utc_now())
    body_out = report.record() | {"fired": [f.record() for f in fired]}
    if report.accepted > 0:
        return JSONResponse(body_out)
    if report.only_not_permitted:
        return problem(
            403,
            "not-permitted",
            "Not permitted",
            "you may not send observations of the stations named",
            errors=body_out["refused"],
            report=body_out,
        )
    return problem(
        422,
        "invalid-input",
        "Invalid input",
        f"none of the {report.received} lines could be stored; see errors",
        errors=body_out["refused"],
        report=body_out,
    )


class RefusalCountOut(BaseModel):
    reason: str
    station: str = Field(description='the station code, "" when the station was unknown')
    count: int


@router.get("/observations/refusals", response_model=list[RefusalCountOut])
def refusals(actor: ActorDep, uow: UowDep) -> list[RefusalCountOut]:
    """How many observations were refused, by reason and station (never stored)."""
    return [
        RefusalCountOut(reason=c.reason, station=c.station_code, count=c.count)
        for c in observations.refusal_counts(uow, actor)
    ]


@router.get("/stations", response_model=list[StationOut])
def list_stations(
    actor: ActorDep, uow: UowDep, region: str | None = Query(default=None, max_length=32)
) -> list[StationOut]:
    """Stations of the regions the caller reads, each with its last observation."""
    views = stations.list_stations(uow, actor, region_code=region)
    return [
        StationOut(
            **v.station.record(),
            last_observation=(
                LastObservationOut(observed_at=v.last.observed_at, value=v.last.value)
                if v.last is not None
                else None
            ),
            open_risk_id=v.state.open_risk_id,
            fired_level=v.state.fired_level.value if v.state.fired_level is not None else None,
        )
        for v in views
    ]
