"""Contingency plans as rows: the versions of each region's plans, and their activations."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from crossrisk.store.models import ContingencyPlanRow, PlanActivationRow


@dataclass(frozen=True, slots=True)
class StoredPlan:
    """A stored version: the YAML as imported and who imported it when."""

    id: int
    region_code: str
    code: str
    version: int
    jurisdiction_code: str | None
    name_zh: str
    name_en: str
    document: str
    note: str
    saved_by: str
    saved_at: datetime


@dataclass(frozen=True, slots=True)
class Activation:
    """The plan that drew a risk's list, and whether the committee chose it by hand."""

    risk_id: int
    plan_id: int
    plan_code: str
    plan_version: int
    by_hand: bool
    reason: str
    activated_by: str
    activated_at: datetime


def _stored(row: ContingencyPlanRow) -> StoredPlan:
    return StoredPlan(
        id=row.id,
        region_code=row.region_code,
        code=row.code,
        version=row.version,
        jurisdiction_code=row.jurisdiction_code,
        name_zh=row.name_zh,
        name_en=row.name_en,
        document=row.document,
        note=row.note,
        saved_by=row.saved_by,
        saved_at=row.saved_at,
    )


class PlanRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def get(self, plan_id: int) -> StoredPlan | None:
        row = self.session.get(ContingencyPlanRow, plan_id)
        return None if row is None else _stored(row)

    def latest_version(self, region_code: str, code: str) -> int:
        """The newest version of a plan code in the region, 0 when it has none."""
        found = self.session.scalar(
            select(func.max(ContingencyPlanRow.version)).where(
                ContingencyPlanRow.region_code == region_code, ContingencyPlanRow.code == code
            )
        )
        return int(found or 0)

    def versions(self, region_code: str) -> list[StoredPlan]:
        """Every stored version of the region's plans, by code, oldest version first."""
        rows = self.session.scalars(
            select(ContingencyPlanRow)
            .where(ContingencyPlanRow.region_code == region_code)
            .order_by(ContingencyPlanRow.code, ContingencyPlanRow.version)
        )
        return [_stored(row) for row in rows]

    def in_force(self, region_code: str) -> list[StoredPlan]:
        """The newest version of each of the region's plans."""
        newest: dict[str, StoredPlan] = {}
        for plan in self.versions(region_code):
            newest[plan.code] = plan
        return list(newest.values())

    def add(self, plan: StoredPlan) -> StoredPlan:
        row = ContingencyPlanRow(
            region_code=plan.region_code,
            code=plan.code,
            version=plan.version,
            jurisdiction_code=plan.jurisdiction_code,
            name_zh=plan.name_zh,
            name_en=plan.name_en,
            document=plan.document,
            note=plan.note,
            saved_by=plan.saved_by,
            saved_at=plan.saved_at,
        )
        self.session.add(row)
        self.session.flush()
        return _stored(row)

    def activation(self, risk_id: int) -> Activation | None:
        """The risk's latest activation, None before its first analysis with plans."""
        row = self.session.scalar(
            select(PlanActivationRow)
            .where(PlanActivationRow.risk_id == risk_id)
            .order_by(PlanActivationRow.id.desc())
            .limit(1)
        )
        if row is None:
            return None
        return Activation(
            risk_id=row.risk_id,
            plan_id=row.plan_id,
            plan_code=row.plan_code,
            plan_version=row.plan_version,
            by_hand=row.by_hand,
            reason=row.reason,
            activated_by=row.activated_by,
            activated_at=row.activated_at,
        )

    def activate(self, activation: Activation) -> None:
        self.session.add(
            PlanActivationRow(
                risk_id=activation.risk_id,
                plan_id=activation.plan_id,
                plan_code=activation.plan_code,
                plan_version=activation.plan_version,
                by_hand=activation.by_hand,
                reason=activation.reason,
                activated_by=activation.activated_by,
                activated_at=activation.activated_at,
            )
        )
        self.session.flush()

    def count(self) -> tuple[int, int]:
        """Rows of plans and of activations: tests prove a refusal wrote nothing."""
        plans = self.session.scalar(select(func.count()).select_from(ContingencyPlanRow))
        acts = self.session.scalar(select(func.count()).select_from(PlanActivationRow))
        return int(plans or 0), int(acts or 0)
