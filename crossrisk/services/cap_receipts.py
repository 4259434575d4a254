"""What receiving a CAP message did: its outcome, why it touched no risk, and the receipt.

The vocabulary of services/cap_import.py, which the API, the CLI and the batch summary
read too.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from enum import StrEnum

from crossrisk.alerts.cap.parse import IncomingAlert
from crossrisk.alerts.cap.reading import AlertReading
from crossrisk.domain.risk import Risk
from crossrisk.geo.cap_area import Unplaced
from crossrisk.locale import N_, say


class CapOutcome(StrEnum):
    """What receiving a CAP message did."""

    OPENED = "opened"  # an Alert (or an Update of an alert never seen) registered a risk
    UPDATED = "updated"  # an Update changed the risk it refers to
    CLOSED = "closed"  # a Cancel withdrew the risk it refers to
    # recorded; an Update or Cancel found its risk closed already, or an Alert arrived after
    # the Update or Cancel that refers to it
    UNCHANGED = "unchanged"
    NOT_ACTUAL = "not-actual"  # System, Test or Draft: recorded, no risk touched
    EXERCISE = "exercise"  # recorded for drills, which do not exist yet; no risk touched
    OUTSIDE = Unplaced.OUTSIDE.value  # its area lies outside every region: recorded
    NOT_PLACED = Unplaced.NOT_PLACED.value  # nothing to place it by: recorded
    EXPIRED = "expired"  # its <expires> had passed when it arrived: recorded
    UNMATCHED = "unmatched"  # a Cancel of no alert that opened a risk here: recorded
    NOT_ACTED_ON = "not-acted-on"  # Ack or Error: recorded
    ALREADY_RECEIVED = "already-received"  # this sender's identifier arrived before

    @property
    def changes_risk(self) -> bool:
        """True when the outcome opened, changed or withdrew a risk."""
        return self in (CapOutcome.OPENED, CapOutcome.UPDATED, CapOutcome.CLOSED)


# Why a message was recorded and no risk touched, written into the journal in every
# catalog language (Chinese first) and shown to the sender in English.
RECORD_NOTES: dict[CapOutcome, str] = {
    CapOutcome.NOT_ACTUAL: N_("Recorded only: a Test, System or Draft message touches no risk."),
    CapOutcome.EXERCISE: N_(
        "Recorded as an exercise: drills do not exist yet, so no drill received it; "
        "no risk was touched."
    ),
    CapOutcome.OUTSIDE: N_("Recorded only: its area lies outside every region of this platform."),
    CapOutcome.NOT_PLACED: N_(
        "Recorded only: it has no polygon, circle or Chinese area code to place it by."
    ),
    CapOutcome.EXPIRED: N_("Recorded only: it had expired when it arrived."),
    CapOutcome.UNMATCHED: N_("Recorded only: it refers to no alert that opened a risk here."),
    CapOutcome.NOT_ACTED_ON: N_("Recorded only: Ack and Error messages act on no risk."),
}


def record_note(outcome: CapOutcome, locale: str) -> str | None:
    """Why a message of this outcome touched no risk, in a catalog language."""
    message = RECORD_NOTES.get(outcome)
    return None if message is None else say(locale, message)


@dataclass(frozen=True, slots=True)
class CapReceipt:
    """What happened to a received CAP message, for the sender and the operator."""

    outcome: CapOutcome
    sender: str
    identifier: str
    msg_type: str
    status: str
    risk_id: int | None
    region_code: str | None
    category: str | None = None  # the risk category the message maps to
    hazard_type: str | None = None
    level: str | None = None  # the event level its assessment gives
    origin_codes: tuple[str, ...] = ()
    # The message's area reached beyond the region; the part inside became the hazard.
    clipped: bool = False
    # The warning colour its words state, when that (not CAP's codes) gave the level.
    colour: str | None = None

    def summary(self) -> str:
        """One line saying what happened."""
        what = {
            CapOutcome.OPENED: f"opened risk {self.risk_id}",
            CapOutcome.UPDATED: f"updated risk {self.risk_id}",
            CapOutcome.CLOSED: f"withdrew risk {self.risk_id}",
            CapOutcome.UNCHANGED: f"recorded; risk {self.risk_id} unchanged",
            CapOutcome.NOT_ACTUAL: f"recorded the {self.status} message; no risk touched",
            CapOutcome.EXERCISE: "recorded as an exercise (drills do not exist yet); "
            "no risk touched",
            CapOutcome.OUTSIDE: "recorded; its area lies outside every region",
            CapOutcome.NOT_PLACED: "recorded; no polygon, circle or Chinese area code "
            "to place it by",
            CapOutcome.EXPIRED: "recorded; it had expired",
            CapOutcome.UNMATCHED: "recorded; it refers to no alert that opened a risk here",
            CapOutcome.NOT_ACTED_ON: f"recorded; a {self.msg_type} acts on no risk",
            CapOutcome.ALREADY_RECEIVED: "already received; nothing changed",
        }[self.outcome]
        text = f"CAP {self.msg_type} {self.identifier} from {self.sender}: {what}"
        if self.region_code:
            text += f" (region {self.region_code}"
            if self.origin_codes:
                text += f", origin {', '.join(self.origin_codes)}"
            if self.level:
                text += f", level {self.level}"
                if self.colour:
                    text += f" from its colour {self.colour}"
            text += ")"
        if self.clipped:
            text += "; the part of its area outside the region was left out"
        return text


def heard(alert: IncomingAlert, outcome: CapOutcome) -> CapReceipt:
    """A receipt naming the message, and no risk or region yet."""
    return CapReceipt(
        outcome=outcome,
        sender=alert.sender,
        identifier=alert.identifier,
        msg_type=alert.msg_type,
        status=alert.status,
        risk_id=None,
        region_code=None,
    )


def receipt(
    alert: IncomingAlert,
    outcome: CapOutcome,
    risk: Risk,
    *,
    clipped: bool = False,
    reading: AlertReading | None = None,
) -> CapReceipt:
    """A receipt naming the message and the risk it acted on."""
    return replace(
        heard(alert, outcome),
        risk_id=risk.id,
        region_code=risk.region_code,
        category=risk.category.value,
        hazard_type=risk.hazard_type,
        level=risk.level.value,
        origin_codes=risk.origin_codes,
        clipped=clipped,
        colour=None if reading is None or reading.colour is None else reading.colour.key,
    )
