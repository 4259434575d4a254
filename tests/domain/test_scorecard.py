"""Scorecards: third party weighed above self, the record's figures, empty periods, trends."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from crossrisk.data import policy_table
from crossrisk.domain.aid.commitment import Outcome
from crossrisk.domain.duty import DutyRecord, DutyStatus
from crossrisk.domain.errors import InvalidInput
from crossrisk.domain.evaluation.assessment import (
    Assessment,
    AssessmentDraft,
    AssessmentKind,
    Criterion,
    SourceKind,
    Weights,
    check_draft,
    read_criteria,
    read_weights,
)
from crossrisk.domain.evaluation.rewards import (
    Reason,
    RewardPolicy,
    Verdict,
    rank,
)
from crossrisk.domain.evaluation.scorecard import (
    Basis,
    CaseFigure,
    CommitmentFigure,
    Scorecard,
    assessment_score,
    scorecard,
    trend_buckets,
)
from crossrisk.domain.responsibility import DutyKind, PartyRole
from crossrisk.domain.warning import EarlyWarning, WarningLevel, WarningStatus
from crossrisk.domain.warning_plan import MessageType, WarningMessage

BEIJING = ZoneInfo("Asia/Shanghai")
NOW = datetime(2026, 9, 1, tzinfo=UTC)
WEIGHTS = Weights(third_party=0.7, self_assessed=0.3)


def criterion(key: str, weight: float, scale_max: float = 100.0) -> Criterion:
    return Criterion(
        key=key,
        name_zh=key,
        name_en=key,
        description_zh="",
        description_en="",
        weight=weight,
        scale_min=0.0,
        scale_max=scale_max,
        source="platform default",
        source_kind=SourceKind.PLATFORM_DEFAULT,
    )


CRITERIA = (criterion("reporting", 0.5), criterion("aid", 0.5, scale_max=10.0))


def assessment(
    kind: AssessmentKind, scores: dict[str, float], *, start: date = date(2026, 7, 1)
) -> Assessment:
    return Assessment(
        id=1,
        region_code="yrd",
        organisation_code="ema-330100",
        kind=kind,
        assessor_code="yrd-evaluator" if kind is AssessmentKind.THIRD_PARTY else "ema-330100",
        period_start=start,
        period_end=start + timedelta(days=20),
        scores=scores,
        note="",
        filed_at=NOW,
        filed_by="x",
    )


def duty(deadline: datetime, *, done_at: datetime | None = None) -> DutyRecord:
    return DutyRecord(
        id=1,
        risk_id=1,
        region_code="yrd",
        kind=DutyKind.PREPARE_AND_ACKNOWLEDGE,
        role=PartyRole.ASSIST,
        organisation_code="ema-330100",
        jurisdiction_code="330100",
        deadline=deadline,
        status=DutyStatus.DONE if done_at else DutyStatus.OPEN,
        assigned_at=deadline - timedelta(hours=1),
        done_at=done_at,
        done_by="x" if done_at else None,
    )


def message(
    issued: datetime,
    *,
    acknowledged: datetime | None = None,
    status: WarningStatus = WarningStatus.DELIVERED,
    msg_type: MessageType = MessageType.ALERT,
) -> WarningMessage:
    return WarningMessage(
        warning=EarlyWarning(
            id=f"w-{issued:%m%d%H%M}",
            risk_id=1,
            region_code="yrd",
            recipient_code="330100",
            level=WarningLevel.ORANGE,
            expected_arrival=None,
            instructions_zh="",
            instructions_en="",
            status=WarningStatus.ACKNOWLEDGED if acknowledged else status,
            issued_at=issued,
            ack_deadline=issued + timedelta(minutes=30),
        ),
        msg_type=msg_type,
        manual=False,
        recipient_organisation="ema-330100",
        issued_by="x",
        acknowledged_at=acknowledged,
    )


def test_third_party_weighs_more_than_self_on_each_criterion() -> None:
    found = [
        assessment(AssessmentKind.THIRD_PARTY, {"reporting": 60.0, "aid": 6.0}),
        assessment(AssessmentKind.SELF, {"reporting": 100.0, "aid": 10.0}),
    ]
    score = assessment_score(found, CRITERIA, WEIGHTS)
    assert score.basis is Basis.BOTH
    assert score.third_party == pytest.approx(60.0)
    assert score.self_assessed == pytest.approx(100.0)
    # 0.7 × 60 + 0.3 × 100, the aid criterion normalised from its 0–10 scale
    assert score.score == pytest.approx(72.0)
    assert [c.combined for c in score.criteria] == [pytest.approx(72.0), pytest.approx(72.0)]


def test_scores_of_one_kind_are_averaged_and_a_criterion_left_out_does_not_count() -> None:
    found = [
        assessment(AssessmentKind.THIRD_PARTY, {"reporting": 80.0}),
        assessment(AssessmentKind.THIRD_PARTY, {"reporting": 60.0}),
    ]
    score = assessment_score(found, CRITERIA, WEIGHTS)
    assert score.score == pytest.approx(70.0)
    assert score.criteria[1].combined is None
    assert score.basis is Basis.THIRD_PARTY and score.third_party_count == 2


def test_an_empty_period_has_no_score_and_zero_figures() -> None:
    card = scorecard(
        "ema-330100",
        start=date(2026, 7, 1),
        end=date(2026, 8, 31),
        criteria=CRITERIA,
        weights=WEIGHTS,
        assessments=[],
        duties=[],
        warnings=[],
        commitments=[],
        cases=[],
        now=NOW,
        zone=BEIJING,
    )
    assert card.assessment.score is None and card.assessment.basis is None
    assert card.duties.in_time_share is None
    assert card.acknowledgements.in_time_share is None
    assert card.commitments.honoured_share is None
    assert [p.label for p in card.trend] == ["2026-07", "2026-08"]
    assert all(p.assessment is None and p.duties_in_time is None for p in card.trend)


def test_the_record_counts_duties_acknowledgements_and_commitments_by_month() -> None:
    july = datetime(2026, 7, 10, 2, tzinfo=UTC)
    august = datetime(2026, 8, 10, 2, tzinfo=UTC)
    card = scorecard(
        "ema-330100",
        start=date(2026, 7, 1),
        end=date(2026, 8, 31),
        criteria=CRITERIA,
        weights=WEIGHTS,
        assessments=[assessment(AssessmentKind.THIRD_PARTY, {"reporting": 90.0, "aid": 9.0})],
        duties=[
            duty(july, done_at=july - timedelta(minutes=5)),
            duty(july, done_at=july + timedelta(minutes=5)),
            duty(august),  # open past its deadline at NOW: never done
            duty(NOW + timedelta(days=1)),  # not yet due
        ],
        warnings=[
            message(july, acknowledged=july + timedelta(minutes=10)),
            message(august, acknowledged=august + timedelta(hours=2)),
            message(august),  # never acknowledged
            message(august, status=WarningStatus.UPDATED),  # superseded: left out
            message(august, msg_type=MessageType.CANCEL),  # asks for nothing
        ],
        commitments=[
            CommitmentFigure(1, july, Outcome.HONOURED),
            CommitmentFigure(2, august, Outcome.BROKEN),
            CommitmentFigure(3, august, Outcome.OPEN),
        ],
        cases=[CaseFigure(7, august, "criticism", True), CaseFigure(8, july, "", False)],
        now=NOW,
        zone=BEIJING,
    )
    assert (card.duties.in_time, card.duties.late, card.duties.never, card.duties.open) == (
        1,
        1,
        1,
        1,
    )
    assert card.duties.in_time_share == pytest.approx(1 / 3)
    ack = card.acknowledgements
    assert (ack.in_time, ack.late, ack.never, ack.pending) == (1, 1, 1, 0)
    assert (card.commitments.honoured, card.commitments.broken, card.commitments.open) == (1, 1, 1)
    assert card.upheld_cases == 1 and [c.case_id for c in card.cases] == [8, 7]
    july_point, august_point = card.trend
    assert july_point.duties_in_time == 50.0 and july_point.acknowledged_in_time == 100.0
    assert july_point.commitments_honoured == 100.0 and july_point.assessment == 90.0
    assert august_point.duties_in_time == 0.0 and august_point.acknowledged_in_time == 0.0
    assert august_point.commitments_honoured == 0.0 and august_point.assessment is None


def test_trend_buckets_are_months_clipped_to_the_period_and_quarters_past_two_years() -> None:
    assert trend_buckets(date(2026, 7, 15), date(2026, 9, 3)) == [
        (date(2026, 7, 15), date(2026, 7, 31), "2026-07"),
        (date(2026, 8, 1), date(2026, 8, 31), "2026-08"),
        (date(2026, 9, 1), date(2026, 9, 3), "2026-09"),
    ]
    assert trend_buckets(date(2025, 12, 1), date(2025, 12, 31)) == [
        (date(2025, 12, 1), date(2025, 12, 31), "2025-12")
    ]
    quarters = trend_buckets(date(2024, 2, 10), date(2026, 12, 31))
    assert quarters[0] == (date(2024, 2, 10), date(2024, 3, 31), "2024-Q1")
    assert quarters[-1] == (date(2026, 10, 1), date(2026, 12, 31), "2026-Q4")
    assert len(quarters) == 12


def draft(**changes: object) -> AssessmentDraft:
    base = AssessmentDraft(
        region_code="yrd",
        organisation_code="ema-330100",
        period_start=date(2026, 7, 1),
        period_end=date(2026, 9, 30),
        scores={"reporting": 80.0},
        note="  fine  ",
    )
    return replace(base, **changes)  # type: ignore[arg-type]


def test_a_draft_is_checked_against_the_criteria() -> None:
    assert check_draft(draft(), CRITERIA).note == "fine"
    for bad, key in (
        (draft(scores={"nope": 1.0}), "assessment-criterion-unknown"),
        (draft(scores={"aid": 11.0}), "assessment-score-out-of-scale"),
        (draft(scores={"aid": float("nan")}), "assessment-score-out-of-scale"),
        (draft(scores={}), "assessment-no-scores"),
        (draft(period_start=date(1, 1, 1)), "evaluation-period-out-of-range"),
        (draft(period_end=date(9999, 12, 31)), "evaluation-period-out-of-range"),
        (draft(period_end=date(2026, 6, 30)), "evaluation-period-inverted"),
        (draft(note="a\x00b"), "text-control"),
        (draft(note="x" * 2001), "text-too-long"),
    ):
        with pytest.raises(InvalidInput) as refused:
            check_draft(bad, CRITERIA)
        assert refused.value.key == key


def test_the_bundled_criteria_and_weights_are_valid_and_say_their_source() -> None:
    criteria = read_criteria(policy_table("assessment_criteria.toml"))
    assert sum(c.weight for c in criteria) == pytest.approx(1.0)
    assert all(c.source for c in criteria)
    assert {c.source_kind for c in criteria} == set(SourceKind)
    weights = read_weights(policy_table("evaluation.toml"))
    assert weights.third_party > weights.self_assessed
    with pytest.raises(ValueError):
        Weights(third_party=0.3, self_assessed=0.7)


def card(
    code: str, score: float | None, *, upheld: bool = False, basis: Basis = Basis.BOTH
) -> Scorecard:
    kinds = {
        Basis.BOTH: [AssessmentKind.THIRD_PARTY, AssessmentKind.SELF],
        Basis.THIRD_PARTY: [AssessmentKind.THIRD_PARTY],
        Basis.SELF: [AssessmentKind.SELF],
    }[basis]
    found = [] if score is None else [assessment(k, {"reporting": score}) for k in kinds]
    cases = [CaseFigure(1, NOW, "criticism", True)] if upheld else []
    return scorecard(
        code,
        start=date(2026, 7, 1),
        end=date(2026, 7, 31),
        criteria=CRITERIA,
        weights=WEIGHTS,
        assessments=found,
        duties=[],
        warnings=[],
        commitments=[],
        cases=cases,
        now=NOW,
        zone=BEIJING,
    )


def test_rewards_go_to_top_scores_without_upheld_cases_and_penalties_to_low_or_upheld() -> None:
    standings = rank(
        [
            card("a", 95.0, upheld=True),
            card("b", 92.0),
            card("c", 90.0, basis=Basis.SELF),
            card("d", 88.0),
            card("e", 86.0),
            card("f", 70.0),
            card("g", 50.0),
            card("h", None),
            card("i", None, upheld=True),
        ],
        RewardPolicy(reward_places=2, reward_min=85.0, penalty_below=60.0),
    )
    got = [(s.scorecard.organisation_code, s.rank, s.verdict, s.reasons) for s in standings]
    assert got == [
        ("a", 1, Verdict.PENALTY, (Reason.UPHELD_CASES,)),
        ("b", 2, Verdict.REWARD, (Reason.TOP_SCORE,)),
        ("c", 3, Verdict.NONE, (Reason.SELF_ONLY,)),
        ("d", 4, Verdict.REWARD, (Reason.TOP_SCORE,)),
        ("e", 5, Verdict.NONE, ()),
        ("f", 6, Verdict.NONE, ()),
        ("g", 7, Verdict.PENALTY, (Reason.LOW_SCORE,)),
        ("h", None, Verdict.NONE, (Reason.NOT_ASSESSED,)),
        ("i", None, Verdict.PENALTY, (Reason.UPHELD_CASES, Reason.NOT_ASSESSED)),
    ]
