"""The committee activates a contingency plan for a risk by hand; the list is redrawn.

The plan stays the risk's plan on later analyses until the committee activates another.
"""

from __future__ import annotations

from datetime import datetime

from crossrisk.domain.errors import InvalidInput
from crossrisk.domain.organisation import Actor
from crossrisk.domain.permissions.regions import require_coordinate, require_read_region
from crossrisk.domain.risk import REASON_MAX, RiskStatus, check_text
from crossrisk.services import analysis, plans
from crossrisk.store.uow import UnitOfWork


def activate_plan(
    uow: UnitOfWork, actor: Actor, risk_id: int, plan_id: int, *, reason: str, now: datetime
) -> plans.PlanVersion:
    """Make a plan of the risk's region (or the default) the risk's plan, and redraw its list."""
    reason = check_text("reason", reason, limit=REASON_MAX)
    with uow as tx:
        risk = tx.risks.get(risk_id, for_update=True)
        require_read_region(actor, risk.region_code)
        require_coordinate(actor, risk.region_code)
        chosen = plans.plan_in(tx, plan_id)
        if chosen.plan.region_code not in (None, risk.region_code):
            raise InvalidInput(
                f"plan {plan_id} is a plan of {chosen.plan.region_code}, "
                f"not of the risk's region {risk.region_code}",
                key="plan-other-region",
                params={"plan": plan_id, "region": risk.region_code},
            )
        if risk.status is RiskStatus.CLOSED:
            raise InvalidInput(
                f"risk {risk_id} is closed", key="plan-risk-closed", params={"risk": risk_id}
            )
        plans.follow_plan(
            tx,
            actor,
            risk_id=risk_id,
            region_code=risk.region_code,
            plan=chosen.plan,
            reason=reason,
            by_hand=True,
            now=now,
        )
        analysis.analyse(tx, actor, risk, now=now)
        tx.commit()
    return chosen
