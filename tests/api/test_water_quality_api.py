"""A border section's water-quality statement over HTTP: proposed for a year from the
stations' readings, approved by the committee; refusals are problem details and write
nothing."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient

from crossrisk.store.db import make_engine
from crossrisk.store.models import JournalEntryRow, SettlementRow
from crossrisk.store.uow import UnitOfWork
from tests.agreements_support import HANGZHOU, HUANGSHAN
from tests.support import assert_problem, auth, row_counts
from tests.water_quality_support import SECTION, add_section, feed, water_agreement

# Every ratio 1.5: P = 0.85 × 1.5 = 1.275 > 1, so Huangshan (upstream) pays Hangzhou.
DIRTY = {"codmn": [3.0], "nh3_n": [0.15], "tp": [0.03], "tn": [1.5]}


@pytest.fixture
def agreement_id(database_url: str) -> Iterator[int]:
    engine = make_engine(database_url)
    try:
        uow = UnitOfWork(engine)
        add_section(uow)
        agreement = water_agreement(uow)
        feed(uow, DIRTY)
    finally:
        engine.dispose()
    assert agreement.id is not None
    yield agreement.id


def body(**changes: Any) -> dict[str, Any]:
    sent: dict[str, Any] = {
        "station": SECTION,
        "year": 2025,
        "round": "first",
        "upstream": HUANGSHAN,
        "downstream": HANGZHOU,
    }
    sent.update(changes)
    return sent


def test_a_year_is_settled_and_the_committee_approves(
    client: TestClient, tokens: dict[str, str], agreement_id: int
) -> None:
    made = client.post(
        f"/api/agreements/{agreement_id}/water-quality-settlements",
        json=body(),
        headers=auth(tokens, "huangshan"),
    )
    assert made.status_code == 201, made.text
    statement = made.json()
    assert statement["risk_id"] is None
    assert statement["agreement_id"] == agreement_id
    assert (statement["round"], statement["station"]) == ("first", SECTION)
    assert (statement["period_from"], statement["period_to"]) == ("2025-01-01", "2025-12-31")
    assert statement["rule"] == "xinan_water_quality"
    assert statement["inputs"]["index"] == "1.275"
    assert statement["inputs"]["direction"] == "upstream_pays"
    assert [(t["payer"], t["payee"], t["amount_fen"]) for t in statement["transfers"]] == [
        (HUANGSHAN, HANGZHOU, 10_000_000_000)
    ]

    refused = client.post(
        f"/api/settlements/{statement['id']}/approve", headers=auth(tokens, "huangshan")
    )
    assert_problem(refused, 403, key="settlement-approve-not-committee")
    approved = client.post(
        f"/api/settlements/{statement['id']}/approve", headers=auth(tokens, "committee")
    )
    assert approved.status_code == 200, approved.text
    assert approved.json()["state"] == "approved"
    read = client.get(f"/api/settlements/{statement['id']}", headers=auth(tokens, "hangzhou"))
    assert read.json()["state"] == "approved" and read.json()["station"] == SECTION


@pytest.mark.parametrize(
    ("change", "status", "key"),
    [
        ({"year": 2024}, 422, "water-quality-no-readings"),
        ({"station": "nowhere"}, 404, "station-unknown"),
        ({"upstream": "ema-330800"}, 422, "water-quality-station-off-border"),
        ({"downstream": "ema-310000"}, 422, "water-quality-party-invalid"),
        ({"year": None}, 422, "water-quality-period-invalid"),
    ],
)
def test_bad_input_is_a_problem_and_writes_nothing(
    client: TestClient,
    tokens: dict[str, str],
    agreement_id: int,
    database_url: str,
    change: dict[str, Any],
    status: int,
    key: str,
) -> None:
    before = row_counts(database_url, SettlementRow, JournalEntryRow)
    refused = client.post(
        f"/api/agreements/{agreement_id}/water-quality-settlements",
        json=body(**change),
        headers=auth(tokens, "committee"),
    )
    assert_problem(refused, status, key=key)
    assert row_counts(database_url, SettlementRow, JournalEntryRow) == before


def test_a_city_outside_the_agreement_may_not_propose(
    client: TestClient, tokens: dict[str, str], agreement_id: int, database_url: str
) -> None:
    before = row_counts(database_url, SettlementRow, JournalEntryRow)
    refused = client.post(
        f"/api/agreements/{agreement_id}/water-quality-settlements",
        json=body(),
        headers=auth(tokens, "disaster-office"),
    )
    assert_problem(refused, 403, key="water-quality-not-permitted")
    assert row_counts(database_url, SettlementRow, JournalEntryRow) == before
