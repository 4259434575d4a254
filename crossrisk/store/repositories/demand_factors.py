"""A region's saved demand factor sets, as rows (version 0, the bundled set, is not stored)."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from crossrisk.domain.journal import canonical_json
from crossrisk.store.models import DemandFactorSetRow


class StoredFactorSet:
    """A stored version: its table shape and who saved it when."""

    def __init__(self, row: DemandFactorSetRow) -> None:
        self.region_code = row.region_code
        self.version = row.version
        self.table: dict[str, Any] = json.loads(row.factors)
        self.note = row.note
        self.saved_by = row.saved_by
        self.saved_at = row.saved_at


class DemandFactorRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def latest_version(self, region_code: str) -> int:
        """The newest stored version of the region, 0 when none is stored."""
        found = self.session.scalar(
            select(func.max(DemandFactorSetRow.version)).where(
                DemandFactorSetRow.region_code == region_code
            )
        )
        return int(found or 0)

    def get(self, region_code: str, version: int) -> StoredFactorSet | None:
        row = self.session.scalar(
            select(DemandFactorSetRow).where(
                DemandFactorSetRow.region_code == region_code,
                DemandFactorSetRow.version == version,
            )
        )
        return None if row is None else StoredFactorSet(row)

    def versions(self, region_code: str) -> list[StoredFactorSet]:
        """Every stored version of the region, oldest first."""
        rows = self.session.scalars(
            select(DemandFactorSetRow)
            .where(DemandFactorSetRow.region_code == region_code)
            .order_by(DemandFactorSetRow.version)
        )
        return [StoredFactorSet(row) for row in rows]

    def add(
        self,
        region_code: str,
        *,
        version: int,
        table: dict[str, Any],
        note: str,
        saved_by: str,
        saved_at: datetime,
    ) -> None:
        self.session.add(
            DemandFactorSetRow(
                region_code=region_code,
                version=version,
                factors=canonical_json(table),
                note=note,
                saved_by=saved_by,
                saved_at=saved_at,
            )
        )
        self.session.flush()
