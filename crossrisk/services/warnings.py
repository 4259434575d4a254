"""Early warnings: issued from each analysis, by hand, acknowledged, reminded, escalated.

Warnings follow the risk: `follow_analysis` runs inside the transaction that stores a new
analysis, so a risk's warnings always match its current reach, and every new message is
journaled and queued for delivery in that same transaction (an outbox: a crash after
commit loses nothing, a rollback sends nothing).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from crossrisk.domain.analysis import Analysis
from crossrisk.domain.delivery import Envelope, Purpose
from crossrisk.domain.errors import Conflict, InvalidInput, NotPermitted
from crossrisk.domain.moments import in_utc
from crossrisk.domain.organisation import Actor, OrganisationKind, Role, system_actor
from crossrisk.domain.permissions.regions import (
    province_covers,
    readable_regions,
    require_read_region,
)
from crossrisk.domain.permissions.warnings import can_acknowledge, can_warn
from crossrisk.domain.responsibility import DutyKind
from crossrisk.domain.risk import REASON_MAX, Risk, RiskStatus, check_text
from crossrisk.domain.warning import (
    IN_FORCE,
    INSTRUCTIONS_MAX,
    parse_level,
)
from crossrisk.domain.warning_plan import (
    WarningMessage,
    WarningPolicy,
    by_hand,
    cancellation,
    minutes_late,
    plan_closing,
    plan_from_reach,
)
from crossrisk.services import duties, plans
from crossrisk.services import warning_messages as messages
from crossrisk.services.policy_tables import plan_warning_policy
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
        policy=_policy(tx, risk),
        context=messages.context(tx, risk, now),
    )
    return messages.send(tx, actor, risk, planned, now=now)


def follow_risk(
    tx: Transaction, actor: Actor, risk: Risk, *, now: datetime
) -> list[WarningMessage]:
    """After a risk changes status: cancel its warnings when it closes (in an open tx)."""
    assert risk.id is not None
    if risk.status is not RiskStatus.CLOSED:
        analysis = tx.analyses.latest(risk.id)
        if analysis is None:
            return []
        sent = follow_analysis(tx, actor, risk, analysis, now=now)
        # A reopened risk owes its list again; otherwise this changes nothing.
        duties.follow_analysis(tx, actor, risk, analysis, now=now)
        return sent
    planned = plan_closing(
        tx.warnings.threads(risk.id),
        policy=_policy(tx, risk),
        context=messages.context(tx, risk, now),
    )
    duties.follow_closing(tx, actor, risk, now=now)
    return messages.send(tx, actor, risk, planned, now=now)


def _policy(tx: Transaction, risk: Risk) -> WarningPolicy:
    """The warning policy under the plan that drew the risk's list (analysis activates it
    before its warnings follow)."""
    assert risk.id is not None
    return plan_warning_policy(plans.risk_plan(tx, risk.id))


ARRIVAL_WITHIN = timedelta(days=366)


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
    if expected_arrival is not None:
        expected_arrival = in_utc(expected_arrival, field="expected_arrival")
        # A hazard a year away is no warning; further still, deadlines and the CAP expiry
        # computed from it would leave the calendar.
        if abs(expected_arrival - now) > ARRIVAL_WITHIN:
            raise InvalidInput(
                f"expected_arrival {expected_arrival.isoformat()} is more than a year from now",
                key="warning-arrival-implausible",
            )
    with uow as tx:
        risk = tx.risks.get(risk_id, for_update=True)
        _require_warn(actor, risk)
        if risk.status is RiskStatus.CLOSED:
            raise Conflict(
                f"risk {risk_id} is closed; reopen it before warning anyone",
                key="warning-risk-closed",
                params={"risk": risk_id},
            )
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
            policy=_policy(tx, risk),
            context=messages.context(tx, risk, now),
        )
        (message,) = messages.send(tx, actor, risk, [outgoing], now=now)
        # The city's duty is due when this warning must be acknowledged: one deadline.
        duties.follow_warning(tx, actor, message, now=now)
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
        outgoing = cancellation(thread, _policy(tx, risk), messages.context(tx, risk, now))
        (message,) = messages.send(tx, actor, risk, [outgoing], now=now, reason=reason)
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
    if not can_acknowledge(actor, message.recipient_organisation):
        raise NotPermitted(
            f"only an officer of {message.recipient_organisation} may acknowledge "
            f"warning {warning_id}",
            key="warning-ack-not-recipient",
            params={"organisation": message.recipient_organisation},
        )
    if message.acknowledged_at is not None:
        return Acknowledgement(message, first=False)  # a second click changes nothing
    if not tx.warnings.acknowledge(warning_id, by=actor.username, via=via, now=now):
        current = tx.warnings.get(warning_id)
        if current.acknowledged_at is not None:
            # Another click (another tab, the e-mail link) got there first: the warning is
            # acknowledged, as this officer wanted, and nothing more is recorded.
            return Acknowledgement(current, first=False)
        raise Conflict(
            f"warning {warning_id} is {message.warning.status} and needs no acknowledgement",
            key="warning-not-awaiting-ack",
            params={"id": warning_id, "status": message.warning.status.value},
        )
    late = minutes_late(message.warning, now)
    # Journaled as it is now: the entry's status says "acknowledged", as live readers expect.
    acknowledged = tx.warnings.get(warning_id)
    messages.record(
        tx,
        actor,
        "warning.acknowledged",
        acknowledged,
        now=now,
        extra={"via": via, "late": late > 0, "minutes_late": round(late, 1)},
    )
    # Acknowledging is what the city's prepare_and_acknowledge duty asks for.
    duties.complete(
        tx,
        actor,
        risk_id=message.warning.risk_id,
        kind=DutyKind.PREPARE_AND_ACKNOWLEDGE,
        organisation_code=message.recipient_organisation,
        via="warning.acknowledged",
        now=now,
    )
    return Acknowledgement(acknowledged, first=True)


@dataclass(frozen=True, slots=True)
class SweepReport:
    reminded: int = 0
    escalated: int = 0
    expired: int = 0


def sweep_deadlines(uow: UnitOfWork, *, now: datetime, drill_id: int | None = None) -> SweepReport:
    """Remind at half the deadline, escalate at the deadline, expire after validity.

    Safe to run in several processes at once: each step is a conditional update, and only
    the process whose update took effect journals and sends. The worker sweeps real
    warnings; a drill's runner sweeps its own (`drill_id`) with the drill's clock.
    """
    actor = system_actor(DEADLINE_ACTOR)
    reminded = escalated = expired = 0
    with uow as tx:
        for message in tx.warnings.due_reminders(now, drill_id=drill_id):
            if tx.warnings.mark_reminded(message.id, now):
                messages.record(tx, actor, "warning.reminded", message, now=now)
                messages.enqueue(tx, message, Purpose.REMINDER, message.recipient_organisation, now)
                reminded += 1
        for message in tx.warnings.due_escalations(now, drill_id=drill_id):
            if tx.warnings.mark_escalated(message.id, now):
                committee = region_bodies(tx, message.warning.region_code).coordination_body
                # Not yet acknowledged at the deadline: a missing acknowledgement so far,
                # which the accountability mechanism reads from this entry.
                messages.record(
                    tx,
                    actor,
                    "warning.escalated",
                    message,
                    now=now,
                    extra={"to": committee, "late": True},
                )
                messages.enqueue(tx, message, Purpose.ESCALATION, committee, now)
                escalated += 1
        for message in tx.warnings.due_expiry(now, drill_id=drill_id):
            if tx.warnings.expire(message.id):
                missing = message.acknowledged_at is None
                action = "warning.unacknowledged" if missing else "warning.expired"
                expired_message = tx.warnings.get(message.id)
                messages.record(
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
        messages.record(tx, system_actor(DELIVERY_ACTOR), "warning.delivered", message, now=now)


def inbox(uow: UnitOfWork, actor: Actor, *, limit: int = 200) -> list[WarningMessage]:
    """The newest message of every warning thread the actor's organisation should see.

    A city sees the warnings addressed to it, a province those to its cities; the
    coordination body, offices, evaluators and the central office see every warning of
    the regions they read.
    """
    with uow.read_only() as tx:
        if actor.kind is OrganisationKind.JURISDICTION:
            return tx.warnings.newest(
                recipient_code=actor.jurisdiction_code,
                region_codes=sorted(actor.region_codes),
                limit=limit,
            )
        regions = readable_regions(actor)
        if actor.kind is OrganisationKind.PROVINCE:
            # A province follows the warnings to its own cities, not the whole region.
            cities = {
                j.code
                for region in actor.region_codes
                for j in tx.regions.summaries(region)
                if province_covers(actor, j.code)
            }
            return tx.warnings.newest(region_codes=regions, recipient_codes=cities, limit=limit)
        return tx.warnings.newest(region_codes=regions, limit=limit)


def warnings_of_risk(uow: UnitOfWork, actor: Actor, risk_id: int) -> list[WarningMessage]:
    """The newest message of each recipient of one risk."""
    with uow.read_only() as tx:
        risk = tx.risks.get(risk_id)
        require_read_region(actor, risk.region_code)
        return tx.warnings.newest(risk_id=risk_id)


def get_warning(uow: UnitOfWork, actor: Actor, warning_id: str) -> WarningMessage:
    with uow.read_only() as tx:
        message = tx.warnings.get(warning_id)
        require_read_region(actor, message.warning.region_code)
        return message


def warning_thread(uow: UnitOfWork, actor: Actor, warning_id: str) -> list[WarningMessage]:
    """Every message of the warning's thread, oldest first."""
    with uow.read_only() as tx:
        message = tx.warnings.get(warning_id)
        require_read_region(actor, message.warning.region_code)
        return tx.warnings.history(message.warning.risk_id, message.warning.recipient_code)


def cap_document(uow: UnitOfWork, actor: Actor, warning_id: str) -> bytes:
    """The CAP XML exactly as it was delivered."""
    with uow.read_only() as tx:
        message = tx.warnings.get(warning_id)
        require_read_region(actor, message.warning.region_code)
        return tx.warnings.cap_xml(warning_id)


def _require_warn(actor: Actor, risk: Risk) -> None:
    require_read_region(actor, risk.region_code)
    if not can_warn(actor, region_code=risk.region_code, origin_codes=risk.origin_codes):
        raise NotPermitted(
            f"only the lead city or the coordination body may warn for risk {risk.id}",
            key="warning-not-permitted",
        )


def _live(message: WarningMessage) -> bool:
    # In force at the receiver: awaiting or past acknowledgement, not lifted or expired.
    return message.warning.status in IN_FORCE
