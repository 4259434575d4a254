"""Annual plan and cooperation items, as rows."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from crossrisk.domain.annual import AnnualItem, ItemKind, ItemStatus, ServesKind
from crossrisk.domain.errors import NotFound
from crossrisk.store.models import AnnualItemRow


class AnnualItemRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def add(self, item: AnnualItem) -> AnnualItem:
        row = AnnualItemRow(
            region_code=item.region_code,
            year=item.year,
            created_by=item.created_by,
            created_at=item.created_at,
            first_due=item.first_due,
        )
        _fill(row, item)
        self.session.add(row)
        self.session.flush()
        return _item(row)

    def save(self, item: AnnualItem) -> AnnualItem:
        """Write an item's changed fields, status and outcome."""
        assert item.id is not None
        row = self.session.get(AnnualItemRow, item.id)
        if row is None:
            raise NotFound(f"no annual item {item.id}")
        _fill(row, item)
        self.session.flush()
        return _item(row)

    def get(self, item_id: int, *, for_update: bool = False) -> AnnualItem:
        """The item with this id, or NotFound."""
        query = select(AnnualItemRow).where(AnnualItemRow.id == item_id)
        if for_update:
            query = query.with_for_update()
        row = self.session.scalar(query)
        if row is None:
            raise NotFound(
                f"no annual item {item_id}", key="annual-item-not-found", params={"item": item_id}
            )
        return _item(row)

    def of_duty(self, duty_id: int, *, for_update: bool = False) -> AnnualItem | None:
        """The item a duty backs, if any."""
        query = select(AnnualItemRow).where(AnnualItemRow.duty_id == duty_id)
        if for_update:
            query = query.with_for_update()
        row = self.session.scalar(query)
        return None if row is None else _item(row)

    def of_year(self, region_code: str, year: int) -> list[AnnualItem]:
        """A region's items of one year, by due day, then id."""
        rows = self.session.scalars(
            select(AnnualItemRow)
            .where(AnnualItemRow.region_code == region_code, AnnualItemRow.year == year)
            .order_by(AnnualItemRow.due, AnnualItemRow.id)
        )
        return [_item(row) for row in rows]


def _fill(row: AnnualItemRow, item: AnnualItem) -> None:
    row.kind = item.kind.value
    row.title = item.title
    row.title_en = item.title_en
    row.description = item.description
    row.owner_code = item.owner_code
    row.due = item.due
    row.status = item.status.value
    row.serves_kind = None if item.serves_kind is None else item.serves_kind.value
    row.serves_id = item.serves_id
    row.reason = item.reason
    row.updated_at = item.updated_at
    row.done_at = item.done_at
    row.done_by = item.done_by
    row.duty_id = item.duty_id


def _item(row: AnnualItemRow) -> AnnualItem:
    return AnnualItem(
        id=row.id,
        region_code=row.region_code,
        year=row.year,
        kind=ItemKind(row.kind),
        title=row.title,
        title_en=row.title_en,
        description=row.description,
        owner_code=row.owner_code,
        due=row.due,
        first_due=row.first_due,
        status=ItemStatus(row.status),
        serves_kind=None if row.serves_kind is None else ServesKind(row.serves_kind),
        serves_id=row.serves_id,
        created_by=row.created_by,
        created_at=row.created_at,
        updated_at=row.updated_at,
        reason=row.reason,
        done_at=row.done_at,
        done_by=row.done_by,
        duty_id=row.duty_id,
    )
