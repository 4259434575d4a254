"""Early warnings' labels: their states, message types and how acknowledgements arrive, and
the refusal sentences of warnings (merged into refusal_labels.REFUSAL)."""

from __future__ import annotations

from crossrisk.domain.warning import WarningStatus
from crossrisk.domain.warning_plan import MessageType
from crossrisk.locale import N_

# An early warning's state at its recipient (crossrisk.domain.warning.WarningStatus).
WARNING_STATUS = {
    WarningStatus.ISSUED: N_("Issued"),
    WarningStatus.DELIVERED: N_("Delivered"),
    WarningStatus.ACKNOWLEDGED: N_("Acknowledged"),
    WarningStatus.UPDATED: N_("Superseded by an update"),
    WarningStatus.CANCELLED: N_("Lifted"),
    WarningStatus.EXPIRED: N_("Expired"),
}

# CAP msgType of a warning message, as the inbox names it.
MESSAGE_TYPE = {
    MessageType.ALERT: N_("New warning"),
    MessageType.UPDATE: N_("Update"),
    MessageType.CANCEL: N_("Lifted"),
}

# How an acknowledgement reached the platform (crossrisk.services.warnings.ACK_VIA).
ACK_VIA = {
    "page": N_("on the page"),
    "api": N_("over the API"),
    "email": N_("by the e-mail link"),
}

WARNING_REFUSAL = {
    "warning-risk-closed": N_("The risk is closed; reopen it before warning anyone."),
    "warning-not-permitted": N_(
        "Only the lead city, the coordination body and the central office may issue or lift "
        "warnings of this risk."
    ),
    "warning-ack-not-recipient": N_(
        "Only an officer of the recipient (%(organisation)s) may acknowledge this warning."
    ),
    "warning-not-awaiting-ack": N_(
        "This warning no longer awaits acknowledgement; nothing was changed."
    ),
    "warning-recipient-unknown": N_("%(code)s is not a member city of the region."),
    "warning-recipient-self": N_("A city does not warn itself."),
    "warning-not-live": N_(
        "This warning is no longer the current message of its thread; reload the page."
    ),
    "ack-link-invalid": N_(
        "This acknowledgement link is not valid. Open the warning on the platform instead."
    ),
    "warning-level-unknown": N_(
        "Unknown warning level %(value)s; choose 1 red, 2 orange, 3 yellow or 4 blue."
    ),
    "warning-unknown": N_("Warning %(id)s does not exist."),
    "national-id-invalid": N_(
        "%(value)s is not a national warning identifier (ZZZZZZDDDUUUXX_YYYYMMDDhhmmss)."
    ),
    "national-id-part": N_("The %(part)s of a national warning identifier cannot be %(value)s."),
}
