"""Finding risks in the register: a search, its filters, its order and where a page starts.

Pages are cut by keyset (the sort key and the id of the last risk shown), never by offset,
so a risk registered while someone pages through the list neither repeats a row nor hides
one. The position travels as an opaque cursor: base64 of a small JSON object.
"""

from __future__ import annotations

import base64
import binascii
import json
import re
from dataclasses import dataclass
from datetime import UTC, date, datetime
from enum import StrEnum
from typing import TypeVar

from crossrisk.domain.errors import InvalidInput
from crossrisk.domain.moments import calendar_day, day_after, day_start
from crossrisk.domain.risk import EventLevel, RiskCategory, RiskStatus

SEARCH_MAX = 100
PAGE_DEFAULT = 50
PAGE_MAX = 200
# An export reads the whole filtered register up to this many risks; past it, the file
# says it was cut, and the officer narrows the filters.
EXPORT_MAX = 5000
CURSOR_MAX = 300
CODE_MAX = 12
_CODE = re.compile(r"^[0-9]{6,12}$")
E = TypeVar("E", bound=StrEnum)


class RiskSort(StrEnum):
    """The orders the register offers; each breaks ties by the newer id first."""

    UPDATED = "updated"  # last change, newest first
    CREATED = "created"  # registration, newest first
    LEVEL = "level"  # most severe first (I before IV), then the newest change


@dataclass(frozen=True, slots=True)
class Cursor:
    """Where the next page starts: after the risk with this sort key and id."""

    sort: RiskSort
    key: str  # an ISO time for the time orders; for level, "<level>|<ISO time>"
    risk_id: int

    def encode(self) -> str:
        """The opaque form that goes into a link or an API answer."""
        raw = json.dumps({"s": self.sort.value, "k": self.key, "i": self.risk_id})
        return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")

    @classmethod
    def decode(cls, value: str, *, sort: RiskSort) -> Cursor:
        """Read a cursor given back by a client, refusing anything this module did not make."""
        try:
            if len(value) > CURSOR_MAX:
                raise ValueError("too long")
            padded = value + "=" * (-len(value) % 4)
            data = json.loads(base64.urlsafe_b64decode(padded.encode("ascii")))
            if not isinstance(data, dict) or set(data) != {"s", "k", "i"}:
                raise ValueError("not a cursor")
            key, risk_id = data["k"], data["i"]
            if not isinstance(key, str) or type(risk_id) is not int or risk_id < 0:
                raise ValueError("not a cursor")
            cursor = cls(sort=RiskSort(data["s"]), key=key, risk_id=risk_id)
            cursor.moment()  # the key must parse for its order
        except (ValueError, UnicodeError, binascii.Error, json.JSONDecodeError):
            raise InvalidInput(
                "the cursor is malformed; start again from the first page",
                key="cursor-malformed",
            ) from None
        if cursor.sort is not sort:
            raise InvalidInput(
                f"the cursor belongs to the order {cursor.sort.value!r}, not {sort.value!r}",
                key="cursor-malformed",
            )
        return cursor

    def moment(self) -> datetime:
        """The time part of the key."""
        text = self.key.split("|", 1)[1] if self.sort is RiskSort.LEVEL else self.key
        if self.sort is RiskSort.LEVEL:
            EventLevel(self.key.split("|", 1)[0])
        moment = datetime.fromisoformat(text)
        if moment.tzinfo is None:
            raise ValueError("naive time")
        return moment

    def level(self) -> EventLevel:
        """The level part of a level order's key."""
        return EventLevel(self.key.split("|", 1)[0])


@dataclass(frozen=True, slots=True)
class RiskQuery:
    """A search of the register: every filter given must hold."""

    text: str = ""
    level: EventLevel | None = None
    status: RiskStatus | None = None
    category: RiskCategory | None = None
    origin_code: str | None = None
    affected_code: str | None = None
    registered_from: date | None = None
    registered_to: date | None = None  # inclusive
    sort: RiskSort = RiskSort.UPDATED
    limit: int = PAGE_DEFAULT
    after: Cursor | None = None

    @property
    def since(self) -> datetime | None:
        """The first instant of `registered_from`, Beijing time, in UTC."""
        return day_start(self.registered_from)

    @property
    def before(self) -> datetime | None:
        """The first instant after `registered_to`, Beijing time, in UTC."""
        return day_after(self.registered_to)

    def filtered(self) -> bool:
        """True when anything narrows the register."""
        return any(
            (
                self.text,
                self.level,
                self.status,
                self.category,
                self.origin_code,
                self.affected_code,
                self.registered_from,
                self.registered_to,
            )
        )


def cursor_after(sort: RiskSort, *, level: EventLevel, moment: datetime, risk_id: int) -> Cursor:
    """The cursor of the page that follows a risk with these values."""
    iso = moment.astimezone(UTC).isoformat()
    key = f"{level.value}|{iso}" if sort is RiskSort.LEVEL else iso
    return Cursor(sort=sort, key=key, risk_id=risk_id)


def parse_query(
    *,
    text: str = "",
    level: str = "",
    status: str = "",
    category: str = "",
    origin: str = "",
    affected: str = "",
    registered_from: str = "",
    registered_to: str = "",
    sort: str = "",
    limit: str | int = "",
    cursor: str = "",
    limit_max: int = PAGE_MAX,
) -> RiskQuery:
    """Read a search as a form or a query string gives it; blanks mean "any"."""
    text = " ".join(text.split())
    if len(text) > SEARCH_MAX:
        raise InvalidInput(
            f"the search text is {len(text)} characters long; the limit is {SEARCH_MAX}",
            key="search-too-long",
            params={"length": len(text), "limit": SEARCH_MAX},
        )
    chosen_sort = _choice(RiskSort, sort, "sort") or RiskSort.UPDATED
    start, end = calendar_day(registered_from, "from"), calendar_day(registered_to, "to")
    if start is not None and end is not None and end < start:
        raise InvalidInput(
            f"the period ends ({end}) before it starts ({start})", key="period-reversed"
        )
    return RiskQuery(
        text=text,
        level=_choice(EventLevel, level, "level"),
        status=_choice(RiskStatus, status, "status"),
        category=_choice(RiskCategory, category, "category"),
        origin_code=_code(origin, "origin"),
        affected_code=_code(affected, "affected"),
        registered_from=start,
        registered_to=end,
        sort=chosen_sort,
        limit=_limit(limit, limit_max),
        after=Cursor.decode(cursor, sort=chosen_sort) if cursor else None,
    )


def _choice(kind: type[E], value: str, name: str) -> E | None:
    if not value:
        return None
    try:
        return kind(value)
    except ValueError:
        known = ", ".join(member.value for member in kind)
        raise InvalidInput(
            f"unknown {name} {value[:40]!r}; known: {known}",
            key="filter-value-unknown",
            params={"name": name},
        ) from None


def _code(value: str, name: str) -> str | None:
    if not value:
        return None
    if not _CODE.match(value):
        raise InvalidInput(
            f"{name} must be a jurisdiction code of 6 to {CODE_MAX} digits",
            key="filter-value-unknown",
            params={"name": name},
        )
    return value


def _limit(value: str | int, limit_max: int) -> int:
    if value == "":
        return min(PAGE_DEFAULT, limit_max)
    try:
        number = int(value)
    except ValueError:
        number = 0
    if not 1 <= number <= limit_max:
        raise InvalidInput(
            f"limit must be a whole number from 1 to {limit_max}",
            key="limit-out-of-range",
            params={"limit": limit_max},
        )
    return number
