"""Accountability cases as rows; the finding's key is unique, so a finding opens one case."""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from crossrisk.domain.accountability.case import Case, CaseOutcome, CaseState, Procedure
from crossrisk.domain.accountability.findings import FindingKind
from crossrisk.domain.errors import NotFound
from crossrisk.store.models import CaseRow

LIST_MAX = 500


class CaseRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def add(self, case: Case) -> Case:
        """Store a new case; returns it with its id."""
        row = CaseRow(
            region_code=case.region_code,
            risk_id=case.risk_id,
            drill_id=case.drill_id,
            kind=case.kind.value,
            party=case.party,
            duty_id=case.duty_id,
            finding_key=case.key,
            evidence=list(case.evidence),
            facts=dict(case.facts),
            agreement_id=case.procedure.agreement_id,
            procedure=case.procedure.as_dict(),
            opened_at=case.opened_at,
            opened_by=case.opened_by,
        )
        _fill(row, case)
        self.session.add(row)
        self.session.flush()
        return _case(row)

    def save(self, case: Case) -> Case:
        """Write a case's steps: review, statement, outcome."""
        assert case.id is not None
        row = self._row(case.id)
        _fill(row, case)
        self.session.flush()
        return _case(row)

    def get(self, case_id: int, *, for_update: bool = False) -> Case:
        return _case(self._row(case_id, for_update=for_update))

    def keys(self, keys: Collection[str]) -> set[str]:
        """Which of these finding keys have a case already."""
        if not keys:
            return set()
        query = select(CaseRow.finding_key).where(CaseRow.finding_key.in_(sorted(keys)))
        return set(self.session.scalars(query))

    def listed(
        self,
        *,
        region_codes: Collection[str] | None,
        party: str | None = None,
        state: CaseState | None = None,
        risk_id: int | None = None,
        drill_id: int | None = None,
        limit: int = LIST_MAX,
    ) -> list[Case]:
        """Cases by region (None: every region), party, state, risk and drill; newest first."""
        query = select(CaseRow)
        if region_codes is not None:
            query = query.where(CaseRow.region_code.in_(sorted(region_codes)))
        if party is not None:
            query = query.where(CaseRow.party == party)
        if state is not None:
            query = query.where(CaseRow.state == state.value)
        if risk_id is not None:
            query = query.where(CaseRow.risk_id == risk_id)
        if drill_id is not None:
            query = query.where(CaseRow.drill_id == drill_id)
        query = query.order_by(CaseRow.id.desc()).limit(limit)
        return [_case(row) for row in self.session.scalars(query)]

    def against(self, party: str, *, since: datetime, until: datetime) -> list[Case]:
        """The cases against a party opened in [since, until), oldest first."""
        query = (
            select(CaseRow)
            .where(CaseRow.party == party, CaseRow.opened_at >= since, CaseRow.opened_at < until)
            .order_by(CaseRow.opened_at, CaseRow.id)
            .limit(LIST_MAX)
        )
        return [_case(row) for row in self.session.scalars(query)]

    def _row(self, case_id: int, *, for_update: bool = False) -> CaseRow:
        query = select(CaseRow).where(CaseRow.id == case_id)
        if for_update:
            query = query.with_for_update()
        row = self.session.scalar(query)
        if row is None:
            raise NotFound(
                f"accountability case {case_id} does not exist",
                key="case-not-found",
                params={"case": case_id},
            )
        return row


def _fill(row: CaseRow, case: Case) -> None:
    row.state = case.state.value
    row.review = case.review
    row.reviewed_at = case.reviewed_at
    row.reviewed_by = case.reviewed_by
    row.statement = case.statement
    row.statement_at = case.statement_at
    row.statement_by = case.statement_by
    row.outcome = case.outcome.value if case.outcome else None
    row.reason = case.reason
    row.penalty = case.penalty
    row.decided_at = case.decided_at
    row.decided_by = case.decided_by


def _case(row: CaseRow) -> Case:
    return Case(
        id=row.id,
        region_code=row.region_code,
        risk_id=row.risk_id,
        drill_id=row.drill_id,
        kind=FindingKind(row.kind),
        party=row.party,
        duty_id=row.duty_id,
        key=row.finding_key,
        evidence=tuple(int(s) for s in row.evidence),
        facts=dict(row.facts),
        procedure=Procedure.from_dict(row.procedure),
        state=CaseState(row.state),
        opened_at=row.opened_at,
        opened_by=row.opened_by,
        review=row.review,
        reviewed_at=row.reviewed_at,
        reviewed_by=row.reviewed_by,
        statement=row.statement,
        statement_at=row.statement_at,
        statement_by=row.statement_by,
        outcome=CaseOutcome(row.outcome) if row.outcome else None,
        reason=row.reason,
        penalty=row.penalty,
        decided_at=row.decided_at,
        decided_by=row.decided_by,
    )
