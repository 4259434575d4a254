"""A region's normal or emergency state over HTTP: read it, switch it, its history."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Path
from pydantic import BaseModel, ConfigDict, Field

from crossrisk.domain.responsibility import RegionState
from crossrisk.domain.risk import REASON_MAX
from crossrisk.http.deps import ActorDep, UowDep, utc_now
from crossrisk.services import region_state
from crossrisk.services.region_state import StateRecord

router = APIRouter(prefix="/api", tags=["region state"])
RegionCode = Annotated[str, Path(min_length=1, max_length=64)]


class StateOut(BaseModel):
    region: str
    state: RegionState
    since: datetime | None = Field(description="when the last switch took effect; null: never")
    reason: str
    changed_by: str


class SwitchIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    state: RegionState
    reason: str = Field(min_length=1, max_length=REASON_MAX)


def state_out(record: StateRecord) -> StateOut:
    return StateOut(
        region=record.region_code,
        state=record.state,
        since=record.since,
        reason=record.reason,
        changed_by=record.changed_by,
    )


@router.get("/regions/{region_code}/state", response_model=StateOut)
def current(region_code: RegionCode, actor: ActorDep, uow: UowDep) -> StateOut:
    """The region's state and its last switch."""
    return state_out(region_state.current_state(uow, actor, region_code))


@router.get("/regions/{region_code}/state/history", response_model=list[StateOut])
def history(region_code: RegionCode, actor: ActorDep, uow: UowDep) -> list[StateOut]:
    """Every switch of the region's state, newest first."""
    return [state_out(r) for r in region_state.state_history(uow, actor, region_code)]


@router.post("/regions/{region_code}/state", response_model=StateOut)
def switch(region_code: RegionCode, body: SwitchIn, actor: ActorDep, uow: UowDep) -> StateOut:
    """The region's committee switches it to normal or emergency state, saying why."""
    return state_out(
        region_state.switch_state(
            uow, actor, region_code, body.state, reason=body.reason, now=utc_now()
        )
    )
