"""Every figure recomputed from the journal, beside the platform's own reading of its tables.

A scratch SQLite database holds the bundled region and the bundled drills, each run at full
speed through the services (a drill's record is what a real risk's is: duties, warnings,
acknowledgements, aid, cases). Measured: `recompute.journal_figures`, which folds the whole
journal back into records and computes every metric, case, statement and trust score from
them; baseline: `recompute.platform_figures`, the same figures as the pages compute them
from the tables, in the same run. Both must agree, figure by figure.
"""

from __future__ import annotations

import json
import tempfile
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

from bench.report import Result, median_ms
from bench.size import Size
from crossrisk.data import bundled_drill_path, bundled_region_path
from crossrisk.domain.organisation import system_actor
from crossrisk.domain.region import read_region_spec
from crossrisk.services import drills, recompute, regions
from crossrisk.store.db import make_engine, migrate
from crossrisk.store.uow import Transaction, UnitOfWork

SCENARIOS = ("xinan_styrene", "huai_flood", "taicang_plume")
ROUNDS = {Size.FULL: 10, Size.SMOKE: 1}  # each round runs every scenario once
RUNS = {Size.FULL: 3, Size.SMOKE: 1}


def run(size: Size = Size.FULL) -> list[Result]:
    """The journal's reading against the tables' reading of the same figures."""
    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite:///{Path(folder) / 'bench.db'}"
        migrate(url)
        engine = make_engine(url)
        try:
            uow = UnitOfWork(engine)
            _record(uow, ROUNDS[size])
            return [_against_the_tables(uow, size)]
        finally:
            engine.dispose()


def _record(uow: UnitOfWork, rounds: int) -> None:
    spec = read_region_spec(json.loads(bundled_region_path("yrd").read_text("utf-8")))
    start = datetime(2026, 3, 1, tzinfo=UTC)
    regions.load_region(uow, system_actor(), spec, now=start)
    for round_ in range(rounds):
        for number, name in enumerate(SCENARIOS):
            moment = start + timedelta(days=2 * (round_ * len(SCENARIOS) + number + 1))
            scenario = bundled_drill_path(name)
            assert scenario is not None
            drills.run_drill(
                uow,
                system_actor("drill"),
                scenario.read_text("utf-8"),
                speed=None,
                pace=_at(moment),
            )


def _at(moment: datetime) -> drills.Pace:
    """A drill's pace that starts at `moment` and never waits."""
    return drills.Pace(clock=lambda: moment, wait=lambda _seconds: None, elapsed=lambda: 0.0)


def _against_the_tables(uow: UnitOfWork, size: Size) -> Result:
    now = datetime(2027, 1, 1, tzinfo=UTC)

    def reading(read: Callable[[Transaction], recompute.Figures]) -> Callable[[], object]:
        def once() -> object:
            with uow.read_only() as tx:
                return read(tx)

        return once

    journal_ms = median_ms(reading(lambda tx: recompute.journal_figures(tx, now=now)), RUNS[size])
    tables_ms = median_ms(reading(lambda tx: recompute.platform_figures(tx, now=now)), RUNS[size])
    checked = recompute.check(uow, now=now)
    with uow.read_only() as tx:
        entries = tx.journal.head_record()[0]
    drills_run = ROUNDS[size] * len(SCENARIOS)
    return Result(
        name=f"recompute from the journal, {drills_run} drills",
        unit="ms median",
        measured=journal_ms,
        baseline_name="the same figures read from the tables",
        baseline=tables_ms,
        ratio=tables_ms / journal_ms,
        detail={
            "journal entries": float(entries),
            "figures": float(len(checked.journal)),
            "journal reading ms": journal_ms,
            "tables reading ms": tables_ms,
            "differences": float(len(checked.differences)),
        },
    )
