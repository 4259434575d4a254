"""Display names of domain values, as message ids for the catalogs."""

from __future__ import annotations

from crossrisk.domain.risk import EventLevel, RiskCategory, RiskStatus


def N_(message: str) -> str:
    """Mark a message for extraction; it is translated later, when a page is rendered."""
    return message


CATEGORY = {
    RiskCategory.NATURAL_DISASTER: N_("Natural disaster"),
    RiskCategory.ACCIDENT_DISASTER: N_("Accident disaster"),
    RiskCategory.PUBLIC_HEALTH: N_("Public health event"),
    RiskCategory.SOCIAL_SECURITY: N_("Social security event"),
    RiskCategory.EMERGING_TECHNOLOGY: N_("Emerging technology risk"),
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

ACTION = {
    "risk.registered": N_("Registered"),
    "risk.changed": N_("Changed"),
    "risk.transitioned": N_("Status changed"),
}

RISK_FIELD = {
    "title": N_("Title"),
    "description": N_("Description"),
    "hazard_geometry": N_("Hazard source"),
    "origins": N_("Origin jurisdictions"),
    "likelihood": N_("Likelihood"),
    "consequence": N_("Consequence"),
    "level": N_("Event level"),
    "status": N_("Status"),
}

# Headline of a refusal by its kind (the `code` of crossrisk.domain.errors).
ERROR_HEADLINE = {
    "invalid-input": N_("The input was not accepted"),
    "not-permitted": N_("Not permitted"),
    "not-authenticated": N_("Please log in"),
    "not-found": N_("Not found"),
    "invalid-transition": N_("This status change is not allowed"),
    "conflict": N_("Someone else changed this record meanwhile"),
    "error": N_("The request failed"),
}

# Refusals officers meet in everyday use, by the error's `key`; any other detail is shown
# as the service wrote it.
SERVICE_MESSAGE = {
    "hazard-outside-region": N_(
        "The hazard source lies (partly) outside the member cities of the region."
    ),
    "hazard-in-no-jurisdiction": N_("The hazard source lies in no member city of the region."),
    "hazard-empty": N_("The hazard source is empty."),
    "hazard-not-geojson": N_("The hazard source must be a GeoJSON geometry object."),
    "csrf-stale": N_(
        "The form's security token is missing or stale. Reload the page and try again."
    ),
}
