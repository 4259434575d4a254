"""A channel's test message: a CAP 1.2 alert whose status is "Test" (CAP-v1.2-os §3.2.1).

Recipients' CAP software knows a Test alert is to be ignored by the public, so sending it
through a real channel proves the channel works without warning anyone of anything.
"""

from __future__ import annotations

from datetime import datetime

from lxml import etree

from crossrisk.alerts.cap.render import cap_time
from crossrisk.alerts.cap.schema import CAP_NS, cap_tag, validate_cap

HEADLINE_ZH = "测试消息：跨域风险协同治理平台的投递渠道测试，无需处置"
HEADLINE_EN = "Test message: a delivery channel test of the cross-jurisdiction risk platform"
DESCRIPTION_ZH = "这是一条测试消息，用于确认本渠道能收到平台的预警。它不是预警，无需处置或确认。"
DESCRIPTION_EN = (
    "This is a test message confirming that this channel receives the platform's warnings. "
    "It is not a warning; nothing needs to be done or acknowledged."
)


def render_test_alert(*, identifier: str, sender: str, sent: datetime) -> bytes:
    """A schema-valid CAP alert with status Test and a zh-CN and an en-US info block."""
    alert = etree.Element(cap_tag("alert"), nsmap={None: CAP_NS})
    for name, value in (
        ("identifier", identifier),
        ("sender", sender),
        ("sent", cap_time(sent)),
        ("status", "Test"),
        ("msgType", "Alert"),
        ("scope", "Public"),
    ):
        etree.SubElement(alert, cap_tag(name)).text = value
    for language, event, headline, description in (
        ("zh-CN", "渠道测试", HEADLINE_ZH, DESCRIPTION_ZH),
        ("en-US", "Channel test", HEADLINE_EN, DESCRIPTION_EN),
    ):
        info = etree.SubElement(alert, cap_tag("info"))
        for name, value in (
            ("language", language),
            ("category", "Other"),
            ("event", event),
            ("urgency", "Unknown"),
            ("severity", "Unknown"),
            ("certainty", "Unknown"),
            ("headline", headline),
            ("description", description),
        ):
            etree.SubElement(info, cap_tag(name)).text = value
    xml = etree.tostring(alert, xml_declaration=True, encoding="UTF-8")
    validate_cap(xml)
    return bytes(xml)
