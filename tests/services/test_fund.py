"""The regional fund by the agreement: payouts tied to an approved statement, in-kind
deliveries that lower the money due, and penalties of the amount the agreement provides.
Both backends; every refusal leaves the rows and the journal as they were."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest

from crossrisk.domain.agreements.agreement import Accountability, ReviewOutcome
from crossrisk.domain.compensation.ledger import FundMovementKind, Statement
from crossrisk.domain.compensation.settlement import Form, Transfer
from crossrisk.domain.errors import (
    CrossriskError,
    InvalidInput,
    InvalidTransition,
    NotFound,
    NotPermitted,
)
from crossrisk.domain.organisation import province_organisation_code
from crossrisk.services import costs, fund, in_kind, settlements
from crossrisk.store.uow import UnitOfWork
from tests.services.test_costs import (
    COMMITTEE,
    HANGZHOU,
    HUANGSHAN,
    NOW,
    journal,
    journal_length,
)
from tests.services.test_drills import run
from tests.services.test_settlements import HS, HZ, close, two_cities_ledger
from tests.support import T0, actor


def approved_shapley(uow: UnitOfWork, *, approve: bool = True) -> Statement:
    """Hangzhou owes Huangshan 150,000 yuan under the Shapley statement (test_settlements)."""
    committee = actor(uow, COMMITTEE)
    risk_id = two_cities_ledger(uow)
    close(uow, risk_id)
    statement = settlements.propose(uow, committee, risk_id, rule="shapley", now=NOW)
    assert statement.transfers == (Transfer(HZ, HS, 15_000_000),)
    if approve:
        statement = settlements.approve(uow, committee, statement.id or 0, now=NOW)
    return statement


def funded(uow: UnitOfWork, yuan: str = "1000000") -> None:
    fund.contribute(
        uow,
        actor(uow, COMMITTEE),
        "yrd",
        contributor=province_organisation_code("340000"),
        amount_yuan=yuan,
        conditions=["仅用于跨域突发事件补偿"],
        now=NOW,
    )


def pay(uow: UnitOfWork, settlement_id: int, payee: str, yuan: str, who: str = COMMITTEE) -> Any:
    return fund.pay_out(
        uow,
        actor(uow, who),
        "yrd",
        settlement_id=settlement_id,
        payee=payee,
        amount_yuan=yuan,
        note="按结算单支付",
        now=NOW,
    )


def deliver(uow: UnitOfWork, settlement_id: int, **changes: Any) -> Any:
    values: dict[str, Any] = dict(
        provider=HZ,
        recipient=HS,
        description="应急培训名额",
        quantity=10,
        unit_value_yuan="2000",
        delivered_on=date(2026, 4, 1),
        evidence="培训签到表",
    )
    values.update(changes)
    who = values.pop("who", COMMITTEE)
    return in_kind.record_delivery(uow, actor(uow, who), settlement_id, now=NOW, **values)


def counts(uow: UnitOfWork, region: str = "yrd") -> tuple[int, int, int]:
    book = fund.book(uow, actor(uow, COMMITTEE), region)
    return len(book.movements), len(book.deliveries), journal_length(uow)


def test_a_payout_pays_an_approved_statements_payee_up_to_what_it_is_due(
    uow: UnitOfWork,
) -> None:
    statement = approved_shapley(uow)
    funded(uow)
    sid = statement.id or 0

    first = pay(uow, sid, HS, "100000")
    second = pay(uow, sid, HS, "50000")

    assert first.kind is FundMovementKind.PAYOUT and first.settlement_id == sid
    assert (first.party, first.amount_fen, second.amount_fen) == (HS, 10_000_000, 5_000_000)
    entries = journal(uow, "fund.paid_out")
    assert [(e["settlement"], e["party"], e["amount_fen"]) for e in entries] == [
        (sid, HS, 10_000_000),
        (sid, HS, 5_000_000),
    ]
    book = fund.book(uow, actor(uow, HANGZHOU), "yrd")
    assert book.statement.balance_fen == 100_000_000 - 15_000_000
    assert [m.settlement_id for m in book.movements] == [None, sid, sid]
    # The balance after each movement, for the page's chart.
    assert [b for _, b in fund.balance_over_time(book.movements)] == [
        100_000_000,
        90_000_000,
        85_000_000,
    ]


@pytest.mark.parametrize(
    ("payee", "yuan", "who", "error", "key"),
    [
        (HS, "150000.01", COMMITTEE, InvalidInput, "fund-payout-beyond-due"),
        (HZ, "1", COMMITTEE, InvalidInput, "fund-payout-beyond-due"),
        (HS, "1", HANGZHOU, NotPermitted, "fund-not-committee"),
    ],
)
def test_a_payout_beyond_the_statement_or_by_another_is_refused_and_writes_nothing(
    uow: UnitOfWork,
    payee: str,
    yuan: str,
    who: str,
    error: type[CrossriskError],
    key: str,
) -> None:
    statement = approved_shapley(uow)
    funded(uow)
    before = counts(uow)

    with pytest.raises(error) as refused:
        pay(uow, statement.id or 0, payee, yuan, who=who)

    assert refused.value.key == key
    assert counts(uow) == before


def test_a_payout_on_a_statement_not_approved_is_refused(uow: UnitOfWork) -> None:
    statement = approved_shapley(uow, approve=False)
    funded(uow)
    before = counts(uow)

    with pytest.raises(InvalidTransition) as refused:
        pay(uow, statement.id or 0, HS, "1")

    assert refused.value.key == "fund-payout-not-approved"
    assert refused.value.params == {"settlement": statement.id, "region": "yrd"}
    assert counts(uow) == before


def test_a_delivery_in_kind_is_recorded_and_lowers_the_money_due(uow: UnitOfWork) -> None:
    statement = approved_shapley(uow)
    funded(uow)
    sid = statement.id or 0

    delivery = deliver(uow, sid)

    assert (delivery.value_fen, delivery.provider, delivery.recipient) == (2_000_000, HZ, HS)
    (entry,) = journal(uow, "settlement.delivered_in_kind")
    assert entry == {
        "settlement": sid,
        "delivery": delivery.id,
        "provider": HZ,
        "recipient": HS,
        "description": "应急培训名额",
        "quantity": 10,
        "unit_value_fen": 200_000,
        "value_fen": 2_000_000,
        "delivered_on": "2026-04-01",
        "evidence": "培训签到表",
    }
    account = in_kind.account(uow, actor(uow, HANGZHOU), sid)
    assert account.deliveries == (delivery,)
    assert account.settled.transfers == (
        Transfer(HZ, HS, 2_000_000, form=Form.IN_KIND, note="应急培训名额"),
        Transfer(HZ, HS, 13_000_000),
    )
    # 20,000 yuan were delivered in kind: the fund pays Huangshan at most 130,000.
    with pytest.raises(InvalidInput) as beyond:
        pay(uow, sid, HS, "130000.01")
    assert beyond.value.key == "fund-payout-beyond-due"
    assert pay(uow, sid, HS, "130000").amount_fen == 13_000_000
    assert fund.book(uow, actor(uow, COMMITTEE), "yrd").deliveries == (delivery,)


@pytest.mark.parametrize(
    ("changes", "error", "key"),
    [
        ({"provider": HS, "recipient": HZ}, InvalidInput, "in-kind-party-invalid"),
        ({"quantity": 76}, InvalidInput, "in-kind-beyond-due"),
        ({"quantity": 0}, InvalidInput, "in-kind-quantity-invalid"),
        ({"unit_value_yuan": "-5"}, InvalidInput, "cost-amount-invalid"),
        ({"delivered_on": date(1900, 1, 1)}, InvalidInput, "cost-date-invalid"),
        ({"evidence": "  "}, InvalidInput, "cost-evidence-missing"),
        ({"who": HANGZHOU}, NotPermitted, "in-kind-not-committee"),
    ],
)
def test_a_bad_delivery_is_refused_and_writes_nothing(
    uow: UnitOfWork, changes: dict[str, Any], error: type[CrossriskError], key: str
) -> None:
    statement = approved_shapley(uow)
    before = counts(uow)

    with pytest.raises(error) as refused:
        deliver(uow, statement.id or 0, **changes)

    assert refused.value.key == key
    assert counts(uow) == before


def test_nothing_is_delivered_in_kind_on_a_proposal(uow: UnitOfWork) -> None:
    statement = approved_shapley(uow, approve=False)
    before = counts(uow)

    with pytest.raises(InvalidTransition) as refused:
        deliver(uow, statement.id or 0)

    assert refused.value.key == "in-kind-not-approved"
    assert counts(uow) == before


def upheld_case(uow: UnitOfWork, *, penalty_yuan: float | None, **changes: Any) -> int:
    """A report case against Huangshan under an agreement that may end in a penalty,
    decided with it."""
    from crossrisk.domain.accountability.case import CaseOutcome
    from crossrisk.domain.accountability.findings import FindingKind
    from crossrisk.services import accountability, agreements
    from tests.agreements_support import PARTIES, mutual_aid
    from tests.services import test_accountability as cases

    committee = actor(uow, COMMITTEE)
    text = mutual_aid(
        accountability=Accountability(
            reviewer=COMMITTEE,
            outcomes=(ReviewOutcome.NO_FAULT, ReviewOutcome.COMPENSATION),
            statement_days=3,
            penalty_yuan=penalty_yuan,
        ),
        **changes,
    )
    agreement = agreements.draft_agreement(uow, committee, "yrd", text, now=T0)
    for n, party in enumerate((*PARTIES, COMMITTEE), start=1):
        agreements.sign_agreement(
            uow, actor(uow, party), agreement.id or 0, now=T0 + timedelta(minutes=n)
        )
    risk_id = cases.register_spill(uow)
    accountability.detect(uow, committee, risk_id=risk_id, now=cases.LATER)
    case = cases.case_of(uow, risk_id, cases.HUANGSHAN, FindingKind.DUTY_NOT_DONE)
    accountability.review_case(uow, committee, case.id, text="迟报", now=cases.LATER)
    accountability.decide_case(
        uow,
        committee,
        case.id,
        outcome=CaseOutcome.PENALTY,
        reason="协议约定",
        penalty="按协议缴纳违约金",
        now=cases.LATER + timedelta(days=3),
    )
    return int(case.id)


def test_the_penalty_charged_is_the_one_the_agreement_provides(stations: UnitOfWork) -> None:
    uow = stations
    case_id = upheld_case(uow, penalty_yuan=50_000.0)
    committee = actor(uow, COMMITTEE)
    assert fund.provided_penalty_fen(uow, committee, case_id) == 5_000_000
    assert fund.book(uow, committee, "yrd").penalties_due == (
        fund.PenaltyDue(case_id, "ema-341000", "按协议缴纳违约金", 5_000_000),
    )
    # Another city reads the fund, not the case.
    hangzhou = actor(uow, HANGZHOU)
    assert fund.book(uow, hangzhou, "yrd").penalties_due == ()
    with pytest.raises(NotFound):
        fund.provided_penalty_fen(uow, hangzhou, case_id)

    paid = fund.charge_penalty(uow, committee, case_id, now=NOW)

    assert (paid.party, paid.amount_fen, paid.case_id) == ("ema-341000", 5_000_000, case_id)
    (entry,) = journal(uow, "fund.penalty_paid")
    assert entry["provided_fen"] == 5_000_000 and entry["reason"] == ""
    assert fund.fund_of(uow, committee, "yrd").balance_fen == 5_000_000
    assert fund.book(uow, committee, "yrd").penalties_due == ()
    (seen,) = fund.book(uow, hangzhou, "yrd").movements
    assert (seen.amount_fen, seen.note, seen.case_id) == (5_000_000, "", None)
    (own,) = fund.book(uow, actor(uow, "ema-341000"), "yrd").movements
    assert (own.note, own.case_id) == ("按协议缴纳违约金", case_id)


def test_another_amount_than_the_agreements_needs_a_reason(stations: UnitOfWork) -> None:
    uow = stations
    case_id = upheld_case(uow, penalty_yuan=50_000.0)
    committee = actor(uow, COMMITTEE)
    before = counts(uow)

    with pytest.raises(InvalidInput) as refused:
        fund.charge_penalty(uow, committee, case_id, amount_yuan="20000", now=NOW)

    assert refused.value.key == "fund-penalty-reason-missing"
    assert refused.value.params == {"case": case_id, "provided": "50,000.00"}
    assert counts(uow) == before
    paid = fund.charge_penalty(
        uow, committee, case_id, amount_yuan="20000", reason="当事方已部分整改", now=NOW
    )
    assert paid.amount_fen == 2_000_000 and paid.note.endswith("当事方已部分整改")
    (entry,) = journal(uow, "fund.penalty_paid")
    assert entry["reason"] == "当事方已部分整改" and entry["provided_fen"] == 5_000_000


def test_with_no_amount_in_the_agreement_the_committee_must_state_one(
    stations: UnitOfWork,
) -> None:
    uow = stations
    case_id = upheld_case(uow, penalty_yuan=None)
    committee = actor(uow, COMMITTEE)
    before = counts(uow)

    with pytest.raises(InvalidInput) as refused:
        fund.charge_penalty(uow, committee, case_id, now=NOW)

    assert refused.value.key == "fund-penalty-amount-missing"
    assert counts(uow) == before
    assert fund.charge_penalty(uow, committee, case_id, amount_yuan="800", now=NOW).amount_fen == (
        80_000
    )


def test_nothing_of_a_drills_statement_is_paid_in_money_or_in_kind(uow: UnitOfWork) -> None:
    drill = run(uow)
    committee = actor(uow, COMMITTEE)
    with uow.read_only() as tx:
        (risk,) = tx.risks.list(region_codes=None, drill_id=drill.id)
    for who, party, protects in ((HUANGSHAN, HS, [HS, HZ]), (HANGZHOU, HZ, [HZ])):
        costs.record_cost(
            uow,
            actor(uow, who),
            risk.id or 0,
            party=party,
            amount_yuan="100000",
            category="personnel",
            spent_on=date(2026, 3, 2),
            evidence="演练记录",
            protects=protects,
            now=NOW,
        )
    statement = settlements.propose(uow, committee, risk.id or 0, rule="shapley", now=NOW)
    settlements.approve(uow, committee, statement.id or 0, now=NOW)
    funded(uow)
    before = counts(uow)

    with pytest.raises(InvalidTransition) as paid:
        pay(uow, statement.id or 0, HS, "1")
    with pytest.raises(InvalidTransition) as delivered:
        deliver(uow, statement.id or 0, quantity=1)

    assert paid.value.key == delivered.value.key == "settlement-drill-unpaid"
    assert counts(uow) == before
    assert fund.book(uow, committee, "yrd").dues == ()
