"""Loading and saving risks."""

from __future__ import annotations

import builtins
from collections.abc import Collection
from typing import Any

from sqlalchemy import ColumnElement, Select, UnaryExpression, and_, exists, func, or_, select
from sqlalchemy.orm import Session

from crossrisk.data import substances
from crossrisk.domain.errors import Conflict, NotFound
from crossrisk.domain.register import Cursor, RiskQuery, RiskSort
from crossrisk.domain.risk import (
    EventLevel,
    Origin,
    Risk,
    RiskCategory,
    RiskStatus,
)
from crossrisk.domain.substance import substances_matching
from crossrisk.store.models import JurisdictionRow, RiskOriginRow, RiskRow, WarningRow


class RiskRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def add(self, risk: Risk) -> Risk:
        """Insert a new risk and return it with its id."""
        row = RiskRow(id=None)
        _copy(risk, row)
        self.session.add(row)
        self.session.flush()
        return _risk(row)

    def get(self, risk_id: int, *, for_update: bool = False) -> Risk:
        """The risk with this id, or NotFound."""
        statement = select(RiskRow).where(RiskRow.id == risk_id)
        if for_update:
            statement = statement.with_for_update()
        row = self.session.scalars(statement).one_or_none()
        if row is None:
            raise NotFound(
                f"risk {risk_id} does not exist", key="risk-unknown", params={"risk": risk_id}
            )
        return _risk(row)

    def save(self, risk: Risk, *, expected_version: int) -> Risk:
        """Write a changed risk, refusing if someone else changed it meanwhile."""
        row = self.session.get(RiskRow, risk.id)
        if row is None:
            raise NotFound(
                f"risk {risk.id} does not exist", key="risk-unknown", params={"risk": risk.id}
            )
        if row.version != expected_version:
            raise Conflict(
                f"risk {risk.id} was changed meanwhile; reload and try again",
                key="risk-changed-meanwhile",
                params={"risk": risk.id},
            )
        _copy(risk, row)
        self.session.flush()
        return _risk(row)

    def list(
        self,
        *,
        region_codes: Collection[str] | None,
        status: RiskStatus | None = None,
        category: RiskCategory | None = None,
        limit: int = 500,
        drill_id: int | None = None,
    ) -> list[Risk]:
        """Risks of the given regions (all regions when None), newest first.

        Real risks only, unless `drill_id` names the drill whose risks are wanted.
        """
        statement = (
            select(RiskRow).where(of_drill(drill_id)).order_by(RiskRow.id.desc()).limit(limit)
        )
        if region_codes is not None:
            statement = statement.where(RiskRow.region_code.in_(list(region_codes)))
        if status is not None:
            statement = statement.where(RiskRow.status == status.value)
        if category is not None:
            statement = statement.where(RiskRow.category == category.value)
        return [_risk(row) for row in self.session.scalars(statement).all()]

    def search(
        self, query: RiskQuery, *, region_codes: Collection[str] | None, limit: int
    ) -> builtins.list[Risk]:
        """Up to `limit` risks of the given regions that match the query, in its order.

        Every filter is a condition on indexed columns or a correlated EXISTS, the same
        SQL on SQLite and PostgreSQL; the page starts after the query's cursor (keyset).
        """
        # The register lists real risks: a drill's are on the drill's page.
        statement = select(RiskRow).where(of_drill(None), *_conditions(query)).limit(limit)
        if region_codes is not None:
            statement = statement.where(RiskRow.region_code.in_(list(region_codes)))
        if query.after is not None:
            statement = statement.where(_after(query.after))
        statement = statement.order_by(*_order(query.sort))
        return [_risk(row) for row in self.session.scalars(statement).all()]

    def count(self) -> int:
        """How many risks exist, in every region."""
        return self.session.scalar(select(func.count()).select_from(RiskRow)) or 0

    def drills_of(self, risk_ids: Collection[int]) -> dict[int, int]:
        """The drill of each of these risks that belongs to one, by risk id."""
        if not risk_ids:
            return {}
        rows = self.session.execute(
            select(RiskRow.id, RiskRow.drill_id).where(
                RiskRow.id.in_(sorted(risk_ids)), RiskRow.drill_id.is_not(None)
            )
        )
        return {risk_id: drill_id for risk_id, drill_id in rows if drill_id is not None}


WORDS_MAX = 8


def of_drill(drill_id: int | None) -> ColumnElement[bool]:
    """The condition on risks: real ones (None), or those of one drill."""
    if drill_id is None:
        return RiskRow.drill_id.is_(None)
    return RiskRow.drill_id == drill_id


def risk_ids_of_drill(drill_id: int | None) -> Select[Any]:
    """The ids of real risks (None) or of one drill's: for lists of what derives from them."""
    return select(RiskRow.id).where(of_drill(drill_id))


def _conditions(query: RiskQuery) -> list[ColumnElement[bool]]:
    conditions: list[ColumnElement[bool]] = []
    # Every word must be found somewhere: "新安江 苯乙烯" narrows, as search boxes do.
    conditions.extend(_matches(word) for word in query.text.split()[:WORDS_MAX])
    if query.level is not None:
        conditions.append(RiskRow.level == query.level.value)
    if query.status is not None:
        conditions.append(RiskRow.status == query.status.value)
    if query.category is not None:
        conditions.append(RiskRow.category == query.category.value)
    if query.origin_code is not None:
        conditions.append(
            exists().where(
                RiskOriginRow.risk_id == RiskRow.id,
                RiskOriginRow.jurisdiction_code == query.origin_code,
            )
        )
    if query.affected_code is not None:
        # A city is affected when the reach warned it: its warnings are the lasting record
        # of each analysis' reach, one thread per city.
        conditions.append(
            exists().where(
                WarningRow.risk_id == RiskRow.id,
                WarningRow.recipient_code == query.affected_code,
            )
        )
    if query.since is not None:
        conditions.append(RiskRow.created_at >= query.since)
    if query.before is not None:
        conditions.append(RiskRow.created_at < query.before)
    return conditions


def _matches(text: str) -> ColumnElement[bool]:
    """Title, description, substance, number, or an origin city's code or name."""
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    pattern = f"%{escaped}%"
    place = (
        select(RiskOriginRow.risk_id)
        .join(JurisdictionRow, JurisdictionRow.code == RiskOriginRow.jurisdiction_code)
        .where(
            RiskOriginRow.risk_id == RiskRow.id,
            or_(
                RiskOriginRow.jurisdiction_code == text,
                JurisdictionRow.name_zh.ilike(pattern, escape="\\"),
                JurisdictionRow.name_en.ilike(pattern, escape="\\"),
            ),
        )
        .exists()
    )
    alternatives: list[ColumnElement[bool]] = [
        RiskRow.title.ilike(pattern, escape="\\"),
        RiskRow.description.ilike(pattern, escape="\\"),
        RiskRow.parameters["substance"].as_string().ilike(pattern, escape="\\"),
        place,
    ]
    # A spill stores its substance's key: 苯乙烯 finds the risks that store "styrene".
    keys = substances_matching(substances(), text)
    if keys:
        alternatives.append(RiskRow.parameters["substance"].as_string().in_(keys))
    number = text.removeprefix("#")
    if number.isdigit() and len(number) <= 9:
        alternatives.append(RiskRow.id == int(number))
    return or_(*alternatives)


def _order(sort: RiskSort) -> list[UnaryExpression[Any]]:
    if sort is RiskSort.CREATED:
        return [RiskRow.created_at.desc(), RiskRow.id.desc()]
    if sort is RiskSort.LEVEL:
        # "I" < "II" < "III" < "IV" as text too: ascending is the most severe first.
        return [RiskRow.level.asc(), RiskRow.updated_at.desc(), RiskRow.id.desc()]
    return [RiskRow.updated_at.desc(), RiskRow.id.desc()]


def _after(cursor: Cursor) -> ColumnElement[bool]:
    moment = cursor.moment()
    column = RiskRow.created_at if cursor.sort is RiskSort.CREATED else RiskRow.updated_at
    later_in_time = or_(column < moment, and_(column == moment, RiskRow.id < cursor.risk_id))
    if cursor.sort is not RiskSort.LEVEL:
        return later_in_time
    level = cursor.level().value
    return or_(RiskRow.level > level, and_(RiskRow.level == level, later_in_time))


def _copy(risk: Risk, row: RiskRow) -> None:
    row.region_code = risk.region_code
    row.category = risk.category.value
    row.title = risk.title
    row.title_en = risk.title_en
    row.description = risk.description
    row.hazard_geometry = dict(risk.hazard_geometry)
    row.likelihood = risk.likelihood
    row.consequence = risk.consequence
    row.level = risk.level.value
    row.status = risk.status.value
    row.created_at = risk.created_at
    row.created_by = risk.created_by
    row.updated_at = risk.updated_at
    row.version = risk.version
    row.hazard_type = risk.hazard_type
    row.parameters = dict(risk.parameters)
    row.drill_id = risk.drill_id
    current = [(o.jurisdiction_code, o.share) for o in row.origins]
    wanted = [(o.jurisdiction_code, o.share) for o in risk.origins]
    if current != wanted:
        row.origins.clear()
        # Flush the removals first: the same jurisdiction may come back with a new share.
        if row.id is not None:
            session = Session.object_session(row)
            if session is not None:
                session.flush()
        row.origins.extend(
            RiskOriginRow(jurisdiction_code=code, share=share, position=position)
            for position, (code, share) in enumerate(wanted)
        )


def _risk(row: RiskRow) -> Risk:
    return Risk(
        id=row.id,
        region_code=row.region_code,
        category=RiskCategory(row.category),
        title=row.title,
        title_en=row.title_en,
        description=row.description,
        hazard_geometry=row.hazard_geometry,
        origins=tuple(
            Origin(jurisdiction_code=o.jurisdiction_code, share=o.share) for o in row.origins
        ),
        likelihood=row.likelihood,
        consequence=row.consequence,
        level=EventLevel(row.level),
        status=RiskStatus(row.status),
        created_at=row.created_at,
        created_by=row.created_by,
        updated_at=row.updated_at,
        version=row.version,
        hazard_type=row.hazard_type,
        parameters=row.parameters,
        drill_id=row.drill_id,
    )
