"""A warning's messages: each rendered as CAP, journaled and queued for delivery.

Helpers of the warnings use cases; every function here runs inside their open transaction.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime
from functools import cache
from typing import Any

from shapely.geometry.base import BaseGeometry

from crossrisk.alerts import texts
from crossrisk.alerts.cap.mapping import load_cap_mapping
from crossrisk.alerts.cap.render import notice_text, render_cap
from crossrisk.alerts.texts import Wording
from crossrisk.data import substances
from crossrisk.domain.cap_sender import region_cap_sender
from crossrisk.domain.delivery import Envelope, Purpose
from crossrisk.domain.errors import InvalidInput
from crossrisk.domain.organisation import (
    Actor,
    OrganisationKind,
    province_code,
    province_organisation_code,
    system_actor,
)
from crossrisk.domain.responsibility import RegionBodies
from crossrisk.domain.risk import Risk
from crossrisk.domain.substance import substance_names
from crossrisk.domain.warning import EarlyWarning, copied_to_province, warns_in_colour
from crossrisk.domain.warning_plan import Context, MessageType, Outgoing, WarningMessage
from crossrisk.locale import EN, ZH_CN
from crossrisk.services import delivery
from crossrisk.services.policy_tables import hazard_types
from crossrisk.services.region_bodies import region_bodies
from crossrisk.settings import public_base_url
from crossrisk.store.uow import Transaction


def sender_id(region_code: str) -> str:
    """The CAP sender of a region's warnings."""
    return region_cap_sender(region_code)


def context(tx: Transaction, risk: Risk, now: datetime) -> Context:
    assert risk.id is not None
    return Context(
        risk_id=risk.id,
        region_code=risk.region_code,
        state=tx.regions.state(risk.region_code),
        now=now,
        report=not warns_in_colour(risk.category.value),
    )


def send(
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
        cap_xml = render(tx, risk, outgoing.warning, outgoing.msg_type)
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
        record(tx, actor, action, message, now=now, extra=extra)
        purpose = (
            Purpose.CANCELLATION if outgoing.msg_type is MessageType.CANCEL else Purpose.WARNING
        )
        enqueue(tx, message, purpose, organisation, now, risk=risk, cap_xml=cap_xml)
        copy_to_province(tx, message, now, risk=risk, cap_xml=cap_xml)
        stored.append(message)
    return stored


def copy_to_province(
    tx: Transaction, message: WarningMessage, now: datetime, *, risk: Risk, cap_xml: bytes
) -> None:
    """Copy a level I or II warning to the province of the city it warns (Art. 64).

    The copy informs; the province acknowledges nothing. A city with no province
    organisation above it (a province-level municipality) has nothing to copy to.
    """
    warning = message.warning
    if warning.report or not copied_to_province(warning.level) or risk.is_drill:
        return
    province = province_code(warning.recipient_code)
    code = province_organisation_code(province)
    if province == warning.recipient_code or code not in _province_codes(tx):
        return
    enqueue(tx, message, Purpose.COPY, code, now, risk=risk, cap_xml=cap_xml, jurisdiction=province)
    record(
        tx,
        system_actor(),
        "warning.copied",
        message,
        now=now,
        extra={"province": province, "copied_to": code},
    )


def render(tx: Transaction, risk: Risk, warning: EarlyWarning, msg_type: MessageType) -> bytes:
    geo = tx.regions.geo(risk.region_code)
    mapping = load_cap_mapping()
    return render_cap(
        warning,
        sender=sender_id(risk.region_code),
        area_polygons=[_boundary(geo.index.codes, geo.index.boundaries, warning.recipient_code)],
        geocodes=[warning.recipient_code],
        wordings=wordings(tx, risk, warning),
        category=mapping.cap_categories(risk.category.value, risk.hazard_type),
        msg_type=msg_type.value,
        sent=warning.issued_at,
        mapping=mapping,
        web=risk_page(risk),
        status="Exercise" if risk.is_drill else "Actual",
    )


def risk_page(risk: Risk) -> str:
    """The absolute address of the risk's page, which a CAP message links to (<web>)."""
    return f"{public_base_url()}risks/{risk.id}"


def wordings(tx: Transaction, risk: Risk, warning: EarlyWarning) -> tuple[Wording, Wording]:
    """What a warning's sentences name, in Chinese and in English."""
    geo = tx.regions.geo(warning.region_code)
    area_zh, area_en = geo.names[warning.recipient_code]
    event_zh, event_en = _event_names(risk.hazard_type)
    origin_zh, origin_en = _origin_names(geo.names, risk)
    mapping = load_cap_mapping()
    named = str(risk.parameters.get("substance") or "")
    substance_zh, substance_en = substance_names(substances(), named) if named else ("", "")
    return (
        Wording(
            issuer=mapping.sender_name_zh,
            event=event_zh,
            area=area_zh,
            origin=origin_zh,
            hazard=risk.title,
            substance=substance_zh,
            contact=mapping.contact_zh,
        ),
        Wording(
            issuer=mapping.sender_name_en,
            event=event_en,
            area=area_en,
            origin=origin_en,
            hazard=risk.title_for(chinese=False),
            substance=substance_en,
            contact=mapping.contact_en,
        ),
    )


def enqueue(
    tx: Transaction,
    message: WarningMessage,
    purpose: Purpose,
    organisation_code: str,
    now: datetime,
    *,
    risk: Risk | None = None,
    cap_xml: bytes | None = None,
    jurisdiction: str | None = None,
) -> None:
    warning = message.warning
    risk = risk or tx.risks.get(warning.risk_id)
    if risk.is_drill:
        # A drill's messages stay in the platform (its inbox, its CAP documents marked
        # Exercise): a drill at full speed must not flood real receivers.
        return
    subject, body = notice_text(
        warning,
        wordings(tx, risk, warning),
        msg_type=message.msg_type.value,
        sent=warning.issued_at,
        web=risk_page(risk),
    )
    prefix = ""
    if purpose in (Purpose.REMINDER, Purpose.ESCALATION, Purpose.COPY):
        labels = (texts.notice_label(purpose.value, locale) for locale in (ZH_CN, EN))
        prefix = "【{}】".format(" ".join(labels))
    delivery.enqueue(
        tx,
        Envelope(
            warning_id=warning.id,
            purpose=purpose,
            region_code=warning.region_code,
            # The topic a copy goes to is the province's; every other message, the city's.
            jurisdiction_code=jurisdiction or warning.recipient_code,
            subject=prefix + subject,
            body=body,
            cap_xml=cap_xml if cap_xml is not None else tx.warnings.cap_xml(warning.id),
            ack_url=None,
        ),
        organisation_code=organisation_code,
        now=now,
    )


def record(
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


def _province_codes(tx: Transaction) -> set[str]:
    return {o.code for o in tx.organisations.of_kind(OrganisationKind.PROVINCE)}


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


def _origin_names(names: Mapping[str, tuple[str, str]], risk: Risk) -> tuple[str, str]:
    # Where the hazard comes from: the origin jurisdictions, as the recipients know them.
    found = [names[code] for code in risk.origin_codes if code in names]
    return "、".join(zh for zh, _ in found), ", ".join(en for _, en in found)


@cache
def _event_names(hazard_type: str) -> tuple[str, str]:
    # The hazard type's name says how it travels in brackets; a CAP event is its first part.
    found = hazard_types().get(hazard_type)
    if found is None:
        return hazard_type, hazard_type
    return found.name_zh.split("（")[0], found.name_en.split(" (")[0]
