"""CAP alerts received from other systems: what arrived, from whom, and what it did."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from crossrisk.domain.errors import Conflict, NotFound
from crossrisk.store.models import ReceivedAlertRow, ReceivedReferenceRow


@dataclass(frozen=True, slots=True)
class ReceivedAlert:
    """One received CAP message, identified by its sender and identifier."""

    id: int | None
    sender: str
    identifier: str
    sent: datetime
    msg_type: str
    status: str
    # What receiving it did: a CapOutcome of services/cap_import.py (opened, updated,
    # closed, or recorded only: unchanged, not-actual, exercise, outside-region, …).
    outcome: str
    region_code: str | None
    risk_id: int | None
    received_at: datetime
    received_by: str
    xml_sha256: str


class ReceivedAlertRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def add(
        self,
        alert: ReceivedAlert,
        *,
        xml: bytes,
        references: Iterable[tuple[str, str]] = (),
    ) -> ReceivedAlert:
        """Store a received message with its bytes and the (sender, identifier) pairs it
        refers to; a second (sender, identifier) fails."""
        row = ReceivedAlertRow(
            sender=alert.sender,
            identifier=alert.identifier,
            sent=alert.sent,
            msg_type=alert.msg_type,
            status=alert.status,
            outcome=alert.outcome,
            region_code=alert.region_code,
            risk_id=alert.risk_id,
            received_at=alert.received_at,
            received_by=alert.received_by,
            xml=bytes(xml),
            xml_sha256=alert.xml_sha256,
        )
        self.session.add(row)
        try:
            self.session.flush()
        except IntegrityError:
            # The one unique key: a delivery of the same message committed first.
            raise Conflict(
                f"CAP message {alert.identifier} from {alert.sender} was received already",
                key="cap-already-received",
            ) from None
        self.session.add_all(
            ReceivedReferenceRow(received_alert_id=row.id, sender=sender, identifier=identifier)
            for sender, identifier in dict.fromkeys(references)
        )
        return replace(alert, id=row.id)

    def find(self, sender: str, identifier: str) -> ReceivedAlert | None:
        """The message this sender sent under this identifier, if it arrived."""
        row = self.session.scalars(
            select(ReceivedAlertRow).where(
                ReceivedAlertRow.sender == sender, ReceivedAlertRow.identifier == identifier
            )
        ).one_or_none()
        return None if row is None else _alert(row)

    def referring_to(self, sender: str, identifier: str) -> list[ReceivedAlert]:
        """Messages received earlier that name this one in their references, oldest first."""
        rows = self.session.scalars(
            select(ReceivedAlertRow)
            .join(
                ReceivedReferenceRow, ReceivedReferenceRow.received_alert_id == ReceivedAlertRow.id
            )
            .where(
                ReceivedReferenceRow.sender == sender,
                ReceivedReferenceRow.identifier == identifier,
            )
            .order_by(ReceivedAlertRow.id)
        ).all()
        return [_alert(row) for row in rows]

    def of_risk(self, risk_id: int) -> list[ReceivedAlert]:
        """Messages that opened or changed a risk, in the order they arrived."""
        rows = self.session.scalars(
            select(ReceivedAlertRow)
            .where(ReceivedAlertRow.risk_id == risk_id)
            .order_by(ReceivedAlertRow.id)
        ).all()
        return [_alert(row) for row in rows]

    def xml(self, alert_id: int) -> bytes:
        """The message's bytes exactly as they were received."""
        row = self.session.get(ReceivedAlertRow, alert_id)
        if row is None:
            raise NotFound(f"received CAP alert {alert_id} does not exist")
        return bytes(row.xml)


def _alert(row: ReceivedAlertRow) -> ReceivedAlert:
    return ReceivedAlert(
        id=row.id,
        sender=row.sender,
        identifier=row.identifier,
        sent=row.sent,
        msg_type=row.msg_type,
        status=row.status,
        outcome=row.outcome,
        region_code=row.region_code,
        risk_id=row.risk_id,
        received_at=row.received_at,
        received_by=row.received_by,
        xml_sha256=row.xml_sha256,
    )
