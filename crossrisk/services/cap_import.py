"""Receiving CAP 1.2 alerts from other systems: each opens, updates or withdraws a risk.

A meteorological or hydrological service, or another region's platform, sends a CAP
alert; it becomes a risk of this platform located by the alert's polygons, circles and
area codes, so the reach, the responsibility list and the warnings follow as for any other
risk.

Every message valid against the CAP 1.2 schema is received and recorded with what was
done with it; only those that touch a member jurisdiction open or change a risk. A feed
sends every kind of valid alert, and a 4xx to a valid one makes the sending system report
a fault that is none (or, for a feed poller, stop at it).

- msgType Alert opens a risk; Update changes the risk its <references> name, or opens one
  when it names no alert received here (a feed joined midway); Cancel withdraws (closes)
  the risk, or is recorded when it names none. Ack and Error are recorded.
- Only status Actual touches risks. Exercise (for drills, once they exist), System, Test
  and Draft messages are checked in full (located, permission, mapping) and recorded, but
  change no risk: a drill or a feed's heartbeat must never open a real risk, and a sender
  testing its link learns what an Actual message would have done.
- An alert whose area lies outside every region, or that has no shape or Chinese area code
  to place it by, or whose <expires> has passed, is recorded and opens nothing. One sent
  more than an hour in the future is refused (alerts/cap/freshness.py).
- (sender, identifier) names one message (CAP 1.2 §3.2.1); the same pair again is
  acknowledged as already received and changes nothing, so a redelivery is harmless.
- The received bytes are stored with what they did, in the same transaction as the risk
  change they caused: either both are there or neither is.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

from crossrisk.alerts.cap.freshness import check_sent, has_expired
from crossrisk.alerts.cap.mapping import IncomingMapping, load_incoming_mapping
from crossrisk.alerts.cap.parse import IncomingAlert, parse_cap
from crossrisk.alerts.cap.reading import (
    ACTED_ON,
    AlertReading,
    check_identity,
    read_alert_if_any,
    risk_description,
    risk_title,
)
from crossrisk.alerts.cap.render import cap_time
from crossrisk.domain.errors import Conflict, NotPermitted
from crossrisk.domain.organisation import Actor
from crossrisk.domain.permissions.cap_senders import can_send_cap
from crossrisk.domain.risk import (
    Risk,
    RiskCategory,
    RiskDraft,
    RiskStatus,
)
from crossrisk.geo.cap_area import Placement, Unplaced
from crossrisk.geo.hazard import to_geojson
from crossrisk.services import cap_senders, risks
from crossrisk.services.cap_placement import hazard_type_for, place_alert
from crossrisk.services.cap_receipts import (
    CapOutcome,
    CapReceipt,
    heard,
    receipt,
)
from crossrisk.services.cap_recording import already_received, store_received
from crossrisk.services.cap_references import (
    change_for,
    referenced_risk,
    require_change,
    risk_of_later_word,
)
from crossrisk.services.policy_tables import event_level_matrix, firing_assessment
from crossrisk.store.uow import Transaction, UnitOfWork


def receive_cap(
    uow: UnitOfWork, actor: Actor, xml: bytes, *, now: datetime, feed_id: int | None = None
) -> CapReceipt:
    """Check a CAP 1.2 message from another system and open, update or withdraw its risk.

    One transaction: the message's sender is authorised, the message placed, checked for
    an earlier delivery, applied to its risk and stored with what it did, or none of it
    happens. `feed_id` names the registered feed it came from, if it came from one.
    """
    alert = parse_cap(xml)
    check_identity(alert)
    mapping = load_incoming_mapping()
    try:
        with uow as tx:
            sender = cap_senders.authorise_sender(tx, actor, alert, xml, feed_id=feed_id)
            alert = replace(alert, sender=sender)
            receipt = _receive(tx, actor, alert, xml, mapping, now=now)
            if receipt.outcome is not CapOutcome.ALREADY_RECEIVED:
                tx.commit()
            return receipt
    except Conflict as error:
        if error.key != "cap-already-received":
            raise
    # Another delivery of the same message committed between our check and our insert.
    with uow.read_only() as tx:
        already = already_received(tx, alert)
        assert already is not None
        return already


def _receive(
    tx: Transaction,
    actor: Actor,
    alert: IncomingAlert,
    xml: bytes,
    mapping: IncomingMapping,
    *,
    now: datetime,
) -> CapReceipt:
    check_sent(alert, now=now)
    reading = read_alert_if_any(alert, mapping, colours=firing_assessment())
    if alert.msg_type not in ACTED_ON:
        return _record_only(tx, actor, alert, xml, reading, CapOutcome.NOT_ACTED_ON, now=now)
    if alert.status != "Actual":
        outcome = CapOutcome.EXERCISE if alert.status == "Exercise" else CapOutcome.NOT_ACTUAL
        return _record_only(tx, actor, alert, xml, reading, outcome, now=now)
    if has_expired(alert, now=now):
        return _record_only(tx, actor, alert, xml, reading, CapOutcome.EXPIRED, now=now)
    if alert.msg_type == "Cancel":
        return _cancel(tx, actor, alert, xml, now=now)
    if alert.msg_type == "Alert" and (newer := risk_of_later_word(tx, alert)) is not None:
        return _older_news(tx, actor, alert, xml, reading, newer, now=now)
    if reading is None:
        return _record_only(tx, actor, alert, xml, None, CapOutcome.NOT_PLACED, now=now)
    risk = referenced_risk(tx, alert, for_update=True) if alert.msg_type == "Update" else None
    if risk is None:
        # An Update of an alert never received here is the feed's word on a warning in
        # force: joined midway, the platform opens the risk as the Alert would have.
        return _open(tx, actor, alert, xml, reading, now=now)
    return _update(tx, actor, alert, xml, reading, risk, now=now)


# ---------------------------------------------------------------------------------------
# The paths


def _open(
    tx: Transaction,
    actor: Actor,
    alert: IncomingAlert,
    xml: bytes,
    reading: AlertReading,
    *,
    now: datetime,
) -> CapReceipt:
    place = place_alert(tx, actor, reading.blocks)
    if isinstance(place, Unplaced):
        return _record_only(
            tx, actor, alert, xml, reading, CapOutcome(place.value), place=place, now=now
        )
    if (already := already_received(tx, alert)) is not None:
        return already
    draft = RiskDraft(
        category=RiskCategory(reading.rule.risk_category),
        title=risk_title(alert, reading.primary),
        description=risk_description(alert, reading.primary),
        hazard_geometry=to_geojson(place.geometry),
        likelihood=reading.likelihood,
        consequence=reading.consequence,
        hazard_type=hazard_type_for(tx, reading.rule, place),
    )
    risk = risks.register(tx, actor, draft, region_code=place.region_code, now=now)
    store_received(tx, actor, alert, xml, CapOutcome.OPENED, risk, now=now)
    return receipt(alert, CapOutcome.OPENED, risk, clipped=place.clipped, reading=reading)


def _update(
    tx: Transaction,
    actor: Actor,
    alert: IncomingAlert,
    xml: bytes,
    reading: AlertReading,
    risk: Risk,
    *,
    now: datetime,
) -> CapReceipt:
    require_change(actor, risk)
    place = place_alert(tx, actor, reading.blocks, region_code=risk.region_code)
    if isinstance(place, Unplaced):
        # Moved out of the risk's region, or given no area: the risk stays as it is.
        return _record_only(
            tx, actor, alert, xml, reading, CapOutcome(place.value), place=place, now=now
        )
    if (already := already_received(tx, alert)) is not None:
        return already
    if risk.status is RiskStatus.CLOSED:
        # Closed already (withdrawn by a Cancel or by people): the late word is kept and
        # the risk is not reopened behind its leaders' backs.
        store_received(tx, actor, alert, xml, CapOutcome.UNCHANGED, risk, now=now)
        return receipt(alert, CapOutcome.UNCHANGED, risk, reading=reading)
    assert risk.id is not None
    change = change_for(tx, risk, alert, reading, place)
    changed = risks.change_in(tx, actor, risk.id, change, expected_version=risk.version, now=now)
    store_received(tx, actor, alert, xml, CapOutcome.UPDATED, changed, now=now)
    return receipt(alert, CapOutcome.UPDATED, changed, clipped=place.clipped, reading=reading)


def _cancel(
    tx: Transaction, actor: Actor, alert: IncomingAlert, xml: bytes, *, now: datetime
) -> CapReceipt:
    before = referenced_risk(tx, alert, for_update=True)
    if before is None:
        return _record_only(tx, actor, alert, xml, None, CapOutcome.UNMATCHED, now=now)
    require_change(actor, before)
    if (already := already_received(tx, alert)) is not None:
        return already
    if before.status is RiskStatus.CLOSED:
        # Closed by people already: the sender's Cancel agrees; there is nothing to undo.
        store_received(tx, actor, alert, xml, CapOutcome.UNCHANGED, before, now=now)
        return receipt(alert, CapOutcome.UNCHANGED, before)
    assert before.id is not None
    reason = f"withdrawn by CAP Cancel {alert.identifier} from {alert.sender}, " + (
        f"sent {cap_time(alert.sent)}"
    )
    risk = risks.withdraw(
        tx,
        actor,
        before.id,
        reason=reason,
        now=now,
        extra={"cap": {"sender": alert.sender, "identifier": alert.identifier}},
    )
    store_received(tx, actor, alert, xml, CapOutcome.CLOSED, risk, now=now)
    return receipt(alert, CapOutcome.CLOSED, risk)


def _older_news(
    tx: Transaction,
    actor: Actor,
    alert: IncomingAlert,
    xml: bytes,
    reading: AlertReading | None,
    risk: Risk,
    *,
    now: datetime,
) -> CapReceipt:
    """An Alert whose Update or Cancel arrived first: kept with its risk, which is not
    opened twice nor set back to what the Alert said."""
    require_change(actor, risk)
    if (already := already_received(tx, alert)) is not None:
        return already
    store_received(tx, actor, alert, xml, CapOutcome.UNCHANGED, risk, now=now)
    return receipt(alert, CapOutcome.UNCHANGED, risk, reading=reading)


def _record_only(
    tx: Transaction,
    actor: Actor,
    alert: IncomingAlert,
    xml: bytes,
    reading: AlertReading | None,
    outcome: CapOutcome,
    *,
    place: Placement | Unplaced | None = None,
    now: datetime,
) -> CapReceipt:
    """Record the message with why it touched no risk, after the same checks as an Actual.

    `place` is where the message was found to lie, if that was looked up already.
    """
    if place is None:
        place = Unplaced.NOT_PLACED
        if reading is not None and any(block.areas for block in reading.blocks):
            place = place_alert(tx, actor, reading.blocks)
    if isinstance(place, Unplaced) and not can_send_cap(actor):
        raise NotPermitted(
            f"{actor.organisation.code} ({actor.role}) may not send CAP messages to the platform"
        )
    if (already := already_received(tx, alert)) is not None:
        return already
    placed = place if isinstance(place, Placement) else None
    hazard_type = (
        None if placed is None or reading is None else hazard_type_for(tx, reading.rule, placed)
    )
    store_received(
        tx,
        actor,
        alert,
        xml,
        outcome,
        None,
        region_code=None if placed is None else placed.region_code,
        now=now,
    )
    return replace(
        heard(alert, outcome),
        region_code=None if placed is None else placed.region_code,
        category=None if reading is None else reading.rule.risk_category,
        hazard_type=hazard_type,
        level=None
        if reading is None
        else event_level_matrix().level(reading.likelihood, reading.consequence).value,
        origin_codes=() if placed is None else placed.origin_codes,
        clipped=False if placed is None else placed.clipped,
        colour=None if reading is None or reading.colour is None else reading.colour.key,
    )
