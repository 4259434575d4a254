"""After-action reviews (复盘评估), shaped after HSEEP 2020's after-action report.

An evaluator rates each capability P/S/M/U with its strengths and areas for
improvement; the committee adds corrective actions (整改措施), each a duty of its owner
with a due date, so "My duties" lists it and the reminder machinery reminds it once.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from crossrisk.domain.errors import InvalidInput
from crossrisk.domain.moments import in_utc
from crossrisk.domain.risk import check_text

NOTE_MAX = 2000
ACTION_MAX = 500
# A corrective action falls due after it is added and within two years: an improvement
# plan's horizon (HSEEP tracks actions to the next exercise cycle).
DUE_WITHIN = timedelta(days=730)


class Rating(StrEnum):
    """HSEEP's capability ratings."""

    P = "P"  # performed without challenges
    S = "S"  # performed with some challenges
    M = "M"  # performed with major challenges
    U = "U"  # unable to be performed


@dataclass(frozen=True, slots=True)
class Capability:
    code: str
    name_zh: str
    name_en: str


@dataclass(frozen=True, slots=True)
class CapabilityRating:
    capability: str
    rating: Rating
    strengths: str
    improvements: str
    rated_by: str
    rated_at: datetime


@dataclass(frozen=True, slots=True)
class CorrectiveAction:
    number: int
    capability: str
    text: str
    owner_code: str
    due_at: datetime
    added_by: str
    added_at: datetime
    duty_id: int | None = None


@dataclass(frozen=True, slots=True)
class Review:
    id: int | None
    region_code: str
    risk_id: int | None
    drill_id: int | None
    created_at: datetime
    created_by: str
    ratings: tuple[CapabilityRating, ...] = ()
    actions: tuple[CorrectiveAction, ...] = ()


def read_capabilities(table: dict[str, object]) -> tuple[Capability, ...]:
    """The capabilities of the policy table, in its order."""
    rows = table.get("capability")
    assert isinstance(rows, list)
    return tuple(Capability(str(r["code"]), str(r["name_zh"]), str(r["name_en"])) for r in rows)


def check_capability(code: str, capabilities: tuple[Capability, ...]) -> str:
    known = [c.code for c in capabilities]
    if code not in known:
        raise InvalidInput(
            f"capability {code[:64]!r} is not one of {', '.join(known)}",
            key="review-capability-unknown",
            params={"capability": code[:64]},
        )
    return code


def parse_rating(value: str) -> Rating:
    """P, S, M or U (case ignored); anything else is refused."""
    try:
        return Rating(value.strip().upper())
    except ValueError:
        raise InvalidInput(
            f"rating {value[:10]!r} is not one of P, S, M, U",
            key="review-rating-invalid",
            params={"rating": value[:10]},
        ) from None


def rated(
    capability: str,
    rating: str,
    *,
    strengths: str,
    improvements: str,
    by: str,
    now: datetime,
    capabilities: tuple[Capability, ...],
) -> CapabilityRating:
    """A capability's rating, checked."""
    return CapabilityRating(
        capability=check_capability(capability, capabilities),
        rating=parse_rating(rating),
        strengths=check_text("strengths", strengths, limit=NOTE_MAX, required=False),
        improvements=check_text("improvements", improvements, limit=NOTE_MAX, required=False),
        rated_by=by,
        rated_at=now,
    )


def corrective_action(
    review: Review,
    *,
    capability: str,
    text: str,
    owner_code: str,
    due_at: datetime,
    by: str,
    now: datetime,
    capabilities: tuple[Capability, ...],
) -> CorrectiveAction:
    """The review's next corrective action, checked: an owner and a due date in range."""
    owner = check_text("owner", owner_code, limit=64, required=False)
    if not owner:
        raise InvalidInput(
            "a corrective action needs the organisation responsible for it",
            key="review-action-no-owner",
        )
    due = in_utc(due_at, field="due")
    if due <= now or due > now + DUE_WITHIN:
        raise InvalidInput(
            f"a corrective action falls due after now and within {DUE_WITHIN.days} days",
            key="review-action-due-out-of-range",
            params={"days": DUE_WITHIN.days},
        )
    return CorrectiveAction(
        number=max((a.number for a in review.actions), default=0) + 1,
        capability=check_capability(capability, capabilities),
        text=check_text("action", text, limit=ACTION_MAX),
        owner_code=owner,
        due_at=due,
        added_by=by,
        added_at=now,
    )


def action_task(review_id: int, number: int) -> str:
    """The duty's task code: names the action within its review."""
    return f"review-{review_id}-action-{number}"


def review_source(review_id: int) -> str:
    """What drew the duty, as the duty records it."""
    return f"review:{review_id}"
