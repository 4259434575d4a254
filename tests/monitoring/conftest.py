from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from crossrisk.store.uow import UnitOfWork
from tests.monitoring.support import load_bundled_stations
from tests.support import app_client, settings_for_tests


@pytest.fixture
def stations(uow: UnitOfWork) -> UnitOfWork:
    """The unit of work on a database holding the bundled region and its stations."""
    load_bundled_stations(uow)
    return uow


@pytest.fixture
def client(stations: UnitOfWork, database_url: str, tmp_path: Path) -> Iterator[TestClient]:
    """The application on a database holding the bundled region and its stations."""
    with app_client(settings_for_tests(database_url, tmp_path)) as test_client:
        yield test_client
