"""Teams, equipment and shelters over HTTP, and the typed lists they are kept in."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from pydantic import BaseModel, ConfigDict, Field

from crossrisk.api.fields import one_of
from crossrisk.api.resource_types import ResourceTypesOut, resource_types_out
from crossrisk.domain.aid import equipment as equipment_rules
from crossrisk.domain.aid import shelter as shelter_rules
from crossrisk.domain.aid import team as team_rules
from crossrisk.domain.aid.base_record import check_location
from crossrisk.domain.aid.equipment import Equipment, EquipmentDraft
from crossrisk.domain.aid.shelter import Shelter, ShelterDraft, ShelterState
from crossrisk.domain.aid.team import Team, TeamDraft
from crossrisk.domain.organisation import Actor
from crossrisk.http.deps import ActorDep, RowId, UowDep, utc_now
from crossrisk.services import aid_records
from crossrisk.services import aid_resources as service
from crossrisk.services.aid_records import Family, Listed, R
from crossrisk.services.policy_tables import aid_resource_types
from crossrisk.store.uow import UnitOfWork

router = APIRouter(prefix="/api/aid", tags=["mutual aid"])

SHARING = ["region", "committee"]
# Codes are plain letters, digits, - and _; anything else names nothing and never reaches SQL.
CODE = r"^[A-Za-z0-9_-]+$"
RegionQuery = Annotated[str, Query(max_length=32, pattern=CODE, description="the region, e.g. yrd")]
JurisdictionQuery = Annotated[
    str | None,
    Query(max_length=12, pattern=CODE, description="only this member jurisdiction (341000)"),
]


def stale_after(request: Request) -> timedelta:
    """How long a record stays fresh unconfirmed (CROSSRISK_STALE_AFTER_DAYS)."""
    period: timedelta = request.app.state.settings.base_information_stale_after
    return period


class Kept(BaseModel):
    """What every base-information record says beside its own fields."""

    id: int
    region: str
    jurisdiction: str
    owner: str = Field(description="the organisation that keeps the record")
    sharing: str = Field(description="region (every member reads it) or committee")
    updated_at: datetime
    confirmed_at: datetime
    stale: bool = Field(description="not confirmed within the configured period")


def _kept(record: Team | Equipment | Shelter, stale: bool) -> dict[str, Any]:
    return {
        "id": record.id or 0,
        "region": record.region_code,
        "jurisdiction": record.jurisdiction_code,
        "owner": record.owner_code,
        "sharing": record.sharing.value,
        "updated_at": record.updated_at,
        "confirmed_at": record.confirmed_at,
        "stale": stale,
    }


def _listed(
    request: Request,
    actor: Actor,
    uow: UnitOfWork,
    family: Family[R],
    region: str,
    jurisdiction: str | None,
) -> list[Listed[R]]:
    """The family's records of the region (or one city) the caller may read, flagged stale."""
    return aid_records.list_records(
        uow,
        actor,
        family,
        region_code=region,
        jurisdiction_code=jurisdiction,
        stale_after=stale_after(request),
        now=utc_now(),
    )


def _one(
    request: Request, actor: Actor, uow: UnitOfWork, family: Family[R], record_id: int
) -> Listed[R]:
    """One record of the family, if the caller may read it, flagged stale or not."""
    return aid_records.get_record(
        uow, actor, family, record_id, stale_after=stale_after(request), now=utc_now()
    )


# ---- teams ----------------------------------------------------------------------------


class TeamOut(Kept):
    name: str
    kind: str
    type: int = Field(description="1 (most capable) to 4, as FEMA resource typing")
    headcount: int
    readiness_hours: float
    lon: float
    lat: float
    contact: str
    capabilities: dict[str, float]


class TeamIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    region: str = Field(max_length=32, pattern=CODE)
    jurisdiction: str = Field(max_length=12, pattern=CODE)
    name: str = Field(max_length=team_rules.NAME_MAX)
    kind: str = Field(max_length=64, description="a team kind of /api/aid/resource-types")
    type: int = Field(json_schema_extra={"minimum": 1, "maximum": 4})
    headcount: int
    readiness_hours: float = Field(description="hours from the call to leaving base")
    lon: float
    lat: float
    contact: str = Field(default="", max_length=team_rules.CONTACT_MAX)
    capabilities: dict[str, float] = Field(default_factory=dict, max_length=20)
    sharing: str = one_of(SHARING, default="region")


class TeamPatch(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: str | None = Field(default=None, max_length=team_rules.NAME_MAX)
    kind: str | None = Field(default=None, max_length=64)
    type: int | None = None
    headcount: int | None = None
    readiness_hours: float | None = None
    lon: float | None = None
    lat: float | None = None
    contact: str | None = Field(default=None, max_length=team_rules.CONTACT_MAX)
    capabilities: dict[str, float] | None = Field(default=None, max_length=20)
    sharing: str | None = one_of(SHARING, default=None)


def team_out(listed: Listed[Team]) -> TeamOut:
    team = listed.record
    return TeamOut(
        **_kept(team, listed.stale),
        name=team.name,
        kind=team.kind,
        type=team.type_level,
        headcount=team.headcount,
        readiness_hours=team.readiness_hours,
        lon=team.base.lon,
        lat=team.base.lat,
        contact=team.contact,
        capabilities=dict(team.capabilities),
    )


@router.get("/teams", response_model=list[TeamOut])
def list_teams(
    request: Request,
    actor: ActorDep,
    uow: UowDep,
    region: RegionQuery,
    jurisdiction: JurisdictionQuery = None,
) -> list[TeamOut]:
    """The region's response teams the caller may read, with their stale flag."""
    found = _listed(request, actor, uow, service.TEAMS, region, jurisdiction)
    return [team_out(listed) for listed in found]


@router.post("/teams", response_model=TeamOut, status_code=201)
def record_team(body: TeamIn, actor: ActorDep, uow: UowDep) -> TeamOut:
    """Record a team; a type whose minimum it does not meet is refused (team-type-not-met)."""
    draft = TeamDraft(
        jurisdiction_code=body.jurisdiction,
        name=body.name,
        kind=body.kind,
        type_level=body.type,
        headcount=body.headcount,
        readiness_hours=body.readiness_hours,
        base=check_location(body.lon, body.lat),
        contact=body.contact,
        capabilities=body.capabilities,
        sharing=body.sharing,  # type: ignore[arg-type]  # checked by the domain
    )
    team = service.record_team(uow, actor, draft, region_code=body.region, now=utc_now())
    return team_out(Listed(team, False))


@router.get("/teams/{team_id}", response_model=TeamOut)
def get_team(request: Request, team_id: RowId, actor: ActorDep, uow: UowDep) -> TeamOut:
    """One team, if the caller may read it."""
    return team_out(_one(request, actor, uow, service.TEAMS, team_id))


@router.patch("/teams/{team_id}", response_model=TeamOut)
def change_team(team_id: RowId, body: TeamPatch, actor: ActorDep, uow: UowDep) -> TeamOut:
    """Change some of a team's fields (null or absent: unchanged)."""
    changes = _changes(body, rename={"type": "type_level"})
    team = service.change_team(uow, actor, team_id, changes, now=utc_now())
    return team_out(Listed(team, False))


@router.post("/teams/{team_id}/confirmation", response_model=TeamOut)
def confirm_team(team_id: RowId, actor: ActorDep, uow: UowDep) -> TeamOut:
    """The keeper confirms the team's record unchanged; it is fresh again."""
    return team_out(Listed(service.confirm_team(uow, actor, team_id, now=utc_now()), False))


# ---- equipment ------------------------------------------------------------------------


class EquipmentOut(Kept):
    kind: str
    quantity: int
    capability: float = Field(description="per unit, in the kind's unit")
    unit: str
    total_capability: float
    site: str
    lon: float
    lat: float
    contact: str


class EquipmentIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    region: str = Field(max_length=32, pattern=CODE)
    jurisdiction: str = Field(max_length=12, pattern=CODE)
    kind: str = Field(max_length=64, description="an equipment kind of /api/aid/resource-types")
    quantity: int
    capability: float = Field(description="per unit, in the kind's unit")
    site: str = Field(max_length=equipment_rules.SITE_MAX)
    lon: float
    lat: float
    contact: str = Field(default="", max_length=equipment_rules.CONTACT_MAX)
    sharing: str = one_of(SHARING, default="region")


class EquipmentPatch(BaseModel):
    model_config = ConfigDict(extra="forbid")

    kind: str | None = Field(default=None, max_length=64)
    quantity: int | None = None
    capability: float | None = None
    site: str | None = Field(default=None, max_length=equipment_rules.SITE_MAX)
    lon: float | None = None
    lat: float | None = None
    contact: str | None = Field(default=None, max_length=equipment_rules.CONTACT_MAX)
    sharing: str | None = one_of(SHARING, default=None)


def equipment_out(listed: Listed[Equipment]) -> EquipmentOut:
    equipment = listed.record
    return EquipmentOut(
        **_kept(equipment, listed.stale),
        kind=equipment.kind,
        quantity=equipment.quantity,
        capability=equipment.capability,
        unit=aid_resource_types().equipment_kind(equipment.kind).unit,
        total_capability=equipment.total_capability,
        site=equipment.site,
        lon=equipment.location.lon,
        lat=equipment.location.lat,
        contact=equipment.contact,
    )


@router.get("/equipment", response_model=list[EquipmentOut])
def list_equipment(
    request: Request,
    actor: ActorDep,
    uow: UowDep,
    region: RegionQuery,
    jurisdiction: JurisdictionQuery = None,
) -> list[EquipmentOut]:
    """The region's equipment the caller may read, with the stale flag."""
    found = _listed(request, actor, uow, service.EQUIPMENT, region, jurisdiction)
    return [equipment_out(listed) for listed in found]


@router.post("/equipment", response_model=EquipmentOut, status_code=201)
def record_equipment(body: EquipmentIn, actor: ActorDep, uow: UowDep) -> EquipmentOut:
    """Record units of one kind of equipment kept at one site."""
    draft = EquipmentDraft(
        jurisdiction_code=body.jurisdiction,
        kind=body.kind,
        quantity=body.quantity,
        capability=body.capability,
        site=body.site,
        location=check_location(body.lon, body.lat),
        contact=body.contact,
        sharing=body.sharing,  # type: ignore[arg-type]  # checked by the domain
    )
    equipment = service.record_equipment(uow, actor, draft, region_code=body.region, now=utc_now())
    return equipment_out(Listed(equipment, False))


@router.get("/equipment/{equipment_id}", response_model=EquipmentOut)
def get_equipment(
    request: Request, equipment_id: RowId, actor: ActorDep, uow: UowDep
) -> EquipmentOut:
    """One equipment record, if the caller may read it."""
    return equipment_out(_one(request, actor, uow, service.EQUIPMENT, equipment_id))


@router.patch("/equipment/{equipment_id}", response_model=EquipmentOut)
def change_equipment(
    equipment_id: RowId, body: EquipmentPatch, actor: ActorDep, uow: UowDep
) -> EquipmentOut:
    """Change some fields of an equipment record (null or absent: unchanged)."""
    changed = service.change_equipment(uow, actor, equipment_id, _changes(body), now=utc_now())
    return equipment_out(Listed(changed, False))


@router.post("/equipment/{equipment_id}/confirmation", response_model=EquipmentOut)
def confirm_equipment(equipment_id: RowId, actor: ActorDep, uow: UowDep) -> EquipmentOut:
    """The keeper confirms the record unchanged."""
    confirmed = service.confirm_equipment(uow, actor, equipment_id, now=utc_now())
    return equipment_out(Listed(confirmed, False))


# ---- shelters -------------------------------------------------------------------------


class ShelterOut(Kept):
    name: str
    shelter_class: str = Field(description="a shelter class of /api/aid/resource-types")
    capacity: int = Field(description="people")
    available: int = Field(description="people it can still take")
    state: str = Field(description="open or closed")
    lon: float
    lat: float
    contact: str


class ShelterIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    region: str = Field(max_length=32, pattern=CODE)
    jurisdiction: str = Field(max_length=12, pattern=CODE)
    name: str = Field(max_length=shelter_rules.NAME_MAX)
    shelter_class: str = Field(max_length=64)
    capacity: int
    available: int
    lon: float
    lat: float
    contact: str = Field(default="", max_length=shelter_rules.CONTACT_MAX)
    state: str = one_of([s.value for s in ShelterState], default="closed")
    sharing: str = one_of(SHARING, default="region")


class ShelterPatch(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: str | None = Field(default=None, max_length=shelter_rules.NAME_MAX)
    shelter_class: str | None = Field(default=None, max_length=64)
    capacity: int | None = None
    available: int | None = None
    lon: float | None = None
    lat: float | None = None
    contact: str | None = Field(default=None, max_length=shelter_rules.CONTACT_MAX)
    sharing: str | None = one_of(SHARING, default=None)


class AvailabilityIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    available: int = Field(description="people the shelter can still take, 0 to capacity")


def shelter_out(listed: Listed[Shelter]) -> ShelterOut:
    shelter = listed.record
    return ShelterOut(
        **_kept(shelter, listed.stale),
        name=shelter.name,
        shelter_class=shelter.class_code,
        capacity=shelter.capacity,
        available=shelter.available,
        state=shelter.state.value,
        lon=shelter.location.lon,
        lat=shelter.location.lat,
        contact=shelter.contact,
    )


@router.get("/shelters", response_model=list[ShelterOut])
def list_shelters(
    request: Request,
    actor: ActorDep,
    uow: UowDep,
    region: RegionQuery,
    jurisdiction: JurisdictionQuery = None,
) -> list[ShelterOut]:
    """The region's shelters the caller may read, with the stale flag."""
    found = _listed(request, actor, uow, service.SHELTERS, region, jurisdiction)
    return [shelter_out(listed) for listed in found]


@router.post("/shelters", response_model=ShelterOut, status_code=201)
def record_shelter(body: ShelterIn, actor: ActorDep, uow: UowDep) -> ShelterOut:
    """Record a shelter; its available capacity may not exceed its capacity."""
    draft = ShelterDraft(
        jurisdiction_code=body.jurisdiction,
        name=body.name,
        class_code=body.shelter_class,
        capacity=body.capacity,
        available=body.available,
        location=check_location(body.lon, body.lat),
        contact=body.contact,
        sharing=body.sharing,  # type: ignore[arg-type]  # checked by the domain
    )
    state = ShelterState.OPEN if body.state == "open" else ShelterState.CLOSED
    shelter = service.record_shelter(
        uow, actor, draft, region_code=body.region, state=state, now=utc_now()
    )
    return shelter_out(Listed(shelter, False))


@router.get("/shelters/{shelter_id}", response_model=ShelterOut)
def get_shelter(request: Request, shelter_id: RowId, actor: ActorDep, uow: UowDep) -> ShelterOut:
    """One shelter, if the caller may read it."""
    return shelter_out(_one(request, actor, uow, service.SHELTERS, shelter_id))


@router.patch("/shelters/{shelter_id}", response_model=ShelterOut)
def change_shelter(
    shelter_id: RowId, body: ShelterPatch, actor: ActorDep, uow: UowDep
) -> ShelterOut:
    """Change some fields of a shelter (null or absent: unchanged)."""
    changes = _changes(body, rename={"shelter_class": "class_code"})
    return shelter_out(
        Listed(service.change_shelter(uow, actor, shelter_id, changes, now=utc_now()), False)
    )


@router.post("/shelters/{shelter_id}/opening", response_model=ShelterOut)
def open_shelter(shelter_id: RowId, actor: ActorDep, uow: UowDep) -> ShelterOut:
    """Open the shelter to people."""
    return shelter_out(Listed(service.open_shelter(uow, actor, shelter_id, now=utc_now()), False))


@router.post("/shelters/{shelter_id}/closing", response_model=ShelterOut)
def close_shelter(shelter_id: RowId, actor: ActorDep, uow: UowDep) -> ShelterOut:
    """Close the shelter."""
    return shelter_out(Listed(service.close_shelter(uow, actor, shelter_id, now=utc_now()), False))


@router.post("/shelters/{shelter_id}/availability", response_model=ShelterOut)
def set_available(
    shelter_id: RowId, body: AvailabilityIn, actor: ActorDep, uow: UowDep
) -> ShelterOut:
    """Say how many more people the shelter can take."""
    shelter = service.set_available(uow, actor, shelter_id, body.available, now=utc_now())
    return shelter_out(Listed(shelter, False))


@router.post("/shelters/{shelter_id}/confirmation", response_model=ShelterOut)
def confirm_shelter(shelter_id: RowId, actor: ActorDep, uow: UowDep) -> ShelterOut:
    """The keeper confirms the shelter's record unchanged."""
    return shelter_out(
        Listed(service.confirm_shelter(uow, actor, shelter_id, now=utc_now()), False)
    )


# ---- the typed lists ------------------------------------------------------------------


@router.get("/resource-types", response_model=ResourceTypesOut)
def resource_types(actor: ActorDep) -> ResourceTypesOut:
    """Team kinds with each type's minimum, equipment kinds, and shelter classes."""
    return resource_types_out(aid_resource_types())


def _changes(body: BaseModel, *, rename: dict[str, str] | None = None) -> dict[str, Any]:
    """The fields a PATCH body sets, under the domain's names (null means unchanged)."""
    names = rename or {}
    return {
        names.get(name, name): value
        for name, value in body.model_dump(exclude_unset=True).items()
        if value is not None
    }
