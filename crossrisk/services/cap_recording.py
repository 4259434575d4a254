"""Storing a received CAP message with what it did, journalled in the same transaction."""

from __future__ import annotations

import hashlib
from dataclasses import replace
from datetime import datetime
from typing import Any

from crossrisk.alerts.cap.parse import IncomingAlert
from crossrisk.alerts.cap.render import cap_time
from crossrisk.domain.organisation import Actor
from crossrisk.domain.risk import (
    Risk,
)
from crossrisk.locale import EN, ZH_CN
from crossrisk.services.cap_receipts import (
    RECORD_NOTES,
    CapOutcome,
    CapReceipt,
    heard,
    record_note,
)
from crossrisk.store.repositories.received_alerts import ReceivedAlert
from crossrisk.store.uow import Transaction


def store_received(
    tx: Transaction,
    actor: Actor,
    alert: IncomingAlert,
    xml: bytes,
    outcome: CapOutcome,
    risk: Risk | None,
    *,
    region_code: str | None = None,
    now: datetime,
) -> ReceivedAlert:
    """Store the message with what it did and journal it; the stored record."""
    region = risk.region_code if risk is not None else region_code
    stored = tx.received_alerts.add(
        ReceivedAlert(
            id=None,
            sender=alert.sender,
            identifier=alert.identifier,
            sent=alert.sent,
            msg_type=alert.msg_type,
            status=alert.status,
            outcome=outcome.value,
            region_code=region,
            risk_id=None if risk is None else risk.id,
            received_at=now,
            received_by=actor.username,
            xml_sha256=hashlib.sha256(xml).hexdigest(),
        ),
        xml=xml,
        references=[(r.sender, r.identifier) for r in alert.references],
    )
    subject = f"risk:{risk.id}" if risk is not None else f"cap-alert:{stored.id}"
    payload: dict[str, Any] = {
        "sender": alert.sender,
        "identifier": alert.identifier,
        "sent": cap_time(alert.sent),
        "msg_type": alert.msg_type,
        "status": alert.status,
        "references": [f"{r.sender},{r.identifier}" for r in alert.references],
        "outcome": outcome.value,
        "risk_id": None if risk is None else risk.id,
        "region": region,
        # The stored bytes can be checked against the journal at any time.
        "xml_sha256": stored.xml_sha256,
    }
    if outcome in RECORD_NOTES:
        payload["note"] = {locale: record_note(outcome, locale) for locale in (ZH_CN, EN)}
    tx.record(actor, "cap.received", subject=subject, payload=payload, region_code=region, now=now)
    return stored


def already_received(tx: Transaction, alert: IncomingAlert) -> CapReceipt | None:
    """The receipt of this sender's identifier when it arrived before, else None."""
    known = tx.received_alerts.find(alert.sender, alert.identifier)
    if known is None:
        return None
    return replace(
        heard(alert, CapOutcome.ALREADY_RECEIVED),
        risk_id=known.risk_id,
        region_code=known.region_code,
    )
