"""Early warnings: issued from each analysis, by hand, acknowledged, reminded, escalated.

Warnings follow the risk: `follow_analysis` runs inside the transaction that stores a new
analysis, so a risk's warnings always match its current reach, and every new message is
journaled and queued for delivery in that same transaction (an outbox: a crash after
commit loses nothing, a rollback sends nothing).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from functools import cache
from typing import Any

from shapely.geometry.base import BaseGeometry

from crossrisk.alerts.cap.mapping import load_cap_mapping
from crossrisk.alerts.cap.render import notice_text, render_cap
from crossrisk.domain import permissions
from crossrisk.domain.analysis import Analysis
from crossrisk.domain.delivery import Envelope, Purpose
from crossrisk.domain.errors import Conflict, InvalidInput, NotPermitted
from crossrisk.domain.organisation import Actor, OrganisationKind, Role, system_actor
from crossrisk.domain.responsibility import RegionBodies
from crossrisk.domain.risk import REASON_MAX, Risk, RiskStatus, check_text
from crossrisk.domain.warning import (
    IN_FORCE,
    INSTRUCTIONS_MAX,
    EarlyWarning,
    parse_level,
)
from crossrisk.domain.warning_plan import (
    Context,
    MessageType,
    Outgoing,
    WarningMessage,
    by_hand,
    cancellation,
    minutes_late,
    plan_closing,
    plan_from_reach,
)
from crossrisk.services import delivery
from crossrisk.services.policy_tables import hazard_types, warning_policy
from crossrisk.services.region_bodies import region_bodies
from crossrisk.store.uow import Transaction, UnitOfWork

# How an acknowledgement reached the platform (journaled: it matters for accountability).
ACK_VIA = ("page", "api", "email")
DELIVERY_ACTOR = "delivery"
DEADLINE_ACTOR = "deadlines"


def follow_analysis(
    tx: Transaction, actor: Actor, risk: Risk, analysis: Analysis, *, now: datetime
) -> list[WarningMessage]:
    """Issue, update or cancel the risk's warnings to match a new analysis (in an open tx)."""
    assert risk.id is not None
    if risk.status is RiskStatus.CLOSED:
        return follow_risk(tx, actor, risk, now=now)
    planned = plan_from_reach(
        analysis.reach,
        analysed_at=analysis.computed_at,
        origin_codes=risk.origin_codes,
        threads=tx.warnings.threads(risk.id),
        policy=warning_policy(),
        context=_context(tx, risk, now),
    )
    return _send(tx, actor, risk, planned, now=now)


def follow_risk(
    tx: Transaction, actor: Actor, risk: Risk, *, now: datetime
) -> list[WarningMessage]:
    """After a risk changes status: cancel its warnings when it closes (in an open tx)."""
    assert risk.id is not None
    if risk.status is not RiskStatus.CLOSED:
        analysis = tx.analyses.latest(risk.id)
        return [] if analysis is None else follow_analysis(tx, actor, risk, analysis, now=now)
    planned = plan_closing(
        tx.warnings.threads(risk.id), policy=warning_policy(), context=_context(tx, risk, now)
    )
    return _send(tx, actor, risk, planned, now=now)


def issue_warning(
    uow: UnitOfWork,
    actor: Actor,
    risk_id: int,
    *,
    recipient_code: str,
    level: object,
    instructions_zh: str = "",
    instructions_en: str = "",
    expected_arrival: datetime | None = None,
    now: datetime,
) -> WarningMessage:
    """The lead city or the coordination body warns a member jurisdiction by hand."""
    warning_level = parse_level(level)
    for name, text in (("instructions_zh", instructions_zh), ("instructions_en", instructions_en)):
        check_text(name, text, limit=INSTRUCTIONS_MAX, required=False)
    if expected_arrival is not None and expected_arrival.tzinfo is None:
        raise InvalidInput("expected_arrival must carry its UTC offset")
    with uow as tx:
        risk = tx.risks.get(risk_id, for_update=True)
        _require_warn(actor, risk)
        if risk.status is RiskStatus.CLOSED:
            raise Conflict(f"risk {risk_id} is closed; reopen it before warning anyone")
        members = set(tx.regions.geo(risk.region_code).index.codes)
        if recipient_code not in members:
            raise InvalidInput(
                f"{recipient_code} is not a member of region {risk.region_code}",
                key="warning-recipient-unknown",
                params={"code": recipient_code},
            )
        if recipient_code == actor.jurisdiction_code:
            raise InvalidInput("a city does not warn itself", key="warning-recipient-self")
        thread = tx.warnings.threads(risk_id).get(recipient_code)
        outgoing = by_hand(
            recipient_code,
            level=warning_level,
            arrival=expected_arrival,
            instructions=(instructions_zh, instructions_en),
            thread=thread,
            policy=warning_policy(),
            context=_context(tx, risk, now),
        )
        (message,) = _send(tx, actor, risk, [outgoing], now=now)
        tx.commit()
    return message


def cancel_warning(
    uow: UnitOfWork, actor: Actor, warning_id: str, *, reason: str, now: datetime
) -> WarningMessage:
    """Lift one warning by hand (the lead city or the coordination body), with the reason."""
    reason = check_text("reason", reason, limit=REASON_MAX)
    with uow as tx:
        current = tx.warnings.get(warning_id)
        risk = tx.risks.get(current.warning.risk_id, for_update=True)
        _require_warn(actor, risk)
        thread = tx.warnings.threads(risk.id or 0)[current.warning.recipient_code]
        if thread.current.id != warning_id or not _live(current):
            raise Conflict(
                f"warning {warning_id} is not the live message of its thread",
                key="warning-not-live",
                params={"id": warning_id},
            )
        outgoing = cancellation(thread, warning_policy(), _context(tx, risk, now))
        (message,) = _send(tx, actor, risk, [outgoing], now=now, reason=reason)
        tx.commit()
    return message


@dataclass(frozen=True, slots=True)
class Acknowledgement:
    """A warning as acknowledged, and whether this acknowledgement was the first."""

    message: WarningMessage
    first: bool  # False: it had been acknowledged already and nothing changed


def acknowledge(
    uow: UnitOfWork, actor: Actor, warning_id: str, *, via: str, now: datetime
) -> WarningMessage:
    """The recipient's duty officer confirms receipt; a late one is journaled as late."""
    if via not in ACK_VIA:
        raise InvalidInput(f"acknowledged via {via!r}; known: {', '.join(ACK_VIA)}")
    with uow as tx:
        done = _acknowledge(tx, actor, warning_id, via=via, now=now)
        tx.commit()
    return done.message


def acknowledge_by_link(uow: UnitOfWork, warning_id: str, *, now: datetime) -> Acknowledgement:
    """Acknowledge through the signed link of the e-mail (the link was checked by the caller)."""
    with uow as tx:
        message = tx.warnings.get(warning_id)
        organisation = tx.organisations.get(message.recipient_organisation)
        # The link's token names the warning; whoever holds it acts for its recipient.
        actor = Actor(
            username=f"email:{organisation.code}",
            organisation=organisation,
            role=Role.OFFICER,
            region_codes=frozenset({message.warning.region_code}),
        )
        done = _acknowledge(tx, actor, warning_id, via="email", now=now)
        tx.commit()
    return done


def _acknowledge(
    tx: Transaction, actor: Actor, warning_id: str, *, via: str, now: datetime
) -> Acknowledgement:
    message = tx.warnings.get(warning_id)
    if not permissions.can_acknowledge(actor, message.recipient_organisation):
        raise NotPermitted(
            f"only an officer of {message.recipient_organisation} may acknowledge "
            f"warning {warning_id}",
            key="warning-ack-not-recipient",
            params={"organisation": message.recipient_organisation},
        )
    if message.acknowledged_at is not None:
        return Acknowledgement(message, first=False)  # a second click changes nothing
    if not tx.warnings.acknowledge(warning_id, by=actor.username, via=via, now=now):
        raise Conflict(
            f"warning {warning_id} is {message.warning.status} and needs no acknowledgement",
            key="warning-not-awaiting-ack",
            params={"id": warning_id, "status": message.warning.status.value},
        )
    late = minutes_late(message.warning, now)
    # Journaled as it is now: the entry's status says "acknowledged", as live readers expect.
    acknowledged = tx.warnings.get(warning_id)
    _journal(
        tx,
        actor,
        "warning.acknowledged",
        acknowledged,
        now=now,
        extra={"via": via, "late": late > 0, "minutes_late": round(late, 1)},
    )
    return Acknowledgement(acknowledged, first=True)


@dataclass(frozen=True, slots=True)
class SweepReport:
    reminded: int = 0
    escalated: int = 0
    expired: int = 0


def sweep_deadlines(uow: UnitOfWork, *, now: datetime) -> SweepReport:
    """Remind at half the deadline, escalate at the deadline, expire after validity.

    Safe to run in several processes at once: each step is a conditional update, and only
    the process whose update took effect journals and sends.
    """
    actor = system_actor(DEADLINE_ACTOR)
    reminded = escalated = expired = 0
    with uow as tx:
        for message in tx.warnings.due_reminders(now):
            if tx.warnings.mark_reminded(message.id, now):
                _journal(tx, actor, "warning.reminded", message, now=now)
                _enqueue(tx, message, Purpose.REMINDER, message.recipient_organisation, now)
                reminded += 1
        for message in tx.warnings.due_escalations(now):
            if tx.warnings.mark_escalated(message.id, now):
                committee = region_bodies(tx, message.warning.region_code).coordination_body
                # Not yet acknowledged at the deadline: a missing acknowledgement so far,
                # which the accountability mechanism reads from this entry.
                _journal(
                    tx,
                    actor,
                    "warning.escalated",
                    message,
                    now=now,
                    extra={"to": committee, "late": True},
                )
                _enqueue(tx, message, Purpose.ESCALATION, committee, now)
                escalated += 1
        for message in tx.warnings.due_expiry(now):
            if tx.warnings.expire(message.id):
                missing = message.acknowledged_at is None
                action = "warning.unacknowledged" if missing else "warning.expired"
                expired_message = tx.warnings.get(message.id)
                _journal(
                    tx, actor, action, expired_message, now=now, extra={"missing_ack": missing}
                )
                expired += 1
        tx.commit()
    return SweepReport(reminded=reminded, escalated=escalated, expired=expired)


def record_delivered(tx: Transaction, envelope: Envelope, now: datetime) -> None:
    """The first successful delivery of a warning marks it delivered (in the open tx)."""
    if envelope.purpose is not Purpose.WARNING:
        return
    if tx.warnings.mark_delivered(envelope.warning_id, now):
        message = tx.warnings.get(envelope.warning_id)
        _journal(tx, system_actor(DELIVERY_ACTOR), "warning.delivered", message, now=now)


def inbox(uow: UnitOfWork, actor: Actor, *, limit: int = 200) -> list[WarningMessage]:
    """The newest message of every warning thread the actor's organisation should see.

    A city sees the warnings addressed to it; the coordination body, offices, evaluators
    and the central office see every warning of the regions they read.
    """
    with uow.read_only() as tx:
        if actor.kind is OrganisationKind.JURISDICTION:
            return tx.warnings.newest(
                recipient_code=actor.jurisdiction_code,
                region_codes=sorted(actor.region_codes),
                limit=limit,
            )
        regions = permissions.readable_regions(actor)
        return tx.warnings.newest(region_codes=regions, limit=limit)


def warnings_of_risk(uow: UnitOfWork, actor: Actor, risk_id: int) -> list[WarningMessage]:
    """The newest message of each recipient of one risk."""
    with uow.read_only() as tx:
        risk = tx.risks.get(risk_id)
        permissions.require_read_region(actor, risk.region_code)
        return tx.warnings.newest(risk_id=risk_id)


def get_warning(uow: UnitOfWork, actor: Actor, warning_id: str) -> WarningMessage:
    with uow.read_only() as tx:
        message = tx.warnings.get(warning_id)
        permissions.require_read_region(actor, message.warning.region_code)
        return message


def warning_thread(uow: UnitOfWork, actor: Actor, warning_id: str) -> list[WarningMessage]:
    """Every message of the warning's thread, oldest first."""
    with uow.read_only() as tx:
        message = tx.warnings.get(warning_id)
        permissions.require_read_region(actor, message.warning.region_code)
        return tx.warnings.history(message.warning.risk_id, message.warning.recipient_code)


def cap_document(uow: UnitOfWork, actor: Actor, warning_id: str) -> bytes:
    """The CAP XML exactly as it was delivered."""
    with uow.read_only() as tx:
        message = tx.warnings.get(warning_id)
        permissions.require_read_region(actor, message.warning.region_code)
        return tx.warnings.cap_xml(warning_id)


def sender_id(region_code: str) -> str:
    """The CAP sender of a region's warnings."""
    return f"crossrisk-{region_code}"


def _require_warn(actor: Actor, risk: Risk) -> None:
    permissions.require_read_region(actor, risk.region_code)
    if not permissions.can_warn(
        actor, region_code=risk.region_code, origin_codes=risk.origin_codes
    ):
        raise NotPermitted(
            f"only the lead city or the coordination body may warn for risk {risk.id}",
            key="warning-not-permitted",
        )


def _live(message: WarningMessage) -> bool:
    # In force at the receiver: awaiting or past acknowledgement, not lifted or expired.
    return message.warning.status in IN_FORCE


def _context(tx: Transaction, risk: Risk, now: datetime) -> Context:
    assert risk.id is not None
    return Context(
        risk_id=risk.id,
        region_code=risk.region_code,
        state=tx.regions.state(risk.region_code),
        now=now,
    )


def _send(
    tx: Transaction,
    actor: Actor,
    risk: Risk,
    planned: Iterable[Outgoing],
    *,
    now: datetime,
    reason: str = "",
) -> list[WarningMessage]:
    stored: list[WarningMessage] = []
    planned = list(planned)
    bodies = region_bodies(tx, risk.region_code) if planned else None
    for outgoing in planned:
        assert bodies is not None
        organisation = _jurisdiction_organisation(bodies, outgoing.warning.recipient_code)
        cap_xml = _render(tx, risk, outgoing.warning, outgoing.msg_type)
        message = tx.warnings.add(
            outgoing,
            recipient_organisation=organisation,
            issued_by=actor.username,
            cap_xml=cap_xml,
        )
        action = {
            MessageType.ALERT: "warning.issued",
            MessageType.UPDATE: "warning.updated",
            MessageType.CANCEL: "warning.cancelled",
        }[outgoing.msg_type]
        extra: dict[str, Any] = {"reason": reason} if reason else {}
        if outgoing.replaces is not None:
            extra["replaces"] = outgoing.replaces.id
        _journal(tx, actor, action, message, now=now, extra=extra)
        purpose = (
            Purpose.CANCELLATION if outgoing.msg_type is MessageType.CANCEL else Purpose.WARNING
        )
        _enqueue(tx, message, purpose, organisation, now, risk=risk, cap_xml=cap_xml)
        stored.append(message)
    return stored


def _render(tx: Transaction, risk: Risk, warning: EarlyWarning, msg_type: MessageType) -> bytes:
    geo = tx.regions.geo(risk.region_code)
    name_zh, name_en = geo.names[warning.recipient_code]
    event_zh, event_en = _event_names(risk.hazard_type)
    mapping = load_cap_mapping()
    return render_cap(
        warning,
        sender=sender_id(risk.region_code),
        area_polygons=[_boundary(geo.index.codes, geo.index.boundaries, warning.recipient_code)],
        geocodes=[warning.recipient_code],
        area_name_zh=name_zh,
        area_name_en=name_en,
        event_zh=event_zh,
        event_en=event_en,
        category=mapping.cap_categories(risk.category.value, risk.hazard_type),
        msg_type=msg_type.value,
        sent=warning.issued_at,
        mapping=mapping,
    )


def _enqueue(
    tx: Transaction,
    message: WarningMessage,
    purpose: Purpose,
    organisation_code: str,
    now: datetime,
    *,
    risk: Risk | None = None,
    cap_xml: bytes | None = None,
) -> None:
    warning = message.warning
    risk = risk or tx.risks.get(warning.risk_id)
    geo = tx.regions.geo(warning.region_code)
    area_zh, area_en = geo.names[warning.recipient_code]
    event_zh, event_en = _event_names(risk.hazard_type)
    subject, body = notice_text(
        warning,
        event_zh=event_zh,
        event_en=event_en,
        area_name_zh=area_zh,
        area_name_en=area_en,
        msg_type=message.msg_type.value,
        sent=warning.issued_at,
    )
    prefix = {
        Purpose.WARNING: "",
        Purpose.CANCELLATION: "",
        Purpose.REMINDER: "【提醒 Reminder】",
        Purpose.ESCALATION: "【超时未确认 Not acknowledged】",
    }[purpose]
    delivery.enqueue(
        tx,
        Envelope(
            warning_id=warning.id,
            purpose=purpose,
            region_code=warning.region_code,
            jurisdiction_code=warning.recipient_code,
            subject=prefix + subject,
            body=body,
            cap_xml=cap_xml if cap_xml is not None else tx.warnings.cap_xml(warning.id),
            ack_url=None,
        ),
        organisation_code=organisation_code,
        now=now,
    )


def _journal(
    tx: Transaction,
    actor: Actor,
    action: str,
    message: WarningMessage,
    *,
    now: datetime,
    extra: dict[str, Any] | None = None,
) -> None:
    warning = message.warning
    payload: dict[str, Any] = {
        "warning": warning.id,
        "risk_id": warning.risk_id,
        "region": warning.region_code,
        "recipient": warning.recipient_code,
        "organisation": message.recipient_organisation,
        "level": int(warning.level),
        "msg_type": message.msg_type.value,
        "status": warning.status.value,
        "expected_arrival": _iso(warning.expected_arrival),
        "ack_deadline": warning.ack_deadline.isoformat(),
        **(extra or {}),
    }
    subject = f"warning:{warning.id}"
    tx.record(
        actor, action, subject=subject, payload=payload, region_code=warning.region_code, now=now
    )


def _iso(moment: datetime | None) -> str | None:
    return None if moment is None else moment.isoformat()


def _jurisdiction_organisation(bodies: RegionBodies, code: str) -> str:
    organisation = bodies.jurisdiction_organisations.get(code)
    if organisation is None:
        raise InvalidInput(
            f"jurisdiction {code} has no organisation to warn",
            key="warning-recipient-unknown",
            params={"code": code},
        )
    return organisation


def _boundary(codes: list[str], boundaries: Any, code: str) -> BaseGeometry:
    geometry: BaseGeometry = boundaries[codes.index(code)]
    return geometry


@cache
def _event_names(hazard_type: str) -> tuple[str, str]:
    # The hazard type's name says how it travels in brackets; a CAP event is its first part.
    found = hazard_types().get(hazard_type)
    if found is None:
        return hazard_type, hazard_type
    return found.name_zh.split("（")[0], found.name_en.split(" (")[0]
