"""`crossrisk compensation cost add|list`, `settle` and `approve`: a closed risk's costs
settled by Shapley from the command line; bad input one line, exit 2, nothing written."""

from __future__ import annotations

import json
from pathlib import Path

from crossrisk.domain.risk import RiskStatus
from crossrisk.services import risks
from crossrisk.store.db import make_engine
from crossrisk.store.models import CostLineRow, JournalEntryRow, SettlementRow
from crossrisk.store.uow import UnitOfWork
from tests.support import T0, XINAN_SPILL, actor, draft, row_counts, run_cli

HS, HZ = "341000", "330100"


def spill(url: str, *, closed: bool) -> int:
    engine = make_engine(url)
    try:
        uow = UnitOfWork(engine)
        lead = actor(uow, "ema-341000")
        risk = risks.register_risk(uow, lead, draft(**XINAN_SPILL), region_code="yrd", now=T0)
        assert risk.id is not None
        steps = [RiskStatus.ASSESSED, RiskStatus.TREATING, RiskStatus.MONITORING]
        for status in [*steps, RiskStatus.CLOSED] if closed else []:
            risks.transition_risk(uow, lead, risk.id, to=status, reason="处置完毕", now=T0)
    finally:
        engine.dispose()
    return risk.id


def add(url: str, tmp_path: Path, risk_id: int, user: str, *args: str) -> str:
    done = run_cli(
        url,
        tmp_path,
        "compensation",
        "cost",
        "add",
        str(risk_id),
        "--category",
        "personnel",
        "--date",
        "2026-03-02",
        "--evidence",
        "加班表",
        *args,
        "--as",
        user,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_costs_are_settled_by_shapley_and_approved(sqlite_url: str, tmp_path: Path) -> None:
    risk_id = spill(sqlite_url, closed=True)
    add(
        sqlite_url,
        tmp_path,
        risk_id,
        "huangshan",
        "--party",
        HS,
        "--amount",
        "300000",
        "--protects",
        f"{HS},{HZ}",
    )
    add(sqlite_url, tmp_path, risk_id, "huangshan", "--party", HS, "--amount", "100000")
    add(sqlite_url, tmp_path, risk_id, "hangzhou", "--party", HZ, "--amount", "200000")
    listed = run_cli(sqlite_url, tmp_path, "compensation", "cost", "list", str(risk_id))
    assert [json.loads(x)["amount_fen"] for x in listed.stdout.splitlines()] == [
        30_000_000,
        10_000_000,
        20_000_000,
    ]

    settled = run_cli(
        sqlite_url,
        tmp_path,
        "compensation",
        "settle",
        str(risk_id),
        "--rule",
        "shapley",
        "--as",
        "committee",
    )
    assert settled.returncode == 0, settled.stderr
    statement = json.loads(settled.stdout)
    assert statement["transfers"] == [
        {"payer": HZ, "payee": HS, "amount_fen": 15_000_000, "form": "money"}
    ]
    approved = run_cli(
        sqlite_url, tmp_path, "compensation", "approve", str(statement["id"]), "--as", "committee"
    )
    assert approved.returncode == 0, approved.stderr
    assert json.loads(approved.stdout)["state"] == "approved"


def test_bad_input_is_one_line_exit_2_and_writes_nothing(sqlite_url: str, tmp_path: Path) -> None:
    open_risk = spill(sqlite_url, closed=False)
    tables = (JournalEntryRow, CostLineRow, SettlementRow)
    before = row_counts(sqlite_url, *tables)
    base = [
        "compensation",
        "cost",
        "add",
        str(open_risk),
        "--category",
        "travel",
        "--evidence",
        "票据",
        "--party",
        HS,
    ]
    for args in (
        [*base, "--amount", "-3", "--date", "2026-03-02", "--as", "huangshan"],
        [*base, "--amount", "3", "--date", "0001-01-01", "--as", "huangshan"],
        [*base, "--amount", "3", "--date", "yesterday", "--as", "huangshan"],
        [*base, "--amount", "3", "--date", "2026-03-02", "--as", "hangzhou"],
        ["compensation", "settle", str(open_risk), "--rule", "shapley", "--as", "committee"],
        ["compensation", "settle", "x1", "--rule", "shapley"],
    ):
        done = run_cli(sqlite_url, tmp_path, *args)
        assert done.returncode == 2, (args, done.stdout, done.stderr)
        assert len(done.stderr.strip().splitlines()) == 1, done.stderr
    assert row_counts(sqlite_url, *tables) == before
