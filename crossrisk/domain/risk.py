"""The risk register: categories, the ISO 31000 cycle and the 5×5 assessment (DESIGN §3.2)."""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import datetime
from enum import StrEnum
from typing import Any

from crossrisk.domain.errors import InvalidInput, InvalidTransition

TITLE_MAX = 200
DESCRIPTION_MAX = 5000
REASON_MAX = 1000


class RiskCategory(StrEnum):
    """The five categories of 突发事件 used by Chinese emergency management."""

    NATURAL_DISASTER = "natural_disaster"  # 自然灾害
    ACCIDENT_DISASTER = "accident_disaster"  # 事故灾难
    PUBLIC_HEALTH = "public_health"  # 公共卫生事件
    SOCIAL_SECURITY = "social_security"  # 社会安全事件
    EMERGING_TECHNOLOGY = "emerging_technology"  # 新兴技术风险


class RiskStatus(StrEnum):
    IDENTIFIED = "identified"
    ASSESSED = "assessed"
    TREATING = "treating"
    MONITORING = "monitoring"
    CLOSED = "closed"


class EventLevel(StrEnum):
    """Event levels of the Emergency Response Law: I is the most severe."""

    I = "I"  # 特别重大  # noqa: E741 — the level's official name
    II = "II"  # 重大
    III = "III"  # 较大
    IV = "IV"  # 一般


# The cycle identify → assess → treat → monitor → close. Monitoring may send a risk back to
# treatment when it worsens; a closed risk is reopened by identifying it again.
TRANSITIONS: Mapping[RiskStatus, frozenset[RiskStatus]] = {
    RiskStatus.IDENTIFIED: frozenset({RiskStatus.ASSESSED}),
    RiskStatus.ASSESSED: frozenset({RiskStatus.TREATING}),
    RiskStatus.TREATING: frozenset({RiskStatus.MONITORING}),
    RiskStatus.MONITORING: frozenset({RiskStatus.TREATING, RiskStatus.CLOSED}),
    RiskStatus.CLOSED: frozenset({RiskStatus.IDENTIFIED}),
}


@dataclass(frozen=True, slots=True)
class RiskMatrix:
    """Policy table: event level for each (likelihood, consequence) cell of the 5×5 matrix."""

    levels: Mapping[tuple[int, int], EventLevel]
    source: str = ""

    @classmethod
    def from_rows(cls, rows: list[list[str]], *, source: str = "") -> RiskMatrix:
        """Build from rows indexed by consequence 5..1 (top to bottom), columns likelihood 1..5."""
        if len(rows) != 5 or any(len(row) != 5 for row in rows):
            raise InvalidInput("the event-level matrix must have 5 rows of 5 levels")
        levels: dict[tuple[int, int], EventLevel] = {}
        for row_index, row in enumerate(rows):
            consequence = 5 - row_index
            for column_index, level in enumerate(row):
                levels[(column_index + 1, consequence)] = EventLevel(level)
        return cls(levels=levels, source=source)

    def level(self, likelihood: int, consequence: int) -> EventLevel:
        """Return the event level of one cell."""
        check_scale("likelihood", likelihood)
        check_scale("consequence", consequence)
        return self.levels[(likelihood, consequence)]


def check_scale(name: str, value: object) -> int:
    """Accept an integer 1..5 on the assessment scale, or refuse it by name."""
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 5:
        raise InvalidInput(
            f"{name} must be an integer from 1 to 5, got {value!r}",
            key="scale-invalid",
            params={"field": name},
        )
    return value


def check_text(name: str, value: str, *, limit: int, required: bool = True) -> str:
    """Trim a free text and refuse it when empty (if required) or over its length limit.

    Control characters other than line breaks and tabs are refused (a NUL cannot even be
    stored on PostgreSQL), and a text of nothing but invisible characters (zero-width
    spaces, joiners, marks of direction) counts as empty.
    """
    text = value.strip()
    if any(unicodedata.category(c) == "Cc" and c not in "\n\r\t" for c in text):
        raise InvalidInput(
            f"{name} holds control characters", key="text-control", params={"field": name}
        )
    visible = [c for c in text if not c.isspace() and unicodedata.category(c) not in ("Cf", "Cc")]
    if required and not visible:
        raise InvalidInput(f"{name} must not be empty", key="text-empty", params={"field": name})
    if len(text) > limit:
        raise InvalidInput(
            f"{name} is {len(text)} characters long; the limit is {limit}",
            key="text-too-long",
            params={"field": name, "length": len(text), "limit": limit},
        )
    return text


@dataclass(frozen=True, slots=True)
class RiskDraft:
    """What a person submits to register a risk."""

    category: RiskCategory
    title: str
    description: str
    hazard_geometry: Mapping[str, Any]
    likelihood: int
    consequence: int
    hazard_type: str | None = None  # None: an area hazard, assessed by its footprint
    parameters: Mapping[str, Any] = field(default_factory=dict)
    title_en: str = ""  # an English title besides `title`, where one was written (stations)
    drill_id: int | None = None  # the drill registering it; None for a real risk


@dataclass(frozen=True, slots=True)
class Origin:
    """A jurisdiction the hazard source lies in, with its share of the source."""

    jurisdiction_code: str
    share: float


@dataclass(frozen=True, slots=True)
class Risk:
    id: int | None
    region_code: str
    category: RiskCategory
    title: str
    description: str
    hazard_geometry: Mapping[str, Any]
    origins: tuple[Origin, ...]
    likelihood: int
    consequence: int
    level: EventLevel
    status: RiskStatus
    created_at: datetime
    created_by: str
    updated_at: datetime
    version: int = 1
    hazard_type: str = "area"
    # The propagation model's parameters, complete and checked (domain.propagation).
    parameters: Mapping[str, Any] = field(default_factory=dict)
    # The title in English where it was written in both languages (a station writes its
    # risks' titles so); "" when `title` is the only one. Store both, show one.
    title_en: str = ""
    # The drill that created the risk; None for a real one. Everything derived from a
    # drill's risk (analysis, warnings, duties) is the drill's and stays out of real lists.
    drill_id: int | None = None

    @property
    def is_drill(self) -> bool:
        return self.drill_id is not None

    def title_for(self, *, chinese: bool) -> str:
        """The title a page in this language shows: the English one where there is one."""
        return self.title if chinese or not self.title_en else self.title_en

    def record(self) -> dict[str, Any]:
        """The risk as the journal keeps it and the API shows it: one form everywhere."""
        return {
            "id": self.id,
            "region": self.region_code,
            "category": self.category.value,
            "title": self.title,
            "title_en": self.title_en,
            "description": self.description,
            "hazard_geometry": dict(self.hazard_geometry),
            "origins": [
                {"jurisdiction": o.jurisdiction_code, "share": o.share} for o in self.origins
            ],
            "likelihood": self.likelihood,
            "consequence": self.consequence,
            "level": self.level.value,
            "status": self.status.value,
            "version": self.version,
            "hazard_type": self.hazard_type,
            "parameters": dict(self.parameters),
        }

    @property
    def origin_codes(self) -> tuple[str, ...]:
        return tuple(origin.jurisdiction_code for origin in self.origins)

    def transition(self, to: RiskStatus, *, reason: str, now: datetime) -> Risk:
        """Move the risk along its cycle, refusing any step the cycle does not have."""
        check_text("reason", reason, limit=REASON_MAX)
        if to not in TRANSITIONS[self.status]:
            allowed = ", ".join(sorted(TRANSITIONS[self.status])) or "none"
            raise InvalidTransition(
                f"a risk that is {self.status} cannot become {to}; allowed: {allowed}",
                key="risk-transition-invalid",
                params={"from_status": self.status.value, "to_status": to.value},
            )
        return replace(self, status=to, updated_at=now, version=self.version + 1)

    def withdraw(self, *, reason: str, now: datetime) -> Risk:
        """Close the risk from any open stage: whoever raised the alarm called it off."""
        # The cycle closes a risk only after monitoring; a withdrawn alarm (a CAP Cancel
        # from the service that sent it) never reached treatment, so it skips the cycle.
        check_text("reason", reason, limit=REASON_MAX)
        if self.status is RiskStatus.CLOSED:
            raise InvalidTransition("the risk is closed already", key="risk-closed-already")
        return replace(self, status=RiskStatus.CLOSED, updated_at=now, version=self.version + 1)

    def reassess(
        self, *, likelihood: int, consequence: int, matrix: RiskMatrix, now: datetime
    ) -> Risk:
        """Set a new likelihood and consequence; the event level follows from the matrix."""
        if self.status is RiskStatus.CLOSED:
            raise InvalidTransition(
                "a closed risk cannot be reassessed; reopen it first", key="risk-closed"
            )
        return replace(
            self,
            likelihood=likelihood,
            consequence=consequence,
            level=matrix.level(likelihood, consequence),
            updated_at=now,
            version=self.version + 1,
        )

    def relocate(
        self, *, hazard_geometry: Mapping[str, Any], origins: tuple[Origin, ...], now: datetime
    ) -> Risk:
        """Replace the hazard source; origins were derived from the new geometry."""
        if self.status is RiskStatus.CLOSED:
            raise InvalidTransition(
                "a closed risk cannot be changed; reopen it first", key="risk-closed"
            )
        return replace(
            self,
            hazard_geometry=hazard_geometry,
            origins=origins,
            updated_at=now,
            version=self.version + 1,
        )

    def reparametrise(
        self, *, hazard_type: str, parameters: Mapping[str, Any], now: datetime
    ) -> Risk:
        """Change how the hazard travels and the model's parameters (already checked)."""
        if self.status is RiskStatus.CLOSED:
            raise InvalidTransition(
                "a closed risk cannot be changed; reopen it first", key="risk-closed"
            )
        return replace(
            self,
            hazard_type=hazard_type,
            parameters=dict(parameters),
            updated_at=now,
            version=self.version + 1,
        )

    def edit_text(
        self, *, title: str, description: str, now: datetime, title_en: str | None = None
    ) -> Risk:
        """Change title and description; a new title without an English one drops the old."""
        if self.status is RiskStatus.CLOSED:
            raise InvalidTransition(
                "a closed risk cannot be changed; reopen it first", key="risk-closed"
            )
        return replace(
            self,
            title=check_text("title", title, limit=TITLE_MAX),
            title_en=_english_title(self, title, title_en),
            description=check_text(
                "description", description, limit=DESCRIPTION_MAX, required=False
            ),
            updated_at=now,
            version=self.version + 1,
        )


def new_risk(
    draft: RiskDraft,
    *,
    region_code: str,
    origins: tuple[Origin, ...],
    matrix: RiskMatrix,
    created_by: str,
    now: datetime,
    hazard_type: str = "area",
    parameters: Mapping[str, Any] | None = None,
) -> Risk:
    """Register a risk in status identified with its level from the policy matrix."""
    if not origins:
        raise InvalidInput(
            "the hazard source lies in no jurisdiction of the region",
            key="hazard-in-no-jurisdiction",
        )
    return Risk(
        id=None,
        region_code=region_code,
        category=RiskCategory(draft.category),
        title=check_text("title", draft.title, limit=TITLE_MAX),
        title_en=check_text("title_en", draft.title_en, limit=TITLE_MAX, required=False),
        description=check_text(
            "description", draft.description, limit=DESCRIPTION_MAX, required=False
        ),
        hazard_geometry=draft.hazard_geometry,
        origins=origins,
        likelihood=check_scale("likelihood", draft.likelihood),
        consequence=check_scale("consequence", draft.consequence),
        level=matrix.level(draft.likelihood, draft.consequence),
        status=RiskStatus.IDENTIFIED,
        created_at=now,
        created_by=created_by,
        updated_at=now,
        hazard_type=hazard_type,
        parameters=dict(parameters or {}),
        drill_id=draft.drill_id,
    )


def _english_title(risk: Risk, title: str, title_en: str | None) -> str:
    if title_en is not None:
        return check_text("title_en", title_en, limit=TITLE_MAX, required=False)
    # A person who rewrites the title rewrites what the risk is called; an English title
    # of the old wording would now say something else.
    return risk.title_en if title.strip() == risk.title else ""


def parse_category(value: str) -> RiskCategory:
    """Read a category name, listing the known ones when it is not one of them."""
    try:
        return RiskCategory(value)
    except ValueError:
        known = ", ".join(category.value for category in RiskCategory)
        raise InvalidInput(f"unknown category {value!r}; known: {known}") from None


def parse_status(value: str) -> RiskStatus:
    """Read a status name, listing the known ones when it is not one of them."""
    try:
        return RiskStatus(value)
    except ValueError:
        known = ", ".join(status.value for status in RiskStatus)
        raise InvalidInput(f"unknown status {value!r}; known: {known}") from None
