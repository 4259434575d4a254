"""The beta reputation score: E = (r + 1)/(r + s + 2), forgetting, aspects and peer ratings."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from crossrisk.domain.errors import InvalidInput
from crossrisk.domain.trust.reputation import (
    DEFAULT_INCREMENTS,
    Aspect,
    Evidence,
    EvidenceKind,
    TrustPolicy,
    beta_score,
    reputations,
)

T0 = datetime(2026, 7, 1, tzinfo=UTC)
K = EvidenceKind


def item(
    kind: EvidenceKind, day: float = 0, subject: str = "Huangshan", **more: object
) -> Evidence:
    ref = more.pop("ref", f"journal:{kind}:{day}")
    return Evidence(T0 + timedelta(days=day), kind, subject, str(ref), **more)  # type: ignore[arg-type]


def test_no_evidence_scores_one_half_and_eight_of_ten_kept_scores_three_quarters() -> None:
    assert beta_score(0, 0) == 0.5
    evidence = [item(K.COMMITMENT_HONOURED, d) for d in range(8)]
    evidence += [item(K.COMMITMENT_BROKEN, 8 + d) for d in range(2)]

    (reputation,) = reputations(evidence, TrustPolicy()).values()

    # r = 8, s = 2: (8 + 1) / (8 + 2 + 2) = 0.75.
    assert reputation.score == pytest.approx(0.75)
    assert [round(p.score, 4) for p in reputation.overall[:3]] == [0.6667, 0.75, 0.8]
    assert len(reputation.overall) == 10


def test_late_commitment_counts_half_for_and_half_against() -> None:
    (reputation,) = reputations([item(K.COMMITMENT_LATE)], TrustPolicy()).values()
    point = reputation.overall[0]
    assert (point.r, point.s, point.score) == (0.5, 0.5, 0.5)


def test_per_event_forgetting_fades_old_evidence() -> None:
    evidence = [
        item(K.DUTY_IN_TIME, 0),
        item(K.DUTY_IN_TIME, 1),
        item(K.DUTY_LATE, 2),
    ]

    (reputation,) = reputations(evidence, TrustPolicy(forgetting=0.5)).values()

    # r: 1, then 0.5·1 + 1 = 1.5, then 0.75; s: 0, 0, then 1. E = 1.75 / 3.75.
    last = reputation.overall[-1]
    assert (last.r, last.s) == (0.75, 1.0)
    assert last.score == pytest.approx(1.75 / 3.75)


def test_forgetting_per_period_fades_with_time_elapsed() -> None:
    policy = TrustPolicy(forgetting=0.5, period=timedelta(days=30))
    evidence = [item(K.COMMITMENT_HONOURED, 0), item(K.COMMITMENT_BROKEN, 60)]

    (reputation,) = reputations(evidence, policy).values()

    # Two periods later the honoured commitment weighs 0.25: E = 1.25 / 3.25.
    assert reputation.overall[-1].r == pytest.approx(0.25)
    assert reputation.score == pytest.approx(1.25 / 3.25)


def test_each_aspect_has_its_own_history_beside_the_overall_one() -> None:
    evidence = [
        item(K.COMMITMENT_HONOURED, 0),
        item(K.ACKNOWLEDGEMENT_MISSED, 1),
        item(K.ACKNOWLEDGEMENT_MISSED, 2),
    ]

    (reputation,) = reputations(evidence, TrustPolicy()).values()

    assert reputation.by_aspect[Aspect.COMMITMENTS][-1].score == pytest.approx(2 / 3)
    assert reputation.by_aspect[Aspect.ACKNOWLEDGEMENTS][-1].score == pytest.approx(1 / 4)
    assert reputation.score == pytest.approx(2 / 5)
    assert Aspect.DUTIES not in reputation.by_aspect


def test_peer_rating_counts_by_the_raters_own_score() -> None:
    evidence = [
        item(K.COMMITMENT_HONOURED, 0, subject="Hangzhou"),
        item(K.COMMITMENT_HONOURED, 1, subject="Hangzhou"),
        # Hangzhou (E = 3/4) rates the aid Huangshan sent it fully satisfactory.
        item(K.PEER_RATING, 2, rater="Hangzhou", rating=1.0),
        # Quzhou has no record yet (E = 1/2) and rates Huangshan's aid poor.
        item(K.PEER_RATING, 3, rater="Quzhou", rating=0.0),
    ]

    scores = reputations(evidence, TrustPolicy())
    huangshan = scores["Huangshan"]

    first, second = huangshan.overall
    assert (first.added_r, first.added_s, first.rater_score) == (0.75, 0.0, 0.75)
    assert (second.added_r, second.added_s, second.rater_score) == (0.0, 0.5, 0.5)
    assert huangshan.score == pytest.approx(1.75 / 3.25)
    assert set(scores) == {"Hangzhou", "Huangshan"}


def test_history_is_in_time_order_and_names_the_evidence_that_moved_it() -> None:
    evidence = [
        item(K.DUTY_LATE, 2, ref="journal:30"),
        item(K.DUTY_IN_TIME, 1, ref="journal:20", weight=0.0),
        item(K.DUTY_IN_TIME, 0, ref="journal:10"),
    ]

    (reputation,) = reputations(evidence, TrustPolicy()).values()

    assert [p.evidence.source_ref for p in reputation.overall] == [
        "journal:10",
        "journal:20",
        "journal:30",
    ]
    assert [e.source_ref for e in reputation.evidence_that_moved()] == ["journal:10", "journal:30"]


def test_a_configured_table_changes_what_a_kind_is_worth() -> None:
    harsh = {**DEFAULT_INCREMENTS, K.COMMITMENT_LATE: (0.0, 1.0)}
    (reputation,) = reputations([item(K.COMMITMENT_LATE)], TrustPolicy(increments=harsh)).values()
    assert reputation.score == pytest.approx(1 / 3)


@pytest.mark.parametrize(
    ("evidence", "message"),
    [
        (item(K.PEER_RATING, rater="Huangshan", rating=1.0), "cannot rate itself"),
        (item(K.PEER_RATING, rater="Hangzhou", rating=1.5), "between 0 and 1"),
        (item(K.PEER_RATING, rating=1.0), "names no rater"),
        (item(K.DUTY_LATE, rater="Hangzhou"), "only a peer rating has a rater"),
        (item(K.DUTY_LATE, weight=-1.0), "weight between 0 and 1000"),
        (item(K.DUTY_LATE, weight=float("nan")), "weight between 0 and 1000"),
        (item(K.DUTY_LATE, ref=" "), "names its source"),
        (
            Evidence(datetime(2026, 7, 1), K.DUTY_LATE, "Huangshan", "journal:1"),
            "without a time zone",
        ),
    ],
)
def test_bad_evidence_is_refused(evidence: Evidence, message: str) -> None:
    with pytest.raises(InvalidInput, match=message):
        reputations([evidence], TrustPolicy())


@pytest.mark.parametrize(
    ("settings", "message"),
    [
        ({"forgetting": 0.0}, r"must be in \(0, 1\]"),
        ({"forgetting": 1.5}, r"must be in \(0, 1\]"),
        ({"period": timedelta(0)}, "period must be positive"),
        ({"increments": {K.DUTY_LATE: (0.0, 1.0)}}, "no entry for commitment_honoured"),
        ({"increments": {**DEFAULT_INCREMENTS, K.DUTY_LATE: (0.0, -1.0)}}, "finite numbers ≥ 0"),
        ({"increments": {**DEFAULT_INCREMENTS, K.DUTY_LATE: (0, 10**400)}}, "finite numbers ≥ 0"),
    ],
)
def test_bad_policy_is_refused(settings: dict[str, object], message: str) -> None:
    with pytest.raises(InvalidInput, match=message):
        TrustPolicy(**settings)  # type: ignore[arg-type]
