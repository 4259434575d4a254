"""Shelters as rows."""

from __future__ import annotations

from collections.abc import Collection

from sqlalchemy import select
from sqlalchemy.orm import Session

from crossrisk.domain.aid.base_record import Location
from crossrisk.domain.aid.sharing import Sharing
from crossrisk.domain.aid.shelter import Shelter, ShelterState
from crossrisk.domain.errors import NotFound
from crossrisk.store.models import ShelterRow


class ShelterRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def add(self, shelter: Shelter) -> Shelter:
        row = ShelterRow(
            region_code=shelter.region_code, jurisdiction_code=shelter.jurisdiction_code
        )
        _write(row, shelter)
        self.session.add(row)
        self.session.flush()
        return _shelter(row)

    def save(self, shelter: Shelter) -> Shelter:
        assert shelter.id is not None
        row = self.session.get(ShelterRow, shelter.id)
        if row is None:
            raise _missing(shelter.id)
        _write(row, shelter)
        self.session.flush()
        return _shelter(row)

    def get(self, shelter_id: int, *, for_update: bool = False) -> Shelter:
        query = select(ShelterRow).where(ShelterRow.id == shelter_id)
        if for_update:
            query = query.with_for_update()
        row = self.session.scalar(query)
        if row is None:
            raise _missing(shelter_id)
        return _shelter(row)

    def of_region(
        self, region_code: str, *, jurisdiction_codes: Collection[str] | None = None
    ) -> list[Shelter]:
        """The region's shelters, by jurisdiction and name."""
        query = select(ShelterRow).where(ShelterRow.region_code == region_code)
        if jurisdiction_codes is not None:
            query = query.where(ShelterRow.jurisdiction_code.in_(list(jurisdiction_codes)))
        query = query.order_by(ShelterRow.jurisdiction_code, ShelterRow.name, ShelterRow.id)
        return [_shelter(row) for row in self.session.scalars(query)]


def _missing(shelter_id: int) -> NotFound:
    return NotFound(f"no shelter {shelter_id}", key="shelter-not-found", params={"id": shelter_id})


def _write(row: ShelterRow, shelter: Shelter) -> None:
    row.name = shelter.name
    row.class_code = shelter.class_code
    row.capacity = shelter.capacity
    row.available = shelter.available
    row.lon = shelter.location.lon
    row.lat = shelter.location.lat
    row.contact = shelter.contact
    row.state = shelter.state.value
    row.owner_code = shelter.owner_code
    row.sharing = shelter.sharing.value
    row.updated_at = shelter.updated_at
    row.confirmed_at = shelter.confirmed_at


def _shelter(row: ShelterRow) -> Shelter:
    return Shelter(
        id=row.id,
        region_code=row.region_code,
        jurisdiction_code=row.jurisdiction_code,
        name=row.name,
        class_code=row.class_code,
        capacity=row.capacity,
        available=row.available,
        location=Location(lon=row.lon, lat=row.lat),
        contact=row.contact,
        state=ShelterState(row.state),
        owner_code=row.owner_code,
        sharing=Sharing(row.sharing),
        updated_at=row.updated_at,
        confirmed_at=row.confirmed_at,
    )
