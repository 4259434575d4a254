"""CAP 1.2: rendering warnings, validating against the OASIS schema, parsing safely."""

from __future__ import annotations

import json
import math
import re
from dataclasses import replace
from datetime import timedelta
from importlib import resources
from pathlib import Path

import pytest
import shapely
from lxml import etree
from shapely.geometry import Point, Polygon, shape
from shapely.geometry.base import BaseGeometry

from crossrisk.alerts.cap.area import (
    MAX_POLYGON_POINTS,
    MAX_POLYGONS,
    cap_polygon_text,
    message_polygons,
    parse_cap_circle,
    parse_cap_polygon,
)
from crossrisk.alerts.cap.mapping import CapMapping, cap_mapping_from_table, load_cap_mapping
from crossrisk.alerts.cap.parse import parse_cap
from crossrisk.alerts.cap.render import render_cap
from crossrisk.alerts.cap.schema import (
    CAP_NS,
    MAX_CAP_BYTES,
    XSD_SHA256,
    bundled_xsd_digest,
    validate_cap,
)
from crossrisk.alerts.texts import Wording
from crossrisk.data import bundled_region_path
from crossrisk.domain.errors import CrossriskError, InvalidInput
from crossrisk.domain.warning import (
    EarlyWarning,
    WarningLevel,
    WarningReference,
    WarningStatus,
    warning_id,
)
from crossrisk.geo.geodesy import LocalProjection
from tests.alerts.cap_samples import BILLION_LAUGHS, EXTERNAL_ENTITY, MALFORMED
from tests.support import HANGZHOU, T0

NS = {"cap": CAP_NS}
SENDER = "crossrisk.yrd"
MAPPING = load_cap_mapping()
SHARED_XSD = Path(__file__).resolve().parents[3] / "shared" / "specs" / "cap" / "CAP-v1.2.xsd"


@pytest.fixture(scope="module")
def cities() -> dict[str, BaseGeometry]:
    collection = json.loads(bundled_region_path("yrd").read_text("utf-8"))
    return {f["properties"]["code"]: shape(f["geometry"]) for f in collection["features"]}


@pytest.fixture(scope="module")
def schema() -> etree.XMLSchema:
    # An independent check: lxml on the shipped file, not the module's own validator.
    path = resources.files("crossrisk.data").joinpath("specs/cap/CAP-v1.2.xsd")
    return etree.XMLSchema(etree.fromstring(path.read_bytes()))


def make_warning(**changes: object) -> EarlyWarning:
    warning = EarlyWarning(
        id=warning_id(region_code="yrd", risk_id=42, recipient_code="330100", sequence=1),
        risk_id=42,
        region_code="yrd",
        recipient_code="330100",
        level=WarningLevel.YELLOW,
        expected_arrival=T0 + timedelta(hours=6, minutes=30),
        instructions_zh="关闭新安江、富春江沿线取水口，启用备用水源。",
        instructions_en="Close the water intakes on the Xin'an and Fuchun rivers.",
        status=WarningStatus.ISSUED,
        issued_at=T0,
        ack_deadline=T0 + timedelta(hours=2),
    )
    return replace(warning, **changes)


def later_warning(earlier: EarlyWarning, **changes: object) -> EarlyWarning:
    """The next message for the same risk and recipient, referring to the earlier one."""
    sequence = earlier.sequence + 1
    return replace(
        earlier,
        id=warning_id(
            region_code=earlier.region_code,
            risk_id=earlier.risk_id,
            recipient_code=earlier.recipient_code,
            sequence=sequence,
        ),
        sequence=sequence,
        issued_at=earlier.issued_at + timedelta(hours=1),
        references=(earlier.as_reference(),),
        **changes,
    )


SPILL_WORDINGS = (
    Wording(
        issuer=MAPPING.sender_name_zh,
        event="新安江苯乙烯泄漏",
        area="杭州市",
        origin="黄山市",
        hazard="新安江苯乙烯泄漏",
        contact=MAPPING.contact_zh,
    ),
    Wording(
        issuer=MAPPING.sender_name_en,
        event="Styrene spill on the Xin'an River",
        area="Hangzhou",
        origin="Huangshan",
        hazard="styrene on the Xin'an River",
        contact=MAPPING.contact_en,
    ),
)


def render(
    warning: EarlyWarning,
    area: list[BaseGeometry],
    *,
    msg_type: str = "Alert",
    mapping: CapMapping = MAPPING,
    geocodes: tuple[str, ...] = ("330100",),
) -> bytes:
    return render_cap(
        warning,
        sender=SENDER,
        area_polygons=area,
        geocodes=list(geocodes),
        wordings=SPILL_WORDINGS,
        category=mapping.cap_categories("accident_disaster", "river_spill"),
        msg_type=msg_type,
        sent=warning.issued_at,
        mapping=mapping,
        web="https://crossrisk.example/risks/42",
    )


def square(lon: float, lat: float, half: float = 0.01) -> Polygon:
    return Polygon(
        [
            (lon - half, lat - half),
            (lon + half, lat - half),
            (lon + half, lat + half),
            (lon - half, lat + half),
        ]
    )


def tree(xml: bytes) -> etree._Element:
    return etree.fromstring(xml)


def texts(root: etree._Element, path: str) -> list[str]:
    return [e.text or "" for e in root.iterfind(path, NS)]


# ---------------------------------------------------------------------------------------
# Rendering


@pytest.mark.parametrize("level", list(WarningLevel))
@pytest.mark.parametrize("msg_type", ["Alert", "Update", "Cancel"])
def test_rendered_alert_is_valid_cap_for_every_level_and_msg_type(
    level: WarningLevel, msg_type: str, cities: dict[str, BaseGeometry], schema: etree.XMLSchema
) -> None:
    warning = make_warning(level=level)
    if msg_type != "Alert":
        warning = later_warning(warning)
    xml = render(warning, [cities["330100"]], msg_type=msg_type)
    assert schema.validate(tree(xml)), schema.error_log
    validate_cap(xml)
    root = tree(xml)
    assert texts(root, "cap:msgType") == [msg_type]
    assert texts(root, "cap:status") == ["Actual"]
    assert (
        texts(root, "cap:info/cap:parameter[cap:valueName='crossrisk:level']/cap:value")
        == [str(level.value)] * 2
    )


def test_alert_carries_a_zh_and_an_en_info_block(cities: dict[str, BaseGeometry]) -> None:
    root = tree(render(make_warning(), [cities["330100"]]))
    assert texts(root, "cap:info/cap:language") == ["zh-CN", "en-US"]
    zh, en = root.iterfind("cap:info", NS)
    assert zh.findtext("cap:event", namespaces=NS) == "新安江苯乙烯泄漏"
    assert en.findtext("cap:event", namespaces=NS) == "Styrene spill on the Xin'an River"
    assert zh.findtext("cap:area/cap:areaDesc", namespaces=NS) == "杭州市"
    assert en.findtext("cap:area/cap:areaDesc", namespaces=NS) == "Hangzhou"
    assert "启用备用水源" in (zh.findtext("cap:instruction", namespaces=NS) or "")
    assert texts(zh, "cap:category") == ["Env", "Safety"]
    for info in (zh, en):
        assert info.findtext("cap:severity", namespaces=NS) == "Moderate"
        assert info.findtext("cap:urgency", namespaces=NS) == "Expected"
        assert info.findtext("cap:certainty", namespaces=NS) == "Likely"
        assert texts(info, "cap:responseType") == ["Prepare", "Monitor"]
        assert info.findtext("cap:onset", namespaces=NS) == "2026-07-01T16:30:00+08:00"
        assert texts(info, "cap:area/cap:geocode/cap:valueName") == ["GB/T 2260"]
        assert texts(info, "cap:area/cap:geocode/cap:value") == ["330100"]


@pytest.mark.parametrize(
    "level, zh, en",
    [
        (WarningLevel.RED, "红色预警[Ⅰ级/特别严重]", "Red warning [Level I/Particularly Serious]"),
        (WarningLevel.ORANGE, "橙色预警[Ⅱ级/严重]", "Orange warning [Level II/Serious]"),
        (WarningLevel.YELLOW, "黄色预警[Ⅲ级/较重]", "Yellow warning [Level III/Heavy]"),
        (WarningLevel.BLUE, "蓝色预警[Ⅳ级/一般]", "Blue warning [Level IV/General]"),
    ],
)
def test_headline_is_tagged_as_in_national_practice(
    level: WarningLevel, zh: str, en: str, cities: dict[str, BaseGeometry]
) -> None:
    root = tree(render(make_warning(level=level), [cities["330100"]]))
    # The issuer first, as national warnings write it: "…发布…橙色预警[Ⅱ级/严重]".
    assert texts(root, "cap:info/cap:headline") == [
        f"{MAPPING.sender_name_zh}发布新安江苯乙烯泄漏{zh}：预计7月1日16:30抵达杭州市",
        f"{MAPPING.sender_name_en} issues {en} for Styrene spill on the Xin'an River: "
        "expected to reach Hangzhou at 16:30 on 1 July",
    ]
    severity = {1: "Extreme", 2: "Severe", 3: "Moderate", 4: "Minor"}[level.value]
    assert texts(root, "cap:info/cap:severity") == [severity, severity]


def test_headline_says_when_the_hazard_has_arrived_or_its_arrival_is_unknown(
    cities: dict[str, BaseGeometry],
) -> None:
    arrived = tree(render(make_warning(expected_arrival=T0), [cities["330100"]]))
    assert texts(arrived, "cap:info/cap:headline")[0].endswith("：已抵达杭州市")
    unknown = tree(render(make_warning(expected_arrival=None), [cities["330100"]]))
    assert texts(unknown, "cap:info/cap:headline")[1].endswith("Xin'an River: affects Hangzhou")
    assert texts(unknown, "cap:info/cap:onset") == []
    assert texts(unknown, "cap:info/cap:urgency") == ["Unknown", "Unknown"]


@pytest.mark.parametrize(
    "lead, urgency",
    [(timedelta(0), "Immediate"), (timedelta(minutes=50), "Immediate"),
     (timedelta(hours=6), "Expected"), (timedelta(hours=24), "Expected"),
     (timedelta(hours=30), "Future")],
)  # fmt: skip
def test_urgency_follows_lead_time(
    lead: timedelta, urgency: str, cities: dict[str, BaseGeometry]
) -> None:
    root = tree(render(make_warning(expected_arrival=T0 + lead), [cities["330100"]]))
    assert texts(root, "cap:info/cap:urgency") == [urgency, urgency]


def test_certainty_is_observed_when_measured_at_the_recipient(
    cities: dict[str, BaseGeometry],
) -> None:
    root = tree(render(make_warning(observed=True), [cities["330100"]]))
    assert texts(root, "cap:info/cap:certainty") == ["Observed", "Observed"]


def test_times_are_cap_datetimes_in_beijing_time(cities: dict[str, BaseGeometry]) -> None:
    # Microseconds and a UTC zone in; CAP 1.2 §3.3.2 form out: no fraction, no "Z".
    warning = make_warning(issued_at=T0.replace(microsecond=123456))
    root = tree(render(warning, [cities["330100"]]))
    sent = texts(root, "cap:sent")[0]
    assert sent == "2026-07-01T10:00:00+08:00"
    for value in (
        texts(root, "cap:sent")
        + texts(root, "cap:info/cap:onset")
        + texts(root, "cap:info/cap:expires")
    ):
        assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+08:00", value), value


def test_naive_sent_time_is_refused(cities: dict[str, BaseGeometry]) -> None:
    with pytest.raises(InvalidInput, match="UTC offset") as caught:
        render_cap(
            make_warning(),
            sender=SENDER,
            area_polygons=[cities["330100"]],
            geocodes=["330100"],
            wordings=(
                Wording(issuer="", event="泄漏", area="杭州市"),
                Wording(issuer="", event="Spill", area="Hangzhou"),
            ),
            category="Env",
            msg_type="Alert",
            sent=T0.replace(tzinfo=None),
            mapping=MAPPING,
        )
    assert caught.value.key == "cap-naive-time"


def test_scope_is_restricted_with_its_restriction(cities: dict[str, BaseGeometry]) -> None:
    root = tree(render(make_warning(), [cities["330100"]]))
    assert texts(root, "cap:scope") == ["Restricted"]
    assert "emergency management offices" in texts(root, "cap:restriction")[0]


def test_polygon_rings_are_closed_and_bounded(cities: dict[str, BaseGeometry]) -> None:
    root = tree(render(make_warning(), [cities["330100"]]))
    polygons = texts(root, "cap:info/cap:area/cap:polygon")
    assert polygons
    for text in polygons:
        pairs = text.split()
        assert pairs[0] == pairs[-1]  # CAP 1.2 §3.2.4: closed
        assert 4 <= len(pairs) <= MAX_POLYGON_POINTS


def test_coordinates_are_latitude_then_longitude() -> None:
    lon, lat = HANGZHOU  # 30.27 N, 120.16 E
    root = tree(render(make_warning(), [square(lon, lat)]))
    text = texts(root, "cap:info/cap:area/cap:polygon")[0]
    assert re.search(r"(^| )30\.2\d*,120\.1\d*( |$)", text), text
    for pair in text.split():
        first, second = (float(v) for v in pair.split(","))
        assert 30.25 <= first <= 30.29 and 120.14 <= second <= 120.18


def test_city_polygon_lies_where_the_city_is(cities: dict[str, BaseGeometry]) -> None:
    root = tree(render(make_warning(), [cities["330100"]]))
    for pair in texts(root, "cap:info/cap:area/cap:polygon")[0].split():
        lat, lon = (float(v) for v in pair.split(","))
        assert 29.0 < lat < 30.8 and 118.2 < lon < 120.9


def test_simplified_area_covers_the_city_with_few_points(cities: dict[str, BaseGeometry]) -> None:
    hangzhou = cities["330100"]
    assert len(shapely.get_coordinates(hangzhou)) > 10 * MAX_POLYGON_POINTS
    polygons = message_polygons([hangzhou])
    covering = shapely.union_all(polygons)
    assert covering.covers(hangzhou)
    # Covering, with a band of a couple of kilometres, not swallowing the neighbours.
    assert covering.area < 1.15 * hangzhou.area


def test_an_island_city_becomes_a_few_polygons_covering_every_island(
    cities: dict[str, BaseGeometry],
) -> None:
    zhoushan = cities["330900"]  # hundreds of islands
    assert len(zhoushan.geoms) > MAX_POLYGONS
    polygons = message_polygons([zhoushan])
    assert 1 <= len(polygons) <= MAX_POLYGONS
    assert all(len(p.exterior.coords) <= MAX_POLYGON_POINTS for p in polygons)
    assert shapely.union_all(polygons).covers(zhoushan)


def test_every_jurisdiction_stays_covered_through_the_cap_text(
    cities: dict[str, BaseGeometry],
) -> None:
    for code, geometry in cities.items():
        polygons = [parse_cap_polygon(cap_polygon_text(p)) for p in message_polygons([geometry])]
        assert len(polygons) <= MAX_POLYGONS, code
        assert all(len(p.exterior.coords) <= MAX_POLYGON_POINTS for p in polygons), code
        assert shapely.union_all(polygons).covers(geometry), code


def test_update_and_cancel_reference_the_earlier_message(cities: dict[str, BaseGeometry]) -> None:
    first = make_warning()
    first_xml = render(first, [cities["330100"]])
    update = later_warning(first, level=WarningLevel.ORANGE)
    cancel = later_warning(update)
    update_root = tree(render(update, [cities["330100"]], msg_type="Update"))
    cancel_root = tree(render(cancel, [cities["330100"]], msg_type="Cancel"))

    first_sent = texts(tree(first_xml), "cap:sent")[0]
    assert texts(update_root, "cap:references") == [
        f"{SENDER},crossrisk-yrd-42-330100-1,{first_sent}"
    ]
    assert texts(cancel_root, "cap:references") == [
        f"{SENDER},crossrisk-yrd-42-330100-2,{texts(update_root, 'cap:sent')[0]}"
    ]
    assert texts(update_root, "cap:identifier") == ["crossrisk-yrd-42-330100-2"]
    issuer = MAPPING.sender_name_zh
    assert texts(update_root, "cap:info/cap:headline")[0].startswith(
        f"{issuer}发布新安江苯乙烯泄漏橙色预警[Ⅱ级/严重]（更新）："
    )
    # Lifting a warning: 解除, AllClear and Past.
    assert texts(cancel_root, "cap:info/cap:headline")[0] == (
        f"{issuer}解除新安江苯乙烯泄漏橙色预警[Ⅱ级/严重]（杭州市）"
    )
    assert texts(cancel_root, "cap:info/cap:responseType") == ["AllClear", "AllClear"]
    assert texts(cancel_root, "cap:info/cap:urgency") == ["Past", "Past"]
    # All messages of one risk share the incident.
    assert texts(update_root, "cap:incidents") == texts(tree(first_xml), "cap:incidents")


def test_a_reference_to_another_sender_keeps_that_sender(cities: dict[str, BaseGeometry]) -> None:
    reference = WarningReference(identifier="CMA-2026-0701-001", sent=T0, sender="cma.gov.cn")
    warning = make_warning(references=(reference,), sequence=2)
    root = tree(render(warning, [cities["330100"]], msg_type="Update"))
    assert texts(root, "cap:references") == [
        "cma.gov.cn,CMA-2026-0701-001,2026-07-01T10:00:00+08:00"
    ]


@pytest.mark.parametrize("msg_type", ["Update", "Cancel"])
def test_update_or_cancel_without_references_is_refused(
    msg_type: str, cities: dict[str, BaseGeometry]
) -> None:
    with pytest.raises(InvalidInput, match="must reference") as caught:
        render(make_warning(), [cities["330100"]], msg_type=msg_type)
    assert caught.value.key == "cap-references-missing"


def test_unknown_msg_type_is_refused(cities: dict[str, BaseGeometry]) -> None:
    with pytest.raises(InvalidInput, match="msgType"):
        render(make_warning(), [cities["330100"]], msg_type="Ack")


def test_identifier_is_stable_and_unique(cities: dict[str, BaseGeometry]) -> None:
    area = [cities["330100"]]
    once, again = render(make_warning(), area), render(make_warning(), area)
    assert once == again
    assert texts(tree(once), "cap:identifier") == ["crossrisk-yrd-42-330100-1"]
    others = {
        make_warning(
            id=warning_id(region_code="yrd", risk_id=risk, recipient_code=code, sequence=seq)
        ).id
        for risk in (42, 43)
        for code in ("330100", "330200")
        for seq in (1, 2)
    }
    assert len(others) == 8


def test_an_area_needs_a_polygon_or_a_geocode() -> None:
    with pytest.raises(InvalidInput, match="polygon or a geocode"):
        render(make_warning(), [], geocodes=())


def test_a_bad_geocode_is_refused(cities: dict[str, BaseGeometry]) -> None:
    with pytest.raises(InvalidInput, match="GB/T 2260"):
        render(make_warning(), [cities["330100"]], geocodes=("3301",))


def test_text_xml_cannot_carry_is_refused(cities: dict[str, BaseGeometry]) -> None:
    warning = make_warning(instructions_en="Close the intakes\x00")
    with pytest.raises(InvalidInput, match="characters XML cannot carry") as caught:
        render(warning, [cities["330100"]])
    assert caught.value.params == {"element": "instruction"}


def test_an_unknown_cap_category_is_refused(cities: dict[str, BaseGeometry]) -> None:
    with pytest.raises(InvalidInput, match="CAP categories") as caught:
        render_cap(
            make_warning(),
            sender=SENDER,
            area_polygons=[cities["330100"]],
            geocodes=["330100"],
            wordings=(
                Wording(issuer="", event="泄漏", area="杭州市"),
                Wording(issuer="", event="Spill", area="Hangzhou"),
            ),
            category="Chemical",
            msg_type="Alert",
            sent=T0,
            mapping=MAPPING,
        )
    assert caught.value.key == "cap-category"


# ---------------------------------------------------------------------------------------
# Round trip and incoming alerts


def test_round_trip_keeps_identity_and_covers_the_city(cities: dict[str, BaseGeometry]) -> None:
    hangzhou = cities["330100"]
    update = later_warning(make_warning())
    alert = parse_cap(render(update, [hangzhou], msg_type="Update"))
    assert alert.identifier == "crossrisk-yrd-42-330100-2"
    assert alert.sender == SENDER
    assert alert.msg_type == "Update"
    assert alert.sent == update.issued_at
    assert [(r.sender, r.identifier, r.sent) for r in alert.references] == [
        (SENDER, "crossrisk-yrd-42-330100-1", T0)
    ]
    assert [info.language for info in alert.infos] == ["zh-CN", "en-US"]
    zh = alert.info("zh")
    assert zh is not None and zh.onset == update.expected_arrival
    assert zh.headline is not None and "黄色预警[Ⅲ级/较重]" in zh.headline
    area = zh.areas[0]
    assert area.geocodes == (("GB/T 2260", "330100"),)
    geometry = area.geometry()
    assert geometry is not None
    assert geometry.covers(hangzhou)
    assert geometry.contains(Point(HANGZHOU))


CIRCLE_ALERT = f"""<?xml version="1.0" encoding="UTF-8"?>
<alert xmlns="{CAP_NS}">
  <identifier>CMA-330100-20260701-0001</identifier>
  <sender>zj.weather.cma.gov.cn</sender>
  <sent>2026-07-01T02:00:00-00:00</sent>
  <status>Actual</status>
  <msgType>Alert</msgType>
  <scope>Public</scope>
  <info>
    <category>Met</category>
    <event>Rainstorm</event>
    <urgency>Expected</urgency>
    <severity>Severe</severity>
    <certainty>Likely</certainty>
    <area>
      <areaDesc>Around Hangzhou</areaDesc>
      <circle>30.27,120.16 10</circle>
      <geocode><valueName>GB/T 2260</valueName><value>330100</value></geocode>
    </area>
  </info>
</alert>
""".encode()


def test_incoming_circle_becomes_a_polygon_of_its_radius() -> None:
    alert = parse_cap(CIRCLE_ALERT)
    assert alert.sent.utcoffset() == timedelta(0)  # "-00:00" is UTC (CAP 1.2 §3.2.1)
    info = alert.infos[0]
    assert info.language == "en-US"  # CAP 1.2 §3.2.2: the default
    (circle,) = info.areas[0].circles
    assert circle.contains(Point(HANGZHOU))
    projection = LocalProjection(*HANGZHOU)
    metres = projection.to_metres(circle)
    distances = [math.hypot(x, y) for x, y in metres.exterior.coords]
    assert all(abs(d - 10_000) < 10 for d in distances)
    assert metres.area == pytest.approx(math.pi * 10_000**2, rel=0.005)
    # Measured independently, along great circles on the mean Earth sphere.
    for lon, lat in circle.exterior.coords:
        assert great_circle_km(HANGZHOU, (lon, lat)) == pytest.approx(10.0, rel=0.01)


def great_circle_km(a: tuple[float, float], b: tuple[float, float]) -> float:
    (lon1, lat1), (lon2, lat2) = (tuple(map(math.radians, p)) for p in (a, b))
    h = (
        math.sin((lat2 - lat1) / 2) ** 2
        + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    )
    return 2 * 6371.0088 * math.asin(math.sqrt(h))


@pytest.mark.parametrize(
    "text, message",
    [
        ("30.27,120.16", "latitude,longitude radius"),
        ("30.27,120.16 -1", "from 0"),
        ("30.27,120.16 5000", "to 1000"),
        ("95,120.16 10", "not WGS84"),
        ("30.27;120.16 10", "pair belongs"),
    ],
)
def test_a_bad_circle_is_refused(text: str, message: str) -> None:
    with pytest.raises(InvalidInput, match=message):
        parse_cap_circle(text)


def test_a_circle_of_radius_0_is_a_point() -> None:
    # CAP 1.2's own examples send an earthquake's epicentre so: "32.9525,-115.5527 0".
    assert parse_cap_circle("32.9525,-115.5527 0").equals(Point(-115.5527, 32.9525))


def test_an_unclosed_incoming_polygon_is_refused() -> None:
    xml = CIRCLE_ALERT.replace(
        b"<circle>30.27,120.16 10</circle>",
        b"<polygon>30.2,120.1 30.3,120.1 30.3,120.2 30.2,120.2</polygon>",
    )
    with pytest.raises(InvalidInput, match="not closed") as caught:
        parse_cap(xml)
    assert caught.value.key == "cap-bad-polygon"


# ---------------------------------------------------------------------------------------
# Refusals


def refusal(xml: bytes, **kwargs: int) -> CrossriskError:
    with pytest.raises(CrossriskError) as caught:
        parse_cap(xml, **kwargs)
    assert "\n" not in caught.value.detail  # one line, as the CLI and API show it
    assert caught.value.key is not None
    return caught.value


def test_malformed_xml_is_refused_with_its_line() -> None:
    error = refusal(MALFORMED)
    assert error.key == "cap-malformed"
    assert "not well-formed XML at line 3" in error.detail


def test_cap_missing_required_elements_is_refused_naming_the_first_error() -> None:
    xml = CIRCLE_ALERT.replace(b"  <sender>zj.weather.cma.gov.cn</sender>\n", b"")
    error = refusal(xml)
    assert error.key == "cap-invalid"
    assert error.params["line"] == 4  # where <sent> came too soon
    assert "not valid CAP 1.2: line 4" in error.detail
    assert "cap:sender" in error.detail


def test_a_value_outside_the_cap_code_lists_is_refused() -> None:
    error = refusal(CIRCLE_ALERT.replace(b"<urgency>Expected", b"<urgency>Soon"))
    assert error.key == "cap-invalid" and "urgency" in error.detail


def test_an_older_cap_version_is_refused() -> None:
    error = refusal(CIRCLE_ALERT.replace(b":cap:1.2", b":cap:1.1"))
    assert error.key == "cap-not-cap12"
    assert "not a CAP 1.2 alert" in error.detail


def test_an_entity_bomb_is_refused() -> None:
    error = refusal(BILLION_LAUGHS)
    assert error.key == "cap-doctype"
    assert "DOCTYPE" in error.detail
    assert "lollol" not in error.detail


def test_an_external_entity_is_refused_and_never_read() -> None:
    error = refusal(EXTERNAL_ENTITY)
    assert error.key == "cap-doctype"
    assert "root:" not in error.detail


def test_a_doctype_is_refused_in_any_encoding() -> None:
    # In UTF-16 the bytes do not spell "<!DOCTYPE"; the parsed document still shows it.
    text = EXTERNAL_ENTITY.decode().replace('version="1.0"', 'version="1.0" encoding="UTF-16"')
    encoded = text.encode("utf-16")
    assert b"<!DOCTYPE" not in encoded
    error = refusal(encoded)
    assert error.key == "cap-doctype"
    assert "root:" not in error.detail


def test_an_oversized_document_is_refused_before_parsing() -> None:
    padding = b"<!--" + b"x" * MAX_CAP_BYTES + b"-->"
    error = refusal(CIRCLE_ALERT + padding)
    assert error.key == "cap-too-large"
    assert f"the limit is {MAX_CAP_BYTES} bytes" in error.detail
    small = refusal(CIRCLE_ALERT, max_bytes=100)
    assert small.params == {"size": len(CIRCLE_ALERT), "limit": 100}


def test_text_instead_of_bytes_is_refused() -> None:
    with pytest.raises(InvalidInput, match="as bytes"):
        parse_cap(CIRCLE_ALERT.decode())  # type: ignore[arg-type]


# ---------------------------------------------------------------------------------------
# Policy table and schema file


def test_mapping_refuses_values_outside_cap() -> None:
    import tomllib

    path = resources.files("crossrisk.data").joinpath("policy/cap_mapping.toml")
    table = tomllib.loads(path.read_text("utf-8"))
    table["severity"]["red"] = "Catastrophic"
    with pytest.raises(InvalidInput, match=r"not a CAP 1\.2 severity") as caught:
        cap_mapping_from_table(table)
    assert caught.value.key == "cap-code-unknown"


def test_mapping_puts_a_deliberate_release_under_cbrne() -> None:
    assert MAPPING.cap_categories("social_security", "gas_release") == ("Security", "CBRNE")
    assert MAPPING.cap_categories("public_health", "infectious_disease") == ("Health",)
    assert MAPPING.cap_categories("natural_disaster") == ("Met",)


def test_shipped_schema_is_the_oasis_file_unchanged() -> None:
    assert bundled_xsd_digest() == XSD_SHA256
    readme = resources.files("crossrisk.data").joinpath("specs/cap/README.md").read_text("utf-8")
    assert XSD_SHA256 in readme
    if SHARED_XSD.exists():
        path = resources.files("crossrisk.data").joinpath("specs/cap/CAP-v1.2.xsd")
        assert path.read_bytes() == SHARED_XSD.read_bytes()


# ---------------------------------------------------------------------------------------
# What and where from; information reports


def test_description_names_the_origin_and_the_hazard_in_both_languages(
    cities: dict[str, BaseGeometry], schema: etree.XMLSchema
) -> None:
    xml = render(make_warning(), [cities["330100"]])
    assert schema.validate(etree.fromstring(xml)), schema.error_log
    zh, en = texts(tree(xml), "cap:info/cap:description")
    assert zh.startswith(
        "黄山市发生新安江苯乙烯泄漏（新安江苯乙烯泄漏）。预警级别：黄色（Ⅲ级，较重）。"
    )
    assert "预计于7月1日16:30（北京时间）抵达杭州市，距发布约6.5小时。" in zh
    assert en.startswith(
        "Styrene spill on the Xin'an River (styrene on the Xin'an River) originating in "
        "Huangshan. Warning level: Yellow (Level III, Heavy)."
    )
    assert "about 6.5 hours after this message" in en


def test_message_links_to_the_risk_page_and_names_the_duty_desk(
    cities: dict[str, BaseGeometry],
) -> None:
    root = tree(render(make_warning(), [cities["330100"]]))
    assert texts(root, "cap:info/cap:web") == ["https://crossrisk.example/risks/42"] * 2
    assert texts(root, "cap:info/cap:contact") == [MAPPING.contact_zh, MAPPING.contact_en]
    assert "值班室" in MAPPING.contact_zh and "Duty desk" in MAPPING.contact_en


def test_an_information_report_carries_no_colour_or_level_words(
    cities: dict[str, BaseGeometry], schema: etree.XMLSchema
) -> None:
    xml = render(make_warning(level=WarningLevel.ORANGE, report=True), [cities["330100"]])
    assert schema.validate(etree.fromstring(xml)), schema.error_log
    root = tree(xml)
    zh_headline, en_headline = texts(root, "cap:info/cap:headline")
    assert zh_headline.startswith(f"{MAPPING.sender_name_zh}发布新安江苯乙烯泄漏通报：")
    assert "information report" in en_headline
    words = " ".join(texts(root, "cap:info/cap:headline") + texts(root, "cap:info/cap:description"))
    for level in WarningLevel:
        for word in (
            level.colour_zh,
            level.colour_en,
            f"{level.numeral}级",
            f"Level {level.roman}",
        ):
            assert word not in words
    names = texts(root, "cap:info/cap:parameter/cap:valueName")
    assert "crossrisk:colour" not in names and "crossrisk:level" not in names
    assert "crossrisk:kind" in names
