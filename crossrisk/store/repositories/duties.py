"""Duties as rows: who owes what by when, and what became of it."""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime
from typing import Any, cast

from sqlalchemy import ColumnElement, CursorResult, or_, select, update
from sqlalchemy.orm import Session

from crossrisk.domain.duty import DutyRecord, DutyStatus
from crossrisk.domain.errors import NotFound
from crossrisk.domain.responsibility import DutyKind, PartyRole
from crossrisk.store.models import DutyRow
from crossrisk.store.repositories.risks import risk_ids_of_drill


class DutyRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def add(self, duty: DutyRecord) -> DutyRecord:
        row = DutyRow(
            risk_id=duty.risk_id,
            region_code=duty.region_code,
            kind=duty.kind.value,
            role=duty.role.value,
            organisation_code=duty.organisation_code,
            jurisdiction_code=duty.jurisdiction_code,
            deadline=duty.deadline,
            status=duty.status.value,
            assigned_at=duty.assigned_at,
            task=duty.task,
            title=duty.title,
            title_en=duty.title_en,
            source=duty.source,
        )
        self.session.add(row)
        self.session.flush()
        return _duty(row)

    def save(self, duty: DutyRecord) -> DutyRecord:
        """Write a duty's changed deadline, status and outcome."""
        assert duty.id is not None
        row = self.session.get(DutyRow, duty.id)
        if row is None:
            raise NotFound(f"no duty {duty.id}")
        row.deadline = duty.deadline
        row.status = duty.status.value
        row.role = duty.role.value
        row.jurisdiction_code = duty.jurisdiction_code
        row.done_at = duty.done_at
        row.done_by = duty.done_by
        row.done_via = duty.done_via
        row.reason = duty.reason
        row.reminded_at = duty.reminded_at
        row.title = duty.title
        row.title_en = duty.title_en
        self.session.flush()
        return _duty(row)

    def get(self, duty_id: int, *, for_update: bool = False) -> DutyRecord:
        query = select(DutyRow).where(DutyRow.id == duty_id)
        if for_update:
            query = query.with_for_update()
        row = self.session.scalar(query)
        if row is None:
            raise NotFound(f"no duty {duty_id}", key="duty-not-found", params={"duty": duty_id})
        return _duty(row)

    def of_risk(self, risk_id: int, *, for_update: bool = False) -> list[DutyRecord]:
        query = select(DutyRow).where(DutyRow.risk_id == risk_id).order_by(DutyRow.id)
        if for_update:
            query = query.with_for_update()
        return [_duty(row) for row in self.session.scalars(query)]

    def of_source(self, source: str, *, for_update: bool = False) -> list[DutyRecord]:
        """The duties one source drew (a meeting's decisions, an annual item), in order."""
        query = select(DutyRow).where(DutyRow.source == source).order_by(DutyRow.id)
        if for_update:
            query = query.with_for_update()
        return [_duty(row) for row in self.session.scalars(query)]

    def find(
        self,
        risk_id: int,
        kind: DutyKind,
        organisation_code: str,
        *,
        task: str = "",
        for_update: bool = False,
    ) -> DutyRecord | None:
        query = select(DutyRow).where(
            DutyRow.risk_id == risk_id,
            DutyRow.kind == kind.value,
            DutyRow.organisation_code == organisation_code,
            DutyRow.task == task,
        )
        if for_update:
            query = query.with_for_update()
        row = self.session.scalar(query)
        return None if row is None else _duty(row)

    def listed(
        self,
        *,
        organisation_code: str | None = None,
        region_codes: Collection[str] | None = None,
        statuses: Collection[DutyStatus] | None = None,
        limit: int = 500,
        drill_id: int | None = None,
        with_drills: bool = False,
    ) -> list[DutyRecord]:
        """Duties of one organisation or of regions, soonest deadline first.

        Real duties only, or those of one drill's risks (`drill_id`); `with_drills` takes
        every duty, real and of every drill.
        """
        query = select(DutyRow)
        if not with_drills:
            query = query.where(_of_drill(drill_id))
        if organisation_code is not None:
            query = query.where(DutyRow.organisation_code == organisation_code)
        if region_codes is not None:
            query = query.where(DutyRow.region_code.in_(sorted(region_codes)))
        if statuses is not None:
            query = query.where(DutyRow.status.in_(sorted(s.value for s in statuses)))
        query = query.order_by(DutyRow.deadline, DutyRow.id).limit(limit)
        return [_duty(row) for row in self.session.scalars(query)]

    def falling_due(
        self, organisation_code: str, *, since: datetime, until: datetime
    ) -> list[DutyRecord]:
        """The organisation's duties whose deadline lies in [since, until): a scorecard's."""
        query = (
            select(DutyRow)
            .where(
                DutyRow.organisation_code == organisation_code,
                DutyRow.deadline >= since,
                DutyRow.deadline < until,
            )
            .order_by(DutyRow.deadline, DutyRow.id)
        )
        return [_duty(row) for row in self.session.scalars(query)]

    def open_to_remind(
        self, *, again: Collection[DutyKind], drill_id: int | None = None
    ) -> list[DutyRecord]:
        """Open duties not yet reminded, and open ones of the kinds reminded `again`: the
        worker picks those whose next reminder is due.

        Real duties, or one drill's: a drill reminds its own on its clock.
        """
        query = (
            select(DutyRow)
            .where(
                DutyRow.status == DutyStatus.OPEN.value,
                or_(
                    DutyRow.reminded_at.is_(None),
                    DutyRow.kind.in_([kind.value for kind in again]),
                ),
                _of_drill(drill_id),
            )
            .order_by(DutyRow.deadline, DutyRow.id)
        )
        return [_duty(row) for row in self.session.scalars(query)]

    def mark_reminded(self, duty_id: int, now: datetime, *, last: datetime | None) -> bool:
        """Claim the reminder after the `last` one; False when another worker took it or the
        duty closed."""
        previous = DutyRow.reminded_at.is_(None) if last is None else DutyRow.reminded_at == last
        result = self.session.execute(
            update(DutyRow)
            .where(
                DutyRow.id == duty_id,
                DutyRow.status == DutyStatus.OPEN.value,
                previous,
            )
            .values(reminded_at=now)
        )
        # An UPDATE's result is a CursorResult, whose rowcount is the number of rows matched.
        return bool(cast(CursorResult[Any], result).rowcount)


def _of_drill(drill_id: int | None) -> ColumnElement[bool]:
    # A duty of no risk (a meeting's action, an annual item) is always a real one.
    of_risks = DutyRow.risk_id.in_(risk_ids_of_drill(drill_id))
    return or_(DutyRow.risk_id.is_(None), of_risks) if drill_id is None else of_risks


def _duty(row: DutyRow) -> DutyRecord:
    return DutyRecord(
        id=row.id,
        risk_id=row.risk_id,
        region_code=row.region_code,
        kind=DutyKind(row.kind),
        role=PartyRole(row.role),
        organisation_code=row.organisation_code,
        jurisdiction_code=row.jurisdiction_code,
        deadline=row.deadline,
        status=DutyStatus(row.status),
        assigned_at=row.assigned_at,
        done_at=row.done_at,
        done_by=row.done_by,
        done_via=row.done_via,
        reason=row.reason,
        reminded_at=row.reminded_at,
        task=row.task,
        title=row.title,
        title_en=row.title_en,
        source=row.source,
    )
