"""Prepared databases of both backends, copied for each test.

A template is migrated and holds the bundled region and the test users; `fresh()` gives a
test its own copy and `drop()` removes it. Under pytest-xdist every worker is a process of
its own with templates of its own, named after the worker and a random run id, so parallel
workers (and parallel runs against one server) never share a database.
"""

from __future__ import annotations

import os
import shutil
import uuid
from collections import deque
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text, update
from sqlalchemy.engine import make_url

from crossrisk.domain.organisation import system_actor
from crossrisk.domain.region import RegionSpec, read_region_spec
from crossrisk.services import regions, users
from crossrisk.store.db import make_engine, migrate
from crossrisk.store.models.region import RegionRow
from crossrisk.store.uow import UnitOfWork
from tests.support import IN_CI, OTHER_REGION, T0, TEST_PASSWORD, TEST_USERS

POSTGRES_ADMIN_URL = os.environ.get(
    "CROSSRISK_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
)
# "gw0", "gw1", ... under pytest-xdist; "main" when the tests run in one process.
WORKER = os.environ.get("PYTEST_XDIST_WORKER", "main")
# PostgreSQL clones made ahead of the tests that take them, and the connections that clone
# and drop at once (see PostgresTemplate).
CLONES_AHEAD = 3
CLONE_THREADS = 3
Prepare = Callable[[str], None]


def _postgres_reason() -> str | None:
    try:
        engine = create_engine(POSTGRES_ADMIN_URL, isolation_level="AUTOCOMMIT")
        with engine.connect() as connection:
            connection.execute(text("select 1"))
        engine.dispose()
        return None
    except Exception as exc:  # any connection failure means: no server here
        return f"PostgreSQL at {POSTGRES_ADMIN_URL} does not answer: {exc.__class__.__name__}"


def _test_revision(region_code: str) -> str:
    return str(uuid.uuid5(uuid.NAMESPACE_URL, f"crossrisk-tests/{region_code}"))


def _prepare(url: str, spec: RegionSpec) -> dict[str, str]:
    """Migrate, load the regions, add the test users; return a live API token per user."""
    migrate(url)
    engine = make_engine(url)
    uow = UnitOfWork(engine)
    regions.load_region(uow, system_actor(), spec, now=T0)
    regions.load_region(uow, system_actor(), read_region_spec(OTHER_REGION), now=T0)
    # Each load draws a random revision, the key of the process-wide cache of a region's
    # spatial index. Both backends' templates hold the same regions, so give them the same
    # revision: otherwise every switch between a SQLite and a PostgreSQL test evicts the
    # other's index and rebuilds it (about a second each time). A reload in a test still
    # draws a fresh one.
    with engine.begin() as connection:
        for code in (spec.code, OTHER_REGION["region"]["code"]):
            connection.execute(
                update(RegionRow)
                .where(RegionRow.code == code)
                .values(revision=_test_revision(code))
            )
    for username, organisation, role in TEST_USERS:
        users.add_user(
            uow,
            system_actor(),
            username=username,
            password=TEST_PASSWORD,
            organisation_code=organisation,
            role=role,
            now=T0,
        )
    tokens = {
        username: users.issue_token(
            uow, username=username, password=TEST_PASSWORD, now=datetime.now(UTC)
        )
        for username, _organisation, _role in TEST_USERS
    }
    engine.dispose()
    return tokens


def on_unit_of_work(prepare: Callable[[UnitOfWork], None]) -> Prepare:
    """Run `prepare` on a unit of work of the database at a URL (to derive a template)."""

    def _run(url: str) -> None:
        engine = make_engine(url)
        try:
            prepare(UnitOfWork(engine))
        finally:
            engine.dispose()

    return _run


class SqliteTemplate:
    """A prepared SQLite file; each test gets a copy of it."""

    def __init__(self, directory: Path, tokens: dict[str, str]) -> None:
        self.directory = directory
        self.template = directory / "template.db"
        self.tokens = tokens

    @classmethod
    def create(cls, directory: Path, spec: RegionSpec) -> SqliteTemplate:
        return cls(directory, _prepare(f"sqlite:///{directory / 'template.db'}", spec))

    def derive(self, label: str, prepare: Prepare) -> SqliteTemplate:
        """A template holding this one's data and what `prepare` adds to it."""
        directory = self.directory / label
        directory.mkdir()
        derived = SqliteTemplate(directory, self.tokens)
        shutil.copyfile(self.template, derived.template)
        prepare(f"sqlite:///{derived.template}")
        return derived

    def fresh(self) -> str:
        target = self.directory / f"{uuid.uuid4().hex}.db"
        shutil.copyfile(self.template, target)
        return f"sqlite:///{target}"

    def drop(self, url: str) -> None:
        Path(make_url(url).database or "").unlink(missing_ok=True)


class PostgresTemplate:
    """A prepared PostgreSQL database; each test gets a clone (CREATE DATABASE ... TEMPLATE).

    A clone and its drop take about half a second, mostly waiting for the server to sync
    its write-ahead log, so three at once get through about three times as many. Background
    threads do both, cloning a few databases ahead of the tests and dropping used ones
    after them, so a test rarely waits for either.
    """

    def __init__(self, name: str, tokens: dict[str, str]) -> None:
        self.admin = create_engine(POSTGRES_ADMIN_URL, isolation_level="AUTOCOMMIT")
        self.run_id = uuid.uuid4().hex[:10]
        self.template_name = name
        self.tokens = tokens
        self._jobs = ThreadPoolExecutor(CLONE_THREADS, thread_name_prefix=f"pg-{name}")
        self._ahead: deque[Future[str]] = deque()
        self._drops: list[Future[None]] = []

    @classmethod
    def create(cls, spec: RegionSpec) -> PostgresTemplate:
        name = f"crossrisk_test_{uuid.uuid4().hex[:10]}_{WORKER}_template"
        template = cls(name, {})
        template._execute(f'CREATE DATABASE "{name}"')
        template.tokens = _prepare(template._url(name), spec)
        return template

    def derive(self, label: str, prepare: Prepare) -> PostgresTemplate:
        """A template holding this one's data and what `prepare` adds to it."""
        name = f"crossrisk_test_{uuid.uuid4().hex[:10]}_{WORKER}_{label}"
        self._execute(f'CREATE DATABASE "{name}" TEMPLATE "{self.template_name}"')
        derived = PostgresTemplate(name, self.tokens)
        prepare(derived._url(name))
        return derived

    def _url(self, name: str) -> str:
        return make_url(POSTGRES_ADMIN_URL).set(database=name).render_as_string(hide_password=False)

    def _execute(self, statement: str) -> None:
        with self.admin.connect() as connection:
            connection.execute(text(statement))

    def _clone(self) -> str:
        name = f"crossrisk_test_{self.run_id}_{WORKER}_{uuid.uuid4().hex[:8]}"
        self._execute(f'CREATE DATABASE "{name}" TEMPLATE "{self.template_name}"')
        return self._url(name)

    def fresh(self) -> str:
        while len(self._ahead) <= CLONES_AHEAD:
            self._ahead.append(self._jobs.submit(self._clone))
        return self._ahead.popleft().result()

    def drop(self, url: str) -> None:
        statement = f'DROP DATABASE IF EXISTS "{make_url(url).database}" WITH (FORCE)'
        self._drops.append(self._jobs.submit(self._execute, statement))

    def close(self) -> None:
        """Drop the clones made ahead and the template, after every pending drop."""
        try:
            for clone in self._ahead:
                self.drop(clone.result())
            self._jobs.shutdown(wait=True)
            for dropped in self._drops:
                dropped.result()  # a failed drop fails the run rather than leave a database
        finally:
            self._execute(f'DROP DATABASE IF EXISTS "{self.template_name}" WITH (FORCE)')
            self.admin.dispose()


def require_postgres() -> None:
    reason = _postgres_reason()
    if reason is not None:
        if IN_CI:
            pytest.fail(f"{reason}; in CI the PostgreSQL tests must run")
        pytest.skip(f"{reason} (never skipped when CI=true)")
