"""What crossrisk reads of a received CAP 1.2 alert before it acts on it.

The message's kind and identity are checked, the <info> blocks of the preferred language
chosen, and the policy table (data/policy/cap_mapping.toml [incoming]) gives the risk
category, likelihood and consequence they mean; the risk's title and description come
from the blocks' text.

A block whose certainty or severity is Unknown (the national feeds send both urgency and
certainty so) is assessed by the warning colour its words state instead, through the
table that assesses a station's firing of that colour (firing_assessment.toml): a red
national warning is event level I as a red station firing is, never the middle of the
matrix that "Unknown" would give.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from crossrisk.alerts.cap.colour import stated_colour
from crossrisk.alerts.cap.mapping import IncomingMapping, IncomingRule
from crossrisk.alerts.cap.parse import IncomingAlert, IncomingInfo
from crossrisk.alerts.cap.render import cap_time
from crossrisk.domain.errors import InvalidInput
from crossrisk.domain.monitoring.firing import FiringAssessment
from crossrisk.domain.risk import DESCRIPTION_MAX, TITLE_MAX
from crossrisk.domain.warning import WarningLevel

ACTED_ON = ("Alert", "Update", "Cancel")
IDENTITY_MAX = 255  # the columns' width; CAP sets no limit, real senders use a few dozen


@dataclass(frozen=True, slots=True)
class AlertReading:
    """The blocks of the message crossrisk reads and what they map to."""

    primary: IncomingInfo
    blocks: tuple[IncomingInfo, ...]
    rule: IncomingRule
    likelihood: int
    consequence: int
    # The colour the gravest block's words state, when it (not CAP's codes) gave the
    # assessment; None when the message's certainty and severity were used.
    colour: WarningLevel | None = None


def check_identity(alert: IncomingAlert) -> None:
    """Refuse an identity too long to store; every CAP message kind is received."""
    # Ack and Error are valid CAP and are recorded (they act on nothing here), so that a
    # feed's every message is accounted for; see ACTED_ON.
    for name, value in (("sender", alert.sender), ("identifier", alert.identifier)):
        if len(value) > IDENTITY_MAX:
            raise InvalidInput(
                f"the CAP {name} is {len(value)} characters long; the limit is {IDENTITY_MAX}",
                key="cap-identity-too-long",
                params={"element": name},
            )


def read_alert(
    alert: IncomingAlert, mapping: IncomingMapping, *, colours: FiringAssessment
) -> AlertReading:
    """The reading of a message that must have an <info> block."""
    reading = read_alert_if_any(alert, mapping, colours=colours)
    if reading is None:
        raise InvalidInput(
            f"the CAP {alert.msg_type} has no <info> block; crossrisk needs its event, "
            "severity, certainty and area",
            key="cap-no-info",
        )
    return reading


def read_alert_if_any(
    alert: IncomingAlert, mapping: IncomingMapping, *, colours: FiringAssessment
) -> AlertReading | None:
    """The reading of the message's preferred blocks, or None when it has no <info>.

    `colours` is the (likelihood, consequence) of each warning colour, for the blocks
    whose CAP codes leave the assessment Unknown.
    """
    blocks = _blocks(alert, mapping.languages)
    if not blocks:
        return None
    primary = blocks[0]
    # Several blocks of one language are several parts of one warning (an orange county
    # and a yellow one): the area is all of them, the assessment that of the gravest.
    assessed = [_assessment(block, mapping, colours) for block in blocks]
    likelihood, consequence, colour = max(assessed, key=lambda cell: (cell[1], cell[0]))
    return AlertReading(
        primary=primary,
        blocks=blocks,
        rule=mapping.rule_for(primary.categories, (primary.event, primary.headline)),
        likelihood=likelihood,
        consequence=consequence,
        colour=colour,
    )


def _assessment(
    block: IncomingInfo, mapping: IncomingMapping, colours: FiringAssessment
) -> tuple[int, int, WarningLevel | None]:
    """A block's likelihood and consequence, and the colour that gave them if one did."""
    if "Unknown" in (block.certainty, block.severity):
        texts = (*(value for _, value in block.parameters), block.event, block.headline)
        colour = stated_colour(texts)
        if colour is not None:
            likelihood, consequence = colours.cell(colour)
            return likelihood, consequence, colour
    return mapping.likelihood[block.certainty], mapping.consequence[block.severity], None


def _blocks(alert: IncomingAlert, languages: Sequence[str]) -> tuple[IncomingInfo, ...]:
    """The <info> blocks in the first preferred language present, else the first's."""
    if not alert.infos:
        return ()
    for language in languages:
        chosen = alert.info(language)
        if chosen is not None:
            return tuple(b for b in alert.infos if b.language.lower() == chosen.language.lower())
    first = alert.infos[0].language.lower()
    return tuple(b for b in alert.infos if b.language.lower() == first)


def risk_title(alert: IncomingAlert, info: IncomingInfo) -> str:
    """The risk title a block gives: its headline or event, cut to fit."""
    title = info.headline or info.event or f"CAP {alert.msg_type} {alert.identifier}"
    return title if len(title) <= TITLE_MAX else title[: TITLE_MAX - 1] + "…"


def risk_description(alert: IncomingAlert, info: IncomingInfo) -> str:
    """The risk description a block gives, ending with the message it came from."""
    # Where the text came from stays with it, whoever edits the risk later.
    source = (
        f"CAP {alert.msg_type} {alert.identifier} · {info.sender_name or alert.sender} "
        f"<{alert.sender}> · sent {cap_time(alert.sent)}"
    )
    body = "\n\n".join(text for text in (info.description, info.instruction) if text)
    room = DESCRIPTION_MAX - len(source) - 2
    if len(body) > room:
        body = body[: room - 1] + "…"
    return f"{body}\n\n{source}" if body else source
