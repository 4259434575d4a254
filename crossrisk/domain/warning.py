"""Early warnings to affected jurisdictions: colour level, status and identity (§3.4).

A warning is one message to one recipient jurisdiction about one risk. Its level follows
the Emergency Response Law (突发事件应对法, revised 2024) Art. 63: four levels marked red,
orange, yellow and blue, Ⅰ the highest; the National Overall Emergency Plan for Public
Emergencies (国家突发事件总体应急预案, 2025, replacing the 2006 master plan) keeps them.
National warnings tag their headlines Ⅰ级/特别严重, Ⅱ级/严重, Ⅲ级/较重 and Ⅳ级/一般, and the
national feed's English "Level I/Particularly Serious" … "Level IV/General".

The law grades warnings only for natural disasters, accidents and public-health events;
a social-security risk reaches its neighbours as an information report (通报), without
colour or level (see `warns_in_colour`).
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from enum import IntEnum, StrEnum

from crossrisk.domain.errors import InvalidInput
from crossrisk.domain.reach import Pathway

INSTRUCTIONS_MAX = 2000


class WarningLevel(IntEnum):
    """The four warning levels; a smaller number is a more serious warning."""

    RED = 1
    ORANGE = 2
    YELLOW = 3
    BLUE = 4

    @property
    def colour_zh(self) -> str:
        """The colour as the national scheme names it (红色…)."""
        return _NAMES[self][0]

    @property
    def colour_en(self) -> str:
        """The colour in English (Red…)."""
        return _NAMES[self][1]

    @property
    def numeral(self) -> str:
        """The level's Roman numeral as printed in Chinese notices (Ⅰ…Ⅳ, U+2160…)."""
        return _NAMES[self][2]

    @property
    def roman(self) -> str:
        """The same numeral in ASCII letters (I…IV), for English text."""
        return _ASCII_NUMERALS[self]

    @property
    def grade_zh(self) -> str:
        """The master plan's word for the level's gravity (特别严重…一般)."""
        return _NAMES[self][3]

    @property
    def grade_en(self) -> str:
        """The gravity as the national feed's English tags word it (Serious, Heavy…)."""
        return _NAMES[self][4]

    @property
    def key(self) -> str:
        """The colour as a lowercase key, as policy tables name the level."""
        return self.name.lower()

    @property
    def headline_tag_zh(self) -> str:
        """The tag a Chinese warning headline starts with, e.g. 黄色预警[Ⅲ级/较重]."""
        return f"{self.colour_zh}预警[{self.numeral}级/{self.grade_zh}]"

    @property
    def headline_tag_en(self) -> str:
        """The same tag in English, e.g. Yellow warning [Level III/Heavy]."""
        return f"{self.colour_en} warning [Level {self.roman}/{self.grade_en}]"


# colour zh, colour en, numeral, gravity zh, gravity en (the national feed's tags).
_NAMES: Mapping[WarningLevel, tuple[str, str, str, str, str]] = {
    WarningLevel.RED: ("红色", "Red", "Ⅰ", "特别严重", "Particularly Serious"),
    WarningLevel.ORANGE: ("橙色", "Orange", "Ⅱ", "严重", "Serious"),
    WarningLevel.YELLOW: ("黄色", "Yellow", "Ⅲ", "较重", "Heavy"),
    WarningLevel.BLUE: ("蓝色", "Blue", "Ⅳ", "一般", "General"),
}
_ASCII_NUMERALS: Mapping[WarningLevel, str] = {
    WarningLevel.RED: "I",
    WarningLevel.ORANGE: "II",
    WarningLevel.YELLOW: "III",
    WarningLevel.BLUE: "IV",
}


def parse_level(value: object) -> WarningLevel:
    """Read a level from its number (1–4) or colour key (red…blue), or refuse it."""
    if isinstance(value, WarningLevel):
        return value
    if isinstance(value, int) and not isinstance(value, bool) and 1 <= value <= 4:
        return WarningLevel(value)
    if isinstance(value, str):
        for level in WarningLevel:
            if value.strip().lower() in (level.key, str(level.value)):
                return level
    raise InvalidInput(
        f"unknown warning level {value!r}; known: 1 red, 2 orange, 3 yellow, 4 blue",
        key="warning-level-unknown",
        params={"value": str(value)},
    )


# Emergency Response Law (2024) Art. 63: "可以预警的自然灾害、事故灾难和公共卫生事件" are
# graded in four colours; social-security events are not among them. The platform's local
# extension (emerging-technology risk) is warned like an accident, its nearest legal kind.
COLOUR_WARNED_CATEGORIES = frozenset(
    {"natural_disaster", "accident_disaster", "public_health", "emerging_technology"}
)


REPORT_TAG = ("通报", "Information report")


def warns_in_colour(category: str) -> bool:
    """True when a risk of this category is warned in colour; False: an information report."""
    return str(category) in COLOUR_WARNED_CATEGORIES


def copied_to_province(level: WarningLevel) -> bool:
    """True when a warning of this level is also reported to the recipient's province.

    Emergency Response Law (2024) Art. 64: the government that issues a warning reports it
    to the government one level up at once (同时向上一级人民政府报告); the platform does so
    for the two gravest levels, which a province must know of to act under Art. 67.
    """
    return level <= WarningLevel.ORANGE


class WarningStatus(StrEnum):
    ISSUED = "issued"
    DELIVERED = "delivered"
    ACKNOWLEDGED = "acknowledged"
    UPDATED = "updated"  # superseded by a later message of the same risk and recipient
    CANCELLED = "cancelled"
    EXPIRED = "expired"


_S = WarningStatus
# Messages still waiting for the recipient to acknowledge.
AWAITING_ACK = frozenset({_S.ISSUED, _S.DELIVERED})
# In force at the receiver: awaiting or past acknowledgement, not superseded, lifted or
# expired.
IN_FORCE = AWAITING_ACK | {_S.ACKNOWLEDGED}
# The status a message may move to, and the statuses it may move from. The repository's
# conditional updates read this table (`… WHERE status IN …`), so a change it does not
# allow never takes effect, whichever process tries it.
TRANSITIONS: Mapping[WarningStatus, frozenset[WarningStatus]] = {
    _S.DELIVERED: frozenset({_S.ISSUED}),
    _S.ACKNOWLEDGED: AWAITING_ACK,
    _S.EXPIRED: IN_FORCE,
    # A later message supersedes the thread's current one whatever became of it.
    _S.UPDATED: IN_FORCE | {_S.EXPIRED},
    _S.CANCELLED: IN_FORCE | {_S.EXPIRED},
}


def may_become(current: WarningStatus, target: WarningStatus) -> bool:
    """True when a message in `current` status may move to `target`."""
    return current in TRANSITIONS.get(target, frozenset())


# CAP 1.2 §3.2.1 forbids spaces, commas, "<" and "&" in identifier and sender, because
# <references> joins them with commas and separates messages with whitespace.
_CAP_FORBIDDEN = re.compile(r"[\s,<&]")


def check_cap_token(name: str, value: str) -> str:
    """Refuse an identifier part CAP 1.2 could not carry (spaces, commas, < or &)."""
    if not value or _CAP_FORBIDDEN.search(value):
        raise InvalidInput(
            f"{name} {value!r} must be non-empty without spaces, commas, '<' or '&' (CAP 1.2)",
            key="cap-token-invalid",
            params={"name": name, "value": value},
        )
    return value


def warning_id(*, region_code: str, risk_id: int, recipient_code: str, sequence: int) -> str:
    """The warning's identifier: the same parts always give the same identifier."""
    if sequence < 1:
        raise InvalidInput(f"a warning's sequence starts at 1, got {sequence}")
    check_cap_token("region code", region_code)
    check_cap_token("recipient code", recipient_code)
    return f"crossrisk-{region_code}-{risk_id}-{recipient_code}-{sequence}"


@dataclass(frozen=True, slots=True)
class WarningReference:
    """An earlier CAP message a warning updates or cancels (CAP 1.2 §3.2.1 references)."""

    identifier: str
    sent: datetime
    sender: str | None = None  # None: the same sender as the referring message

    def __post_init__(self) -> None:
        check_cap_token("referenced identifier", self.identifier)
        if self.sender is not None:
            check_cap_token("referenced sender", self.sender)
        _check_aware("referenced sent time", self.sent)


@dataclass(frozen=True, slots=True)
class EarlyWarning:
    """One early warning to one recipient jurisdiction about one risk."""

    id: str
    risk_id: int
    region_code: str
    recipient_code: str
    level: WarningLevel
    expected_arrival: datetime | None  # None: the reach gives no arrival time
    instructions_zh: str
    instructions_en: str
    status: WarningStatus
    issued_at: datetime
    ack_deadline: datetime
    sequence: int = 1  # 1 for the first message; each update or cancellation adds one
    references: tuple[WarningReference, ...] = ()
    # Observed at the recipient (a gauge there crossed its level) rather than forecast by a
    # propagation model; CAP certainty says which (Observed vs Likely).
    observed: bool = False
    expires_at: datetime | None = None  # None: the renderer's policy validity applies
    # An information report (通报) of a social-security risk: delivered and acknowledged
    # like a warning, but without colour or level (Emergency Response Law 2024, Art. 63).
    report: bool = False

    def __post_init__(self) -> None:
        check_cap_token("warning id", self.id)
        _check_aware("issued_at", self.issued_at)
        _check_aware("ack_deadline", self.ack_deadline)
        if self.expected_arrival is not None:
            _check_aware("expected_arrival", self.expected_arrival)
        if self.expires_at is not None:
            _check_aware("expires_at", self.expires_at)
        if self.sequence < 1:
            raise InvalidInput(f"a warning's sequence starts at 1, got {self.sequence}")
        for name, text in (
            ("instructions_zh", self.instructions_zh),
            ("instructions_en", self.instructions_en),
        ):
            if len(text) > INSTRUCTIONS_MAX:
                raise InvalidInput(
                    f"{name} is {len(text)} characters long; the limit is {INSTRUCTIONS_MAX}"
                )

    @property
    def headline_tag_zh(self) -> str:
        """The tag pages and headlines show: the level's (橙色预警[Ⅱ级/严重]) or 通报."""
        return REPORT_TAG[0] if self.report else self.level.headline_tag_zh

    @property
    def headline_tag_en(self) -> str:
        """The same in English: "Orange warning [Level II/Serious]" or "Information report"."""
        return REPORT_TAG[1] if self.report else self.level.headline_tag_en

    def as_reference(self) -> WarningReference:
        """How a later message names this one; its CAP sent time is when it was issued."""
        return WarningReference(identifier=self.id, sent=self.issued_at)


def _check_aware(name: str, moment: datetime) -> None:
    # A naive time would be read in whatever zone the reader's machine is in; CAP 1.2
    # §3.3.2 requires every time to carry its offset.
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise InvalidInput(f"{name} must be a time with its UTC offset, got {moment.isoformat()}")


@dataclass(frozen=True, slots=True)
class LevelBand:
    """A warning level that applies from an intensity upward, within a lead time."""

    level: WarningLevel
    min_intensity: float
    max_lead_hours: float | None = None  # None: at any lead time

    def matches(self, intensity: float, lead_time_hours: float) -> bool:
        """True when the intensity reaches the band and the hazard arrives within it."""
        within = self.max_lead_hours is None or lead_time_hours <= self.max_lead_hours
        return intensity >= self.min_intensity and within


@dataclass(frozen=True, slots=True)
class LevelThresholds:
    """Policy table: the bands that set a warning's level on each pathway."""

    bands: Mapping[Pathway, tuple[LevelBand, ...]]
    source: str = ""

    def __post_init__(self) -> None:
        for pathway in Pathway:
            bands = self.bands.get(pathway, ())
            # Every jurisdiction the reach lists must get some warning, so each pathway
            # needs a band that catches any intensity at any lead time.
            if not any(b.min_intensity <= 0 and b.max_lead_hours is None for b in bands):
                raise InvalidInput(
                    f"warning level bands for {pathway} need a band from intensity 0 at any "
                    "lead time",
                    key="level-bands-incomplete",
                    params={"pathway": pathway.value},
                )
            for band in bands:
                if not math.isfinite(band.min_intensity) or (
                    band.max_lead_hours is not None and not math.isfinite(band.max_lead_hours)
                ):
                    raise InvalidInput(f"warning level bands for {pathway} must be finite")


def level_for(
    intensity: float, lead_time_hours: float, pathway: Pathway, *, thresholds: LevelThresholds
) -> WarningLevel:
    """The highest level whose band the reach entry's intensity and lead time fall in."""
    if not math.isfinite(intensity) or intensity < 0:
        raise InvalidInput(f"intensity must be a finite number ≥ 0, got {intensity!r}")
    if math.isnan(lead_time_hours):
        raise InvalidInput("lead time must be a number of hours, got NaN")
    # A hazard already at the recipient (arrival in the past) leaves no lead time at all.
    lead = max(lead_time_hours, 0.0)
    matching = [b.level for b in thresholds.bands[pathway] if b.matches(intensity, lead)]
    return min(matching)  # never empty: __post_init__ demands a catch-all band
