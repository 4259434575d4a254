"""A drill's after-action review as JSON: the drill, its metrics and the cases it opened.

One function assembles it, so the shared evaluation (metrics from the journal) and the
accountability cases can take the place of the small figures computed here.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from crossrisk.domain.drills.drill import Drill
from crossrisk.store.uow import Transaction


def drill_review(tx: Transaction, drill: Drill, *, now: datetime) -> dict[str, Any]:
    """The review: {"drill": …, "metrics": [{name, value, unit, definition}], "cases": []}."""
    assert drill.id is not None
    found = tx.risks.list(region_codes=None, drill_id=drill.id)
    messages = [
        m
        for risk in found
        for recipient in {m.warning.recipient_code for m in tx.warnings.newest(risk_id=risk.id)}
        for m in tx.warnings.history(risk.id or 0, recipient)
        if m.msg_type.value == "Alert" and not m.warning.report
    ]
    acknowledged = [m for m in messages if m.acknowledged_at is not None]
    in_time = [
        m
        for m in acknowledged
        if m.acknowledged_at is not None and m.acknowledged_at <= m.warning.ack_deadline
    ]
    latencies = [
        (m.acknowledged_at - m.warning.issued_at).total_seconds() / 60
        for m in acknowledged
        if m.acknowledged_at is not None
    ]
    first_reports = []
    reports = 0
    for risk in found:
        entries = [e for e in tx.journal.about(f"risk:{risk.id}") if e.action == "risk.reported"]
        reports += len(entries)
        if entries:
            first_reports.append(
                (min(e.at for e in entries) - risk.created_at).total_seconds() / 60
            )
    metrics = [
        _metric("risks", len(found), "", "risks the drill registered"),
        _metric("warnings_issued", len(messages), "", "first warning messages (Alert) to cities"),
        _metric(
            "acknowledged_in_time_share",
            round(len(in_time) / len(messages), 3) if messages else None,
            "share",
            "warnings acknowledged by their acknowledgement deadline, of those issued",
        ),
        _metric(
            "acknowledgement_latency_max",
            round(max(latencies), 1) if latencies else None,
            "min",
            "longest time from a warning's issue to its acknowledgement",
        ),
        _metric("reports", reports, "", "reports (risk.reported) filed on the drill's risks"),
        _metric(
            "report_latency_first",
            round(min(first_reports), 1) if first_reports else None,
            "min",
            "time from a risk's registration to its first report",
        ),
    ]
    return {"drill": drill.record(), "metrics": metrics, "cases": []}


def _metric(name: str, value: float | int | None, unit: str, definition: str) -> dict[str, Any]:
    return {"name": name, "value": value, "unit": unit, "definition": definition}
