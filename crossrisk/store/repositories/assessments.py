"""Assessments as rows: one per filing, its scores by criterion key."""

from __future__ import annotations

from collections.abc import Collection
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from crossrisk.domain.errors import NotFound
from crossrisk.domain.evaluation.assessment import Assessment, AssessmentKind
from crossrisk.store.models import AssessmentRow

LIST_MAX = 500


class AssessmentRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def add(self, assessment: Assessment) -> Assessment:
        """Store a filed assessment; returns it with its id."""
        row = AssessmentRow(
            region_code=assessment.region_code,
            organisation_code=assessment.organisation_code,
            kind=assessment.kind.value,
            assessor_code=assessment.assessor_code,
            period_start=assessment.period_start,
            period_end=assessment.period_end,
            scores=dict(assessment.scores),
            note=assessment.note,
            filed_at=assessment.filed_at,
            filed_by=assessment.filed_by,
        )
        self.session.add(row)
        self.session.flush()
        return _assessment(row)

    def get(self, assessment_id: int) -> Assessment:
        row = self.session.get(AssessmentRow, assessment_id)
        if row is None:
            raise NotFound(
                f"no assessment {assessment_id}",
                key="assessment-not-found",
                params={"assessment": assessment_id},
            )
        return _assessment(row)

    def overlapping(self, organisation_code: str, *, start: date, end: date) -> list[Assessment]:
        """The member's assessments whose period shares a day with start…end, oldest first."""
        rows = self.session.scalars(
            select(AssessmentRow)
            .where(
                AssessmentRow.organisation_code == organisation_code,
                AssessmentRow.period_start <= end,
                AssessmentRow.period_end >= start,
            )
            .order_by(AssessmentRow.period_end, AssessmentRow.id)
        )
        return [_assessment(row) for row in rows]

    def listed(
        self,
        *,
        region_codes: Collection[str] | None = None,
        organisation_code: str | None = None,
        limit: int = LIST_MAX,
    ) -> list[Assessment]:
        """Assessments of regions or of one member, newest first."""
        query = select(AssessmentRow)
        if region_codes is not None:
            query = query.where(AssessmentRow.region_code.in_(sorted(region_codes)))
        if organisation_code is not None:
            query = query.where(AssessmentRow.organisation_code == organisation_code)
        rows = self.session.scalars(query.order_by(AssessmentRow.id.desc()).limit(limit))
        return [_assessment(row) for row in rows]

    def count(self) -> int:
        """How many are stored: tests read it to see a refusal wrote nothing."""
        return len(list(self.session.scalars(select(AssessmentRow.id))))


def _assessment(row: AssessmentRow) -> Assessment:
    return Assessment(
        id=row.id,
        region_code=row.region_code,
        organisation_code=row.organisation_code,
        kind=AssessmentKind(row.kind),
        assessor_code=row.assessor_code,
        period_start=row.period_start,
        period_end=row.period_end,
        scores={str(k): float(v) for k, v in row.scores.items()},
        note=row.note,
        filed_at=row.filed_at,
        filed_by=row.filed_by,
    )
