"""Engines for SQLite (embedded default) and PostgreSQL, and schema migration."""

from __future__ import annotations

import contextlib
import os
import re
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from sqlalchemy import Engine, create_engine, event, inspect
from sqlalchemy.engine import make_url

from crossrisk.domain.errors import InvalidInput

MIGRATIONS = Path(__file__).parent / "migrations"
# Execution options of a reading transaction. SQLite begins it deferred, so readers never
# wait for the write lock; PostgreSQL runs it READ ONLY, so a read that writes fails loudly.
READ_ONLY: dict[str, Any] = {"crossrisk_read_only": True, "postgresql_readonly": True}


def make_engine(url: str, **options: Any) -> Engine:
    """Create the engine for a database URL, with the settings each backend needs.

    `options` go to SQLAlchemy's create_engine (a pool size, say).
    """
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        if parsed.database and parsed.database != ":memory:":
            _create_private(Path(parsed.database))
        engine = create_engine(url, connect_args={"timeout": 30}, **options)
        _configure_sqlite(engine)
    else:
        engine = create_engine(url, pool_pre_ping=True, **options)
    event.listen(engine, "before_cursor_execute", _refuse_nul)
    return engine


def _refuse_nul(
    _connection: Any, _cursor: Any, _statement: str, parameters: Any, _context: Any, _many: bool
) -> None:
    # PostgreSQL cannot store a NUL in a text (SQLite can). Every text any adapter passes
    # on (a form, a JSON body, a path, an MQTT message, a CLI argument) meets this one
    # check before it is sent, on both backends alike, so a NUL is refused as input
    # rather than failing in the driver; the transaction is rolled back as for any refusal.
    for name, value in _parameters(parameters):
        if isinstance(value, str) and "\x00" in value:
            field = re.sub(r"(_\d+)+$", "", str(name))
            raise InvalidInput(
                f"{field} holds a NUL character, which no text may hold",
                key="text-nul",
                params={"field": field},
            )


def _parameters(parameters: Any) -> Iterator[tuple[object, object]]:
    # One statement's parameters, or a batch of them (executemany), by name or position;
    # the flag SQLAlchemy passes does not tell which shape a batched insert sends.
    if isinstance(parameters, Mapping):
        items: Iterable[tuple[object, object]] = parameters.items()
    elif isinstance(parameters, list | tuple):
        items = enumerate(parameters)
    else:
        return
    for name, value in items:
        if isinstance(value, Mapping | list | tuple):
            yield from _parameters(value)
        else:
            yield name, value


def _create_private(path: Path) -> None:
    # The database holds accounts and the whole record: readable by its owner only. SQLite
    # gives its -wal and -shm files the database file's own permissions.
    path.parent.mkdir(parents=True, exist_ok=True)
    with contextlib.suppress(FileExistsError):
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))


def _configure_sqlite(engine: Engine) -> None:
    # pysqlite's own transaction handling defers BEGIN and then upgrades read locks, which
    # deadlocks two writers. Taking the write lock at BEGIN serialises writers cleanly, and
    # WAL keeps readers unblocked meanwhile. A reading transaction begins deferred: it
    # takes no write lock, so one slow writer (a login's password hash) stalls no reader.
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA busy_timeout=30000")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Any) -> None:
        reading = connection.get_execution_options().get("crossrisk_read_only", False)
        connection.exec_driver_sql("BEGIN" if reading else "BEGIN IMMEDIATE")


def alembic_config(url: str) -> Config:
    """Alembic configuration pointing at the packaged migrations."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return config


def has_schema(url: str) -> bool:
    """Whether the database exists and `crossrisk init` has created its schema.

    A SQLite file that is not there is not created by asking: a command run before `init`
    must leave nothing behind.
    """
    parsed = make_url(url)
    file = parsed.database if parsed.get_backend_name() == "sqlite" else None
    if file not in (None, "", ":memory:") and not Path(str(file)).exists():
        return False
    engine = create_engine(url)
    try:
        with engine.connect() as connection:
            return inspect(connection).has_table("alembic_version")
    finally:
        engine.dispose()


def migrate(url: str) -> None:
    """Bring the database schema to the newest revision."""
    command.upgrade(alembic_config(url), "head")
