"""Duties: a risk's responsibility list as rows, completed by the actions that fulfil them.

`follow_analysis` runs in the transaction that stores each analysis, after the warnings
have followed it, so the rows always match the current list and an affected city's duty
falls due exactly when its live warning must be acknowledged. The fulfilling actions
(warnings.acknowledge, analysis.confirm_responsibility_list, `file_report`,
`acknowledge_duty`) call `complete` inside their own transaction: the action and the
duty's completion are journaled together or not at all.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import replace
from datetime import datetime
from typing import Any

from crossrisk.domain.analysis import Analysis
from crossrisk.domain.duty import (
    DECIDED,
    SELF_ACKNOWLEDGED,
    DutyRecord,
    DutyStatus,
    ShownStatus,
    check_note,
    check_titled,
    next_deadline,
)
from crossrisk.domain.errors import Conflict, InvalidInput, NotPermitted
from crossrisk.domain.organisation import Actor, OrganisationKind
from crossrisk.domain.permissions.regions import require_read_region
from crossrisk.domain.permissions.risks import can_report_on_risk, can_waive_duty
from crossrisk.domain.permissions.warnings import can_acknowledge
from crossrisk.domain.responsibility import DutyKind
from crossrisk.domain.risk import Risk, RiskStatus, check_text
from crossrisk.domain.warning_plan import CLOSED_STATES, WarningMessage
from crossrisk.services import annual_follow
from crossrisk.store.uow import Transaction, UnitOfWork

REPORT_MAX = 4000
FIGURES_MAX = 30
FIGURE_NAME_MAX = 80
# What "open" asks for in a filter: every duty still owed, on time or late.
OWED = frozenset({ShownStatus.OPEN, ShownStatus.LATE})


def follow_analysis(
    tx: Transaction,
    actor: Actor,
    risk: Risk,
    analysis: Analysis,
    *,
    now: datetime,
    source: str = "",
) -> list[DutyRecord]:
    """Make the risk's duty rows match a new analysis (in the open tx); returns them.

    `source` names what drew the list (the plan and version, "plan:3@2"); new lines carry it.
    """
    assert risk.id is not None
    existing = {
        (d.kind, d.organisation_code, d.task): d
        for d in tx.duties.of_risk(risk.id)
        if d.kind not in DECIDED
    }
    threads = tx.warnings.threads(risk.id)
    drafted = set()
    for line in analysis.responsibility.duties:
        key = (line.kind, line.party.organisation_code, line.task)
        drafted.add(key)
        warned = None
        thread = threads.get(line.party.jurisdiction_code or "")
        if thread is not None and thread.current.status not in CLOSED_STATES:
            warned = thread.current.ack_deadline  # the warning's deadline is the duty's
        current = existing.get(key)
        if current is None:
            added = tx.duties.add(
                DutyRecord(
                    id=None,
                    risk_id=risk.id,
                    region_code=risk.region_code,
                    kind=line.kind,
                    role=line.party.role,
                    organisation_code=line.party.organisation_code,
                    jurisdiction_code=line.party.jurisdiction_code,
                    deadline=warned or line.deadline,
                    status=DutyStatus.OPEN,
                    assigned_at=now,
                    task=line.task,
                    title=line.title,
                    title_en=line.title_en,
                    source=source,
                )
            )
            record(tx, actor, "duty.assigned", added, now=now)
        elif current.status is DutyStatus.CANCELLED:
            reopened = tx.duties.save(
                replace(
                    current,
                    status=DutyStatus.OPEN,
                    deadline=warned or line.deadline,
                    role=line.party.role,
                    reason=None,
                    reminded_at=None,
                    title=line.title,
                    title_en=line.title_en,
                )
            )
            record(tx, actor, "duty.assigned", reopened, now=now)
        elif current.status is DutyStatus.OPEN:
            deadline = next_deadline(current, line.deadline, warned=warned)
            if deadline != current.deadline or current.role is not line.party.role:
                moved = tx.duties.save(
                    replace(current, deadline=deadline, role=line.party.role, reminded_at=None)
                )
                record(
                    tx,
                    actor,
                    "duty.rescheduled",
                    moved,
                    now=now,
                    extra={"from": current.deadline.isoformat()},
                )
    for key, duty in existing.items():
        if key not in drafted and duty.status is DutyStatus.OPEN:
            cancel(tx, actor, duty, reason="no longer in the responsibility list", now=now)
    return tx.duties.of_risk(risk.id)


def follow_warning(
    tx: Transaction, actor: Actor, message: WarningMessage, *, now: datetime
) -> DutyRecord | None:
    """A warning issued by hand moves the recipient's open duty to its deadline (open tx)."""
    duty = tx.duties.find(
        message.warning.risk_id,
        DutyKind.PREPARE_AND_ACKNOWLEDGE,
        message.recipient_organisation,
        for_update=True,
    )
    if duty is None or duty.status is not DutyStatus.OPEN:
        return duty
    deadline = message.warning.ack_deadline
    if deadline == duty.deadline:
        return duty
    moved = tx.duties.save(replace(duty, deadline=deadline, reminded_at=None))
    record(tx, actor, "duty.rescheduled", moved, now=now, extra={"from": duty.deadline.isoformat()})
    return moved


def follow_closing(tx: Transaction, actor: Actor, risk: Risk, *, now: datetime) -> None:
    """A closed risk owes nothing more: cancel its open duties (in the open tx), but not
    what a meeting decided, which its owner still carries out."""
    assert risk.id is not None
    if risk.status is not RiskStatus.CLOSED:
        return
    for duty in tx.duties.of_risk(risk.id):
        if duty.status is DutyStatus.OPEN and duty.kind not in DECIDED:
            cancel(tx, actor, duty, reason="风险已关闭 / the risk was closed", now=now)


def complete(
    tx: Transaction,
    actor: Actor,
    *,
    risk_id: int,
    kind: DutyKind,
    organisation_code: str | None = None,
    task: str | None = None,
    via: str,
    now: datetime,
) -> DutyRecord | None:
    """Mark done the open duty an action fulfils, in that action's transaction.

    None when there is no such open duty (it was done, waived or never drafted): the
    action stands on its own, and a duty is never done twice.
    """
    for duty in tx.duties.of_risk(risk_id, for_update=True):
        if duty.kind is not kind or duty.status is not DutyStatus.OPEN:
            continue
        if organisation_code is not None and duty.organisation_code != organisation_code:
            continue
        if task is not None and duty.task != task:
            continue
        return complete_duty(tx, actor, duty, via=via, now=now)
    return None


def assign(tx: Transaction, actor: Actor, duty: DutyRecord, *, now: datetime) -> DutyRecord:
    """Add one duty drawn by a source other than an analysis (in the open tx), journaled.

    Meetings' action items and the annual plan's items come this way: titled lines, with
    or without a risk, that reminders and "My duties" then treat like any other.
    """
    checked = check_titled(duty)
    added = tx.duties.add(replace(checked, status=DutyStatus.OPEN, assigned_at=now))
    record(tx, actor, "duty.assigned", added, now=now)
    return added


def acknowledge_duty(
    uow: UnitOfWork, actor: Actor, duty_id: int, *, note: str = "", now: datetime
) -> DutyRecord:
    """A domain office confirms it follows the risk, or the central office that it commands."""
    note = check_note(note)
    with uow as tx:
        duty = tx.duties.get(duty_id, for_update=True)
        require_read_region(actor, duty.region_code)
        if duty.kind not in SELF_ACKNOWLEDGED:
            raise InvalidInput(
                f"duty {duty_id} ({duty.kind}) is done by its own action, not acknowledged",
                key="duty-not-self-acknowledged",
                params={"duty": duty_id, "kind": duty.kind.value},
            )
        _require_party(actor, duty)
        done = complete_duty(
            tx, actor, duty, via="duty.acknowledged", now=now, extra={"note": note}
        )
        if done.source.startswith(annual_follow.SOURCE_PREFIX):
            annual_follow.follow_duty_done(tx, actor, done, now=now)  # the annual item is done too
        tx.commit()
    return done


def waive_duty(
    uow: UnitOfWork, actor: Actor, duty_id: int, *, reason: str, now: datetime
) -> DutyRecord:
    """The coordination body releases a party from an open duty, saying why."""
    with uow as tx:
        duty = tx.duties.get(duty_id, for_update=True)
        require_read_region(actor, duty.region_code)
        if not can_waive_duty(actor, duty.region_code):
            raise NotPermitted(
                f"only the coordination body of {duty.region_code} may waive a duty",
                key="duty-waive-not-permitted",
                params={"region": duty.region_code},
            )
        waived = tx.duties.save(duty.waive(by=actor.username, reason=reason, now=now))
        record(tx, actor, "duty.waived", waived, now=now, extra={"reason": waived.reason})
        tx.commit()
    return waived


def file_report(
    uow: UnitOfWork,
    actor: Actor,
    risk_id: int,
    *,
    text: str,
    figures: Mapping[str, float] | None = None,
    now: datetime,
) -> DutyRecord | None:
    """An origin city reports on its risk (情况报告); the first report is its duty done.

    Returns the duty it completed, or None for a later report.
    """
    text = check_text("text", text, limit=REPORT_MAX)
    checked = _figures(figures or {})
    with uow as tx:
        risk = tx.risks.get(risk_id, for_update=True)
        require_read_region(actor, risk.region_code)
        if not can_report_on_risk(actor, origin_codes=risk.origin_codes):
            raise NotPermitted(
                f"only an officer of an origin city of risk {risk_id} may report on it",
                key="report-not-origin",
                params={"risk": risk_id},
            )
        if risk.status is RiskStatus.CLOSED:
            raise Conflict(
                f"risk {risk_id} is closed", key="report-risk-closed", params={"risk": risk_id}
            )
        tx.record(
            actor,
            "risk.reported",
            subject=f"risk:{risk_id}",
            payload={
                "risk_id": risk_id,
                "region": risk.region_code,
                "organisation": actor.organisation.code,
                "text": text,
                "figures": checked,
            },
            region_code=risk.region_code,
            now=now,
        )
        done = complete(
            tx,
            actor,
            risk_id=risk_id,
            kind=DutyKind.HANDLE_AND_REPORT,
            organisation_code=actor.organisation.code,
            via="risk.reported",
            now=now,
        )
        tx.commit()
    return done


def duties_for(
    uow: UnitOfWork, actor: Actor, *, status: str | None = None, now: datetime
) -> list[DutyRecord]:
    """'My duties': the organisation's own; the coordination body sees all of its region."""
    wanted = _parse_status(status)
    with uow.read_only() as tx:
        if actor.kind is OrganisationKind.COORDINATION_BODY:
            found = tx.duties.listed(region_codes=actor.region_codes)
        else:
            found = tx.duties.listed(organisation_code=actor.organisation.code)
    return [d for d in found if wanted is None or d.shown(now) in wanted]


def duties_of_risk(uow: UnitOfWork, actor: Actor, risk_id: int) -> list[DutyRecord]:
    """Every duty of one risk, as its page shows them."""
    with uow.read_only() as tx:
        risk = tx.risks.get(risk_id)
        require_read_region(actor, risk.region_code)
        return tx.duties.of_risk(risk_id)


def record(
    tx: Transaction,
    actor: Actor,
    action: str,
    duty: DutyRecord,
    *,
    now: datetime,
    extra: Mapping[str, Any] | None = None,
) -> None:
    """Journal a duty's change; the live event carries the same facts."""
    shown = duty.shown(now)
    payload: dict[str, Any] = {
        "duty": duty.id,
        "risk_id": duty.risk_id,
        "region": duty.region_code,
        "kind": duty.kind.value,
        "organisation": duty.organisation_code,
        "jurisdiction": duty.jurisdiction_code,
        "deadline": duty.deadline.isoformat(),
        "status": shown.value,
        **naming(duty),
        **(extra or {}),
    }
    tx.record(
        actor,
        action,
        subject=f"duty:{duty.id}",
        payload=payload,
        region_code=duty.region_code,
        now=now,
    )


def naming(duty: DutyRecord) -> dict[str, str]:
    """What a titled line adds to its journal entries and documents."""
    if not (duty.task or duty.title or duty.source):
        return {}
    named = {"task": duty.task, "title": duty.title or "", "source": duty.source}
    if duty.title_en:
        named["title_en"] = duty.title_en
    return named


def complete_duty(
    tx: Transaction,
    actor: Actor,
    duty: DutyRecord,
    *,
    via: str,
    now: datetime,
    extra: Mapping[str, Any] | None = None,
) -> DutyRecord:
    """Mark one open duty done by the action `via` (in the open tx), journaled."""
    done = tx.duties.save(duty.complete(by=actor.username, via=via, now=now))
    late = done.minutes_late()
    record(
        tx,
        actor,
        "duty.done",
        done,
        now=now,
        extra={
            "via": via,
            "done_at": now.isoformat(),
            "late": late > 0,
            "minutes_late": round(late, 1),
            **(extra or {}),
        },
    )
    return done


def cancel(tx: Transaction, actor: Actor, duty: DutyRecord, *, reason: str, now: datetime) -> None:
    """Cancel an open duty its source no longer owes (in the open tx), saying why."""
    cancelled = tx.duties.save(replace(duty, status=DutyStatus.CANCELLED, reason=reason))
    record(tx, actor, "duty.cancelled", cancelled, now=now, extra={"reason": reason})


def _require_party(actor: Actor, duty: DutyRecord) -> None:
    if not can_acknowledge(actor, duty.organisation_code):
        raise NotPermitted(
            f"only an officer of {duty.organisation_code} may acknowledge duty {duty.id}",
            key="duty-not-party",
            params={"organisation": duty.organisation_code},
        )


def _parse_status(status: str | None) -> frozenset[ShownStatus] | None:
    if status is None or status == "":
        return None
    if status == ShownStatus.OPEN.value:
        return OWED
    try:
        return frozenset({ShownStatus(status)})
    except ValueError:
        known = ", ".join(s.value for s in ShownStatus)
        raise InvalidInput(
            f"status {status!r} is not one of {known}",
            key="duty-status-unknown",
            params={"status": status},
        ) from None


def _figures(figures: Mapping[str, float]) -> dict[str, float]:
    if len(figures) > FIGURES_MAX:
        raise InvalidInput(f"a report carries at most {FIGURES_MAX} figures")
    checked: dict[str, float] = {}
    for name, value in figures.items():
        label = str(name).strip()
        if not label or len(label) > FIGURE_NAME_MAX:
            raise InvalidInput(
                f"a figure's name must have 1 to {FIGURE_NAME_MAX} characters",
                key="report-figure-invalid",
                params={"figure": label[:FIGURE_NAME_MAX]},
            )
        number = float(value)
        if not math.isfinite(number):
            raise InvalidInput(
                f"figure {label!r} must be a finite number",
                key="report-figure-invalid",
                params={"figure": label},
            )
        checked[label] = number
    return checked
