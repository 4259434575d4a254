"""A risk's labels: its category, status, event level, the scales of its assessment, the
fields refusals name, and the refusal sentences of the register (merged into
refusal_labels.REFUSAL)."""

from __future__ import annotations

from crossrisk.domain.risk import EventLevel, RiskCategory, RiskStatus
from crossrisk.locale import N_

CATEGORY = {
    RiskCategory.NATURAL_DISASTER: N_("Natural disaster"),
    RiskCategory.ACCIDENT_DISASTER: N_("Accident disaster"),
    RiskCategory.PUBLIC_HEALTH: N_("Public health event"),
    RiskCategory.SOCIAL_SECURITY: N_("Social security event"),
    # Not one of the four legal categories (Emergency Response Law 2024, Art. 2): the
    # platform's local extension, and said so wherever categories are listed.
    RiskCategory.EMERGING_TECHNOLOGY: N_("Emerging technology risk (local extension)"),
}

STATUS = {
    RiskStatus.IDENTIFIED: N_("Identified"),
    RiskStatus.ASSESSED: N_("Assessed"),
    RiskStatus.TREATING: N_("Treating"),
    RiskStatus.MONITORING: N_("Monitoring"),
    RiskStatus.CLOSED: N_("Closed"),
}

# The four grades of the Emergency Response Law (突发事件应对法), I the most severe.
LEVEL = {
    EventLevel.I: N_("I Extremely serious"),
    EventLevel.II: N_("II Serious"),
    EventLevel.III: N_("III Relatively serious"),
    EventLevel.IV: N_("IV General"),
}

# The 5×5 matrix's scales, worded as in GB/T 27921 (风险管理 风险评估技术).
LIKELIHOOD = {
    1: N_("1 Rare"),
    2: N_("2 Unlikely"),
    3: N_("3 Possible"),
    4: N_("4 Likely"),
    5: N_("5 Almost certain"),
}

CONSEQUENCE = {
    1: N_("1 Negligible"),
    2: N_("2 Minor"),
    3: N_("3 Moderate"),
    4: N_("4 Major"),
    5: N_("5 Catastrophic"),
}

RISK_FIELD = {
    # Fields of teams, equipment and shelters that refusals name (issue 11).
    "name": N_("Name"),
    "contact": N_("Contact"),
    "site": N_("Site"),
    "headcount": N_("Headcount"),
    "readiness_hours": N_("Readiness time"),
    "capabilities": N_("Capabilities"),
    "quantity": N_("Units"),
    "capability": N_("Capability of one unit"),
    "capacity": N_("Capacity"),
    "available": N_("Free places"),
    "type": N_("Type"),
    "lon": N_("Longitude"),
    "lat": N_("Latitude"),
    "title": N_("Title"),
    "description": N_("Description"),
    "hazard_geometry": N_("Hazard source"),
    "origins": N_("Origin jurisdictions"),
    "likelihood": N_("Likelihood"),
    "consequence": N_("Consequence"),
    "level": N_("Event level"),
    "status": N_("Status"),
    "hazard_type": N_("Hazard type"),
    "parameters": N_("Model parameters"),
    "reason": N_("Reason"),
    "display_name": N_("Display name"),
    "warehouse": N_("Warehouse"),
    "note": N_("Note"),
}

RISK_REFUSAL = {
    "risk-change-not-permitted": N_(
        "%(organisation)s may not change a risk whose origin is %(origins)s: only the origin "
        "city, the region's coordination body and the central office change it."
    ),
    "risk-not-readable": N_("%(organisation)s may not read risk %(risk)s."),
    "risk-unknown": N_("Risk %(risk)s does not exist."),
    "risk-version-stale": N_(
        "Risk %(risk)s was changed meanwhile (now version %(version)s, the form showed "
        "version %(expected)s). Reload the page and try again."
    ),
    "risk-changed-meanwhile": N_(
        "Risk %(risk)s was changed meanwhile. Reload the page and try again."
    ),
    "risk-transition-invalid": N_(
        "A risk that is “%(from_status)s” cannot become “%(to_status)s”."
    ),
    "risk-closed-already": N_("The risk is closed already."),
    "risk-closed": N_("A closed risk cannot be changed; reopen it first."),
    "risk-unchanged": N_("The change names nothing to change."),
    "lead-not-origin": N_(
        "The lead must be one of the origin jurisdictions (%(origins)s), not %(lead)s."
    ),
    "scale-invalid": N_("Choose %(field)s from 1 to 5."),
}
