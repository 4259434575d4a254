"""`crossrisk compensation water-quality AGREEMENT --station S --year Y …`: a border
section's statement printed with P and who pays whom; bad input one line, exit 2, nothing
written."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from crossrisk.store.db import make_engine
from crossrisk.store.models import JournalEntryRow, SettlementRow
from crossrisk.store.uow import UnitOfWork
from tests.agreements_support import HANGZHOU, HUANGSHAN
from tests.support import row_counts, run_cli
from tests.water_quality_support import SECTION, add_section, feed, water_agreement

CLEAN = {"codmn": [1.6], "nh3_n": [0.09], "tp": [0.016], "tn": [1.0]}


@pytest.fixture
def agreement_id(sqlite_url: str) -> Iterator[int]:
    engine = make_engine(sqlite_url)
    try:
        uow = UnitOfWork(engine)
        add_section(uow)
        agreement = water_agreement(uow)
        feed(uow, CLEAN)
    finally:
        engine.dispose()
    assert agreement.id is not None
    yield agreement.id


def water(url: str, tmp_path: Path, agreement: str, *more: str) -> tuple[int, str, str]:
    done = run_cli(
        url,
        tmp_path,
        "compensation",
        "water-quality",
        agreement,
        "--station",
        SECTION,
        "--upstream",
        HUANGSHAN,
        "--downstream",
        HANGZHOU,
        *more,
    )
    return done.returncode, done.stdout, done.stderr


def test_the_statement_is_printed_with_p_and_who_pays_whom(
    sqlite_url: str, tmp_path: Path, agreement_id: int
) -> None:
    code, out, err = water(
        sqlite_url,
        tmp_path,
        str(agreement_id),
        "--year",
        "2025",
        "--round",
        "first",
        "--as",
        "committee",
    )
    assert code == 0, err
    shown = json.loads(out)
    # P = 0.85 × 0.25 × (0.8 + 0.9 + 0.8 + 1.0) = 0.74375: Hangzhou pays Huangshan.
    assert shown["index"] == "0.74375"
    assert shown["direction"] == "downstream_pays"
    assert (shown["payer"], shown["payee"], shown["amount_fen"]) == (
        HANGZHOU,
        HUANGSHAN,
        10_000_000_000,
    )
    assert shown["state"] == "proposed" and shown["risk_id"] is None
    assert shown["round"] == "first"
    assert shown["period"] == {"from": "2025-01-01", "to": "2025-12-31"}

    approved = run_cli(
        sqlite_url, tmp_path, "compensation", "approve", str(shown["id"]), "--as", "committee"
    )
    assert approved.returncode == 0, approved.stderr
    assert json.loads(approved.stdout)["state"] == "approved"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--year", "2024"], "no reading of codmn"),
        (["--year", "2025", "--station", "nowhere"], "does not exist"),
        (["--from", "2025-13-01", "--to", "2025-12-31"], "--from is a day"),
        (["--year", "2025", "--as", "hangzhou", "--upstream", "ema-330800"], "neither party"),
    ],
)
def test_bad_input_exits_2_with_one_line_and_writes_nothing(
    sqlite_url: str, tmp_path: Path, agreement_id: int, args: list[str], message: str
) -> None:
    before = row_counts(sqlite_url, SettlementRow, JournalEntryRow)
    code, out, err = water(sqlite_url, tmp_path, str(agreement_id), *args)
    assert code == 2
    assert out == ""
    assert len(err.strip().splitlines()) == 1 and message in err
    assert row_counts(sqlite_url, SettlementRow, JournalEntryRow) == before
