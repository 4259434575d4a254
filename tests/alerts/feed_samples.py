"""CAP 1.2 alerts as real feeds publish them, for the tests of importing whole feeds.

Two kinds, written for these tests:

- In the style of the examples of the OASIS CAP 1.2 specification (Appendix A): a
  homeland-security advisory with no area at all, a thunderstorm warning with a polygon and
  SAME/FIPS geocodes, an earthquake report whose "circle" of radius 0 is its epicentre, and
  a European MeteoAlarm warning with only an EMMA_ID geocode; all in the United States or
  Europe, outside every region of this platform.
- In the style of China's national warning release system (国家预警信息发布中心): urgency
  and certainty Unknown, the colour in the event and headline and the grade in the
  headline's tag, the area as a 12-digit "CPEAS Geographic Code" (the GB/T 2260 county code
  and six digits more).
"""

from __future__ import annotations

from crossrisk.alerts.cap.schema import CAP_NS

NATIONAL_SENDER = "12379@cma.gov.cn"
NATIONAL_SENT = "2026-07-01T09:30:00+08:00"
TUNXI = "341002"  # 屯溪区, a district of Huangshan (341000)


# Every sender these samples use, for the tests that register them.
FEED_SENDERS = {
    "advisories@dhs.example.gov": "Department of Homeland Security",
    "w-nws.webmaster@noaa.example.gov": "National Weather Service Sacramento CA",
    "quakes@usgs.example.gov": "Geological Survey",
    "amber@lapd.example.gov": "Los Angeles Police Department",
    "warnings@zamg.example.at": "GeoSphere Austria",
    NATIONAL_SENDER: "黄山市气象台 Huangshan Meteorological Observatory",
}


def _alert(identifier: str, sender: str, sent: str, body: str, *, status: str = "Actual") -> bytes:
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<alert xmlns="{CAP_NS}">
  <identifier>{identifier}</identifier>
  <sender>{sender}</sender>
  <sent>{sent}</sent>
  <status>{status}</status>
{body}
</alert>
""".encode()


def advisory_without_area() -> bytes:
    """A national threat advisory: one info block, no <area> at all."""
    return _alert(
        "TA-2026-0701-17",
        "advisories@dhs.example.gov",
        "2026-07-01T01:15:00-00:00",
        """  <msgType>Alert</msgType>
  <scope>Public</scope>
  <info>
    <category>Security</category>
    <event>Threat advisory</event>
    <urgency>Immediate</urgency>
    <severity>Severe</severity>
    <certainty>Likely</certainty>
    <senderName>Department of Homeland Security</senderName>
    <headline>Threat level raised to elevated for the financial sector</headline>
    <description>Heightened protective measures for financial institutions.</description>
  </info>""",
    )


def thunderstorm_warning() -> bytes:
    """A weather service's severe thunderstorm warning: a polygon and SAME/FIPS codes."""
    return _alert(
        "KSTO-2026-0701-0455",
        "w-nws.webmaster@noaa.example.gov",
        "2026-06-30T18:20:00-07:00",
        """  <msgType>Alert</msgType>
  <scope>Public</scope>
  <info>
    <category>Met</category>
    <event>Severe Thunderstorm</event>
    <responseType>Shelter</responseType>
    <urgency>Immediate</urgency>
    <severity>Severe</severity>
    <certainty>Observed</certainty>
    <expires>2036-06-30T23:00:00-07:00</expires>
    <senderName>National Weather Service Sacramento CA</senderName>
    <headline>Severe thunderstorm warning for Alpine and El Dorado counties</headline>
    <area>
      <areaDesc>Alpine and El Dorado counties, California</areaDesc>
      <polygon>38.47,-120.14 38.34,-119.95 38.52,-119.74 38.62,-119.89 38.47,-120.14</polygon>
      <geocode><valueName>SAME</valueName><value>006003</value></geocode>
      <geocode><valueName>FIPS6</valueName><value>006017</value></geocode>
    </area>
  </info>""",
    )


def earthquake_report() -> bytes:
    """A geological survey's earthquake report: the epicentre as a circle of radius 0."""
    return _alert(
        "USGS-EQ-2026-0701-3",
        "quakes@usgs.example.gov",
        "2026-06-30T18:45:00-07:00",
        """  <msgType>Alert</msgType>
  <scope>Public</scope>
  <info>
    <category>Geo</category>
    <event>Earthquake</event>
    <urgency>Past</urgency>
    <severity>Minor</severity>
    <certainty>Observed</certainty>
    <senderName>Geological Survey</senderName>
    <headline>Magnitude 4.1 earthquake, 15 km north of El Centro</headline>
    <area>
      <areaDesc>1 km north-east of Brawley, California</areaDesc>
      <circle>32.9525,-115.5527 0</circle>
    </area>
  </info>""",
    )


def amber_alert() -> bytes:
    """A child-abduction alert placed by FIPS and SAME county codes alone."""
    return _alert(
        "LAPD-AMBER-2026-0701",
        "amber@lapd.example.gov",
        "2026-06-30T18:50:00-07:00",
        """  <msgType>Alert</msgType>
  <scope>Public</scope>
  <info>
    <category>Rescue</category>
    <event>Child Abduction</event>
    <urgency>Immediate</urgency>
    <severity>Severe</severity>
    <certainty>Likely</certainty>
    <headline>Amber alert in Los Angeles County</headline>
    <area>
      <areaDesc>Los Angeles County</areaDesc>
      <geocode><valueName>FIPS6</valueName><value>006037</value></geocode>
      <geocode><valueName>SAME</valueName><value>006037</value></geocode>
    </area>
  </info>""",
    )


def meteoalarm_warning() -> bytes:
    """A European national weather service's warning by EMMA_ID region code."""
    return _alert(
        "2.49.0.0.40.0.AT.260701093000.1",
        "warnings@zamg.example.at",
        "2026-07-01T03:30:00+02:00",
        """  <msgType>Alert</msgType>
  <scope>Public</scope>
  <info>
    <language>de-AT</language>
    <category>Met</category>
    <event>Gewitter</event>
    <urgency>Future</urgency>
    <severity>Moderate</severity>
    <certainty>Likely</certainty>
    <headline>Gewitterwarnung Wien</headline>
    <area>
      <areaDesc>Wien</areaDesc>
      <geocode><valueName>EMMA_ID</valueName><value>AT009</value></geocode>
    </area>
  </info>""",
    )


# (colour zh, colour en, tag, CAP severity) as the national feed writes them.
NATIONAL_COLOURS = {
    "red": ("红色", "Red", "[Ⅰ级/特别严重]", "Extreme"),
    "orange": ("橙色", "Orange", "[Ⅱ级/严重]", "Severe"),
    "yellow": ("黄色", "Yellow", "[Ⅲ级/较重]", "Moderate"),
    "blue": ("蓝色", "Blue", "[Ⅳ级/一般]", "Minor"),
}


def national_rainstorm(
    *,
    colour: str = "red",
    identifier: str = "34100041600000_20260701093000",
    sent: str = NATIONAL_SENT,
    msg_type: str = "Alert",
    references: str | None = None,
    status: str = "Actual",
    geocode: str = TUNXI + "000000",
    value_name: str = "CPEAS Geographic Code",
    expires: str = "2026-07-02T09:30:00+08:00",
    headline: str | None = None,
    severity: str | None = None,
) -> bytes:
    """A rainstorm warning signal of the Huangshan meteorological observatory, national feed."""
    zh, en, tag, cap_severity = NATIONAL_COLOURS[colour]
    refs = f"\n  <references>{references}</references>" if references else ""
    title = headline or f"黄山市气象台发布暴雨{zh}预警信号{tag}"
    return _alert(
        identifier,
        NATIONAL_SENDER,
        sent,
        f"""  <msgType>{msg_type}</msgType>
  <scope>Public</scope>{refs}
  <info>
    <language>zh-CN</language>
    <category>Met</category>
    <event>暴雨{zh}预警</event>
    <urgency>Unknown</urgency>
    <severity>{severity or cap_severity}</severity>
    <certainty>Unknown</certainty>
    <expires>{expires}</expires>
    <senderName>黄山市气象台</senderName>
    <headline>{title}</headline>
    <description>黄山市气象台7月1日9时30分发布暴雨{zh}预警信号：过去3小时屯溪区降雨量已达100毫米以上，且降雨将持续。</description>
    <parameter><valueName>warningColor</valueName><value>{en}</value></parameter>
    <area>
      <areaDesc>屯溪区</areaDesc>
      <geocode><valueName>{value_name}</valueName><value>{geocode}</value></geocode>
    </area>
  </info>""",
        status=status,
    )
