"""Response teams as rows."""

from __future__ import annotations

from collections.abc import Collection

from sqlalchemy import select
from sqlalchemy.orm import Session

from crossrisk.domain.aid.base_record import Location
from crossrisk.domain.aid.sharing import Sharing
from crossrisk.domain.aid.team import Team
from crossrisk.domain.errors import NotFound
from crossrisk.store.models import TeamRow


class TeamRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def add(self, team: Team) -> Team:
        row = TeamRow(region_code=team.region_code, jurisdiction_code=team.jurisdiction_code)
        _write(row, team)
        self.session.add(row)
        self.session.flush()
        return _team(row)

    def save(self, team: Team) -> Team:
        assert team.id is not None
        row = self.session.get(TeamRow, team.id)
        if row is None:
            raise NotFound(f"no team {team.id}", key="team-not-found", params={"id": team.id})
        _write(row, team)
        self.session.flush()
        return _team(row)

    def get(self, team_id: int, *, for_update: bool = False) -> Team:
        query = select(TeamRow).where(TeamRow.id == team_id)
        if for_update:
            query = query.with_for_update()
        row = self.session.scalar(query)
        if row is None:
            raise NotFound(f"no team {team_id}", key="team-not-found", params={"id": team_id})
        return _team(row)

    def of_region(
        self, region_code: str, *, jurisdiction_codes: Collection[str] | None = None
    ) -> list[Team]:
        """The region's teams, by jurisdiction, kind and type."""
        query = select(TeamRow).where(TeamRow.region_code == region_code)
        if jurisdiction_codes is not None:
            query = query.where(TeamRow.jurisdiction_code.in_(list(jurisdiction_codes)))
        query = query.order_by(
            TeamRow.jurisdiction_code, TeamRow.kind, TeamRow.type_level, TeamRow.id
        )
        return [_team(row) for row in self.session.scalars(query)]


def _write(row: TeamRow, team: Team) -> None:
    row.name = team.name
    row.kind = team.kind
    row.type_level = team.type_level
    row.headcount = team.headcount
    row.readiness_hours = team.readiness_hours
    row.lon = team.base.lon
    row.lat = team.base.lat
    row.contact = team.contact
    row.capabilities = dict(team.capabilities)
    row.owner_code = team.owner_code
    row.sharing = team.sharing.value
    row.updated_at = team.updated_at
    row.confirmed_at = team.confirmed_at


def _team(row: TeamRow) -> Team:
    return Team(
        id=row.id,
        region_code=row.region_code,
        jurisdiction_code=row.jurisdiction_code,
        name=row.name,
        kind=row.kind,
        type_level=row.type_level,
        headcount=row.headcount,
        readiness_hours=row.readiness_hours,
        base=Location(lon=row.lon, lat=row.lat),
        contact=row.contact,
        capabilities={str(k): float(v) for k, v in (row.capabilities or {}).items()},
        owner_code=row.owner_code,
        sharing=Sharing(row.sharing),
        updated_at=row.updated_at,
        confirmed_at=row.confirmed_at,
    )
