"""The coordination meeting pages: the list, the convene form, a meeting and its forms."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from pydantic import BaseModel
from starlette.responses import RedirectResponse, Response

from crossrisk.domain.errors import CrossriskError, InvalidInput
from crossrisk.domain.meeting import Attendance, MeetingDraft
from crossrisk.domain.moments import calendar_day, end_of_day
from crossrisk.domain.organisation import Actor
from crossrisk.domain.permissions.regions import can_coordinate
from crossrisk.http.deps import UowDep, check_csrf, utc_now
from crossrisk.locale import N_
from crossrisk.services import duties, meetings, regions, risks
from crossrisk.store.uow import UnitOfWork
from crossrisk.web.accounts.session import PageActor
from crossrisk.web.committee import meetings_view as view
from crossrisk.web.shared.directory import read_directory
from crossrisk.web.shared.form_times import parse_local
from crossrisk.web.shared.i18n import PageLanguage
from crossrisk.web.shared.page_forms import id_in_address
from crossrisk.web.shared.rendering import error_page, error_status, page_error, render

router = APIRouter(include_in_schema=False)
BASE = "/committee/meetings"


class ConveneForm(BaseModel):
    csrf_token: str = ""
    region: str = ""
    risk_id: str = ""
    title: str = ""
    starts_at: str = ""
    ends_at: str = ""
    place: str = ""
    video_url: str = ""
    agenda: str = ""
    invited: list[str] = []


class AttendanceForm(BaseModel):
    csrf_token: str = ""
    organisation: list[str] = []
    attendance: list[str] = []
    attendees: list[str] = []


class MinutesForm(BaseModel):
    csrf_token: str = ""
    minutes: str = ""


class DecisionForm(BaseModel):
    csrf_token: str = ""
    owner: str = ""
    due: str = ""
    text: str = ""


class CancelForm(BaseModel):
    csrf_token: str = ""
    reason: str = ""


def _id(value: str, *, what: str) -> int:
    return id_in_address(value, what, key=f"{what}-not-found", param=what)


def _due(value: str) -> datetime:
    """A due date typed as a day: the action item falls due at the end of it, Beijing time."""
    day = calendar_day(value.strip()[:20], "due")
    if day is None:
        raise InvalidInput("a decision needs a due date", key="decision-due-missing")
    return end_of_day(day)


def _attendance(form: AttendanceForm) -> dict[str, tuple[Attendance, str]]:
    if not len(form.organisation) == len(form.attendance) == len(form.attendees):
        raise InvalidInput("the attendance form is incomplete", key="meeting-attendance-invalid")
    entries: dict[str, tuple[Attendance, str]] = {}
    for code, value, who in zip(form.organisation, form.attendance, form.attendees, strict=True):
        if not value:
            continue  # not recorded yet
        try:
            entries[code] = (Attendance(value), who)
        except ValueError:
            raise InvalidInput(
                f"attendance {value[:20]!r} is not known", key="meeting-attendance-invalid"
            ) from None
    return entries


@router.get(BASE)
def meetings_page(request: Request, actor: PageActor, uow: UowDep) -> Response:
    """Upcoming and past meetings of the regions the user reads."""
    lang = PageLanguage.of(request)
    now = utc_now()
    found = meetings.list_meetings(uow, actor)
    directory = read_directory(uow, actor)
    upcoming = [m for m in found if m.upcoming(now)]
    past = [m for m in found if not m.upcoming(now)]
    context = {
        "upcoming": view.listed(list(reversed(upcoming)), directory, lang),
        "past": view.listed(past, directory, lang),
        "may_convene": any(
            can_coordinate(actor, r.code) for r in regions.readable_regions(uow, actor)
        ),
    }
    return render(request, "committee/meetings/list.html", context, actor=actor)


@router.get(BASE + "/new")
def convene_page(request: Request, actor: PageActor, uow: UowDep, risk: str = "") -> Response:
    """The convene form; ?risk=ID fills it in for that risk."""
    lang = PageLanguage.of(request)
    form = ConveneForm()
    try:
        if risk:
            found = risks.get_risk(uow, actor, _id(risk, what="risk"))
            parties = {
                d.organisation_code for d in duties.duties_of_risk(uow, actor, found.id or 0)
            }
            title = lang.gettext(N_("Coordination meeting on risk %(risk)s: %(title)s"))
            form = ConveneForm(
                region=found.region_code,
                risk_id=str(found.id),
                title=(title % {"risk": found.id, "title": found.title})[:200],
                invited=sorted(parties),
            )
    except CrossriskError as refusal:
        return error_page(request, refusal, actor=actor, names=read_directory(uow, actor))
    return _convene_form(request, actor, uow, form)


@router.post(BASE)
def convene(
    request: Request, actor: PageActor, uow: UowDep, form: Annotated[ConveneForm, Form()]
) -> Response:
    """Convene the meeting; its page follows."""
    try:
        check_csrf(request, form.csrf_token)
        draft = MeetingDraft(
            region_code=form.region.strip(),
            risk_id=_id(form.risk_id.strip(), what="risk") if form.risk_id.strip() else None,
            title=form.title,
            starts_at=parse_local(form.starts_at),
            ends_at=parse_local(form.ends_at) if form.ends_at.strip() else None,
            place=form.place,
            video_url=form.video_url,
            agenda=tuple(line for line in form.agenda.splitlines() if line.strip()),
            invited=tuple(form.invited),
        )
        meeting = meetings.convene(uow, actor, draft, now=utc_now())
    except CrossriskError as refusal:
        return _convene_form(request, actor, uow, form, error=refusal)
    return RedirectResponse(f"{BASE}/{meeting.id}", status_code=303)


@router.get(BASE + "/{meeting_id}")
def meeting_page(request: Request, actor: PageActor, uow: UowDep, meeting_id: str) -> Response:
    """A meeting: agenda, invitations and attendance, minutes, decisions and their duties."""
    try:
        return _meeting_page(request, actor, uow, _id(meeting_id, what="meeting"))
    except CrossriskError as refusal:
        return error_page(request, refusal, actor=actor, names=read_directory(uow, actor))


@router.post(BASE + "/{meeting_id}/attendance")
def attendance(
    request: Request,
    actor: PageActor,
    uow: UowDep,
    meeting_id: str,
    form: Annotated[AttendanceForm, Form()],
) -> Response:
    """Record who attended."""
    return _act(
        request,
        actor,
        uow,
        meeting_id,
        form.csrf_token,
        lambda number: meetings.record_attendance(
            uow, actor, number, _attendance(form), now=utc_now()
        ),
        anchor="#attendance",
    )


@router.post(BASE + "/{meeting_id}/minutes")
def minutes(
    request: Request,
    actor: PageActor,
    uow: UowDep,
    meeting_id: str,
    form: Annotated[MinutesForm, Form()],
) -> Response:
    """Record the minutes: the meeting is held."""
    return _act(
        request,
        actor,
        uow,
        meeting_id,
        form.csrf_token,
        lambda number: meetings.record_minutes(uow, actor, number, form.minutes, now=utc_now()),
        anchor="#minutes",
        minutes=form.minutes,
    )


@router.post(BASE + "/{meeting_id}/decisions")
def decide(
    request: Request,
    actor: PageActor,
    uow: UowDep,
    meeting_id: str,
    form: Annotated[DecisionForm, Form()],
) -> Response:
    """Record a decision: its owner gets it as a duty, due by the date."""
    return _act(
        request,
        actor,
        uow,
        meeting_id,
        form.csrf_token,
        lambda number: meetings.record_decision(
            uow,
            actor,
            number,
            text=form.text,
            owner_code=form.owner,
            due_at=_due(form.due),
            now=utc_now(),
        ),
        anchor="#decisions",
        decision=form,
    )


@router.post(BASE + "/{meeting_id}/cancel")
def cancel(
    request: Request,
    actor: PageActor,
    uow: UowDep,
    meeting_id: str,
    form: Annotated[CancelForm, Form()],
) -> Response:
    """Call the meeting off, with the reason."""
    return _act(
        request,
        actor,
        uow,
        meeting_id,
        form.csrf_token,
        lambda number: meetings.cancel(uow, actor, number, form.reason, now=utc_now()),
        anchor="",
    )


def _act(
    request: Request,
    actor: Actor,
    uow: UnitOfWork,
    meeting_id: str,
    csrf_token: str,
    change: Callable[[int], object],
    *,
    anchor: str,
    minutes: str | None = None,
    decision: DecisionForm | None = None,
) -> Response:
    """One form on a meeting's page: check, change, and back to the page, or the page again
    with the refusal and what was typed."""
    number = _id(meeting_id, what="meeting")
    try:
        check_csrf(request, csrf_token)
        change(number)
    except CrossriskError as refusal:
        return _meeting_page(
            request, actor, uow, number, error=refusal, minutes=minutes, decision=decision
        )
    return RedirectResponse(f"{BASE}/{number}{anchor}", status_code=303)


def _convene_form(
    request: Request,
    actor: Actor,
    uow: UnitOfWork,
    form: ConveneForm,
    *,
    error: CrossriskError | None = None,
) -> Response:
    lang = PageLanguage.of(request)
    readable = [r for r in regions.readable_regions(uow, actor) if can_coordinate(actor, r.code)]
    region_code = form.region or (readable[0].code if readable else "")
    known = {r.code for r in readable}
    organisations = meetings.invitable(uow, actor, region_code) if region_code in known else []
    context: dict[str, Any] = {
        "form": form,
        "regions": readable,
        "region_code": region_code,
        "organisations": view.organisation_choices(organisations, lang),
        "invited": set(form.invited),
    }
    if error is not None:
        context["error"] = page_error(lang, error, read_directory(uow, actor))
    return render(
        request,
        "committee/meetings/new.html",
        context,
        actor=actor,
        status_code=200 if error is None else error_status(error),
    )


def _meeting_page(
    request: Request,
    actor: Actor,
    uow: UnitOfWork,
    meeting_id: int,
    *,
    error: CrossriskError | None = None,
    minutes: str | None = None,
    decision: DecisionForm | None = None,
) -> Response:
    lang = PageLanguage.of(request)
    record = meetings.meeting_record(uow, actor, meeting_id)
    meeting = record.meeting
    directory = read_directory(uow, actor, region_codes={meeting.region_code})
    may_manage = can_coordinate(actor, meeting.region_code)
    context: dict[str, Any] = {
        "meeting": meeting,
        "state_label": lang.gettext(view.MEETING_STATE[meeting.state]),
        "region": directory.region_name(meeting.region_code, chinese=lang.is_chinese),
        "convener": directory.person_name(meeting.convened_by),
        "minutes_by": directory.person_name(meeting.minutes_by),
        "invited": view.invited_lines(record, directory, lang),
        "decisions": view.decision_lines(record, directory, lang, now=utc_now()),
        "attendance_choices": [(a.value, lang.gettext(view.ATTENDANCE[a])) for a in Attendance],
        "owners": (
            view.organisation_choices(meetings.invitable(uow, actor, meeting.region_code), lang)
            if may_manage
            else []
        ),
        "may_manage": may_manage,
        "minutes_text": meeting.minutes if minutes is None else minutes,
        "decision_form": decision or DecisionForm(),
    }
    if error is not None:
        context["error"] = page_error(lang, error, directory)
    return render(
        request,
        "committee/meetings/meeting.html",
        context,
        actor=actor,
        status_code=200 if error is None else error_status(error),
    )
