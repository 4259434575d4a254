"""Assessments and scorecards of member cities, and the committee's reward/penalty list.

An evaluator files third-party assessments of the region's members, a member city its own
self-assessment; a scorecard weighs them (third party above self, evaluation.toml) beside
the figures of the member's record over the period: duties, warning acknowledgements,
commitments and accountability cases. Periods are calendar days in Beijing time.
"""

from __future__ import annotations

from datetime import date, datetime
from functools import cache

from crossrisk.data import policy_table
from crossrisk.domain.aid.commitment import outcome
from crossrisk.domain.errors import InvalidInput, NotPermitted
from crossrisk.domain.evaluation.assessment import (
    Assessment,
    AssessmentDraft,
    AssessmentKind,
    Criterion,
    Weights,
    check_draft,
    check_period,
    read_criteria,
    read_weights,
)
from crossrisk.domain.evaluation.rewards import RewardPolicy, Standing, rank, read_reward_policy
from crossrisk.domain.evaluation.scorecard import (
    CaseFigure,
    CommitmentFigure,
    Scorecard,
)
from crossrisk.domain.evaluation.scorecard import (
    scorecard as compute_scorecard,
)
from crossrisk.domain.moments import BEIJING, day_after, day_start
from crossrisk.domain.organisation import Actor, Organisation, OrganisationKind
from crossrisk.domain.permissions.evaluation import can_assess
from crossrisk.domain.permissions.regions import (
    can_read_region,
    regions_to_list,
    require_read_region,
)
from crossrisk.store.uow import Transaction, UnitOfWork


@cache
def criteria() -> tuple[Criterion, ...]:
    """The published assessment criteria (crossrisk/data/policy/assessment_criteria.toml)."""
    return read_criteria(policy_table("assessment_criteria.toml"))


@cache
def weights() -> Weights:
    """How third-party and self-assessments weigh (crossrisk/data/policy/evaluation.toml)."""
    return read_weights(policy_table("evaluation.toml"))


@cache
def reward_policy() -> RewardPolicy:
    """The thresholds of the reward/penalty list (evaluation.toml)."""
    return read_reward_policy(policy_table("evaluation.toml"))


def file_assessment(
    uow: UnitOfWork, actor: Actor, draft: AssessmentDraft, *, now: datetime
) -> Assessment:
    """An evaluator assesses a member (third party), or a member city assesses itself."""
    draft = check_draft(draft, criteria())
    with uow as tx:
        tx.regions.get(draft.region_code)
        require_read_region(actor, draft.region_code)
        if not can_assess(
            actor, region_code=draft.region_code, member_code=draft.organisation_code
        ):
            raise NotPermitted(
                f"{actor.organisation.code} is neither the region's evaluator nor "
                f"{draft.organisation_code[:64]} itself",
                key="assessment-not-evaluator",
                params={"organisation": draft.organisation_code[:64]},
            )
        member = _member(tx, draft.region_code, draft.organisation_code)
        kind = (
            AssessmentKind.THIRD_PARTY
            if actor.kind is OrganisationKind.EVALUATOR
            else AssessmentKind.SELF
        )
        assessment = tx.assessments.add(
            Assessment(
                id=None,
                region_code=draft.region_code,
                organisation_code=member.code,
                kind=kind,
                assessor_code=actor.organisation.code,
                period_start=draft.period_start,
                period_end=draft.period_end,
                scores=draft.scores,
                note=draft.note,
                filed_at=now,
                filed_by=actor.username,
            )
        )
        tx.record(
            actor,
            "assessment.filed",
            subject=f"assessment:{assessment.id}",
            payload={
                "assessment": assessment.id,
                "region": assessment.region_code,
                "organisation": assessment.organisation_code,
                "kind": assessment.kind.value,
                "assessor": assessment.assessor_code,
                "period_start": assessment.period_start.isoformat(),
                "period_end": assessment.period_end.isoformat(),
                "scores": dict(assessment.scores),
                "note": assessment.note,
            },
            region_code=assessment.region_code,
            now=now,
        )
        tx.commit()
    return assessment


def list_assessments(
    uow: UnitOfWork,
    actor: Actor,
    *,
    region_code: str | None = None,
    organisation_code: str | None = None,
) -> list[Assessment]:
    """The assessments of the regions the actor reads (or of one), newest first."""
    with uow.read_only() as tx:
        regions = regions_to_list(actor, region_code)
        return tx.assessments.listed(region_codes=regions, organisation_code=organisation_code)


def members(uow: UnitOfWork, actor: Actor, region_code: str) -> list[Organisation]:
    """The member cities' organisations of a region, which assessments and scorecards name."""
    with uow.read_only() as tx:
        tx.regions.get(region_code)
        require_read_region(actor, region_code)
        return _members(tx, region_code)


def scorecard(
    uow: UnitOfWork,
    actor: Actor,
    organisation_code: str,
    *,
    start: date,
    end: date,
    now: datetime,
) -> Scorecard:
    """A member's scorecard over start…end (Beijing calendar days, both inclusive)."""
    check_period(start, end)
    with uow.read_only() as tx:
        member = tx.organisations.get(organisation_code)
        if member.kind is not OrganisationKind.JURISDICTION or member.jurisdiction_code is None:
            raise InvalidInput(
                f"{organisation_code[:64]} is not a member city's organisation",
                key="scorecard-not-a-member",
                params={"organisation": organisation_code[:64]},
            )
        regions = tx.regions.regions_of(member.jurisdiction_code)
        if not any(can_read_region(actor, r) for r in regions):
            raise NotPermitted(
                f"{organisation_code} is a member of no region you read",
                key="scorecard-not-readable",
                params={"organisation": organisation_code},
            )
        return _scorecard(tx, member, start=start, end=end, now=now)


def rewards_and_penalties(
    uow: UnitOfWork,
    actor: Actor,
    region_code: str,
    *,
    start: date,
    end: date,
    now: datetime,
) -> list[Standing]:
    """The region's members ranked for the committee, each with its scorecard.

    The rule (domain/evaluation/rewards.py, thresholds in evaluation.toml): ranked by the
    weighted assessment score; a penalty for an upheld accountability case or a score below
    the penalty threshold; a reward for the top scores at or above the reward threshold
    that rest on a third-party assessment and have no upheld case; nothing decided, only
    listed.
    """
    check_period(start, end)
    with uow.read_only() as tx:
        tx.regions.get(region_code)
        require_read_region(actor, region_code)
        cards = [
            _scorecard(tx, member, start=start, end=end, now=now)
            for member in _members(tx, region_code)
        ]
    return rank(cards, reward_policy())


def _scorecard(
    tx: Transaction, member: Organisation, *, start: date, end: date, now: datetime
) -> Scorecard:
    since, until = day_start(start), day_after(end)
    assert since is not None and until is not None and member.jurisdiction_code is not None
    commitments = tx.commitments.of_donor_due(member.jurisdiction_code, since=since, until=until)
    shipments = tx.shipments.of_commitments([c.id for c in commitments if c.id is not None])
    figures = [
        CommitmentFigure(
            commitment_id=c.id,
            due=c.due,
            outcome=outcome(
                quantity=c.quantity,
                due=c.due,
                cancelled_at=c.cancelled_at,
                shipments=shipments.get(c.id, []),
                now=now,
            ),
        )
        for c in commitments
        if c.id is not None
    ]
    # A drill's cases count as the real ones do: a drill exercises the same duties.
    cases = [
        CaseFigure(
            case_id=case.id,
            opened_at=case.opened_at,
            outcome=case.outcome.value if case.outcome else "",
            upheld=case.upheld,
            state=case.state.value,
            drill_id=case.drill_id,
        )
        for case in tx.cases.against(member.code, since=since, until=until)
        if case.id is not None
    ]
    return compute_scorecard(
        member.code,
        start=start,
        end=end,
        criteria=criteria(),
        weights=weights(),
        assessments=tx.assessments.overlapping(member.code, start=start, end=end),
        duties=tx.duties.falling_due(member.code, since=since, until=until),
        warnings=tx.warnings.to_organisation(member.code, since=since, until=until),
        commitments=figures,
        cases=cases,
        now=now,
        zone=BEIJING,
    )


def _members(tx: Transaction, region_code: str) -> list[Organisation]:
    codes = {j.code for j in tx.regions.members(region_code)}
    return sorted(
        (
            o
            for o in tx.organisations.of_kind(OrganisationKind.JURISDICTION)
            if o.jurisdiction_code in codes
        ),
        key=lambda o: o.code,
    )


def _member(tx: Transaction, region_code: str, organisation_code: str) -> Organisation:
    for member in _members(tx, region_code):
        if member.code == organisation_code:
            return member
    raise InvalidInput(
        f"{organisation_code[:64]} is not a member city of region {region_code}",
        key="assessment-member-not-of-region",
        params={"organisation": organisation_code[:64], "region": region_code},
    )
