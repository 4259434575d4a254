"""Every figure recomputed from the journal alone agrees with what the platform shows,
after a drill and after a real risk's aid, costs, settlements, cases and verdicts; a table
changed behind the services' back is named. Both backends."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from sqlalchemy import update

from crossrisk.domain.accountability.case import CaseOutcome
from crossrisk.domain.trust.supervision import Verdict
from crossrisk.services import (
    accountability,
    costs,
    duties,
    recompute,
    settlements,
    trust,
    trust_ratings,
    trust_supervision,
    warnings,
)
from crossrisk.store.models import (
    CaseRow,
    CostEvidenceRow,
    DutyRow,
    FundMovementRow,
    SettlementRow,
)
from crossrisk.store.recomputed import read_figures
from crossrisk.store.uow import UnitOfWork
from tests.services.test_aid_requests import H
from tests.services.test_drills import run
from tests.services.test_fund import deliver, funded, pay
from tests.services.test_settlements import close, two_cities_ledger
from tests.services.test_trust import COMMITTEE, HANGZHOU, HUANGSHAN, received_tents
from tests.services.test_water_quality import AMOUNT_FEN, DIRTY, settle
from tests.support import T0, actor
from tests.water_quality_support import add_section, feed, water_agreement

LATER = T0 + timedelta(days=5)


def real_record(uow: UnitOfWork) -> tuple[int, int]:
    """A real spill with everything the figures read: a late acknowledgement, a report, a
    duty the committee disputes, aid received and rated, costs settled by two rules and one
    approved, a case decided. Returns the risk and the approved statement."""
    shipment = received_tents(uow)
    trust_ratings.rate_aid(
        uow, actor(uow, HANGZHOU), shipment, score=4, comment="", now=T0 + 10 * H
    )
    risk_id = two_cities_ledger(uow)
    (message,) = warnings.inbox(uow, actor(uow, HANGZHOU))
    warnings.acknowledge(uow, actor(uow, HANGZHOU), message.id, via="page", now=T0 + 3 * H)
    duties.file_report(uow, actor(uow, HUANGSHAN), risk_id, text="已处置", now=T0 + 0.5 * H)
    committee = actor(uow, COMMITTEE)
    trust_supervision.supervise(
        uow,
        committee,
        target=next(
            i.source
            for i in trust.member_trust(uow, committee, HUANGSHAN, now=T0 + H).items
            if i.source.startswith("duty:")
        ),
        verdict=Verdict.DISPUTED,
        reason="报告未附监测数据",
        now=T0 + H,
    )
    close(uow, risk_id)
    shapley = settlements.propose(uow, committee, risk_id, rule="shapley", now=T0 + 2 * H)
    settlements.propose(uow, committee, risk_id, rule="proportional", now=T0 + 2 * H)
    settlements.approve(uow, committee, shapley.id or 0, now=T0 + 3 * H)
    accountability.detect(uow, committee, risk_id=risk_id, now=T0 + 4 * H)
    (case,) = accountability.list_cases(uow, committee, party=HANGZHOU, risk_id=risk_id)
    accountability.review_case(uow, committee, case.id or 0, text="确认迟报", now=T0 + 4 * H)
    accountability.file_statement(
        uow, actor(uow, HANGZHOU), case.id or 0, text="值班交接延误", now=T0 + 5 * H
    )
    accountability.decide_case(
        uow,
        committee,
        case.id or 0,
        outcome=CaseOutcome.CRITICISM,
        reason="通报批评",
        now=T0 + 5 * H,
    )
    return risk_id, shapley.id or 0


def test_after_a_drill_every_figure_agrees_and_a_changed_case_is_named(
    uow: UnitOfWork,
) -> None:
    drill = run(uow)

    found = recompute.check(uow, now=LATER)

    assert found.differences == []
    # The drill's own figures are among them: its metrics and Hangzhou's late case.
    assert found.journal[f"metric drill:{drill.id} ack_in_time_share"] == 0.0
    (case,) = [v for k, v in found.journal.items() if k.startswith("case ")]
    assert (case["party"], case["kind"], case["state"]) == (HANGZHOU, "duty_late", "opened")
    with uow as tx:
        tx.session.execute(update(CaseRow).values(state="decided"))
        tx.commit()

    (difference,) = recompute.check(uow, now=LATER).differences

    assert difference.name.startswith("case ")
    assert (difference.platform["state"], difference.journal["state"]) == ("decided", "opened")


def test_after_a_real_risk_every_figure_agrees(uow: UnitOfWork) -> None:
    risk_id, approved = real_record(uow)

    found = recompute.check(uow, now=LATER)

    assert found.differences == []
    journal = found.journal
    # The settlement drawn up again from the journal's ledger: Hangzhou pays 150,000.
    assert journal[f"settlement {approved}"]["state"] == "approved"
    assert journal[f"settlement {approved}"]["transfers"] == [
        {"payer": "330100", "payee": "341000", "amount_fen": 15_000_000, "form": "money"}
    ]
    assert len([k for k in journal if k.startswith("settlement ") and k[11:].isdigit()]) == 2
    assert any(k.startswith(f"metric risk:{risk_id} ") for k in journal)
    evidence = journal[f"trust yrd {HUANGSHAN} evidence"]
    assert any(e.startswith("duty:") and e.endswith("duty_late") for e in evidence)
    assert any(e.startswith("rating:") for e in evidence)
    assert journal[f"trust yrd {HANGZHOU} score"] < 0.5
    (case,) = [v for k, v in journal.items() if k.startswith("case ")]
    assert (case["state"], case["outcome"]) == ("decided", "criticism")


def test_the_funds_book_and_deliveries_in_kind_agree_and_a_changed_payout_is_named(
    uow: UnitOfWork,
) -> None:
    _risk_id, approved = real_record(uow)
    funded(uow)
    deliver(uow, approved)  # 10 training places of 2,000 yuan: 20,000 of the 150,000
    pay(uow, approved, "341000", "100000")

    found = recompute.check(uow, now=LATER)

    assert found.differences == []
    book = found.journal["fund yrd"]
    assert book["balance_fen"] == 100_000_000 - 10_000_000
    assert [m[0] for m in book["movements"]] == ["contribution", "payout"]
    assert found.journal[f"settlement {approved} in kind"] == [["330100", "341000", 2_000_000]]
    with uow as tx:
        tx.session.execute(update(FundMovementRow).values(amount_fen=1))
        tx.commit()

    assert [d.name for d in recompute.check(uow, now=LATER).differences] == ["fund yrd"]


def test_a_settlement_or_duty_changed_behind_the_services_is_named(uow: UnitOfWork) -> None:
    _risk_id, approved = real_record(uow)
    with uow as tx:
        tx.session.execute(
            update(SettlementRow)
            .where(SettlementRow.id == approved)
            .values(
                transfers=[
                    {
                        "payer": "330100",
                        "payee": "341000",
                        "amount_fen": 1,
                        "form": "money",
                        "note": "",
                    }
                ]
            )
        )
        # The committee's convening, cancelled by the closing, marked done in time.
        tx.session.execute(
            update(DutyRow)
            .where(DutyRow.kind == "convene")
            .values(status="done", done_at=DutyRow.deadline)
        )
        tx.commit()

    names = [d.name for d in recompute.check(uow, now=LATER).differences]

    assert f"settlement {approved}" in names
    assert f"trust yrd {COMMITTEE} evidence" in names


def test_into_writes_the_journals_figures_to_a_fresh_database(
    uow: UnitOfWork, tmp_path: Path
) -> None:
    run(uow)
    url = f"sqlite:///{tmp_path / 'figures.db'}"

    written, head = recompute.rebuild_into(uow, url, now=LATER)

    expected = recompute.check(uow, now=LATER).journal
    assert written == len(expected) and head[0] > 0
    assert read_figures(url) == expected


def test_a_border_sections_statement_is_drawn_again_from_its_journaled_means(
    uow: UnitOfWork,
) -> None:
    add_section(uow)
    agreement = water_agreement(uow)
    feed(uow, DIRTY)
    statement = settle(uow, agreement.id or 0)
    settlements.approve(uow, actor(uow, COMMITTEE), statement.id or 0, now=LATER)

    found = recompute.check(uow, now=LATER)

    assert found.differences == []
    # P = 1.275 > 1: the upstream party (Huangshan) pays Hangzhou the round's 100 million.
    assert found.journal[f"settlement {statement.id}"]["transfers"] == [
        {"payer": "ema-341000", "payee": "ema-330100", "amount_fen": AMOUNT_FEN, "form": "money"}
    ]


def test_a_cost_lines_files_agree_and_a_file_changed_in_the_table_is_named(
    uow: UnitOfWork,
) -> None:
    risk_id = two_cities_ledger(uow)
    (line, *_) = costs.ledger(uow, actor(uow, COMMITTEE), risk_id).lines
    costs.attach_evidence(
        uow,
        actor(uow, COMMITTEE),
        line.id or 0,
        costs.checked_upload("receipt.txt", "加班费发放记录\n".encode()),
        now=LATER,
    )

    found = recompute.check(uow, now=LATER)

    assert found.differences == []
    ((name, digest),) = found.journal[f"cost {line.id} evidence"]
    assert name == "receipt.txt" and len(digest) == 64
    with uow as tx:
        tx.session.execute(update(CostEvidenceRow).values(content=b"altered"))
        tx.commit()

    (difference,) = recompute.check(uow, now=LATER).differences
    assert difference.name == f"cost {line.id} evidence"
