"""`crossrisk trust …`: a member's score with its evidence, the committee's dispute;
bad input refused in one line, exit 2, with nothing written."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from crossrisk.store.models import JournalEntryRow, TrustRatingRow, TrustSupervisionRow
from tests.cli.test_cases_cli import register_spill
from tests.support import row_counts, run_cli

TABLES = (JournalEntryRow, TrustSupervisionRow, TrustRatingRow)


def test_a_score_is_shown_with_its_evidence_and_a_dispute_flips_it(
    sqlite_url: str, tmp_path: Path
) -> None:
    register_spill(sqlite_url)  # at T0, long past: Huangshan never reported

    shown = run_cli(sqlite_url, tmp_path, "trust", "ema-341000", "--json", "--as", "hangzhou")

    assert shown.returncode == 0, shown.stderr
    document = json.loads(shown.stdout)
    (item,) = document["evidence"]
    assert item["kind"] == "duty_late" and item["journal"]
    assert document["score"] == pytest.approx(1 / 3) and (document["r"], document["s"]) == (0, 1)
    text = run_cli(sqlite_url, tmp_path, "trust", "ema-341000", "--as", "hangzhou")
    assert "score 0.333 (r 0.00, s 1.00, 1 item(s), λ 0.9)" in text.stdout
    assert f"duty_late · {item['source']} · journal" in text.stdout

    disputed = run_cli(
        sqlite_url,
        tmp_path,
        "trust",
        "dispute",
        item["source"],
        "--reason",
        "通信中断期间已电话报告",
        "--as",
        "committee",
    )
    assert disputed.returncode == 0, disputed.stderr
    assert f"disputed {item['source']}: counts as duty_in_time" in disputed.stdout
    after = run_cli(sqlite_url, tmp_path, "trust", "ema-341000", "--json", "--as", "committee")
    assert json.loads(after.stdout)["score"] == pytest.approx(2 / 3)


def test_a_drills_late_acknowledgement_is_evidence_marked_as_the_drills(
    sqlite_url: str, tmp_path: Path
) -> None:
    ran = run_cli(sqlite_url, tmp_path, "drill", "run", "xinan_styrene", "--speed", "max")
    assert ran.returncode == 0, ran.stderr

    shown = run_cli(sqlite_url, tmp_path, "trust", "ema-330100", "--json", "--as", "committee")

    assert shown.returncode == 0, shown.stderr
    document = json.loads(shown.stdout)
    (item,) = document["evidence"]
    assert item["kind"] == "acknowledgement_missed" and item["journal"]
    assert (item["drill"], item["drill_id"]) == (True, 1)
    assert document["score"] == pytest.approx(1 / 3)
    text = run_cli(sqlite_url, tmp_path, "trust", "ema-330100", "--as", "committee")
    assert f"acknowledgement_missed · {item['source']} · DRILL 1 · journal" in text.stdout


@pytest.mark.parametrize(
    "args",
    [
        ("trust", "dispute", "duty:1", "--reason", "x", "--as", "hangzhou"),
        ("trust", "confirm", "risk:1", "--reason", "x", "--as", "committee"),
        ("trust", "dispute", "duty:99", "--reason", "x", "--as", "committee"),
        ("trust", "rate", "1", "--score", "3", "--as", "hangzhou"),
        ("trust", "rate", "1", "--score", "9", "--as", "hangzhou"),
        ("trust", "rate", "x", "--score", "3", "--as", "hangzhou"),
        ("trust", "ema-999999", "--as", "committee"),
    ],
)
def test_bad_input_exits_2_in_one_line_and_writes_nothing(
    sqlite_url: str, tmp_path: Path, args: tuple[str, ...]
) -> None:
    register_spill(sqlite_url)
    before = row_counts(sqlite_url, *TABLES)

    result = run_cli(sqlite_url, tmp_path, *args)

    assert result.returncode == 2, result.stdout + result.stderr
    assert len(result.stderr.strip().splitlines()) == 1 and result.stderr.startswith("error:")
    assert row_counts(sqlite_url, *TABLES) == before
