"""A border section's water-quality statement from the platform's own stations, proposed
for a year and approved by the committee; refusals write nothing. Both backends."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy import func, select

from crossrisk.domain.agreements.compensation import check_compensation
from crossrisk.domain.compensation.ledger import SettlementRule, SettlementState
from crossrisk.domain.compensation.settlement import Transfer
from crossrisk.domain.compensation.water_quality import (
    rule_from_agreement,
    water_quality_settlement,
)
from crossrisk.domain.errors import CrossriskError, InvalidTransition, NotPermitted
from crossrisk.services import settlements, water_quality
from crossrisk.store.models import SettlementRow
from crossrisk.store.uow import UnitOfWork
from tests.agreements_support import COMMITTEE, HANGZHOU, HUANGSHAN, QUZHOU
from tests.services.test_costs import journal, journal_length
from tests.support import actor
from tests.water_quality_support import (
    NOW,
    SECTION,
    add_section,
    feed,
    water_agreement,
)

# Monthly readings whose means are 1.6, 0.09, 0.016 and 1.0 mg/L: ratios to the baselines
# 0.8, 0.9, 0.8 and 1.0, so P = 0.85 × 0.25 × 3.5 = 0.74375.
CLEAN = {
    "codmn": [1.5, 1.7, 1.6],
    "nh3_n": [0.08, 0.1, 0.09],
    "tp": [0.015, 0.017],
    "tn": [0.9, 1.1],
}
# Means 3.0, 0.15, 0.03 and 1.5 mg/L: every ratio 1.5, so P = 0.85 × 1.5 = 1.275.
DIRTY = {"codmn": [2.0, 4.0], "nh3_n": [0.15], "tp": [0.02, 0.04], "tn": [1.5]}
AMOUNT_FEN = 100_000_000 * 100


def settle(uow: UnitOfWork, agreement_id: int, who: str = COMMITTEE, **more: Any) -> Any:
    arguments: dict[str, Any] = dict(
        station=SECTION, year=2025, upstream=HUANGSHAN, downstream=HANGZHOU, now=NOW
    )
    arguments.update(more)
    return water_quality.settle_section(uow, actor(uow, who), agreement_id, **arguments)


def counts(uow: UnitOfWork) -> tuple[int, int]:
    """How many statements are stored, and how many journal entries."""
    with uow.read_only() as tx:
        stored = tx.session.scalar(select(func.count()).select_from(SettlementRow))
    return stored or 0, journal_length(uow)


@pytest.fixture
def section(stations: UnitOfWork) -> tuple[UnitOfWork, int]:
    add_section(stations)
    agreement = water_agreement(stations)
    assert agreement.id is not None
    return stations, agreement.id


def test_clean_water_has_the_downstream_party_pay_the_upstream_one(
    section: tuple[UnitOfWork, int],
) -> None:
    uow, agreement_id = section
    feed(uow, CLEAN)

    statement = settle(uow, agreement_id, round="first")

    assert statement.risk_id is None
    assert statement.rule is SettlementRule.XINAN_WATER_QUALITY
    assert statement.state is SettlementState.PROPOSED
    assert (statement.agreement_id, statement.round, statement.station_code) == (
        agreement_id,
        "first",
        SECTION,
    )
    assert (statement.period_from, statement.period_to) == (date(2025, 1, 1), date(2025, 12, 31))
    assert Decimal(str(statement.inputs["index"])) == Decimal("0.74375")
    assert statement.inputs["direction"] == "downstream_pays"
    assert statement.inputs["counts"] == {"codmn": 3, "nh3_n": 3, "tp": 2, "tn": 2}
    assert statement.transfers == (Transfer(HANGZHOU, HUANGSHAN, AMOUNT_FEN, note="P = 0.7438"),)
    # Read back: the same statement.
    assert settlements.get(uow, actor(uow, COMMITTEE), statement.id) == statement


def test_dirty_water_has_the_upstream_party_pay_the_downstream_one(
    section: tuple[UnitOfWork, int],
) -> None:
    uow, agreement_id = section
    feed(uow, DIRTY)

    statement = settle(uow, agreement_id)

    assert Decimal(str(statement.inputs["index"])) == Decimal("1.275")
    assert statement.inputs["direction"] == "upstream_pays"
    assert statement.round == "2025"  # no round named: the year names it
    assert [(t.payer, t.payee, t.amount_fen) for t in statement.transfers] == [
        (HUANGSHAN, HANGZHOU, AMOUNT_FEN)
    ]


def test_readings_outside_the_year_do_not_count(section: tuple[UnitOfWork, int]) -> None:
    uow, agreement_id = section
    feed(uow, CLEAN)
    feed(uow, {k: [v * 10 for v in vs] for k, vs in CLEAN.items()}, year=2024)

    statement = settle(uow, agreement_id)

    assert Decimal(str(statement.inputs["index"])) == Decimal("0.74375")


def test_the_journal_alone_recomputes_the_statement(section: tuple[UnitOfWork, int]) -> None:
    uow, agreement_id = section
    feed(uow, DIRTY)
    statement = settle(uow, agreement_id)

    [entry] = journal(uow, "settlement.proposed")
    inputs = entry["inputs"]
    assert entry["settlement"] == statement.id
    assert entry["risk_id"] is None
    assert entry["period"] == {
        "agreement_id": agreement_id,
        "round": "2025",
        "from": "2025-01-01",
        "to": "2025-12-31",
        "station": SECTION,
    }
    assert inputs["concentrations_mg_l"] == {
        "codmn": "3.0",
        "nh3_n": "0.15",
        "tp": "0.03",
        "tn": "1.5",
    }
    # The rule run again on the journaled terms and means gives the same index and transfer.
    rule = rule_from_agreement(
        check_compensation(
            "xinan_water_quality",
            {
                "k0": float(inputs["k0"]),
                "amount_yuan": inputs["amount_fen"] / 100,
                "indicators": [
                    {"code": code, "weight": float(weight), "baseline": float(baseline)}
                    for (code, weight), baseline in zip(
                        inputs["weights"].items(), inputs["baselines_mg_l"].values(), strict=True
                    )
                ],
            },
        ),
        agreement="recomputed",
        round=inputs["round"],
        upstream=inputs["upstream"],
        downstream=inputs["downstream"],
    )
    again = water_quality_settlement(rule, inputs["concentrations_mg_l"])
    assert f"{again.index.normalize():f}" == inputs["index"]
    assert entry["transfers"] == [
        {"payer": again.payer, "payee": again.payee, "amount_fen": AMOUNT_FEN, "form": "money"}
    ]


def test_the_committee_approves_through_the_settlement_path_once(
    section: tuple[UnitOfWork, int],
) -> None:
    uow, agreement_id = section
    feed(uow, CLEAN)
    first = settle(uow, agreement_id)
    second = settle(uow, agreement_id)

    with pytest.raises(NotPermitted) as refused:
        settlements.approve(uow, actor(uow, HUANGSHAN), first.id, now=NOW)
    assert refused.value.key == "settlement-approve-not-committee"

    approved = settlements.approve(uow, actor(uow, COMMITTEE), first.id, now=NOW)
    assert approved.state is SettlementState.APPROVED
    assert approved.decided_by == f"test-{COMMITTEE}"
    [entry] = journal(uow, "settlement.approved")
    assert entry["settlement"] == first.id and entry["inputs"]["direction"] == "downstream_pays"

    before = journal_length(uow)
    with pytest.raises(InvalidTransition) as twice:
        settlements.approve(uow, actor(uow, COMMITTEE), second.id, now=NOW)
    assert twice.value.key == "settlement-period-already-approved"
    assert journal_length(uow) == before
    assert settlements.get(uow, actor(uow, COMMITTEE), second.id).state is SettlementState.PROPOSED


def test_a_party_officer_may_propose_and_an_outsider_may_not(
    section: tuple[UnitOfWork, int],
) -> None:
    uow, agreement_id = section
    feed(uow, CLEAN)
    assert settle(uow, agreement_id, who=HUANGSHAN).proposed_by == f"test-{HUANGSHAN}"
    before = counts(uow)
    with pytest.raises(NotPermitted) as refused:
        settle(uow, agreement_id, who=QUZHOU)
    assert refused.value.key == "water-quality-not-permitted"
    assert counts(uow) == before


@pytest.mark.parametrize(
    ("change", "key"),
    [
        ({"station": "no-such-station"}, "station-unknown"),
        ({"station": "tunxi"}, "water-quality-station-not-section"),
        ({"upstream": QUZHOU}, "water-quality-station-off-border"),
        ({"upstream": "ema-310000"}, "water-quality-party-invalid"),
        ({"downstream": HUANGSHAN}, "water-quality-party-invalid"),
        ({"year": 2024}, "water-quality-no-readings"),
        ({"year": 1800}, "water-quality-period-invalid"),
        ({"year": None, "period_from": date(2025, 6, 1)}, "water-quality-period-invalid"),
        (
            {"year": None, "period_from": date(2025, 6, 1), "period_to": date(2025, 5, 1)},
            "water-quality-period-invalid",
        ),
        ({"round": "x" * 65}, "water-quality-round-invalid"),
    ],
)
def test_bad_input_is_refused_and_nothing_is_written(
    section: tuple[UnitOfWork, int], change: dict[str, Any], key: str
) -> None:
    uow, agreement_id = section
    feed(uow, CLEAN)
    before = counts(uow)
    with pytest.raises(CrossriskError) as refused:
        settle(uow, agreement_id, **change)
    assert refused.value.key == key
    assert counts(uow) == before


def test_an_indicator_without_readings_in_the_period_is_refused(
    section: tuple[UnitOfWork, int],
) -> None:
    uow, agreement_id = section
    feed(uow, {k: v for k, v in CLEAN.items() if k != "tp"})
    before = counts(uow)
    with pytest.raises(CrossriskError) as refused:
        settle(uow, agreement_id)
    assert refused.value.key == "water-quality-no-readings"
    assert refused.value.params["indicator"] == "tp"
    assert counts(uow) == before


def test_a_period_of_days_takes_only_its_readings(section: tuple[UnitOfWork, int]) -> None:
    uow, agreement_id = section
    feed(uow, DIRTY)
    feed(uow, {k: [v / 2 for v in vs] for k, vs in DIRTY.items()}, year=2023)
    # January and February 2025 only: the first reading of each indicator, ratio 1 or 2/3.
    statement = settle(
        uow, agreement_id, year=None, period_from=date(2025, 1, 1), period_to=date(2025, 2, 28)
    )
    assert statement.round == "2025-01-01/2025-02-28"
    assert statement.inputs["concentrations_mg_l"] == {
        "codmn": "3.0",
        "nh3_n": "0.15",
        "tp": "0.03",
        "tn": "1.5",
    }


def test_an_agreement_without_the_water_quality_rule_is_refused(stations: UnitOfWork) -> None:
    from crossrisk.services import agreements
    from tests.agreements_support import PARTIES, mutual_aid
    from tests.support import T0

    add_section(stations)
    committee = actor(stations, COMMITTEE)
    agreement = agreements.draft_agreement(stations, committee, "yrd", mutual_aid(), now=T0)
    for n, party in enumerate((*PARTIES, COMMITTEE), start=1):
        agreements.sign_agreement(
            stations, actor(stations, party), agreement.id or 0, now=T0 + timedelta(minutes=n)
        )
    feed(stations, CLEAN)
    before = counts(stations)
    with pytest.raises(CrossriskError) as refused:
        settle(stations, agreement.id or 0)
    assert refused.value.key == "water-quality-rule-missing"
    assert counts(stations) == before


def test_a_risk_statement_cannot_use_the_water_quality_rule(
    section: tuple[UnitOfWork, int],
) -> None:
    from tests.services.test_settlements import close, two_cities_ledger

    uow, _ = section
    risk_id = two_cities_ledger(uow)
    close(uow, risk_id)
    with pytest.raises(CrossriskError) as refused:
        settlements.propose(
            uow, actor(uow, COMMITTEE), risk_id, rule="xinan_water_quality", now=NOW
        )
    assert refused.value.key == "settlement-rule-not-for-risk"


def test_a_drills_reading_at_the_section_never_counts(section: tuple[UnitOfWork, int]) -> None:
    from datetime import UTC, datetime

    from crossrisk.services import observations

    uow, agreement_id = section
    feed(uow, CLEAN)
    with uow.read_only() as tx:
        known = tx.stations.by_codes([SECTION])
    # A drill plays a gross pollution at the section in mid-2025: judged, never stored.
    observations.judge_drill_reading(
        known, SECTION, 150.0, at=datetime(2025, 6, 1, 2, 0, tzinfo=UTC), earlier=[]
    )

    statement = settle(uow, agreement_id)

    assert statement.inputs["counts"]["codmn"] == 3
    assert Decimal(str(statement.inputs["index"])) == Decimal("0.74375")


def test_only_the_proposer_or_the_committee_withdraws_a_period_statement(
    section: tuple[UnitOfWork, int],
) -> None:
    uow, agreement_id = section
    feed(uow, CLEAN)
    statement = settle(uow, agreement_id, who=HUANGSHAN)
    before = counts(uow)
    with pytest.raises(NotPermitted) as refused:
        settlements.withdraw(uow, actor(uow, HANGZHOU), statement.id, now=NOW)
    assert refused.value.key == "water-quality-not-permitted"
    assert counts(uow) == before
    withdrawn = settlements.withdraw(uow, actor(uow, HUANGSHAN), statement.id, now=NOW)
    assert withdrawn.state is SettlementState.WITHDRAWN
    [entry] = journal(uow, "settlement.withdrawn")
    assert entry["period"]["station"] == SECTION
