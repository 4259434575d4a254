"""The committee's annual plan and cooperation items, each kept in step with its duty.

Every item is backed by a duty of kind `item` (no risk, task `item-<id>`, source
`annual:<id>`), so the worker reminds its owner and it stands on the owner's "My duties".
Each use case changes the item and its duty in one transaction: done completes the duty,
a deferral reschedules it, a cancellation cancels it, an edit of the owner moves it. The
owner marking the duty done (`duties.acknowledge_duty`) makes the item done through
`annual_follow.follow_duty_done`.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime

from crossrisk.domain.annual import (
    OWNER_STEPS,
    AnnualItem,
    ItemDraft,
    ItemStatus,
    ServesKind,
    check_status,
    check_year,
)
from crossrisk.domain.duty import DutyRecord, DutyStatus
from crossrisk.domain.errors import InvalidInput, NotFound, NotPermitted
from crossrisk.domain.organisation import Actor
from crossrisk.domain.permissions.regions import (
    can_coordinate,
    can_read_region,
    require_coordinate,
    require_read_region,
)
from crossrisk.domain.permissions.warnings import can_acknowledge
from crossrisk.domain.responsibility import DutyKind, PartyRole
from crossrisk.services import duties
from crossrisk.services.annual_follow import SOURCE_PREFIX, facts, record, record_status
from crossrisk.services.region_bodies import region_bodies
from crossrisk.store.uow import Transaction, UnitOfWork


@dataclass(frozen=True, slots=True)
class StatusChange:
    """What a person asks of an item's status: the step, and for some a reason or a day."""

    status: str
    reason: str = ""
    new_due: date | None = None


def items_of_year(uow: UnitOfWork, actor: Actor, region_code: str, year: int) -> list[AnnualItem]:
    """A region's items of one year, by due day: what the year view and the export show."""
    check_year(year)
    with uow.read_only() as tx:
        tx.regions.get(region_code)
        require_read_region(actor, region_code)
        return tx.annual_items.of_year(region_code, year)


def get_item(uow: UnitOfWork, actor: Actor, item_id: int) -> AnnualItem:
    """One item, for whoever reads its region."""
    with uow.read_only() as tx:
        item = tx.annual_items.get(item_id)
        _require_read(actor, item)
        return item


def add_item(
    uow: UnitOfWork, actor: Actor, region_code: str, draft: ItemDraft, *, now: datetime
) -> AnnualItem:
    """The committee sets an item of its region's year; its owner gets a duty for it."""
    with uow as tx:
        tx.regions.get(region_code)
        require_read_region(actor, region_code)
        require_coordinate(actor, region_code)
        _check_owner(tx, region_code, draft.owner_code)
        _check_serves(tx, region_code, draft.serves_kind, draft.serves_id)
        added = tx.annual_items.add(
            AnnualItem(
                id=None,
                region_code=region_code,
                year=draft.year,
                kind=draft.kind,
                title=draft.title,
                title_en=draft.title_en,
                description=draft.description,
                owner_code=draft.owner_code,
                due=draft.due,
                first_due=draft.due,
                status=ItemStatus.PLANNED,
                serves_kind=draft.serves_kind,
                serves_id=draft.serves_id,
                created_by=actor.username,
                created_at=now,
                updated_at=now,
            )
        )
        item = tx.annual_items.save(replace(added, duty_id=_assign_duty(tx, actor, added, now)))
        record(tx, actor, "annual_item.added", item, now=now)
        tx.commit()
    return item


def edit_item(
    uow: UnitOfWork, actor: Actor, item_id: int, draft: ItemDraft, *, now: datetime
) -> AnnualItem:
    """The committee changes an owed item; its duty follows the owner, title and due day."""
    with uow as tx:
        current = tx.annual_items.get(item_id, for_update=True)
        _require_read(actor, current)
        require_coordinate(actor, current.region_code)
        _check_owner(tx, current.region_code, draft.owner_code)
        _check_serves(tx, current.region_code, draft.serves_kind, draft.serves_id)
        edited = current.edited(draft, now=now)
        if edited.owner_code != current.owner_code:
            _cancel_duty(tx, actor, current, reason="the item has another owner", now=now)
            edited = replace(edited, duty_id=_assign_duty(tx, actor, edited, now))
        else:
            _move_duty(tx, actor, edited, now=now)
        item = tx.annual_items.save(edited)
        record(tx, actor, "annual_item.edited", item, now=now, extra={"from": facts(current)})
        tx.commit()
    return item


def change_status(
    uow: UnitOfWork, actor: Actor, item_id: int, change: StatusChange, *, now: datetime
) -> AnnualItem:
    """Move an item on: its owner marks progress or done; the committee also defers, cancels."""
    status = check_status(change.status)
    with uow as tx:
        current = tx.annual_items.get(item_id, for_update=True)
        _require_read(actor, current)
        _require_step(actor, current, status)
        item = tx.annual_items.save(
            current.moved_to(
                status, by=actor.username, reason=change.reason, new_due=change.new_due, now=now
            )
        )
        _duty_follows(tx, actor, item, now=now)
        record_status(tx, actor, item, current, now=now)
        tx.commit()
    return item


def _check_serves(
    tx: Transaction, region_code: str, kind: ServesKind | None, serves_id: int | None
) -> None:
    """What the item serves is an agreement version or a stored plan of the item's region.

    The draft has checked the kind and a positive id (domain.annual.check_draft).
    """
    if kind is None or serves_id is None:
        return
    found: str | None
    if kind is ServesKind.AGREEMENT:
        try:
            found = tx.agreements.get(serves_id).region_code
        except NotFound:
            found = None
    else:
        plan = tx.plans.get(serves_id)
        found = None if plan is None else plan.region_code
    if found != region_code:
        raise InvalidInput(
            f"the {kind.value} {serves_id} is not one of region {region_code}",
            key="annual-serves-not-found",
            params={"kind": kind.value, "id": serves_id, "region": region_code},
        )


def _check_owner(tx: Transaction, region_code: str, owner_code: str) -> None:
    """The owner is a member's bureau or a body of the region (its committee or an office)."""
    bodies = region_bodies(tx, region_code)
    owners = {
        bodies.coordination_body,
        *bodies.domain_offices.values(),
        *bodies.jurisdiction_organisations.values(),
    }
    if owner_code not in owners:
        raise InvalidInput(
            f"{owner_code} is not an organisation of region {region_code}",
            key="annual-owner-not-in-region",
            params={"organisation": owner_code[:64], "region": region_code},
        )


def _require_read(actor: Actor, item: AnnualItem) -> None:
    if not can_read_region(actor, item.region_code):
        # Another region's item is not named to a reader who cannot see it.
        raise NotFound(
            f"no annual item {item.id}", key="annual-item-not-found", params={"item": item.id}
        )


def _require_step(actor: Actor, item: AnnualItem, status: ItemStatus) -> None:
    if can_coordinate(actor, item.region_code):
        return
    if status in OWNER_STEPS and can_acknowledge(actor, item.owner_code):
        return
    raise NotPermitted(
        f"{actor.organisation.code} may not mark item {item.id} {status}",
        key="annual-step-not-permitted",
        params={"item": item.id, "status": status.value},
    )


def _assign_duty(tx: Transaction, actor: Actor, item: AnnualItem, now: datetime) -> int:
    """The duty that reminds the owner of the item; its id."""
    assert item.id is not None
    jurisdiction = tx.organisations.get(item.owner_code).jurisdiction_code
    duty = duties.assign(
        tx,
        actor,
        DutyRecord(
            id=None,
            risk_id=None,
            region_code=item.region_code,
            kind=DutyKind.ITEM,
            role=PartyRole.COORDINATE if jurisdiction is None else PartyRole.ASSIST,
            organisation_code=item.owner_code,
            jurisdiction_code=jurisdiction,
            deadline=item.deadline,
            status=DutyStatus.OPEN,
            assigned_at=now,
            task=f"item-{item.id}",
            title=item.title,
            title_en=item.title_en,
            source=f"{SOURCE_PREFIX}{item.id}",
        ),
        now=now,
    )
    assert duty.id is not None
    return duty.id


def _open_duty(tx: Transaction, item: AnnualItem) -> DutyRecord | None:
    if item.duty_id is None:
        return None
    duty = tx.duties.get(item.duty_id, for_update=True)
    return duty if duty.status is DutyStatus.OPEN else None


def _move_duty(tx: Transaction, actor: Actor, item: AnnualItem, *, now: datetime) -> None:
    """The open duty takes the item's deadline and title, and is reminded again."""
    duty = _open_duty(tx, item)
    if duty is None:
        return
    if (duty.deadline, duty.title, duty.title_en) == (item.deadline, item.title, item.title_en):
        return
    moved = tx.duties.save(
        replace(
            duty, deadline=item.deadline, title=item.title, title_en=item.title_en, reminded_at=None
        )
    )
    duties.record(
        tx, actor, "duty.rescheduled", moved, now=now, extra={"from": duty.deadline.isoformat()}
    )


def _cancel_duty(
    tx: Transaction, actor: Actor, item: AnnualItem, *, reason: str, now: datetime
) -> None:
    duty = _open_duty(tx, item)
    if duty is not None:
        duties.cancel(tx, actor, duty, reason=reason, now=now)


def _duty_follows(tx: Transaction, actor: Actor, item: AnnualItem, *, now: datetime) -> None:
    """The item's duty after a status change: done, rescheduled or cancelled with it."""
    if item.status is ItemStatus.DONE:
        duty = _open_duty(tx, item)
        if duty is not None:
            duties.complete_duty(tx, actor, duty, via="annual_item.status_changed", now=now)
    elif item.status is ItemStatus.DEFERRED:
        _move_duty(tx, actor, item, now=now)
    elif item.status is ItemStatus.CANCELLED:
        _cancel_duty(tx, actor, item, reason=item.reason or "", now=now)
