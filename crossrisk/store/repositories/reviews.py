"""After-action reviews as rows: the review, its ratings by capability, its actions."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from crossrisk.domain.errors import NotFound
from crossrisk.domain.evaluation.review import (
    CapabilityRating,
    CorrectiveAction,
    Rating,
    Review,
)
from crossrisk.store.models import ReviewActionRow, ReviewRatingRow, ReviewRow


class ReviewRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def add(self, review: Review) -> Review:
        """Store a new review (no ratings or actions yet); returns it with its id."""
        row = ReviewRow(
            region_code=review.region_code,
            risk_id=review.risk_id,
            drill_id=review.drill_id,
            created_at=review.created_at,
            created_by=review.created_by,
        )
        self.session.add(row)
        self.session.flush()
        return self.get(row.id)

    def get(self, review_id: int) -> Review:
        row = self.session.get(ReviewRow, review_id)
        if row is None:
            raise NotFound(
                f"no after-action review {review_id}",
                key="review-not-found",
                params={"review": review_id},
            )
        return self._review(row)

    def of_risk(self, risk_id: int, *, for_update: bool = False) -> Review | None:
        """The risk's review, if one was begun."""
        query = select(ReviewRow).where(ReviewRow.risk_id == risk_id)
        if for_update:
            query = query.with_for_update()
        row = self.session.scalars(query).first()
        return None if row is None else self._review(row)

    def rate(self, review_id: int, rating: CapabilityRating) -> None:
        """Write a capability's rating, replacing an earlier one of the same capability."""
        row = self.session.scalars(
            select(ReviewRatingRow).where(
                ReviewRatingRow.review_id == review_id,
                ReviewRatingRow.capability == rating.capability,
            )
        ).first()
        if row is None:
            row = ReviewRatingRow(review_id=review_id, capability=rating.capability)
            self.session.add(row)
        row.rating = rating.rating.value
        row.strengths = rating.strengths
        row.improvements = rating.improvements
        row.rated_by = rating.rated_by
        row.rated_at = rating.rated_at
        self.session.flush()

    def add_action(self, review_id: int, action: CorrectiveAction) -> None:
        self.session.add(
            ReviewActionRow(
                review_id=review_id,
                number=action.number,
                capability=action.capability,
                text=action.text,
                owner_code=action.owner_code,
                due_at=action.due_at,
                added_by=action.added_by,
                added_at=action.added_at,
                duty_id=action.duty_id,
            )
        )
        self.session.flush()

    def _review(self, row: ReviewRow) -> Review:
        ratings = self.session.scalars(
            select(ReviewRatingRow)
            .where(ReviewRatingRow.review_id == row.id)
            .order_by(ReviewRatingRow.id)
        ).all()
        actions = self.session.scalars(
            select(ReviewActionRow)
            .where(ReviewActionRow.review_id == row.id)
            .order_by(ReviewActionRow.number)
        ).all()
        return Review(
            id=row.id,
            region_code=row.region_code,
            risk_id=row.risk_id,
            drill_id=row.drill_id,
            created_at=row.created_at,
            created_by=row.created_by,
            ratings=tuple(
                CapabilityRating(
                    capability=r.capability,
                    rating=Rating(r.rating),
                    strengths=r.strengths,
                    improvements=r.improvements,
                    rated_by=r.rated_by,
                    rated_at=r.rated_at,
                )
                for r in ratings
            ),
            actions=tuple(
                CorrectiveAction(
                    number=a.number,
                    capability=a.capability,
                    text=a.text,
                    owner_code=a.owner_code,
                    due_at=a.due_at,
                    added_by=a.added_by,
                    added_at=a.added_at,
                    duty_id=a.duty_id,
                )
                for a in actions
            ),
        )
