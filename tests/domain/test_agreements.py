"""Agreements as pure rules: the compensation rules' parameters, signing, and whether an
obligation was kept from the figures the record gives."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from crossrisk.domain.agreements.agreement import Agreement, AgreementState
from crossrisk.domain.agreements.compensation import CompensationRuleName, check_compensation
from crossrisk.domain.agreements.obligation_status import (
    ObligationStatus,
    Occasion,
    answered_in_time,
    changed,
    gauge_status,
    reserve_status,
)
from crossrisk.domain.errors import Conflict, InvalidInput, NotPermitted
from tests.agreements_support import COMMITTEE, HANGZHOU, HUANGSHAN, QUZHOU, mutual_aid

NOW = datetime(2026, 7, 1, 2, 0, tzinfo=UTC)
XINAN = {
    "k0": 0.85,
    "indicators": [
        {"code": "CODMn", "weight": 0.25, "baseline": 2.7},
        {"code": "NH3-N", "weight": 0.25, "baseline": 0.13},
        {"code": "TP", "weight": 0.25, "baseline": 0.04},
        {"code": "TN", "weight": 0.25, "baseline": 1.2},
    ],
    "amount_yuan": 100_000_000,
}


def agreement() -> Agreement:
    return Agreement(
        id=1,
        region_code="yrd",
        number=1,
        version=1,
        state=AgreementState.SIGNING,
        text=mutual_aid(),
        coordinator=COMMITTEE,
        drafted_by="committee",
        drafted_at=NOW,
    )


def test_the_xinan_rule_keeps_k0_its_weighted_indicators_and_amount() -> None:
    rule = check_compensation("xinan_water_quality", XINAN)
    assert rule.name is CompensationRuleName.XINAN_WATER_QUALITY
    assert rule.as_dict()["parameters"]["k0"] == 0.85


@pytest.mark.parametrize(
    ("name", "parameters", "key"),
    [
        ("toss_a_coin", {}, "agreement-compensation-unknown"),
        ("xinan_water_quality", {**XINAN, "k0": "high"}, "agreement-compensation-invalid"),
        ("xinan_water_quality", {**XINAN, "indicators": []}, "agreement-compensation-invalid"),
        (
            "xinan_water_quality",
            {**XINAN, "indicators": XINAN["indicators"][:2]},  # weights add up to 0.5
            "agreement-compensation-invalid",
        ),
        ("xinan_water_quality", {**XINAN, "amount_yuan": -1}, "agreement-compensation-invalid"),
        ("shapley", {"players": 3}, "agreement-compensation-invalid"),
        ("reimburse_aid_costs", {"share": 1.5}, "agreement-compensation-invalid"),
        ("proportional_to_cost", {"cap_yuan": float("nan")}, "agreement-compensation-invalid"),
    ],
)
def test_a_rule_with_parameters_it_cannot_use_is_refused(
    name: str, parameters: dict, key: str
) -> None:
    with pytest.raises(InvalidInput) as refused:
        check_compensation(name, parameters)
    assert refused.value.key == key


def test_it_is_in_force_once_every_party_and_the_coordinator_signed() -> None:
    signing = agreement()
    for n, party in enumerate((HANGZHOU, COMMITTEE, QUZHOU), start=1):
        signing = signing.signed(party, by=f"officer-{n}", now=NOW)
        assert signing.state is AgreementState.SIGNING
    done = signing.signed(HUANGSHAN, by="officer-4", now=NOW + timedelta(hours=1))
    assert done.state is AgreementState.IN_FORCE and done.in_force_at == NOW + timedelta(hours=1)
    with pytest.raises(Conflict):
        done.signed(HUANGSHAN, by="officer-4", now=NOW)


def test_an_outsider_does_not_sign() -> None:
    with pytest.raises(NotPermitted):
        agreement().signed("ema-310000", by="shanghai", now=NOW)


def test_a_reserve_below_the_quantity_is_unmet() -> None:
    assert reserve_status(required=2000, held=1999).status is ObligationStatus.UNMET
    assert reserve_status(required=2000, held=2000).status is ObligationStatus.KEPT


def test_a_gauge_that_never_reported_is_unmet() -> None:
    assert gauge_status(hours=6, last_at=None, now=NOW).status is ObligationStatus.UNMET


def test_one_late_answer_makes_the_obligation_unmet() -> None:
    hour = timedelta(hours=1)
    on_time = Occasion(began_at=NOW, answered_at=NOW + hour)
    late = Occasion(began_at=NOW, answered_at=NOW + 5 * hour)
    waiting = Occasion(began_at=NOW + 10 * hour, answered_at=None)
    unanswered = Occasion(began_at=NOW, answered_at=None)
    later = NOW + 11 * hour

    def status(*occasions: Occasion) -> ObligationStatus:
        return answered_in_time(occasions, within=4 * hour, now=later, unit="hours").status

    assert status() is ObligationStatus.NOT_CHECKABLE
    assert status(waiting) is ObligationStatus.NOT_CHECKABLE
    assert status(on_time, waiting) is ObligationStatus.KEPT
    assert status(on_time, late) is ObligationStatus.UNMET
    assert status(on_time, unanswered) is ObligationStatus.UNMET


def test_only_a_new_decision_is_news() -> None:
    assert changed(None, ObligationStatus.UNMET)
    assert not changed("unmet", ObligationStatus.UNMET)
    assert changed("unmet", ObligationStatus.KEPT)
    assert not changed(None, ObligationStatus.PENDING)
