"""Trust over HTTP: a member's score with its evidence, the committee's dispute, a
recipient's rating; refusals are problem details and write nothing; both backends."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from crossrisk.store.models import JournalEntryRow, TrustRatingRow, TrustSupervisionRow
from crossrisk.store.uow import UnitOfWork
from tests.services.test_trust import received_tents
from tests.support import assert_problem, auth, post_spill, row_counts

HUANGSHAN = "ema-341000"
TABLES = (JournalEntryRow, TrustSupervisionRow, TrustRatingRow)


def reported_spill(client: TestClient, tokens: dict[str, str]) -> None:
    """A spill whose lead (Huangshan) reports at once: its duty done in time."""
    made = post_spill(client, tokens)
    filed = client.post(
        f"/api/risks/{made['id']}/reports",
        json={"text": "已处置"},
        headers=auth(tokens, "huangshan"),
    )
    assert filed.status_code == 201, filed.text


def test_a_score_is_served_with_its_evidence_and_a_dispute_flips_it(
    client: TestClient, tokens: dict[str, str]
) -> None:
    reported_spill(client, tokens)
    read = client.get(f"/api/trust/{HUANGSHAN}", headers=auth(tokens, "hangzhou"))
    assert read.status_code == 200, read.text
    body = read.json()
    (item,) = body["evidence"]
    assert item["kind"] == "duty_in_time" and item["journal"]
    assert (body["r"], body["s"], body["n"]) == (1, 0, 1)
    assert body["score"] == pytest.approx(2 / 3) and body["forgetting"] == 0.9
    assert body["aspects"]["duties"]["score"] == pytest.approx(2 / 3)
    assert [p["source"] for p in body["history"]] == [item["source"]]

    disputed = client.post(
        "/api/trust/supervision",
        json={"target": item["source"], "verdict": "disputed", "reason": "报告不完整"},
        headers=auth(tokens, "committee"),
    )
    assert disputed.status_code == 201, disputed.text
    assert disputed.json()["counts_as"] == "duty_late"

    after = client.get(f"/api/trust/{HUANGSHAN}", headers=auth(tokens, "huangshan")).json()
    assert after["score"] == pytest.approx(1 / 3)
    (flipped,) = after["evidence"]
    assert flipped["supervision"]["verdict"] == "disputed"
    assert flipped["recorded_kind"] == "duty_in_time" and flipped["kind"] == "duty_late"


def test_the_recipient_rates_and_others_are_refused(
    client: TestClient, tokens: dict[str, str], database_url: str
) -> None:
    shipment_id = received_tents(UnitOfWork(client.app.state.engine))  # type: ignore[attr-defined]
    before = row_counts(database_url, *TABLES)

    refused = client.post(
        "/api/trust/ratings",
        json={"shipment_id": shipment_id, "score": 5},
        headers=auth(tokens, "huangshan"),
    )

    assert_problem(refused, 403, key="trust-rating-not-recipient")
    assert row_counts(database_url, *TABLES) == before
    rated = client.post(
        "/api/trust/ratings",
        json={"shipment_id": shipment_id, "score": "positive", "comment": "及时"},
        headers=auth(tokens, "hangzhou"),
    )
    assert rated.status_code == 201, rated.text
    assert rated.json()["member"] == HUANGSHAN and rated.json()["share"] == 1.0
    again = client.post(
        "/api/trust/ratings",
        json={"shipment_id": shipment_id, "score": 1},
        headers=auth(tokens, "hangzhou"),
    )
    assert_problem(again, 409, key="trust-rating-twice")


@pytest.mark.parametrize(
    ("user", "url", "body", "status", "key"),
    [
        (
            "hangzhou",
            "/api/trust/supervision",
            {"target": "duty:1", "verdict": "disputed", "reason": "x"},
            403,
            "trust-supervise-not-committee",
        ),
        (
            "committee",
            "/api/trust/supervision",
            {"target": "duty:99", "verdict": "confirmed", "reason": "x"},
            404,
            None,
        ),
        (
            "committee",
            "/api/trust/supervision",
            {"target": "risk:1", "verdict": "disputed", "reason": "x"},
            422,
            "trust-target-invalid",
        ),
        (
            "committee",
            "/api/trust/supervision",
            {"target": "duty:1", "verdict": "maybe", "reason": "x"},
            422,
            None,
        ),
        ("hangzhou", "/api/trust/ratings", {"shipment_id": 1, "score": 7}, 422, None),
        ("hangzhou", "/api/trust/ratings", {"shipment_id": 99, "score": 3}, 404, None),
        ("hangzhou", "/api/trust/ratings", {"shipment_id": 1, "score": 3, "x": 1}, 422, None),
    ],
)
def test_refusals_are_problems_and_write_nothing(
    client: TestClient,
    tokens: dict[str, str],
    database_url: str,
    user: str,
    url: str,
    body: dict[str, object],
    status: int,
    key: str | None,
) -> None:
    reported_spill(client, tokens)
    before = row_counts(database_url, *TABLES)

    answer = client.post(url, json=body, headers=auth(tokens, user))

    assert_problem(answer, status, key=key)
    assert row_counts(database_url, *TABLES) == before


def test_an_unknown_member_is_not_found(client: TestClient, tokens: dict[str, str]) -> None:
    answer = client.get("/api/trust/ema-999999", headers=auth(tokens, "committee"))
    assert_problem(answer, 404)
