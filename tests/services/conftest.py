from __future__ import annotations

import pytest

from crossrisk.store.uow import UnitOfWork
from tests.monitoring_support import load_bundled_stations


@pytest.fixture
def stations(uow: UnitOfWork) -> UnitOfWork:
    """The unit of work on a database holding the bundled region and its stations."""
    load_bundled_stations(uow)
    return uow
