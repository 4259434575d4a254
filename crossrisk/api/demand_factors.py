"""A region's demand factors over HTTP: read (any version) and save a new version."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Query
from pydantic import BaseModel, ConfigDict, Field

from crossrisk.domain.aid.demand_factors import FactorSet
from crossrisk.http.deps import ID_MAX, ActorDep, UowDep, utc_now
from crossrisk.services import demand_factors

router = APIRouter(prefix="/api/aid", tags=["mutual aid"])

RegionQuery = Annotated[str, Query(min_length=1, max_length=32, description="the region's code")]


class DemandFactorSetOut(BaseModel):
    region: str
    version: int = Field(description="0 is the bundled Sphere Handbook (2018) set")
    source: str
    edition: str
    saved_by: str | None
    saved_at: datetime | None
    note: str
    table: dict[str, Any] = Field(description="the set as PUT takes it")


def factor_set_out(factors: FactorSet) -> DemandFactorSetOut:
    return DemandFactorSetOut(
        region=factors.region_code or "",
        version=factors.version,
        source=factors.source,
        edition=factors.edition,
        saved_by=factors.saved_by,
        saved_at=factors.saved_at,
        note=factors.note,
        table=factors.table(),
    )


class DemandFactorSetIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    source: str = Field(max_length=500)
    edition: str = Field(default="", max_length=500)
    default_displaced_share: float = 0.1
    default_days: int = 7
    factor: list[dict[str, Any]] = Field(max_length=50)
    note: str = Field(default="", max_length=500)


@router.get("/demand-factors", response_model=DemandFactorSetOut)
def read(
    actor: ActorDep,
    uow: UowDep,
    region: RegionQuery,
    version: Annotated[int | None, Query(ge=0, le=ID_MAX)] = None,
) -> DemandFactorSetOut:
    """The region's demand factors: its newest version, or the one asked for."""
    return factor_set_out(demand_factors.demand_factors(uow, actor, region, version=version))


@router.get("/demand-factors/versions", response_model=list[DemandFactorSetOut])
def versions(actor: ActorDep, uow: UowDep, region: RegionQuery) -> list[DemandFactorSetOut]:
    """Every version of the region's factors, the bundled one first."""
    return [factor_set_out(f) for f in demand_factors.factor_versions(uow, actor, region)]


@router.put("/demand-factors", response_model=DemandFactorSetOut)
def save(
    body: DemandFactorSetIn, actor: ActorDep, uow: UowDep, region: RegionQuery
) -> DemandFactorSetOut:
    """The committee saves a new version of the region's factors (earlier ones are kept)."""
    table = body.model_dump(exclude={"note"})
    saved = demand_factors.save_demand_factors(
        uow, actor, region, table, note=body.note, now=utc_now()
    )
    return factor_set_out(saved)
