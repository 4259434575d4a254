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

import hashlib
from collections.abc import Sequence
from dataclasses import replace
from datetime import datetime
from typing import Any

from shapely.geometry.base import BaseGeometry

from crossrisk.alerts.cap.freshness import check_sent, has_expired
from crossrisk.alerts.cap.mapping import IncomingMapping, IncomingRule, load_incoming_mapping
from crossrisk.alerts.cap.parse import IncomingAlert, IncomingInfo, parse_cap
from crossrisk.alerts.cap.reading import (
    ACTED_ON,
    AlertReading,
    check_identity,
    read_alert_if_any,
    risk_description,
    risk_title,
)
from crossrisk.alerts.cap.render import cap_time
from crossrisk.domain.errors import Conflict, InvalidInput, NotPermitted
from crossrisk.domain.organisation import Actor
from crossrisk.domain.permissions.cap_senders import can_send_cap
from crossrisk.domain.permissions.regions import can_read_region
from crossrisk.domain.permissions.risks import require_change_risk
from crossrisk.domain.propagation import assessment_parameters
from crossrisk.domain.reach import RIVER_PATHWAYS
from crossrisk.domain.risk import (
    Risk,
    RiskCategory,
    RiskDraft,
    RiskStatus,
)
from crossrisk.geo.cap_area import AreaPart, Placement, Unplaced, alert_area, place_area
from crossrisk.geo.hazard import parse_hazard_geometry, to_geojson
from crossrisk.locale import EN, ZH_CN
from crossrisk.services import cap_senders, risks
from crossrisk.services.cap_receipts import (
    RECORD_NOTES,
    CapOutcome,
    CapReceipt,
    heard,
    receipt,
    record_note,
)
from crossrisk.services.policy_tables import event_level_matrix, firing_assessment, hazard_types
from crossrisk.store.repositories.received_alerts import ReceivedAlert
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
        already = _already_received(tx, alert)
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
    if alert.msg_type == "Alert" and (newer := _risk_of_later_word(tx, alert)) is not None:
        return _older_news(tx, actor, alert, xml, reading, newer, now=now)
    if reading is None:
        return _record_only(tx, actor, alert, xml, None, CapOutcome.NOT_PLACED, now=now)
    risk = _referenced_risk(tx, alert, for_update=True) if alert.msg_type == "Update" else None
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
    place = _place(tx, actor, reading.blocks)
    if isinstance(place, Unplaced):
        return _record_only(
            tx, actor, alert, xml, reading, CapOutcome(place.value), place=place, now=now
        )
    if (already := _already_received(tx, alert)) is not None:
        return already
    draft = RiskDraft(
        category=RiskCategory(reading.rule.risk_category),
        title=risk_title(alert, reading.primary),
        description=risk_description(alert, reading.primary),
        hazard_geometry=to_geojson(place.geometry),
        likelihood=reading.likelihood,
        consequence=reading.consequence,
        hazard_type=_hazard_type_for(tx, reading.rule, place),
    )
    risk = risks.register(tx, actor, draft, region_code=place.region_code, now=now)
    _store(tx, actor, alert, xml, CapOutcome.OPENED, risk, now=now)
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
    _require_change(actor, risk)
    place = _place(tx, actor, reading.blocks, region_code=risk.region_code)
    if isinstance(place, Unplaced):
        # Moved out of the risk's region, or given no area: the risk stays as it is.
        return _record_only(
            tx, actor, alert, xml, reading, CapOutcome(place.value), place=place, now=now
        )
    if (already := _already_received(tx, alert)) is not None:
        return already
    if risk.status is RiskStatus.CLOSED:
        # Closed already (withdrawn by a Cancel or by people): the late word is kept and
        # the risk is not reopened behind its leaders' backs.
        _store(tx, actor, alert, xml, CapOutcome.UNCHANGED, risk, now=now)
        return receipt(alert, CapOutcome.UNCHANGED, risk, reading=reading)
    assert risk.id is not None
    change = _change_for(tx, risk, alert, reading, place)
    changed = risks.change_in(tx, actor, risk.id, change, expected_version=risk.version, now=now)
    _store(tx, actor, alert, xml, CapOutcome.UPDATED, changed, now=now)
    return receipt(alert, CapOutcome.UPDATED, changed, clipped=place.clipped, reading=reading)


def _cancel(
    tx: Transaction, actor: Actor, alert: IncomingAlert, xml: bytes, *, now: datetime
) -> CapReceipt:
    before = _referenced_risk(tx, alert, for_update=True)
    if before is None:
        return _record_only(tx, actor, alert, xml, None, CapOutcome.UNMATCHED, now=now)
    _require_change(actor, before)
    if (already := _already_received(tx, alert)) is not None:
        return already
    if before.status is RiskStatus.CLOSED:
        # Closed by people already: the sender's Cancel agrees; there is nothing to undo.
        _store(tx, actor, alert, xml, CapOutcome.UNCHANGED, before, now=now)
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
    _store(tx, actor, alert, xml, CapOutcome.CLOSED, risk, now=now)
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
    _require_change(actor, risk)
    if (already := _already_received(tx, alert)) is not None:
        return already
    _store(tx, actor, alert, xml, CapOutcome.UNCHANGED, risk, now=now)
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
            place = _place(tx, actor, reading.blocks)
    if isinstance(place, Unplaced) and not can_send_cap(actor):
        raise NotPermitted(
            f"{actor.organisation.code} ({actor.role}) may not send CAP messages to the platform"
        )
    if (already := _already_received(tx, alert)) is not None:
        return already
    placed = place if isinstance(place, Placement) else None
    hazard_type = (
        None if placed is None or reading is None else _hazard_type_for(tx, reading.rule, placed)
    )
    _store(
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


# ---------------------------------------------------------------------------------------
# Where the message lies


def _place(
    tx: Transaction,
    actor: Actor,
    blocks: Sequence[IncomingInfo],
    *,
    region_code: str | None = None,
) -> Placement | Unplaced:
    """Where the message lies, once the actor is found to be one who may change risks there."""
    indexes = {region.code: tx.regions.index(region.code) for region in tx.regions.all()}
    parts = [AreaPart(area.geometry(), area.geocodes) for block in blocks for area in block.areas]
    area = alert_area(parts, indexes)
    place = (
        area if isinstance(area, Unplaced) else place_area(area, indexes, region_code=region_code)
    )
    if isinstance(place, Placement):
        require_change_risk(actor, region_code=place.region_code, origin_codes=place.origin_codes)
    return place


def _hazard_type_for(tx: Transaction, rule: IncomingRule, place: Placement) -> str:
    if rule.fallback_hazard_type is None or _model_takes(
        tx, place.region_code, rule.hazard_type, place.geometry
    ):
        return rule.hazard_type
    return rule.fallback_hazard_type


def _model_takes(
    tx: Transaction,
    region_code: str,
    hazard_type: str,
    geometry: BaseGeometry,
    parameters: dict[str, Any] | None = None,
) -> bool:
    """False when the hazard type's model cannot start from this area (a river far away)."""
    found = hazard_types().get(hazard_type)
    # A flood wave and a spill both start on the river network.
    if found is None or found.pathway not in RIVER_PATHWAYS:
        return True
    rivers = tx.regions.geo(region_code).rivers
    if rivers is None:
        return False
    tolerance = assessment_parameters(found.pathway, parameters or {})["snap_tolerance_km"]
    try:
        # Where geo.reach starts a river hazard: a point on the polygon's surface.
        rivers.snap(geometry.representative_point(), tolerance_km=tolerance)
    except InvalidInput:
        return False
    return True


# ---------------------------------------------------------------------------------------
# What the message refers to, and who may act on it


def _referenced_risk(
    tx: Transaction, alert: IncomingAlert, *, for_update: bool = False
) -> Risk | None:
    """The one risk the earlier messages this one refers to opened (CAP 1.2 §3.2.1).

    None when none of them opened a risk here: they never arrived, or were recorded only.
    """
    known = [
        found
        for reference in alert.references
        if (found := tx.received_alerts.find(reference.sender, reference.identifier)) is not None
        and found.risk_id is not None
    ]
    if not known:
        return None
    risk_ids = sorted({found.risk_id for found in known if found.risk_id is not None})
    if len(risk_ids) > 1:
        # One message acting on several risks at once: which change belongs to which risk
        # is for a person to decide, not for the platform to guess.
        raise InvalidInput(
            f"the CAP {alert.msg_type} refers to messages of {len(risk_ids)} different risks "
            f"({', '.join(map(str, risk_ids))}); send one message per risk",
            key="cap-references-ambiguous",
            params={"risks": risk_ids},
        )
    return tx.risks.get(risk_ids[0], for_update=for_update)


def _risk_of_later_word(tx: Transaction, alert: IncomingAlert) -> Risk | None:
    """The risk that a message received earlier, naming this one in its references, opened
    or changed: a feed joined midway sends the history after the news."""
    later = tx.received_alerts.referring_to(alert.sender, alert.identifier)
    risk_ids = sorted({found.risk_id for found in later if found.risk_id is not None})
    return tx.risks.get(risk_ids[-1], for_update=True) if risk_ids else None


def _require_change(actor: Actor, risk: Risk) -> None:
    if not can_read_region(actor, risk.region_code):
        raise NotPermitted(f"{actor.organisation.code} may not read risk {risk.id}")
    require_change_risk(actor, region_code=risk.region_code, origin_codes=risk.origin_codes)


def _change_for(
    tx: Transaction,
    risk: Risk,
    alert: IncomingAlert,
    reading: AlertReading,
    place: Placement,
) -> risks.RiskChange:
    """The fields the Update changes; the description at least cites the new message."""
    title = risk_title(alert, reading.primary)
    description = risk_description(alert, reading.primary)
    geometry = to_geojson(place.geometry)
    moved = not parse_hazard_geometry(risk.hazard_geometry).equals(place.geometry)
    # People may have chosen the hazard type and tuned its model since the alert came; an
    # Update keeps their choice unless its new area is one the model cannot start from.
    hazard_type = None
    if moved and not _model_takes(
        tx, risk.region_code, risk.hazard_type, place.geometry, dict(risk.parameters)
    ):
        hazard_type = "area"
    return risks.RiskChange(
        title=title if title != risk.title else None,
        description=description if description != risk.description else None,
        likelihood=reading.likelihood if reading.likelihood != risk.likelihood else None,
        consequence=reading.consequence if reading.consequence != risk.consequence else None,
        hazard_geometry=geometry if moved else None,
        hazard_type=hazard_type,
        reason=f"CAP Update {alert.identifier} from {alert.sender}, sent {cap_time(alert.sent)}",
    )


# ---------------------------------------------------------------------------------------
# Recording


def _store(
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


def _already_received(tx: Transaction, alert: IncomingAlert) -> CapReceipt | None:
    """The receipt of this sender's identifier when it arrived before, else None."""
    known = tx.received_alerts.find(alert.sender, alert.identifier)
    if known is None:
        return None
    return replace(
        heard(alert, CapOutcome.ALREADY_RECEIVED),
        risk_id=known.risk_id,
        region_code=known.region_code,
    )
