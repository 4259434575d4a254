"""Every figure recomputed from the journal alone, and compared with what the platform shows
(issue 15, "Recomputation"; DESIGN §3.10).

Two readings of the same figures, by the same rules:

- the platform's: the metrics, cases, settlement statements and trust scores as its pages
  show them, computed from its tables;
- the journal's: the entries folded back into duties, warning messages, commitments,
  shipments, cost lines, statements, cases and verdicts (crossrisk.domain.recompute), and
  the figures computed from those. Only configuration is read besides: the organisations,
  the regions' members and census populations, and the policy tables.

A figure is named ("trust yrd ema-330100 score", "settlement 3 transfers") and holds a
JSON value; floats are rounded to nine places, so the two readings compare exactly.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from hashlib import sha256
from typing import Any

from crossrisk.domain.compensation.ledger import FundMovement, settlement_rule
from crossrisk.domain.compensation.settlement import Settlement, Transfer
from crossrisk.domain.compensation.statement import Drawn, draw_up
from crossrisk.domain.compensation.water_quality import water_quality_rule, water_quality_settlement
from crossrisk.domain.errors import CrossriskError
from crossrisk.domain.evaluation.metrics import Metric, registered_at
from crossrisk.domain.evaluation.metrics import risk_metrics as compute_metrics
from crossrisk.domain.recompute.projection import JournaledStatement, Record, project
from crossrisk.domain.responsibility import DutyKind
from crossrisk.domain.trust.reputation import Reputation
from crossrisk.services import fund, trust, trust_evidence
from crossrisk.services.evaluation import OWN_PREFIX, aid_facts, metrics_of_risks
from crossrisk.services.settlements import populations_of, statement_figures
from crossrisk.store.recomputed import write_figures
from crossrisk.store.uow import Transaction, UnitOfWork

ALL = 1_000_000  # every row of a table no real deployment outgrows
PLACES = 9

Figures = dict[str, Any]


@dataclass(frozen=True, slots=True)
class Difference:
    """One figure the two readings disagree on (None: the reading has no such figure)."""

    name: str
    platform: Any
    journal: Any


@dataclass(frozen=True, slots=True)
class Check:
    """Both readings at one moment of the record, and where they disagree."""

    journal_head: tuple[int, str]  # the last entry read: its seq and hash
    platform: Figures
    journal: Figures

    @property
    def differences(self) -> list[Difference]:
        """Every figure that is not the same in both readings, by name."""
        return [
            Difference(name, self.platform.get(name), self.journal.get(name))
            for name in sorted(self.platform.keys() | self.journal.keys())
            if self.platform.get(name) != self.journal.get(name)
        ]


def check(uow: UnitOfWork, *, now: datetime) -> Check:
    """Both readings in one transaction, so no change falls between them."""
    with uow.read_only() as tx:
        return Check(
            tx.journal.head_record(),
            platform_figures(tx, now=now),
            journal_figures(tx, now=now),
        )


def rebuild_into(uow: UnitOfWork, url: str, *, now: datetime) -> tuple[int, tuple[int, str]]:
    """Recompute every figure from the journal into the fresh database at `url`; how many
    figures, and the journal head they were read up to."""
    with uow.read_only() as tx:
        head = tx.journal.head_record()
        found = journal_figures(tx, now=now)
    return write_figures(url, found, computed_at=now, journal_head=head), head


def platform_figures(tx: Transaction, *, now: datetime) -> Figures:
    """The figures as the platform shows them, from its tables, at `now`."""
    figures: Figures = {}
    risk_ids = _risks(tx)
    for risk_id in risk_ids:
        _add_metrics(figures, f"risk:{risk_id}", metrics_of_risks(tx, [risk_id], now=now))
    for drill_id, ids in _drills(tx).items():
        _add_metrics(figures, f"drill:{drill_id}", metrics_of_risks(tx, ids, now=now))
    for case in tx.cases.listed(region_codes=None, limit=ALL):
        figures[f"case {case.id}"] = _case(
            case.party,
            case.kind.value,
            case.key,
            case.state.value,
            case.outcome.value if case.outcome else None,
            case.risk_id,
            case.duty_id,
            case.evidence,
        )
    period_statements = [
        statement
        for agreement in tx.agreements.listed(region_codes=None, limit=ALL)
        for statement in tx.compensation.statements_of_agreement(agreement.id or 0)
    ]
    statements = [
        *(s for risk_id in risk_ids for s in tx.compensation.statements_of(risk_id)),
        *period_statements,
    ]
    for statement in statements:
        figures[f"settlement {statement.id}"] = _statement(
            statement.rule.value,
            statement.state.value,
            statement.transfers,
            statement.due_fen,
            statement.borne_fen,
        )
    lines = [line.id or 0 for risk_id in risk_ids for line in tx.compensation.costs_of(risk_id)]
    for line_id, files in tx.compensation.evidence_of(lines).items():
        if files:
            # The bytes' own hash: a file changed in the table shows, not only its record.
            figures[f"cost {line_id} evidence"] = [
                [
                    f.file_name,
                    sha256(tx.compensation.evidence_file(line_id, f.id or 0)[1]).hexdigest(),
                ]
                for f in files
            ]
    for statement in statements:
        figures[f"settlement {statement.id} in kind"] = _delivered(
            (d.provider, d.recipient, d.value_fen)
            for d in tx.compensation.deliveries_of(statement.id or 0)
        )
    for region in tx.regions.all():
        figures[f"fund {region.code}"] = _fund(region.code, tx.compensation.movements(region.code))
        items, found, _policy = trust.region_reports(tx, region.code, now=now)
        _add_trust(figures, region.code, items, found)
    return figures


def journal_figures(tx: Transaction, *, now: datetime) -> Figures:
    """The same figures from the journal alone (and the configuration), at `now`."""
    record = project(tx.journal.entries())
    organisations = tx.organisations.all()
    donors = {o.jurisdiction_code: o.code for o in organisations if o.jurisdiction_code}
    region_of_organisation = {o.code: o.region_code for o in organisations}
    drills: dict[int, list[int]] = {}
    for risk_id, risk in sorted(record.risks.items()):
        if risk.get("drill") is not None:
            drills.setdefault(int(risk["drill"]), []).append(risk_id)
    agreement_regions = {
        agreement: region_of_organisation.get(organisation)
        for agreement, organisation in record.agreement_drafters.items()
    }
    figures: Figures = {}
    for risk_id in sorted(record.risks):
        metrics = _journal_metrics(record, [risk_id], donors, agreement_regions, now=now)
        _add_metrics(figures, f"risk:{risk_id}", metrics)
    for drill_id, ids in drills.items():
        metrics = _journal_metrics(record, ids, donors, agreement_regions, now=now)
        _add_metrics(figures, f"drill:{drill_id}", metrics)
    for case in record.cases.values():
        figures[f"case {case.id}"] = _case(
            case.party,
            case.kind,
            case.key,
            case.state,
            case.outcome,
            case.risk_id,
            case.duty_id,
            case.evidence,
        )
    for line_id, files in record.evidence.items():
        figures[f"cost {line_id} evidence"] = [list(f) for f in files]
    for statement in record.statements.values():
        figures[f"settlement {statement.id}"] = _redrawn(tx, statement)
        figures[f"settlement {statement.id} in kind"] = _delivered(
            record.deliveries.get(statement.id, [])
        )
    for region in tx.regions.all():
        figures[f"fund {region.code}"] = _fund(
            region.code, record.fund_movements.get(region.code, [])
        )
        items = trust_evidence.evidence_of(_trust_records(tx, record, region.code), now=now)
        _items, found, _policy = trust.reports_of(region.code, items)
        _add_trust(figures, region.code, items, found)
    return figures


def _risks(tx: Transaction) -> list[int]:
    """Every risk, real and of drills, by id."""
    real = [r.id or 0 for r in tx.risks.list(region_codes=None, limit=ALL)]
    return sorted(real + [r for ids in _drills(tx).values() for r in ids])


def _drills(tx: Transaction) -> dict[int, list[int]]:
    return {
        drill.id or 0: sorted(
            r.id or 0 for r in tx.risks.list(region_codes=None, drill_id=drill.id, limit=ALL)
        )
        for drill in tx.drills.list(region_codes=None, limit=ALL)
    }


def _journal_metrics(
    record: Record,
    risk_ids: Sequence[int],
    donors: Mapping[str, str],
    agreement_regions: Mapping[int, str | None],
    *,
    now: datetime,
) -> list[Metric]:
    seen = {
        e.seq: e
        for risk_id in risk_ids
        for e in record.by_risk.get(risk_id, [])
        if not e.action.startswith(OWN_PREFIX)
    }
    entries = [seen[seq] for seq in sorted(seen)]
    start = registered_at(entries) or now
    regions = {record.risks[r].get("region") for r in risk_ids if r in record.risks}
    obligations = [
        e
        for e in record.obligation_checks
        if agreement_regions.get(int(e.subject.partition(":")[2])) in regions
        and start <= e.at <= now
    ]
    wanted = set(risk_ids)
    requests = {rid for rid, r in record.requests.items() if r.get("risk_id") in wanted}
    commitments = [c for c in record.commitments.values() if c.request_id in requests]
    return compute_metrics(
        entries,
        obligations=obligations,
        aid=aid_facts(commitments, _shipments_of(record, commitments), donors, now=now),
        now=now,
    )


def _trust_records(
    tx: Transaction, record: Record, region_code: str
) -> trust_evidence.TrustRecords:
    """The region's trust records as the journal tells them, drills' among them."""
    members = {j.code for j in tx.regions.members(region_code)}

    def in_region(request: Mapping[str, Any]) -> bool:
        risk_id = request.get("risk_id")
        if risk_id is not None:
            return record.risks.get(risk_id, {}).get("region") == region_code
        return request.get("jurisdiction") in members

    requests = {rid: r for rid, r in record.requests.items() if in_region(r)}
    commitments = [c for c in record.commitments.values() if c.request_id in requests]
    duties = sorted(
        (
            d
            for d in record.duties.values()
            if d.region_code == region_code and d.kind != DutyKind.PREPARE_AND_ACKNOWLEDGE
        ),
        key=lambda d: (d.deadline, d.id),
    )
    threads = [
        thread
        for thread in record.thread_messages()
        if thread[0].warning.region_code == region_code
    ]
    return trust_evidence.TrustRecords(
        organisation_of=trust_evidence.organisations_by_jurisdiction(tx),
        risk_of_request={rid: r.get("risk_id") for rid, r in requests.items()},
        drill_of={
            risk_id: int(risk["drill"])
            for risk_id, risk in record.risks.items()
            if risk.get("drill") is not None
        },
        commitments=commitments,
        shipments=_shipments_of(record, commitments),
        duties=duties,
        threads=threads,
        history=record.by_subject,
        supervisions=[s for s in record.supervisions if s.region_code == region_code],
        ratings=[r for r in record.ratings if r.region_code == region_code],
    )


def _shipments_of(record: Record, commitments: Iterable[Any]) -> dict[int, list[Any]]:
    ids = {c.id for c in commitments}
    sent: dict[int, list[Any]] = {}
    for shipment in sorted(record.shipments.values(), key=lambda s: s.id or 0):
        if shipment.commitment_id in ids:
            sent.setdefault(shipment.commitment_id, []).append(shipment)
    return sent


def _redrawn(tx: Transaction, statement: JournaledStatement) -> dict[str, Any]:
    """A statement drawn up again from what the journal held when it was proposed, under
    the rule and terms it names; its state as its entries left it."""
    try:
        if statement.risk_id is None:
            settled = _water_quality_again(statement.inputs)
            borne: Mapping[str, int] = {}
        else:
            drawn = _ledger_again(tx, statement)
            settled, borne = drawn.settlement, drawn.borne_fen
    except CrossriskError as error:
        return {"error": str(error), "state": statement.state}
    return _statement(statement.rule, statement.state, settled.transfers, settled.due_fen, borne)


def _ledger_again(tx: Transaction, statement: JournaledStatement) -> Drawn:
    """A risk's statement from its ledger and estimates at the time it was proposed."""
    inputs = statement.inputs
    parties = sorted({line.party for line in statement.lines if line.active})
    return draw_up(
        settlement_rule(statement.rule),
        statement.lines,
        statement_figures(
            statement.risk_id or 0,
            populations=populations_of(tx, parties),
            loss_avoided_fen=statement.loss_avoided_fen,
            order=list(inputs.get("order", [])),
            terms=dict(inputs.get("terms", {})),
        ),
    )


def _water_quality_again(inputs: Mapping[str, Any]) -> Settlement:
    """A border section's statement from the means and terms it was drawn up with."""
    rule = water_quality_rule(
        agreement=str(inputs.get("agreement_code") or "journal"),
        round=str(inputs["round"]),
        upstream=str(inputs["upstream"]),
        downstream=str(inputs["downstream"]),
        stability_coefficient=inputs["k0"],
        weights=dict(inputs["weights"]),
        baselines_mg_l=dict(inputs["baselines_mg_l"]),
        amount_fen=int(inputs["amount_fen"]),
    )
    return water_quality_settlement(rule, dict(inputs["concentrations_mg_l"])).settlement


def _delivered(deliveries: Iterable[tuple[str, str, int]]) -> list[list[Any]]:
    return [list(delivery) for delivery in deliveries]


def _fund(region_code: str, movements: Sequence[FundMovement]) -> dict[str, Any]:
    """The fund's book: each movement, and the balance its rule gives (or why it cannot)."""
    try:
        balance: int | str = fund.statement_of_movements(region_code, movements).balance_fen
    except CrossriskError as error:
        balance = str(error)
    return {
        "balance_fen": balance,
        "movements": [
            [m.kind.value, m.party, m.amount_fen, m.case_id, m.settlement_id] for m in movements
        ],
    }


def _add_metrics(figures: Figures, scope: str, metrics: Sequence[Metric]) -> None:
    for metric in metrics:
        name = " ".join(
            part for part in ("metric", scope, metric.name, metric.party, metric.detail) if part
        )
        figures[name] = _number(metric.value)


def _add_trust(
    figures: Figures,
    region: str,
    items: Sequence[trust_evidence.EvidenceItem],
    found: Mapping[str, Reputation],
) -> None:
    for code, reputation in sorted(found.items()):
        last = reputation.overall[-1] if reputation.overall else None
        figures[f"trust {region} {code} score"] = _number(reputation.score)
        figures[f"trust {region} {code} r"] = _number(last.r if last else 0.0)
        figures[f"trust {region} {code} s"] = _number(last.s if last else 0.0)
        for aspect, points in sorted(reputation.by_aspect.items()):
            figures[f"trust {region} {code} {aspect.value}"] = _number(
                points[-1].score if points else None
            )
        figures[f"trust {region} {code} evidence"] = sorted(
            f"{i.source} {i.evidence.kind.value}" for i in items if i.evidence.subject == code
        )


def _case(
    party: str,
    kind: str,
    key: str,
    state: str,
    outcome: str | None,
    risk_id: int | None,
    duty_id: int | None,
    evidence: Sequence[int],
) -> dict[str, Any]:
    return {
        "party": party,
        "kind": kind,
        "key": key,
        "state": state,
        "outcome": outcome,
        "risk": risk_id,
        "duty": duty_id,
        "evidence": list(evidence),
    }


def _statement(
    rule: str,
    state: str,
    transfers: Iterable[Transfer],
    due_fen: Mapping[str, int],
    borne_fen: Mapping[str, int],
) -> dict[str, Any]:
    return {
        "rule": rule,
        "state": state,
        "transfers": [
            {"payer": t.payer, "payee": t.payee, "amount_fen": t.amount_fen, "form": t.form.value}
            for t in transfers
        ],
        "due_fen": dict(sorted(due_fen.items())),
        "borne_fen": dict(sorted(borne_fen.items())),
    }


def _number(value: float | None) -> float | None:
    return None if value is None else round(float(value), PLACES)
