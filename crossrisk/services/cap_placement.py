"""Where an incoming CAP alert lies, and which hazard type's model can start from there."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from shapely.geometry.base import BaseGeometry

from crossrisk.alerts.cap.mapping import IncomingRule
from crossrisk.alerts.cap.parse import IncomingInfo
from crossrisk.domain.errors import InvalidInput
from crossrisk.domain.organisation import Actor
from crossrisk.domain.permissions.risks import require_change_risk
from crossrisk.domain.propagation import assessment_parameters
from crossrisk.domain.reach import RIVER_PATHWAYS
from crossrisk.geo.cap_area import AreaPart, Placement, Unplaced, alert_area, place_area
from crossrisk.services.policy_tables import hazard_types
from crossrisk.store.uow import Transaction


def place_alert(
    tx: Transaction,
    actor: Actor,
    blocks: Sequence[IncomingInfo],
    *,
    region_code: str | None = None,
) -> Placement | Unplaced:
    """Where the message lies, once the actor is found to be one who may change risks there."""
    indexes = {region.code: tx.regions.index(region.code) for region in tx.regions.all()}
    parts = [AreaPart(area.geometry(), area.geocodes) for block in blocks for area in block.areas]
    area = alert_area(parts, indexes)
    place = (
        area if isinstance(area, Unplaced) else place_area(area, indexes, region_code=region_code)
    )
    if isinstance(place, Placement):
        require_change_risk(actor, region_code=place.region_code, origin_codes=place.origin_codes)
    return place


def hazard_type_for(tx: Transaction, rule: IncomingRule, place: Placement) -> str:
    """The rule's hazard type, or its fallback when that type's model cannot start here."""
    if rule.fallback_hazard_type is None or model_takes(
        tx, place.region_code, rule.hazard_type, place.geometry
    ):
        return rule.hazard_type
    return rule.fallback_hazard_type


def model_takes(
    tx: Transaction,
    region_code: str,
    hazard_type: str,
    geometry: BaseGeometry,
    parameters: dict[str, Any] | None = None,
) -> bool:
    """False when the hazard type's model cannot start from this area (a river far away)."""
    found = hazard_types().get(hazard_type)
    # A flood wave and a spill both start on the river network.
    if found is None or found.pathway not in RIVER_PATHWAYS:
        return True
    rivers = tx.regions.geo(region_code).rivers
    if rivers is None:
        return False
    tolerance = assessment_parameters(found.pathway, parameters or {})["snap_tolerance_km"]
    try:
        # Where geo.reach starts a river hazard: a point on the polygon's surface.
        rivers.snap(geometry.representative_point(), tolerance_km=tolerance)
    except InvalidInput:
        return False
    return True
