"""The committee's verdicts and recipients' ratings, pure: what a disputed item counts as,
and a rating as a share."""

from __future__ import annotations

import pytest

from crossrisk.domain.errors import InvalidInput
from crossrisk.domain.trust.reputation import EvidenceKind as K
from crossrisk.domain.trust.supervision import Verdict, decide, parse_target, rating_share


@pytest.mark.parametrize(
    ("target", "recorded", "held"),
    [
        ("duty:7", K.DUTY_IN_TIME, K.DUTY_LATE),  # marked done, disputed: counts negative
        ("duty:7", K.DUTY_LATE, K.DUTY_IN_TIME),
        ("commitment:3", K.COMMITMENT_HONOURED, K.COMMITMENT_BROKEN),
        ("commitment:3", K.COMMITMENT_LATE, K.COMMITMENT_BROKEN),
        ("commitment:3", K.COMMITMENT_BROKEN, K.COMMITMENT_HONOURED),
    ],
)
def test_a_dispute_without_a_kind_counts_as_the_opposite(target: str, recorded: K, held: K) -> None:
    assert decide(target, recorded, Verdict.DISPUTED, counts_as=None, reason=" 理由 ") == (
        held,
        "理由",
    )


def test_a_dispute_may_name_what_it_counts_as_within_the_targets_kinds() -> None:
    held, _ = decide(
        "commitment:3",
        K.COMMITMENT_HONOURED,
        Verdict.DISPUTED,
        counts_as=K.COMMITMENT_LATE,
        reason="到货晚于记录",
    )
    assert held is K.COMMITMENT_LATE
    with pytest.raises(InvalidInput) as wrong:
        decide("duty:7", K.DUTY_LATE, Verdict.DISPUTED, counts_as=K.COMMITMENT_HONOURED, reason="x")
    assert wrong.value.key == "trust-kind-not-of-target"
    with pytest.raises(InvalidInput) as same:
        decide("duty:7", K.DUTY_LATE, Verdict.DISPUTED, counts_as=K.DUTY_LATE, reason="x")
    assert same.value.key == "trust-dispute-same-kind"


def test_a_confirmation_keeps_the_record() -> None:
    assert decide("duty:7", K.DUTY_LATE, Verdict.CONFIRMED, counts_as=None, reason="属实")[0] is (
        K.DUTY_LATE
    )
    with pytest.raises(InvalidInput) as changed:
        decide("duty:7", K.DUTY_LATE, Verdict.CONFIRMED, counts_as=K.DUTY_IN_TIME, reason="x")
    assert changed.value.key == "trust-confirm-changes-kind"


@pytest.mark.parametrize(
    "target", ["risk:1", "duty:", "duty:-1", "duty:0", "duty:１", "duty:99999999999"]
)
def test_only_a_commitment_or_duty_by_id_is_a_target(target: str) -> None:
    with pytest.raises(InvalidInput) as refused:
        parse_target(target)
    assert refused.value.key == "trust-target-invalid"


@pytest.mark.parametrize(
    ("given", "share"),
    [(1, 0.0), ("2", 0.25), (3, 0.5), ("4", 0.75), (5, 1.0), ("positive", 1.0), (" Negative", 0.0)],
)
def test_a_rating_becomes_a_share(given: str | int, share: float) -> None:
    assert rating_share(given)[1] == share


@pytest.mark.parametrize("given", [0, 6, "3.5", "good", "", True])
def test_anything_else_is_no_rating(given: object) -> None:
    with pytest.raises(InvalidInput) as refused:
        rating_share(given)  # type: ignore[arg-type]
    assert refused.value.key == "trust-rating-invalid"
