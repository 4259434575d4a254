"""Coordination meetings (跨域协调会议): convened, held or cancelled; decisions become duties.

The coordination body convenes a meeting for a risk (its "convene" duty done) or as a
regular one: a time, a place or a video link, an agenda and the organisations invited.
After it, the committee records who attended and the minutes (the meeting is then held),
and each decision of the minutes becomes an action item: a duty of its owner organisation,
due by a date, tracked to done like any other duty (DESIGN §2, §3.1).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from enum import StrEnum
from urllib.parse import urlsplit

from crossrisk.domain.duty import TITLE_MAX as DUTY_TITLE_MAX
from crossrisk.domain.errors import Conflict, InvalidInput
from crossrisk.domain.moments import in_utc
from crossrisk.domain.organisation import OrganisationKind
from crossrisk.domain.responsibility import PartyRole
from crossrisk.domain.risk import check_text

TITLE_MAX = 200
PLACE_MAX = 200
VIDEO_URL_MAX = 500
AGENDA_MAX = 30  # items
AGENDA_ITEM_MAX = 300
INVITED_MAX = 100  # organisations
ATTENDEES_MAX = 500
MINUTES_MAX = 20_000
# A decision is its action item's title: the duty's bound is its bound.
DECISION_MAX = DUTY_TITLE_MAX
DECISIONS_MAX = 100  # per meeting
REASON_MAX = 500
# A meeting is convened for the coming years, or recorded after the fact within one.
CONVENED_AHEAD = timedelta(days=2 * 366)
RECORDED_AFTER = timedelta(days=366)
LONGEST = timedelta(days=7)
# An action item falls due after the meeting starts and within three years of it.
DUE_WITHIN = timedelta(days=3 * 366)


class MeetingState(StrEnum):
    SCHEDULED = "scheduled"
    HELD = "held"  # its minutes are recorded
    CANCELLED = "cancelled"  # with a reason


class Attendance(StrEnum):
    PRESENT = "present"
    ABSENT = "absent"
    EXCUSED = "excused"


@dataclass(frozen=True, slots=True)
class Invitation:
    """One invited organisation and, once recorded, whether and by whom it attended."""

    organisation_code: str
    attendance: Attendance | None = None
    attendees: str = ""  # who attended for it


@dataclass(frozen=True, slots=True)
class Decision:
    """One decision of the minutes; its action item is the duty `duty_id`."""

    number: int
    text: str
    owner_code: str
    due_at: datetime
    recorded_at: datetime
    recorded_by: str
    duty_id: int | None = None


@dataclass(frozen=True, slots=True)
class MeetingDraft:
    """What the convener typed, before it is checked."""

    region_code: str
    title: str
    starts_at: datetime
    agenda: tuple[str, ...]
    invited: tuple[str, ...]
    risk_id: int | None = None
    ends_at: datetime | None = None
    place: str = ""
    video_url: str = ""


@dataclass(frozen=True, slots=True)
class Meeting:
    """A stored meeting with its invitations and decisions."""

    id: int | None
    region_code: str
    risk_id: int | None
    title: str
    starts_at: datetime
    ends_at: datetime | None
    place: str
    video_url: str
    agenda: tuple[str, ...]
    invitations: tuple[Invitation, ...]
    state: MeetingState
    convened_at: datetime
    convened_by: str
    minutes: str = ""
    minutes_at: datetime | None = None
    minutes_by: str | None = None
    cancel_reason: str | None = None
    cancelled_at: datetime | None = None
    cancelled_by: str | None = None
    decisions: tuple[Decision, ...] = ()

    @property
    def invited_codes(self) -> tuple[str, ...]:
        return tuple(i.organisation_code for i in self.invitations)

    def upcoming(self, now: datetime) -> bool:
        """True while it is scheduled and has not ended (or started, without an end)."""
        return self.state is MeetingState.SCHEDULED and (self.ends_at or self.starts_at) >= now

    def with_attendance(self, entries: dict[str, tuple[Attendance, str]]) -> Meeting:
        """The invitations with attendance recorded for the organisations named."""
        self._require_not_cancelled()
        unknown = sorted(set(entries) - set(self.invited_codes))
        if unknown:
            raise InvalidInput(
                f"{unknown[0]} was not invited to meeting {self.id}",
                key="meeting-not-invited",
                params={"organisation": unknown[0][:64]},
            )
        invitations = []
        for invitation in self.invitations:
            entry = entries.get(invitation.organisation_code)
            if entry is not None:
                attendance, attendees = entry
                attendees = check_text("attendees", attendees, limit=ATTENDEES_MAX, required=False)
                invitation = replace(invitation, attendance=attendance, attendees=attendees)
            invitations.append(invitation)
        return replace(self, invitations=tuple(invitations))

    def with_minutes(self, text: str, *, by: str, now: datetime) -> Meeting:
        """The minutes recorded (or amended): the meeting is held."""
        self._require_not_cancelled()
        text = check_text("minutes", text, limit=MINUTES_MAX)
        return replace(self, minutes=text, minutes_at=now, minutes_by=by, state=MeetingState.HELD)

    def cancelled(self, reason: str, *, by: str, now: datetime) -> Meeting:
        """Called off before it was held, with the reason."""
        reason = check_text("reason", reason, limit=REASON_MAX)
        if self.state is not MeetingState.SCHEDULED:
            raise Conflict(
                f"meeting {self.id} is {self.state} and cannot be cancelled",
                key="meeting-not-scheduled",
                params={"meeting": self.id or 0, "state": self.state.value},
            )
        return replace(
            self,
            state=MeetingState.CANCELLED,
            cancel_reason=reason,
            cancelled_at=now,
            cancelled_by=by,
        )

    def decision(
        self, text: str, *, owner_code: str, due_at: datetime, by: str, now: datetime
    ) -> Decision:
        """The next decision of the minutes, checked; refused before the meeting is held."""
        if self.state is not MeetingState.HELD:
            raise Conflict(
                f"meeting {self.id} is {self.state}: record its minutes before its decisions",
                key="meeting-not-held",
                params={"meeting": self.id or 0, "state": self.state.value},
            )
        if len(self.decisions) >= DECISIONS_MAX:
            raise InvalidInput(
                f"a meeting records at most {DECISIONS_MAX} decisions",
                key="meeting-decisions-too-many",
                params={"limit": DECISIONS_MAX},
            )
        text = check_text("decision", text, limit=DECISION_MAX)
        if not owner_code:
            raise InvalidInput(
                "a decision needs an owner organisation", key="decision-owner-missing"
            )
        due_at = in_utc(due_at, field="due")
        if due_at < self.starts_at or due_at > self.starts_at + DUE_WITHIN:
            raise InvalidInput(
                f"a decision falls due after the meeting starts and within {DUE_WITHIN.days} days",
                key="decision-due-out-of-range",
                params={"days": DUE_WITHIN.days},
            )
        number = max((d.number for d in self.decisions), default=0) + 1
        return Decision(
            number=number,
            text=text,
            owner_code=owner_code,
            due_at=due_at,
            recorded_at=now,
            recorded_by=by,
        )

    def _require_not_cancelled(self) -> None:
        if self.state is MeetingState.CANCELLED:
            raise Conflict(
                f"meeting {self.id} was cancelled",
                key="meeting-cancelled",
                params={"meeting": self.id or 0},
            )


def check_draft(draft: MeetingDraft, *, now: datetime) -> MeetingDraft:
    """The draft trimmed and bounded: a time ahead, a place or an https link, an agenda."""
    title = check_text("title", draft.title, limit=TITLE_MAX)
    starts_at = in_utc(draft.starts_at, field="start")
    if not now - RECORDED_AFTER <= starts_at <= now + CONVENED_AHEAD:
        raise InvalidInput(
            "a meeting starts within two years from now (or one year past)",
            key="meeting-start-out-of-range",
        )
    ends_at = None
    if draft.ends_at is not None:
        ends_at = in_utc(draft.ends_at, field="end")
        if not starts_at < ends_at <= starts_at + LONGEST:
            raise InvalidInput(
                f"a meeting ends after it starts and within {LONGEST.days} days",
                key="meeting-end-out-of-range",
                params={"days": LONGEST.days},
            )
    place = check_text("place", draft.place, limit=PLACE_MAX, required=False)
    video_url = check_video_url(draft.video_url)
    if not place and not video_url:
        raise InvalidInput("a meeting needs a place or a video link", key="meeting-place-missing")
    return replace(
        draft,
        title=title,
        starts_at=starts_at,
        ends_at=ends_at,
        place=place,
        video_url=video_url,
        agenda=check_agenda(draft.agenda),
        invited=check_invited(draft.invited),
    )


def check_agenda(items: tuple[str, ...]) -> tuple[str, ...]:
    """One to AGENDA_MAX items, none empty."""
    if not items or len(items) > AGENDA_MAX:
        raise InvalidInput(
            f"an agenda has 1 to {AGENDA_MAX} items",
            key="meeting-agenda-size",
            params={"limit": AGENDA_MAX},
        )
    return tuple(check_text("agenda item", item, limit=AGENDA_ITEM_MAX) for item in items)


def check_invited(codes: tuple[str, ...]) -> tuple[str, ...]:
    """One to INVITED_MAX organisations, each once, in the order given."""
    unique = tuple(dict.fromkeys(code.strip() for code in codes if code.strip()))
    if not unique or len(unique) > INVITED_MAX:
        raise InvalidInput(
            f"a meeting invites 1 to {INVITED_MAX} organisations",
            key="meeting-invited-size",
            params={"limit": INVITED_MAX},
        )
    return unique


def check_video_url(url: str) -> str:
    """An https link with a host, or "" for none; anything else is refused."""
    url = check_text("video link", url, limit=VIDEO_URL_MAX, required=False)
    if not url:
        return ""
    try:
        parts = urlsplit(url)
        valid = (
            parts.scheme == "https" and bool(parts.hostname) and not any(c.isspace() for c in url)
        )
    except ValueError:
        valid = False
    if not valid:
        raise InvalidInput(
            f"the video link {url[:80]!r} is not an https URL", key="meeting-video-url-invalid"
        )
    return url


def decision_task(meeting_id: int, number: int) -> str:
    """The duty's task code: names the decision within its meeting."""
    return f"meeting-{meeting_id}-decision-{number}"


def meeting_source(meeting_id: int) -> str:
    """What drew the action item, as the duty records it."""
    return f"meeting:{meeting_id}"


def owner_role(kind: OrganisationKind) -> PartyRole:
    """The role an action item's owner plays, by the kind of organisation it is."""
    return {
        OrganisationKind.COORDINATION_BODY: PartyRole.COORDINATE,
        OrganisationKind.DOMAIN_OFFICE: PartyRole.FOLLOW,
        OrganisationKind.CENTRAL_OFFICE: PartyRole.COMMAND,
    }.get(kind, PartyRole.LEAD)


def vevent(meeting: Meeting, *, now: datetime, domain: str = "crossrisk") -> str:
    """The meeting as an iCalendar object with one VEVENT (RFC 5545), CRLF lines folded."""
    assert meeting.id is not None

    def stamp(moment: datetime) -> str:
        return moment.strftime("%Y%m%dT%H%M%SZ")

    agenda = "\n".join(f"{n}. {item}" for n, item in enumerate(meeting.agenda, start=1))
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        f"PRODID:-//{domain}//coordination meetings//EN",
        "BEGIN:VEVENT",
        f"UID:meeting-{meeting.id}@{domain}",
        f"DTSTAMP:{stamp(now)}",
        f"DTSTART:{stamp(meeting.starts_at)}",
    ]
    if meeting.ends_at is not None:
        lines.append(f"DTEND:{stamp(meeting.ends_at)}")
    lines.append("SUMMARY:" + _ical_text(meeting.title))
    if meeting.place:
        lines.append("LOCATION:" + _ical_text(meeting.place))
    if meeting.video_url:
        lines.append("URL:" + meeting.video_url)
    lines.append("DESCRIPTION:" + _ical_text(agenda))
    cancelled = meeting.state is MeetingState.CANCELLED
    # A calendar replaces the event it holds only by a higher sequence (RFC 5545 §3.8.7.4).
    lines += [
        f"SEQUENCE:{1 if cancelled else 0}",
        f"STATUS:{'CANCELLED' if cancelled else 'CONFIRMED'}",
        "END:VEVENT",
        "END:VCALENDAR",
    ]
    return "".join(_fold(line) + "\r\n" for line in lines)


def _ical_text(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
    return escaped.replace("\r\n", "\\n").replace("\n", "\\n").replace("\r", "\\n")


def _fold(line: str) -> str:
    """Lines past 75 octets continue on the next line after a space, never inside a UTF-8
    character (RFC 5545 §3.1)."""
    parts: list[str] = []
    current, size = "", 0
    for char in line:
        width = len(char.encode("utf-8"))
        if size + width > (75 if not parts else 74):
            parts.append(current)
            current, size = "", 0
        current += char
        size += width
    parts.append(current)
    return "\r\n ".join(parts)
