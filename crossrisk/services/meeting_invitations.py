"""A coordination meeting's invitation, and its cancellation: two-language text, a JSON
document, an iCalendar.

Queued in the convening (or cancelling) transaction to every channel of each invited
organisation, as `services/duties` queues a duty's reminder, so a meeting is never
convened or called off without telling them.
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from crossrisk.alerts.texts import when as local_when
from crossrisk.domain.delivery import MEETING_MESSAGE_PREFIX, Envelope, Purpose
from crossrisk.domain.meeting import Meeting, MeetingState, vevent
from crossrisk.domain.organisation import Organisation
from crossrisk.locale import EN, N_, ZH_CN, say
from crossrisk.services import delivery
from crossrisk.store.uow import Transaction


def message_id(meeting_id: int) -> str:
    """The outbox's id of a meeting's invitations: their delivery status is read by it."""
    return f"{MEETING_MESSAGE_PREFIX}{meeting_id}"


def queue_notices(
    tx: Transaction, meeting: Meeting, invited: list[Organisation], *, now: datetime
) -> int:
    """Queue the invitation, or for a cancelled meeting its cancellation, to each invited
    organisation's channels; returns how many."""
    assert meeting.id is not None
    cancelled = meeting.state is MeetingState.CANCELLED
    subject, body = cancellation_text(meeting) if cancelled else invitation_text(meeting)
    purpose = Purpose.MEETING_CANCELLATION if cancelled else Purpose.MEETING_INVITATION
    queued = 0
    for organisation in invited:
        document = {
            "type": f"crossrisk.meeting_{'cancellation' if cancelled else 'invitation'}",
            "meeting": meeting.id,
            "region": meeting.region_code,
            "risk_id": meeting.risk_id,
            **meeting_facts(meeting),
            "organisation": organisation.code,
            "reason": meeting.cancel_reason,
            "icalendar": vevent(meeting, now=now),
        }
        queued += delivery.enqueue(
            tx,
            Envelope(
                warning_id=message_id(meeting.id),
                purpose=purpose,
                region_code=meeting.region_code,
                jurisdiction_code=organisation.jurisdiction_code or "",
                subject=subject,
                body=body,
                cap_xml=json.dumps(document, ensure_ascii=False, sort_keys=True).encode("utf-8"),
                ack_url=None,
            ),
            organisation_code=organisation.code,
            now=now,
        )
    return queued


def meeting_facts(meeting: Meeting) -> dict[str, Any]:
    """What a meeting is, as the journal and the invitation's document both say it."""
    return {
        "title": meeting.title,
        "starts_at": meeting.starts_at.isoformat(),
        "ends_at": meeting.ends_at.isoformat() if meeting.ends_at else None,
        "place": meeting.place,
        "video_url": meeting.video_url,
        "agenda": list(meeting.agenda),
        "invited": list(meeting.invited_codes),
    }


def _short_title(meeting: Meeting) -> str:
    # The outbox keeps a subject of at most 300 characters: two titles of 200 would not fit.
    return meeting.title if len(meeting.title) <= 100 else meeting.title[:99] + "…"


def cancellation_text(meeting: Meeting) -> tuple[str, str]:
    """The cancellation's subject line and body, Chinese first, then English."""
    subjects, paragraphs = [], []
    for locale in (ZH_CN, EN):
        params: dict[str, object] = {
            "title": meeting.title,
            "start": local_when(meeting.starts_at, locale),
        }
        subjects.append(
            say(locale, N_("Meeting cancelled: %(title)s"), {"title": _short_title(meeting)})
        )
        lines = [
            say(
                locale,
                N_('The coordination meeting "%(title)s" at %(start)s is cancelled.'),
                params,
            ),
            say(locale, N_("Reason: %(reason)s"), {"reason": meeting.cancel_reason or ""}),
        ]
        paragraphs.append("\n".join(lines))
    return " / ".join(subjects), "\n\n".join(paragraphs)


def invitation_text(meeting: Meeting) -> tuple[str, str]:
    """The subject line and the body, Chinese first, then English."""
    subjects, paragraphs = [], []
    short = _short_title(meeting)
    for locale in (ZH_CN, EN):
        params: dict[str, object] = {
            "title": meeting.title,
            "start": local_when(meeting.starts_at, locale),
        }
        subjects.append(say(locale, N_("Meeting invitation: %(title)s"), {"title": short}))
        lines = [
            say(
                locale,
                N_('You are invited to the coordination meeting "%(title)s" at %(start)s.'),
                params,
            )
        ]
        if meeting.ends_at is not None:
            end = {"end": local_when(meeting.ends_at, locale)}
            lines.append(say(locale, N_("It ends at %(end)s."), end))
        if meeting.risk_id is not None:
            lines.append(say(locale, N_("On risk %(risk)s."), {"risk": meeting.risk_id}))
        if meeting.place:
            lines.append(say(locale, N_("Place: %(place)s"), {"place": meeting.place}))
        if meeting.video_url:
            lines.append(say(locale, N_("Video link: %(url)s"), {"url": meeting.video_url}))
        lines.append(say(locale, N_("Agenda:")))
        lines += [f"{n}. {item}" for n, item in enumerate(meeting.agenda, start=1)]
        paragraphs.append("\n".join(lines))
    return " / ".join(subjects), "\n\n".join(paragraphs)
