"""Assessments filed by the evaluator or the member itself, scorecards over the record, and
the committee's reward/penalty list; on both backends."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta
from typing import Any

import pytest

from crossrisk.domain.errors import CrossriskError, InvalidInput, NotFound, NotPermitted
from crossrisk.domain.evaluation.assessment import AssessmentDraft, AssessmentKind
from crossrisk.domain.evaluation.rewards import Reason, Verdict
from crossrisk.domain.evaluation.scorecard import Basis
from crossrisk.domain.events import Event
from crossrisk.domain.organisation import Role
from crossrisk.services import risks, scorecards, warnings
from crossrisk.store.uow import UnitOfWork
from tests.support import T0, XINAN_SPILL, actor, draft

HANGZHOU = "ema-330100"
HUANGSHAN = "ema-341000"
COMMITTEE = "yrd-committee"
EVALUATOR = "yrd-evaluator"
JULY = (date(2026, 7, 1), date(2026, 7, 31))
NOW = T0 + timedelta(days=40)
FULL = {
    "information_reporting": 90.0,
    "warning_response": 90.0,
    "joint_response": 90.0,
    "plans_and_drills": 90.0,
    "duty_fulfilment": 90.0,
    "review_and_improvement": 90.0,
}


def assessment(**changes: Any) -> AssessmentDraft:
    base = AssessmentDraft(
        region_code="yrd",
        organisation_code=HANGZHOU,
        period_start=JULY[0],
        period_end=JULY[1],
        scores=FULL,
        note="跨域协作良好",
    )
    return replace(base, **changes)


def journal(uow: UnitOfWork, action: str) -> list[dict[str, Any]]:
    with uow.read_only() as tx:
        return [dict(e.payload) for e in tx.journal.entries() if e.action == action]


def written(uow: UnitOfWork) -> tuple[int, int]:
    with uow.read_only() as tx:
        return tx.assessments.count(), len(list(tx.journal.entries()))


def test_the_evaluator_files_a_third_party_assessment_journaled_and_announced(
    uow: UnitOfWork,
) -> None:
    heard: list[Event] = []
    uow.bus.subscribe(heard.append)

    filed = scorecards.file_assessment(uow, actor(uow, EVALUATOR), assessment(), now=T0)

    assert filed.id is not None and filed.kind is AssessmentKind.THIRD_PARTY
    assert filed.assessor_code == EVALUATOR and filed.scores == FULL
    (entry,) = journal(uow, "assessment.filed")
    assert entry == {
        "assessment": filed.id,
        "region": "yrd",
        "organisation": HANGZHOU,
        "kind": "third_party",
        "assessor": EVALUATOR,
        "period_start": "2026-07-01",
        "period_end": "2026-07-31",
        "scores": FULL,
        "note": "跨域协作良好",
    }
    assert [(e.name, e.subject) for e in heard] == [("assessment.filed", f"assessment:{filed.id}")]
    listed = scorecards.list_assessments(uow, actor(uow, COMMITTEE), region_code="yrd")
    assert [a.id for a in listed] == [filed.id]


def test_a_member_assesses_itself_and_the_scorecard_weighs_the_evaluator_above_it(
    uow: UnitOfWork,
) -> None:
    scorecards.file_assessment(
        uow, actor(uow, EVALUATOR), assessment(scores={"information_reporting": 60.0}), now=T0
    )
    own = scorecards.file_assessment(
        uow, actor(uow, HANGZHOU), assessment(scores={"information_reporting": 100.0}), now=T0
    )
    assert own.kind is AssessmentKind.SELF and own.assessor_code == HANGZHOU

    card = scorecards.scorecard(
        uow, actor(uow, COMMITTEE), HANGZHOU, start=JULY[0], end=JULY[1], now=NOW
    )

    assert card.assessment.basis is Basis.BOTH
    assert card.assessment.score == pytest.approx(0.7 * 60 + 0.3 * 100)
    assert [p.label for p in card.trend] == ["2026-07"]
    # an assessment of a period outside the scorecard's is not counted
    august = scorecards.scorecard(
        uow, actor(uow, COMMITTEE), HANGZHOU, start=date(2026, 8, 1), end=date(2026, 8, 31), now=NOW
    )
    assert august.assessment.score is None


def test_the_scorecard_counts_the_warnings_and_duties_of_the_record(uow: UnitOfWork) -> None:
    risk = risks.register_risk(
        uow, actor(uow, HUANGSHAN), draft(**XINAN_SPILL), region_code="yrd", now=T0
    )
    hangzhou = actor(uow, HANGZHOU)
    (message,) = [m for m in warnings.inbox(uow, hangzhou) if m.warning.risk_id == risk.id]
    warnings.acknowledge(uow, hangzhou, message.id, via="page", now=T0 + timedelta(minutes=5))

    card = scorecards.scorecard(uow, hangzhou, HANGZHOU, start=JULY[0], end=JULY[1], now=NOW)

    assert (card.acknowledgements.in_time, card.acknowledgements.never) == (1, 0)
    assert card.duties.in_time == 1 and card.duties.late == 0  # its prepare-and-acknowledge
    assert card.trend[0].acknowledged_in_time == 100.0
    origin = scorecards.scorecard(uow, hangzhou, HUANGSHAN, start=JULY[0], end=JULY[1], now=NOW)
    assert origin.acknowledgements.in_time == 0
    assert origin.duties.never >= 1  # the lead's report, never made
    assert origin.cases == ()  # the accountability cases are wired in elsewhere


def test_the_reward_list_ranks_the_members_of_the_region(uow: UnitOfWork) -> None:
    scorecards.file_assessment(uow, actor(uow, EVALUATOR), assessment(), now=T0)
    scorecards.file_assessment(
        uow,
        actor(uow, EVALUATOR),
        assessment(organisation_code=HUANGSHAN, scores={"information_reporting": 40.0}),
        now=T0,
    )

    standings = scorecards.rewards_and_penalties(
        uow, actor(uow, COMMITTEE), "yrd", start=JULY[0], end=JULY[1], now=NOW
    )

    by_code = {s.scorecard.organisation_code: s for s in standings}
    assert by_code[HANGZHOU].rank == 1 and by_code[HANGZHOU].verdict is Verdict.REWARD
    assert by_code[HUANGSHAN].rank == 2 and by_code[HUANGSHAN].verdict is Verdict.PENALTY
    assert by_code[HUANGSHAN].reasons == (Reason.LOW_SCORE,)
    unassessed = [s for s in standings if s.rank is None]
    assert unassessed and all(s.reasons == (Reason.NOT_ASSESSED,) for s in unassessed)
    assert len(standings) == len(scorecards.members(uow, actor(uow, COMMITTEE), "yrd"))


@pytest.mark.parametrize(
    ("who", "role", "changes", "error", "key"),
    [
        (HUANGSHAN, Role.OFFICER, {}, NotPermitted, "assessment-not-evaluator"),
        (COMMITTEE, Role.OFFICER, {}, NotPermitted, "assessment-not-evaluator"),
        (EVALUATOR, Role.VIEWER, {}, NotPermitted, "assessment-not-evaluator"),
        (
            EVALUATOR,
            Role.OFFICER,
            {"scores": {"bribery": 1.0}},
            InvalidInput,
            "assessment-criterion-unknown",
        ),
        (
            EVALUATOR,
            Role.OFFICER,
            {"scores": {"information_reporting": 101.0}},
            InvalidInput,
            "assessment-score-out-of-scale",
        ),
        (
            EVALUATOR,
            Role.OFFICER,
            {"period_start": date(1, 1, 1)},
            InvalidInput,
            "evaluation-period-out-of-range",
        ),
        (
            EVALUATOR,
            Role.OFFICER,
            {"period_end": date(9999, 12, 31)},
            InvalidInput,
            "evaluation-period-out-of-range",
        ),
        (
            EVALUATOR,
            Role.OFFICER,
            {"period_end": date(2026, 6, 1)},
            InvalidInput,
            "evaluation-period-inverted",
        ),
        (
            EVALUATOR,
            Role.OFFICER,
            {"organisation_code": COMMITTEE},
            InvalidInput,
            "assessment-member-not-of-region",
        ),
        (
            EVALUATOR,
            Role.OFFICER,
            {"organisation_code": "ema-440100"},
            InvalidInput,
            "assessment-member-not-of-region",
        ),
        (EVALUATOR, Role.OFFICER, {"note": "a\x00b"}, InvalidInput, "text-control"),
    ],
)
def test_a_refused_assessment_writes_nothing(
    uow: UnitOfWork,
    who: str,
    role: Role,
    changes: dict[str, Any],
    error: type[CrossriskError],
    key: str,
) -> None:
    before = written(uow)

    with pytest.raises(error) as refused:
        scorecards.file_assessment(uow, actor(uow, who, role), assessment(**changes), now=T0)

    assert refused.value.key == key
    assert written(uow) == before


def test_an_assessment_of_another_region_is_refused(uow: UnitOfWork) -> None:
    before = written(uow)
    with pytest.raises(NotPermitted):
        scorecards.file_assessment(
            uow, actor(uow, EVALUATOR), assessment(region_code="pearl"), now=T0
        )
    with pytest.raises(NotFound):
        scorecards.file_assessment(
            uow, actor(uow, EVALUATOR), assessment(region_code="nowhere"), now=T0
        )
    assert written(uow) == before


def test_a_scorecard_is_of_a_member_the_actor_reads(uow: UnitOfWork) -> None:
    with pytest.raises(InvalidInput) as refused:
        scorecards.scorecard(
            uow, actor(uow, EVALUATOR), COMMITTEE, start=JULY[0], end=JULY[1], now=NOW
        )
    assert refused.value.key == "scorecard-not-a-member"
    with pytest.raises(NotPermitted) as refused:
        scorecards.scorecard(
            uow, actor(uow, "pearl-committee"), HANGZHOU, start=JULY[0], end=JULY[1], now=NOW
        )
    assert refused.value.key == "scorecard-not-readable"
    with pytest.raises(InvalidInput):
        scorecards.scorecard(
            uow, actor(uow, EVALUATOR), HANGZHOU, start=JULY[1], end=JULY[0], now=NOW
        )
