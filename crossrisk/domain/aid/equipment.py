"""Equipment (装备): units of one kind kept at one site, each with a capability figure.

The figure is per unit and in the kind's unit (a pump's m³/h, a generator's kW), so a
city's total capability of a kind is quantity × capability, summed over its sites.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
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
from crossrisk.domain.aid.resource_types import ResourceTypes
from crossrisk.domain.aid.sharing import Sharing
from crossrisk.domain.errors import InvalidInput
from crossrisk.domain.risk import check_text

SITE_MAX = 200
CONTACT_MAX = 200
QUANTITY_MAX = 1_000_000
# Above the largest mobile pump or generator by orders of magnitude; a typing error.
CAPABILITY_MAX = 1e6


@dataclass(frozen=True, slots=True)
class EquipmentDraft:
    jurisdiction_code: str
    kind: str
    quantity: int  # units
    capability: float  # per unit, in the kind's unit
    site: str  # where it is kept
    location: Location
    contact: str = ""
    sharing: Sharing = Sharing.REGION


CHANGEABLE = frozenset({"kind", "quantity", "capability", "site", "location", "contact", "sharing"})


@dataclass(frozen=True, slots=True)
class Equipment:
    id: int | None
    region_code: str
    jurisdiction_code: str
    kind: str
    quantity: int
    capability: float
    site: str
    location: Location
    contact: str
    owner_code: str
    sharing: Sharing
    updated_at: datetime
    confirmed_at: datetime

    @property
    def total_capability(self) -> float:
        """What all the units do together, in the kind's unit."""
        return self.quantity * self.capability

    def draft(self) -> EquipmentDraft:
        return EquipmentDraft(
            jurisdiction_code=self.jurisdiction_code,
            kind=self.kind,
            quantity=self.quantity,
            capability=self.capability,
            site=self.site,
            location=self.location,
            contact=self.contact,
            sharing=self.sharing,
        )


def check_equipment(draft: EquipmentDraft, types: ResourceTypes) -> EquipmentDraft:
    """The draft with trimmed texts and checked figures, or InvalidInput saying why."""
    types.equipment_kind(draft.kind)
    return replace(
        draft,
        site=check_text("site", draft.site, limit=SITE_MAX),
        contact=check_text("contact", draft.contact, limit=CONTACT_MAX, required=False),
        quantity=check_count("quantity", draft.quantity, low=1, high=QUANTITY_MAX),
        capability=check_figure("capability", draft.capability, low=0, high=CAPABILITY_MAX),
        location=check_location(draft.location.lon, draft.location.lat),
        sharing=check_sharing(draft.sharing),
    )


def changed(
    equipment: Equipment, changes: Mapping[str, Any], types: ResourceTypes
) -> EquipmentDraft:
    """The equipment's checked draft after a change of some fields."""
    changes = moved(changes, equipment.location, "location")
    unknown = set(changes) - CHANGEABLE
    if unknown:
        raise InvalidInput(
            f"equipment's {sorted(unknown)[0]} cannot be changed",
            key="field-not-changeable",
            params={"field": sorted(unknown)[0][:40]},
        )
    return check_equipment(replace(equipment.draft(), **changes), types)
