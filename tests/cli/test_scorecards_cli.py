"""`crossrisk evaluation …`: assess, scorecard (text and JSON), rewards and criteria; bad
input refused in one line, exit 2, with nothing written."""

from __future__ import annotations

import json
from pathlib import Path

from crossrisk.store.models import AssessmentRow, JournalEntryRow
from tests.support import row_counts, run_cli

ASSESS = [
    "evaluation",
    "assess",
    "ema-330100",
    "--region",
    "yrd",
    "--from",
    "2026-07-01",
    "--to",
    "2026-09-30",
    "--score",
    "information_reporting=90",
    "--score",
    "joint_response=80",
    "--note",
    "三季度评估",
    "--as",
    "evaluator",
]
PERIOD = ["--from", "2026-07-01", "--to", "2026-09-30"]


def test_the_evaluator_assesses_and_the_scorecard_and_rewards_show_it(
    sqlite_url: str, tmp_path: Path
) -> None:
    filed = run_cli(sqlite_url, tmp_path, *ASSESS)
    assert filed.returncode == 0, filed.stderr
    assert filed.stdout.startswith("assessment 1 · third_party · ema-330100")

    text = run_cli(sqlite_url, tmp_path, "evaluation", "scorecard", "ema-330100", *PERIOD)
    shown = run_cli(
        sqlite_url, tmp_path, "evaluation", "scorecard", "ema-330100", *PERIOD, "--json"
    )
    ranked = run_cli(sqlite_url, tmp_path, "evaluation", "rewards", "--region", "yrd", *PERIOD)
    criteria = run_cli(sqlite_url, tmp_path, "evaluation", "criteria")

    assert text.returncode == 0, text.stderr
    assert "assessment 85.6 (third party 85.6 ×1, self — ×0)" in text.stdout
    assert "2026-08: assessment 85.6" in text.stdout
    document = json.loads(shown.stdout)
    assert document["assessment"]["score"] == 85.6
    assert [p["label"] for p in document["trend"]] == ["2026-07", "2026-08", "2026-09"]
    assert ranked.stdout.splitlines()[0].startswith("1 · ema-330100 · 85.6 · reward (top_score)")
    assert "information_reporting · 信息报告及时准确" in criteria.stdout


def test_bad_input_exits_2_with_one_line_and_writes_nothing(
    sqlite_url: str, tmp_path: Path
) -> None:
    before = row_counts(sqlite_url, JournalEntryRow, AssessmentRow)
    for args in (
        [*ASSESS[:-2], "--as", "huangshan"],  # neither the evaluator nor Hangzhou itself
        [*ASSESS[:-2]],  # the platform is not an evaluator
        [*ASSESS[:9], "--score", "bribery=5", *ASSESS[13:]],
        [*ASSESS[:9], "--score", "joint_response=101", *ASSESS[13:]],
        [*ASSESS[:9], "--score", "joint_response=ninety", *ASSESS[13:]],
        [*ASSESS[:9], "--score", "joint_response=inf", *ASSESS[13:]],
        [*ASSESS[:6], "0001-01-01", *ASSESS[7:]],
        [*ASSESS[:8], "2026-06-01", *ASSESS[9:]],  # ends before it starts
        [*ASSESS[:6], "July", *ASSESS[7:]],
        ["evaluation", "scorecard", "yrd-committee", *PERIOD],
        ["evaluation", "scorecard", "ema-330100", "--from", "2026-07-01", "--to", "9999-12-31"],
        ["evaluation", "rewards", "--region", "nowhere", *PERIOD],
    ):
        refused = run_cli(sqlite_url, tmp_path, *args)
        assert refused.returncode == 2, (args, refused.stdout, refused.stderr)
        assert len(refused.stderr.strip().splitlines()) == 1, refused.stderr
    assert row_counts(sqlite_url, JournalEntryRow, AssessmentRow) == before
