"""`crossrisk recompute`: after a drill run from the command line, every figure recomputed
from the journal agrees with the database and is written into a fresh one; a changed row
is named, with exit 1; bad input exits 2 in one line and writes nothing."""

from __future__ import annotations

import json
from pathlib import Path

from sqlalchemy import update

from crossrisk.store.db import make_engine
from crossrisk.store.models import CaseRow
from crossrisk.store.recomputed import read_figures
from tests.support import run_cli


def test_a_drills_figures_agree_are_written_into_a_fresh_database_and_a_change_is_named(
    sqlite_url: str, tmp_path: Path
) -> None:
    ran = run_cli(sqlite_url, tmp_path, "drill", "run", "xinan_styrene", "--speed", "max")
    assert ran.returncode == 0, ran.stderr

    checked = run_cli(sqlite_url, tmp_path, "recompute", "--check")

    assert checked.returncode == 0, checked.stderr
    assert (
        checked.stdout.startswith("all ") and "figures agree (journal up to entry" in checked.stdout
    )
    figures = int(checked.stdout.split()[1])
    assert figures > 20
    fresh = f"sqlite:///{tmp_path / 'figures.db'}"
    into = run_cli(sqlite_url, tmp_path, "recompute", "--into", fresh, "--json")
    assert into.returncode == 0, into.stderr
    assert json.loads(into.stdout)["into"]["figures"] == figures
    written = read_figures(fresh)
    assert len(written) == figures
    (case,) = [v for k, v in written.items() if k.startswith("case ")]
    assert (case["party"], case["kind"]) == ("ema-330100", "duty_late")

    again = run_cli(sqlite_url, tmp_path, "recompute", "--into", fresh)

    assert again.returncode == 2
    assert again.stderr.strip().splitlines() == [
        "error: the database is not fresh: it holds 2 tables (figures, recomputations…)"
    ]
    assert read_figures(fresh) == written

    # A case changed behind the services' back is named, with exit 1.
    engine = make_engine(sqlite_url)
    with engine.begin() as connection:
        connection.execute(update(CaseRow).values(state="decided"))
    engine.dispose()

    checked = run_cli(sqlite_url, tmp_path, "recompute", "--check", "--json")

    assert checked.returncode == 1
    (difference,) = json.loads(checked.stdout)["check"]["differences"]
    assert difference["name"] == "case 1"
    assert (difference["platform"]["state"], difference["journal"]["state"]) == (
        "decided",
        "opened",
    )
    text = run_cli(sqlite_url, tmp_path, "recompute", "--check")
    assert text.returncode == 1
    assert text.stdout.splitlines()[0].startswith('differs: case 1: state: platform "decided"')


def test_bad_input_exits_2_in_one_line(sqlite_url: str, tmp_path: Path) -> None:
    run_cli(sqlite_url, tmp_path, "init")
    for args, message in (
        ((), "error: say --check, --into URL or both"),
        (("--into", "not a url"), "error: not a database URL: 'not a url'"),
    ):
        refused = run_cli(sqlite_url, tmp_path, "recompute", *args)
        assert refused.returncode == 2
        assert refused.stderr.strip().splitlines() == [message]
    assert not (tmp_path / "not a url").exists()
