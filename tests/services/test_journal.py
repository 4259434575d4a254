"""The hash-chained journal, on SQLite and PostgreSQL."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest
from sqlalchemy import select, text

from crossrisk.domain.organisation import system_actor
from crossrisk.services import journal, risks
from crossrisk.store.models import JournalEntryRow
from crossrisk.store.uow import UnitOfWork
from tests.support import T0, actor, draft


def test_fresh_database_journal_verifies(uow: UnitOfWork) -> None:
    result = journal.verify_journal(uow, system_actor())
    assert result.ok
    # Two region loads and the test users: every change so far left one entry.
    assert result.entries >= 2


@pytest.mark.journal_tampered
def test_row_altered_in_sql_is_named_by_verification(uow: UnitOfWork) -> None:
    officer = actor(uow, "ema-341000")
    risk = risks.register_risk(uow, officer, draft(), region_code="yrd", now=T0)
    risks.change_risk(
        uow, officer, risk.id, risks.RiskChange(title="更新", reason="标题更正"), now=T0
    )
    with uow.read_only() as tx:
        target = tx.journal.about(f"risk:{risk.id}")[0].seq
    with uow.engine.begin() as connection:
        connection.execute(
            text(
                "UPDATE journal_entries SET payload = replace(payload, '新安江', '钱塘江') "
                "WHERE seq = :seq"
            ),
            {"seq": target},
        )
    result = journal.verify_journal(uow, system_actor())
    assert not result.ok
    assert result.first_broken_seq == target
    assert result.problem == "its content does not match its hash"


@pytest.mark.journal_tampered
def test_deleted_row_is_named_by_verification(uow: UnitOfWork) -> None:
    officer = actor(uow, "ema-341000")
    for _ in range(3):
        risks.register_risk(uow, officer, draft(), region_code="yrd", now=T0)
    with uow.read_only() as tx:
        last = max(e.seq for e in tx.journal.entries())
    with uow.engine.begin() as connection:
        connection.execute(text("DELETE FROM journal_entries WHERE seq = :seq"), {"seq": last - 1})
    assert journal.verify_journal(uow, system_actor()).first_broken_seq == last


def test_entries_cannot_be_changed_through_the_code(uow: UnitOfWork) -> None:
    with uow.read_only() as tx:
        row = tx.session.scalars(select(JournalEntryRow).limit(1)).one()
        row.action = "forged"
        with pytest.raises(RuntimeError, match="append-only"):
            tx.session.flush()
    with uow.read_only() as tx:
        row = tx.session.scalars(select(JournalEntryRow).limit(1)).one()
        tx.session.delete(row)
        with pytest.raises(RuntimeError, match="append-only"):
            tx.session.flush()
    assert journal.verify_journal(uow, system_actor()).ok


def test_concurrent_writers_keep_one_unbroken_chain(uow: UnitOfWork) -> None:
    officer = actor(uow, "ema-341000")
    errors: list[BaseException] = []

    def register(index: int) -> None:
        try:
            worker = UnitOfWork(uow.engine)
            risks.register_risk(
                worker,
                officer,
                draft(title=f"并发 {index}"),
                region_code="yrd",
                now=T0 + timedelta(seconds=index),
            )
        except BaseException as exc:  # collected and asserted below
            errors.append(exc)

    threads = [threading.Thread(target=register, args=(i,)) for i in range(12)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    result = journal.verify_journal(uow, system_actor())
    assert result.ok
    with uow.read_only() as tx:
        assert tx.risks.count() == 12
        seqs = [e.seq for e in tx.journal.entries()]
    assert seqs == list(range(1, len(seqs) + 1))


@pytest.mark.journal_tampered
def test_entries_cut_off_the_end_are_named_by_verification(uow: UnitOfWork) -> None:
    officer = actor(uow, "ema-341000")
    for _ in range(3):
        risks.register_risk(uow, officer, draft(), region_code="yrd", now=T0)
    with uow.read_only() as tx:
        last = max(e.seq for e in tx.journal.entries())
    assert journal.verify_journal(uow, system_actor()).ok
    # The newest two entries deleted in SQL: what is left is a chain intact in itself.
    with uow.engine.begin() as connection:
        connection.execute(text("DELETE FROM journal_entries WHERE seq >= :seq"), {"seq": last - 1})
    result = journal.verify_journal(uow, system_actor())
    assert not result.ok
    assert result.first_broken_seq == last - 1
    assert result.problem == (
        f"the head records entry {last} but the entries end at {last - 2}: "
        "entries were removed from the end"
    )
