from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from crossrisk.store.models import JournalEntryRow, RiskRow


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
