"""Versions of risk analyses."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from crossrisk.domain.analysis import Analysis, analysis_from_record, analysis_record
from crossrisk.domain.errors import Conflict, NotFound
from crossrisk.store.models import RiskAnalysisRow


class AnalysisRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def next_version(self, risk_id: int) -> int:
        """The version number the next analysis of this risk takes."""
        latest = self.session.scalar(
            select(func.max(RiskAnalysisRow.version)).where(RiskAnalysisRow.risk_id == risk_id)
        )
        return (latest or 0) + 1

    def add(self, analysis: Analysis) -> None:
        """Store a new version; versions are never replaced."""
        assert analysis.risk_id is not None
        self.session.add(
            RiskAnalysisRow(
                risk_id=analysis.risk_id,
                version=analysis.version,
                computed_at=analysis.computed_at,
                situation=analysis.classification.situation.value,
                lead_code=analysis.responsibility.lead_code,
                escalated=analysis.responsibility.escalation.escalated,
                confirmed_at=analysis.confirmed_at,
                record=analysis_record(analysis),
            )
        )
        self.session.flush()

    def confirm(self, analysis: Analysis) -> None:
        """Record the confirmation of a stored version (its only change ever)."""
        row = self._row(analysis.risk_id, analysis.version)
        if row.confirmed_at is not None:
            raise Conflict(
                f"version {analysis.version} is confirmed already",
                key="analysis-confirmed-meanwhile",
                params={"version": analysis.version},
            )
        row.confirmed_at = analysis.confirmed_at
        row.record = analysis_record(analysis)
        self.session.flush()

    def latest(self, risk_id: int) -> Analysis | None:
        """The newest version of a risk's analysis, if it has one."""
        row = self.session.scalars(
            select(RiskAnalysisRow)
            .where(RiskAnalysisRow.risk_id == risk_id)
            .order_by(RiskAnalysisRow.version.desc())
            .limit(1)
        ).first()
        return None if row is None else analysis_from_record(row.record)

    def get(self, risk_id: int, version: int) -> Analysis:
        """One version, or NotFound."""
        return analysis_from_record(self._row(risk_id, version).record)

    def versions(self, risk_id: int) -> list[Analysis]:
        """Every version, oldest first."""
        rows = self.session.scalars(
            select(RiskAnalysisRow)
            .where(RiskAnalysisRow.risk_id == risk_id)
            .order_by(RiskAnalysisRow.version)
        ).all()
        return [analysis_from_record(row.record) for row in rows]

    def _row(self, risk_id: int | None, version: int) -> RiskAnalysisRow:
        row = self.session.scalars(
            select(RiskAnalysisRow).where(
                RiskAnalysisRow.risk_id == risk_id, RiskAnalysisRow.version == version
            )
        ).first()
        if row is None:
            raise NotFound(
                f"risk {risk_id} has no analysis version {version}",
                key="analysis-unknown",
                params={"risk": risk_id, "version": version},
            )
        return row
