"""Loading and saving drills."""

from __future__ import annotations

from collections.abc import Collection

from sqlalchemy import select
from sqlalchemy.orm import Session

from crossrisk.domain.drills.drill import Drill, DrillState
from crossrisk.domain.errors import NotFound
from crossrisk.store.models import DrillRow


class DrillRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def add(self, drill: Drill) -> Drill:
        """Insert a new drill and return it with its id."""
        row = DrillRow(id=None)
        _copy(drill, row)
        self.session.add(row)
        self.session.flush()
        return _drill(row)

    def get(self, drill_id: int) -> Drill:
        """The drill with this id, or NotFound."""
        row = self.session.get(DrillRow, drill_id, populate_existing=True)
        if row is None:
            raise NotFound(
                f"drill {drill_id} does not exist", key="drill-unknown", params={"drill": drill_id}
            )
        return _drill(row)

    def save(self, drill: Drill) -> Drill:
        """Write a drill's end (its state, end time and any failure)."""
        row = self.session.get(DrillRow, drill.id)
        if row is None:
            raise NotFound(
                f"drill {drill.id} does not exist", key="drill-unknown", params={"drill": drill.id}
            )
        _copy(drill, row)
        self.session.flush()
        return _drill(row)

    def list(self, *, region_codes: Collection[str] | None, limit: int = 200) -> list[Drill]:
        """Drills of the given regions (all when None), newest first."""
        statement = select(DrillRow).order_by(DrillRow.id.desc()).limit(limit)
        if region_codes is not None:
            statement = statement.where(DrillRow.region_code.in_(sorted(region_codes)))
        return [_drill(row) for row in self.session.scalars(statement)]


def _copy(drill: Drill, row: DrillRow) -> None:
    row.region_code = drill.region_code
    row.code = drill.code
    row.title_zh = drill.title_zh
    row.title_en = drill.title_en
    row.scenario = drill.scenario
    row.scenario_sha256 = drill.scenario_sha256
    row.speed = drill.speed
    row.duration_minutes = drill.duration_minutes
    row.clock_start = drill.clock_start
    row.started_at = drill.started_at
    row.ended_at = drill.ended_at
    row.started_by = drill.started_by
    row.state = drill.state.value
    row.failure = drill.failure


def _drill(row: DrillRow) -> Drill:
    return Drill(
        id=row.id,
        region_code=row.region_code,
        code=row.code,
        title_zh=row.title_zh,
        title_en=row.title_en,
        scenario=row.scenario,
        scenario_sha256=row.scenario_sha256,
        speed=row.speed,
        duration_minutes=row.duration_minutes,
        clock_start=row.clock_start,
        started_at=row.started_at,
        started_by=row.started_by,
        state=DrillState(row.state),
        ended_at=row.ended_at,
        failure=row.failure,
    )
