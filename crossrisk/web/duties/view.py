"""Duties as the pages show them: in the page's language and Beijing time."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from crossrisk.domain.duty import (
    SELF_ACKNOWLEDGED,
    TITLED,
    DutyRecord,
    DutyStatus,
    ShownStatus,
    source_of,
)
from crossrisk.domain.organisation import Actor
from crossrisk.domain.permissions.risks import can_waive_duty
from crossrisk.domain.permissions.warnings import can_acknowledge
from crossrisk.domain.responsibility import DutyKind
from crossrisk.web.shared.directory import Directory
from crossrisk.web.shared.i18n import PageLanguage


@dataclass(frozen=True, slots=True)
class DutyLine:
    """One duty on the My duties page."""

    id: int
    risk_id: int | None  # None: standing work (a meeting's action item, an annual item)
    risk_title: str
    kind: DutyKind
    duty: str
    organisation: str
    place: str
    deadline: datetime
    status: ShownStatus
    status_label: str
    done_at: datetime | None
    done_by: str | None
    reason: str | None
    may_acknowledge: bool  # a domain office or the central office, by its own action
    may_report: bool  # the lead's report completes it
    may_waive: bool
    titled: bool  # a plan's task, a meeting's action item or an annual item: "Mark done"
    origin: str = ""  # what drew a duty of no risk: a review, a meeting, the annual plan
    origin_href: str = ""


def duty_lines(
    records: list[DutyRecord],
    *,
    actor: Actor,
    directory: Directory,
    titles: dict[int, str],
    lang: PageLanguage,
    now: datetime,
    reviewed: dict[int, int] | None = None,
) -> list[DutyLine]:
    """The duties as page lines, owed ones first, soonest deadline first."""
    lines = []
    for duty in records:
        shown = duty.shown(now)
        owed = duty.status is DutyStatus.OPEN
        own = can_acknowledge(actor, duty.organisation_code)
        lines.append(
            DutyLine(
                id=duty.id or 0,
                risk_id=duty.risk_id,
                risk_title="" if duty.risk_id is None else titles.get(duty.risk_id, ""),
                kind=duty.kind,
                duty=lang.duty(duty.kind, duty.title, duty.title_en),
                organisation=directory.organisation_name(
                    duty.organisation_code, chinese=lang.is_chinese
                ),
                place=(
                    directory.jurisdiction_name(duty.jurisdiction_code, chinese=lang.is_chinese)
                    if duty.jurisdiction_code
                    else ""
                ),
                deadline=duty.deadline,
                status=shown,
                status_label=lang.duty_status(shown),
                done_at=duty.done_at,
                done_by=duty.done_by,
                reason=duty.reason,
                may_acknowledge=owed and own and duty.kind in SELF_ACKNOWLEDGED,
                may_report=owed and own and duty.kind is DutyKind.HANDLE_AND_REPORT,
                may_waive=owed and can_waive_duty(actor, duty.region_code),
                titled=duty.kind in TITLED,
                **_origin(duty, reviewed or {}, lang),
            )
        )
    return sorted(lines, key=lambda line: (line.status not in OWED_FIRST, line.deadline))


OWED_FIRST = frozenset({ShownStatus.LATE, ShownStatus.OPEN})


def _origin(duty: DutyRecord, reviewed: dict[int, int], lang: PageLanguage) -> dict[str, str]:
    """Where standing work came from, with the page that holds it (`reviewed`: the risk of
    each review the reader may read)."""
    source = source_of(duty) if duty.risk_id is None else None
    if source is None:
        return {}
    kind, number = source
    if kind == "review" and number in reviewed:
        risk = reviewed[number]
        label = lang.gettext("After-action review of risk %(id)d") % {"id": risk}
        return {"origin": label, "origin_href": f"/risks/{risk}/review"}
    if kind == "meeting":
        label = lang.gettext("Meeting %(id)d") % {"id": number}
        return {"origin": label, "origin_href": f"/committee/meetings/{number}"}
    if kind == "annual":
        return {"origin": lang.gettext("Annual plan"), "origin_href": "/committee/annual"}
    return {}
