"""Offers and their lines, as rows."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from crossrisk.domain.aid.offer import Offer, OfferLine, OfferState
from crossrisk.domain.errors import NotFound
from crossrisk.store.models import AidOfferLineRow, AidOfferRow


class AidOfferRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def add(self, offer: Offer) -> Offer:
        row = AidOfferRow(
            request_id=offer.request_id,
            region_code=offer.region_code,
            jurisdiction_code=offer.jurisdiction_code,
            made_by=offer.made_by,
            state=offer.state.value,
            note=offer.note,
            created_at=offer.created_at,
            withdrawn_at=offer.withdrawn_at,
        )
        self.session.add(row)
        self.session.flush()
        for line in offer.lines:
            self.session.add(
                AidOfferLineRow(
                    offer_id=row.id,
                    request_line_id=line.request_line_id,
                    item_code=line.item_code,
                    quantity=line.quantity,
                    earliest_dispatch=line.earliest_dispatch,
                    estimated_arrival=line.estimated_arrival,
                    cost_cny=line.cost_cny,
                    note=line.note,
                    accepted_quantity=line.accepted_quantity,
                    commitment_id=line.commitment_id,
                )
            )
        self.session.flush()
        return self.get(row.id)

    def save(self, offer: Offer) -> Offer:
        """Write the offer's state and each line's acceptance."""
        assert offer.id is not None
        row = self._row(offer.id)
        row.state = offer.state.value
        row.withdrawn_at = offer.withdrawn_at
        for line in offer.lines:
            line_row = self.session.get(AidOfferLineRow, line.id)
            assert line_row is not None and line_row.offer_id == offer.id
            line_row.accepted_quantity = line.accepted_quantity
            line_row.commitment_id = line.commitment_id
        self.session.flush()
        return self.get(offer.id)

    def get(self, offer_id: int, *, for_update: bool = False) -> Offer:
        return _offer(self._row(offer_id, for_update=for_update), self._lines([offer_id]))

    def offer_of_line(self, offer_line_id: int) -> int:
        """The id of the offer an offer line belongs to."""
        row = self.session.get(AidOfferLineRow, offer_line_id)
        if row is None:
            raise NotFound(
                f"no offer line {offer_line_id}",
                key="offer-line-not-found",
                params={"id": offer_line_id},
            )
        return row.offer_id

    def of_request(self, request_id: int) -> list[Offer]:
        rows = list(
            self.session.scalars(
                select(AidOfferRow)
                .where(AidOfferRow.request_id == request_id)
                .order_by(AidOfferRow.id)
            )
        )
        lines = self._lines([row.id for row in rows])
        return [_offer(row, lines) for row in rows]

    def _row(self, offer_id: int, *, for_update: bool = False) -> AidOfferRow:
        query = select(AidOfferRow).where(AidOfferRow.id == offer_id)
        if for_update:
            query = query.with_for_update()
        row = self.session.scalar(query)
        if row is None:
            raise NotFound(f"no offer {offer_id}", key="offer-not-found", params={"id": offer_id})
        return row

    def _lines(self, offer_ids: list[int]) -> list[AidOfferLineRow]:
        if not offer_ids:
            return []
        return list(
            self.session.scalars(
                select(AidOfferLineRow)
                .where(AidOfferLineRow.offer_id.in_(offer_ids))
                .order_by(AidOfferLineRow.id)
            )
        )


def _offer(row: AidOfferRow, lines: list[AidOfferLineRow]) -> Offer:
    return Offer(
        id=row.id,
        request_id=row.request_id,
        region_code=row.region_code,
        jurisdiction_code=row.jurisdiction_code,
        made_by=row.made_by,
        state=OfferState(row.state),
        lines=tuple(
            OfferLine(
                id=line.id,
                request_line_id=line.request_line_id,
                item_code=line.item_code,
                quantity=line.quantity,
                earliest_dispatch=line.earliest_dispatch,
                estimated_arrival=line.estimated_arrival,
                cost_cny=line.cost_cny,
                note=line.note,
                accepted_quantity=line.accepted_quantity,
                commitment_id=line.commitment_id,
            )
            for line in lines
            if line.offer_id == row.id
        ),
        created_at=row.created_at,
        note=row.note,
        withdrawn_at=row.withdrawn_at,
    )
