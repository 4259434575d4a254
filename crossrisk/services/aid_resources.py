"""Teams, equipment and shelters: recorded, changed and confirmed by the city that keeps
them (or the committee on its behalf), read as each record's sharing allows.

Every use case is one transaction with one journal entry ("team.recorded",
"shelter.opened"…). A listing carries each record's stale flag: a record not confirmed
within `stale_after` (settings.base_information_stale_after) still shows, flagged.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import Any, Generic, Protocol, TypeVar

from crossrisk.domain import permissions
from crossrisk.domain.aid import equipment as equipment_rules
from crossrisk.domain.aid import shelter as shelter_rules
from crossrisk.domain.aid import team as team_rules
from crossrisk.domain.aid.equipment import Equipment, EquipmentDraft
from crossrisk.domain.aid.resource_types import ResourceTypes
from crossrisk.domain.aid.sharing import Sharing, is_stale
from crossrisk.domain.aid.shelter import Shelter, ShelterDraft, ShelterState, check_available
from crossrisk.domain.aid.team import Team, TeamDraft
from crossrisk.domain.errors import InvalidInput, NotFound, NotPermitted
from crossrisk.domain.organisation import Actor
from crossrisk.services.policy_tables import aid_resource_types
from crossrisk.store.uow import Transaction, UnitOfWork


class BaseRecord(Protocol):
    @property
    def id(self) -> int | None: ...
    @property
    def region_code(self) -> str: ...
    @property
    def jurisdiction_code(self) -> str: ...
    @property
    def sharing(self) -> Sharing: ...
    @property
    def confirmed_at(self) -> datetime: ...


R = TypeVar("R", Team, Equipment, Shelter)


@dataclass(frozen=True, slots=True)
class Listed(Generic[R]):
    """A record as a reader sees it: the record and whether it is stale now."""

    record: R
    stale: bool


@dataclass(frozen=True, slots=True)
class Family(Generic[R]):
    """What differs between teams, equipment and shelters: the rest is one path for all."""

    kind: str  # "team": the journal's actions, subjects and refusal keys are named by it
    record_type: type[R]
    repository: Callable[[Transaction], Any]
    check: Callable[[Any, ResourceTypes], Any]  # a draft against the resource types
    changed: Callable[[R, Mapping[str, Any], ResourceTypes], Any]  # the record after changes
    payload: Callable[[R], dict[str, Any]]  # what the journal keeps of a record


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


# ---- one path for every family ---------------------------------------------------------


def add_record(
    tx: Transaction,
    actor: Actor,
    family: Family[R],
    draft: Any,
    *,
    region_code: str,
    now: datetime,
    **extra: Any,
) -> R:
    """Record a draft of the family inside a caller's transaction (a sheet import records
    many); refused if the actor does not keep the city or the draft does not meet its type."""
    _require_keep(tx, actor, region_code, draft.jurisdiction_code)
    checked = family.check(draft, aid_resource_types())
    record: R = family.repository(tx).add(
        family.record_type(
            id=None,
            region_code=region_code,
            owner_code=actor.organisation.code,
            updated_at=now,
            confirmed_at=now,
            **extra,
            **_fields(checked),
        )
    )
    _journal(tx, actor, family, "recorded", record, family.payload(record), now=now)
    return record


def amend_record(
    tx: Transaction,
    actor: Actor,
    family: Family[R],
    record_id: int,
    changes: Mapping[str, Any],
    *,
    now: datetime,
) -> R:
    """Change some of a record's fields inside a caller's transaction; its rules hold after."""
    record = _keepable(actor, family.repository(tx).get(record_id, for_update=True), family.kind)
    _require_changes(changes)
    checked = family.changed(record, changes, aid_resource_types())
    saved: R = family.repository(tx).save(
        replace(record, updated_at=now, confirmed_at=now, **_fields(checked, skip_place=True))
    )
    payload = {**family.payload(saved), "changed": sorted(changes)}
    _journal(tx, actor, family, "changed", saved, payload, now=now)
    return saved


def confirm_record(
    tx: Transaction, actor: Actor, record_id: int, *, kind: str, now: datetime
) -> Any:
    """Confirm a "team", "equipment" or "shelter" record inside a caller's transaction."""
    family = FAMILIES[kind]
    record = _keepable(actor, family.repository(tx).get(record_id, for_update=True), kind)
    saved = family.repository(tx).save(replace(record, confirmed_at=now))
    _journal(tx, actor, family, "confirmed", saved, family.payload(saved), now=now)
    return saved


def list_records(
    uow: UnitOfWork,
    actor: Actor,
    family: Family[R],
    *,
    region_code: str,
    jurisdiction_code: str | None = None,
    stale_after: timedelta,
    now: datetime,
) -> list[Listed[R]]:
    """The region's records of the family the actor may read, each with its stale flag."""
    only = None if jurisdiction_code is None else [jurisdiction_code]
    with uow.read_only() as tx:
        permissions.require_read_region(actor, region_code)
        rows: list[R] = family.repository(tx).of_region(region_code, jurisdiction_codes=only)
    return [Listed(row, _stale(row, stale_after, now)) for row in rows if _reads(actor, row)]


def get_record(
    uow: UnitOfWork,
    actor: Actor,
    family: Family[R],
    record_id: int,
    *,
    stale_after: timedelta,
    now: datetime,
) -> Listed[R]:
    with uow.read_only() as tx:
        record = _visible(actor, family.repository(tx).get(record_id), family.kind)
    return Listed(record, _stale(record, stale_after, now))


def _in_transaction(uow: UnitOfWork, change: Callable[[Transaction], R]) -> R:
    """One use case, one transaction: the change, then the commit."""
    with uow as tx:
        done = change(tx)
        tx.commit()
    return done


# ---- teams ----------------------------------------------------------------------------


def record_team(
    uow: UnitOfWork, actor: Actor, draft: TeamDraft, *, region_code: str, now: datetime
) -> Team:
    """Record a jurisdiction's response team, refused if it does not meet its type."""
    return _in_transaction(
        uow, lambda tx: add_team(tx, actor, draft, region_code=region_code, now=now)
    )


def add_team(
    tx: Transaction, actor: Actor, draft: TeamDraft, *, region_code: str, now: datetime
) -> Team:
    """`record_team` inside a caller's transaction (a sheet import records many)."""
    return add_record(tx, actor, TEAMS, draft, region_code=region_code, now=now)


def change_team(
    uow: UnitOfWork, actor: Actor, team_id: int, changes: Mapping[str, Any], *, now: datetime
) -> Team:
    """Change some of a team's fields; the type rule holds after the change too."""
    return _in_transaction(uow, lambda tx: amend_team(tx, actor, team_id, changes, now=now))


def amend_team(
    tx: Transaction, actor: Actor, team_id: int, changes: Mapping[str, Any], *, now: datetime
) -> Team:
    """`change_team` inside a caller's transaction."""
    return amend_record(tx, actor, TEAMS, team_id, changes, now=now)


def confirm_team(uow: UnitOfWork, actor: Actor, team_id: int, *, now: datetime) -> Team:
    """The keeper says the team's record is still true."""
    confirmed: Team = _confirm(uow, actor, team_id, kind="team", now=now)
    return confirmed


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
    return _in_transaction(
        uow, lambda tx: add_equipment(tx, actor, draft, region_code=region_code, now=now)
    )


def add_equipment(
    tx: Transaction, actor: Actor, draft: EquipmentDraft, *, region_code: str, now: datetime
) -> Equipment:
    """`record_equipment` inside a caller's transaction (a sheet import records many)."""
    return add_record(tx, actor, EQUIPMENT, draft, region_code=region_code, now=now)


def change_equipment(
    uow: UnitOfWork, actor: Actor, equipment_id: int, changes: Mapping[str, Any], *, now: datetime
) -> Equipment:
    """Change some fields of an equipment record."""
    return _in_transaction(
        uow, lambda tx: amend_equipment(tx, actor, equipment_id, changes, now=now)
    )


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
    confirmed: Equipment = _confirm(uow, actor, equipment_id, kind="equipment", now=now)
    return confirmed


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
    return _in_transaction(
        uow,
        lambda tx: add_shelter(tx, actor, draft, region_code=region_code, state=state, now=now),
    )


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
    return _in_transaction(uow, lambda tx: amend_shelter(tx, actor, shelter_id, changes, now=now))


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
        shelter = _keepable(actor, tx.shelters.get(shelter_id, for_update=True), "shelter")
        count = check_available(available, shelter.capacity)
        saved = tx.shelters.save(
            replace(shelter, available=count, updated_at=now, confirmed_at=now)
        )
        payload = {**shelter_payload(saved), "before": shelter.available}
        _journal(tx, actor, SHELTERS, "availability_set", saved, payload, now=now)
        tx.commit()
    return saved


def confirm_shelter(uow: UnitOfWork, actor: Actor, shelter_id: int, *, now: datetime) -> Shelter:
    """The keeper says the shelter's record is still true."""
    confirmed: Shelter = _confirm(uow, actor, shelter_id, kind="shelter", now=now)
    return confirmed


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
        shelter = _keepable(actor, tx.shelters.get(shelter_id, for_update=True), "shelter")
        turned = shelter.opened(now=now) if to is ShelterState.OPEN else shelter.closed(now=now)
        saved = tx.shelters.save(turned)
        happened = "opened" if to is ShelterState.OPEN else "closed"
        _journal(tx, actor, SHELTERS, happened, saved, shelter_payload(saved), now=now)
        tx.commit()
    return saved


# ---- shared ---------------------------------------------------------------------------


def _confirm(uow: UnitOfWork, actor: Actor, record_id: int, *, kind: str, now: datetime) -> Any:
    return _in_transaction(uow, lambda tx: confirm_record(tx, actor, record_id, kind=kind, now=now))


def _journal(
    tx: Transaction,
    actor: Actor,
    family: Family[R],
    happened: str,
    record: R,
    payload: Mapping[str, Any],
    *,
    now: datetime,
) -> None:
    """Journal "<kind>.<happened>" about the record, in its region."""
    tx.record(
        actor,
        f"{family.kind}.{happened}",
        subject=f"{family.kind}:{record.id}",
        payload=payload,
        region_code=record.region_code,
        now=now,
    )


def _require_keep(tx: Transaction, actor: Actor, region_code: str, jurisdiction_code: str) -> None:
    """Refuse unless the actor keeps the jurisdiction's records and it is a member."""
    if not permissions.can_keep_base_information(
        actor, region_code=region_code, jurisdiction_code=jurisdiction_code
    ):
        raise NotPermitted(
            f"{actor.organisation.code} may not keep the records of {jurisdiction_code[:12]}",
            key="base-information-not-yours",
            params={"jurisdiction": jurisdiction_code[:12]},
        )
    if jurisdiction_code not in {j.code for j in tx.regions.members(region_code)}:
        raise InvalidInput(
            f"{jurisdiction_code[:12]} is not a member of region {region_code[:32]}",
            key="not-a-member",
            params={"jurisdiction": jurisdiction_code[:12], "region": region_code[:32]},
        )


def _require_changes(changes: Mapping[str, Any]) -> None:
    # A change that names nothing would journal a change that did not happen.
    if not changes:
        raise InvalidInput("the change names nothing to change", key="record-unchanged")


def _visible(actor: Actor, record: R, kind: str) -> R:
    """The record if the actor may read it; otherwise it does not exist for them."""
    if not _reads(actor, record):
        raise NotFound(f"no {kind} {record.id}", key=f"{kind}-not-found", params={"id": record.id})
    return record


def _keepable(actor: Actor, record: R, kind: str) -> R:
    """The record if the actor may change it; a reader learns why not, others nothing."""
    _visible(actor, record, kind)
    if not permissions.can_keep_base_information(
        actor, region_code=record.region_code, jurisdiction_code=record.jurisdiction_code
    ):
        raise NotPermitted(
            f"{actor.organisation.code} may not keep the records of {record.jurisdiction_code}",
            key="base-information-not-yours",
            params={"jurisdiction": record.jurisdiction_code},
        )
    return record


def _reads(actor: Actor, record: BaseRecord) -> bool:
    return permissions.can_read_base_record(
        actor,
        region_code=record.region_code,
        jurisdiction_code=record.jurisdiction_code,
        shared_region_wide=record.sharing is Sharing.REGION,
    )


def _stale(record: BaseRecord, stale_after: timedelta, now: datetime) -> bool:
    return is_stale(record.confirmed_at, now=now, period=stale_after)


def _fields(draft: Any, *, skip_place: bool = False) -> dict[str, Any]:
    """A checked draft's fields as keyword arguments of its record."""
    names = [name for name in draft.__slots__ if not (skip_place and name == "jurisdiction_code")]
    return {name: getattr(draft, name) for name in names}
