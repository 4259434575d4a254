"""After-action reviews of risks: the record's overview, timeline and metrics, the
evaluator's capability ratings and the committee's improvement plan.

A review is begun by its first rating or corrective action. Each corrective action is a
duty of its owner (kind ACTION, source "review:N") assigned through `duties.assign`, so it
is on the owner's "My duties", reminded once before it falls due and marked done by the
owner like any other duty (`complete_corrective_action`).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime
from functools import cache
from typing import Any

from crossrisk.data import policy_table
from crossrisk.domain.accountability.case import Case
from crossrisk.domain.duty import DutyRecord, DutyStatus
from crossrisk.domain.errors import InvalidInput, NotFound, NotPermitted
from crossrisk.domain.evaluation.metrics import Metric
from crossrisk.domain.evaluation.review import (
    Capability,
    CapabilityRating,
    CorrectiveAction,
    Review,
    action_task,
    corrective_action,
    rated,
    read_capabilities,
    review_source,
)
from crossrisk.domain.journal import JournalEntry
from crossrisk.domain.meeting import owner_role
from crossrisk.domain.organisation import Actor
from crossrisk.domain.permissions.evaluation import can_plan_corrective_actions, can_rate_review
from crossrisk.domain.permissions.regions import can_read_region, require_read_region
from crossrisk.domain.responsibility import DutyKind
from crossrisk.domain.risk import Risk
from crossrisk.services import duties
from crossrisk.services.accountability import readable_cases
from crossrisk.services.evaluation import metrics_of_risks, risk_entries
from crossrisk.services.meetings import region_organisations
from crossrisk.store.uow import Transaction, UnitOfWork


@cache
def review_capabilities() -> tuple[Capability, ...]:
    """The capabilities a review rates (data/policy/review_capabilities.toml)."""
    return read_capabilities(policy_table("review_capabilities.toml"))


@dataclass(frozen=True, slots=True)
class ReviewReport:
    """Everything an after-action review shows, read in one transaction."""

    risk: Risk
    review: Review | None  # None until the first rating or corrective action
    metrics: list[Metric]
    timeline: list[JournalEntry]
    parties: list[str]  # organisation codes that acted on the risk or were warned
    capabilities: tuple[Capability, ...]
    action_duties: dict[int, DutyRecord]  # each corrective action's duty, by number
    start: datetime | None
    end: datetime | None
    cases: list[Case]  # the accountability cases the risk's record opened, that the reader reads

    @property
    def ratings(self) -> dict[str, CapabilityRating]:
        return {} if self.review is None else {r.capability: r for r in self.review.ratings}

    @property
    def actions(self) -> tuple[CorrectiveAction, ...]:
        return () if self.review is None else self.review.actions


def review_of_risk(uow: UnitOfWork, actor: Actor, risk_id: int, *, now: datetime) -> ReviewReport:
    """A risk's after-action review, for anyone who reads its region."""
    with uow.read_only() as tx:
        risk = tx.risks.get(risk_id)
        require_read_region(actor, risk.region_code)
        entries = risk_entries(tx, [risk_id])
        review = tx.reviews.of_risk(risk_id)
        action_duties = {}
        if review is not None:
            for action in review.actions:
                if action.duty_id is not None:
                    action_duties[action.number] = tx.duties.get(action.duty_id)
        return ReviewReport(
            risk=risk,
            review=review,
            metrics=metrics_of_risks(tx, [risk_id], now=now),
            timeline=entries,
            parties=_parties(entries),
            capabilities=review_capabilities(),
            action_duties=action_duties,
            start=entries[0].at if entries else risk.created_at,
            end=entries[-1].at if entries else None,
            cases=readable_cases(tx, actor, risk_id=risk_id),
        )


def risks_of_reviews(uow: UnitOfWork, actor: Actor, review_ids: set[int]) -> dict[int, int]:
    """The risk each review is of, for the reviews in regions the actor reads."""
    found = {}
    with uow.read_only() as tx:
        for review_id in sorted(review_ids):
            try:
                review = tx.reviews.get(review_id)
            except NotFound:
                continue
            if review.risk_id is not None and can_read_region(actor, review.region_code):
                found[review_id] = review.risk_id
    return found


def rate_capability(
    uow: UnitOfWork,
    actor: Actor,
    risk_id: int,
    *,
    capability: str,
    rating: str,
    strengths: str = "",
    improvements: str = "",
    now: datetime,
) -> CapabilityRating:
    """The evaluator rates one capability P/S/M/U; a later rating of it replaces this one."""
    checked = rated(
        capability,
        rating,
        strengths=strengths,
        improvements=improvements,
        by=actor.username,
        now=now,
        capabilities=review_capabilities(),
    )
    with uow as tx:
        risk = tx.risks.get(risk_id, for_update=True)
        require_read_region(actor, risk.region_code)
        if not can_rate_review(actor, risk.region_code):
            raise NotPermitted(
                f"only an officer of the evaluator of {risk.region_code} rates capabilities",
                key="review-rate-not-evaluator",
                params={"region": risk.region_code},
            )
        review = _review_for(tx, actor, risk, now=now)
        assert review.id is not None
        tx.reviews.rate(review.id, checked)
        _record(
            tx,
            actor,
            "review.rated",
            review,
            now=now,
            extra={
                "capability": checked.capability,
                "rating": checked.rating.value,
                "strengths": checked.strengths,
                "improvements": checked.improvements,
            },
        )
        tx.commit()
    return checked


def add_corrective_action(
    uow: UnitOfWork,
    actor: Actor,
    risk_id: int,
    *,
    capability: str,
    text: str,
    owner_code: str,
    due_at: datetime,
    now: datetime,
) -> tuple[CorrectiveAction, DutyRecord]:
    """The committee adds a corrective action: a duty of its owner, due by due_at."""
    with uow as tx:
        risk = tx.risks.get(risk_id, for_update=True)
        require_read_region(actor, risk.region_code)
        if not can_plan_corrective_actions(actor, risk.region_code):
            raise NotPermitted(
                f"only the coordination body of {risk.region_code} adds corrective actions",
                key="review-action-not-permitted",
                params={"region": risk.region_code},
            )
        current = tx.reviews.of_risk(risk_id, for_update=True)
        draft = Review(None, risk.region_code, risk_id, None, now, actor.username)
        action = corrective_action(
            current or draft,
            capability=capability,
            text=text,
            owner_code=owner_code,
            due_at=due_at,
            by=actor.username,
            now=now,
            capabilities=review_capabilities(),
        )
        owners = {o.code: o for o in region_organisations(tx, risk.region_code)}
        owner = owners.get(action.owner_code)
        if owner is None:
            raise InvalidInput(
                f"{action.owner_code} is not an organisation of region {risk.region_code}",
                key="review-action-owner-not-of-region",
                params={"organisation": action.owner_code, "region": risk.region_code},
            )
        review = current or _review_for(tx, actor, risk, now=now)
        assert review.id is not None
        duty = duties.assign(
            tx,
            actor,
            DutyRecord(
                id=None,
                risk_id=None,  # standing work after the event: not one of the risk's lines
                region_code=risk.region_code,
                kind=DutyKind.ACTION,
                role=owner_role(owner.kind),
                organisation_code=owner.code,
                jurisdiction_code=owner.jurisdiction_code,
                deadline=action.due_at,
                status=DutyStatus.OPEN,
                assigned_at=now,
                task=action_task(review.id, action.number),
                title=action.text,
                source=review_source(review.id),
            ),
            now=now,
        )
        action = replace(action, duty_id=duty.id)
        tx.reviews.add_action(review.id, action)
        _record(
            tx,
            actor,
            "review.corrective_action_added",
            review,
            now=now,
            extra=_action_facts(action),
        )
        tx.commit()
    return action, duty


def complete_corrective_action(
    uow: UnitOfWork, actor: Actor, risk_id: int, number: int, *, note: str = "", now: datetime
) -> DutyRecord:
    """The owner marks a corrective action done: its duty is acknowledged as done."""
    with uow.read_only() as tx:
        risk = tx.risks.get(risk_id)
        require_read_region(actor, risk.region_code)
        review = tx.reviews.of_risk(risk_id)
        found = next((a for a in review.actions if a.number == number), None) if review else None
        if found is None or found.duty_id is None:
            raise NotFound(
                f"risk {risk_id}'s review has no corrective action {number}",
                key="review-action-not-found",
                params={"risk": risk_id, "action": number},
            )
        duty_id = found.duty_id
    return duties.acknowledge_duty(uow, actor, duty_id, note=note, now=now)


def _review_for(tx: Transaction, actor: Actor, risk: Risk, *, now: datetime) -> Review:
    """The risk's review, begun (and journaled) when it has none."""
    assert risk.id is not None
    found = tx.reviews.of_risk(risk.id, for_update=True)
    if found is not None:
        return found
    review = tx.reviews.add(Review(None, risk.region_code, risk.id, None, now, actor.username))
    _record(tx, actor, "review.begun", review, now=now, extra={})
    return review


def _record(
    tx: Transaction,
    actor: Actor,
    action: str,
    review: Review,
    *,
    now: datetime,
    extra: dict[str, Any],
) -> None:
    tx.record(
        actor,
        action,
        subject=f"review:{review.id}",
        payload={
            "review": review.id,
            "risk_id": review.risk_id,
            "drill_id": review.drill_id,
            "region": review.region_code,
            **extra,
        },
        region_code=review.region_code,
        now=now,
    )


def _action_facts(action: CorrectiveAction) -> dict[str, Any]:
    return {
        "number": action.number,
        "capability": action.capability,
        "text": action.text,
        "owner": action.owner_code,
        "due_at": action.due_at.isoformat(),
        "duty": action.duty_id,
    }


def _parties(entries: list[JournalEntry]) -> list[str]:
    """The organisations that wrote the record or were named as its parties."""
    found: set[str] = set()
    for entry in entries:
        found.add(entry.organisation)
        named = entry.payload.get("organisation")
        if isinstance(named, str):
            found.add(named)
    return sorted(code for code in found if code and code != "system")
