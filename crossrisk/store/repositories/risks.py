"""Loading and saving risks."""

from __future__ import annotations

from collections.abc import Collection

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from crossrisk.domain.errors import Conflict, NotFound
from crossrisk.domain.risk import (
    EventLevel,
    Origin,
    Risk,
    RiskCategory,
    RiskStatus,
)
from crossrisk.store.models import RiskOriginRow, RiskRow


class RiskRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def add(self, risk: Risk) -> Risk:
        """Insert a new risk and return it with its id."""
        row = RiskRow(id=None)
        _copy(risk, row)
        self.session.add(row)
        self.session.flush()
        return _risk(row)

    def get(self, risk_id: int, *, for_update: bool = False) -> Risk:
        """The risk with this id, or NotFound."""
        statement = select(RiskRow).where(RiskRow.id == risk_id)
        if for_update:
            statement = statement.with_for_update()
        row = self.session.scalars(statement).one_or_none()
        if row is None:
            raise NotFound(
                f"risk {risk_id} does not exist", key="risk-unknown", params={"risk": risk_id}
            )
        return _risk(row)

    def save(self, risk: Risk, *, expected_version: int) -> Risk:
        """Write a changed risk, refusing if someone else changed it meanwhile."""
        row = self.session.get(RiskRow, risk.id)
        if row is None:
            raise NotFound(
                f"risk {risk.id} does not exist", key="risk-unknown", params={"risk": risk.id}
            )
        if row.version != expected_version:
            raise Conflict(
                f"risk {risk.id} was changed meanwhile; reload and try again",
                key="risk-changed-meanwhile",
                params={"risk": risk.id},
            )
        _copy(risk, row)
        self.session.flush()
        return _risk(row)

    def list(
        self,
        *,
        region_codes: Collection[str] | None,
        status: RiskStatus | None = None,
        category: RiskCategory | None = None,
        limit: int = 500,
    ) -> list[Risk]:
        """Risks of the given regions (all regions when None), newest first."""
        statement = select(RiskRow).order_by(RiskRow.id.desc()).limit(limit)
        if region_codes is not None:
            statement = statement.where(RiskRow.region_code.in_(list(region_codes)))
        if status is not None:
            statement = statement.where(RiskRow.status == status.value)
        if category is not None:
            statement = statement.where(RiskRow.category == category.value)
        return [_risk(row) for row in self.session.scalars(statement).all()]

    def count(self) -> int:
        """How many risks exist, in every region."""
        return self.session.scalar(select(func.count()).select_from(RiskRow)) or 0


def _copy(risk: Risk, row: RiskRow) -> None:
    row.region_code = risk.region_code
    row.category = risk.category.value
    row.title = risk.title
    row.title_en = risk.title_en
    row.description = risk.description
    row.hazard_geometry = dict(risk.hazard_geometry)
    row.likelihood = risk.likelihood
    row.consequence = risk.consequence
    row.level = risk.level.value
    row.status = risk.status.value
    row.created_at = risk.created_at
    row.created_by = risk.created_by
    row.updated_at = risk.updated_at
    row.version = risk.version
    row.hazard_type = risk.hazard_type
    row.parameters = dict(risk.parameters)
    current = [(o.jurisdiction_code, o.share) for o in row.origins]
    wanted = [(o.jurisdiction_code, o.share) for o in risk.origins]
    if current != wanted:
        row.origins.clear()
        # Flush the removals first: the same jurisdiction may come back with a new share.
        if row.id is not None:
            session = Session.object_session(row)
            if session is not None:
                session.flush()
        row.origins.extend(
            RiskOriginRow(jurisdiction_code=code, share=share, position=position)
            for position, (code, share) in enumerate(wanted)
        )


def _risk(row: RiskRow) -> Risk:
    return Risk(
        id=row.id,
        region_code=row.region_code,
        category=RiskCategory(row.category),
        title=row.title,
        title_en=row.title_en,
        description=row.description,
        hazard_geometry=row.hazard_geometry,
        origins=tuple(
            Origin(jurisdiction_code=o.jurisdiction_code, share=o.share) for o in row.origins
        ),
        likelihood=row.likelihood,
        consequence=row.consequence,
        level=EventLevel(row.level),
        status=RiskStatus(row.status),
        created_at=row.created_at,
        created_by=row.created_by,
        updated_at=row.updated_at,
        version=row.version,
        hazard_type=row.hazard_type,
        parameters=row.parameters,
    )
