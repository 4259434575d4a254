"""The cost ledger of a risk: members record their own costs, the committee any member's;
bad input is refused and writes nothing. Both backends."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest

from crossrisk.domain.compensation.ledger import CostCategory, CostKind
from crossrisk.domain.errors import CrossriskError, InvalidInput, NotFound, NotPermitted
from crossrisk.services import costs, risks
from crossrisk.store.uow import UnitOfWork
from tests.support import T0, XINAN_SPILL, actor, draft

HUANGSHAN = "ema-341000"
HANGZHOU = "ema-330100"
COMMITTEE = "yrd-committee"
NOW = T0 + timedelta(days=3)


def register_spill(uow: UnitOfWork) -> int:
    risk = risks.register_risk(
        uow, actor(uow, HUANGSHAN), draft(**XINAN_SPILL), region_code="yrd", now=T0
    )
    assert risk.id is not None
    return risk.id


def journal(uow: UnitOfWork, action: str) -> list[dict[str, Any]]:
    with uow.read_only() as tx:
        return [dict(e.payload) for e in tx.journal.entries() if e.action == action]


def journal_length(uow: UnitOfWork) -> int:
    with uow.read_only() as tx:
        return len(list(tx.journal.entries()))


def containment(**changes: Any) -> dict[str, Any]:
    values: dict[str, Any] = dict(
        party="341000",
        amount_yuan="300000.00",
        category="personnel",
        spent_on=date(2026, 3, 2),
        evidence="围油栏布设人员加班表（附件 A-12）",
        protects=["341000", "330100"],
        now=NOW,
    )
    return values | changes


def test_a_city_records_its_own_cost_and_the_journal_says_what_and_for_whom(
    uow: UnitOfWork,
) -> None:
    risk_id = register_spill(uow)

    line = costs.record_cost(uow, actor(uow, HUANGSHAN), risk_id, **containment())

    assert line.id is not None and line.amount_fen == 30_000_000
    assert line.category is CostCategory.PERSONNEL and line.kind is CostKind.OWN_RESPONSE
    assert line.organisation_code == HUANGSHAN and not line.drill
    (entry,) = journal(uow, "cost.recorded")
    assert entry["amount_fen"] == 30_000_000
    assert entry["protects"] == ["341000", "330100"]
    assert entry["party"] == "341000" and entry["risk_id"] == risk_id
    ledger = costs.ledger(uow, actor(uow, HANGZHOU), risk_id)
    assert [(x.party, x.amount_fen) for x in ledger.lines] == [("341000", 30_000_000)]


def test_the_committee_records_for_a_member_and_a_line_protects_its_own_city_by_default(
    uow: UnitOfWork,
) -> None:
    risk_id = register_spill(uow)

    line = costs.record_cost(
        uow, actor(uow, COMMITTEE), risk_id, **containment(party="330100", protects=None)
    )

    assert line.protects == ("330100",) and line.organisation_code == HANGZHOU


def test_a_withdrawn_line_stays_in_the_record_but_counts_no_more(uow: UnitOfWork) -> None:
    risk_id = register_spill(uow)
    line = costs.record_cost(uow, actor(uow, HUANGSHAN), risk_id, **containment())
    assert line.id is not None

    costs.withdraw_cost(uow, actor(uow, HUANGSHAN), line.id, reason="重复登记", now=NOW)

    (kept,) = costs.ledger(uow, actor(uow, COMMITTEE), risk_id).lines
    assert not kept.active and kept.withdrawn_by == f"test-{HUANGSHAN}"
    assert journal(uow, "cost.withdrawn")[0]["reason"] == "重复登记"
    with pytest.raises(CrossriskError) as again:
        costs.withdraw_cost(uow, actor(uow, COMMITTEE), line.id, reason="再次", now=NOW)
    assert again.value.key == "cost-withdrawn-already"


@pytest.mark.parametrize(
    ("who", "changes", "refusal", "key"),
    [
        (HUANGSHAN, {"amount_yuan": "-5"}, InvalidInput, "cost-amount-invalid"),
        (HUANGSHAN, {"amount_yuan": "0"}, InvalidInput, "cost-amount-invalid"),
        (HUANGSHAN, {"amount_yuan": "1e30"}, InvalidInput, "cost-amount-invalid"),
        (HUANGSHAN, {"amount_yuan": "12.345"}, InvalidInput, "cost-amount-invalid"),
        (HUANGSHAN, {"amount_yuan": "NaN"}, InvalidInput, "cost-amount-invalid"),
        (HUANGSHAN, {"spent_on": date(1, 1, 1)}, InvalidInput, "cost-date-invalid"),
        (HUANGSHAN, {"spent_on": date(9999, 12, 31)}, InvalidInput, "cost-date-invalid"),
        (HUANGSHAN, {"evidence": "发票\x00"}, InvalidInput, None),
        (HUANGSHAN, {"evidence": "  "}, InvalidInput, "cost-evidence-missing"),
        (HUANGSHAN, {"category": "bribes"}, InvalidInput, "cost-choice-invalid"),
        (HUANGSHAN, {"protects": ["999999"]}, InvalidInput, "cost-party-unknown"),
        (HUANGSHAN, {"party": "999999"}, InvalidInput, "cost-party-unknown"),
        (HUANGSHAN, {"kind": "aid"}, InvalidInput, "cost-aid-without-requester"),
        (HUANGSHAN, {"kind": "aid", "reimbursed_by": "341000"}, InvalidInput, "cost-aid-self"),
        (HANGZHOU, {}, NotPermitted, "cost-not-permitted"),
    ],
)
def test_bad_costs_are_refused_and_nothing_is_written(
    uow: UnitOfWork,
    who: str,
    changes: dict[str, Any],
    refusal: type[CrossriskError],
    key: str | None,
) -> None:
    risk_id = register_spill(uow)
    before = journal_length(uow)

    with pytest.raises(refusal) as refused:
        costs.record_cost(uow, actor(uow, who), risk_id, **containment(**changes))

    if key is not None:
        assert refused.value.key == key
    assert journal_length(uow) == before
    assert costs.ledger(uow, actor(uow, COMMITTEE), risk_id).lines == []


def test_a_cost_for_an_unknown_risk_is_refused(uow: UnitOfWork) -> None:
    before = journal_length(uow)
    with pytest.raises(NotFound):
        costs.record_cost(uow, actor(uow, HUANGSHAN), 987_654, **containment())
    with pytest.raises(NotFound):
        costs.record_cost(uow, actor(uow, HUANGSHAN), 2**40, **containment())
    assert journal_length(uow) == before


def test_a_loss_avoided_estimate_is_entered_and_replaced(uow: UnitOfWork) -> None:
    risk_id = register_spill(uow)
    committee = actor(uow, COMMITTEE)

    costs.estimate_loss_avoided(
        uow, committee, risk_id, party="341000", amount_yuan="8000000", basis="旅游损失", now=NOW
    )
    costs.estimate_loss_avoided(
        uow, committee, risk_id, party="341000", amount_yuan="7000000", basis="复核", now=NOW
    )

    assert costs.ledger(uow, committee, risk_id).loss_avoided_fen == {"341000": 700_000_000}
    assert [e["amount_fen"] for e in journal(uow, "cost.loss_estimated")] == [
        800_000_000,
        700_000_000,
    ]


def test_a_drills_risk_takes_costs_marked_as_a_drills(uow: UnitOfWork) -> None:
    from dataclasses import replace

    from crossrisk.domain.drills.drill import Drill

    with uow as tx:
        drill = tx.drills.add(
            Drill(
                id=None,
                region_code="yrd",
                code="xinan",
                title_zh="新安江演练",
                title_en="Xin'an drill",
                scenario="",
                scenario_sha256="0" * 64,
                speed=None,
                duration_minutes=60,
                clock_start=T0,
                started_at=T0,
                started_by="test",
            )
        )
        tx.commit()
    risk = risks.register_risk(
        uow,
        actor(uow, HUANGSHAN),
        replace(draft(**XINAN_SPILL), drill_id=drill.id),
        region_code="yrd",
        now=T0,
    )
    assert risk.id is not None and risk.drill_id == drill.id

    line = costs.record_cost(uow, actor(uow, HUANGSHAN), risk.id, **containment())

    assert line.drill
    assert journal(uow, "cost.recorded")[0]["drill"] is True
