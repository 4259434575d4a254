"""An annual item's journal entries, and the item following its duty marked done.

Kept apart from the use cases (services/annual.py), which assign and move the item's
duty through services/duties.py: the duty's own acknowledgement calls back here, and
this module needs nothing of duties, so neither imports the other in a circle.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from crossrisk.domain.annual import AnnualItem, ItemStatus
from crossrisk.domain.duty import DutyRecord
from crossrisk.domain.organisation import Actor
from crossrisk.store.uow import Transaction

SOURCE_PREFIX = "annual:"  # a duty's source: "annual:<item id>"


def follow_duty_done(tx: Transaction, actor: Actor, duty: DutyRecord, *, now: datetime) -> None:
    """The owner marked the item's duty done: the item is done too (in the open tx)."""
    item = tx.annual_items.of_duty(duty.id or 0, for_update=True)
    if item is None or not item.owed:
        return
    done = tx.annual_items.save(item.moved_to(ItemStatus.DONE, by=actor.username, now=now))
    record_status(tx, actor, done, item, now=now, extra={"via": "duty.acknowledged"})


def facts(item: AnnualItem) -> dict[str, Any]:
    """What an item says in the journal besides its id, region, year and status."""
    return {
        "kind": item.kind.value,
        "title": item.title,
        "title_en": item.title_en,
        "owner": item.owner_code,
        "due": item.due.isoformat(),
        "serves_kind": None if item.serves_kind is None else item.serves_kind.value,
        "serves_id": item.serves_id,
    }


def record_status(
    tx: Transaction,
    actor: Actor,
    item: AnnualItem,
    before: AnnualItem,
    *,
    now: datetime,
    extra: dict[str, Any] | None = None,
) -> None:
    """Journal a step of the item's status, from which status and why."""
    record(
        tx,
        actor,
        "annual_item.status_changed",
        item,
        now=now,
        extra={"from": before.status.value, "reason": item.reason, **(extra or {})},
    )


def record(
    tx: Transaction,
    actor: Actor,
    action: str,
    item: AnnualItem,
    *,
    now: datetime,
    extra: dict[str, Any] | None = None,
) -> None:
    """Journal an item's change; the live event carries the same facts."""
    tx.record(
        actor,
        action,
        subject=f"annual_item:{item.id}",
        payload={
            "item": item.id,
            "region": item.region_code,
            "year": item.year,
            "status": item.status.value,
            "duty": item.duty_id,
            **facts(item),
            **(extra or {}),
        },
        region_code=item.region_code,
        now=now,
    )
