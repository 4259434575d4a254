"""`crossrisk meeting …`: coordination meetings from the command line (跨域协调会议)."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

import click

from crossrisk.cli.support import (
    ACTING,
    ID_MAX,
    beijing_time,
    fail,
    now,
    read_text_file,
    row_id,
    session,
)
from crossrisk.domain.meeting import Attendance, Meeting, MeetingDraft
from crossrisk.services import meetings


def _moment(value: str, name: str) -> datetime:
    try:
        if len(value) > 40:
            raise ValueError(value)
        return datetime.fromisoformat(value)
    except ValueError:
        fail(f"{name} {value[:40]!r} is not an ISO 8601 time such as 2026-07-01T09:00+08:00")


def _show(meeting: Meeting) -> None:
    click.echo(
        f"meeting {meeting.id} · {meeting.state.value} · {beijing_time(meeting.starts_at)} · "
        f"{meeting.region_code}{f' · risk {meeting.risk_id}' if meeting.risk_id else ''} · "
        f"{meeting.title}"
    )


@click.group("meeting")
def meeting() -> None:
    """Coordination meetings: convene, attendance, minutes, decisions (跨域协调会议)."""


@meeting.command("list")
@ACTING
def list_command(username: str | None) -> None:
    """The meetings of the regions you read, the latest first."""
    uow, actor = session(username)
    for found in meetings.list_meetings(uow, actor):
        _show(found)


@meeting.command("show")
@click.argument("meeting_id")
@ACTING
def show(meeting_id: str, username: str | None) -> None:
    """One meeting as JSON, with its decisions' duties."""
    uow, actor = session(username)
    record = meetings.meeting_record(uow, actor, row_id(meeting_id, "meeting"))
    m = record.meeting
    document: dict[str, Any] = {
        "id": m.id,
        "region": m.region_code,
        "risk_id": m.risk_id,
        "title": m.title,
        "state": m.state.value,
        "starts_at": m.starts_at.isoformat(),
        "ends_at": m.ends_at.isoformat() if m.ends_at else None,
        "place": m.place,
        "video_url": m.video_url,
        "agenda": list(m.agenda),
        "invitations": [
            {
                "organisation": i.organisation_code,
                "attendance": i.attendance.value if i.attendance else None,
                "attendees": i.attendees,
            }
            for i in m.invitations
        ],
        "minutes": m.minutes,
        "cancel_reason": m.cancel_reason,
        "decisions": [
            {
                "number": d.number,
                "text": d.text,
                "owner": d.owner_code,
                "due_at": d.due_at.isoformat(),
                "duty": d.duty_id,
                "duty_status": record.duties[d.number].shown(now()).value
                if d.number in record.duties
                else None,
            }
            for d in m.decisions
        ],
    }
    click.echo(json.dumps(document, ensure_ascii=False, indent=2))


@meeting.command("convene")
@click.option(
    "--file", "file", default=None, help="A JSON file with the fields below ('-': stdin)."
)
@click.option("--region", default=None, help="The region's code.")
@click.option("--risk", "risk_id", default=None, help="The risk it is convened for.")
@click.option("--title", default=None)
@click.option("--start", default=None, help="ISO 8601 with its offset: 2026-07-01T09:00+08:00")
@click.option("--end", default=None)
@click.option("--place", default="")
@click.option("--video", "video_url", default="", help="An https link.")
@click.option("--agenda", "agenda", multiple=True, help="An agenda item (repeat).")
@click.option("--invite", "invited", multiple=True, help="An organisation's code (repeat).")
@ACTING
def convene(
    file: str | None,
    region: str | None,
    risk_id: str | None,
    title: str | None,
    start: str | None,
    end: str | None,
    place: str,
    video_url: str,
    agenda: tuple[str, ...],
    invited: tuple[str, ...],
    username: str | None,
) -> None:
    """Convene a meeting (for a risk with --risk), and queue its invitations."""
    fields: dict[str, Any] = {}
    if file is not None:
        try:
            fields = json.loads(read_text_file(file, what="meeting"))
        except json.JSONDecodeError as error:
            fail(f"{file} is not JSON: {error.msg} at line {error.lineno}")
        if not isinstance(fields, dict):
            fail(f"{file} must hold a JSON object")
    options = {
        "region": region,
        "risk_id": row_id(risk_id, "risk") if risk_id is not None else None,
        "title": title,
        "starts_at": start,
        "ends_at": end,
        "place": place or None,
        "video_url": video_url or None,
        "agenda": list(agenda) or None,
        "invited": list(invited) or None,
    }
    fields.update({k: v for k, v in options.items() if v is not None})
    draft = _draft(fields)
    uow, actor = session(username)
    _show(meetings.convene(uow, actor, draft, now=now()))


def _draft(fields: dict[str, Any]) -> MeetingDraft:
    def text(name: str, default: str | None = None) -> str:
        value = fields.get(name, default)
        if not isinstance(value, str):
            fail(f"{name} is required and must be text")
        return value

    def texts(name: str) -> tuple[str, ...]:
        value = fields.get(name)
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            fail(f"{name} must be a list of texts")
        return tuple(value)

    risk = fields.get("risk_id")
    if risk is not None and (not isinstance(risk, int) or not 1 <= risk <= ID_MAX):
        fail("risk_id must be a whole number from 1")
    end = fields.get("ends_at")
    return MeetingDraft(
        region_code=text("region"),
        risk_id=risk,
        title=text("title"),
        starts_at=_moment(text("starts_at"), "start"),
        ends_at=_moment(text("ends_at"), "end") if end is not None else None,
        place=text("place", ""),
        video_url=text("video_url", ""),
        agenda=texts("agenda"),
        invited=texts("invited"),
    )


@meeting.command("attend")
@click.argument("meeting_id")
@click.option(
    "--org",
    "lines",
    multiple=True,
    type=(str, click.Choice([a.value for a in Attendance]), str),
    help="ORGANISATION present|absent|excused WHO (repeat).",
)
@ACTING
def attend(meeting_id: str, lines: tuple[tuple[str, str, str], ...], username: str | None) -> None:
    """Record whether invited organisations attended, and who."""
    if not lines:
        fail("name at least one --org ORGANISATION ATTENDANCE WHO")
    number = row_id(meeting_id, "meeting")
    entries = {code: (Attendance(value), who) for code, value, who in lines}
    uow, actor = session(username)
    _show(meetings.record_attendance(uow, actor, number, entries, now=now()))


@meeting.command("minutes")
@click.argument("meeting_id")
@click.option("--text", default=None, help="The minutes (or --file).")
@click.option("--file", "file", default=None, help="A UTF-8 text file ('-': stdin).")
@ACTING
def minutes(meeting_id: str, text: str | None, file: str | None, username: str | None) -> None:
    """Record the minutes: the meeting is held."""
    if (text is None) == (file is None):
        fail("give the minutes with --text or --file, one of them")
    number = row_id(meeting_id, "meeting")
    body = text if text is not None else read_text_file(file or "-", what="minutes")
    uow, actor = session(username)
    _show(meetings.record_minutes(uow, actor, number, body, now=now()))


@meeting.command("decide")
@click.argument("meeting_id")
@click.option("--owner", required=True, help="The organisation that owns the action item.")
@click.option("--due", required=True, help="ISO 8601 with its offset: 2026-07-15T18:00+08:00")
@click.option("--text", required=True, help="What was decided.")
@ACTING
def decide(meeting_id: str, owner: str, due: str, text: str, username: str | None) -> None:
    """Record a decision: its owner gets it as a duty, due by --due."""
    number = row_id(meeting_id, "meeting")
    due_at = _moment(due, "due")
    uow, actor = session(username)
    decision, duty = meetings.record_decision(
        uow, actor, number, text=text, owner_code=owner, due_at=due_at, now=now()
    )
    click.echo(
        f"decision {decision.number} of meeting {number} · duty {duty.id} of "
        f"{duty.organisation_code} · due {beijing_time(duty.deadline)}"
    )


@meeting.command("cancel")
@click.argument("meeting_id")
@click.option("--reason", required=True)
@ACTING
def cancel(meeting_id: str, reason: str, username: str | None) -> None:
    """Call off a scheduled meeting, with the reason."""
    number = row_id(meeting_id, "meeting")
    uow, actor = session(username)
    _show(meetings.cancel(uow, actor, number, reason, now=now()))
