"""Coordination meetings: convene, record attendance, minutes and decisions, cancel.

Convening for a risk completes the risk's "convene" duty in the same transaction, and
queues the invitations there too; each decision becomes an action item, a duty of its
owner assigned through `duties.assign`, so it is reminded, listed on the owner's "my
duties" and marked done by the owner like any other duty.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from crossrisk.domain.delivery import Delivery
from crossrisk.domain.duty import DutyRecord, DutyStatus
from crossrisk.domain.errors import Conflict, InvalidInput
from crossrisk.domain.meeting import (
    Attendance,
    Decision,
    Invitation,
    Meeting,
    MeetingDraft,
    MeetingState,
    check_draft,
    decision_task,
    meeting_source,
    owner_role,
)
from crossrisk.domain.organisation import Actor, Organisation, OrganisationKind
from crossrisk.domain.permissions.regions import (
    readable_regions,
    require_coordinate,
    require_read_region,
)
from crossrisk.domain.responsibility import DutyKind
from crossrisk.domain.risk import RiskStatus
from crossrisk.services import delivery, duties
from crossrisk.services.meeting_invitations import (
    meeting_facts,
    message_id,
    queue_notices,
)
from crossrisk.store.uow import Transaction, UnitOfWork


@dataclass(frozen=True, slots=True)
class MeetingRecord:
    """A meeting as its page shows it: each decision's duty and the invitations' deliveries."""

    meeting: Meeting
    duties: Mapping[int, DutyRecord]  # by decision number
    deliveries: list[Delivery]


def region_organisations(tx: Transaction, region_code: str) -> list[Organisation]:
    """Who may be invited or own a decision: the members' bureaus and the region's bodies."""
    members = set(tx.regions.geo(region_code).index.codes)
    return [
        o
        for o in tx.organisations.all()
        if (o.kind is OrganisationKind.JURISDICTION and o.jurisdiction_code in members)
        or (o.kind is not OrganisationKind.JURISDICTION and o.region_code == region_code)
    ]


def invitable(uow: UnitOfWork, actor: Actor, region_code: str) -> list[Organisation]:
    """The organisations a form offers to invite, or to own a decision."""
    with uow.read_only() as tx:
        require_read_region(actor, region_code)
        return region_organisations(tx, region_code)


def convene(uow: UnitOfWork, actor: Actor, draft: MeetingDraft, *, now: datetime) -> Meeting:
    """The committee convenes a meeting, for a risk (its convene duty done) or a regular one."""
    draft = check_draft(draft, now=now)
    with uow as tx:
        tx.regions.get(draft.region_code)
        require_coordinate(actor, draft.region_code)
        if draft.risk_id is not None:
            risk = tx.risks.get(draft.risk_id, for_update=True)
            require_read_region(actor, risk.region_code)
            if risk.region_code != draft.region_code:
                raise InvalidInput(
                    f"risk {draft.risk_id} is not of region {draft.region_code}",
                    key="meeting-risk-other-region",
                    params={"risk": draft.risk_id, "region": draft.region_code},
                )
            if risk.status is RiskStatus.CLOSED:
                raise Conflict(
                    f"risk {draft.risk_id} is closed",
                    key="meeting-risk-closed",
                    params={"risk": draft.risk_id},
                )
        invited = _of_region(tx, draft.region_code, draft.invited)
        meeting = tx.meetings.add(
            Meeting(
                id=None,
                region_code=draft.region_code,
                risk_id=draft.risk_id,
                title=draft.title,
                starts_at=draft.starts_at,
                ends_at=draft.ends_at,
                place=draft.place,
                video_url=draft.video_url,
                agenda=draft.agenda,
                invitations=tuple(Invitation(o.code) for o in invited),
                state=MeetingState.SCHEDULED,
                convened_at=now,
                convened_by=actor.username,
            )
        )
        queued = queue_notices(tx, meeting, invited, now=now)
        _record(
            tx,
            actor,
            "meeting.convened",
            meeting,
            now=now,
            extra={**meeting_facts(meeting), "deliveries": queued},
        )
        if meeting.risk_id is not None:
            duties.complete(
                tx,
                actor,
                risk_id=meeting.risk_id,
                kind=DutyKind.CONVENE,
                via="meeting.convened",
                now=now,
            )
        tx.commit()
    return meeting


def record_attendance(
    uow: UnitOfWork,
    actor: Actor,
    meeting_id: int,
    entries: Mapping[str, tuple[Attendance, str]],
    *,
    now: datetime,
) -> Meeting:
    """Record, per invited organisation, whether it was present, absent or excused, and who."""
    with uow as tx:
        meeting = _for_committee(tx, actor, meeting_id)
        saved = tx.meetings.save(meeting.with_attendance(dict(entries)))
        shown = [i for i in saved.invitations if i.organisation_code in entries]
        _record(
            tx,
            actor,
            "meeting.attendance_recorded",
            saved,
            now=now,
            extra={
                "attendance": {
                    i.organisation_code: {
                        "attendance": i.attendance.value if i.attendance else None,
                        "attendees": i.attendees,
                    }
                    for i in shown
                }
            },
        )
        tx.commit()
    return saved


def record_minutes(
    uow: UnitOfWork, actor: Actor, meeting_id: int, text: str, *, now: datetime
) -> Meeting:
    """Record (or amend) the minutes: the meeting is held."""
    with uow as tx:
        meeting = _for_committee(tx, actor, meeting_id)
        saved = tx.meetings.save(meeting.with_minutes(text, by=actor.username, now=now))
        _record(
            tx,
            actor,
            "meeting.minutes_recorded",
            saved,
            now=now,
            extra={"minutes": saved.minutes, "amended": meeting.state is MeetingState.HELD},
        )
        tx.commit()
    return saved


def record_decision(
    uow: UnitOfWork,
    actor: Actor,
    meeting_id: int,
    *,
    text: str,
    owner_code: str,
    due_at: datetime,
    now: datetime,
) -> tuple[Decision, DutyRecord]:
    """A decision of the minutes, and its action item: a duty of the owner, due by due_at."""
    with uow as tx:
        meeting = _for_committee(tx, actor, meeting_id)
        assert meeting.id is not None
        decision = meeting.decision(
            text, owner_code=owner_code.strip(), due_at=due_at, by=actor.username, now=now
        )
        owner = _of_region(tx, meeting.region_code, (decision.owner_code,))[0]
        duty = duties.assign(
            tx,
            actor,
            DutyRecord(
                id=None,
                risk_id=meeting.risk_id,
                region_code=meeting.region_code,
                kind=DutyKind.ACTION,
                role=owner_role(owner.kind),
                organisation_code=owner.code,
                jurisdiction_code=owner.jurisdiction_code,
                deadline=decision.due_at,
                status=DutyStatus.OPEN,
                assigned_at=now,
                task=decision_task(meeting.id, decision.number),
                title=decision.text,
                source=meeting_source(meeting.id),
            ),
            now=now,
        )
        decision = replace(decision, duty_id=duty.id)
        tx.meetings.add_decision(meeting.id, decision)
        _record(
            tx,
            actor,
            "meeting.decision_recorded",
            meeting,
            now=now,
            extra={
                "decision": decision.number,
                "text": decision.text,
                "owner": decision.owner_code,
                "due_at": decision.due_at.isoformat(),
                "duty": duty.id,
            },
        )
        tx.commit()
    return decision, duty


def cancel(
    uow: UnitOfWork, actor: Actor, meeting_id: int, reason: str, *, now: datetime
) -> Meeting:
    """Call off a scheduled meeting, saying why."""
    with uow as tx:
        meeting = _for_committee(tx, actor, meeting_id)
        saved = tx.meetings.save(meeting.cancelled(reason, by=actor.username, now=now))
        invited = _of_region(tx, saved.region_code, saved.invited_codes)
        queued = queue_notices(tx, saved, invited, now=now)
        _record(
            tx,
            actor,
            "meeting.cancelled",
            saved,
            now=now,
            extra={"reason": saved.cancel_reason, "deliveries": queued},
        )
        tx.commit()
    return saved


def list_meetings(uow: UnitOfWork, actor: Actor) -> list[Meeting]:
    """The meetings of the regions the actor reads, the latest first."""
    with uow.read_only() as tx:
        return tx.meetings.listed(readable_regions(actor))


def meeting_record(uow: UnitOfWork, actor: Actor, meeting_id: int) -> MeetingRecord:
    """One meeting with its decisions' duties and its invitations' deliveries."""
    with uow.read_only() as tx:
        meeting = tx.meetings.get(meeting_id)
        require_read_region(actor, meeting.region_code)
        found = {
            d.number: tx.duties.get(d.duty_id) for d in meeting.decisions if d.duty_id is not None
        }
    return MeetingRecord(
        meeting=meeting,
        duties=found,
        deliveries=delivery.deliveries_of(uow, actor, message_id(meeting_id)),
    )


def _for_committee(tx: Transaction, actor: Actor, meeting_id: int) -> Meeting:
    meeting = tx.meetings.get(meeting_id, for_update=True)
    require_read_region(actor, meeting.region_code)
    require_coordinate(actor, meeting.region_code)
    return meeting


def _of_region(tx: Transaction, region_code: str, codes: tuple[str, ...]) -> list[Organisation]:
    known = {o.code: o for o in region_organisations(tx, region_code)}
    for code in codes:
        if code not in known:
            raise InvalidInput(
                f"{code[:64]} is not an organisation of region {region_code}",
                key="meeting-organisation-not-of-region",
                params={"organisation": code[:64], "region": region_code},
            )
    return [known[code] for code in codes]


def _record(
    tx: Transaction,
    actor: Actor,
    action: str,
    meeting: Meeting,
    *,
    now: datetime,
    extra: Mapping[str, Any],
) -> None:
    tx.record(
        actor,
        action,
        subject=f"meeting:{meeting.id}",
        payload={
            "meeting": meeting.id,
            "region": meeting.region_code,
            "risk_id": meeting.risk_id,
            "state": meeting.state.value,
            **extra,
        },
        region_code=meeting.region_code,
        now=now,
    )
