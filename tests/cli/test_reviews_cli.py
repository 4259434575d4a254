"""`crossrisk review …`: show (text, JSON, PDF), rate, act, done; bad input refused in one
line, exit 2, with nothing written."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

from crossrisk.services import risks
from crossrisk.store.db import make_engine
from crossrisk.store.models import DutyRow, JournalEntryRow, ReviewRatingRow
from crossrisk.store.uow import UnitOfWork
from tests.support import XINAN_SPILL, actor, draft, row_counts, run_cli

DUE = (datetime.now(UTC) + timedelta(days=30)).replace(microsecond=0).isoformat()


def spill(url: str) -> str:
    engine = make_engine(url)
    uow = UnitOfWork(engine)
    risk = risks.register_risk(
        uow,
        actor(uow, "ema-341000"),
        draft(**XINAN_SPILL),
        region_code="yrd",
        now=datetime.now(UTC),
    )
    engine.dispose()
    return str(risk.id)


def test_rate_act_done_and_show(sqlite_url: str, tmp_path: Path) -> None:
    risk = spill(sqlite_url)
    rated = run_cli(
        sqlite_url,
        tmp_path,
        "review",
        "rate",
        risk,
        "--capability",
        "operational_coordination",
        "--rating",
        "S",
        "--as",
        "evaluator",
    )
    acted = run_cli(
        sqlite_url,
        tmp_path,
        "review",
        "act",
        risk,
        "--capability",
        "operational_coordination",
        "--owner",
        "ema-330100",
        "--due",
        DUE,
        "--text",
        "完善会商机制",
        "--as",
        "committee",
    )
    assert rated.returncode == 0, rated.stderr
    assert rated.stdout.strip() == f"risk {risk} · operational_coordination rated S"
    assert acted.returncode == 0, acted.stderr
    assert acted.stdout.startswith(f"action 1 of risk {risk}'s review · duty ")

    done = run_cli(sqlite_url, tmp_path, "review", "done", risk, "1", "--as", "hangzhou")
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["status"] == "done"

    shown = run_cli(sqlite_url, tmp_path, "review", "show", risk, "--json", "--as", "hangzhou")
    body = json.loads(shown.stdout)
    assert {m["name"] for m in body["metrics"]} >= {"report_latency", "duties_in_time_share"}
    assert body["ratings"][0]["rating"] == "S"
    assert body["corrective_actions"][0]["duty"]["status"] == "done"
    text = run_cli(sqlite_url, tmp_path, "review", "show", risk, "--as", "hangzhou")
    assert "report_latency" in text.stdout and "rating operational_coordination\tS" in text.stdout

    pdf = tmp_path / "review.pdf"
    printed = run_cli(
        sqlite_url, tmp_path, "review", "show", risk, "--pdf", str(pdf), "--lang", "en"
    )
    assert printed.returncode == 0, printed.stderr
    assert pdf.read_bytes().startswith(b"%PDF")


def test_bad_input_is_one_line_exit_2_and_writes_nothing(sqlite_url: str, tmp_path: Path) -> None:
    risk = spill(sqlite_url)
    before = row_counts(sqlite_url, JournalEntryRow, ReviewRatingRow, DutyRow)
    bad = [
        [
            "rate",
            risk,
            "--capability",
            "operational_coordination",
            "--rating",
            "X",
            "--as",
            "evaluator",
        ],
        [
            "rate",
            risk,
            "--capability",
            "operational_coordination",
            "--rating",
            "P",
            "--as",
            "committee",
        ],
        [
            "act",
            risk,
            "--capability",
            "operational_coordination",
            "--due",
            DUE,
            "--text",
            "x",
            "--as",
            "committee",
        ],
        [
            "act",
            risk,
            "--capability",
            "operational_coordination",
            "--owner",
            "ema-330100",
            "--due",
            "soon",
            "--text",
            "x",
            "--as",
            "committee",
        ],
        ["show", "99999999999999999999"],
    ]
    for arguments in bad:
        result = run_cli(sqlite_url, tmp_path, "review", *arguments)
        assert result.returncode == 2, (arguments, result.stdout, result.stderr)
        assert len(result.stderr.strip().splitlines()) == 1 and result.stderr.startswith("error: ")
    assert row_counts(sqlite_url, JournalEntryRow, ReviewRatingRow, DutyRow) == before
