"""Teams, equipment and shelters: recorded, changed and confirmed by the city that keeps
them (or the committee on its behalf), read as each record's sharing allows.

Every use case is one transaction with one journal entry ("team.recorded",
"shelter.opened"…). A listing carries each record's stale flag: a record not confirmed
within `stale_after` (settings.base_information_stale_after) still shows, flagged.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from datetime import datetime, timedelta
from typing import Any

from crossrisk.domain.aid import equipment as equipment_rules
from crossrisk.domain.aid import shelter as shelter_rules
from crossrisk.domain.aid import team as team_rules
from crossrisk.domain.aid.equipment import Equipment, EquipmentDraft
from crossrisk.domain.aid.shelter import Shelter, ShelterDraft, ShelterState, check_available
from crossrisk.domain.aid.team import Team, TeamDraft
from crossrisk.domain.organisation import Actor
from crossrisk.services.aid_records import (
    Family,
    Listed,
    add_record,
    amend_record,
    change,
    confirm,
    confirm_in,
    get_record,
    journal,
    keepable,
    list_records,
    record_new,
)
from crossrisk.store.uow import Transaction, UnitOfWork

# ---- journal payloads ------------------------------------------------------------------


def team_payload(team: Team) -> dict[str, Any]:
    return {
        "team_id": team.id,
        "jurisdiction_code": team.jurisdiction_code,
        "name": team.name,
        "kind": team.kind,
        "type": team.type_level,
        "headcount": team.headcount,
        "readiness_hours": team.readiness_hours,
        "lon": team.base.lon,
        "lat": team.base.lat,
        "capabilities": dict(team.capabilities),
        "sharing": team.sharing.value,
    }


def equipment_payload(equipment: Equipment) -> dict[str, Any]:
    return {
        "equipment_id": equipment.id,
        "jurisdiction_code": equipment.jurisdiction_code,
        "kind": equipment.kind,
        "quantity": equipment.quantity,
        "capability": equipment.capability,
        "site": equipment.site,
        "lon": equipment.location.lon,
        "lat": equipment.location.lat,
        "sharing": equipment.sharing.value,
    }


def shelter_payload(shelter: Shelter) -> dict[str, Any]:
    return {
        "shelter_id": shelter.id,
        "jurisdiction_code": shelter.jurisdiction_code,
        "name": shelter.name,
        "class": shelter.class_code,
        "capacity": shelter.capacity,
        "available": shelter.available,
        "state": shelter.state.value,
        "lon": shelter.location.lon,
        "lat": shelter.location.lat,
        "sharing": shelter.sharing.value,
    }


TEAMS: Family[Team] = Family(
    "team", Team, lambda tx: tx.teams, team_rules.check_team, team_rules.changed, team_payload
)
EQUIPMENT: Family[Equipment] = Family(
    "equipment",
    Equipment,
    lambda tx: tx.equipment,
    equipment_rules.check_equipment,
    equipment_rules.changed,
    equipment_payload,
)
SHELTERS: Family[Shelter] = Family(
    "shelter",
    Shelter,
    lambda tx: tx.shelters,
    shelter_rules.check_shelter,
    shelter_rules.changed,
    shelter_payload,
)
FAMILIES: dict[str, Family[Any]] = {f.kind: f for f in (TEAMS, EQUIPMENT, SHELTERS)}


def confirm_record(
    tx: Transaction, actor: Actor, record_id: int, *, kind: str, now: datetime
) -> Any:
    """Confirm a "team", "equipment" or "shelter" record inside a caller's transaction."""
    return confirm_in(tx, actor, FAMILIES[kind], record_id, now=now)


# ---- teams ----------------------------------------------------------------------------


def record_team(
    uow: UnitOfWork, actor: Actor, draft: TeamDraft, *, region_code: str, now: datetime
) -> Team:
    """Record a jurisdiction's response team, refused if it does not meet its type."""
    return record_new(uow, actor, TEAMS, draft, region_code=region_code, now=now)


def add_team(
    tx: Transaction, actor: Actor, draft: TeamDraft, *, region_code: str, now: datetime
) -> Team:
    """`record_team` inside a caller's transaction (a sheet import records many)."""
    return add_record(tx, actor, TEAMS, draft, region_code=region_code, now=now)


def change_team(
    uow: UnitOfWork, actor: Actor, team_id: int, changes: Mapping[str, Any], *, now: datetime
) -> Team:
    """Change some of a team's fields; the type rule holds after the change too."""
    return change(uow, actor, TEAMS, team_id, changes, now=now)


def amend_team(
    tx: Transaction, actor: Actor, team_id: int, changes: Mapping[str, Any], *, now: datetime
) -> Team:
    """`change_team` inside a caller's transaction."""
    return amend_record(tx, actor, TEAMS, team_id, changes, now=now)


def confirm_team(uow: UnitOfWork, actor: Actor, team_id: int, *, now: datetime) -> Team:
    """The keeper says the team's record is still true."""
    return confirm(uow, actor, TEAMS, team_id, now=now)


def list_teams(
    uow: UnitOfWork,
    actor: Actor,
    *,
    region_code: str,
    jurisdiction_code: str | None = None,
    stale_after: timedelta,
    now: datetime,
) -> list[Listed[Team]]:
    """The region's teams the actor may read, each with its stale flag."""
    return list_records(
        uow,
        actor,
        TEAMS,
        region_code=region_code,
        jurisdiction_code=jurisdiction_code,
        stale_after=stale_after,
        now=now,
    )


def get_team(
    uow: UnitOfWork, actor: Actor, team_id: int, *, stale_after: timedelta, now: datetime
) -> Listed[Team]:
    return get_record(uow, actor, TEAMS, team_id, stale_after=stale_after, now=now)


# ---- equipment ------------------------------------------------------------------------


def record_equipment(
    uow: UnitOfWork, actor: Actor, draft: EquipmentDraft, *, region_code: str, now: datetime
) -> Equipment:
    """Record units of a kind of equipment a jurisdiction keeps at one site."""
    return record_new(uow, actor, EQUIPMENT, draft, region_code=region_code, now=now)


def add_equipment(
    tx: Transaction, actor: Actor, draft: EquipmentDraft, *, region_code: str, now: datetime
) -> Equipment:
    """`record_equipment` inside a caller's transaction (a sheet import records many)."""
    return add_record(tx, actor, EQUIPMENT, draft, region_code=region_code, now=now)


def change_equipment(
    uow: UnitOfWork, actor: Actor, equipment_id: int, changes: Mapping[str, Any], *, now: datetime
) -> Equipment:
    """Change some fields of an equipment record."""
    return change(uow, actor, EQUIPMENT, equipment_id, changes, now=now)


def amend_equipment(
    tx: Transaction,
    actor: Actor,
    equipment_id: int,
    changes: Mapping[str, Any],
    *,
    now: datetime,
) -> Equipment:
    """`change_equipment` inside a caller's transaction."""
    return amend_record(tx, actor, EQUIPMENT, equipment_id, changes, now=now)


def confirm_equipment(
    uow: UnitOfWork, actor: Actor, equipment_id: int, *, now: datetime
) -> Equipment:
    """The keeper says the equipment record is still true."""
    return confirm(uow, actor, EQUIPMENT, equipment_id, now=now)


def list_equipment(
    uow: UnitOfWork,
    actor: Actor,
    *,
    region_code: str,
    jurisdiction_code: str | None = None,
    stale_after: timedelta,
    now: datetime,
) -> list[Listed[Equipment]]:
    """The region's equipment the actor may read, each with its stale flag."""
    return list_records(
        uow,
        actor,
        EQUIPMENT,
        region_code=region_code,
        jurisdiction_code=jurisdiction_code,
        stale_after=stale_after,
        now=now,
    )


def get_equipment(
    uow: UnitOfWork, actor: Actor, equipment_id: int, *, stale_after: timedelta, now: datetime
) -> Listed[Equipment]:
    return get_record(uow, actor, EQUIPMENT, equipment_id, stale_after=stale_after, now=now)


# ---- shelters -------------------------------------------------------------------------


def record_shelter(
    uow: UnitOfWork,
    actor: Actor,
    draft: ShelterDraft,
    *,
    region_code: str,
    state: ShelterState = ShelterState.CLOSED,
    now: datetime,
) -> Shelter:
    """Record a jurisdiction's shelter (closed unless said open)."""
    return record_new(uow, actor, SHELTERS, draft, region_code=region_code, now=now, state=state)


def add_shelter(
    tx: Transaction,
    actor: Actor,
    draft: ShelterDraft,
    *,
    region_code: str,
    state: ShelterState = ShelterState.CLOSED,
    now: datetime,
) -> Shelter:
    """`record_shelter` inside a caller's transaction (a sheet import records many)."""
    return add_record(tx, actor, SHELTERS, draft, region_code=region_code, now=now, state=state)


def change_shelter(
    uow: UnitOfWork, actor: Actor, shelter_id: int, changes: Mapping[str, Any], *, now: datetime
) -> Shelter:
    """Change some fields of a shelter; available capacity stays within the capacity."""
    return change(uow, actor, SHELTERS, shelter_id, changes, now=now)


def amend_shelter(
    tx: Transaction, actor: Actor, shelter_id: int, changes: Mapping[str, Any], *, now: datetime
) -> Shelter:
    """`change_shelter` inside a caller's transaction."""
    return amend_record(tx, actor, SHELTERS, shelter_id, changes, now=now)


def open_shelter(uow: UnitOfWork, actor: Actor, shelter_id: int, *, now: datetime) -> Shelter:
    """Open a shelter to people."""
    return _turn(uow, actor, shelter_id, to=ShelterState.OPEN, now=now)


def close_shelter(uow: UnitOfWork, actor: Actor, shelter_id: int, *, now: datetime) -> Shelter:
    """Close a shelter."""
    return _turn(uow, actor, shelter_id, to=ShelterState.CLOSED, now=now)


def set_available(
    uow: UnitOfWork, actor: Actor, shelter_id: int, available: int, *, now: datetime
) -> Shelter:
    """Say how many more people the shelter can take (0 to its capacity)."""
    with uow as tx:
        shelter = keepable(actor, tx.shelters.get(shelter_id, for_update=True), "shelter")
        count = check_available(available, shelter.capacity)
        saved = tx.shelters.save(
            replace(shelter, available=count, updated_at=now, confirmed_at=now)
        )
        payload = {**shelter_payload(saved), "before": shelter.available}
        journal(tx, actor, SHELTERS, "availability_set", saved, payload, now=now)
        tx.commit()
    return saved


def confirm_shelter(uow: UnitOfWork, actor: Actor, shelter_id: int, *, now: datetime) -> Shelter:
    """The keeper says the shelter's record is still true."""
    return confirm(uow, actor, SHELTERS, shelter_id, now=now)


def list_shelters(
    uow: UnitOfWork,
    actor: Actor,
    *,
    region_code: str,
    jurisdiction_code: str | None = None,
    stale_after: timedelta,
    now: datetime,
) -> list[Listed[Shelter]]:
    """The region's shelters the actor may read, each with its stale flag."""
    return list_records(
        uow,
        actor,
        SHELTERS,
        region_code=region_code,
        jurisdiction_code=jurisdiction_code,
        stale_after=stale_after,
        now=now,
    )


def get_shelter(
    uow: UnitOfWork, actor: Actor, shelter_id: int, *, stale_after: timedelta, now: datetime
) -> Listed[Shelter]:
    return get_record(uow, actor, SHELTERS, shelter_id, stale_after=stale_after, now=now)


def _turn(
    uow: UnitOfWork, actor: Actor, shelter_id: int, *, to: ShelterState, now: datetime
) -> Shelter:
    with uow as tx:
        shelter = keepable(actor, tx.shelters.get(shelter_id, for_update=True), "shelter")
        turned = shelter.opened(now=now) if to is ShelterState.OPEN else shelter.closed(now=now)
        saved = tx.shelters.save(turned)
        happened = "opened" if to is ShelterState.OPEN else "closed"
        journal(tx, actor, SHELTERS, happened, saved, shelter_payload(saved), now=now)
        tx.commit()
    return saved
