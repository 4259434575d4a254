"""One path for teams, equipment and shelters: each family of records is recorded,
changed, confirmed, listed and read the same way, driven by its `Family` description.

Every use case is one transaction with one journal entry ("<kind>.recorded",
"<kind>.changed", "<kind>.confirmed"); a listing carries each record's stale flag.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import Any, Generic, Protocol, TypeVar

from crossrisk.domain.aid.equipment import Equipment
from crossrisk.domain.aid.resource_types import ResourceTypes
from crossrisk.domain.aid.sharing import Sharing, is_stale
from crossrisk.domain.aid.shelter import Shelter
from crossrisk.domain.aid.team import Team
from crossrisk.domain.errors import InvalidInput, NotFound, NotPermitted
from crossrisk.domain.organisation import Actor
from crossrisk.domain.permissions.aid import can_keep_base_information, can_read_base_record
from crossrisk.domain.permissions.regions import require_read_region
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
    journal(tx, actor, family, "recorded", record, family.payload(record), now=now)
    return record


def record_new(
    uow: UnitOfWork,
    actor: Actor,
    family: Family[R],
    draft: Any,
    *,
    region_code: str,
    now: datetime,
    **extra: Any,
) -> R:
    """`add_record` as a use case of its own: one transaction, committed."""
    return _in_transaction(
        uow,
        lambda tx: add_record(tx, actor, family, draft, region_code=region_code, now=now, **extra),
    )


def change(
    uow: UnitOfWork,
    actor: Actor,
    family: Family[R],
    record_id: int,
    changes: Mapping[str, Any],
    *,
    now: datetime,
) -> R:
    """`amend_record` as a use case of its own: one transaction, committed."""
    return _in_transaction(
        uow, lambda tx: amend_record(tx, actor, family, record_id, changes, now=now)
    )


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
    record = keepable(actor, family.repository(tx).get(record_id, for_update=True), family.kind)
    _require_changes(changes)
    checked = family.changed(record, changes, aid_resource_types())
    saved: R = family.repository(tx).save(
        replace(record, updated_at=now, confirmed_at=now, **_fields(checked, skip_place=True))
    )
    payload = {**family.payload(saved), "changed": sorted(changes)}
    journal(tx, actor, family, "changed", saved, payload, now=now)
    return saved


def confirm_in(
    tx: Transaction, actor: Actor, family: Family[R], record_id: int, *, now: datetime
) -> R:
    """Confirm a record of the family inside a caller's transaction."""
    record = keepable(actor, family.repository(tx).get(record_id, for_update=True), family.kind)
    saved: R = family.repository(tx).save(replace(record, confirmed_at=now))
    journal(tx, actor, family, "confirmed", saved, family.payload(saved), now=now)
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
        require_read_region(actor, region_code)
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


def _in_transaction(uow: UnitOfWork, work: Callable[[Transaction], R]) -> R:
    """One use case, one transaction: the work, then the commit."""
    with uow as tx:
        done = work(tx)
        tx.commit()
    return done


# ---- shared ----------------------------------------------------------------------------


def confirm(
    uow: UnitOfWork, actor: Actor, family: Family[R], record_id: int, *, now: datetime
) -> R:
    """The keeper says the record is still true: it is no longer stale."""
    return _in_transaction(uow, lambda tx: confirm_in(tx, actor, family, record_id, now=now))


def journal(
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
    if not can_keep_base_information(
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


def keepable(actor: Actor, record: R, kind: str) -> R:
    """The record if the actor may change it; a reader learns why not, others nothing."""
    _visible(actor, record, kind)
    if not can_keep_base_information(
        actor, region_code=record.region_code, jurisdiction_code=record.jurisdiction_code
    ):
        raise NotPermitted(
            f"{actor.organisation.code} may not keep the records of {record.jurisdiction_code}",
            key="base-information-not-yours",
            params={"jurisdiction": record.jurisdiction_code},
        )
    return record


def _reads(actor: Actor, record: BaseRecord) -> bool:
    return can_read_base_record(
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
