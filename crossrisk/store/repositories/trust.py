"""Loading and saving the supervision of trust evidence."""

from __future__ import annotations

from collections.abc import Collection

from sqlalchemy import select
from sqlalchemy.orm import Session

from crossrisk.domain.trust.reputation import EvidenceKind
from crossrisk.domain.trust.supervision import Rating, Supervision, Verdict
from crossrisk.store.models import TrustRatingRow, TrustSupervisionRow


class TrustRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def add_supervision(self, supervision: Supervision) -> Supervision:
        """Insert the committee's verdict on one target and return it with its id."""
        row = TrustSupervisionRow(
            region_code=supervision.region_code,
            target=supervision.target,
            verdict=supervision.verdict.value,
            recorded_kind=supervision.recorded_kind.value,
            counts_as=supervision.counts_as.value,
            reason=supervision.reason,
            by=supervision.by,
            organisation=supervision.organisation,
            at=supervision.at,
        )
        self.session.add(row)
        self.session.flush()
        return _supervision(row)

    def supervisions(self, region_codes: Collection[str]) -> list[Supervision]:
        """Every verdict in the regions, oldest first (the latest on a target counts)."""
        rows = self.session.scalars(
            select(TrustSupervisionRow)
            .where(TrustSupervisionRow.region_code.in_(sorted(region_codes)))
            .order_by(TrustSupervisionRow.id)
        )
        return [_supervision(row) for row in rows]

    def add_rating(self, rating: Rating) -> Rating:
        """Insert a recipient's rating of one shipment and return it with its id."""
        row = TrustRatingRow(
            region_code=rating.region_code,
            shipment_id=rating.shipment_id,
            rater=rating.rater,
            subject=rating.subject,
            score=rating.score,
            share=rating.share,
            comment=rating.comment,
            by=rating.by,
            at=rating.at,
        )
        self.session.add(row)
        self.session.flush()
        return _rating(row)

    def rating_of_shipment(self, shipment_id: int) -> Rating | None:
        row = self.session.scalar(
            select(TrustRatingRow).where(TrustRatingRow.shipment_id == shipment_id)
        )
        return None if row is None else _rating(row)

    def ratings(self, region_codes: Collection[str]) -> list[Rating]:
        """Every rating in the regions, oldest first."""
        rows = self.session.scalars(
            select(TrustRatingRow)
            .where(TrustRatingRow.region_code.in_(sorted(region_codes)))
            .order_by(TrustRatingRow.id)
        )
        return [_rating(row) for row in rows]


def _supervision(row: TrustSupervisionRow) -> Supervision:
    return Supervision(
        id=row.id,
        region_code=row.region_code,
        target=row.target,
        verdict=Verdict(row.verdict),
        recorded_kind=EvidenceKind(row.recorded_kind),
        counts_as=EvidenceKind(row.counts_as),
        reason=row.reason,
        by=row.by,
        organisation=row.organisation,
        at=row.at,
    )


def _rating(row: TrustRatingRow) -> Rating:
    return Rating(
        id=row.id,
        region_code=row.region_code,
        shipment_id=row.shipment_id,
        rater=row.rater,
        subject=row.subject,
        score=row.score,
        share=row.share,
        comment=row.comment,
        by=row.by,
        at=row.at,
    )
