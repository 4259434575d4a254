"""Shortfalls over HTTP: a risk's (GET) and a what-if's (POST, which stores nothing)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request
from pydantic import BaseModel, ConfigDict, Field

from crossrisk.domain.aid.shortfall import DAYS_MAX, JURISDICTIONS_MAX
from crossrisk.http.deps import ID_MAX, ActorDep, UowDep, utc_now
from crossrisk.services import shortfall
from crossrisk.services.shortfall import ShortfallContext, ShortfallReport

router = APIRouter(prefix="/api/aid", tags=["mutual aid"])


class ShortfallDonorOut(BaseModel):
    jurisdiction: str
    quantity: float
    hours: float


class ShortfallLineOut(BaseModel):
    item: str
    need: float
    stock: float = Field(description="own usable stock the reader may see")
    kept: float = Field(description="own stock kept for the own need")
    shortfall: float
    surplus: float
    neighbours_cover: float = Field(description="what other members' surplus could cover")
    cover_hours: float | None = Field(description="hours by which the cover could all arrive")
    donors: list[ShortfallDonorOut]


class ShortfallJurisdictionOut(BaseModel):
    jurisdiction: str
    name_zh: str
    name_en: str
    people: int
    displaced: int
    stale: bool = Field(description="some stock figures were not confirmed within the period")
    lines: list[ShortfallLineOut]


class ShortfallRegionLineOut(BaseModel):
    item: str
    need: float
    stock: float
    lacks: float


class ShortfallFactorsOut(BaseModel):
    version: int
    source: str
    edition: str


class ShortfallOut(BaseModel):
    region: str
    risk_id: int | None
    displaced_share: float
    days: int
    factors: ShortfallFactorsOut
    items: list[str]
    jurisdictions: list[ShortfallJurisdictionOut]
    region_totals: list[ShortfallRegionLineOut]
    region_lacks: dict[str, float] = Field(description="items the region as a whole lacks")
    stale: list[str]
    population_unknown: list[str]


def shortfall_out(report: ShortfallReport) -> ShortfallOut:
    result = report.shortfall
    return ShortfallOut(
        region=report.region_code,
        risk_id=report.risk_id,
        displaced_share=result.scenario.displaced_share,
        days=result.scenario.days,
        factors=ShortfallFactorsOut(
            version=result.factors.version,
            source=result.factors.source,
            edition=result.factors.edition,
        ),
        items=list(result.item_codes),
        jurisdictions=[
            ShortfallJurisdictionOut(
                jurisdiction=j.jurisdiction_code,
                name_zh=report.name(j.jurisdiction_code, "zh_CN"),
                name_en=report.name(j.jurisdiction_code, "en"),
                people=j.people,
                displaced=j.displaced,
                stale=j.stale,
                lines=[
                    ShortfallLineOut(
                        item=line.item_code,
                        need=line.need,
                        stock=line.stock,
                        kept=line.kept,
                        shortfall=line.shortfall,
                        surplus=line.surplus,
                        neighbours_cover=line.covered,
                        cover_hours=line.cover_hours,
                        donors=[
                            ShortfallDonorOut(
                                jurisdiction=d.jurisdiction_code, quantity=d.quantity, hours=d.hours
                            )
                            for d in line.donors
                        ],
                    )
                    for line in j.lines
                ],
            )
            for j in result.jurisdictions
        ],
        region_totals=[
            ShortfallRegionLineOut(item=r.item_code, need=r.need, stock=r.stock, lacks=r.lacks)
            for r in result.region
        ],
        region_lacks=result.lacking,
        stale=list(result.stale_codes),
        population_unknown=list(report.population_unknown),
    )


class ShortfallWhatIfIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    region: str = Field(min_length=1, max_length=32)
    people: dict[str, int] = Field(
        max_length=JURISDICTIONS_MAX, description="people affected per member jurisdiction"
    )
    displaced_share: float | None = Field(default=None, description="0 to 1")
    days: int | None = Field(default=None, description=f"1 to {DAYS_MAX}")


@router.get("/shortfall", response_model=ShortfallOut)
def of_risk(
    request: Request,
    actor: ActorDep,
    uow: UowDep,
    risk: Annotated[int, Query(ge=1, le=ID_MAX, description="the risk's id")],
    displaced_share: Annotated[float | None, Query(allow_inf_nan=True)] = None,
    days: Annotated[int | None, Query()] = None,
) -> ShortfallOut:
    """A risk's shortfall from its newest analysis; escalates once when the region lacks."""
    report = shortfall.risk_shortfall(
        uow,
        actor,
        risk,
        displaced_share=displaced_share,
        days=days,
        context=ShortfallContext.of(request.app.state.settings),
        now=utc_now(),
    )
    return shortfall_out(report)


@router.post("/shortfall", response_model=ShortfallOut)
def what_if(
    request: Request, body: ShortfallWhatIfIn, actor: ActorDep, uow: UowDep
) -> ShortfallOut:
    """The shortfall of people entered per jurisdiction (a what-if): nothing is stored."""
    report = shortfall.what_if_shortfall(
        uow,
        actor,
        body.region,
        body.people,
        displaced_share=body.displaced_share,
        days=body.days,
        context=ShortfallContext.of(request.app.state.settings),
        now=utc_now(),
    )
    return shortfall_out(report)
