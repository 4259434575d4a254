"""Shelters (避难场所): capacity, what is still free, class by length of stay, open or closed.

The class follows GB 51143-2015 (紧急, 短期/中期/长期固定, 中心) or GB 21734-2008 (Ⅰ/Ⅱ/Ⅲ
类) as data/policy/aid_shelter_classes.toml lists them. Available capacity is what the
shelter can still take; it can never exceed the capacity, and a city updates it while the
shelter fills.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import datetime
from enum import StrEnum
from typing import Any

from crossrisk.domain.aid.base_record import (
    Location,
    check_count,
    check_location,
    check_sharing,
    moved,
)
from crossrisk.domain.aid.resource_types import ResourceTypes
from crossrisk.domain.aid.sharing import Sharing
from crossrisk.domain.errors import Conflict, InvalidInput
from crossrisk.domain.risk import check_text

NAME_MAX = 200
CONTACT_MAX = 200
# Above the largest stadium shelter; ten million people is a typing error.
CAPACITY_MAX = 10_000_000


class ShelterState(StrEnum):
    OPEN = "open"
    CLOSED = "closed"


@dataclass(frozen=True, slots=True)
class ShelterDraft:
    jurisdiction_code: str
    name: str
    class_code: str
    capacity: int  # people
    available: int  # people it can still take
    location: Location
    contact: str = ""
    sharing: Sharing = Sharing.REGION


CHANGEABLE = frozenset(
    {"name", "class_code", "capacity", "available", "location", "contact", "sharing"}
)


@dataclass(frozen=True, slots=True)
class Shelter:
    id: int | None
    region_code: str
    jurisdiction_code: str
    name: str
    class_code: str
    capacity: int
    available: int
    location: Location
    contact: str
    state: ShelterState
    owner_code: str
    sharing: Sharing
    updated_at: datetime
    confirmed_at: datetime

    @property
    def occupied(self) -> int:
        return self.capacity - self.available

    def draft(self) -> ShelterDraft:
        return ShelterDraft(
            jurisdiction_code=self.jurisdiction_code,
            name=self.name,
            class_code=self.class_code,
            capacity=self.capacity,
            available=self.available,
            location=self.location,
            contact=self.contact,
            sharing=self.sharing,
        )

    def opened(self, *, now: datetime) -> Shelter:
        """The shelter opened to people; opening an open one is a conflict."""
        if self.state is ShelterState.OPEN:
            raise Conflict(
                f"shelter {self.id} is open already",
                key="shelter-open-already",
                params={"shelter": self.name},
            )
        return replace(self, state=ShelterState.OPEN, updated_at=now, confirmed_at=now)

    def closed(self, *, now: datetime) -> Shelter:
        """The shelter closed; closing a closed one is a conflict."""
        if self.state is ShelterState.CLOSED:
            raise Conflict(
                f"shelter {self.id} is closed already",
                key="shelter-closed-already",
                params={"shelter": self.name},
            )
        return replace(self, state=ShelterState.CLOSED, updated_at=now, confirmed_at=now)


def check_available(available: object, capacity: int) -> int:
    """Available places from 0 to the capacity, or InvalidInput saying which bound."""
    count = check_count("available", available, low=0, high=CAPACITY_MAX)
    if count > capacity:
        raise InvalidInput(
            f"available capacity {count} exceeds the capacity {capacity}",
            key="shelter-available-above-capacity",
            params={"available": count, "capacity": capacity},
        )
    return count


def check_shelter(draft: ShelterDraft, types: ResourceTypes) -> ShelterDraft:
    """The draft with trimmed texts and checked figures, or InvalidInput saying why."""
    types.shelter_class(draft.class_code)
    capacity = check_count("capacity", draft.capacity, low=1, high=CAPACITY_MAX)
    return replace(
        draft,
        name=check_text("name", draft.name, limit=NAME_MAX),
        contact=check_text("contact", draft.contact, limit=CONTACT_MAX, required=False),
        capacity=capacity,
        available=check_available(draft.available, capacity),
        location=check_location(draft.location.lon, draft.location.lat),
        sharing=check_sharing(draft.sharing),
    )


def changed(shelter: Shelter, changes: Mapping[str, Any], types: ResourceTypes) -> ShelterDraft:
    """The shelter's checked draft after a change of some fields."""
    changes = moved(changes, shelter.location, "location")
    unknown = set(changes) - CHANGEABLE
    if unknown:
        raise InvalidInput(
            f"a shelter's {sorted(unknown)[0]} cannot be changed this way",
            key="field-not-changeable",
            params={"field": sorted(unknown)[0][:40]},
        )
    return check_shelter(replace(shelter.draft(), **changes), types)
