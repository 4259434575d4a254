"""Shared fixtures: a migrated database with the bundled region, on SQLite and PostgreSQL.

Each backend is prepared once per test process (see tests/databases.py) and then copied
for every test, so tests are isolated and the journal of each starts from the same intact
chain. PostgreSQL tests run whenever the server answers; in CI (CI=true) they must, and no
test may be skipped at all.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from argon2 import PasswordHasher
from fastapi.testclient import TestClient

from crossrisk.data import bundled_region_path
from crossrisk.domain.events import Event
from crossrisk.domain.journal import canonical_json
from crossrisk.domain.region import RegionSpec, read_region_spec
from crossrisk.services import credentials
from crossrisk.store.db import make_engine
from crossrisk.store.uow import UnitOfWork
from tests.databases import PostgresTemplate, SqliteTemplate, on_unit_of_work, require_postgres
from tests.monitoring_support import load_bundled_stations
from tests.support import IN_CI, app_client, settings_for_tests
from tests.web.officers import seed_officers

# Receivers, an SMTP server and the broker, for every test that delivers.
pytest_plugins = ["tests.delivery_fixtures", "tests.cap_senders_support"]


def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    if report.skipped and not hasattr(report, "wasxfail"):
        _skipped.append(report.nodeid)


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    # The fixtures fail rather than skip in CI; this catches a skip added anywhere else.
    # Under pytest-xdist the controller sees every worker's reports, so it alone decides.
    if IN_CI and _skipped and not hasattr(session.config, "workerinput"):
        reporter = session.config.pluginmanager.get_plugin("terminalreporter")
        if reporter is not None:
            reporter.write_line("skipped, though under CI=true every test must run:", red=True)
            for nodeid in _skipped:
                reporter.write_line(f"  {nodeid}")
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


_skipped: list[str] = []


@pytest.fixture(scope="session", autouse=True)
def cheap_password_hashing() -> Iterator[None]:
    """Hash test passwords with argon2 at its lowest cost.

    At the production cost each hash or check takes a fifth of a second here, and the
    templates, the page-test officers and every login need one. The same argon2 code still
    runs; a CLI process started by a test keeps the production cost, and checks these
    hashes as well (their parameters are stored in them).
    """
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(
            credentials, "_hasher", PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
        )
        yield


@pytest.fixture(scope="session")
def yrd_spec() -> RegionSpec:
    return read_region_spec(json.loads(bundled_region_path("yrd").read_text("utf-8")))


@pytest.fixture(scope="session")
def sqlite_template(
    tmp_path_factory: pytest.TempPathFactory, yrd_spec: RegionSpec
) -> SqliteTemplate:
    return SqliteTemplate.create(tmp_path_factory.mktemp("sqlite"), yrd_spec)


@pytest.fixture(scope="session")
def officers_template(sqlite_template: SqliteTemplate) -> SqliteTemplate:
    """The SQLite template plus the page-test officers, made once: hashing passwords is slow."""
    return sqlite_template.derive("officers", on_unit_of_work(seed_officers))


@pytest.fixture(scope="session")
def postgres_template(yrd_spec: RegionSpec) -> Iterator[PostgresTemplate]:
    require_postgres()
    template = PostgresTemplate.create(yrd_spec)
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


@pytest.fixture(scope="session")
def sqlite_stations_template(sqlite_template: SqliteTemplate) -> SqliteTemplate:
    return sqlite_template.derive("stations", on_unit_of_work(load_bundled_stations))


@pytest.fixture(scope="session")
def postgres_stations_template(
    postgres_template: PostgresTemplate,
) -> Iterator[PostgresTemplate]:
    derived = postgres_template.derive("stations", on_unit_of_work(load_bundled_stations))
    yield derived
    derived.close()


@pytest.fixture
def database_url(
    template: SqliteTemplate | PostgresTemplate, request: pytest.FixtureRequest
) -> Iterator[str]:
    """A fresh, migrated database holding the bundled region and test users, on each backend.

    It holds the bundled stations too when the test asks for `stations` (loading them checks
    every station against the region, so they are loaded once per process, not per test).
    """
    if "stations" in request.fixturenames:
        backend = "sqlite" if isinstance(template, SqliteTemplate) else "postgres"
        template = request.getfixturevalue(f"{backend}_stations_template")
    url = template.fresh()
    yield url
    template.drop(url)


@pytest.fixture
def stations(uow: UnitOfWork) -> UnitOfWork:
    """The unit of work on a database holding the bundled region and its stations."""
    return uow


@pytest.fixture
def sqlite_url(sqlite_template: SqliteTemplate) -> Iterator[str]:
    """A fresh SQLite database holding the bundled region (for tests of one backend)."""
    url = sqlite_template.fresh()
    yield url
    sqlite_template.drop(url)


@pytest.fixture
def uow(database_url: str, request: pytest.FixtureRequest) -> Iterator[UnitOfWork]:
    """A unit of work on a fresh database; its events are checked against the journal after."""
    engine = make_engine(database_url)
    unit = UnitOfWork(engine)
    announced: list[Event] = []
    unit.bus.subscribe(announced.append)
    yield unit
    if request.node.get_closest_marker("journal_tampered") is None:
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
