"""What crossrisk reads of a received CAP 1.2 alert before it acts on it.

The message's kind and identity are checked, the <info> blocks of the preferred language
chosen, and the policy table (data/policy/cap_mapping.toml [incoming]) gives the risk
category, likelihood and consequence they mean; the risk's title and description come
from the blocks' text.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from crossrisk.alerts.cap.mapping import IncomingMapping, IncomingRule
from crossrisk.alerts.cap.parse import IncomingAlert, IncomingInfo
from crossrisk.alerts.cap.render import cap_time
from crossrisk.domain.errors import InvalidInput
from crossrisk.domain.risk import DESCRIPTION_MAX, TITLE_MAX

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


def check_identity(alert: IncomingAlert) -> None:
    """Refuse a message kind crossrisk does not act on, or an identity too long to store."""
    if alert.msg_type not in ACTED_ON:
        raise InvalidInput(
            f"crossrisk acts on CAP Alert, Update and Cancel messages; "
            f"this one is {alert.msg_type}",
            key="cap-msg-type-unsupported",
            params={"msg_type": alert.msg_type},
        )
    for name, value in (("sender", alert.sender), ("identifier", alert.identifier)):
        if len(value) > IDENTITY_MAX:
            raise InvalidInput(
                f"the CAP {name} is {len(value)} characters long; the limit is {IDENTITY_MAX}",
                key="cap-identity-too-long",
                params={"element": name},
            )


def read_alert(alert: IncomingAlert, mapping: IncomingMapping) -> AlertReading:
    """The reading of a message that must have an <info> block."""
    reading = read_alert_if_any(alert, mapping)
    if reading is None:
        raise InvalidInput(
            f"the CAP {alert.msg_type} has no <info> block; crossrisk needs its event, "
            "severity, certainty and area",
            key="cap-no-info",
        )
    return reading


def read_alert_if_any(alert: IncomingAlert, mapping: IncomingMapping) -> AlertReading | None:
    """The reading of the message's preferred blocks, or None when it has no <info>."""
    blocks = _blocks(alert, mapping.languages)
    if not blocks:
        return None
    primary = blocks[0]
    # Several blocks of one language are several parts of one warning (an orange county
    # and a yellow one): the area is all of them, the assessment that of the gravest.
    gravest = max(
        blocks,
        key=lambda b: (mapping.consequence[b.severity], mapping.likelihood[b.certainty]),
    )
    return AlertReading(
        primary=primary,
        blocks=blocks,
        rule=mapping.rule_for(primary.categories, (primary.event, primary.headline)),
        likelihood=mapping.likelihood[gravest.certainty],
        consequence=mapping.consequence[gravest.severity],
    )


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
