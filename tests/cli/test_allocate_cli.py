"""`crossrisk aid allocate REQUEST…`: the proposal printed as a table, approved with
--approve, and bad input refused in one line with nothing written."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import create_engine

from crossrisk.store.models import AllocationRow, CommitmentRow, JournalEntryRow
from crossrisk.store.uow import UnitOfWork
from tests.services.test_allocations import SHANGHAI, SUZHOU, add_stock, request
from tests.support import row_counts, run_cli


def setting(url: str, quantity: float) -> int:
    engine = create_engine(url)
    uow = UnitOfWork(engine)
    at = datetime.now(UTC)  # the command runs now: the need lies ahead of it
    add_stock(uow, SUZHOU, "tent", 300, at=at)
    add_stock(uow, SHANGHAI, "tent", 200, at=at)
    request_id = request(uow, quantity, at=at)
    engine.dispose()
    return request_id


def test_it_prints_the_proposal_and_approves_it(sqlite_url: str, tmp_path: Path) -> None:
    request_id = setting(sqlite_url, 600)

    proposed = run_cli(sqlite_url, tmp_path, "aid", "allocate", str(request_id), "--fair")
    assert proposed.returncode == 0, proposed.stderr
    lines = proposed.stdout.splitlines()
    assert lines[0].startswith("allocation 1 · proposed")
    assert lines[1] == "donor\trequest_line\titem\tquantity\thours\tstale"
    rows = {line.split("\t")[0]: line.split("\t") for line in lines[2:]}
    assert rows[SUZHOU][2:4] == ["tent", "300"] and rows[SHANGHAI][3] == "200"
    assert rows["unmet"][2:] == ["tent", "100"]
    assert "total_hours" in rows and "price_of_fairness_hours" in rows
    assert row_counts(sqlite_url, CommitmentRow) == (0,)

    approved = run_cli(
        sqlite_url, tmp_path, "aid", "allocate", str(request_id), "--approve", "--as", "committee"
    )
    assert approved.returncode == 0, approved.stderr
    assert approved.stdout.splitlines()[0].startswith("allocation 2 · approved")
    assert approved.stdout.splitlines()[1].endswith("\tcommitment")
    assert row_counts(sqlite_url, CommitmentRow, AllocationRow) == (2, 2)


def test_bad_input_exits_2_with_one_line(sqlite_url: str, tmp_path: Path) -> None:
    request_id = setting(sqlite_url, 100)
    before = row_counts(sqlite_url, AllocationRow, CommitmentRow, JournalEntryRow)
    for args in (
        ["999999"],
        ["0"],
        ["abc"],
        [str(2**63)],
        [str(request_id), "--as", "hangzhou"],  # a city does not allocate
        [str(request_id), "--as", "nobody"],
    ):
        refused = run_cli(sqlite_url, tmp_path, "aid", "allocate", *args)
        assert refused.returncode == 2, (args, refused.stdout, refused.stderr)
        assert len(refused.stderr.strip().splitlines()) == 1, refused.stderr
    assert row_counts(sqlite_url, AllocationRow, CommitmentRow, JournalEntryRow) == before
