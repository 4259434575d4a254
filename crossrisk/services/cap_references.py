"""The risk an incoming CAP message refers to, who may change it, and what an Update changes."""

from __future__ import annotations

from crossrisk.alerts.cap.parse import IncomingAlert
from crossrisk.alerts.cap.reading import (
    AlertReading,
    risk_description,
    risk_title,
)
from crossrisk.alerts.cap.render import cap_time
from crossrisk.domain.errors import InvalidInput, NotPermitted
from crossrisk.domain.organisation import Actor
from crossrisk.domain.permissions.regions import can_read_region
from crossrisk.domain.permissions.risks import require_change_risk
from crossrisk.domain.risk import (
    Risk,
)
from crossrisk.geo.cap_area import Placement
from crossrisk.geo.hazard import parse_hazard_geometry, to_geojson
from crossrisk.services import risks
from crossrisk.services.cap_placement import model_takes
from crossrisk.store.uow import Transaction


def referenced_risk(
    tx: Transaction, alert: IncomingAlert, *, for_update: bool = False
) -> Risk | None:
    """The one risk the earlier messages this one refers to opened (CAP 1.2 §3.2.1).

    None when none of them opened a risk here: they never arrived, or were recorded only.
    """
    known = [
        found
        for reference in alert.references
        if (found := tx.received_alerts.find(reference.sender, reference.identifier)) is not None
        and found.risk_id is not None
    ]
    if not known:
        return None
    risk_ids = sorted({found.risk_id for found in known if found.risk_id is not None})
    if len(risk_ids) > 1:
        # One message acting on several risks at once: which change belongs to which risk
        # is for a person to decide, not for the platform to guess.
        raise InvalidInput(
            f"the CAP {alert.msg_type} refers to messages of {len(risk_ids)} different risks "
            f"({', '.join(map(str, risk_ids))}); send one message per risk",
            key="cap-references-ambiguous",
            params={"risks": risk_ids},
        )
    return tx.risks.get(risk_ids[0], for_update=for_update)


def risk_of_later_word(tx: Transaction, alert: IncomingAlert) -> Risk | None:
    """The risk that a message received earlier, naming this one in its references, opened
    or changed: a feed joined midway sends the history after the news."""
    later = tx.received_alerts.referring_to(alert.sender, alert.identifier)
    risk_ids = sorted({found.risk_id for found in later if found.risk_id is not None})
    return tx.risks.get(risk_ids[-1], for_update=True) if risk_ids else None


def require_change(actor: Actor, risk: Risk) -> None:
    """Refuse unless the actor may read and change the risk the message acts on."""
    if not can_read_region(actor, risk.region_code):
        raise NotPermitted(f"{actor.organisation.code} may not read risk {risk.id}")
    require_change_risk(actor, region_code=risk.region_code, origin_codes=risk.origin_codes)


def change_for(
    tx: Transaction,
    risk: Risk,
    alert: IncomingAlert,
    reading: AlertReading,
    place: Placement,
) -> risks.RiskChange:
    """The fields the Update changes; the description at least cites the new message."""
    title = risk_title(alert, reading.primary)
    description = risk_description(alert, reading.primary)
    geometry = to_geojson(place.geometry)
    moved = not parse_hazard_geometry(risk.hazard_geometry).equals(place.geometry)
    # People may have chosen the hazard type and tuned its model since the alert came; an
    # Update keeps their choice unless its new area is one the model cannot start from.
    hazard_type = None
    if moved and not model_takes(
        tx, risk.region_code, risk.hazard_type, place.geometry, dict(risk.parameters)
    ):
        hazard_type = "area"
    return risks.RiskChange(
        title=title if title != risk.title else None,
        description=description if description != risk.description else None,
        likelihood=reading.likelihood if reading.likelihood != risk.likelihood else None,
        consequence=reading.consequence if reading.consequence != risk.consequence else None,
        hazard_geometry=geometry if moved else None,
        hazard_type=hazard_type,
        reason=f"CAP Update {alert.identifier} from {alert.sender}, sent {cap_time(alert.sent)}",
    )
