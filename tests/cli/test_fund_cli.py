"""`crossrisk compensation fund show|contribute|payout|penalty` and `in-kind add|list`: the
committee keeps the regional fund from the command line; bad input is one line, exit 2,
and writes nothing."""

from __future__ import annotations

import json
from pathlib import Path

from crossrisk.services import settlements
from crossrisk.store.db import make_engine
from crossrisk.store.models import FundMovementRow, InKindDeliveryRow, JournalEntryRow
from crossrisk.store.uow import UnitOfWork
from tests.services.test_costs import COMMITTEE, NOW
from tests.services.test_settlements import HS, HZ, close, two_cities_ledger
from tests.support import actor, row_counts, run_cli


def approved_statement(url: str) -> int:
    """Hangzhou owes Huangshan 150,000 yuan under the approved Shapley statement."""
    engine = make_engine(url)
    try:
        uow = UnitOfWork(engine)
        risk_id = two_cities_ledger(uow)
        close(uow, risk_id)
        committee = actor(uow, COMMITTEE)
        statement = settlements.propose(uow, committee, risk_id, rule="shapley", now=NOW)
        settlements.approve(uow, committee, statement.id or 0, now=NOW)
    finally:
        engine.dispose()
    return statement.id or 0


def ok(url: str, tmp_path: Path, *args: str) -> dict[str, object]:
    done = run_cli(url, tmp_path, "compensation", *args)
    assert done.returncode == 0, done.stderr
    return dict(json.loads(done.stdout))


def test_the_committee_keeps_the_fund_from_the_command_line(
    sqlite_url: str, tmp_path: Path
) -> None:
    sid = approved_statement(sqlite_url)
    given = ok(
        sqlite_url,
        tmp_path,
        "fund",
        "contribute",
        "ema-340000",
        "500000",
        "--condition",
        "仅用于新安江流域",
        "--condition",
        "2026 年底前使用",
        "--region",
        "yrd",
        "--as",
        "committee",
    )
    assert given["conditions"] == ["仅用于新安江流域", "2026 年底前使用"]
    assert given["amount_fen"] == 50_000_000
    delivered = ok(
        sqlite_url,
        tmp_path,
        "in-kind",
        "add",
        str(sid),
        "--provider",
        HZ,
        "--recipient",
        HS,
        "--what",
        "平台运维服务（人日）",
        "--quantity",
        "20",
        "--unit-value",
        "1500",
        "--date",
        "2026-04-03",
        "--evidence",
        "运维记录",
        "--as",
        "committee",
    )
    assert delivered["value_fen"] == 3_000_000
    paid = ok(
        sqlite_url,
        tmp_path,
        "fund",
        "payout",
        str(sid),
        HS,
        "120000",
        "--note",
        "代付",
        "--as",
        "committee",
    )
    assert (paid["kind"], paid["settlement_id"], paid["amount_fen"]) == ("payout", sid, 12_000_000)

    book = ok(sqlite_url, tmp_path, "fund", "show", "yrd")
    assert (book["received_fen"], book["paid_fen"], book["balance_fen"]) == (
        50_000_000,
        12_000_000,
        38_000_000,
    )
    assert [d["description"] for d in book["deliveries"]] == ["平台运维服务（人日）"]  # type: ignore[attr-defined]
    listed = ok(sqlite_url, tmp_path, "in-kind", "list", str(sid))
    assert [(t["form"], t["amount_fen"]) for t in listed["transfers"]] == [  # type: ignore[attr-defined]
        ("in_kind", 3_000_000),
        ("money", 12_000_000),
    ]


def test_bad_input_is_one_line_exit_2_and_writes_nothing(sqlite_url: str, tmp_path: Path) -> None:
    sid = approved_statement(sqlite_url)
    tables = (JournalEntryRow, FundMovementRow, InKindDeliveryRow)
    before = row_counts(sqlite_url, *tables)
    delivery = ["in-kind", "add", str(sid), "--provider", HZ, "--recipient", HS, "--what", "设备"]
    delivery += ["--unit-value", "1000", "--evidence", "交接单"]
    for args in (
        ["fund", "payout", str(sid), HS, "1", "--note", "无余额", "--as", "committee"],
        ["fund", "payout", str(sid), HZ, "1", "--note", "不欠", "--as", "committee"],
        ["fund", "payout", "x1", HS, "1", "--note", "坏编号", "--as", "committee"],
        ["fund", "contribute", "ema-341000", "1", "--region", "yrd", "--as", "committee"],
        ["fund", "contribute", "ema-340000", "1.234", "--region", "yrd", "--as", "committee"],
        ["fund", "contribute", "ema-340000", "1", "--region", "yrd", "--as", "hangzhou"],
        ["fund", "penalty", "999999", "--as", "committee"],
        [*delivery, "--quantity", "151", "--date", "2026-04-03", "--as", "committee"],
        [*delivery, "--quantity", "1", "--date", "yesterday", "--as", "committee"],
        [*delivery, "--quantity", "1", "--date", "2026-04-03", "--as", "hangzhou"],
    ):
        done = run_cli(sqlite_url, tmp_path, "compensation", *args)
        assert done.returncode == 2, (args, done.stdout, done.stderr)
        assert len(done.stderr.strip().splitlines()) == 1, done.stderr
    assert row_counts(sqlite_url, *tables) == before
