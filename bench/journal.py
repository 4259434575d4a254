"""Journal appends through the repository against bare inserts of the same rows."""

from __future__ import annotations

import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import insert

from bench.report import Result
from bench.size import Size
from crossrisk.domain.organisation import system_actor
from crossrisk.store.db import make_engine, migrate
from crossrisk.store.models import JournalEntryRow
from crossrisk.store.uow import UnitOfWork

ENTRIES = {Size.FULL: 2000, Size.SMOKE: 50}


def run(size: Size = Size.FULL) -> Result:
    """Appends per second, one transaction each, on SQLite; baseline: bare inserts."""
    entries = ENTRIES[size]
    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite:///{Path(folder) / 'bench.db'}"
        migrate(url)
        engine = make_engine(url)
        uow = UnitOfWork(engine)
        actor = system_actor()
        payload = {"risk": {"id": 1, "title": "新安江苯乙烯泄漏", "level": "II"}}
        now = datetime.now(UTC)

        start = time.perf_counter()
        for i in range(entries):
            with uow as tx:
                tx.journal.append(actor, "bench", subject=f"bench:{i}", payload=payload, now=now)
                tx.commit()
        chained = entries / (time.perf_counter() - start)

        start = time.perf_counter()
        for i in range(entries):
            with engine.begin() as connection:
                connection.execute(
                    insert(JournalEntryRow),
                    {
                        "seq": 10_000_000 + i,
                        "at": now,
                        "actor": "system",
                        "organisation": "system",
                        "action": "bench",
                        "subject": f"bench:{i}",
                        "payload": "{}",
                        "prev_hash": "0" * 64,
                        "hash": "0" * 64,
                    },
                )
        bare = entries / (time.perf_counter() - start)
        engine.dispose()
    return Result(
        name="journal append (SQLite)",
        unit="entries/s",
        measured=chained,
        baseline_name="bare insert, one transaction each",
        baseline=bare,
        ratio=chained / bare,
        detail={},
    )
