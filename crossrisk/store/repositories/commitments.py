"""Commitments, as rows."""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from crossrisk.domain.aid.commitment import Commitment
from crossrisk.domain.errors import NotFound
from crossrisk.store.models import CommitmentRow

LIST_MAX = 1000


class CommitmentRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def add(self, commitment: Commitment) -> Commitment:
        row = CommitmentRow(
            region_code=commitment.region_code,
            request_id=commitment.request_id,
            request_line_id=commitment.request_line_id,
            donor_jurisdiction_code=commitment.donor_jurisdiction_code,
            item_code=commitment.item_code,
            quantity=commitment.quantity,
            due=commitment.due,
            made_at=commitment.made_at,
            made_by=commitment.made_by,
            offer_line_id=commitment.offer_line_id,
            cancelled_at=commitment.cancelled_at,
            cancel_reason=commitment.cancel_reason,
        )
        self.session.add(row)
        self.session.flush()
        return _commitment(row)

    def save(self, commitment: Commitment) -> Commitment:
        """Write a commitment's withdrawal (the only change a commitment takes)."""
        assert commitment.id is not None
        row = self._row(commitment.id)
        row.cancelled_at = commitment.cancelled_at
        row.cancel_reason = commitment.cancel_reason
        self.session.flush()
        return _commitment(row)

    def get(self, commitment_id: int, *, for_update: bool = False) -> Commitment:
        return _commitment(self._row(commitment_id, for_update=for_update))

    def of_request(self, request_id: int) -> list[Commitment]:
        rows = self.session.scalars(
            select(CommitmentRow)
            .where(CommitmentRow.request_id == request_id)
            .order_by(CommitmentRow.id)
        )
        return [_commitment(row) for row in rows]

    def find(
        self,
        *,
        region_codes: Collection[str] | None = None,
        donor: str | None = None,
        request_id: int | None = None,
        limit: int = LIST_MAX,
    ) -> list[Commitment]:
        """Commitments, newest first, by region, donor city and request."""
        query = select(CommitmentRow)
        if region_codes is not None:
            query = query.where(CommitmentRow.region_code.in_(list(region_codes)))
        if donor is not None:
            query = query.where(CommitmentRow.donor_jurisdiction_code == donor)
        if request_id is not None:
            query = query.where(CommitmentRow.request_id == request_id)
        rows = self.session.scalars(query.order_by(CommitmentRow.id.desc()).limit(limit))
        return [_commitment(row) for row in rows]

    def of_donor_due(self, donor: str, *, since: datetime, until: datetime) -> list[Commitment]:
        """The donor city's commitments due in [since, until): a scorecard's."""
        rows = self.session.scalars(
            select(CommitmentRow)
            .where(
                CommitmentRow.donor_jurisdiction_code == donor,
                CommitmentRow.due >= since,
                CommitmentRow.due < until,
            )
            .order_by(CommitmentRow.due, CommitmentRow.id)
        )
        return [_commitment(row) for row in rows]

    def _row(self, commitment_id: int, *, for_update: bool = False) -> CommitmentRow:
        query = select(CommitmentRow).where(CommitmentRow.id == commitment_id)
        if for_update:
            query = query.with_for_update()
        row = self.session.scalar(query)
        if row is None:
            raise NotFound(
                f"no commitment {commitment_id}",
                key="commitment-not-found",
                params={"id": commitment_id},
            )
        return row


def _commitment(row: CommitmentRow) -> Commitment:
    return Commitment(
        id=row.id,
        region_code=row.region_code,
        request_id=row.request_id,
        request_line_id=row.request_line_id,
        donor_jurisdiction_code=row.donor_jurisdiction_code,
        item_code=row.item_code,
        quantity=row.quantity,
        due=row.due,
        made_at=row.made_at,
        made_by=row.made_by,
        offer_line_id=row.offer_line_id,
        cancelled_at=row.cancelled_at,
        cancel_reason=row.cancel_reason,
    )
