"""The notice a party receives when an accountability case is opened against it.

Queued in the transaction that opens the case, to every channel of the party, as a duty
reminder is: the party learns of the case, its finding and its right to a statement
without having to look. A drill's cases tell no one outside the platform.
"""

from __future__ import annotations

import json
from datetime import datetime

from crossrisk.domain.accountability.case import Case
from crossrisk.domain.accountability.findings import FindingKind
from crossrisk.domain.delivery import CASE_MESSAGE_PREFIX, Envelope, Purpose
from crossrisk.locale import EN, N_, ZH_CN, say
from crossrisk.services import delivery
from crossrisk.store.uow import Transaction

# The name of each finding, for the notice and the pages (web/shared/case_labels).
KIND_NAMES = {
    FindingKind.DUTY_LATE: N_("Duty done late"),
    FindingKind.DUTY_NOT_DONE: N_("Duty never done"),
    FindingKind.WARNING_LATE: N_("Warning acknowledged late"),
    FindingKind.WARNING_UNACKNOWLEDGED: N_("Warning never acknowledged"),
    FindingKind.AID_UNANSWERED: N_("Aid request left unanswered"),
    FindingKind.COMMITMENT_BROKEN: N_("Commitment broken"),
    FindingKind.REPORT_CORRECTED: N_("Report corrected beyond the tolerance"),
}


def message_id(case_id: int) -> str:
    """The outbox's id of a case's notice: its delivery status is read by it."""
    return f"{CASE_MESSAGE_PREFIX}{case_id}"


def queue_case_notice(tx: Transaction, case: Case, *, now: datetime) -> int:
    """Queue the notice of a new case to the party's channels; returns how many (none for
    a drill's case)."""
    assert case.id is not None
    if case.drill_id is not None:
        return 0
    party = tx.organisations.get(case.party)
    subject, body = notice_text(case)
    document = {
        "type": "crossrisk.case_opened",
        "case": case.id,
        "region": case.region_code,
        "risk_id": case.risk_id,
        "kind": case.kind.value,
        "party": case.party,
        "facts": dict(case.facts),
        "evidence": list(case.evidence),
        "procedure": case.procedure.as_dict(),
        "opened_at": case.opened_at.isoformat(),
    }
    return delivery.enqueue(
        tx,
        Envelope(
            warning_id=message_id(case.id),
            purpose=Purpose.CASE_OPENED,
            region_code=case.region_code,
            jurisdiction_code=party.jurisdiction_code or "",
            subject=subject,
            body=body,
            cap_xml=json.dumps(document, ensure_ascii=False, sort_keys=True).encode("utf-8"),
            ack_url=None,
        ),
        organisation_code=party.code,
        now=now,
    )


def notice_text(case: Case) -> tuple[str, str]:
    """The notice's subject line and body, Chinese first, then English."""
    subjects, paragraphs = [], []
    for locale in (ZH_CN, EN):
        params: dict[str, object] = {
            "id": case.id,
            "kind": say(locale, KIND_NAMES[case.kind]),
            "risk": case.risk_id if case.risk_id is not None else "—",
            "days": case.procedure.statement_days,
        }
        subjects.append(say(locale, N_("Accountability case %(id)s: %(kind)s"), params))
        paragraphs.append(
            "\n".join(
                [
                    say(
                        locale,
                        N_(
                            "Accountability case %(id)s has been opened on risk %(risk)s: "
                            "%(kind)s. Its evidence is in the journal."
                        ),
                        params,
                    ),
                    say(
                        locale,
                        N_(
                            "Once the committee has reviewed it, you may file a statement "
                            "within %(days)s days; nothing is decided before."
                        ),
                        params,
                    ),
                ]
            )
        )
    return " / ".join(subjects), "\n\n".join(paragraphs)
