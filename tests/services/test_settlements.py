"""Settlement statements of a closed risk, side by side by rule, one approved by the
committee; the regional fund's movements. Hand-checked figures; both backends."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest

from crossrisk.domain.compensation.ledger import SettlementRule, SettlementState
from crossrisk.domain.compensation.settlement import Transfer
from crossrisk.domain.errors import CrossriskError, InvalidInput, InvalidTransition, NotPermitted
from crossrisk.domain.organisation import province_organisation_code
from crossrisk.domain.risk import RiskStatus
from crossrisk.services import costs, fund, risks, settlements
from crossrisk.store.uow import UnitOfWork
from tests.services.test_costs import (
    COMMITTEE,
    HANGZHOU,
    HUANGSHAN,
    NOW,
    journal,
    journal_length,
    register_spill,
)
from tests.support import T0, actor

HS, HZ = "341000", "330100"


def close(uow: UnitOfWork, risk_id: int) -> None:
    lead = actor(uow, HUANGSHAN)
    for status in (
        RiskStatus.ASSESSED,
        RiskStatus.TREATING,
        RiskStatus.MONITORING,
        RiskStatus.CLOSED,
    ):
        risks.transition_risk(uow, lead, risk_id, to=status, reason="处置完毕", now=T0)


def cost(uow: UnitOfWork, risk_id: int, who: str, party: str, yuan: str, **more: Any) -> None:
    costs.record_cost(
        uow,
        actor(uow, who),
        risk_id,
        party=party,
        amount_yuan=yuan,
        category=more.pop("category", "personnel"),
        spent_on=date(2026, 3, 2),
        evidence="凭证见附件",
        now=NOW,
        **more,
    )


def two_cities_ledger(uow: UnitOfWork) -> int:
    """Huangshan contains the spill for both (300,000) and guards its own bank (100,000);
    Hangzhou switches its water intakes (200,000): a joint cost of 600,000 yuan."""
    risk_id = register_spill(uow)
    cost(uow, risk_id, HUANGSHAN, HS, "300000", protects=[HS, HZ])
    cost(uow, risk_id, HUANGSHAN, HS, "100000", category="equipment")
    cost(uow, risk_id, HANGZHOU, HZ, "200000", category="commodities")
    return risk_id


def test_an_open_risk_is_not_settled_and_nothing_is_written(uow: UnitOfWork) -> None:
    risk_id = two_cities_ledger(uow)
    before = journal_length(uow)

    with pytest.raises(InvalidTransition) as refused:
        settlements.propose(uow, actor(uow, COMMITTEE), risk_id, rule="shapley", now=NOW)

    assert refused.value.key == "settlement-risk-open"
    assert journal_length(uow) == before
    assert settlements.statements(uow, actor(uow, COMMITTEE), risk_id) == []


def test_shapley_and_proportional_statements_stand_side_by_side_and_one_is_approved(
    uow: UnitOfWork,
) -> None:
    risk_id = two_cities_ledger(uow)
    close(uow, risk_id)
    committee = actor(uow, COMMITTEE)

    shapley = settlements.propose(uow, committee, risk_id, rule="shapley", now=NOW)
    proportional = settlements.propose(
        uow, actor(uow, HANGZHOU), risk_id, rule="proportional", now=NOW
    )

    # Shapley of the airport-type game: the shared containment line 150,000 each; each
    # city's own line its own. Huangshan is due 250,000, bore 400,000; Hangzhou is due
    # 350,000, bore 200,000: Hangzhou pays Huangshan 150,000.
    assert shapley.rule is SettlementRule.SHAPLEY
    assert shapley.borne_fen == {HZ: 20_000_000, HS: 40_000_000}
    assert shapley.due_fen == {HZ: 35_000_000, HS: 25_000_000}
    assert shapley.transfers == (Transfer(HZ, HS, 15_000_000),)
    assert shapley.inputs["method"] == "exact"
    # Proportional to stand-alone cost: c({HS}) = 400,000, c({HZ}) = 500,000, so Huangshan
    # is due 600,000 × 4/9 = 266,666.67 (the remainder fen is its) and Hangzhou
    # 333,333.33: Hangzhou pays Huangshan 133,333.33.
    assert proportional.rule is SettlementRule.PROPORTIONAL_COST
    assert proportional.inputs["cost_basis_fen"] == {HZ: 50_000_000, HS: 40_000_000}
    assert proportional.due_fen == {HZ: 33_333_333, HS: 26_666_667}
    assert proportional.transfers == (Transfer(HZ, HS, 13_333_333),)
    proposed = journal(uow, "settlement.proposed")
    assert [p["rule"] for p in proposed] == ["shapley", "proportional_to_cost"]
    assert proposed[0]["transfers"] == [
        {"payer": HZ, "payee": HS, "amount_fen": 15_000_000, "form": "money"}
    ]

    assert shapley.id is not None and proportional.id is not None
    approved = settlements.approve(uow, committee, shapley.id, now=NOW)

    assert approved.state is SettlementState.APPROVED and approved.decided_by == committee.username
    (entry,) = journal(uow, "settlement.approved")
    assert entry["settlement"] == shapley.id and entry["due_fen"] == {
        HZ: 35_000_000,
        HS: 25_000_000,
    }
    both = settlements.statements(uow, actor(uow, HUANGSHAN), risk_id)
    assert [s.state for s in both] == [SettlementState.APPROVED, SettlementState.PROPOSED]
    with pytest.raises(InvalidTransition) as twice:
        settlements.approve(uow, committee, proportional.id, now=NOW)
    assert twice.value.key == "settlement-already-approved"


def test_only_the_committee_approves(uow: UnitOfWork) -> None:
    risk_id = two_cities_ledger(uow)
    close(uow, risk_id)
    statement = settlements.propose(uow, actor(uow, HANGZHOU), risk_id, rule="shapley", now=NOW)
    assert statement.id is not None

    with pytest.raises(NotPermitted) as refused:
        settlements.approve(uow, actor(uow, HANGZHOU), statement.id, now=NOW)

    assert refused.value.key == "settlement-approve-not-committee"
    assert journal(uow, "settlement.approved") == []
    withdrawn = settlements.withdraw(uow, actor(uow, HANGZHOU), statement.id, now=NOW)
    assert withdrawn.state is SettlementState.WITHDRAWN


def test_the_requester_reimburses_aid_costs(uow: UnitOfWork) -> None:
    risk_id = register_spill(uow)
    cost(uow, risk_id, HANGZHOU, HZ, "45000.50", kind="aid", reimbursed_by=HS)
    cost(uow, risk_id, HUANGSHAN, HS, "100000")
    close(uow, risk_id)

    statement = settlements.propose(
        uow, actor(uow, COMMITTEE), risk_id, rule="reimbursement", now=NOW
    )

    assert statement.rule is SettlementRule.REIMBURSEMENT
    assert statement.transfers == (Transfer(HS, HZ, 4_500_050, note="aid costs reimbursed"),)
    assert statement.inputs["aid_costs_fen_by_requester"] == {HS: {HZ: 4_500_050}}


def test_beneficiary_pays_needs_every_partys_estimate_and_then_splits_by_them(
    uow: UnitOfWork,
) -> None:
    risk_id = two_cities_ledger(uow)
    close(uow, risk_id)
    committee = actor(uow, COMMITTEE)
    costs.estimate_loss_avoided(
        uow, committee, risk_id, party=HS, amount_yuan="8000000", basis="旅游", now=NOW
    )
    before = journal_length(uow)
    with pytest.raises(InvalidInput) as refused:
        settlements.propose(uow, committee, risk_id, rule="beneficiary_pays", now=NOW)
    assert refused.value.key == "settlement-basis-missing"
    assert journal_length(uow) == before

    costs.estimate_loss_avoided(
        uow, committee, risk_id, party=HZ, amount_yuan="2000000", basis="水厂", now=NOW
    )
    statement = settlements.propose(uow, committee, risk_id, rule="beneficiary_pays", now=NOW)

    # 600,000 split 8:2: Huangshan is due 480,000 and bore 400,000, so it pays 80,000.
    assert statement.due_fen == {HZ: 12_000_000, HS: 48_000_000}
    assert statement.transfers == (Transfer(HS, HZ, 8_000_000),)


def test_upstream_equal_sharing_puts_the_downstream_segment_on_both(uow: UnitOfWork) -> None:
    risk_id = two_cities_ledger(uow)
    close(uow, risk_id)
    committee = actor(uow, COMMITTEE)

    with pytest.raises(InvalidInput) as refused:
        settlements.propose(uow, committee, risk_id, rule="river_ues", now=NOW)
    assert refused.value.key == "settlement-river-order"
    statement = settlements.propose(
        uow, committee, risk_id, rule="river_ues", upstream_order=[HS, HZ], now=NOW
    )

    # Segments cost what each bore: HS 400,000 upstream, HZ 200,000 downstream. UES:
    # HS pays 400,000 + 200,000/2 = 500,000, HZ 100,000; Hangzhou receives 100,000.
    assert statement.due_fen == {HZ: 10_000_000, HS: 50_000_000}
    assert statement.transfers == (Transfer(HS, HZ, 10_000_000),)


@pytest.mark.parametrize(
    ("rule", "key"),
    [("lottery", "settlement-rule-unknown"), ("reimbursement", "settlement-no-aid-costs")],
)
def test_a_rule_that_cannot_apply_is_refused(uow: UnitOfWork, rule: str, key: str) -> None:
    risk_id = two_cities_ledger(uow)
    close(uow, risk_id)
    before = journal_length(uow)

    with pytest.raises(CrossriskError) as refused:
        settlements.propose(uow, actor(uow, COMMITTEE), risk_id, rule=rule, now=NOW)

    assert refused.value.key == key
    assert journal_length(uow) == before


def test_the_fund_takes_contributions_pays_out_and_is_never_overdrawn(uow: UnitOfWork) -> None:
    committee = actor(uow, COMMITTEE)
    anhui = province_organisation_code("340000")
    risk_id = two_cities_ledger(uow)
    close(uow, risk_id)
    shapley = settlements.propose(uow, committee, risk_id, rule="shapley", now=NOW)
    assert shapley.id is not None
    settlements.approve(uow, committee, shapley.id, now=NOW)

    fund.contribute(
        uow,
        committee,
        "yrd",
        contributor=anhui,
        amount_yuan="100000",
        conditions=["仅用于新安江流域水环境保护"],
        now=NOW,
    )
    fund.pay_out(
        uow,
        committee,
        "yrd",
        settlement_id=shapley.id,
        payee=HS,
        amount_yuan="40000",
        note="补偿",
        now=NOW,
    )
    before = journal_length(uow)
    with pytest.raises(InvalidInput) as refused:
        fund.pay_out(
            uow,
            committee,
            "yrd",
            settlement_id=shapley.id,
            payee=HS,
            amount_yuan="60000.01",
            note="超支",
            now=NOW,
        )

    assert refused.value.key == "fund-overdrawn"
    assert journal_length(uow) == before
    statement = fund.fund_of(uow, actor(uow, HANGZHOU), "yrd")
    assert (statement.received_fen, statement.paid_fen, statement.balance_fen) == (
        10_000_000,
        4_000_000,
        6_000_000,
    )
    (entry,) = journal(uow, "fund.contributed")
    assert entry["conditions"] == ["仅用于新安江流域水环境保护"] and entry["party"] == anhui
    with pytest.raises(NotPermitted):
        fund.contribute(
            uow, actor(uow, HANGZHOU), "yrd", contributor=anhui, amount_yuan="1", now=NOW
        )
    with pytest.raises(InvalidInput) as not_province:
        fund.contribute(uow, committee, "yrd", contributor=HUANGSHAN, amount_yuan="1", now=NOW)
    assert not_province.value.key == "fund-contributor-invalid"


def test_a_case_decided_with_a_penalty_pays_it_into_the_fund_once(stations: UnitOfWork) -> None:
    from crossrisk.domain.accountability.case import CaseOutcome
    from crossrisk.domain.accountability.findings import FindingKind
    from crossrisk.domain.agreements.agreement import Accountability, ReviewOutcome
    from crossrisk.services import accountability, agreements
    from tests.agreements_support import PARTIES, mutual_aid
    from tests.services import test_accountability as cases

    uow = stations
    committee = actor(uow, COMMITTEE)
    text = mutual_aid(
        accountability=Accountability(
            reviewer=COMMITTEE,
            outcomes=(ReviewOutcome.NO_FAULT, ReviewOutcome.COMPENSATION),
            statement_days=3,
        )
    )
    agreement = agreements.draft_agreement(uow, committee, "yrd", text, now=T0)
    for n, party in enumerate((*PARTIES, COMMITTEE), start=1):
        agreements.sign_agreement(
            uow, actor(uow, party), agreement.id or 0, now=T0 + timedelta(minutes=n)
        )
    risk_id = cases.register_spill(uow)
    accountability.detect(uow, committee, risk_id=risk_id, now=cases.LATER)
    case = cases.case_of(uow, risk_id, HUANGSHAN, FindingKind.DUTY_NOT_DONE)
    with pytest.raises(InvalidTransition) as undecided:
        fund.charge_penalty(uow, committee, case.id, amount_yuan="50000", now=cases.LATER)
    assert undecided.value.key == "fund-case-not-penalty"
    accountability.review_case(uow, committee, case.id, text="迟报", now=cases.LATER)
    accountability.decide_case(
        uow,
        committee,
        case.id,
        outcome=CaseOutcome.PENALTY,
        reason="协议约定",
        penalty="缴纳违约金五万元",
        now=cases.LATER + timedelta(days=3),
    )

    paid = fund.charge_penalty(uow, committee, case.id, amount_yuan="50000", now=cases.LATER)

    assert paid.party == HUANGSHAN and paid.amount_fen == 5_000_000 and paid.case_id == case.id
    (entry,) = journal(uow, "fund.penalty_paid")
    assert entry["case"] == case.id and entry["note"] == "缴纳违约金五万元"
    assert fund.fund_of(uow, committee, "yrd").balance_fen == 5_000_000
    with pytest.raises(InvalidTransition) as twice:
        fund.charge_penalty(uow, committee, case.id, amount_yuan="50000", now=cases.LATER)
    assert twice.value.key == "fund-penalty-charged"


def test_with_no_rule_named_the_binding_agreements_rule_applies_with_its_cap(
    stations: UnitOfWork,
) -> None:
    from crossrisk.domain.agreements.compensation import check_compensation
    from crossrisk.services import agreements
    from tests.agreements_support import PARTIES, mutual_aid

    uow = stations
    committee = actor(uow, COMMITTEE)
    text = mutual_aid(compensation=check_compensation("shapley", {"cap_yuan": 300000}))
    agreement = agreements.draft_agreement(uow, committee, "yrd", text, now=T0)
    for n, party in enumerate((*PARTIES, COMMITTEE), start=1):
        agreements.sign_agreement(
            uow, actor(uow, party), agreement.id or 0, now=T0 + timedelta(minutes=n)
        )
    risk_id = two_cities_ledger(uow)
    close(uow, risk_id)

    statement = settlements.propose(uow, committee, risk_id, rule="", now=NOW)

    # Shapley dues 250,000 / 350,000; the agreement caps a party at 300,000, so Huangshan
    # bears the other 50,000: dues 300,000 each, and Hangzhou pays Huangshan 100,000.
    assert statement.rule is SettlementRule.SHAPLEY
    assert statement.due_fen == {HZ: 30_000_000, HS: 30_000_000}
    assert statement.transfers == (Transfer(HZ, HS, 10_000_000),)
    assert statement.inputs["cap_fen"] == 30_000_000
    assert statement.inputs["agreement"] == {
        "id": agreement.id,
        "number": agreement.number,
        "version": 1,
        "rule": "shapley",
    }
