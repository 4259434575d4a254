"""The risk register over HTTP."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from urllib.parse import urlencode

from fastapi import APIRouter, Query, Response
from pydantic import BaseModel, ConfigDict, Field

from crossrisk.api.fields import CATEGORIES, STATUSES, Version, hazard_type_keys, one_of, scale
from crossrisk.domain.journal import JournalEntry
from crossrisk.domain.register import (
    CURSOR_MAX,
    PAGE_DEFAULT,
    PAGE_MAX,
    SEARCH_MAX,
    RiskSort,
    parse_query,
)
from crossrisk.domain.risk import (
    DESCRIPTION_MAX,
    REASON_MAX,
    TITLE_MAX,
    EventLevel,
    Risk,
    RiskDraft,
    parse_category,
    parse_status,
)
from crossrisk.http.deps import ActorDep, RowId, UowDep, utc_now
from crossrisk.services import journal, risks
from crossrisk.services import register as register_search

router = APIRouter(prefix="/api/risks", tags=["risks"])
LEVELS = [level.value for level in EventLevel]
SORTS = [sort.value for sort in RiskSort]


class RiskIn(BaseModel):
    # Strict: a boolean is not a likelihood, nor a number in quotes a version.
    model_config = ConfigDict(extra="forbid", strict=True)

    region: str = Field(default="yrd", max_length=32)
    category: str = one_of(CATEGORIES, max_length=32)
    title: str = Field(max_length=TITLE_MAX)
    description: str = Field(default="", max_length=DESCRIPTION_MAX)
    hazard_geometry: dict[str, Any]
    likelihood: int = scale()
    consequence: int = scale()
    hazard_type: str | None = one_of(
        hazard_type_keys(),
        nullable=True,
        default=None,
        max_length=32,
        description="how the hazard travels; default: area",
    )
    parameters: dict[str, Any] = Field(
        default_factory=dict, description="the propagation model's parameters"
    )


class RiskPatch(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)

    title: str | None = Field(default=None, max_length=TITLE_MAX)
    description: str | None = Field(default=None, max_length=DESCRIPTION_MAX)
    likelihood: int | None = scale(default=None)
    consequence: int | None = scale(default=None)
    hazard_geometry: dict[str, Any] | None = None
    hazard_type: str | None = one_of(hazard_type_keys(), nullable=True, default=None, max_length=32)
    parameters: dict[str, Any] | None = None
    reason: str = Field(default="", max_length=REASON_MAX)
    expected_version: Version | None = None


class TransitionIn(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)

    to: str = one_of(STATUSES, max_length=16)
    reason: str = Field(max_length=REASON_MAX)
    expected_version: Version | None = None


class OriginOut(BaseModel):
    jurisdiction: str
    share: float


class RiskOut(BaseModel):
    id: int
    region: str
    category: str
    title: str
    title_en: str = Field(
        default="", description="the title in English where it was written in both languages"
    )
    description: str
    hazard_geometry: dict[str, Any]
    origins: list[OriginOut]
    likelihood: int
    consequence: int
    level: str
    status: str
    created_at: datetime
    created_by: str
    updated_at: datetime
    version: int
    hazard_type: str
    parameters: dict[str, Any]
    drill: int | None = Field(
        default=None, description="the drill that created the risk; null for a real risk"
    )


class HistoryEntryOut(BaseModel):
    seq: int
    at: datetime
    actor: str
    organisation: str
    action: str
    subject: str
    payload: dict[str, Any]
    hash: str


def risk_out(risk: Risk) -> RiskOut:
    """The API form of a risk."""
    assert risk.id is not None
    return RiskOut(
        **risk.record(),
        created_at=risk.created_at,
        created_by=risk.created_by,
        updated_at=risk.updated_at,
        drill=risk.drill_id,
    )


def history_out(entry: JournalEntry) -> HistoryEntryOut:
    """The API form of one history entry."""
    return HistoryEntryOut(
        seq=entry.seq,
        at=entry.at,
        actor=entry.actor,
        organisation=entry.organisation,
        action=entry.action,
        subject=entry.subject,
        payload=dict(entry.payload),
        hash=entry.hash,
    )


@router.get("", response_model=list[RiskOut])
def list_risks(
    actor: ActorDep,
    uow: UowDep,
    response: Response,
    q: str = Query(
        default="",
        max_length=SEARCH_MAX,
        description="words of the title, description, substance, number or an origin city",
    ),
    level: str | None = Query(
        default=None, max_length=4, json_schema_extra={"enum": [*LEVELS, None]}
    ),
    status: str | None = Query(
        default=None, max_length=16, json_schema_extra={"enum": [*STATUSES, None]}
    ),
    category: str | None = Query(
        default=None, max_length=32, json_schema_extra={"enum": [*CATEGORIES, None]}
    ),
    origin: str = Query(default="", max_length=12, description="an origin city's code"),
    affected: str = Query(default="", max_length=12, description="a warned city's code"),
    registered_from: str = Query(
        default="", alias="from", max_length=10, description="YYYY-MM-DD, Beijing date"
    ),
    registered_to: str = Query(
        default="", alias="to", max_length=10, description="YYYY-MM-DD, Beijing date, inclusive"
    ),
    sort: str | None = Query(
        default=None, max_length=16, json_schema_extra={"enum": [*SORTS, None]}
    ),
    limit: int = Query(default=PAGE_DEFAULT, ge=1, le=PAGE_MAX),
    cursor: str = Query(
        default="", max_length=CURSOR_MAX, description="the X-Next-Cursor of the page before"
    ),
) -> list[RiskOut]:
    """Risks of the regions the caller reads that match the filters, one page at a time.

    The order is the newest change first unless `sort` says otherwise. When more follow,
    the `X-Next-Cursor` header (and a `Link` with rel="next") gives the next page's cursor.
    """
    query = parse_query(
        text=q,
        level=level or "",
        status=status or "",
        category=category or "",
        origin=origin,
        affected=affected,
        registered_from=registered_from,
        registered_to=registered_to,
        sort=sort or "",
        limit=limit,
        cursor=cursor,
    )
    page = register_search.search_register(uow, actor, query)
    if page.next_cursor:
        response.headers["X-Next-Cursor"] = page.next_cursor
        kept = {
            "q": q,
            "level": level,
            "status": status,
            "category": category,
            "origin": origin,
            "affected": affected,
            "from": registered_from,
            "to": registered_to,
            "sort": sort,
        }
        following = {k: v for k, v in kept.items() if v} | {
            "limit": str(query.limit),
            "cursor": page.next_cursor,
        }
        response.headers["Link"] = f'</api/risks?{urlencode(following)}>; rel="next"'
    return [risk_out(risk) for risk in page.risks]


@router.post("", response_model=RiskOut, status_code=201)
def register(body: RiskIn, actor: ActorDep, uow: UowDep, response: Response) -> RiskOut:
    """Register a risk; its origin jurisdictions are derived from the hazard geometry."""
    draft = RiskDraft(
        category=parse_category(body.category),
        title=body.title,
        description=body.description,
        hazard_geometry=body.hazard_geometry,
        likelihood=body.likelihood,
        consequence=body.consequence,
        hazard_type=body.hazard_type,
        parameters=body.parameters,
    )
    risk = risks.register_risk(uow, actor, draft, region_code=body.region, now=utc_now())
    response.headers["Location"] = f"/api/risks/{risk.id}"
    return risk_out(risk)


@router.get("/{risk_id}", response_model=RiskOut)
def get_risk(risk_id: RowId, actor: ActorDep, uow: UowDep) -> RiskOut:
    """One risk."""
    return risk_out(risks.get_risk(uow, actor, risk_id))


@router.patch("/{risk_id}", response_model=RiskOut)
def change(risk_id: RowId, body: RiskPatch, actor: ActorDep, uow: UowDep) -> RiskOut:
    """Change text, likelihood, consequence or hazard geometry; level and origins follow."""
    risk = risks.change_risk(
        uow,
        actor,
        risk_id,
        risks.RiskChange(
            title=body.title,
            description=body.description,
            likelihood=body.likelihood,
            consequence=body.consequence,
            hazard_geometry=body.hazard_geometry,
            hazard_type=body.hazard_type,
            parameters=body.parameters,
            reason=body.reason,
        ),
        expected_version=body.expected_version,
        now=utc_now(),
    )
    return risk_out(risk)


@router.post("/{risk_id}/transitions", response_model=RiskOut)
def transition(risk_id: RowId, body: TransitionIn, actor: ActorDep, uow: UowDep) -> RiskOut:
    """Move the risk along its cycle with a reason."""
    risk = risks.transition_risk(
        uow,
        actor,
        risk_id,
        to=parse_status(body.to),
        reason=body.reason,
        expected_version=body.expected_version,
        now=utc_now(),
    )
    return risk_out(risk)


@router.get("/{risk_id}/history", response_model=list[HistoryEntryOut])
def history(risk_id: RowId, actor: ActorDep, uow: UowDep) -> list[HistoryEntryOut]:
    """Every journal entry about the risk, its warnings, their deliveries and
    acknowledgements, oldest first."""
    return [history_out(entry) for entry in journal.risk_record(uow, actor, risk_id)]
