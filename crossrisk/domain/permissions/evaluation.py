"""Who files assessments and rates after-action reviews (DESIGN §1, §3.6).

The region's evaluator files the capability ratings (a third party's assessment, never the
parties' own); the committee draws up the improvement plan, whose corrective actions become
duties of their owners.
"""

from __future__ import annotations

from crossrisk.domain.organisation import Actor, OrganisationKind, Role
from crossrisk.domain.permissions.regions import can_coordinate


def can_assess(actor: Actor, *, region_code: str, member_code: str) -> bool:
    """True for an officer of the region's evaluator (a third-party assessment) or of the
    member city itself (a self-assessment); nobody else files assessments."""
    if actor.role is not Role.OFFICER:
        return False
    if actor.kind is OrganisationKind.EVALUATOR:
        return actor.organisation.region_code == region_code
    return actor.kind is OrganisationKind.JURISDICTION and actor.organisation.code == member_code


def can_rate_review(actor: Actor, region_code: str) -> bool:
    """True for an officer of an evaluator serving the region."""
    return (
        actor.role is Role.OFFICER
        and actor.kind is OrganisationKind.EVALUATOR
        and actor.organisation.region_code == region_code
    )


def can_plan_corrective_actions(actor: Actor, region_code: str) -> bool:
    """True for the region's coordination body and the central office."""
    return can_coordinate(actor, region_code)
