"""Finding entries in the journal: by subject, organisation, action and time, newest first.

Pages go back in sequence numbers, which are gapless and only grow: "entries before seq N"
is the same answer however many entries are appended meanwhile.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime

from crossrisk.domain.errors import InvalidInput
from crossrisk.domain.moments import calendar_day, day_after, day_start

PAGE_DEFAULT = 50
PAGE_MAX = 200
EXPORT_MAX = 10000
# Subjects are "<kind>:<id>", organisations codes, actions "<collection>.<verb>".
_SUBJECT = re.compile(r"^[a-z][a-z0-9-]{0,30}:[A-Za-z0-9_.:-]{0,120}$")
_ORGANISATION = re.compile(r"^[A-Za-z0-9_.-]{1,64}$")
_ACTION = re.compile(r"^[a-z][a-z0-9_]{0,30}\.?[a-z0-9_.]{0,32}$")
_SEQ_MAX = 2**62


@dataclass(frozen=True, slots=True)
class JournalQuery:
    """A search of the journal: every filter given must hold.

    A subject or action ending in ":" or "." matches every one it begins ("risk:",
    "warning."); otherwise it must be equal.
    """

    subject: str = ""
    organisation: str = ""
    action: str = ""
    since: date | None = None
    until: date | None = None  # inclusive
    limit: int = PAGE_DEFAULT
    before_seq: int | None = None

    @property
    def start(self) -> datetime | None:
        """The first instant of `since`, Beijing time, in UTC."""
        return day_start(self.since)

    @property
    def end(self) -> datetime | None:
        """The first instant after `until`, Beijing time, in UTC."""
        return day_after(self.until)

    def filtered(self) -> bool:
        """True when anything narrows the journal."""
        return any((self.subject, self.organisation, self.action, self.since, self.until))


def parse_journal_query(
    *,
    subject: str = "",
    organisation: str = "",
    action: str = "",
    since: str = "",
    until: str = "",
    limit: str | int = "",
    before: str | int = "",
    limit_max: int = PAGE_MAX,
) -> JournalQuery:
    """Read a journal search as a form or query string gives it; blanks mean "any"."""
    subject, organisation, action = subject.strip(), organisation.strip(), action.strip()
    for name, value, pattern in (
        ("subject", subject, _SUBJECT),
        ("organisation", organisation, _ORGANISATION),
        ("action", action, _ACTION),
    ):
        if value and not pattern.match(value):
            raise InvalidInput(
                f"{name} {value[:40]!r} is not a journal {name}",
                key="filter-value-unknown",
                params={"name": name},
            )
    start, end = calendar_day(since, "since"), calendar_day(until, "until")
    if start is not None and end is not None and end < start:
        raise InvalidInput(
            f"the period ends ({end}) before it starts ({start})", key="period-reversed"
        )
    return JournalQuery(
        subject=subject,
        organisation=organisation,
        action=action,
        since=start,
        until=end,
        limit=_number(limit, low=1, high=limit_max, default=min(PAGE_DEFAULT, limit_max)),
        before_seq=_before(before),
    )


def _number(value: str | int, *, low: int, high: int, default: int) -> int:
    if value == "":
        return default
    try:
        number = int(value)
    except ValueError:
        number = low - 1
    if not low <= number <= high:
        raise InvalidInput(
            f"limit must be a whole number from {low} to {high}",
            key="limit-out-of-range",
            params={"limit": high},
        )
    return number


def _before(value: str | int) -> int | None:
    if value == "":
        return None
    text = str(value)
    if not text.isdigit() or len(text) > 19 or not 1 <= int(text) <= _SEQ_MAX:
        raise InvalidInput(
            "the cursor is malformed; start again from the first page", key="cursor-malformed"
        )
    return int(text)
