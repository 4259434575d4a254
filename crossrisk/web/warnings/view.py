"""Early warnings as the pages show them: colour tag, names, local times, who may acknowledge."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime

from crossrisk.domain.organisation import Actor
from crossrisk.domain.permissions.warnings import can_acknowledge
from crossrisk.domain.reach import Pathway
from crossrisk.domain.warning import EarlyWarning, WarningLevel, WarningStatus
from crossrisk.domain.warning_plan import MessageType, WarningMessage
from crossrisk.web.shared import reach_labels, warning_labels
from crossrisk.web.shared.directory import Directory
from crossrisk.web.shared.i18n import PageLanguage


@dataclass(frozen=True, slots=True)
class RiskFacts:
    """What a warning row says of its risk: what the hazard is and where it comes from."""

    title: str
    origin: str  # the origin cities' names, in the page's language
    hazard: str  # the hazard type's short name, e.g. 水体污染
    pathway: Pathway | None  # how it travels; None when the hazard type is unknown


REPORT_SHADE = "report"

NO_FACTS = RiskFacts(title="", origin="", hazard="", pathway=None)


@dataclass(frozen=True, slots=True)
class WarningRow:
    """One warning message, with everything a row of a warning table shows."""

    id: str
    risk_id: int
    risk_title: str
    origin: str
    hazard: str
    pathway: str
    recipient_code: str
    recipient_name: str
    level: WarningLevel
    tag: str  # the national tag, e.g. 黄色预警[Ⅲ级/较重]
    shade: str  # the badge's colour: the level's number, or "report" for 通报 (no colour)
    msg_type: MessageType
    message_label: str
    status: WarningStatus
    status_label: str
    issued_at: datetime
    expected_arrival: datetime | None
    ack_deadline: datetime
    acknowledged_at: datetime | None
    acknowledged_by: str | None
    acknowledged_via: str
    awaiting: bool
    overdue: bool
    may_acknowledge: bool
    instructions: str
    arrived: bool  # the expected arrival has passed
    lead_time: str  # from now to the expected arrival, or "arrived"; "" when none is given

    @property
    def cap_url(self) -> str:
        return f"/api/warnings/{self.id}/cap"


def may_acknowledge(actor: Actor, message: WarningMessage) -> bool:
    """True for an officer of the recipient while the warning awaits acknowledgement."""
    # The service decides for real; this only spares others a button they cannot use.
    return message.awaiting_ack and can_acknowledge(actor, message.recipient_organisation)


def warning_shade(warning: EarlyWarning) -> str:
    """The colour class of a warning's badge: an information report has no colour."""
    return REPORT_SHADE if warning.report else str(warning.level.value)


def level_tag(level: WarningLevel, lang: PageLanguage) -> str:
    """The level as national practice tags a warning, in the page's language."""
    return lang.pick(level.headline_tag_zh, level.headline_tag_en)


def warning_rows(
    messages: Iterable[WarningMessage],
    *,
    actor: Actor | None,
    directory: Directory,
    risks: Mapping[int, RiskFacts],
    lang: PageLanguage,
    now: datetime,
) -> list[WarningRow]:
    """The rows of a warning table, in the order given."""
    return [
        warning_row(
            message,
            may_ack=actor is not None and may_acknowledge(actor, message),
            recipient_name=directory.jurisdiction_name(
                message.warning.recipient_code, chinese=lang.is_chinese
            ),
            risk=risks.get(message.warning.risk_id, NO_FACTS),
            lang=lang,
            now=now,
            people=directory.people,
        )
        for message in messages
    ]


def warning_row(
    message: WarningMessage,
    *,
    may_ack: bool,
    recipient_name: str,
    risk: RiskFacts,
    lang: PageLanguage,
    now: datetime,
    people: Mapping[str, str] | None = None,
) -> WarningRow:
    """One message as a table row shows it; `people` names who acknowledged it."""
    warning = message.warning
    via = message.acknowledged_via or ""
    return WarningRow(
        id=warning.id,
        risk_id=warning.risk_id,
        risk_title=risk.title,
        origin=risk.origin,
        hazard=risk.hazard,
        pathway=lang.gettext(reach_labels.PATHWAY[risk.pathway]) if risk.pathway else "",
        recipient_code=warning.recipient_code,
        recipient_name=recipient_name,
        level=warning.level,
        tag=lang.pick(warning.headline_tag_zh, warning.headline_tag_en),  # 通报 or the level
        shade=warning_shade(warning),
        msg_type=message.msg_type,
        message_label=lang.gettext(warning_labels.MESSAGE_TYPE[message.msg_type]),
        status=warning.status,
        status_label=lang.gettext(warning_labels.WARNING_STATUS[warning.status]),
        issued_at=warning.issued_at,
        expected_arrival=warning.expected_arrival,
        ack_deadline=warning.ack_deadline,
        acknowledged_at=message.acknowledged_at,
        acknowledged_by=(
            (people or {}).get(message.acknowledged_by) or message.acknowledged_by
            if message.acknowledged_by
            else None
        ),
        acknowledged_via=lang.gettext(warning_labels.ACK_VIA[via])
        if via in warning_labels.ACK_VIA
        else via,
        awaiting=message.awaiting_ack,
        overdue=message.awaiting_ack and now > warning.ack_deadline,
        may_acknowledge=may_ack,
        instructions=lang.pick(warning.instructions_zh, warning.instructions_en),
        arrived=warning.expected_arrival is not None and warning.expected_arrival <= now,
        lead_time=lead_time_text(warning.expected_arrival, now, lang),
    )


def lead_time_text(arrival: datetime | None, now: datetime, lang: PageLanguage) -> str:
    """How long until the hazard arrives, to the minute; "arrived" once it has.

    The inbox's script counts the same text down each minute (static/js/warning-inbox.js).
    """
    if arrival is None:
        return ""
    if arrival <= now:
        return lang.gettext("Arrived")
    minutes = int((arrival - now).total_seconds() // 60)
    hours, minutes = divmod(minutes, 60)
    if hours == 0:
        return lang.gettext("in %(minutes)d min") % {"minutes": minutes}
    return lang.gettext("in %(hours)d h %(minutes)d min") % {"hours": hours, "minutes": minutes}
