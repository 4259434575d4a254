"""The unit of work: one transaction at a time, reads that take no write lock."""

from __future__ import annotations

import sqlite3

import pytest
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError

from crossrisk.domain.events import Event
from crossrisk.domain.organisation import system_actor
from crossrisk.store.db import make_engine
from crossrisk.store.uow import UnitOfWork, UnitOfWorkError
from tests.support import T0

ACTOR = system_actor("test")


def _actions(uow: UnitOfWork) -> list[str]:
    with uow.read_only() as tx:
        return [e.action for e in tx.journal.about("test")]


def test_opening_an_open_unit_of_work_raises_and_keeps_the_outer_writes(uow: UnitOfWork) -> None:
    heard: list[Event] = []
    uow.bus.subscribe(heard.append)
    with uow as tx:
        tx.record(ACTOR, "test.outer", subject="test", payload={}, region_code=None, now=T0)
        with pytest.raises(UnitOfWorkError), uow:
            pass
        with pytest.raises(UnitOfWorkError), uow.read_only():
            pass
        tx.commit()
    assert _actions(uow) == ["test.outer"]
    assert [e.name for e in heard] == ["test.outer"]
    assert not uow.is_open


def test_a_failed_use_case_writes_and_announces_nothing(uow: UnitOfWork) -> None:
    heard: list[Event] = []
    uow.bus.subscribe(heard.append)
    with pytest.raises(RuntimeError, match="midway"), uow as tx:
        tx.record(ACTOR, "test.lost", subject="test", payload={}, region_code=None, now=T0)
        raise RuntimeError("midway")
    assert _actions(uow) == [] and heard == []
    with uow as tx:  # the unit of work opens again after a failure
        tx.journal.append(ACTOR, "test.kept", subject="test", payload={}, now=T0)
        tx.commit()
        with pytest.raises(UnitOfWorkError, match="committed already"):
            tx.commit()
    assert _actions(uow) == ["test.kept"]


def test_a_read_only_transaction_has_nothing_to_commit(uow: UnitOfWork) -> None:
    with uow.read_only() as tx, pytest.raises(UnitOfWorkError, match="read-only"):
        tx.commit()


def test_reading_does_not_wait_for_a_writer_on_sqlite(sqlite_url: str) -> None:
    # Another process holds the write lock (a login hashing a password, a long import).
    path = make_url(sqlite_url).database
    assert path is not None
    writer = sqlite3.connect(path, timeout=0, isolation_level=None)
    writer.execute("BEGIN IMMEDIATE")
    try:
        engine = make_engine(sqlite_url)
        uow = UnitOfWork(engine)
        with uow.read_only() as tx:  # a BEGIN IMMEDIATE here would wait, then fail
            assert tx.regions.get("yrd").code == "yrd"
        engine.dispose()
    finally:
        writer.execute("ROLLBACK")
        writer.close()


def test_a_read_only_transaction_refuses_to_write_on_postgresql(postgres_url: str) -> None:
    engine = make_engine(postgres_url)
    uow = UnitOfWork(engine)
    with pytest.raises(DBAPIError, match="read-only transaction"), uow.read_only() as tx:
        tx.journal.append(ACTOR, "test.sneaked", subject="test", payload={}, now=T0)
        tx.session.flush()
    assert _actions(uow) == []
    with uow as tx:  # the pooled connection is writable again for the next use case
        tx.journal.append(ACTOR, "test.written", subject="test", payload={}, now=T0)
        tx.commit()
    assert _actions(uow) == ["test.written"]
    engine.dispose()


def test_a_savepoint_that_fails_takes_its_entries_and_events_with_it(uow: UnitOfWork) -> None:
    heard: list[Event] = []
    uow.bus.subscribe(heard.append)
    with uow as tx:
        tx.record(ACTOR, "test.kept", subject="test", payload={}, region_code=None, now=T0)
        with pytest.raises(RuntimeError), tx.savepoint():
            tx.record(ACTOR, "test.undone", subject="test", payload={}, region_code=None, now=T0)
            raise RuntimeError("the follow-up failed")
        tx.commit()
    assert _actions(uow) == ["test.kept"]
    assert [e.name for e in heard] == ["test.kept"]
