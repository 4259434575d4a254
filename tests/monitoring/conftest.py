from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from crossrisk.api.app import create_app
from crossrisk.settings import Settings
from crossrisk.store.db import make_engine
from crossrisk.store.uow import UnitOfWork
from tests.monitoring.support import load_bundled_stations


@pytest.fixture
def stations(uow: UnitOfWork) -> UnitOfWork:
    """The unit of work on a database holding the bundled region and its stations."""
    load_bundled_stations(uow)
    return uow


@pytest.fixture
def client(database_url: str, tmp_path: Path) -> Iterator[TestClient]:
    """The application on a database holding the bundled region and its stations."""
    engine = make_engine(database_url)
    load_bundled_stations(UnitOfWork(engine))
    engine.dispose()
    settings = Settings(
        data_dir=tmp_path,
        database_url=database_url,
        host="127.0.0.1",
        port=8000,
        secret_key="test-secret",
        demo=False,
        worker=False,
    )
    app = create_app(settings)
    with TestClient(app) as test_client:
        yield test_client
    app.state.engine.dispose()
