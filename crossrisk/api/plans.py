"""Contingency plans over HTTP: list, read, import and export YAML, activate for a risk."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Path, Query, Response
from pydantic import BaseModel, ConfigDict, Field

from crossrisk.domain.plans.plan import plan_outline
from crossrisk.domain.plans.reading import TEXT_MAX_BYTES
from crossrisk.domain.risk import REASON_MAX
from crossrisk.http.deps import ID_MAX, ActorDep, UowDep, utc_now
from crossrisk.services import plan_activation, plans

router = APIRouter(prefix="/api/plans", tags=["contingency plans"])

RegionQuery = Annotated[str, Query(min_length=1, max_length=32, description="the region's code")]
PlanId = Annotated[int, Path(ge=0, le=ID_MAX, description="0 is the bundled default plan")]


class PlanOut(BaseModel):
    plan: dict[str, Any] = Field(description="conditions, sources and the task table")
    note: str
    saved_by: str
    saved_at: datetime | None


def plan_out(found: plans.PlanVersion) -> PlanOut:
    return PlanOut(
        plan=plan_outline(found.plan),
        note=found.note,
        saved_by=found.saved_by,
        saved_at=found.saved_at,
    )


class PlanIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    document: str = Field(max_length=TEXT_MAX_BYTES, description="the plan as YAML")
    note: str = Field(default="", max_length=500)


class ActivationIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    risk_id: int = Field(ge=1, le=ID_MAX)
    reason: str = Field(min_length=1, max_length=REASON_MAX)


@router.get("", response_model=list[PlanOut])
def list_plans(actor: ActorDep, uow: UowDep, region: RegionQuery) -> list[PlanOut]:
    """The bundled default, then every version of the region's plans."""
    return [plan_out(p) for p in plans.list_plans(uow, actor, region)]


@router.get("/{plan_id}", response_model=PlanOut)
def get_plan(plan_id: PlanId, actor: ActorDep, uow: UowDep) -> PlanOut:
    """One version of a plan."""
    return plan_out(plans.get_plan(uow, actor, plan_id))


@router.get(
    "/{plan_id}/export",
    response_class=Response,
    # The body is YAML text; a client reading YAML gets the plan's mapping, so no type is
    # declared for it.
    responses={200: {"content": {"application/yaml": {"schema": {"title": "Plan YAML"}}}}},
)
def export_plan(plan_id: PlanId, actor: ActorDep, uow: UowDep) -> Response:
    """The plan's YAML, as imported (with its comments)."""
    found = plans.get_plan(uow, actor, plan_id)
    name = f"{found.plan.code}-v{found.plan.version}.yaml"
    return Response(
        found.document.encode("utf-8"),
        media_type="application/yaml; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


@router.post("", response_model=PlanOut, status_code=201)
def import_plan(body: PlanIn, actor: ActorDep, uow: UowDep, region: RegionQuery) -> PlanOut:
    """The committee imports a plan (a new code, or the next version of one); every problem
    of the file is refused with its line in the problem's `params.problems`."""
    saved = plans.import_plan(uow, actor, region, body.document, note=body.note, now=utc_now())
    return plan_out(saved)


@router.post("/{plan_id}/activate", response_model=PlanOut)
def activate(plan_id: PlanId, body: ActivationIn, actor: ActorDep, uow: UowDep) -> PlanOut:
    """The committee makes the plan the risk's plan; its responsibility list is redrawn."""
    chosen = plan_activation.activate_plan(
        uow, actor, body.risk_id, plan_id, reason=body.reason, now=utc_now()
    )
    return plan_out(chosen)
