"""Aid requests and their lines, as rows."""

from __future__ import annotations

from collections.abc import Collection

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from crossrisk.domain.aid.request import (
    AidRequest,
    Destination,
    Priority,
    RequestLine,
    RequestState,
)
from crossrisk.domain.errors import NotFound
from crossrisk.store.models import AidRequestLineRow, AidRequestRow
from crossrisk.store.repositories.risks import risk_ids_of_drill

LIST_MAX = 500


class AidRequestRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def add(self, request: AidRequest) -> AidRequest:
        row = AidRequestRow(
            region_code=request.region_code,
            jurisdiction_code=request.jurisdiction_code,
            made_by=request.made_by,
            created_at=request.created_at,
        )
        _write(row, request)
        self.session.add(row)
        self.session.flush()
        self._write_lines(row.id, request.lines)
        return self.get(row.id)

    def save(self, request: AidRequest, *, lines_changed: bool = False) -> AidRequest:
        """Write the request's state and times (and, for a draft edited, its lines)."""
        assert request.id is not None
        row = self._row(request.id)
        _write(row, request)
        if lines_changed:
            for line in self._line_rows(request.id):
                self.session.delete(line)
            self.session.flush()
            self._write_lines(request.id, request.lines)
        self.session.flush()
        return self.get(request.id)

    def get(self, request_id: int, *, for_update: bool = False) -> AidRequest:
        row = self._row(request_id, for_update=for_update)
        return _request(row, self._line_rows(request_id))

    def find(
        self,
        *,
        region_codes: Collection[str] | None = None,
        jurisdiction_code: str | None = None,
        states: Collection[RequestState] | None = None,
        limit: int = LIST_MAX,
        drill_id: int | None = None,
        with_drills: bool = False,
    ) -> list[AidRequest]:
        """Requests, newest first, by region, requesting city and stored state.

        Real requests only (of no risk, or of a real one), or those of one drill's risks;
        `with_drills` takes every request, real and of every drill.
        """
        of_risks = AidRequestRow.risk_id.in_(risk_ids_of_drill(drill_id))
        query = select(AidRequestRow)
        if not with_drills:
            query = query.where(
                or_(AidRequestRow.risk_id.is_(None), of_risks) if drill_id is None else of_risks
            )
        if region_codes is not None:
            query = query.where(AidRequestRow.region_code.in_(list(region_codes)))
        if jurisdiction_code is not None:
            query = query.where(AidRequestRow.jurisdiction_code == jurisdiction_code)
        if states is not None:
            query = query.where(AidRequestRow.state.in_([s.value for s in states]))
        rows = list(self.session.scalars(query.order_by(AidRequestRow.id.desc()).limit(limit)))
        lines: dict[int, list[AidRequestLineRow]] = {row.id: [] for row in rows}
        if rows:
            for line in self.session.scalars(
                select(AidRequestLineRow)
                .where(AidRequestLineRow.request_id.in_(list(lines)))
                .order_by(AidRequestLineRow.position)
            ):
                lines[line.request_id].append(line)
        return [_request(row, lines[row.id]) for row in rows]

    def request_of_line(self, line_id: int) -> AidRequest:
        row = self.session.get(AidRequestLineRow, line_id)
        if row is None:
            raise NotFound(
                f"no request line {line_id}", key="request-line-not-found", params={"id": line_id}
            )
        return self.get(row.request_id)

    def _row(self, request_id: int, *, for_update: bool = False) -> AidRequestRow:
        query = select(AidRequestRow).where(AidRequestRow.id == request_id)
        if for_update:
            query = query.with_for_update()
        row = self.session.scalar(query)
        if row is None:
            raise NotFound(
                f"no aid request {request_id}", key="request-not-found", params={"id": request_id}
            )
        return row

    def _line_rows(self, request_id: int) -> list[AidRequestLineRow]:
        return list(
            self.session.scalars(
                select(AidRequestLineRow)
                .where(AidRequestLineRow.request_id == request_id)
                .order_by(AidRequestLineRow.position)
            )
        )

    def _write_lines(self, request_id: int, lines: tuple[RequestLine, ...]) -> None:
        for position, line in enumerate(lines, start=1):
            self.session.add(
                AidRequestLineRow(
                    request_id=request_id,
                    position=position,
                    item_code=line.item_code,
                    quantity=line.quantity,
                    priority=line.priority.value,
                    needed_by=line.needed_by,
                    destination=line.destination.name,
                    lon=line.destination.lon,
                    lat=line.destination.lat,
                    substitutes=list(line.substitutes),
                )
            )
        self.session.flush()


def _write(row: AidRequestRow, request: AidRequest) -> None:
    row.risk_id = request.risk_id
    row.state = request.state.value
    row.updated_at = request.updated_at
    row.submitted_at = request.submitted_at
    row.approved_at = request.approved_at
    row.approved_by = request.approved_by
    row.closed_at = request.closed_at
    row.cancelled_at = request.cancelled_at
    row.reason = request.reason


def _request(row: AidRequestRow, lines: list[AidRequestLineRow]) -> AidRequest:
    return AidRequest(
        id=row.id,
        region_code=row.region_code,
        jurisdiction_code=row.jurisdiction_code,
        made_by=row.made_by,
        state=RequestState(row.state),
        lines=tuple(
            RequestLine(
                id=line.id,
                item_code=line.item_code,
                quantity=line.quantity,
                priority=Priority(line.priority),
                needed_by=line.needed_by,
                destination=Destination(name=line.destination, lon=line.lon, lat=line.lat),
                substitutes=tuple(line.substitutes),
            )
            for line in lines
        ),
        created_at=row.created_at,
        updated_at=row.updated_at,
        risk_id=row.risk_id,
        submitted_at=row.submitted_at,
        approved_at=row.approved_at,
        approved_by=row.approved_by,
        closed_at=row.closed_at,
        cancelled_at=row.cancelled_at,
        reason=row.reason,
    )
