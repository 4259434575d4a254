"""Evaluation metrics of risks, computed from the journal (DESIGN §3.6).

The metrics are those of `domain/evaluation/metrics.py`; this module only gathers what
they read: the risks' journal entries, the region's agreement-obligation checks in the
period, and the commitments of the aid requests tied to the risks (whose outcome is a
rule over shipments, not a journal entry).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime

from crossrisk.domain.aid.commitment import Commitment, outcome
from crossrisk.domain.aid.shipment import Shipment, ShipmentState
from crossrisk.domain.errors import InvalidInput
from crossrisk.domain.evaluation.metrics import AidFact, Metric, registered_at
from crossrisk.domain.evaluation.metrics import risk_metrics as compute
from crossrisk.domain.journal import JournalEntry
from crossrisk.domain.journal_search import EXPORT_MAX, JournalQuery
from crossrisk.domain.moments import local_day
from crossrisk.domain.organisation import Actor
from crossrisk.domain.permissions.regions import require_read_region
from crossrisk.domain.risk import Risk
from crossrisk.store.uow import Transaction, UnitOfWork

RISKS_MAX = 50  # a drill's risks, and then some
# Entries about the review itself name the risk too; they are not part of its handling.
OWN_PREFIX = "review."
OBLIGATION_CHECKED = "agreement.obligation_"


def risk_entries(tx: Transaction, risk_ids: Sequence[int]) -> list[JournalEntry]:
    """The risks' histories merged, oldest first, each entry once, the review's own left out."""
    seen: dict[int, JournalEntry] = {}
    for risk_id in risk_ids:
        for entry in tx.journal.about_risk(risk_id, limit=EXPORT_MAX):
            if not entry.action.startswith(OWN_PREFIX):
                seen[entry.seq] = entry
    return [seen[seq] for seq in sorted(seen)]


def metrics_of_risks(tx: Transaction, risk_ids: Sequence[int], *, now: datetime) -> list[Metric]:
    """Every metric of several risks taken as one activity (a drill has several), in the
    open transaction; the caller has checked the actor may read them."""
    if not risk_ids or len(risk_ids) > RISKS_MAX:
        raise InvalidInput(
            f"metrics are computed for 1 to {RISKS_MAX} risks",
            key="evaluation-risks-count",
            params={"limit": RISKS_MAX},
        )
    risks = [tx.risks.get(risk_id) for risk_id in risk_ids]
    entries = risk_entries(tx, risk_ids)
    start = registered_at(entries) or min(r.created_at for r in risks)
    regions = {r.region_code for r in risks}
    return compute(
        entries,
        obligations=_obligation_checks(tx, regions, start=start, now=now),
        aid=_aid_facts(tx, risks, now=now),
        now=now,
    )


def risk_metrics(uow: UnitOfWork, actor: Actor, risk_id: int, *, now: datetime) -> list[Metric]:
    """One risk's metrics, for anyone who reads its region."""
    with uow.read_only() as tx:
        risk = tx.risks.get(risk_id)
        require_read_region(actor, risk.region_code)
        return metrics_of_risks(tx, [risk_id], now=now)


def _obligation_checks(
    tx: Transaction, regions: set[str], *, start: datetime, now: datetime
) -> list[JournalEntry]:
    """The obligation checks journaled for the regions' agreements from start to now."""
    agreements = {f"agreement:{a.id}" for a in tx.agreements.listed(region_codes=regions)}
    # A search's action matches exactly or, ending in "." or ":", as a prefix: the checks'
    # actions (agreement.obligation_kept, …) are found under "agreement." and picked here.
    query = JournalQuery(action="agreement.", since=local_day(start), until=local_day(now))
    found = tx.journal.search(query, region_codes=None, organisation="", limit=EXPORT_MAX)
    return sorted(
        (
            e
            for e in found
            if e.action.startswith(OBLIGATION_CHECKED)
            and e.subject in agreements
            and start <= e.at <= now
        ),
        key=lambda e: e.seq,
    )


def _aid_facts(tx: Transaction, risks: Sequence[Risk], *, now: datetime) -> list[AidFact]:
    regions = {r.region_code for r in risks}
    risk_ids = {r.id for r in risks}
    # A drill's requests are kept apart from the real ones: ask for each drill's own.
    requests = [
        request
        for drill_id in {r.drill_id for r in risks}
        for request in tx.aid_requests.find(region_codes=regions, drill_id=drill_id)
        if request.risk_id in risk_ids
    ]
    commitments = [c for r in requests for c in tx.commitments.of_request(r.id or 0)]
    shipments = tx.shipments.of_commitments([c.id or 0 for c in commitments])
    donors = {o.jurisdiction_code: o.code for o in tx.organisations.all() if o.jurisdiction_code}
    return aid_facts(commitments, shipments, donors, now=now)


def aid_facts(
    commitments: Sequence[Commitment],
    shipments: Mapping[int, Sequence[Shipment]],
    donors: Mapping[str, str],
    *,
    now: datetime,
) -> list[AidFact]:
    """What the aid metrics read of each commitment: its donor, what arrived, its outcome."""
    facts = []
    for commitment in commitments:
        sent = shipments.get(commitment.id or 0, [])
        facts.append(
            AidFact(
                donor=donors.get(commitment.donor_jurisdiction_code)
                or commitment.donor_jurisdiction_code,
                quantity=commitment.quantity,
                received=sum(
                    s.received_quantity or 0.0 for s in sent if s.state is ShipmentState.RECEIVED
                ),
                outcome=outcome(
                    quantity=commitment.quantity,
                    due=commitment.due,
                    cancelled_at=commitment.cancelled_at,
                    shipments=sent,
                    now=now,
                ).value,
            )
        )
    return facts
