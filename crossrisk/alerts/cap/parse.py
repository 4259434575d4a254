"""A CAP 1.2 alert from another system, refused if unsafe or invalid, read into values.

References are to the clauses of the OASIS Common Alerting Protocol Version 1.2
(CAP-v1.2-os): §3.2.1 alert, §3.2.2 info, §3.2.4 area, §3.3.2 dates and times.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import shapely
from lxml import etree
from shapely.geometry import Point, Polygon
from shapely.geometry.base import BaseGeometry

from crossrisk.alerts.cap.area import parse_cap_circle, parse_cap_polygon
from crossrisk.alerts.cap.schema import MAX_CAP_BYTES, cap_tag, safe_root, validate_root
from crossrisk.domain.errors import InvalidInput
from crossrisk.domain.moments import in_utc


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
    # Each <circle> as a polygon of its radius on the ground; radius 0 is a point.
    circles: tuple[Polygon | Point, ...]
    geocodes: tuple[tuple[str, str], ...]  # (valueName, value)

    @property
    def shapes(self) -> tuple[Polygon | Point, ...]:
        """Polygons and circles together."""
        return self.polygons + self.circles

    def geometry(self) -> BaseGeometry | None:
        """The union of the area's shapes, or None when it has only a description or codes.

        Points (circles of radius 0) and polygons may be mixed; geo/cap_area.py decides
        which part is the hazard.
        """
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
    root = safe_root(xml, max_bytes=max_bytes)
    validate_root(root)
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
        infos=tuple(_info(info) for info in root.iterfind(cap_tag("info"))),
    )


def _optional(parent: etree._Element, name: str) -> str | None:
    text = parent.findtext(cap_tag(name))
    return None if text is None or not text.strip() else text.strip()


def _required(parent: etree._Element, name: str) -> str:
    # The schema has made sure the element exists; an empty one is refused here.
    text = _optional(parent, name)
    if text is None:
        raise InvalidInput(f"the CAP element <{name}> is empty", key="cap-empty-element")
    return text


def _all(parent: etree._Element, name: str) -> tuple[str, ...]:
    return tuple((e.text or "").strip() for e in parent.iterfind(cap_tag(name)))


def _time(text: str, name: str) -> datetime:
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        # xs:dateTime allows forms (hour 24) that are no real instant to act on.
        raise InvalidInput(
            f"the CAP element <{name}> is not a usable time: {text!r}", key="cap-bad-time"
        ) from None
    # The sender's offset is kept (references quote it); the instant must exist in UTC.
    in_utc(moment, field=f"<{name}>")
    return moment


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
        (
            (e.findtext(cap_tag("valueName")) or "").strip(),
            (e.findtext(cap_tag("value")) or "").strip(),
        )
        for e in parent.iterfind(cap_tag(name))
    )


def _info(info: etree._Element) -> IncomingInfo:
    return IncomingInfo(
        # CAP 1.2 §3.2.2: a missing or empty language means en-US.
        language=_optional(info, "language") or "en-US",
        categories=_all(info, "category"),
        event=(info.findtext(cap_tag("event")) or "").strip(),
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
        areas=tuple(_area(area) for area in info.iterfind(cap_tag("area"))),
    )


def _area(area: etree._Element) -> IncomingArea:
    return IncomingArea(
        description=(area.findtext(cap_tag("areaDesc")) or "").strip(),
        polygons=tuple(parse_cap_polygon(text) for text in _all(area, "polygon")),
        circles=tuple(parse_cap_circle(text) for text in _all(area, "circle")),
        geocodes=_pairs(area, "geocode"),
    )
