"""A spill the model cannot take is refused over the API with a problem, and nothing is
written: no risk, no journal entry."""

from __future__ import annotations

import json
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from crossrisk.store.models import RiskRow
from crossrisk.store.models.journal import JournalEntryRow
from tests.support import HUANGSHAN_TUNXI, assert_problem, auth, point


def _counts(client: TestClient) -> tuple[int, int]:
    app: Any = client.app
    with app.state.engine.connect() as connection:
        risks = connection.scalar(select(func.count()).select_from(RiskRow))
        entries = connection.scalar(select(func.count()).select_from(JournalEntryRow))
    return int(risks or 0), int(entries or 0)


@pytest.mark.parametrize(
    ("parameters", "key", "words"),
    [
        ({"substance": "kryptonite", "mass_kg": 10}, "unknown-substance", "styrene"),
        ({"substance": "styrene", "mass_kg": 0}, None, "mass_kg must be at least"),
        ({"substance": "styrene", "mass_kg": 10, "rate_kg_s": 1}, "spill-mass-and-rate", ""),
        ({"substance": "styrene", "rate_kg_s": 1}, "spill-rate-without-duration", ""),
        (
            {"substance": "styrene", "mass_kg": 10, "release_hours": 300},
            "release-longer-than-horizon",
            "300",
        ),
        ({"substance": "styrene", "mass_kg": 10**400}, None, "finite"),
    ],
)
def test_a_bad_spill_is_a_problem_and_writes_nothing(
    client: TestClient,
    tokens: dict[str, str],
    parameters: dict[str, Any],
    key: str | None,
    words: str,
) -> None:
    before = _counts(client)

    body = {
        "category": "accident_disaster",
        "title": "新安江泄漏",
        "hazard_geometry": point(HUANGSHAN_TUNXI),
        "likelihood": 3,
        "consequence": 4,
        "hazard_type": "river_spill",
        "parameters": parameters,
    }
    answer = client.post(
        "/api/risks",
        content=json.dumps(body),
        headers={**auth(tokens, "huangshan"), "Content-Type": "application/json"},
    )
    problem = assert_problem(answer, 422, key=key)
    assert words in problem["detail"]
    assert _counts(client) == before
