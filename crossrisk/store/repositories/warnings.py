"""Warning messages: threads per (risk, recipient), and the state changes after issue.

State changes are conditional updates (`… WHERE status IN …`) that report whether they
took effect, so two processes sweeping the same deadline, or a person acknowledging while
a reminder goes out, never both act on one message.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from datetime import datetime
from typing import Any

from sqlalchemy import Select, func, select, update
from sqlalchemy.orm import Session

from crossrisk.domain.errors import NotFound
from crossrisk.domain.warning import (
    AWAITING_ACK,
    TRANSITIONS,
    EarlyWarning,
    WarningLevel,
    WarningReference,
    WarningStatus,
)
from crossrisk.domain.warning_plan import (
    MessageType,
    Outgoing,
    Thread,
    WarningMessage,
    reminder_due,
)
from crossrisk.store.models import WarningRow
from crossrisk.store.repositories.risks import risk_ids_of_drill

_AWAITING = sorted(status.value for status in AWAITING_ACK)


def _from(target: WarningStatus) -> list[str]:
    """The statuses the domain lets a message move from to `target`."""
    return sorted(status.value for status in TRANSITIONS[target])


class WarningRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def add(
        self,
        outgoing: Outgoing,
        *,
        recipient_organisation: str,
        issued_by: str,
        cap_xml: bytes,
    ) -> WarningMessage:
        """Store a new message; the one it replaces becomes updated or cancelled."""
        warning = outgoing.warning
        assert warning.expires_at is not None
        if outgoing.replaces is not None:
            superseded = (
                WarningStatus.CANCELLED
                if outgoing.msg_type is MessageType.CANCEL
                else WarningStatus.UPDATED
            )
            self.session.execute(
                update(WarningRow)
                .where(
                    WarningRow.id == outgoing.replaces.id,
                    WarningRow.status.in_(_from(superseded)),
                )
                .values(status=superseded.value)
            )
        row = WarningRow(
            id=warning.id,
            risk_id=warning.risk_id,
            region_code=warning.region_code,
            recipient_code=warning.recipient_code,
            recipient_organisation=recipient_organisation,
            sequence=warning.sequence,
            msg_type=outgoing.msg_type.value,
            manual=outgoing.manual,
            level=int(warning.level),
            expected_arrival=warning.expected_arrival,
            instructions_zh=warning.instructions_zh,
            instructions_en=warning.instructions_en,
            status=warning.status.value,
            issued_at=warning.issued_at,
            issued_by=issued_by,
            ack_deadline=warning.ack_deadline,
            remind_at=reminder_due(warning),
            expires_at=warning.expires_at,
            references=[
                {"identifier": ref.identifier, "sent": ref.sent.isoformat()}
                for ref in warning.references
            ],
            observed=warning.observed,
            report=warning.report,
            cap_xml=cap_xml,
        )
        self.session.add(row)
        self.session.flush()
        return _message(row)

    def threads(self, risk_id: int) -> dict[str, Thread]:
        """The newest message of each recipient of a risk."""
        return {
            message.warning.recipient_code: message.thread()
            for message in self._newest(select(WarningRow).where(WarningRow.risk_id == risk_id))
        }

    def get(self, warning_id: str) -> WarningMessage:
        return _message(self._row(warning_id))

    def cap_xml(self, warning_id: str) -> bytes:
        return self._row(warning_id).cap_xml

    def newest(
        self,
        *,
        region_codes: Collection[str] | None = None,
        recipient_code: str | None = None,
        risk_id: int | None = None,
        limit: int = 500,
        recipient_codes: Collection[str] | None = None,
        drill_id: int | None = None,
    ) -> list[WarningMessage]:
        """The newest message of every thread, most recent first.

        Of real risks only, or of one drill's (`drill_id`); one risk's (`risk_id`) as it is.
        """
        query = select(WarningRow)
        if risk_id is None:
            query = query.where(WarningRow.risk_id.in_(risk_ids_of_drill(drill_id)))
        if region_codes is not None:
            query = query.where(WarningRow.region_code.in_(list(region_codes)))
        if recipient_code is not None:
            query = query.where(WarningRow.recipient_code == recipient_code)
        if recipient_codes is not None:
            query = query.where(WarningRow.recipient_code.in_(sorted(recipient_codes)))
        if risk_id is not None:
            query = query.where(WarningRow.risk_id == risk_id)
        messages = self._newest(query)
        messages.sort(key=lambda m: (m.warning.issued_at, m.id), reverse=True)
        return messages[:limit]

    def history(self, risk_id: int, recipient_code: str) -> list[WarningMessage]:
        """Every message of one thread, oldest first."""
        rows = self.session.scalars(
            select(WarningRow)
            .where(WarningRow.risk_id == risk_id, WarningRow.recipient_code == recipient_code)
            .order_by(WarningRow.sequence)
        )
        return [_message(row) for row in rows]

    def threads_of_regions(
        self, region_codes: Collection[str], *, limit: int
    ) -> list[list[WarningMessage]]:
        """Every thread of the regions' risks, real and of drills, each oldest message first."""
        rows = self.session.scalars(
            select(WarningRow)
            .where(WarningRow.region_code.in_(sorted(region_codes)))
            .order_by(WarningRow.risk_id, WarningRow.recipient_code, WarningRow.sequence)
            .limit(limit)
        )
        threads: dict[tuple[int, str], list[WarningMessage]] = {}
        for row in rows:
            threads.setdefault((row.risk_id, row.recipient_code), []).append(_message(row))
        return list(threads.values())

    def to_organisation(
        self, organisation_code: str, *, since: datetime, until: datetime
    ) -> list[WarningMessage]:
        """Every message to the organisation issued in [since, until): a scorecard's."""
        rows = self.session.scalars(
            select(WarningRow)
            .where(
                WarningRow.recipient_organisation == organisation_code,
                WarningRow.issued_at >= since,
                WarningRow.issued_at < until,
            )
            .order_by(WarningRow.issued_at, WarningRow.id)
        )
        return [_message(row) for row in rows]

    def mark_delivered(self, warning_id: str, now: datetime) -> bool:
        """The first successful delivery of a message; False when it was no longer issued."""
        return self._change(
            warning_id,
            _from(WarningStatus.DELIVERED),
            status=WarningStatus.DELIVERED.value,
            delivered_at=now,
        )

    def acknowledge(self, warning_id: str, *, by: str, via: str, now: datetime) -> bool:
        """Record the acknowledgement; False when the message no longer awaits one."""
        return self._change(
            warning_id,
            _from(WarningStatus.ACKNOWLEDGED),
            status=WarningStatus.ACKNOWLEDGED.value,
            acknowledged_at=now,
            acknowledged_by=by,
            acknowledged_via=via,
        )

    def mark_reminded(self, warning_id: str, now: datetime) -> bool:
        return self._change(
            warning_id, _AWAITING, extra=WarningRow.reminded_at.is_(None), reminded_at=now
        )

    def mark_escalated(self, warning_id: str, now: datetime) -> bool:
        return self._change(
            warning_id, _AWAITING, extra=WarningRow.escalated_at.is_(None), escalated_at=now
        )

    def expire(self, warning_id: str) -> bool:
        return self._change(
            warning_id, _from(WarningStatus.EXPIRED), status=WarningStatus.EXPIRED.value
        )

    # The sweeps take real warnings, or one drill's: a drill sweeps its own on its clock.
    def due_reminders(
        self, now: datetime, limit: int = 100, *, drill_id: int | None = None
    ) -> list[WarningMessage]:
        return self._due(
            WarningRow.remind_at <= now,
            WarningRow.reminded_at.is_(None),
            WarningRow.risk_id.in_(risk_ids_of_drill(drill_id)),
            limit=limit,
        )

    def due_escalations(
        self, now: datetime, limit: int = 100, *, drill_id: int | None = None
    ) -> list[WarningMessage]:
        return self._due(
            WarningRow.ack_deadline <= now,
            WarningRow.escalated_at.is_(None),
            WarningRow.risk_id.in_(risk_ids_of_drill(drill_id)),
            limit=limit,
        )

    def due_expiry(
        self, now: datetime, limit: int = 100, *, drill_id: int | None = None
    ) -> list[WarningMessage]:
        rows = self.session.scalars(
            select(WarningRow)
            .where(
                WarningRow.status.in_(_from(WarningStatus.EXPIRED)),
                WarningRow.expires_at <= now,
                WarningRow.risk_id.in_(risk_ids_of_drill(drill_id)),
            )
            .order_by(WarningRow.expires_at)
            .limit(limit)
        )
        return [_message(row) for row in rows]

    def _due(self, *conditions: object, limit: int) -> list[WarningMessage]:
        rows = self.session.scalars(
            select(WarningRow)
            .where(WarningRow.status.in_(_AWAITING), *conditions)  # type: ignore[arg-type]
            .order_by(WarningRow.ack_deadline)
            .limit(limit)
        )
        return [_message(row) for row in rows]

    def _change(
        self,
        warning_id: str,
        statuses: Iterable[str],
        *,
        extra: object = None,
        **values: object,
    ) -> bool:
        conditions = [WarningRow.id == warning_id, WarningRow.status.in_(list(statuses))]
        if extra is not None:
            conditions.append(extra)  # type: ignore[arg-type]
        result = self.session.execute(update(WarningRow).where(*conditions).values(**values))
        self.session.flush()
        return bool(result.rowcount)  # type: ignore[attr-defined]

    def _row(self, warning_id: str) -> WarningRow:
        row = self.session.get(WarningRow, warning_id, populate_existing=True)
        if row is None:
            raise NotFound(
                f"no warning {warning_id}", key="warning-unknown", params={"id": warning_id}
            )
        return row

    def _newest(self, query: Select[Any]) -> list[WarningMessage]:
        # The newest message of a thread is the one with its highest sequence.
        subquery = query.subquery()
        newest = (
            select(
                subquery.c.risk_id,
                subquery.c.recipient_code,
                func.max(subquery.c.sequence).label("sequence"),
            )
            .group_by(subquery.c.risk_id, subquery.c.recipient_code)
            .subquery()
        )
        rows = self.session.scalars(
            select(WarningRow).join(
                newest,
                (WarningRow.risk_id == newest.c.risk_id)
                & (WarningRow.recipient_code == newest.c.recipient_code)
                & (WarningRow.sequence == newest.c.sequence),
            )
        )
        return [_message(row) for row in rows]


def _message(row: WarningRow) -> WarningMessage:
    return WarningMessage(
        warning=EarlyWarning(
            id=row.id,
            risk_id=row.risk_id,
            region_code=row.region_code,
            recipient_code=row.recipient_code,
            level=WarningLevel(row.level),
            expected_arrival=row.expected_arrival,
            instructions_zh=row.instructions_zh,
            instructions_en=row.instructions_en,
            status=WarningStatus(row.status),
            issued_at=row.issued_at,
            ack_deadline=row.ack_deadline,
            sequence=row.sequence,
            references=tuple(
                WarningReference(
                    identifier=ref["identifier"], sent=datetime.fromisoformat(ref["sent"])
                )
                for ref in row.references
            ),
            observed=row.observed,
            expires_at=row.expires_at,
            report=row.report,
        ),
        msg_type=MessageType(row.msg_type),
        manual=row.manual,
        recipient_organisation=row.recipient_organisation,
        issued_by=row.issued_by,
        acknowledged_at=row.acknowledged_at,
        acknowledged_by=row.acknowledged_by,
        acknowledged_via=row.acknowledged_via,
        delivered_at=row.delivered_at,
        reminded_at=row.reminded_at,
        escalated_at=row.escalated_at,
    )
