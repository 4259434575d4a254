"""Storing observations once per station and time, reading series, counting refusals."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from crossrisk.store.models.monitoring import ObservationRow, RefusedObservationCountRow

OBSERVATIONS = ObservationRow.__table__
REFUSALS = RefusedObservationCountRow.__table__


class ObservationRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def _insert(self, table: Any) -> postgresql.Insert | sqlite.Insert:
        # Both dialects spell "insert unless the key exists" the same way in SQLAlchemy.
        if self.session.get_bind().dialect.name == "postgresql":
            return postgresql.insert(table)
        return sqlite.insert(table)

    def add(self, rows: Sequence[Mapping[str, Any]]) -> None:
        """Insert readings, skipping any whose (station, time) is stored already.

        One executemany for the batch; ON CONFLICT DO NOTHING lets the database itself keep
        one reading per station and time when two writers store the same one at once.
        (Without RETURNING: on this path it costs more than the insert itself.)
        """
        if not rows:
            return
        statement = self._insert(OBSERVATIONS).on_conflict_do_nothing(
            index_elements=["station_id", "observed_at"]
        )
        self.session.connection().execute(statement, list(rows))

    def series(
        self, station_id: int, *, since: datetime, until: datetime
    ) -> list[tuple[datetime, float]]:
        """A station's readings from `since` to `until` (both included), oldest first."""
        return self.series_many({station_id: (since, until)})[station_id]

    def series_many(
        self, spans: Mapping[int, tuple[datetime, datetime]]
    ) -> dict[int, list[tuple[datetime, float]]]:
        """Several stations' readings, each within its own (since, until), in one query.

        A batch of observations covers many stations over about the same hours; one read
        over the union of their spans costs a fraction of one read per station.
        """
        found: dict[int, list[tuple[datetime, float]]] = {station: [] for station in spans}
        if not spans:
            return found
        rows = self.session.execute(
            select(ObservationRow.station_id, ObservationRow.observed_at, ObservationRow.value)
            .where(
                ObservationRow.station_id.in_(list(spans)),
                ObservationRow.observed_at >= min(since for since, _ in spans.values()),
                ObservationRow.observed_at <= max(until for _, until in spans.values()),
            )
            .order_by(ObservationRow.station_id, ObservationRow.observed_at)
        )
        for station, at, value in rows:
            since, until = spans[station]
            if since <= at <= until:
                found[station].append((at, value))
        return found

    def count(self, station_id: int | None = None) -> int:
        """How many observations are stored (of one station, or of all)."""
        statement = select(func.count()).select_from(ObservationRow)
        if station_id is not None:
            statement = statement.where(ObservationRow.station_id == station_id)
        return self.session.scalar(statement) or 0

    def count_refusals(self, counts: Mapping[tuple[str, str], int], *, now: datetime) -> None:
        """Add to the refusal counters, per (reason, station code or "")."""
        if not counts:
            return
        insert = self._insert(REFUSALS)
        statement = insert.on_conflict_do_update(
            index_elements=["reason", "station_code"],
            set_={
                "count": REFUSALS.c.count + insert.excluded.count,
                "last_at": insert.excluded.last_at,
            },
        )
        self.session.connection().execute(
            statement,
            [
                {"reason": reason, "station_code": station, "count": n, "last_at": now}
                for (reason, station), n in sorted(counts.items())
            ],
        )

    def refusals(self) -> dict[tuple[str, str], int]:
        """The refusal counters, per (reason, station code or "")."""
        rows = self.session.execute(
            select(
                RefusedObservationCountRow.reason,
                RefusedObservationCountRow.station_code,
                RefusedObservationCountRow.count,
            )
        )
        return {(reason, station): count for reason, station, count in rows}
