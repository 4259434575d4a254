"""POST /api/observations and GET /api/stations: status codes, reports and problem bodies."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from crossrisk.domain.monitoring.observation import MAX_BATCH_LINES
from crossrisk.store.models import JournalEntryRow, ObservationRow, RiskRow
from crossrisk.store.uow import UnitOfWork
from tests.monitoring_support import TUNXI_BLUE
from tests.monitoring_support import record as record_at
from tests.support import app_client, assert_problem, auth, settings_for_tests

NDJSON = {"Content-Type": "application/x-ndjson"}
# The API stamps requests with the real clock; readings must not lie ahead of it.
BASE = datetime.now(UTC).replace(microsecond=0) - timedelta(hours=12)  # none stale


@pytest.fixture
def client(stations: UnitOfWork, database_url: str, tmp_path: Path) -> Iterator[TestClient]:
    """The application on a database holding the bundled region and its stations."""
    with app_client(settings_for_tests(database_url, tmp_path)) as test_client:
        yield test_client


def record(value: float, minutes: float = 0, **kwargs: Any) -> dict[str, Any]:
    return record_at(value, minutes, base=BASE, **kwargs)


def state(client: TestClient) -> tuple[int, int, int]:
    """What a refused request must leave as it was: journal, risks and observations."""
    engine = client.app.state.engine  # type: ignore[attr-defined]
    with engine.connect() as connection:
        return tuple(  # type: ignore[return-value]
            connection.scalar(select(func.count()).select_from(table)) or 0
            for table in (JournalEntryRow, RiskRow, ObservationRow)
        )


def lines(*records: dict[str, object]) -> str:
    return "".join(json.dumps(r) + "\n" for r in records)


def test_json_lines_are_stored_and_reported_by_line(
    client: TestClient, tokens: dict[str, str]
) -> None:
    body = lines(record(21.0, 0), record(21.2, 10)) + "not json\n" + lines(record(21.0, 0))
    response = client.post(
        "/api/observations", content=body, headers={**NDJSON, **auth(tokens, "huangshan")}
    )
    assert response.status_code == 200, response.text
    report = response.json()
    assert (report["received"], report["stored"], report["duplicates"]) == (4, 2, 1)
    assert report["duplicate_lines"] == [4]
    assert [(r["line"], r["key"]) for r in report["refused"]] == [(3, "observation-malformed")]
    assert report["fired"] == []


def test_a_json_array_is_stored_with_its_index_as_line(
    client: TestClient, tokens: dict[str, str]
) -> None:
    response = client.post(
        "/api/observations",
        json=[record(21.0, 0), record(21.0, 10, unit="ft"), record(TUNXI_BLUE, 20)],
        headers=auth(tokens, "committee"),
    )
    assert response.status_code == 200, response.text
    report = response.json()
    assert report["stored"] == 2
    assert [(r["line"], r["key"]) for r in report["refused"]] == [(2, "observation-wrong-unit")]
    [fired] = report["fired"]
    assert (fired["station"], fired["colour"], fired["action"]) == ("tunxi", "blue", "opened")
    risk = client.get(f"/api/risks/{fired['risk_id']}", headers=auth(tokens, "hangzhou")).json()
    assert risk["level"] == "IV" and risk["created_by"] == "station:tunxi"


def test_a_batch_with_no_good_line_is_422_and_changes_nothing(
    client: TestClient, tokens: dict[str, str]
) -> None:
    before = state(client)
    body = lines(record(21.0, 0, station="nowhere"), record(99999.0, 0)) + "{\n"
    response = client.post(
        "/api/observations", content=body, headers={**NDJSON, **auth(tokens, "huangshan")}
    )
    assert response.status_code == 422
    assert response.headers["content-type"].startswith("application/problem+json")
    problem = response.json()
    assert problem["status"] == 422 and "none of the 3 lines" in problem["detail"]
    assert [(e["line"], e["key"]) for e in problem["errors"]] == [
        (1, "observation-unknown-station"),
        (2, "observation-impossible-value"),
        (3, "observation-malformed"),
    ]
    assert state(client) == before


def test_too_many_lines_or_bytes_is_413(client: TestClient, tokens: dict[str, str]) -> None:
    before = state(client)
    one = json.dumps(record(21.0, 0)) + "\n"
    response = client.post(
        "/api/observations",
        content=one * (MAX_BATCH_LINES + 1),
        headers={**NDJSON, **auth(tokens, "huangshan")},
    )
    assert response.status_code == 413 and "at most 10000" in response.json()["detail"]
    assert response.json()["key"] == "observation-batch-too-large"
    padding = " " * (5 * 1024 * 1024)
    response = client.post(
        "/api/observations",
        content=one + padding + "\n",
        headers={**NDJSON, **auth(tokens, "huangshan")},
    )
    assert response.status_code == 413 and response.json()["key"] == "observation-body-too-large"
    assert f"over {5 * 1024 * 1024} bytes" in response.json()["detail"]
    assert state(client) == before


def test_a_caller_who_may_not_feed_gets_403_and_nothing_changes(
    client: TestClient, tokens: dict[str, str]
) -> None:
    before = state(client)
    body = lines(record(TUNXI_BLUE + 1, 0))
    for user in ("evaluator", "huangshan-viewer", "central"):
        response = client.post(
            "/api/observations", content=body, headers={**NDJSON, **auth(tokens, user)}
        )
        assert_problem(response, 403)
    # Hangzhou's officer may feed Hangzhou's gauges, not Huangshan's.
    response = client.post(
        "/api/observations", content=body, headers={**NDJSON, **auth(tokens, "hangzhou")}
    )
    body = assert_problem(response, 403)
    assert body["errors"][0]["key"] == "observation-station-not-permitted"
    assert state(client) == before


def test_unauthenticated_and_other_media_types_are_refused(
    client: TestClient, tokens: dict[str, str]
) -> None:
    body = lines(record(21.0, 0))
    assert client.post("/api/observations", content=body, headers=NDJSON).status_code == 401
    response = client.post(
        "/api/observations",
        content=body,
        headers={"Content-Type": "text/csv", **auth(tokens, "huangshan")},
    )
    assert response.status_code == 415 and response.json()["key"] == "observation-media-type"
    response = client.post(
        "/api/observations", json={"station": "tunxi"}, headers=auth(tokens, "huangshan")
    )
    assert response.status_code == 422 and "array" in response.json()["detail"]


def test_stations_are_listed_with_their_last_observation(
    client: TestClient, tokens: dict[str, str]
) -> None:
    client.post(
        "/api/observations",
        content=lines(record(21.0, 0), record(21.5, 30)),
        headers={**NDJSON, **auth(tokens, "huangshan")},
    )
    response = client.get("/api/stations", headers=auth(tokens, "hangzhou"))
    assert response.status_code == 200
    by_code = {s["code"]: s for s in response.json()}
    tunxi = by_code["tunxi"]
    assert tunxi["jurisdiction"] == "341000" and tunxi["unit"] == "m"
    assert tunxi["rule"]["thresholds"]["blue"] == 24.8
    assert tunxi["last_observation"]["value"] == 21.5
    assert by_code["fuyang"]["last_observation"] is None
    assert client.get("/api/stations", headers=auth(tokens, "other-committee")).json() == []
    denied = client.get("/api/stations?region=yrd", headers=auth(tokens, "other-committee"))
    assert_problem(denied, 403)


def test_refused_observations_are_counted_for_the_committee_only(
    client: TestClient, tokens: dict[str, str]
) -> None:
    body = lines(
        record(21.0, 0),
        record(21.0, 10, station="no-such-gauge"),
        record(21.0, 20, unit="ft"),
        record(21.0, 30, unit="ft"),
    )
    client.post("/api/observations", content=body, headers={**NDJSON, **auth(tokens)})

    counts = client.get("/api/observations/refusals", headers=auth(tokens, "committee"))
    assert counts.status_code == 200
    assert {(c["reason"], c["station"]): c["count"] for c in counts.json()} == {
        ("observation-unknown-station", ""): 1,
        ("observation-wrong-unit", "tunxi"): 2,
    }
    refused = client.get("/api/observations/refusals", headers=auth(tokens, "hangzhou"))
    assert_problem(refused, 403, key="refusals-not-permitted")


def test_a_stale_reading_is_stored_and_reported_but_opens_no_risk(
    client: TestClient, tokens: dict[str, str], stations: UnitOfWork
) -> None:
    # Over the blue level, 25 hours before the server's clock.
    stale = record_at(TUNXI_BLUE + 1.0, 0, base=datetime.now(UTC) - timedelta(hours=25))
    risks_before = state(client)[1]
    response = client.post(
        "/api/observations", content=lines(stale), headers={**NDJSON, **auth(tokens, "huangshan")}
    )
    assert response.status_code == 200, response.text
    report = response.json()
    assert (report["stored"], report["stale"], report["fired"]) == (1, 1, [])
    assert state(client)[1] == risks_before
    with stations.read_only() as tx:
        (entry,) = [e for e in tx.journal.entries() if e.action == "observations.stored"]
    assert (entry.payload["count"], entry.payload["stale"]) == (1, 1)
