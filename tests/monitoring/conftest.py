from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from crossrisk.store.uow import UnitOfWork
from tests.databases import PostgresTemplate, SqliteTemplate, on_unit_of_work
from tests.monitoring.support import load_bundled_stations
from tests.support import app_client, settings_for_tests


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
    """A fresh database on each backend; one that holds the bundled stations too when the
    test asks for `stations` (loading them validates every station against the region,
    so they are loaded once per process, not for each test)."""
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
def client(stations: UnitOfWork, database_url: str, tmp_path: Path) -> Iterator[TestClient]:
    """The application on a database holding the bundled region and its stations."""
    with app_client(settings_for_tests(database_url, tmp_path)) as test_client:
        yield test_client
