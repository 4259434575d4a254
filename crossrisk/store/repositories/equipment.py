"""Equipment as rows."""

from __future__ import annotations

from collections.abc import Collection

from sqlalchemy import select
from sqlalchemy.orm import Session

from crossrisk.domain.aid.base_record import Location
from crossrisk.domain.aid.equipment import Equipment
from crossrisk.domain.aid.sharing import Sharing
from crossrisk.domain.errors import NotFound
from crossrisk.store.models import EquipmentRow


class EquipmentRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def add(self, equipment: Equipment) -> Equipment:
        row = EquipmentRow(
            region_code=equipment.region_code, jurisdiction_code=equipment.jurisdiction_code
        )
        _write(row, equipment)
        self.session.add(row)
        self.session.flush()
        return _equipment(row)

    def save(self, equipment: Equipment) -> Equipment:
        assert equipment.id is not None
        row = self.session.get(EquipmentRow, equipment.id)
        if row is None:
            raise _missing(equipment.id)
        _write(row, equipment)
        self.session.flush()
        return _equipment(row)

    def get(self, equipment_id: int, *, for_update: bool = False) -> Equipment:
        query = select(EquipmentRow).where(EquipmentRow.id == equipment_id)
        if for_update:
            query = query.with_for_update()
        row = self.session.scalar(query)
        if row is None:
            raise _missing(equipment_id)
        return _equipment(row)

    def of_region(
        self, region_code: str, *, jurisdiction_codes: Collection[str] | None = None
    ) -> list[Equipment]:
        """The region's equipment, by jurisdiction, kind and site."""
        query = select(EquipmentRow).where(EquipmentRow.region_code == region_code)
        if jurisdiction_codes is not None:
            query = query.where(EquipmentRow.jurisdiction_code.in_(list(jurisdiction_codes)))
        query = query.order_by(
            EquipmentRow.jurisdiction_code, EquipmentRow.kind, EquipmentRow.site, EquipmentRow.id
        )
        return [_equipment(row) for row in self.session.scalars(query)]


def _missing(equipment_id: int) -> NotFound:
    return NotFound(
        f"no equipment {equipment_id}", key="equipment-not-found", params={"id": equipment_id}
    )


def _write(row: EquipmentRow, equipment: Equipment) -> None:
    row.kind = equipment.kind
    row.quantity = equipment.quantity
    row.capability = equipment.capability
    row.site = equipment.site
    row.lon = equipment.location.lon
    row.lat = equipment.location.lat
    row.contact = equipment.contact
    row.owner_code = equipment.owner_code
    row.sharing = equipment.sharing.value
    row.updated_at = equipment.updated_at
    row.confirmed_at = equipment.confirmed_at


def _equipment(row: EquipmentRow) -> Equipment:
    return Equipment(
        id=row.id,
        region_code=row.region_code,
        jurisdiction_code=row.jurisdiction_code,
        kind=row.kind,
        quantity=row.quantity,
        capability=row.capability,
        site=row.site,
        location=Location(lon=row.lon, lat=row.lat),
        contact=row.contact,
        owner_code=row.owner_code,
        sharing=Sharing(row.sharing),
        updated_at=row.updated_at,
        confirmed_at=row.confirmed_at,
    )
