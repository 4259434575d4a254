"""Reach, situation and responsibility list of risks; and the what-if analysis."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from fastapi import APIRouter
from pydantic import BaseModel, ConfigDict, Field

from crossrisk.api.fields import CATEGORIES, Version, hazard_type_keys, one_of, scale
from crossrisk.domain.analysis import Analysis, analysis_record
from crossrisk.domain.risk import REASON_MAX, TITLE_MAX, RiskDraft, parse_category
from crossrisk.http.deps import ActorDep, RowId, UowDep, utc_now
from crossrisk.services import analysis as analysis_service

router = APIRouter(prefix="/api", tags=["analysis"])


class ReachEntryOut(BaseModel):
    jurisdiction: str
    arrival_hours: float = Field(
        description="hours from the start until the hazard arrives; for a spill, until the "
        "concentration at the jurisdiction's first section first exceeds the limit"
    )
    intensity: float = Field(
        description="overlay: share of the population exposed; spill: peak concentration "
        "over the substance's limit (×); river (flood wave): routed peak above base flow as "
        "a share of the source's; plume: peak over the threshold (×); mobility: peak "
        "infectious per 100,000"
    )
    exposed_population: int | None = Field(
        description="estimated people exposed (2020 census); null where there is no estimate"
    )
    population_basis: str = Field(
        description="area_share: the city's population times the share of its area the "
        "footprint or plume covers; infections: people the epidemic model expects infected; "
        "whole_city: a river, where only the upper bound is known; unknown: no census figure"
    )
    population_upper_bound: int | None = Field(
        description="at most this many people are exposed: the whole city's population for "
        "a river; null otherwise"
    )
    detail: dict[str, Any] = Field(
        description="what the model says besides: for a spill, river, distance_km, substance, "
        "limit_mg_l, limit_basis, peak_hours, peak_mg_l, exceed_hours (hours above the "
        "limit), lake (a completely mixed lake or reservoir) and curve {hours, mg_l}; for a "
        "flood wave the same with peak_m3_s, base_m3_s and curve {hours, m3_s}"
    )


class ReachOut(BaseModel):
    pathway: str = Field(description="overlay, river (a flood wave), spill, plume or mobility")
    parameters: dict[str, Any]
    leaves_region: bool
    footprint: dict[str, Any] | None
    entries: list[ReachEntryOut]


class SituationOut(BaseModel):
    type: str = Field(description="spanning 跨域致灾, spillover 溢出, remote 异地 or local 属地")
    origins: list[str]
    affected: list[str]
    explanation_zh: str
    explanation_en: str


class DutyOut(BaseModel):
    role: str
    organisation: str
    jurisdiction: str | None
    duty: str
    deadline: datetime


class ResponsibilityOut(BaseModel):
    lead: str
    state: str
    drafted_at: datetime
    escalation: list[str] = Field(
        description="why the central office commands: level-I, beyond-region"
    )
    duties: list[DutyOut]


class AnalysisOut(BaseModel):
    risk_id: int | None
    version: int
    computed_at: datetime
    hazard_type: str
    reach: ReachOut
    situation: SituationOut
    responsibility: ResponsibilityOut
    lead_override: str | None
    confirmed_by: str | None
    confirmed_at: datetime | None


class WhatIfIn(BaseModel):
    # Strict as a registration is: a boolean is not a likelihood.
    model_config = ConfigDict(extra="forbid", strict=True)

    region: str = Field(default="yrd", max_length=32)
    category: str = one_of(CATEGORIES, max_length=32)
    hazard_type: str | None = one_of(hazard_type_keys(), nullable=True, default=None, max_length=32)
    hazard_geometry: dict[str, Any]
    parameters: dict[str, Any] = Field(default_factory=dict)
    likelihood: int = scale(default=3)
    consequence: int = scale(default=3)
    title: str = Field(default="", max_length=TITLE_MAX)


class WhatIfOut(BaseModel):
    origins: list[dict[str, Any]]
    level: str
    analysis: AnalysisOut


class ConfirmationIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    version: Version


class LeadIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    jurisdiction: str = Field(max_length=12)
    reason: str = Field(max_length=REASON_MAX)


def analysis_out(analysis: Analysis) -> AnalysisOut:
    """The API form of an analysis."""
    return AnalysisOut.model_validate(analysis_record(analysis))


@router.get("/risks/{risk_id}/analysis", response_model=AnalysisOut)
def current(risk_id: RowId, actor: ActorDep, uow: UowDep) -> AnalysisOut:
    """The newest analysis: reach, situation and responsibility list together."""
    return analysis_out(analysis_service.current_analysis(uow, actor, risk_id))


@router.get("/risks/{risk_id}/reach", response_model=ReachOut)
def reach(risk_id: RowId, actor: ActorDep, uow: UowDep) -> ReachOut:
    """The jurisdictions the risk reaches, with arrival time and intensity."""
    return analysis_out(analysis_service.current_analysis(uow, actor, risk_id)).reach


@router.get("/risks/{risk_id}/situation", response_model=SituationOut)
def situation(risk_id: RowId, actor: ActorDep, uow: UowDep) -> SituationOut:
    """Which cross-border situation the risk is, explained in Chinese and English."""
    return analysis_out(analysis_service.current_analysis(uow, actor, risk_id)).situation


@router.get("/risks/{risk_id}/responsibility-list", response_model=ResponsibilityOut)
def responsibility_list(risk_id: RowId, actor: ActorDep, uow: UowDep) -> ResponsibilityOut:
    """Who leads, who assists, who coordinates, with deadlines."""
    return analysis_out(analysis_service.current_analysis(uow, actor, risk_id)).responsibility


@router.get("/risks/{risk_id}/analyses", response_model=list[AnalysisOut])
def versions(risk_id: RowId, actor: ActorDep, uow: UowDep) -> list[AnalysisOut]:
    """Every version of the analysis, oldest first."""
    return [analysis_out(a) for a in analysis_service.analysis_versions(uow, actor, risk_id)]


@router.post("/risks/{risk_id}/responsibility-list/confirmation", response_model=AnalysisOut)
def confirm(risk_id: RowId, body: ConfirmationIn, actor: ActorDep, uow: UowDep) -> AnalysisOut:
    """The coordination body confirms the newest version of the responsibility list."""
    confirmed = analysis_service.confirm_responsibility_list(
        uow, actor, risk_id, version=body.version, now=utc_now()
    )
    return analysis_out(confirmed)


@router.post("/risks/{risk_id}/lead", response_model=AnalysisOut)
def lead(risk_id: RowId, body: LeadIn, actor: ActorDep, uow: UowDep) -> AnalysisOut:
    """The coordination body names another origin jurisdiction as lead."""
    analysis = analysis_service.assign_lead(
        uow, actor, risk_id, lead_code=body.jurisdiction, reason=body.reason, now=utc_now()
    )
    return analysis_out(analysis)


@router.post("/reach", response_model=WhatIfOut)
def what_if(body: WhatIfIn, actor: ActorDep, uow: UowDep) -> WhatIfOut:
    """Compute the reach of a hypothetical hazard; nothing is stored."""
    result = analysis_service.what_if(
        uow,
        actor,
        RiskDraft(
            category=parse_category(body.category),
            title=body.title,
            description="",
            hazard_geometry=body.hazard_geometry,
            likelihood=body.likelihood,
            consequence=body.consequence,
            hazard_type=body.hazard_type,
            parameters=body.parameters,
        ),
        region_code=body.region,
        now=utc_now(),
    )
    return WhatIfOut(
        origins=[{"jurisdiction": o.jurisdiction_code, "share": o.share} for o in result.origins],
        level=result.level.value,
        analysis=analysis_out(result.analysis),
    )
