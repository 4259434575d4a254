"""Contingency plans: the bundled default, the committee's imported versions, and the
choice of the plan that draws a risk's responsibility list.

Activating a plan by hand, which redraws the list, is in services/plan_activation.py.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime
from functools import lru_cache

from crossrisk.data import bundled_plan_text
from crossrisk.domain.errors import NotFound
from crossrisk.domain.organisation import Actor
from crossrisk.domain.permissions.regions import require_coordinate, require_read_region
from crossrisk.domain.plans.plan import DEFAULT_PLAN_ID, Plan, RiskFacts, plan_for
from crossrisk.domain.plans.reading import read_plan
from crossrisk.domain.risk import check_text
from crossrisk.services.policy_tables import default_plan, hazard_types
from crossrisk.store.repositories.plans import Activation, StoredPlan
from crossrisk.store.uow import Transaction, UnitOfWork

NOTE_MAX = 500
ID_MAX = 2**31 - 1


@lru_cache(maxsize=256)
def _read_stored(stored: StoredPlan) -> Plan:
    plan = _read_document(stored.document)
    return replace(plan, id=stored.id, version=stored.version, region_code=stored.region_code)


@lru_cache(maxsize=256)
def _read_document(document: str) -> Plan:
    # A stored version never changes, so its reading is kept: every analysis matches the
    # region's plans in force without parsing their YAML again. It was checked on import
    # against the region's members, which only grow.
    return read_plan(document, hazard_types=hazard_types())


@dataclass(frozen=True, slots=True)
class PlanVersion:
    """A plan as the pages and the API show it: the checked plan and its document."""

    plan: Plan
    document: str
    note: str = ""
    saved_by: str = ""
    saved_at: datetime | None = None


def _version(stored: StoredPlan) -> PlanVersion:
    return PlanVersion(
        plan=_read_stored(stored),
        document=stored.document,
        note=stored.note,
        saved_by=stored.saved_by,
        saved_at=stored.saved_at,
    )


def plan_in(tx: Transaction, plan_id: int) -> PlanVersion:
    """One version by id (0: the bundled default), in an open transaction."""
    if plan_id == DEFAULT_PLAN_ID:
        return PlanVersion(plan=default_plan(), document=bundled_plan_text("default.yaml"))
    stored = tx.plans.get(plan_id) if 0 < plan_id <= ID_MAX else None
    if stored is None:
        raise NotFound(
            f"plan {plan_id} does not exist", key="plan-not-found", params={"plan": plan_id}
        )
    return _version(stored)


def source_of(plan: Plan) -> str:
    """What a duty line drawn by the plan names as its source: "plan:3@2"; "" for the default."""
    return "" if plan.id == DEFAULT_PLAN_ID else f"plan:{plan.id}@{plan.version}"


def risk_plan(tx: Transaction, risk_id: int) -> Plan:
    """The plan that drew the risk's current list (the default where none was activated),
    in an open transaction."""
    activation = tx.plans.activation(risk_id)
    return plan_in(tx, DEFAULT_PLAN_ID if activation is None else activation.plan_id).plan


def chosen_plan(
    tx: Transaction, *, region_code: str, risk_id: int | None, facts: RiskFacts
) -> Plan:
    """The plan that draws a risk's list: the one the committee chose by hand, else the
    matching plan in force (the lead's own, then the region's, most specific first), else
    the default."""
    activation = tx.plans.activation(risk_id) if risk_id is not None else None
    if activation is not None and activation.by_hand:
        return plan_in(tx, activation.plan_id).plan
    in_force = tuple(_read_stored(stored) for stored in tx.plans.in_force(region_code))
    return plan_for(in_force, facts, default_plan())


def follow_plan(
    tx: Transaction,
    actor: Actor,
    *,
    risk_id: int,
    region_code: str,
    plan: Plan,
    reason: str = "",
    by_hand: bool = False,
    now: datetime,
) -> bool:
    """Record and journal plan.activated when the risk's plan (id, version) changed or the
    committee chose it; True when it did. Call in an open transaction."""
    latest = tx.plans.activation(risk_id)
    # A risk without activation is drawn by the default plan: nothing changed until another
    # plan matches, so a platform whose committee keeps the default journals as before.
    if latest is None:
        current = (DEFAULT_PLAN_ID, default_plan().version)
    else:
        current = (latest.plan_id, latest.plan_version)
    if not by_hand and current == (plan.id, plan.version):
        return False
    tx.plans.activate(
        Activation(
            risk_id=risk_id,
            plan_id=plan.id,
            plan_code=plan.code,
            plan_version=plan.version,
            by_hand=by_hand,
            reason=reason,
            activated_by=actor.username,
            activated_at=now,
        )
    )
    tx.record(
        actor,
        "plan.activated",
        subject=f"risk:{risk_id}",
        payload={
            "risk_id": risk_id,
            "plan_id": plan.id,
            "plan_code": plan.code,
            "plan_version": plan.version,
            "by_hand": by_hand,
            "reason": reason,
        },
        region_code=region_code,
        now=now,
    )
    return True


def list_plans(uow: UnitOfWork, actor: Actor, region_code: str) -> list[PlanVersion]:
    """The default, then every version of the region's plans by code, newest version last."""
    with uow.read_only() as tx:
        tx.regions.get(region_code)
        require_read_region(actor, region_code)
        return [plan_in(tx, DEFAULT_PLAN_ID)] + [
            _version(stored) for stored in tx.plans.versions(region_code)
        ]


def get_plan(uow: UnitOfWork, actor: Actor, plan_id: int) -> PlanVersion:
    """One version of a plan, with its YAML document (what export gives)."""
    with uow.read_only() as tx:
        found = plan_in(tx, plan_id)
        if found.plan.region_code is not None:
            require_read_region(actor, found.plan.region_code)
        return found


def plan_activation(uow: UnitOfWork, actor: Actor, risk_id: int) -> Activation | None:
    """Which plan and version drew the risk's list; None: the default plan, never changed."""
    with uow.read_only() as tx:
        risk = tx.risks.get(risk_id)
        require_read_region(actor, risk.region_code)
        return tx.plans.activation(risk_id)


def drawing_plan(
    uow: UnitOfWork, actor: Actor, risk_id: int
) -> tuple[PlanVersion, Activation | None]:
    """The plan that drew the risk's list and how it came to (None: the default, never
    changed), for the risk page."""
    with uow.read_only() as tx:
        risk = tx.risks.get(risk_id)
        require_read_region(actor, risk.region_code)
        activation = tx.plans.activation(risk_id)
        plan_id = DEFAULT_PLAN_ID if activation is None else activation.plan_id
        return plan_in(tx, plan_id), activation


def import_plan(
    uow: UnitOfWork,
    actor: Actor,
    region_code: str,
    document: str,
    *,
    note: str = "",
    now: datetime,
) -> PlanVersion:
    """The committee imports a plan's YAML: a new plan, or the next version of its code."""
    note = check_text("note", note, limit=NOTE_MAX, required=False) if note else ""
    with uow as tx:
        tx.regions.get(region_code)
        require_read_region(actor, region_code)
        require_coordinate(actor, region_code)
        members = {j.code for j in tx.regions.members(region_code)}
        plan = read_plan(document, hazard_types=hazard_types(), jurisdictions=members)
        # Two officers importing at once: the unique (region, code, version) refuses one.
        version = tx.plans.latest_version(region_code, plan.code) + 1
        stored = tx.plans.add(
            StoredPlan(
                id=0,
                region_code=region_code,
                code=plan.code,
                version=version,
                jurisdiction_code=plan.jurisdiction_code,
                name_zh=plan.name_zh,
                name_en=plan.name_en,
                document=document,
                note=note,
                saved_by=actor.username,
                saved_at=now,
            )
        )
        tx.record(
            actor,
            "plan.imported",
            subject=f"plan:{stored.id}",
            payload={
                "plan_id": stored.id,
                "region": region_code,
                "code": plan.code,
                "version": version,
                "jurisdiction": plan.jurisdiction_code,
                "note": note,
                "tasks": len(plan.tasks),
            },
            region_code=region_code,
            now=now,
        )
        tx.commit()
    return _version(stored)
