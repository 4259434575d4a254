"""CAP 1.2 alerts as other systems send them, for the tests of receiving them.

The flood alerts are what a hydrological bureau would send for the Xin'an River at Tunxi
(黄山市屯溪区): a polygon along the river, zh-CN first and en-US second, as the national
warning release system writes them; the circle is an environmental bureau's alert round a
chemical plant in Hangzhou.
"""

from __future__ import annotations

from crossrisk.alerts.cap.schema import CAP_NS

FLOOD_SENDER = "swj.huangshan.gov.cn"
FLOOD_ID = "34100041600000_20260701095000"
FLOOD_SENT = "2026-07-01T09:50:00+08:00"
ENV_SENDER = "sthjj.hangzhou.gov.cn"

# A corridor of about 5 km along the Xin'an River through Tunxi, wholly in Huangshan.
TUNXI_REACH = (
    "29.737,118.321 29.777,118.350 29.775,118.390 29.742,118.437 29.708,118.426 "
    "29.728,118.372 29.691,118.342 29.639,118.230 29.653,118.197 29.687,118.214 "
    "29.737,118.321"
)
# The same corridor lengthened downstream towards Shexian (歙县), still in Huangshan.
TUNXI_TO_SHEXIAN = (
    "29.737,118.321 29.779,118.360 29.746,118.449 29.710,118.486 29.732,118.588 "
    "29.718,118.621 29.686,118.607 29.656,118.514 29.669,118.452 29.728,118.372 "
    "29.696,118.350 29.599,118.171 29.612,118.134 29.646,118.142 29.737,118.321"
)


# The colour a bureau names in its headline goes with the CAP severity it sends.
COLOURS = {
    "Minor": ("蓝色", "blue"),
    "Moderate": ("黄色", "yellow"),
    "Severe": ("橙色", "orange"),
    "Extreme": ("红色", "red"),
}


def flood_alert(
    *,
    identifier: str = FLOOD_ID,
    sent: str = FLOOD_SENT,
    status: str = "Actual",
    msg_type: str = "Alert",
    references: str | None = None,
    severity: str = "Minor",
    certainty: str = "Likely",
    polygon: str = TUNXI_REACH,
    area: str | None = None,
) -> bytes:
    """A flood warning of the Huangshan hydrology bureau, in zh-CN and en-US."""
    colour_zh, colour_en = COLOURS[severity]
    refs = f"\n  <references>{references}</references>" if references else ""
    area_zh = area or f"<areaDesc>屯溪区新安江沿岸</areaDesc>\n      <polygon>{polygon}</polygon>"
    area_en = area or (
        f"<areaDesc>Xin'an River banks, Tunxi</areaDesc>\n      <polygon>{polygon}</polygon>"
    )
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<alert xmlns="{CAP_NS}">
  <identifier>{identifier}</identifier>
  <sender>{FLOOD_SENDER}</sender>
  <sent>{sent}</sent>
  <status>{status}</status>
  <msgType>{msg_type}</msgType>
  <scope>Public</scope>{refs}
  <info>
    <language>en-US</language>
    <category>Met</category>
    <event>Flood</event>
    <responseType>Prepare</responseType>
    <urgency>Expected</urgency>
    <severity>{severity}</severity>
    <certainty>{certainty}</certainty>
    <senderName>Huangshan Hydrology Bureau</senderName>
    <headline>Huangshan Hydrology Bureau: {colour_en} flood warning, Xin'an River</headline>
    <description>The Xin'an River at Tunxi is expected to pass its warning level.</description>
    <area>
      {area_en}
    </area>
  </info>
  <info>
    <language>zh-CN</language>
    <category>Met</category>
    <event>洪水</event>
    <responseType>Prepare</responseType>
    <urgency>Expected</urgency>
    <severity>{severity}</severity>
    <certainty>{certainty}</certainty>
    <senderName>黄山市水文局</senderName>
    <headline>黄山市水文局发布新安江洪水{colour_zh}预警</headline>
    <description>受强降雨影响，预计7月1日14时新安江屯溪站水位将超过警戒水位。</description>
    <instruction>沿河低洼地带人员注意防范，及时转移。</instruction>
    <area>
      {area_zh}
    </area>
  </info>
</alert>
""".encode()


def flood_update(
    *, identifier: str = "34100041600000_20260701123000", severity: str = "Severe"
) -> bytes:
    """The flood alert raised to orange and lengthened downstream."""
    return flood_alert(
        identifier=identifier,
        sent="2026-07-01T12:30:00+08:00",
        msg_type="Update",
        references=f"{FLOOD_SENDER},{FLOOD_ID},{FLOOD_SENT}",
        severity=severity,
        certainty="Observed",
        polygon=TUNXI_TO_SHEXIAN,
    )


def flood_cancel(*, identifier: str = "34100041600000_20260702080000") -> bytes:
    """The flood warning lifted (解除预警)."""
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<alert xmlns="{CAP_NS}">
  <identifier>{identifier}</identifier>
  <sender>{FLOOD_SENDER}</sender>
  <sent>2026-07-02T08:00:00+08:00</sent>
  <status>Actual</status>
  <msgType>Cancel</msgType>
  <scope>Public</scope>
  <references>{FLOOD_SENDER},{FLOOD_ID},{FLOOD_SENT}</references>
</alert>
""".encode()


def circle_alert(
    *,
    circle: str = "30.27,120.16 5",
    category: str = "Env",
    identifier: str = "HZHB-2026-0701-003",
    event: str = "Chemical leak",
) -> bytes:
    """An environmental bureau's alert: a leak at a plant, a 5 km circle round it."""
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<alert xmlns="{CAP_NS}">
  <identifier>{identifier}</identifier>
  <sender>{ENV_SENDER}</sender>
  <sent>2026-07-01T10:05:00+08:00</sent>
  <status>Actual</status>
  <msgType>Alert</msgType>
  <scope>Restricted</scope>
  <restriction>emergency services</restriction>
  <info>
    <category>{category}</category>
    <event>{event}</event>
    <urgency>Immediate</urgency>
    <severity>Severe</severity>
    <certainty>Observed</certainty>
    <area>
      <areaDesc>5 km round the plant</areaDesc>
      <circle>{circle}</circle>
    </area>
  </info>
</alert>
""".encode()


BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE alert [
  <!ENTITY lol "lol">
  <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
  <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
  <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
  <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
  <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
  <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
  <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
  <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
  <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
<alert xmlns="urn:oasis:names:tc:emergency:cap:1.2"><identifier>&lol9;</identifier></alert>
"""

EXTERNAL_ENTITY = b"""<?xml version="1.0"?>
<!DOCTYPE alert [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<alert xmlns="urn:oasis:names:tc:emergency:cap:1.2"><identifier>&xxe;</identifier></alert>
"""

MALFORMED = b'<?xml version="1.0"?>\n<alert xmlns="' + CAP_NS.encode() + b'">\n<sender>'
