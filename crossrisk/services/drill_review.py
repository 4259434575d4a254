"""A drill's after-action review: its metrics from the record and the cases it opened.

The metrics are those of every risk's review (services/evaluation.py), computed over the
drill's risks taken as one activity; the cases are those the drill's record opened when its
risks closed (services/accountability.py), marked with the drill.
"""

from __future__ import annotations

from dataclasses import asdict
from datetime import datetime
from typing import Any

from crossrisk.domain.accountability.case import Case
from crossrisk.domain.drills.drill import Drill
from crossrisk.domain.evaluation.metrics import Metric
from crossrisk.services.evaluation import RISKS_MAX, metrics_of_risks
from crossrisk.store.uow import Transaction


def drill_metrics(tx: Transaction, drill: Drill, *, now: datetime) -> list[Metric]:
    """The metrics of the drill's risks as one activity (none before it registered one)."""
    assert drill.id is not None
    found = tx.risks.list(region_codes=None, drill_id=drill.id, limit=RISKS_MAX)
    ids = [risk.id for risk in found if risk.id is not None]
    return metrics_of_risks(tx, ids, now=now) if ids else []


def drill_cases(tx: Transaction, drill: Drill) -> list[Case]:
    """The accountability cases the drill opened, oldest first."""
    assert drill.id is not None
    return list(reversed(tx.cases.listed(region_codes=None, drill_id=drill.id)))


def drill_review(
    tx: Transaction, drill: Drill, *, now: datetime, cases: list[Case] | None = None
) -> dict[str, Any]:
    """The review as JSON: {"drill": …, "metrics": [{name, value, unit, definition, …}],
    "cases": [{id, kind, party, …}]}; `cases` narrows them to what a reader may read."""
    return review_json(
        drill,
        drill_metrics(tx, drill, now=now),
        drill_cases(tx, drill) if cases is None else cases,
    )


def review_json(drill: Drill, metrics: list[Metric], cases: list[Case]) -> dict[str, Any]:
    """The review's JSON from its parts."""
    return {
        "drill": drill.record(),
        "metrics": [asdict(metric) for metric in metrics],
        "cases": [case_facts(case) for case in cases],
    }


def case_facts(case: Case) -> dict[str, Any]:
    """A case as the review's JSON lists it."""
    return {
        "id": case.id,
        "kind": case.kind.value,
        "party": case.party,
        "risk_id": case.risk_id,
        "duty_id": case.duty_id,
        "state": case.state.value,
        "outcome": case.outcome.value if case.outcome else None,
        "opened_at": case.opened_at.isoformat(),
        "evidence": list(case.evidence),
    }
