"""What the meeting pages show: rows of the list, a meeting's parts in the page language."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import datetime

from crossrisk.domain.delivery import Delivery, DeliveryStatus
from crossrisk.domain.meeting import Attendance, Meeting, MeetingState
from crossrisk.domain.organisation import Organisation
from crossrisk.locale import N_
from crossrisk.services.meetings import MeetingRecord
from crossrisk.web.shared.directory import Directory
from crossrisk.web.shared.i18n import PageLanguage

MEETING_STATE = {
    MeetingState.SCHEDULED: N_("Scheduled"),
    MeetingState.HELD: N_("Held"),
    MeetingState.CANCELLED: N_("Cancelled"),
}
ATTENDANCE = {
    Attendance.PRESENT: N_("Present"),
    Attendance.ABSENT: N_("Absent"),
    Attendance.EXCUSED: N_("Excused"),
}
DELIVERY_STATUS = {
    DeliveryStatus.PENDING: N_("Queued"),
    DeliveryStatus.SENDING: N_("Sending"),
    DeliveryStatus.DELIVERED: N_("Delivered"),
    DeliveryStatus.FAILED: N_("Failed"),
}


@dataclass(frozen=True, slots=True)
class ListedMeeting:
    id: int
    title: str
    starts_at: datetime
    state: MeetingState
    state_label: str
    region: str
    risk_id: int | None
    place: str


@dataclass(frozen=True, slots=True)
class InvitedLine:
    code: str
    name: str
    attendance: str  # the stored value, "" when not recorded
    attendance_label: str
    attendees: str
    delivery: str  # the invitations' delivery, summed up over the organisation's channels


@dataclass(frozen=True, slots=True)
class DecisionLine:
    number: int
    text: str
    owner: str
    due_at: datetime
    duty_id: int | None
    status: str
    status_label: str


def listed(
    meetings: list[Meeting], directory: Directory, lang: PageLanguage
) -> list[ListedMeeting]:
    """The list's rows."""
    return [
        ListedMeeting(
            id=m.id or 0,
            title=m.title,
            starts_at=m.starts_at,
            state=m.state,
            state_label=lang.gettext(MEETING_STATE[m.state]),
            region=directory.region_name(m.region_code, chinese=lang.is_chinese),
            risk_id=m.risk_id,
            place=m.place,
        )
        for m in meetings
    ]


def invited_lines(
    record: MeetingRecord, directory: Directory, lang: PageLanguage
) -> list[InvitedLine]:
    """Each invited organisation with its attendance and its invitation's delivery."""
    by_organisation: dict[str, list[Delivery]] = {}
    for item in record.deliveries:
        by_organisation.setdefault(item.organisation_code, []).append(item)
    lines = []
    for invitation in record.meeting.invitations:
        code = invitation.organisation_code
        lines.append(
            InvitedLine(
                code=code,
                name=directory.organisation_name(code, chinese=lang.is_chinese),
                attendance=invitation.attendance.value if invitation.attendance else "",
                attendance_label=(
                    lang.gettext(ATTENDANCE[invitation.attendance]) if invitation.attendance else ""
                ),
                attendees=invitation.attendees,
                delivery=_delivery_summary(by_organisation.get(code, []), lang),
            )
        )
    return lines


def decision_lines(
    record: MeetingRecord, directory: Directory, lang: PageLanguage, *, now: datetime
) -> list[DecisionLine]:
    """Each decision with its owner and its duty's status as read now."""
    lines = []
    for decision in record.meeting.decisions:
        duty = record.duties.get(decision.number)
        shown = duty.shown(now) if duty is not None else None
        lines.append(
            DecisionLine(
                number=decision.number,
                text=decision.text,
                owner=directory.organisation_name(decision.owner_code, chinese=lang.is_chinese),
                due_at=decision.due_at,
                duty_id=decision.duty_id,
                status=shown.value if shown is not None else "",
                status_label=lang.duty_status(shown) if shown is not None else "",
            )
        )
    return lines


def organisation_choices(
    organisations: list[Organisation], lang: PageLanguage
) -> list[tuple[str, str]]:
    """(code, name) of the organisations a form offers, the region's bodies first."""
    ordered = sorted(organisations, key=lambda o: (o.jurisdiction_code is not None, o.code))
    return [(o.code, lang.pick(o.name_zh, o.name_en)) for o in ordered]


def _delivery_summary(deliveries: list[Delivery], lang: PageLanguage) -> str:
    if not deliveries:
        return lang.gettext("No channel")
    counts = Counter(item.status for item in deliveries)
    return ", ".join(
        f"{lang.gettext(DELIVERY_STATUS[status])} {count}"
        for status, count in sorted(counts.items(), key=lambda pair: pair[0].value)
    )
