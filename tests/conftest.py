"""Shared fixtures: a migrated database with the bundled region, on SQLite and PostgreSQL.

Each backend is prepared once per run (migrate, load the region) and then copied for every
test, so tests are isolated and the journal of each starts from the same intact chain.
PostgreSQL tests run whenever the server answers; in CI (CI=true) they must, never skip.
"""

from __future__ import annotations

import json
import os
import shutil
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from crossrisk.data import bundled_region_path
from crossrisk.domain.events import Event
from crossrisk.domain.journal import canonical_json
from crossrisk.domain.organisation import system_actor
from crossrisk.domain.region import RegionSpec, read_region_spec
from crossrisk.services import regions, users
from crossrisk.store.db import make_engine, migrate
from crossrisk.store.uow import UnitOfWork
from tests.support import (
    OTHER_REGION,
    T0,
    TEST_PASSWORD,
    TEST_USERS,
    app_client,
    settings_for_tests,
)

POSTGRES_ADMIN_URL = os.environ.get(
    "CROSSRISK_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
)
IN_CI = os.environ.get("CI", "").lower() == "true"


def _postgres_reason() -> str | None:
    try:
        engine = create_engine(POSTGRES_ADMIN_URL, isolation_level="AUTOCOMMIT")
        with engine.connect() as connection:
            connection.execute(text("select 1"))
        engine.dispose()
        return None
    except Exception as exc:  # any connection failure means: no server here
        return f"PostgreSQL at {POSTGRES_ADMIN_URL} does not answer: {exc.__class__.__name__}"


@pytest.fixture(scope="session")
def yrd_spec() -> RegionSpec:
    return read_region_spec(json.loads(bundled_region_path("yrd").read_text("utf-8")))


def _prepare(url: str, spec: RegionSpec) -> dict[str, str]:
    """Migrate, load the regions, add the test users; return a live API token per user."""
    migrate(url)
    engine = make_engine(url)
    uow = UnitOfWork(engine)
    regions.load_region(uow, system_actor(), spec, now=T0)
    regions.load_region(uow, system_actor(), read_region_spec(OTHER_REGION), now=T0)
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


class SqliteTemplate:
    def __init__(self, directory: Path, spec: RegionSpec) -> None:
        self.directory = directory
        self.template = directory / "template.db"
        self.tokens = _prepare(f"sqlite:///{self.template}", spec)

    def fresh(self) -> str:
        target = self.directory / f"{uuid.uuid4().hex}.db"
        shutil.copyfile(self.template, target)
        return f"sqlite:///{target}"

    def drop(self, url: str) -> None:
        Path(make_url(url).database or "").unlink(missing_ok=True)


class PostgresTemplate:
    def __init__(self, spec: RegionSpec) -> None:
        self.admin = create_engine(POSTGRES_ADMIN_URL, isolation_level="AUTOCOMMIT")
        self.run_id = uuid.uuid4().hex[:10]
        self.template_name = f"crossrisk_test_{self.run_id}_template"
        self._execute(f'CREATE DATABASE "{self.template_name}"')
        self.tokens = _prepare(self._url(self.template_name), spec)

    def _url(self, name: str) -> str:
        return make_url(POSTGRES_ADMIN_URL).set(database=name).render_as_string(hide_password=False)

    def _execute(self, statement: str) -> None:
        with self.admin.connect() as connection:
            connection.execute(text(statement))

    def fresh(self) -> str:
        name = f"crossrisk_test_{self.run_id}_{uuid.uuid4().hex[:8]}"
        self._execute(f'CREATE DATABASE "{name}" TEMPLATE "{self.template_name}"')
        return self._url(name)

    def drop(self, url: str) -> None:
        self._execute(f'DROP DATABASE IF EXISTS "{make_url(url).database}" WITH (FORCE)')

    def close(self) -> None:
        self._execute(f'DROP DATABASE IF EXISTS "{self.template_name}" WITH (FORCE)')
        self.admin.dispose()


@pytest.fixture(scope="session")
def sqlite_template(
    tmp_path_factory: pytest.TempPathFactory, yrd_spec: RegionSpec
) -> SqliteTemplate:
    return SqliteTemplate(tmp_path_factory.mktemp("sqlite"), yrd_spec)


@pytest.fixture(scope="session")
def postgres_template(yrd_spec: RegionSpec) -> Iterator[PostgresTemplate]:
    reason = _postgres_reason()
    if reason is not None:
        if IN_CI:
            pytest.fail(f"{reason}; in CI the PostgreSQL tests must run")
        pytest.skip(f"{reason} (never skipped when CI=true)")
    template = PostgresTemplate(yrd_spec)
    yield template
    template.close()


@pytest.fixture(params=["sqlite", "postgresql"])
def template(request: pytest.FixtureRequest) -> SqliteTemplate | PostgresTemplate:
    """The prepared database of each backend in turn."""
    name = "sqlite_template" if request.param == "sqlite" else "postgres_template"
    prepared: SqliteTemplate | PostgresTemplate = request.getfixturevalue(name)
    return prepared


@pytest.fixture
def tokens(template: SqliteTemplate | PostgresTemplate) -> dict[str, str]:
    """A bearer token for each test user (see TEST_USERS), valid in `database_url`."""
    return template.tokens


@pytest.fixture
def database_url(template: SqliteTemplate | PostgresTemplate) -> Iterator[str]:
    """A fresh, migrated database holding the bundled region and test users, on each backend."""
    url = template.fresh()
    yield url
    template.drop(url)


@pytest.fixture
def sqlite_url(sqlite_template: SqliteTemplate) -> Iterator[str]:
    """A fresh SQLite database holding the bundled region (for tests of one backend)."""
    url = sqlite_template.fresh()
    yield url
    sqlite_template.drop(url)


@pytest.fixture
def uow(database_url: str) -> Iterator[UnitOfWork]:
    """A unit of work on a fresh database; its events are checked against the journal after."""
    engine = make_engine(database_url)
    unit = UnitOfWork(engine)
    announced: list[Event] = []
    unit.bus.subscribe(announced.append)
    yield unit
    _assert_each_event_is_a_journal_entry(unit, announced)
    engine.dispose()


def _assert_each_event_is_a_journal_entry(uow: UnitOfWork, announced: list[Event]) -> None:
    # What the bus announced was committed: the same action, subject and payload as an
    # entry of the journal. An event of a rolled-back use case would have no entry.
    with uow.read_only() as tx:
        entries = {(e.action, e.subject, canonical_json(e.payload)) for e in tx.journal.entries()}
    for event in announced:
        key = (event.name, event.subject, canonical_json(event.payload))
        assert key in entries, f"announced {event.name} {event.subject} is in no journal entry"


@pytest.fixture
def client(database_url: str, tmp_path: Path) -> Iterator[TestClient]:
    """The application on `database_url`, driven by TestClient (no worker thread)."""
    with app_client(settings_for_tests(database_url, tmp_path)) as test_client:
        yield test_client


@pytest.fixture
def postgres_url(postgres_template: PostgresTemplate) -> Iterator[str]:
    """A fresh PostgreSQL database holding the bundled region (for PostgreSQL's own behaviour)."""
    url = postgres_template.fresh()
    yield url
    postgres_template.drop(url)
