"""Drills over HTTP: list them, read one's after-action review, run a scenario at speed max,
and the JSON Schema a scenario file follows."""

from __future__ import annotations

import time
from datetime import datetime
from typing import Any

from fastapi import APIRouter, Response
from pydantic import BaseModel, ConfigDict, Field

from crossrisk.data import drill_scenario_schema
from crossrisk.domain.drills.drill import Drill
from crossrisk.domain.drills.scenario import TEXT_MAX_BYTES
from crossrisk.http.deps import ActorDep, RowId, UowDep, utc_now
from crossrisk.services import drills

router = APIRouter(prefix="/api", tags=["drills"])


class DrillOut(BaseModel):
    id: int
    region: str
    code: str
    title_zh: str
    title_en: str
    scenario_sha256: str
    speed: float | str = Field(description="the speed factor, or max")
    duration_minutes: int
    clock_start: datetime = Field(description="the virtual time of the scenario's offset 0")
    started_at: datetime
    ended_at: datetime | None
    started_by: str
    state: str = Field(description="running, ended or failed")
    failure: str


class MetricOut(BaseModel):
    name: str
    value: float | None
    unit: str
    definition: str
    definition_zh: str
    party: str | None = Field(description="the organisation it measures; null: the activity")
    aspect: str
    detail: str


class ReviewOut(BaseModel):
    """The after-action review of a drill: the drill, figures from the record, cases."""

    drill: DrillOut
    metrics: list[MetricOut]
    cases: list[dict[str, Any]]


class DrillIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    scenario: str = Field(max_length=TEXT_MAX_BYTES, description="the scenario as YAML")
    region: str | None = Field(
        default=None, min_length=1, max_length=32, description="run it in this region instead"
    )


def drill_out(drill: Drill) -> DrillOut:
    assert drill.id is not None
    return DrillOut(
        id=drill.id,
        region=drill.region_code,
        code=drill.code,
        title_zh=drill.title_zh,
        title_en=drill.title_en,
        scenario_sha256=drill.scenario_sha256,
        speed="max" if drill.speed is None else drill.speed,
        duration_minutes=drill.duration_minutes,
        clock_start=drill.clock_start,
        started_at=drill.started_at,
        ended_at=drill.ended_at,
        started_by=drill.started_by,
        state=drill.state.value,
        failure=drill.failure,
    )


def review_out(review: dict[str, Any], drill: Drill) -> ReviewOut:
    return ReviewOut(
        drill=drill_out(drill),
        metrics=[MetricOut(**m) for m in review["metrics"]],
        cases=list(review["cases"]),
    )


@router.get("/drills", response_model=list[DrillOut])
def listed(actor: ActorDep, uow: UowDep) -> list[DrillOut]:
    """The drills of the regions the caller reads, newest first."""
    return [drill_out(d) for d in drills.list_drills(uow, actor)]


@router.get(
    "/drills/schema",
    response_class=Response,
    responses={200: {"content": {"application/schema+json": {}}}},
)
def scenario_schema(actor: ActorDep) -> Response:
    """The JSON Schema of a scenario file's shape (draft 2020-12)."""
    # Asked for `actor` only so that a caller must log in, as for every other drill route.
    return Response(drill_scenario_schema(), media_type="application/schema+json")


@router.get("/drills/{drill_id}", response_model=ReviewOut)
def one(drill_id: RowId, actor: ActorDep, uow: UowDep) -> ReviewOut:
    """One drill with its after-action review."""
    record = drills.drill_record(uow, actor, drill_id, now=utc_now())
    return review_out(record.review, record.drill)


@router.post("/drills", response_model=ReviewOut, status_code=201)
def run(body: DrillIn, actor: ActorDep, uow: UowDep) -> ReviewOut:
    """The committee runs a scenario at speed max; a scenario with problems is a 422 listing
    each with its line, and writes nothing."""
    origin = time.monotonic()
    drill = drills.run_drill(
        uow,
        actor,
        body.scenario,
        speed=None,
        pace=drills.Pace(
            clock=utc_now, wait=lambda s: None, elapsed=lambda: time.monotonic() - origin
        ),
        region_code=body.region,
    )
    assert drill.id is not None
    record = drills.drill_record(uow, actor, drill.id, now=utc_now())
    return review_out(record.review, record.drill)
