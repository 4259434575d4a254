"""Coordination meetings as rows: the meeting, its invitations in order, its decisions."""

from __future__ import annotations

from collections.abc import Collection

from sqlalchemy import select
from sqlalchemy.orm import Session

from crossrisk.domain.errors import NotFound
from crossrisk.domain.meeting import Attendance, Decision, Invitation, Meeting, MeetingState
from crossrisk.store.models import MeetingDecisionRow, MeetingInvitationRow, MeetingRow


class MeetingRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def add(self, meeting: Meeting) -> Meeting:
        """Store a new meeting with its invitations; returns it with its id."""
        row = MeetingRow(
            region_code=meeting.region_code,
            risk_id=meeting.risk_id,
            convened_at=meeting.convened_at,
            convened_by=meeting.convened_by,
        )
        _fill(row, meeting)
        self.session.add(row)
        self.session.flush()
        for position, invitation in enumerate(meeting.invitations):
            self.session.add(
                MeetingInvitationRow(
                    meeting_id=row.id,
                    position=position,
                    organisation_code=invitation.organisation_code,
                    attendance=None,
                    attendees="",
                )
            )
        self.session.flush()
        return self.get(row.id)

    def save(self, meeting: Meeting) -> Meeting:
        """Write a meeting's state, minutes, cancellation and attendance."""
        assert meeting.id is not None
        row = self.session.get(MeetingRow, meeting.id)
        if row is None:
            raise NotFound(f"no meeting {meeting.id}")
        _fill(row, meeting)
        rows = {r.organisation_code: r for r in self._invitations(meeting.id)}
        for invitation in meeting.invitations:
            invited = rows[invitation.organisation_code]
            invited.attendance = invitation.attendance.value if invitation.attendance else None
            invited.attendees = invitation.attendees
        self.session.flush()
        return self.get(meeting.id)

    def add_decision(self, meeting_id: int, decision: Decision) -> None:
        self.session.add(
            MeetingDecisionRow(
                meeting_id=meeting_id,
                number=decision.number,
                text=decision.text,
                owner_code=decision.owner_code,
                due_at=decision.due_at,
                recorded_at=decision.recorded_at,
                recorded_by=decision.recorded_by,
                duty_id=decision.duty_id,
            )
        )
        self.session.flush()

    def get(self, meeting_id: int, *, for_update: bool = False) -> Meeting:
        query = select(MeetingRow).where(MeetingRow.id == meeting_id)
        if for_update:
            query = query.with_for_update()
        row = self.session.scalar(query)
        if row is None:
            raise NotFound(
                f"meeting {meeting_id} does not exist",
                key="meeting-not-found",
                params={"meeting": meeting_id},
            )
        return self._meeting(row)

    def listed(self, region_codes: Collection[str] | None) -> list[Meeting]:
        """The meetings of these regions (None: every region), the latest start first."""
        query = select(MeetingRow).order_by(MeetingRow.starts_at.desc(), MeetingRow.id.desc())
        if region_codes is not None:
            query = query.where(MeetingRow.region_code.in_(sorted(region_codes)))
        return [self._meeting(row) for row in self.session.scalars(query)]

    def _invitations(self, meeting_id: int) -> list[MeetingInvitationRow]:
        query = (
            select(MeetingInvitationRow)
            .where(MeetingInvitationRow.meeting_id == meeting_id)
            .order_by(MeetingInvitationRow.position)
        )
        return list(self.session.scalars(query))

    def _meeting(self, row: MeetingRow) -> Meeting:
        decisions = self.session.scalars(
            select(MeetingDecisionRow)
            .where(MeetingDecisionRow.meeting_id == row.id)
            .order_by(MeetingDecisionRow.number)
        )
        return Meeting(
            id=row.id,
            region_code=row.region_code,
            risk_id=row.risk_id,
            title=row.title,
            starts_at=row.starts_at,
            ends_at=row.ends_at,
            place=row.place,
            video_url=row.video_url,
            agenda=tuple(row.agenda),
            invitations=tuple(
                Invitation(
                    organisation_code=r.organisation_code,
                    attendance=Attendance(r.attendance) if r.attendance else None,
                    attendees=r.attendees,
                )
                for r in self._invitations(row.id)
            ),
            state=MeetingState(row.state),
            convened_at=row.convened_at,
            convened_by=row.convened_by,
            minutes=row.minutes,
            minutes_at=row.minutes_at,
            minutes_by=row.minutes_by,
            cancel_reason=row.cancel_reason,
            cancelled_at=row.cancelled_at,
            cancelled_by=row.cancelled_by,
            decisions=tuple(
                Decision(
                    number=d.number,
                    text=d.text,
                    owner_code=d.owner_code,
                    due_at=d.due_at,
                    recorded_at=d.recorded_at,
                    recorded_by=d.recorded_by,
                    duty_id=d.duty_id,
                )
                for d in decisions
            ),
        )


def _fill(row: MeetingRow, meeting: Meeting) -> None:
    row.title = meeting.title
    row.starts_at = meeting.starts_at
    row.ends_at = meeting.ends_at
    row.place = meeting.place
    row.video_url = meeting.video_url
    row.agenda = list(meeting.agenda)
    row.state = meeting.state.value
    row.minutes = meeting.minutes
    row.minutes_at = meeting.minutes_at
    row.minutes_by = meeting.minutes_by
    row.cancel_reason = meeting.cancel_reason
    row.cancelled_at = meeting.cancelled_at
    row.cancelled_by = meeting.cancelled_by
