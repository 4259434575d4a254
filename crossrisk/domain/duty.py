"""Duties: the lines of a responsibility list as tracked obligations (DESIGN §2, §3.7).

Each duty has one deadline and a status. The action that fulfils it (a city's
acknowledgement of its warning, the lead's report, the committee's confirmation, an
office's or the central office's own acknowledgement) marks it done; the committee may
waive it with a reason; a re-analysis that drops its party cancels it. "Late" is not
stored: an open duty past its deadline shows late, and a done one keeps both times so
"done late" can be read from them.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from enum import StrEnum

from crossrisk.domain.errors import Conflict
from crossrisk.domain.responsibility import DutyKind, PartyRole
from crossrisk.domain.risk import check_text

REASON_MAX = 500
NOTE_MAX = 2000


class DutyStatus(StrEnum):
    """What is stored."""

    OPEN = "open"
    DONE = "done"
    WAIVED = "waived"  # by the committee, with a reason
    CANCELLED = "cancelled"  # the responsibility list no longer has it (reach, closing)


class ShownStatus(StrEnum):
    """What pages, the API and filters say, read against the clock."""

    OPEN = "open"
    LATE = "late"  # open past its deadline
    DONE = "done"
    DONE_LATE = "done_late"
    WAIVED = "waived"
    CANCELLED = "cancelled"


# The kinds whose fulfilling action is the party's own acknowledgement of the duty: a
# domain office confirms it follows the risk, the central office that it took command,
# and the owner of a plan's task, a meeting's action item or an annual item marks it done.
SELF_ACKNOWLEDGED = frozenset(
    {DutyKind.FOLLOW_UP, DutyKind.TAKE_COMMAND, DutyKind.TASK, DutyKind.ACTION, DutyKind.ITEM}
)
TITLED = frozenset({DutyKind.TASK, DutyKind.ACTION, DutyKind.ITEM})
# Lines people decided (a meeting's action item, an annual item), never drawn by an
# analysis: a re-analysis or the risk's closing leaves them to their owner and the committee.
DECIDED = frozenset({DutyKind.ACTION, DutyKind.ITEM})
TASK_MAX = 64
TITLE_MAX = 500
SOURCE_MAX = 64


@dataclass(frozen=True, slots=True)
class DutyRecord:
    """One stored duty of one risk."""

    id: int | None
    risk_id: int | None  # None: standing work of the committee, not tied to a risk
    region_code: str
    kind: DutyKind
    role: PartyRole
    organisation_code: str
    jurisdiction_code: str | None
    deadline: datetime
    status: DutyStatus
    assigned_at: datetime
    done_at: datetime | None = None
    done_by: str | None = None
    done_via: str | None = None  # the journal action that fulfilled it
    reason: str | None = None  # why it was waived or cancelled
    reminded_at: datetime | None = None
    # Lines beyond the five built-in kinds name themselves: `task` tells one line of its
    # source from another (unique per risk, kind and organisation), `title` says what is
    # owed, and `source` what drew it ("plan:3@2", "meeting:7", "annual:12"; "" for none).
    task: str = ""
    title: str | None = None
    title_en: str | None = None
    source: str = ""

    def shown(self, now: datetime) -> ShownStatus:
        """The status as read now: open duties past their deadline are late."""
        if self.status is DutyStatus.OPEN:
            return ShownStatus.LATE if now > self.deadline else ShownStatus.OPEN
        if self.status is DutyStatus.DONE:
            assert self.done_at is not None
            return ShownStatus.DONE_LATE if self.done_at > self.deadline else ShownStatus.DONE
        return ShownStatus(self.status.value)

    def complete(self, *, by: str, via: str, now: datetime) -> DutyRecord:
        """The duty done by the action `via`; refused unless it is open."""
        self._require_open("done")
        return replace(self, status=DutyStatus.DONE, done_at=now, done_by=by, done_via=via)

    def waive(self, *, by: str, reason: str, now: datetime) -> DutyRecord:
        """The committee releases the party from the duty."""
        reason = check_text("reason", reason, limit=REASON_MAX)
        self._require_open("waived")
        return replace(
            self,
            status=DutyStatus.WAIVED,
            done_at=now,
            done_by=by,
            done_via="duty.waived",
            reason=reason,
        )

    def minutes_late(self) -> float:
        """How late it was done, in minutes; 0 when on time or not done."""
        if self.done_at is None:
            return 0.0
        return max(0.0, (self.done_at - self.deadline).total_seconds() / 60.0)

    def _require_open(self, becoming: str) -> None:
        if self.status is not DutyStatus.OPEN:
            raise Conflict(
                f"duty {self.id} is {self.status} and cannot be {becoming}",
                key="duty-not-open",
                params={"duty": self.id or 0, "status": self.status.value},
            )


def source_of(duty: DutyRecord) -> tuple[str, int] | None:
    """What drew a duty, as its kind and number ("review", 3), ("meeting", 7), ("annual",
    12) or ("plan", 3); None when it names none."""
    kind, _, rest = duty.source.partition(":")
    number = rest.split("@", 1)[0]
    if not kind or not number.isascii() or not number.isdigit():
        return None
    return kind, int(number)


# Work that runs for weeks or months after a response (a review's corrective action, a
# meeting's decision, an annual plan item) is reminded days ahead and again while overdue;
# a response duty, due in minutes or hours, once before its deadline.
FOLLOW_UP_KINDS = frozenset({DutyKind.ACTION, DutyKind.ITEM})


@dataclass(frozen=True, slots=True)
class ReminderPolicy:
    """When open duties are reminded (deadlines.toml, [duty_reminders])."""

    minutes_before: int  # a response duty: this long before its deadline
    follow_up_days_before: int  # follow-up work: this many days before its deadline
    follow_up_every: timedelta  # and, from its deadline on, again at most this often


def next_reminder(duty: DutyRecord, policy: ReminderPolicy) -> datetime | None:
    """When an open duty is next reminded, or None when it has had its only reminder.

    The first reminder comes its lead time before the deadline, but not before half the time
    from assignment to deadline has passed. Follow-up work is reminded again when it falls
    due and then while it stays open, never twice within `follow_up_every`.
    """
    half_way = duty.assigned_at + (duty.deadline - duty.assigned_at) / 2
    follow_up = duty.kind in FOLLOW_UP_KINDS
    if duty.reminded_at is None:
        lead = (
            timedelta(days=policy.follow_up_days_before)
            if follow_up
            else timedelta(minutes=policy.minutes_before)
        )
        return max(duty.deadline - lead, half_way)
    if follow_up:
        return max(duty.reminded_at + policy.follow_up_every, duty.deadline)
    return None


def next_deadline(current: DutyRecord, drafted: datetime, *, warned: datetime | None) -> datetime:
    """An open duty's deadline after a re-analysis.

    An affected city's duty is due when its live warning must be acknowledged (one value,
    see responsibility.acknowledgement_deadline); any other duty keeps the earlier of its
    deadline and the new draft's, so a raised level brings it forward and a re-analysis
    never postpones it.
    """
    if current.kind is DutyKind.PREPARE_AND_ACKNOWLEDGE and warned is not None:
        return warned
    return min(current.deadline, drafted)


def check_note(note: str, *, name: str = "note", limit: int = NOTE_MAX) -> str:
    """A free text of a report or an acknowledgement, trimmed, bounded, may be empty."""
    return check_text(name, note, limit=limit, required=False)


def check_titled(duty: DutyRecord) -> DutyRecord:
    """A duty beyond the built-in kinds, checked: it names its line and says what is owed."""
    if duty.kind not in TITLED:
        return duty
    task = check_text("task", duty.task, limit=TASK_MAX)
    title = check_text("title", duty.title or "", limit=TITLE_MAX)
    title_en = check_text("title_en", duty.title_en or "", limit=TITLE_MAX, required=False)
    source = check_text("source", duty.source, limit=SOURCE_MAX, required=False)
    return replace(duty, task=task, title=title, title_en=title_en or None, source=source)
