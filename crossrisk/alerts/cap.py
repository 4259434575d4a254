"""CAP 1.2 alerts: render a warning, validate against the OASIS schema, parse safely.

References are to the clauses of the OASIS Common Alerting Protocol Version 1.2
(CAP-v1.2-os): §3.2.1 alert, §3.2.2 info, §3.2.4 area, §3.3.2 dates and times.
"""

from __future__ import annotations

import hashlib
import math
import re
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import lru_cache
from importlib import resources
from zoneinfo import ZoneInfo

import shapely
from lxml import etree
from shapely.geometry import MultiPolygon, Point, Polygon
from shapely.geometry.base import BaseGeometry
from shapely.validation import explain_validity

from crossrisk.alerts.cap_mapping import CAP_CATEGORIES, CapMapping
from crossrisk.domain.errors import InvalidInput, TooLarge
from crossrisk.domain.warning import EarlyWarning, check_cap_token
from crossrisk.geo.geodesy import LocalProjection

CAP_NS = "urn:oasis:names:tc:emergency:cap:1.2"
_ALERT_TAG = f"{{{CAP_NS}}}alert"
SHANGHAI = ZoneInfo("Asia/Shanghai")
MSG_TYPES = ("Alert", "Update", "Cancel")  # what crossrisk sends; Ack and Error it never does
GEOCODE_NAME = "GB/T 2260"  # administrative division codes of the People's Republic of China
PARAMETER_PREFIX = "crossrisk:"

# A CAP alert is a few kilobytes; one with ten 100-point polygons about 25 kB. A megabyte
# leaves room for other senders' detailed areas while refusing a document meant to exhaust
# memory before a byte of it is parsed.
MAX_CAP_BYTES = 1_048_576

# Polygons in a rendered message. Region boundaries carry thousands of vertices per city;
# receivers (SMS gateways, sirens, dashboards) need a message of a few kilobytes, and a
# warning area has no use for 10 m detail. The polygons are enlarged while simplified,
# never shrunk, so every place of the city stays inside the warned area.
MAX_POLYGON_POINTS = 100  # per ring, the closing point included
MAX_POLYGONS = 10
COORDINATE_DECIMALS = 5  # about 1 m; the simplified rings carry a 25 m margin for it
_SIMPLIFY_START_M = 100.0
_SIMPLIFY_MAX_M = 50_000.0
_COVER_MARGIN_M = 25.0
_MERGE_START_M = 1_000.0
_MERGE_MAX_M = 64_000.0

# Circles are drawn in the azimuthal equidistant projection of geo/geodesy.py, so every
# vertex lies at the geodesic radius from the centre. A "radius" over this bound (a
# typhoon's wind circle is some 500 km) is no local alert but a unit mistake (metres sent
# as kilometres).
MAX_CIRCLE_KM = 1_000.0
_CIRCLE_QUAD_SEGS = 16  # 64 vertices: under 0.2 % short of the true circle's radius

_XSD_PATH = "specs/cap/CAP-v1.2.xsd"
XSD_SHA256 = "b7798ef25868b068c97b268bda02d067c7d4ba9373adc5638bf37105804ee723"


# ---------------------------------------------------------------------------------------
# Rendering


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
    return moment.astimezone(SHANGHAI).replace(microsecond=0).isoformat()


def render_cap(
    warning: EarlyWarning,
    *,
    sender: str,
    area_polygons: Sequence[BaseGeometry],
    geocodes: Sequence[str],
    area_name_zh: str,
    area_name_en: str,
    event_zh: str,
    event_en: str,
    category: str | Sequence[str],
    msg_type: str,
    sent: datetime,
    mapping: CapMapping,
    web: str | None = None,
) -> bytes:
    """The warning as a CAP 1.2 alert (UTF-8 XML) with zh-CN and en-US info blocks."""
    check_cap_token("sender", sender)
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
    for name, value in (
        ("event_zh", event_zh),
        ("event_en", event_en),
        ("area_name_zh", area_name_zh),
        ("area_name_en", area_name_en),
    ):
        if not value.strip():
            raise InvalidInput(f"{name} must not be empty", key="cap-text-empty")
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

    alert = etree.Element(_ALERT_TAG, nsmap={None: CAP_NS})
    _text(alert, "identifier", warning.id)
    _text(alert, "sender", sender)
    _text(alert, "sent", cap_time(sent))
    _text(alert, "status", "Actual")
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
    for language in ("zh-CN", "en-US"):
        info = etree.SubElement(alert, _tag("info"))
        _text(info, "language", language)
        for value in categories:
            _text(info, "category", value)
        _text(info, "event", event_zh if language == "zh-CN" else event_en)
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
        if language == "zh-CN":
            _text(info, "senderName", mapping.sender_name_zh)
            _text(info, "headline", _headline_zh(warning, event_zh, area_name_zh, msg_type, sent))
            _text(info, "description", _description_zh(warning, event_zh, area_name_zh, sent))
            instruction = warning.instructions_zh.strip()
        else:
            _text(info, "senderName", mapping.sender_name_en)
            _text(info, "headline", _headline_en(warning, event_en, area_name_en, msg_type, sent))
            _text(info, "description", _description_en(warning, event_en, area_name_en, sent))
            instruction = warning.instructions_en.strip()
        if instruction:
            _text(info, "instruction", instruction)
        if web:
            _text(info, "web", web)
        for name, value in _parameters(warning, lead_hours):
            parameter = etree.SubElement(info, _tag("parameter"))
            _text(parameter, "valueName", name)
            _text(parameter, "value", value)
        area = etree.SubElement(info, _tag("area"))
        _text(area, "areaDesc", area_name_zh if language == "zh-CN" else area_name_en)
        for polygon in polygons:
            _text(area, "polygon", cap_polygon_text(polygon))
        for code in codes:
            geocode = etree.SubElement(area, _tag("geocode"))
            _text(geocode, "valueName", GEOCODE_NAME)
            _text(geocode, "value", code)

    xml: bytes = etree.tostring(alert, xml_declaration=True, encoding="UTF-8", pretty_print=True)
    # Never send what a receiver would reject: a failure here is a bug of ours or of the
    # policy table, better raised now than discovered by every city at once.
    validate_cap(xml)
    return xml


def _tag(name: str) -> str:
    return f"{{{CAP_NS}}}{name}"


def _text(parent: etree._Element, name: str, value: str) -> etree._Element:
    element = etree.SubElement(parent, _tag(name))
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


def _parameters(warning: EarlyWarning, lead_hours: float | None) -> list[tuple[str, str]]:
    values = [
        ("level", str(int(warning.level))),
        ("colour", warning.level.key),
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


_MONTHS_EN = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)


def _when_zh(moment: datetime) -> str:
    local = moment.astimezone(SHANGHAI)
    return f"{local.month}月{local.day}日{local.hour:02d}:{local.minute:02d}"


def _when_en(moment: datetime) -> str:
    local = moment.astimezone(SHANGHAI)
    return f"{local.hour:02d}:{local.minute:02d} on {local.day} {_MONTHS_EN[local.month - 1]}"


def _arrived(warning: EarlyWarning, sent: datetime) -> bool:
    return warning.expected_arrival is not None and warning.expected_arrival <= sent


def _headline_zh(
    warning: EarlyWarning, event: str, area: str, msg_type: str, sent: datetime
) -> str:
    # National practice: the headline opens with the colour and level, e.g.
    # 黄色预警[Ⅲ级/较重]; lifting a warning is announced as 解除…预警.
    tag = warning.level.headline_tag_zh
    if msg_type == "Cancel":
        return f"解除{tag}：{event}（{area}）"
    if msg_type == "Update":
        tag = f"{tag}（更新）"
    if warning.expected_arrival is None:
        return f"{tag}：{event}影响{area}"
    if _arrived(warning, sent):
        return f"{tag}：{event}已抵达{area}"
    return f"{tag}：{event}将于{_when_zh(warning.expected_arrival)}抵达{area}"


def _headline_en(
    warning: EarlyWarning, event: str, area: str, msg_type: str, sent: datetime
) -> str:
    tag = warning.level.headline_tag_en
    if msg_type == "Cancel":
        return f"Lifted: {tag}: {event} ({area})"
    if msg_type == "Update":
        tag = f"{tag} (updated)"
    if warning.expected_arrival is None:
        return f"{tag}: {event} affects {area}"
    if _arrived(warning, sent):
        return f"{tag}: {event} has reached {area}"
    return f"{tag}: {event} expected to reach {area} at {_when_en(warning.expected_arrival)}"


def _lead_zh(hours: float) -> str:
    return f"约{round(hours * 60)}分钟" if hours < 1 else f"约{hours:.1f}小时"


def _lead_en(hours: float) -> str:
    return f"about {round(hours * 60)} minutes" if hours < 1 else f"about {hours:.1f} hours"


def _description_zh(warning: EarlyWarning, event: str, area: str, sent: datetime) -> str:
    level = warning.level
    text = f"{event}。预警级别：{level.colour_zh}（{level.numeral}级，{level.grade_zh}）。"
    arrival = warning.expected_arrival
    if arrival is None:
        text += f"影响{area}，抵达时间未能估算。"
    elif arrival <= sent:
        text += f"已抵达{area}。"
    else:
        hours = (arrival - sent).total_seconds() / 3600.0
        text += f"预计于{_when_zh(arrival)}（北京时间）抵达{area}，距发布{_lead_zh(hours)}。"
    text += f"请于{_when_zh(warning.ack_deadline)}（北京时间）前确认收到。"
    return text


def _description_en(warning: EarlyWarning, event: str, area: str, sent: datetime) -> str:
    level = warning.level
    text = f"{event}. Warning level: {level.colour_en} (Level {level.roman}, {level.grade_en}). "
    arrival = warning.expected_arrival
    if arrival is None:
        text += f"It affects {area}; no arrival time could be estimated. "
    elif arrival <= sent:
        text += f"It has reached {area}. "
    else:
        hours = (arrival - sent).total_seconds() / 3600.0
        text += (
            f"Expected to reach {area} at {_when_en(arrival)} Beijing time (UTC+8), "
            f"{_lead_en(hours)} after this message. "
        )
    text += f"Please acknowledge by {_when_en(warning.ack_deadline)} Beijing time."
    return text


def notice_text(
    warning: EarlyWarning,
    *,
    event_zh: str,
    event_en: str,
    area_name_zh: str,
    area_name_en: str,
    msg_type: str,
    sent: datetime,
) -> tuple[str, str]:
    """A one-line subject and a plain-text body saying what the CAP message says, zh then en.

    E-mail readers and duty phones show this text; it is built by the same sentences as
    the CAP headline and description, so both always say the same.
    """
    subject = _headline_zh(warning, event_zh, area_name_zh, msg_type, sent)
    lines = [
        subject,
        _description_zh(warning, event_zh, area_name_zh, sent),
        warning.instructions_zh.strip(),
        "",
        _headline_en(warning, event_en, area_name_en, msg_type, sent),
        _description_en(warning, event_en, area_name_en, sent),
        warning.instructions_en.strip(),
        "",
        f"CAP identifier: {warning.id}",
    ]
    return subject, "\n".join(lines)


# ---------------------------------------------------------------------------------------
# Polygons


def message_polygons(
    geometries: Sequence[BaseGeometry],
    *,
    max_points: int = MAX_POLYGON_POINTS,
    max_polygons: int = MAX_POLYGONS,
) -> list[Polygon]:
    """Few, small lon/lat polygons that together cover the given area."""
    parts = _checked_polygons(geometries)
    if not parts:
        return []
    # A city's boundary is the same in every warning it gets; simplifying it again for
    # each would put tens of milliseconds on every delivery.
    key = tuple(shapely.to_wkb(part) for part in parts)
    return list(_covering_polygons(key, max_points, max_polygons))


@lru_cache(maxsize=256)
def _covering_polygons(
    parts_wkb: tuple[bytes, ...], max_points: int, max_polygons: int
) -> tuple[Polygon, ...]:
    union = shapely.union_all([shapely.from_wkb(wkb) for wkb in parts_wkb])
    centre = union.centroid
    projection = LocalProjection(centre.x, centre.y)
    # Simplify in metres, so a tolerance means the same on the ground in every direction.
    # A CAP polygon is one ring (§3.2.4): holes cannot be said, so they are filled, which
    # only widens the warned area.
    shells = [_shell(p) for p in _polygons_of(projection.to_metres(union))]
    grow = _MERGE_START_M
    while len(shells) > max_polygons and grow <= _MERGE_MAX_M:
        # Many parts (Zhoushan has over 200 islands): merge neighbours by growing each
        # part, nearest first, so the message's few polygons still hug the land.
        merged = shapely.union_all([s.buffer(grow, quad_segs=2) for s in shells])
        shells = [_shell(p) for p in _polygons_of(merged)]
        grow *= 2
    if len(shells) > max_polygons:
        shells = [shapely.union_all(shells).convex_hull]
    bounded = [_bounded(shell, max_points) for shell in shells]
    return tuple(_rounded(projection.to_lonlat(polygon)) for polygon in bounded)


def _checked_polygons(geometries: Sequence[BaseGeometry]) -> list[Polygon]:
    parts: list[Polygon] = []
    for geometry in geometries:
        if not isinstance(geometry, Polygon | MultiPolygon):
            raise InvalidInput(
                f"an area polygon must be a shapely Polygon or MultiPolygon, "
                f"got {type(geometry).__name__}",
                key="cap-area-not-polygon",
            )
        if geometry.is_empty:
            continue
        if not geometry.is_valid:
            raise InvalidInput(
                f"an area polygon is invalid: {explain_validity(geometry)}", key="cap-area-invalid"
            )
        lon_min, lat_min, lon_max, lat_max = geometry.bounds
        if not (lon_min >= -180 and lon_max <= 180 and lat_min >= -90 and lat_max <= 90):
            raise InvalidInput(
                "an area polygon is not in WGS84 longitude/latitude", key="cap-area-not-wgs84"
            )
        parts.extend(_polygons_of(geometry))
    return parts


def _polygons_of(geometry: BaseGeometry) -> list[Polygon]:
    if isinstance(geometry, Polygon):
        return [] if geometry.is_empty else [geometry]
    return [g for g in getattr(geometry, "geoms", ()) if isinstance(g, Polygon) and not g.is_empty]


def _shell(polygon: Polygon) -> Polygon:
    return Polygon(polygon.exterior)


def _points(polygon: Polygon) -> int:
    return len(polygon.exterior.coords)


def _bounded(shell: Polygon, max_points: int) -> Polygon:
    """A ring of at most max_points points covering the shell (in metres)."""
    if _points(shell) <= max_points:
        # Small enough as it is; only the margin, so rounding the coordinates to about a
        # metre cannot leave a sliver of the border outside.
        grown = _polygons_of(shell.buffer(_COVER_MARGIN_M, join_style="mitre", mitre_limit=2.0))
        if len(grown) == 1 and _points(grown[0]) <= max_points:
            return _shell(grown[0])
    tolerance = _SIMPLIFY_START_M
    while tolerance <= _SIMPLIFY_MAX_M:
        # Douglas–Peucker keeps every original vertex, hence every original edge, within
        # the tolerance of the simplified ring; growing that ring by the tolerance (plus
        # a margin for rounding the coordinates) therefore covers the original. Mitred
        # corners add no vertices, where round ones would add many. The check below
        # stands guard all the same.
        simplified = shell.simplify(tolerance, preserve_topology=True)
        grown = simplified.buffer(tolerance + _COVER_MARGIN_M, join_style="mitre", mitre_limit=2.0)
        candidates = _polygons_of(grown)
        if len(candidates) == 1:
            covering = _shell(candidates[0])
            if _points(covering) <= max_points and covering.covers(shell):
                return covering
        tolerance *= math.sqrt(2)  # finer steps: each one widens the area less
    # A shape simplification cannot bound (it will not happen for a city, but the message
    # must still go out): its convex hull covers it, and if even that has too many corners,
    # the smallest rectangle around it does.
    hull = shell.convex_hull.buffer(_COVER_MARGIN_M, join_style="mitre")
    if isinstance(hull, Polygon) and _points(hull) <= max_points:
        return hull
    rectangle = shapely.oriented_envelope(shell).buffer(_COVER_MARGIN_M, join_style="mitre")
    assert isinstance(rectangle, Polygon)
    return rectangle


def _rounded(polygon: Polygon) -> Polygon:
    return Polygon(
        [
            (round(lon, COORDINATE_DECIMALS), round(lat, COORDINATE_DECIMALS))
            for lon, lat in polygon.exterior.coords
        ]
    )


def cap_polygon_text(polygon: Polygon) -> str:
    """A polygon in CAP form: "lat,lon" pairs, space-separated, first equal to last."""
    # CAP 1.2 §3.2.4: WGS 84 coordinate pairs, latitude first; at least four pairs with
    # the first and last the same. shapely rings are closed and lon/lat, so swap only.
    coords = list(polygon.exterior.coords)
    if coords[0] != coords[-1]:
        coords.append(coords[0])
    if len(coords) < 4:
        raise InvalidInput("a CAP polygon needs at least four points", key="cap-polygon-short")
    return " ".join(
        f"{lat:.{COORDINATE_DECIMALS}f},{lon:.{COORDINATE_DECIMALS}f}" for lon, lat in coords
    )


# ---------------------------------------------------------------------------------------
# Validation and safe parsing


_schemas = threading.local()  # lxml validators keep an error log: one per thread


def _schema() -> etree.XMLSchema:
    schema: etree.XMLSchema | None = getattr(_schemas, "schema", None)
    if schema is None:
        data = resources.files("crossrisk.data").joinpath(_XSD_PATH).read_bytes()
        schema = etree.XMLSchema(etree.fromstring(data, _safe_parser()))
        _schemas.schema = schema
    return schema


def bundled_xsd_digest() -> str:
    """SHA-256 of the bundled CAP 1.2 schema, to show it is the OASIS file unchanged."""
    data = resources.files("crossrisk.data").joinpath(_XSD_PATH).read_bytes()
    return hashlib.sha256(data).hexdigest()


def _safe_parser() -> etree.XMLParser:
    # No DTD is loaded and no entity is expanded or fetched: the defences against entity
    # expansion ("billion laughs") and external entities (XXE) that a document from
    # another system needs. huge_tree=False keeps libxml2's limits on depth and text size.
    return etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        dtd_validation=False,
        load_dtd=False,
        huge_tree=False,
        remove_blank_text=False,
    )


def _safe_root(xml: bytes, *, max_bytes: int) -> etree._Element:
    if not isinstance(xml, bytes | bytearray):
        raise InvalidInput(
            f"a CAP message must be given as bytes, got {type(xml).__name__}", key="cap-not-bytes"
        )
    if len(xml) > max_bytes:
        raise TooLarge(
            f"the CAP message is {len(xml)} bytes; the limit is {max_bytes} bytes",
            key="cap-too-large",
            params={"size": len(xml), "limit": max_bytes},
        )
    # CAP needs no DTD, and a DOCTYPE is how entity bombs and external entities arrive:
    # refuse it outright, before the parser sees it (and again below, for encodings
    # where the bytes do not spell it in ASCII).
    if b"<!DOCTYPE" in xml or b"<!doctype" in xml:
        raise _doctype_refused()
    try:
        root = etree.fromstring(bytes(xml), _safe_parser())
    except etree.XMLSyntaxError as exc:
        line, column = exc.position
        reason = re.sub(r",? line \d+, column \d+$", "", str(exc.msg or "unreadable"))
        raise InvalidInput(
            f"the CAP message is not well-formed XML at line {line}, column {column}: {reason}",
            key="cap-malformed",
            params={"line": line, "column": column, "reason": reason},
        ) from None
    docinfo = root.getroottree().docinfo
    if docinfo.doctype or docinfo.internalDTD is not None or docinfo.externalDTD is not None:
        raise _doctype_refused()
    return root


def _doctype_refused() -> InvalidInput:
    return InvalidInput(
        "the CAP message has a DOCTYPE; DTDs and entity declarations are not accepted",
        key="cap-doctype",
    )


def _validate_root(root: etree._Element) -> None:
    if root.tag != _ALERT_TAG:
        namespace = etree.QName(root).namespace or "no namespace"
        local = etree.QName(root).localname
        raise InvalidInput(
            f"the document is not a CAP 1.2 alert: its root is <{local}> in {namespace}; "
            f"expected <alert> in {CAP_NS}",
            key="cap-not-cap12",
            params={"root": local, "namespace": namespace},
        )
    schema = _schema()
    if not schema.validate(root):
        error = schema.error_log[0]
        message = error.message.replace(f"{{{CAP_NS}}}", "cap:")
        raise InvalidInput(
            f"the CAP message is not valid CAP 1.2: line {error.line}: {message}",
            key="cap-invalid",
            params={"line": error.line, "reason": message},
        )


def validate_cap(xml: bytes) -> None:
    """Refuse a document that is not a CAP 1.2 alert valid against the OASIS schema."""
    _validate_root(_safe_root(xml, max_bytes=MAX_CAP_BYTES))


@dataclass(frozen=True, slots=True)
class IncomingReference:
    """An earlier message a received alert refers to (CAP 1.2 §3.2.1 references)."""

    sender: str
    identifier: str
    sent: datetime


@dataclass(frozen=True, slots=True)
class IncomingArea:
    """One area of a received alert; polygons and circles in lon/lat (WGS84)."""

    description: str
    polygons: tuple[Polygon, ...]
    circles: tuple[Polygon, ...]  # each <circle> as a polygon of its radius on the ground
    geocodes: tuple[tuple[str, str], ...]  # (valueName, value)

    @property
    def shapes(self) -> tuple[Polygon, ...]:
        """Polygons and circles together."""
        return self.polygons + self.circles

    def geometry(self) -> BaseGeometry | None:
        """The union of the area's shapes, or None when it has only a description or codes."""
        return shapely.union_all(self.shapes) if self.shapes else None


@dataclass(frozen=True, slots=True)
class IncomingInfo:
    """One <info> block of a received alert."""

    language: str
    categories: tuple[str, ...]
    event: str
    response_types: tuple[str, ...]
    urgency: str
    severity: str
    certainty: str
    headline: str | None
    description: str | None
    instruction: str | None
    sender_name: str | None
    web: str | None
    effective: datetime | None
    onset: datetime | None
    expires: datetime | None
    parameters: tuple[tuple[str, str], ...]
    areas: tuple[IncomingArea, ...]


@dataclass(frozen=True, slots=True)
class IncomingAlert:
    """A CAP 1.2 alert from another system, checked and read."""

    identifier: str
    sender: str
    sent: datetime
    status: str
    msg_type: str
    scope: str
    references: tuple[IncomingReference, ...]
    incidents: str | None
    infos: tuple[IncomingInfo, ...]

    def info(self, language: str) -> IncomingInfo | None:
        """The first info block in a language ("zh" matches "zh-CN"), if any."""
        wanted = language.lower()
        for info in self.infos:
            have = info.language.lower()
            if have == wanted or have.split("-")[0] == wanted:
                return info
        return None


def parse_cap(xml: bytes, *, max_bytes: int = MAX_CAP_BYTES) -> IncomingAlert:
    """Read a CAP 1.2 alert from another system, refusing anything unsafe or invalid."""
    root = _safe_root(xml, max_bytes=max_bytes)
    _validate_root(root)
    sender = _required(root, "sender")
    return IncomingAlert(
        identifier=_required(root, "identifier"),
        sender=sender,
        sent=_time(_required(root, "sent"), "sent"),
        status=_required(root, "status"),
        msg_type=_required(root, "msgType"),
        scope=_required(root, "scope"),
        references=_references(_optional(root, "references")),
        incidents=_optional(root, "incidents"),
        infos=tuple(_info(info) for info in root.iterfind(_tag("info"))),
    )


def _optional(parent: etree._Element, name: str) -> str | None:
    text = parent.findtext(_tag(name))
    return None if text is None or not text.strip() else text.strip()


def _required(parent: etree._Element, name: str) -> str:
    # The schema has made sure the element exists; an empty one is refused here.
    text = _optional(parent, name)
    if text is None:
        raise InvalidInput(f"the CAP element <{name}> is empty", key="cap-empty-element")
    return text


def _all(parent: etree._Element, name: str) -> tuple[str, ...]:
    return tuple((e.text or "").strip() for e in parent.iterfind(_tag(name)))


def _time(text: str, name: str) -> datetime:
    try:
        return datetime.fromisoformat(text)
    except ValueError:
        # xs:dateTime allows forms (hour 24) that are no real instant to act on.
        raise InvalidInput(
            f"the CAP element <{name}> is not a usable time: {text!r}", key="cap-bad-time"
        ) from None


def _optional_time(parent: etree._Element, name: str) -> datetime | None:
    text = _optional(parent, name)
    return None if text is None else _time(text, name)


def _references(text: str | None) -> tuple[IncomingReference, ...]:
    if text is None:
        return ()
    references = []
    for triple in text.split():
        parts = triple.split(",")
        if len(parts) != 3:
            raise InvalidInput(
                f"the CAP references entry {triple!r} is not sender,identifier,sent",
                key="cap-bad-references",
            )
        references.append(
            IncomingReference(
                sender=parts[0], identifier=parts[1], sent=_time(parts[2], "references")
            )
        )
    return tuple(references)


def _pairs(parent: etree._Element, name: str) -> tuple[tuple[str, str], ...]:
    return tuple(
        ((e.findtext(_tag("valueName")) or "").strip(), (e.findtext(_tag("value")) or "").strip())
        for e in parent.iterfind(_tag(name))
    )


def _info(info: etree._Element) -> IncomingInfo:
    return IncomingInfo(
        # CAP 1.2 §3.2.2: a missing or empty language means en-US.
        language=_optional(info, "language") or "en-US",
        categories=_all(info, "category"),
        event=(info.findtext(_tag("event")) or "").strip(),
        response_types=_all(info, "responseType"),
        urgency=_required(info, "urgency"),
        severity=_required(info, "severity"),
        certainty=_required(info, "certainty"),
        headline=_optional(info, "headline"),
        description=_optional(info, "description"),
        instruction=_optional(info, "instruction"),
        sender_name=_optional(info, "senderName"),
        web=_optional(info, "web"),
        effective=_optional_time(info, "effective"),
        onset=_optional_time(info, "onset"),
        expires=_optional_time(info, "expires"),
        parameters=_pairs(info, "parameter"),
        areas=tuple(_area(area) for area in info.iterfind(_tag("area"))),
    )


def _area(area: etree._Element) -> IncomingArea:
    return IncomingArea(
        description=(area.findtext(_tag("areaDesc")) or "").strip(),
        polygons=tuple(parse_cap_polygon(text) for text in _all(area, "polygon")),
        circles=tuple(parse_cap_circle(text) for text in _all(area, "circle")),
        geocodes=_pairs(area, "geocode"),
    )


def _coordinate(pair: str, what: str) -> tuple[float, float]:
    """One CAP "lat,lon" pair as (lon, lat)."""
    parts = pair.split(",")
    try:
        lat, lon = (float(part) for part in parts) if len(parts) == 2 else (math.nan, math.nan)
    except ValueError:
        lat = lon = math.nan
    if not (math.isfinite(lat) and math.isfinite(lon)):
        raise InvalidInput(
            f'the CAP {what} has {pair!r} where a "latitude,longitude" pair belongs',
            key="cap-bad-coordinate",
            params={"value": pair},
        )
    if not (-90 <= lat <= 90 and -180 <= lon <= 180):
        raise InvalidInput(
            f"the CAP {what} point {pair!r} is not WGS84 latitude,longitude",
            key="cap-bad-coordinate",
            params={"value": pair},
        )
    return lon, lat


def parse_cap_polygon(text: str) -> Polygon:
    """A CAP <polygon> ("lat,lon lat,lon …", closed) as a lon/lat shapely Polygon."""
    points = [_coordinate(pair, "polygon") for pair in text.split()]
    # CAP 1.2 §3.2.4: at least four pairs, the first and last the same.
    if len(points) < 4:
        raise InvalidInput(
            f"the CAP polygon has {len(points)} points; at least 4 are required",
            key="cap-bad-polygon",
        )
    if points[0] != points[-1]:
        raise InvalidInput(
            "the CAP polygon is not closed: its first and last points differ",
            key="cap-bad-polygon",
        )
    polygon = Polygon(points)
    if not polygon.is_valid:
        raise InvalidInput(
            f"the CAP polygon is invalid: {explain_validity(polygon)}", key="cap-bad-polygon"
        )
    return polygon


def parse_cap_circle(text: str) -> Polygon:
    """A CAP <circle> ("lat,lon radius_km") as a lon/lat polygon of that radius."""
    parts = text.split()
    if len(parts) != 2:
        raise InvalidInput(
            f'the CAP circle {text!r} is not "latitude,longitude radius"',
            key="cap-bad-circle",
        )
    lon, lat = _coordinate(parts[0], "circle")
    try:
        radius_km = float(parts[1])
    except ValueError:
        radius_km = math.nan
    if not (math.isfinite(radius_km) and 0 < radius_km <= MAX_CIRCLE_KM):
        raise InvalidInput(
            f"the CAP circle radius {parts[1]!r} must be a number of kilometres above 0 "
            f"and at most {MAX_CIRCLE_KM:g}",
            key="cap-bad-circle",
        )
    # The radius is on the ground (km), so the circle is drawn in metres about its own
    # centre and brought back to lon/lat; drawn in degrees it would be an ellipse.
    projection = LocalProjection(lon, lat)
    circle = Point(0.0, 0.0).buffer(radius_km * 1000.0, quad_segs=_CIRCLE_QUAD_SEGS)
    result = projection.to_lonlat(circle)
    assert isinstance(result, Polygon)
    return result
