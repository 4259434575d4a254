"""A warning as a CAP 1.2 alert with zh-CN and en-US info blocks, and as plain text.

References are to the clauses of the OASIS Common Alerting Protocol Version 1.2
(CAP-v1.2-os): §3.2.1 alert, §3.2.2 info, §3.2.4 area, §3.3.2 dates and times.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import datetime, timedelta

from lxml import etree
from shapely.geometry.base import BaseGeometry

from crossrisk.alerts import texts
from crossrisk.alerts.cap.area import cap_polygon_text, message_polygons
from crossrisk.alerts.cap.mapping import CAP_CATEGORIES, CapMapping
from crossrisk.alerts.cap.schema import ALERT_TAG, CAP_NS, cap_tag, validate_cap
from crossrisk.domain.errors import InvalidInput
from crossrisk.domain.warning import EarlyWarning, check_cap_token
from crossrisk.locale import DISPLAY_ZONE, EN, N_, ZH_CN, say

MSG_TYPES = ("Alert", "Update", "Cancel")  # what crossrisk sends; Ack and Error it never does
GEOCODE_NAME = "GB/T 2260"  # administrative division codes of the People's Republic of China
PARAMETER_PREFIX = "crossrisk:"


def cap_time(moment: datetime) -> str:
    """A time in CAP's dateTime form: seconds, a numeric offset, Asia/Shanghai time."""
    # CAP 1.2 §3.3.2 and the XSD pattern allow no fractional seconds and no "Z"; UTC
    # would have to be written "-00:00" (§3.2.1 sent), which generic tools misread as
    # "offset unknown" (RFC 3339 §4.3). Beijing time with +08:00 avoids both and is what
    # the recipients read on their own clocks.
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise InvalidInput(
            f"CAP times need a UTC offset; got the naive time {moment.isoformat()}",
            key="cap-naive-time",
        )
    return moment.astimezone(DISPLAY_ZONE).replace(microsecond=0).isoformat()


def render_cap(
    warning: EarlyWarning,
    *,
    sender: str,
    area_polygons: Sequence[BaseGeometry],
    geocodes: Sequence[str],
    wordings: tuple[texts.Wording, texts.Wording],
    category: str | Sequence[str],
    msg_type: str,
    sent: datetime,
    mapping: CapMapping,
    web: str | None = None,
    status: str = "Actual",
) -> bytes:
    """The warning as a CAP 1.2 alert (UTF-8 XML) with zh-CN and en-US info blocks.

    The wordings (Chinese, English) name the issuer, the hazard, where it comes from and
    whom it warns, so the description says what comes and from where. A warning that is an
    information report (通报) carries no colour or level words.
    """
    check_cap_token("sender", sender)
    # CAP 1.2 §3.2.1: a drill's messages are "Exercise", so no receiver acts on them.
    if status not in ("Actual", "Exercise"):
        raise InvalidInput(f"CAP status must be Actual or Exercise, got {status!r}")
    if msg_type not in MSG_TYPES:
        raise InvalidInput(
            f"msgType must be one of {', '.join(MSG_TYPES)}, got {msg_type!r}",
            key="cap-msg-type",
            params={"value": msg_type},
        )
    # CAP 1.2 §3.2.1: Update and Cancel act on "the earlier message(s) identified in
    # <references>"; without them a receiver cannot tell what to replace.
    if msg_type != "Alert" and not warning.references:
        raise InvalidInput(
            f"a CAP {msg_type} must reference the messages it replaces; warning "
            f"{warning.id} has no references",
            key="cap-references-missing",
            params={"msg_type": msg_type, "warning": warning.id},
        )
    categories = (category,) if isinstance(category, str) else tuple(category)
    unknown = [value for value in categories if value not in CAP_CATEGORIES]
    if not categories or unknown:
        raise InvalidInput(
            f"CAP categories must be some of {', '.join(sorted(CAP_CATEGORIES))}; "
            f"got {', '.join(categories) or 'none'}",
            key="cap-category",
        )
    for language, wording in zip(("zh", "en"), wordings, strict=True):
        for name, value in (("event", wording.event), ("area", wording.area)):
            if not value.strip():
                raise InvalidInput(f"{name}_{language} must not be empty", key="cap-text-empty")
    codes = tuple(geocodes)
    for code in codes:
        if not re.fullmatch(r"\d{6}", code):
            raise InvalidInput(
                f"geocode {code!r} is not a six-digit GB/T 2260 code", key="cap-geocode"
            )
    polygons = message_polygons(area_polygons)
    if not polygons and not codes:
        # CAP 1.2 §3.2.4 lets an area be a description alone, but a warning a receiver
        # cannot place on a map or match to its own code is one it cannot act on.
        raise InvalidInput("a warning's area needs a polygon or a geocode", key="cap-no-area")

    alert = etree.Element(ALERT_TAG, nsmap={None: CAP_NS})
    _text(alert, "identifier", warning.id)
    _text(alert, "sender", sender)
    _text(alert, "sent", cap_time(sent))
    _text(alert, "status", status)
    _text(alert, "msgType", msg_type)
    # Restricted, not Public: the recipients are emergency offices, and each city decides
    # what to tell its public (policy/cap_mapping.toml [scope]).
    _text(alert, "scope", "Restricted")
    _text(alert, "restriction", f"{mapping.restriction_zh} / {mapping.restriction_en}")
    if warning.references:
        # CAP 1.2 §3.2.1: "sender,identifier,sent" triples separated by whitespace; the
        # sent text must be the one the earlier message carried, so it is formatted alike.
        _text(
            alert,
            "references",
            " ".join(
                f"{ref.sender or sender},{ref.identifier},{cap_time(ref.sent)}"
                for ref in warning.references
            ),
        )
    # §3.2.1 incidents collates the messages of one incident: every warning of a risk.
    _text(alert, "incidents", f"crossrisk-{warning.region_code}-{warning.risk_id}")

    lead_hours = (
        None
        if warning.expected_arrival is None
        else (warning.expected_arrival - sent).total_seconds() / 3600.0
    )
    onset = warning.expected_arrival
    expires = warning.expires_at or (
        max(onset or sent, sent) + timedelta(hours=mapping.validity_hours)
    )
    for language, wording in zip(("zh-CN", "en-US"), wordings, strict=True):
        info = etree.SubElement(alert, cap_tag("info"))
        _text(info, "language", language)
        for value in categories:
            _text(info, "category", value)
        _text(info, "event", wording.event)
        if msg_type == "Cancel":
            response_types = mapping.cancel_response_types
            urgency = mapping.cancel_urgency
        else:
            response_types = mapping.response_types[warning.level]
            urgency = mapping.urgency_for(lead_hours)
        for response in response_types:
            _text(info, "responseType", response)
        _text(info, "urgency", urgency)
        _text(info, "severity", mapping.severity[warning.level])
        _text(info, "certainty", mapping.certainty_for(observed=warning.observed))
        if onset is not None:
            _text(info, "onset", cap_time(onset))
        _text(info, "expires", cap_time(expires))
        chinese = language == "zh-CN"
        locale = ZH_CN if chinese else EN
        _text(info, "senderName", wording.issuer)
        _text(
            info,
            "headline",
            texts.headline(warning, wording, msg_type=msg_type, sent=sent, locale=locale),
        )
        _text(info, "description", texts.description(warning, wording, sent=sent, locale=locale))
        instruction = (warning.instructions_zh if chinese else warning.instructions_en).strip()
        if instruction:
            _text(info, "instruction", instruction)
        if web:
            _text(info, "web", web)
        if wording.contact:
            _text(info, "contact", wording.contact)
        for name, value in _parameters(warning, lead_hours, report=warning.report):
            parameter = etree.SubElement(info, cap_tag("parameter"))
            _text(parameter, "valueName", name)
            _text(parameter, "value", value)
        area = etree.SubElement(info, cap_tag("area"))
        _text(area, "areaDesc", wording.area)
        for polygon in polygons:
            _text(area, "polygon", cap_polygon_text(polygon))
        for code in codes:
            geocode = etree.SubElement(area, cap_tag("geocode"))
            _text(geocode, "valueName", GEOCODE_NAME)
            _text(geocode, "value", code)

    xml: bytes = etree.tostring(alert, xml_declaration=True, encoding="UTF-8", pretty_print=True)
    # Never send what a receiver would reject: a failure here is a bug of ours or of the
    # policy table, better raised now than discovered by every city at once.
    validate_cap(xml)
    return xml


def _text(parent: etree._Element, name: str, value: str) -> etree._Element:
    element = etree.SubElement(parent, cap_tag(name))
    try:
        element.text = value
    except ValueError:
        # XML 1.0 cannot carry most control characters, whatever the escaping.
        raise InvalidInput(
            f"the text for CAP <{name}> has characters XML cannot carry",
            key="cap-text-not-xml",
            params={"element": name},
        ) from None
    return element


def _parameters(
    warning: EarlyWarning, lead_hours: float | None, *, report: bool = False
) -> list[tuple[str, str]]:
    # An information report carries no colour or level: receivers that read either (as
    # crossrisk's own feed reader does) would turn it into a coloured warning.
    kind = (
        [("kind", "report")]
        if report
        else [
            ("level", str(int(warning.level))),
            ("colour", warning.level.key),
        ]
    )
    values = [
        *kind,
        ("risk", str(warning.risk_id)),
        ("region", warning.region_code),
        ("recipient", warning.recipient_code),
        ("sequence", str(warning.sequence)),
        ("ackDeadline", cap_time(warning.ack_deadline)),
    ]
    if warning.expected_arrival is not None and lead_hours is not None:
        values.append(("arrival", cap_time(warning.expected_arrival)))
        values.append(("leadHours", f"{max(lead_hours, 0.0):.2f}"))
    return [(PARAMETER_PREFIX + name, value) for name, value in values]


def notice_text(
    warning: EarlyWarning,
    wordings: tuple[texts.Wording, texts.Wording],
    *,
    msg_type: str,
    sent: datetime,
    web: str | None = None,
) -> tuple[str, str]:
    """A one-line subject and a plain-text body saying what the CAP message says, zh then en.

    E-mail readers and duty phones show this text; it is built by the same sentences as
    the CAP headline and description, so both always say the same. `wordings` are the
    Chinese and the English one.
    """
    lines: list[str] = []
    for locale, wording, instructions in (
        (ZH_CN, wordings[0], warning.instructions_zh),
        (EN, wordings[1], warning.instructions_en),
    ):
        lines += [
            texts.headline(warning, wording, msg_type=msg_type, sent=sent, locale=locale),
            "",
            *texts.notice_facts(warning, wording, sent=sent, locale=locale),
            "",
            texts.description(warning, wording, sent=sent, locale=locale),
        ]
        if instructions.strip():
            lines += ["", instructions.strip()]
        if web:
            lines += ["", texts.labelled(say(locale, N_("Risk page")), web, locale)]
        if wording.contact:
            lines.append(texts.labelled(say(locale, N_("Contact")), wording.contact, locale))
        lines += ["", "—" * 20, ""]
    lines.append(say(EN, N_("CAP identifier: %(id)s"), {"id": warning.id}))
    return lines[0], "\n".join(lines).rstrip() + "\n"
