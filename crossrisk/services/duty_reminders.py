"""Reminding open duties before they fall due, to each organisation's channels.

A response duty is reminded once, like an unacknowledged warning; follow-up work (a
corrective action, a meeting's decision, an annual item) days before it falls due and again
each day it stays open past its deadline (domain/duty.next_reminder). The text names the
duty in Chinese then English (a titled line by its own title) and says when it is overdue;
a JSON document carries the facts for systems that read the channel.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import datetime

from crossrisk.alerts.texts import when as local_when
from crossrisk.domain.delivery import DUTY_MESSAGE_PREFIX, Envelope, Purpose
from crossrisk.domain.duty import FOLLOW_UP_KINDS, DutyRecord, next_reminder
from crossrisk.domain.organisation import system_actor
from crossrisk.domain.responsibility import DutyKind
from crossrisk.locale import EN, N_, ZH_CN, say
from crossrisk.services import delivery
from crossrisk.services.duties import naming, record
from crossrisk.services.policy_tables import duty_reminder_policy
from crossrisk.store.uow import Transaction, UnitOfWork

REMINDER_ACTOR = "deadlines"


def send_reminders(uow: UnitOfWork, *, now: datetime, drill_id: int | None = None) -> int:
    """Remind each open duty whose reminder is due to its organisation's channels.

    Safe in several processes at once: the reminder is claimed by a conditional update on
    the time of the last one, and only the process whose update took effect journals and
    queues it. Real duties, or one drill's (`drill_id`), reminded in the platform only (a
    drill sends nothing out).
    """
    actor = system_actor(REMINDER_ACTOR)
    policy = duty_reminder_policy()
    reminded = 0
    with uow as tx:
        for duty in tx.duties.open_to_remind(again=FOLLOW_UP_KINDS, drill_id=drill_id):
            due = next_reminder(duty, policy)
            if due is None or due > now:
                continue
            if tx.duties.mark_reminded(duty.id or 0, now, last=duty.reminded_at):
                overdue = now >= duty.deadline
                extra = {"overdue": overdue, "again": duty.reminded_at is not None}
                record(tx, actor, "duty.reminded", duty, now=now, extra=extra)
                if drill_id is None:
                    _queue_reminder(tx, duty, overdue=overdue, now=now)
                reminded += 1
        tx.commit()
    return reminded


def _queue_reminder(tx: Transaction, duty: DutyRecord, *, overdue: bool, now: datetime) -> None:
    """The reminder as a JSON document and a two-language text, to every channel."""
    geo = tx.regions.geo(duty.region_code)
    risk_title = None if duty.risk_id is None else tx.risks.get(duty.risk_id).title
    subject, body = _reminder_text(duty, risk_title=risk_title, names=geo.names, overdue=overdue)
    document = {
        "type": "crossrisk.duty_reminder",
        "overdue": overdue,
        "duty": duty.id,
        "risk_id": duty.risk_id,
        "region": duty.region_code,
        "kind": duty.kind.value,
        "organisation": duty.organisation_code,
        "jurisdiction": duty.jurisdiction_code,
        "deadline": duty.deadline.isoformat(),
        **naming(duty),
    }
    delivery.enqueue(
        tx,
        Envelope(
            warning_id=f"{DUTY_MESSAGE_PREFIX}{duty.id}",
            purpose=Purpose.DUTY_REMINDER,
            region_code=duty.region_code,
            jurisdiction_code=duty.jurisdiction_code or "",
            subject=subject,
            body=body,
            cap_xml=json.dumps(document, ensure_ascii=False, sort_keys=True).encode("utf-8"),
            ack_url=None,
        ),
        organisation_code=duty.organisation_code,
        now=now,
    )


# The duty's name in each language: the catalogs carry the page labels of these kinds.
DUTY_NAMES = {
    DutyKind.HANDLE_AND_REPORT: N_("Handle first and report"),
    DutyKind.PREPARE_AND_ACKNOWLEDGE: N_("Prepare and acknowledge"),
    DutyKind.CONVENE: N_("Convene and coordinate"),
    DutyKind.FOLLOW_UP: N_("Follow up in its field"),
    DutyKind.TAKE_COMMAND: N_("Take command"),
    DutyKind.TASK: N_("Plan task"),
    DutyKind.ACTION: N_("Meeting action item"),
    DutyKind.ITEM: N_("Annual plan item"),
}


def duty_name(duty: DutyRecord, locale: str) -> str:
    """What the duty is called in a language: its own title, or its kind's name."""
    if duty.title:
        return duty.title_en if locale == EN and duty.title_en else duty.title
    return say(locale, DUTY_NAMES[duty.kind], {})


def _reminder_text(
    duty: DutyRecord,
    *,
    risk_title: str | None,
    names: Mapping[str, tuple[str, str]],
    overdue: bool = False,
) -> tuple[str, str]:
    subjects, paragraphs = [], []
    for locale in (ZH_CN, EN):
        local: dict[str, object] = {
            "risk": duty.risk_id or 0,
            "title": risk_title or "",
            "duty": duty_name(duty, locale),
            "deadline": local_when(duty.deadline, locale),
        }
        if overdue and duty.risk_id is None:
            subjects.append(say(locale, N_("Duty overdue: %(duty)s"), local))
            text = N_('Your duty "%(duty)s" was due by %(deadline)s and is not yet done.')
        elif overdue:
            subjects.append(say(locale, N_("Duty overdue: %(duty)s, risk %(risk)s"), local))
            text = N_(
                'Your duty "%(duty)s" on risk %(risk)s (%(title)s) was due by %(deadline)s '
                "and is not yet done."
            )
        elif duty.risk_id is None:
            subjects.append(say(locale, N_("Duty due: %(duty)s"), local))
            text = N_('Your duty "%(duty)s" is due by %(deadline)s.')
        else:
            subjects.append(say(locale, N_("Duty due: %(duty)s, risk %(risk)s"), local))
            text = N_('Your duty "%(duty)s" on risk %(risk)s (%(title)s) is due by %(deadline)s.')
        lines = [say(locale, text, local)]
        if duty.jurisdiction_code is not None and duty.jurisdiction_code in names:
            zh, en = names[duty.jurisdiction_code]
            place = zh if locale == ZH_CN else en
            lines.append(say(locale, N_("For: %(place)s"), {"place": place}))
        paragraphs.append("\n".join(lines))
    return " / ".join(subjects), "\n\n".join(paragraphs)
