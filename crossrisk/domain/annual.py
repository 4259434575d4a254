"""The committee's annual plan and cooperation items (年度计划与合作事项, DESIGN §3.1).

An item is a piece of standing work for one year: an owner organisation, a due day, a
status, and what it serves (an agreement or a contingency plan). The committee sets,
edits, defers and cancels items; the owner's officers mark progress and completion. Each
item is backed by a duty so reminders and "my duties" treat it like any other; the
services keep the two in step. "Late" is not stored: an open item past its due day shows
late, as a duty does.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import date, datetime
from enum import StrEnum
from typing import TypeVar

from crossrisk.domain.errors import InvalidInput, InvalidTransition
from crossrisk.domain.moments import end_of_day
from crossrisk.domain.risk import check_text

YEAR_MIN = 2000
YEAR_MAX = 2100
TITLE_MAX = 200
DESCRIPTION_MAX = 4000
REASON_MAX = 500
ID_MAX = 2**63 - 1

E = TypeVar("E", bound=StrEnum)


class ItemKind(StrEnum):
    PLAN = "plan"  # 年度计划
    COOPERATION = "cooperation"  # 合作事项


class ItemStatus(StrEnum):
    """What is stored."""

    PLANNED = "planned"
    IN_PROGRESS = "in_progress"
    DONE = "done"
    DEFERRED = "deferred"  # to a later due day, with a reason; still owed
    CANCELLED = "cancelled"  # with a reason; owed no more


class ShownItemStatus(StrEnum):
    """What pages, the API and the counts say, read against the clock."""

    PLANNED = "planned"
    IN_PROGRESS = "in_progress"
    DEFERRED = "deferred"
    LATE = "late"  # still owed past its due day
    DONE = "done"
    DONE_LATE = "done_late"
    CANCELLED = "cancelled"


class ServesKind(StrEnum):
    """What an item serves: a standing agreement or a contingency plan of the committee."""

    AGREEMENT = "agreement"
    PLAN = "plan"


OWED = frozenset({ItemStatus.PLANNED, ItemStatus.IN_PROGRESS, ItemStatus.DEFERRED})
# Who may move an item where: the owner reports progress and completion, the committee
# also defers and cancels. Done and cancelled are final.
NEXT = {
    ItemStatus.PLANNED: frozenset(
        {ItemStatus.IN_PROGRESS, ItemStatus.DONE, ItemStatus.DEFERRED, ItemStatus.CANCELLED}
    ),
    ItemStatus.IN_PROGRESS: frozenset({ItemStatus.DONE, ItemStatus.DEFERRED, ItemStatus.CANCELLED}),
    ItemStatus.DEFERRED: frozenset(
        {ItemStatus.IN_PROGRESS, ItemStatus.DONE, ItemStatus.DEFERRED, ItemStatus.CANCELLED}
    ),
    ItemStatus.DONE: frozenset[ItemStatus](),
    ItemStatus.CANCELLED: frozenset[ItemStatus](),
}
OWNER_STEPS = frozenset({ItemStatus.IN_PROGRESS, ItemStatus.DONE})


@dataclass(frozen=True, slots=True)
class ItemDraft:
    """What the committee types to set or edit an item, checked by `check_draft`."""

    year: int
    kind: ItemKind
    title: str
    owner_code: str
    due: date
    title_en: str | None = None
    description: str = ""
    serves_kind: ServesKind | None = None
    serves_id: int | None = None


@dataclass(frozen=True, slots=True)
class AnnualItem:
    """One stored item of a region's year."""

    id: int | None
    region_code: str
    year: int
    kind: ItemKind
    title: str
    title_en: str | None
    description: str
    owner_code: str
    due: date
    first_due: date  # the due day it was set with, so a deferral shows how far it moved
    status: ItemStatus
    serves_kind: ServesKind | None
    serves_id: int | None
    created_by: str
    created_at: datetime
    updated_at: datetime
    reason: str | None = None  # why it was last deferred or cancelled
    done_at: datetime | None = None
    done_by: str | None = None
    duty_id: int | None = None

    @property
    def deadline(self) -> datetime:
        """The end of the due day in Beijing time, in UTC: the duty's deadline."""
        return end_of_day(self.due)

    @property
    def owed(self) -> bool:
        return self.status in OWED

    @property
    def serves_link(self) -> str | None:
        """The page of what the item serves, or None."""
        if self.serves_kind is None or self.serves_id is None:
            return None
        folder = "agreements" if self.serves_kind is ServesKind.AGREEMENT else "plans"
        return f"/committee/{folder}/{self.serves_id}"

    def shown(self, now: datetime) -> ShownItemStatus:
        """The status as read now: an owed item past its due day is late."""
        if self.owed:
            if now > self.deadline:
                return ShownItemStatus.LATE
            return ShownItemStatus(self.status.value)
        if self.status is ItemStatus.DONE:
            assert self.done_at is not None
            return (
                ShownItemStatus.DONE_LATE if self.done_at > self.deadline else ShownItemStatus.DONE
            )
        return ShownItemStatus.CANCELLED

    def edited(self, draft: ItemDraft, *, now: datetime) -> AnnualItem:
        """The item with the committee's edit applied; only while it is owed."""
        self._require_owed("edited")
        if draft.year != self.year:
            raise InvalidInput(
                "an item stays in its year; cancel it and set a new one instead",
                key="annual-year-fixed",
                params={"year": self.year},
            )
        return replace(
            self,
            kind=draft.kind,
            title=draft.title,
            title_en=draft.title_en,
            description=draft.description,
            owner_code=draft.owner_code,
            due=draft.due,
            serves_kind=draft.serves_kind,
            serves_id=draft.serves_id,
            updated_at=now,
        )

    def moved_to(
        self,
        status: ItemStatus,
        *,
        by: str,
        now: datetime,
        reason: str = "",
        new_due: date | None = None,
    ) -> AnnualItem:
        """The item in its next status; refused when the step is not allowed from here."""
        if status not in NEXT[self.status]:
            raise InvalidTransition(
                f"item {self.id} is {self.status} and cannot become {status}",
                key="annual-status-step",
                params={"item": self.id or 0, "status": self.status.value, "to": status.value},
            )
        changed = replace(self, status=status, updated_at=now)
        if status is ItemStatus.DONE:
            return replace(changed, done_at=now, done_by=by)
        if status is ItemStatus.CANCELLED:
            return replace(changed, reason=check_text("reason", reason, limit=REASON_MAX))
        if status is ItemStatus.DEFERRED:
            if new_due is None or new_due <= self.due:
                raise InvalidInput(
                    "a deferred item needs a due day later than its present one",
                    key="annual-defer-earlier",
                    params={"due": self.due.isoformat()},
                )
            # A year's item runs into the next year at most, or it is next year's item.
            if new_due.year > self.year + 1:
                raise InvalidInput(
                    f"an item of {self.year} can be deferred to {self.year + 1} at the latest",
                    key="annual-defer-too-far",
                    params={"year": self.year, "latest": self.year + 1},
                )
            return replace(
                changed, due=new_due, reason=check_text("reason", reason, limit=REASON_MAX)
            )
        return changed

    def _require_owed(self, becoming: str) -> None:
        if not self.owed:
            raise InvalidTransition(
                f"item {self.id} is {self.status} and cannot be {becoming}",
                key="annual-item-closed",
                params={"item": self.id or 0, "status": self.status.value},
            )


def check_draft(
    *,
    year: int,
    kind: str,
    title: str,
    owner_code: str,
    due: date,
    title_en: str | None = None,
    description: str = "",
    serves_kind: str | None = None,
    serves_id: int | None = None,
) -> ItemDraft:
    """A draft with its texts trimmed and bounded, its year, due day and kind checked."""
    checked_year = check_year(year)
    if due.year != checked_year:
        raise InvalidInput(
            f"the due day {due.isoformat()} lies outside {checked_year}",
            key="annual-due-outside-year",
            params={"due": due.isoformat(), "year": checked_year},
        )
    owner = check_text("owner", owner_code, limit=64)
    english = check_text("title_en", title_en or "", limit=TITLE_MAX, required=False)
    serves = _serves(serves_kind, serves_id)
    return ItemDraft(
        year=checked_year,
        kind=_choice(ItemKind, kind, "kind", "annual-kind-unknown"),
        title=check_text("title", title, limit=TITLE_MAX),
        title_en=english or None,
        description=check_text("description", description, limit=DESCRIPTION_MAX, required=False),
        owner_code=owner,
        due=due,
        serves_kind=serves[0],
        serves_id=serves[1],
    )


def check_year(year: int) -> int:
    """A plan year, refused outside 2000–2100."""
    if not YEAR_MIN <= year <= YEAR_MAX:
        raise InvalidInput(
            f"the year must lie within {YEAR_MIN}–{YEAR_MAX}, not {year}",
            key="annual-year-out-of-range",
            params={"year": year, "min": YEAR_MIN, "max": YEAR_MAX},
        )
    return year


def check_status(value: str) -> ItemStatus:
    """A status typed by a person or a client, refused by name when unknown."""
    return _choice(ItemStatus, value, "status", "annual-status-unknown")


def _serves(kind: str | None, serves_id: int | None) -> tuple[ServesKind | None, int | None]:
    """What the item serves: both a kind and a positive id, or neither."""
    if not kind:
        if serves_id is not None:
            raise InvalidInput(
                "say whether the item serves an agreement or a plan",
                key="annual-serves-kind-unknown",
                params={"kind": ""},
            )
        return None, None
    chosen = _choice(ServesKind, kind, "serves_kind", "annual-serves-kind-unknown")
    if serves_id is None or not 0 < serves_id <= ID_MAX:
        raise InvalidInput(
            f"an item that serves a {chosen} names it by a positive number",
            key="annual-serves-id-invalid",
            params={"kind": chosen.value},
        )
    return chosen, serves_id


def _choice(enum: type[E], value: str, field: str, key: str) -> E:
    try:
        return enum(value)
    except ValueError:
        shown = "".join(c for c in str(value) if c.isprintable())[:40]
        raise InvalidInput(
            f"{field} {shown!r} is not one of {', '.join(e.value for e in enum)}",
            key=key,
            params={"kind": shown},
        ) from None


@dataclass(frozen=True, slots=True)
class YearCounts:
    """The year view's counts of items, by what they show now."""

    done_on_time: int
    done_late: int
    late: int
    open: int
    deferred: int
    cancelled: int

    @property
    def total(self) -> int:
        return (
            self.done_on_time
            + self.done_late
            + self.late
            + self.open
            + self.deferred
            + self.cancelled
        )


def year_counts(items: Iterable[AnnualItem], *, now: datetime) -> YearCounts:
    """How many items of the year are done (on time or late), late, open, deferred, cancelled."""
    shown = Counter(item.shown(now) for item in items)
    return YearCounts(
        done_on_time=shown[ShownItemStatus.DONE],
        done_late=shown[ShownItemStatus.DONE_LATE],
        late=shown[ShownItemStatus.LATE],
        open=shown[ShownItemStatus.PLANNED] + shown[ShownItemStatus.IN_PROGRESS],
        deferred=shown[ShownItemStatus.DEFERRED],
        cancelled=shown[ShownItemStatus.CANCELLED],
    )


def quarter_of(item: AnnualItem) -> int:
    """The quarter (1–4) of the item's year it falls due in; 5 for a deferral into next year."""
    if item.due.year > item.year:
        return 5
    return (item.due.month - 1) // 3 + 1
