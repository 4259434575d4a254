"""The live event stream (GET /api/events, Server-Sent Events) on both backends."""

from __future__ import annotations

import http.client
import json
import socket
import threading
import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import uvicorn
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from crossrisk.app import create_app
from crossrisk.domain.events import EventBus
from crossrisk.domain.organisation import system_actor
from crossrisk.services import risks
from crossrisk.store.db import make_engine
from crossrisk.store.models import JournalEntryRow
from crossrisk.store.uow import UnitOfWork
from tests.support import XINAN_SPILL, actor, auth, draft, point, settings_for_tests

HANGZHOU_CODE = "330100"
SPILL = {
    "category": "accident_disaster",
    "title": "新安江苯乙烯泄漏",
    "hazard_type": "river_spill",
    "hazard_geometry": point(XINAN_SPILL["where"]),
    "parameters": {"substance": "styrene", "mass_kg": 20000, "release_hours": 6},
    "likelihood": 3,
    "consequence": 4,
}
Event = dict[str, Any]


def blocks(lines: Iterator[str]) -> Iterator[dict[str, str]]:
    """The stream's blocks (fields up to a blank line), as the SSE format defines them."""
    fields: dict[str, str] = {}
    for line in lines:
        if line == "":
            if fields:
                yield fields
            fields = {}
        elif line.startswith(":"):
            fields["comment"] = line[1:].strip()
        else:
            name, _, value = line.partition(":")
            fields[name] = value.removeprefix(" ")
    if fields:
        yield fields


def events_until(lines: Iterator[str], wanted: Callable[[Event], bool]) -> list[Event]:
    """Events up to the first one wanted; the stream ending before it fails the test."""
    seen: list[Event] = []
    for block in blocks(lines):
        if "data" in block:
            event = json.loads(block["data"])
            assert int(block["id"]) == event["seq"]
            seen.append(event)
            if wanted(event):
                return seen
    raise AssertionError(f"the stream ended without the event; it sent {seen}")


def all_events(client: TestClient, headers: dict[str, str], url: str) -> list[Event]:
    """Every event a stream sends before it ends by itself."""
    with client.stream("GET", url, headers=headers) as stream:
        assert stream.status_code == 200
        return [json.loads(b["data"]) for b in blocks(stream.iter_lines()) if "data" in b]


def hangzhou_warned(event: Event) -> bool:
    return event["action"] == "warning.issued" and event.get("recipient") == HANGZHOU_CODE


def test_an_event_after_the_clients_position_arrives(
    client: TestClient, tokens: dict[str, str]
) -> None:
    with client.stream("GET", "/api/events", headers=auth(tokens, "hangzhou")) as stream:
        assert stream.status_code == 200
        assert stream.headers["content-type"].startswith("text/event-stream")
        assert "no-store" in stream.headers["cache-control"]
        lines = stream.iter_lines()
        opening = next(blocks(lines))  # where the stream starts: the journal's head
        start = int(opening["id"])

        created = client.post("/api/risks", json=SPILL, headers=auth(tokens))
        assert created.status_code == 201
        seen = events_until(lines, hangzhou_warned)

    assert seen[0]["action"] == "risk.registered" and seen[0]["seq"] > start
    assert seen[0]["risk_id"] == created.json()["id"] and seen[0]["title"] == SPILL["title"]
    assert all(event["region"] == "yrd" for event in seen)
    warned = seen[-1]
    assert warned["warning"].startswith(f"crossrisk-yrd-{created.json()['id']}-{HANGZHOU_CODE}-")
    assert warned["status"] == "issued" and 1 <= warned["level"] <= 4
    # Only the whitelisted facts: no hazard geometry, no description, no journal hashes.
    for event in seen:
        assert not {"hazard_geometry", "description", "hash", "prev_hash", "risk"} & set(event)


def test_an_acknowledgement_arrives_with_its_new_status(
    client: TestClient, tokens: dict[str, str]
) -> None:
    risk_id = client.post("/api/risks", json=SPILL, headers=auth(tokens)).json()["id"]
    (warning,) = [
        w
        for w in client.get(f"/api/risks/{risk_id}/warnings", headers=auth(tokens)).json()
        if w["recipient"] == HANGZHOU_CODE
    ]
    with client.stream("GET", "/api/events", headers=auth(tokens, "committee")) as stream:
        lines = stream.iter_lines()
        next(blocks(lines))
        url = f"/api/warnings/{warning['id']}/acknowledge"
        assert client.post(url, headers=auth(tokens, "hangzhou")).status_code == 200
        seen = events_until(lines, lambda e: e["action"] == "warning.acknowledged")
    acknowledged = seen[-1]
    assert acknowledged["warning"] == warning["id"]
    assert (acknowledged["status"], acknowledged["via"]) == ("acknowledged", "api")
    assert acknowledged["actor"] == "hangzhou" and acknowledged["late"] is False


def test_delivery_events_name_their_region_and_hide_addresses(
    client: TestClient, tokens: dict[str, str], database_url: str
) -> None:
    risk_id = client.post("/api/risks", json=SPILL, headers=auth(tokens)).json()["id"]
    warning_id = client.get(f"/api/risks/{risk_id}/warnings", headers=auth(tokens)).json()[0]["id"]
    engine = make_engine(database_url)
    uow = UnitOfWork(engine)
    try:
        # As the dispatcher journals a channel that failed for good (no region in the payload).
        with uow as tx:
            tx.journal.append(
                system_actor("delivery"),
                "delivery.given_up",
                subject=f"warning:{warning_id}",
                payload={
                    "delivery": 7,
                    "organisation": "ema-330100",
                    "kind": "webhook",
                    "address": "https://hooks.example/secret-path?token=abc",
                    "attempts": 5,
                    "permanent": False,
                    "detail": "connection refused by hooks.example",
                },
                now=datetime.now(UTC),
            )
            tx.commit()
    finally:
        engine.dispose()
    client.app.state.live_stream_seconds = 1.0  # type: ignore[attr-defined]

    seen = all_events(client, auth(tokens, "hangzhou"), "/api/events?after=0")
    (given_up,) = [e for e in seen if e["action"] == "delivery.given_up"]
    assert given_up["region"] == "yrd" and given_up["attempts"] == 5
    assert "address" not in given_up and "detail" not in given_up
    pearl = all_events(client, auth(tokens, "other-committee"), "/api/events?after=0")
    assert pearl == []


def test_an_event_committed_by_another_process_arrives_by_polling(
    client: TestClient, tokens: dict[str, str], database_url: str
) -> None:
    engine = make_engine(database_url)
    # Its own bus, as in another server process: nothing wakes this app's stream.
    elsewhere = UnitOfWork(engine, EventBus())
    try:
        with client.stream("GET", "/api/events", headers=auth(tokens, "hangzhou")) as stream:
            lines = stream.iter_lines()
            next(blocks(lines))
            risk = risks.register_risk(
                elsewhere,
                actor(elsewhere, "ema-341000"),
                draft(**XINAN_SPILL),
                region_code="yrd",
                now=datetime.now(UTC),
            )
            seen = events_until(lines, hangzhou_warned)
    finally:
        engine.dispose()
    assert seen[0]["action"] == "risk.registered" and seen[0]["risk_id"] == risk.id


def test_a_reader_of_another_region_sees_none_of_its_events(
    client: TestClient, tokens: dict[str, str]
) -> None:
    assert client.post("/api/risks", json=SPILL, headers=auth(tokens)).status_code == 201
    client.app.state.live_stream_seconds = 1.0  # type: ignore[attr-defined]

    yrd = all_events(client, auth(tokens, "hangzhou"), "/api/events?after=0")
    actions = {event["action"] for event in yrd}
    assert {"risk.registered", "risk.analysed", "warning.issued", "duty.assigned"} <= actions
    # Entries of no streamed kind (users, region loads) are not shown to anyone.
    assert all(
        a.split(".")[0] in ("risk", "warning", "responsibility", "delivery", "duty")
        for a in actions
    )

    pearl = all_events(client, auth(tokens, "other-committee"), "/api/events?after=0")
    assert pearl == []
    central = all_events(client, auth(tokens, "central"), "/api/events?after=0")
    assert [e["seq"] for e in central] == [e["seq"] for e in yrd]


def test_last_event_id_resumes_after_the_event_it_names(
    client: TestClient, tokens: dict[str, str]
) -> None:
    assert client.post("/api/risks", json=SPILL, headers=auth(tokens)).status_code == 201
    client.app.state.live_stream_seconds = 1.0  # type: ignore[attr-defined]
    everything = all_events(client, auth(tokens, "hangzhou"), "/api/events?after=0")
    assert len(everything) >= 3
    resume_after = everything[1]["seq"]

    # A reconnecting EventSource repeats its first URL; the header names where it got to.
    headers = {**auth(tokens, "hangzhou"), "Last-Event-ID": str(resume_after)}
    resumed = all_events(client, headers, "/api/events?after=0")
    assert [e["seq"] for e in resumed] == [e["seq"] for e in everything[2:]]

    # A position the journal never reached starts at its head.
    with client.stream(
        "GET", "/api/events", headers={**auth(tokens, "hangzhou"), "Last-Event-ID": "99999999"}
    ) as stream:
        opening = next(blocks(stream.iter_lines()))
    engine = client.app.state.engine  # type: ignore[attr-defined]
    with engine.connect() as connection:
        head = connection.scalar(select(func.max(JournalEntryRow.seq)))
    assert int(opening["id"]) == head


def test_the_stream_ends_by_itself_telling_the_client_where_to_resume(
    client: TestClient, tokens: dict[str, str]
) -> None:
    client.app.state.live_stream_seconds = 0.5  # type: ignore[attr-defined]
    with client.stream("GET", "/api/events", headers=auth(tokens, "hangzhou")) as stream:
        sent = list(blocks(stream.iter_lines()))
    assert sent[0]["retry"].isdigit()
    assert sent[-1]["id"] == sent[0]["id"]  # nothing happened: resume where it started
    assert not any("data" in block for block in sent)


def test_a_quiet_stream_sends_keep_alive_comments(
    client: TestClient, tokens: dict[str, str]
) -> None:
    client.app.state.live_stream_seconds = 1.5  # type: ignore[attr-defined]
    client.app.state.live_keepalive_seconds = 0.2  # type: ignore[attr-defined]
    with client.stream("GET", "/api/events", headers=auth(tokens, "hangzhou")) as stream:
        sent = list(blocks(stream.iter_lines()))
    keepalives = [block for block in sent if block.get("comment") == "keep-alive"]
    assert keepalives and all(block["id"] == sent[0]["id"] for block in keepalives)


def test_a_client_may_close_the_stream_at_any_time(
    client: TestClient, tokens: dict[str, str]
) -> None:
    bus = client.app.state.bus  # type: ignore[attr-defined]
    subscribers = bus.subscriber_count()
    with client.stream("GET", "/api/events", headers=auth(tokens, "hangzhou")) as stream:
        lines = stream.iter_lines()
        assert "retry" in next(blocks(lines))
        assert bus.subscriber_count() == subscribers + 1
    assert bus.subscriber_count() == subscribers  # the closed stream stopped listening
    # The app still serves; the closed stream left nothing half-done.
    assert client.get("/api/warnings", headers=auth(tokens, "hangzhou")).status_code == 200


def test_the_stream_needs_a_login_and_a_sound_position(
    client: TestClient, tokens: dict[str, str]
) -> None:
    assert client.get("/api/events").status_code == 401
    bad = client.get("/api/events", headers={**auth(tokens), "Last-Event-ID": "yesterday"})
    assert bad.status_code == 422
    assert bad.headers["content-type"] == "application/problem+json"
    assert client.get("/api/events?after=-1", headers=auth(tokens)).status_code == 422


def test_uvicorn_exits_while_a_stream_is_open(
    sqlite_url: str, sqlite_template: Any, tmp_path: Path
) -> None:
    tokens: dict[str, str] = sqlite_template.tokens
    app = create_app(settings_for_tests(sqlite_url, tmp_path, port=0))
    app.state.live_stream_seconds = 1.0
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.bind(("127.0.0.1", 0))
    port = listener.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning", lifespan="off"))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [listener]}, daemon=True)
    thread.start()
    try:
        while not server.started:
            assert thread.is_alive(), "the server did not start"
            time.sleep(0.05)
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        try:
            connection.request("GET", "/api/events", headers=auth(tokens, "hangzhou"))
            response = connection.getresponse()
            assert response.status == 200
            # The stream is open: the opening block (its id and retry fields) has begun.
            assert response.readline().startswith((b"id:", b"retry:"))
            server.should_exit = True
            # uvicorn waits for open responses; the stream's bounded life lets it go.
            thread.join(timeout=30)
            assert not thread.is_alive(), "uvicorn did not exit while a stream was open"
        finally:
            connection.close()
    finally:
        server.should_exit = True
        thread.join(timeout=30)
        listener.close()
        app.state.engine.dispose()
