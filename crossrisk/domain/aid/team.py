"""Response teams (救援队伍), typed by kind and capability like FEMA's resource typing.

A team claims a kind (flood rescue, urban search and rescue…) and a type from 1 to 4,
Type 1 the most capable; the type is a promise other cities plan on, so a team that does
not meet its type's minimum headcount or equipment is refused rather than recorded.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any

from crossrisk.domain.aid.base_record import (
    Location,
    check_count,
    check_figure,
    check_location,
    check_sharing,
    moved,
)
from crossrisk.domain.aid.resource_types import HEADCOUNT, TEAM_TYPES, ResourceTypes, TeamKind
from crossrisk.domain.aid.sharing import Sharing
from crossrisk.domain.errors import InvalidInput
from crossrisk.domain.risk import check_text

NAME_MAX = 200
CONTACT_MAX = 200
HEADCOUNT_MAX = 100_000
# A month: a team that needs longer to deploy is not an emergency resource.
READINESS_MAX_HOURS = 720.0
CAPABILITY_MAX = 100_000


@dataclass(frozen=True, slots=True)
class TeamDraft:
    """A team as an officer gives it; checked by `check_team`."""

    jurisdiction_code: str
    name: str
    kind: str
    type_level: int
    headcount: int
    readiness_hours: float  # hours from the call to leaving base
    base: Location
    contact: str = ""
    capabilities: Mapping[str, float] = field(default_factory=dict)
    sharing: Sharing = Sharing.REGION


# What a change may name: everything but the jurisdiction (a team moves by being recorded
# anew, so each city's history stays its own).
CHANGEABLE = frozenset(
    {
        "name",
        "kind",
        "type_level",
        "headcount",
        "readiness_hours",
        "base",
        "contact",
        "capabilities",
        "sharing",
    }
)


@dataclass(frozen=True, slots=True)
class Team:
    id: int | None
    region_code: str
    jurisdiction_code: str
    name: str
    kind: str
    type_level: int
    headcount: int
    readiness_hours: float
    base: Location
    contact: str
    capabilities: Mapping[str, float]
    owner_code: str  # the organisation that keeps the record
    sharing: Sharing
    updated_at: datetime
    confirmed_at: datetime  # last time the owner said the record is true

    def draft(self) -> TeamDraft:
        """The record's officer-given fields, for a change to start from."""
        return TeamDraft(
            jurisdiction_code=self.jurisdiction_code,
            name=self.name,
            kind=self.kind,
            type_level=self.type_level,
            headcount=self.headcount,
            readiness_hours=self.readiness_hours,
            base=self.base,
            contact=self.contact,
            capabilities=dict(self.capabilities),
            sharing=self.sharing,
        )


def check_team(draft: TeamDraft, types: ResourceTypes) -> TeamDraft:
    """The draft with trimmed texts and checked figures, or InvalidInput saying why.

    The type rule: every minimum of the claimed type (headcount and each capability the
    kind names) must be met; "team-type-not-met" names the first one that is not.
    """
    kind = types.team_kind(draft.kind)
    name = check_text("name", draft.name, limit=NAME_MAX)
    contact = check_text("contact", draft.contact, limit=CONTACT_MAX, required=False)
    if isinstance(draft.type_level, bool) or draft.type_level not in TEAM_TYPES:
        raise InvalidInput(
            f"a team's type is 1 to 4, not {draft.type_level!r}",
            key="team-type-invalid",
            params={"type": str(draft.type_level)[:8]},
        )
    headcount = check_count(HEADCOUNT, draft.headcount, low=1, high=HEADCOUNT_MAX)
    hours = check_figure("readiness_hours", draft.readiness_hours, low=0, high=READINESS_MAX_HOURS)
    capabilities = _capabilities(kind, draft.capabilities)
    checked = replace(
        draft,
        name=name,
        contact=contact,
        headcount=headcount,
        readiness_hours=hours,
        capabilities=capabilities,
        base=check_location(draft.base.lon, draft.base.lat),
        sharing=check_sharing(draft.sharing),
    )
    require_type_met(kind, checked, types)
    return checked


def shortfall_of_type(kind: TeamKind, draft: TeamDraft) -> tuple[str, float, float] | None:
    """The first minimum of the claimed type the team misses: (what, required, has)."""
    minimum = kind.minimum[draft.type_level]
    has = {HEADCOUNT: float(draft.headcount), **draft.capabilities}
    for name, required in minimum.items():
        if has.get(name, 0.0) < required:
            return name, required, has.get(name, 0.0)
    return None


def require_type_met(kind: TeamKind, draft: TeamDraft, types: ResourceTypes) -> None:
    """Refuse a team that misses a minimum of its claimed type, naming the figure."""
    missing = shortfall_of_type(kind, draft)
    if missing is None:
        return
    name, required, has = missing
    what = types.capabilities.get(name)
    raise InvalidInput(
        f"a type {draft.type_level} {kind.code} team needs {name} of at least {required:g}, "
        f"not {has:g}",
        key="team-type-not-met",
        params={
            "type": draft.type_level,
            "kind_zh": kind.name_zh,
            "kind_en": kind.name_en,
            "capability": name,
            "what_zh": what.name_zh if what else "人数",
            "what_en": what.name_en if what else "headcount",
            "required": f"{required:g}",
            "actual": f"{has:g}",
        },
    )


def best_type(kind: TeamKind, draft: TeamDraft) -> int | None:
    """The most capable type the team's figures meet (1 best), or None."""
    for level in TEAM_TYPES:
        if shortfall_of_type(kind, replace(draft, type_level=level)) is None:
            return level
    return None


def changed(team: Team, changes: Mapping[str, Any], types: ResourceTypes) -> TeamDraft:
    """The team's checked draft after a change of some fields."""
    changes = moved(changes, team.base, "base")
    unknown = set(changes) - CHANGEABLE
    if unknown:
        raise InvalidInput(
            f"a team's {sorted(unknown)[0]} cannot be changed",
            key="field-not-changeable",
            params={"field": sorted(unknown)[0][:40]},
        )
    return check_team(replace(team.draft(), **changes), types)


def _capabilities(kind: TeamKind, given: Mapping[str, Any]) -> dict[str, float]:
    if not isinstance(given, Mapping):
        raise InvalidInput("capabilities must map names to numbers", key="unknown-capability")
    unknown = set(given) - set(kind.capabilities)
    if unknown:
        name = str(sorted(unknown)[0])[:40]
        raise InvalidInput(
            f"a {kind.code} team states no capability {name!r}",
            key="unknown-capability",
            params={"capability": name},
        )
    return {
        name: float(check_count("capabilities", given.get(name, 0), low=0, high=CAPABILITY_MAX))
        for name in kind.capabilities
    }
