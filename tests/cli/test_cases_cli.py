"""`crossrisk case …`: detect, list, show, review, statement, decide; bad input refused in
one line, exit 2, with nothing written."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from crossrisk.services import risks
from crossrisk.store.db import make_engine
from crossrisk.store.models import CaseRow, JournalEntryRow
from crossrisk.store.uow import UnitOfWork
from tests.support import T0, XINAN_SPILL, actor, draft, row_counts, run_cli


def register_spill(url: str) -> int:
    """A spill registered at T0, long past: its duties were never done."""
    engine = make_engine(url)
    try:
        uow = UnitOfWork(engine)
        risk = risks.register_risk(
            uow, actor(uow, "ema-341000"), draft(**XINAN_SPILL), region_code="yrd", now=T0
        )
    finally:
        engine.dispose()
    assert risk.id is not None
    return risk.id


def test_the_committee_detects_reviews_and_decides(sqlite_url: str, tmp_path: Path) -> None:
    risk_id = register_spill(sqlite_url)
    detected = run_cli(sqlite_url, tmp_path, "case", "detect", str(risk_id), "--as", "committee")
    assert detected.returncode == 0, detected.stderr
    assert "duty_not_done · ema-341000" in detected.stdout
    listed = run_cli(
        sqlite_url, tmp_path, "case", "list", "--party", "ema-341000", "--as", "committee"
    )
    case_id = listed.stdout.split()[1]
    shown = run_cli(sqlite_url, tmp_path, "case", "show", case_id, "--as", "huangshan")
    document = json.loads(shown.stdout)
    assert document["party"] == "ema-341000" and document["evidence"]
    assert all(e["verified"] for e in document["evidence"])

    steps = [
        ("review", "--text", "未按时报告", "committee"),
        ("statement", "--text", "通信中断", "huangshan"),
    ]
    for command, option, text, user in steps:
        done = run_cli(sqlite_url, tmp_path, "case", command, case_id, option, text, "--as", user)
        assert done.returncode == 0, done.stderr
    decided = run_cli(
        sqlite_url,
        tmp_path,
        "case",
        "decide",
        case_id,
        "--outcome",
        "no_fault",
        "--reason",
        "通信中断属实",
        "--as",
        "committee",
    )
    assert decided.returncode == 0, decided.stderr
    assert decided.stdout.startswith(f"case {case_id} · decided · no_fault")


@pytest.mark.parametrize(
    "args",
    [
        ("case", "show", "abc", "--as", "committee"),
        ("case", "show", str(2**40), "--as", "committee"),
        ("case", "detect", "0", "--as", "committee"),
        ("case", "detect", "1", "--as", "hangzhou"),
        ("case", "review", "1", "--text", "审查", "--as", "huangshan"),
        ("case", "statement", "1", "--text", "陈述", "--as", "huangshan"),
        ("case", "decide", "1", "--outcome", "fine", "--reason", "r", "--as", "committee"),
        ("case", "review", "1", "--text", "a\x01b", "--as", "committee"),
        ("case", "review", "99", "--text", "审查", "--as", "committee"),
    ],
)
def test_bad_input_exits_2_in_one_line_and_writes_nothing(
    sqlite_url: str, tmp_path: Path, args: tuple[str, ...]
) -> None:
    risk_id = register_spill(sqlite_url)
    assert risk_id == 1
    run_cli(sqlite_url, tmp_path, "case", "detect", "1", "--as", "committee")
    before = row_counts(sqlite_url, CaseRow, JournalEntryRow)
    refused = run_cli(sqlite_url, tmp_path, *args)
    assert refused.returncode == 2, refused.stdout + refused.stderr
    assert len(refused.stderr.strip().splitlines()) == 1
    assert row_counts(sqlite_url, CaseRow, JournalEntryRow) == before
