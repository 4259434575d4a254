from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from crossrisk.api.app import create_app
from crossrisk.settings import Settings
from crossrisk.store.models import JournalEntryRow, RiskRow


@pytest.fixture
def client(database_url: str, tmp_path: Path) -> Iterator[TestClient]:
    settings = Settings(
        data_dir=tmp_path,
        database_url=database_url,
        host="127.0.0.1",
        port=8000,
        secret_key="test-secret",
        demo=False,
    )
    app = create_app(settings)
    with TestClient(app) as test_client:
        yield test_client
    app.state.engine.dispose()


class Snapshot:
    """Everything a refused request must leave as it was: risks and the journal."""

    def __init__(self, client: TestClient) -> None:
        engine = client.app.state.engine  # type: ignore[attr-defined]
        with engine.connect() as connection:
            self.journal = connection.scalar(select(func.count()).select_from(JournalEntryRow))
            self.risks = [
                tuple(row) for row in connection.execute(select(RiskRow).order_by(RiskRow.id))
            ]

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Snapshot) and (self.journal, self.risks) == (
            other.journal,
            other.risks,
        )


@pytest.fixture
def snapshot():
    return Snapshot
