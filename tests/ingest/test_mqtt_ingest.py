"""MQTT ingest against the real Mosquitto broker: QoS 1, persistent session, acks after commit.

The broker at 127.0.0.1:1883 must answer; in CI (CI=true) this test runs, never skips.
"""

from __future__ import annotations

import json
import logging
import os
import socket
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import paho.mqtt.client as mqtt
import pytest
from paho.mqtt.enums import CallbackAPIVersion
from sqlalchemy import Engine, create_engine

from crossrisk.ingest.mqtt import message_records, run_mqtt_ingest
from crossrisk.services.observations import IngestReport, UnreadableLine
from crossrisk.settings import Settings
from crossrisk.store.uow import UnitOfWork
from tests.monitoring_support import TUNXI_RED
from tests.monitoring_support import record as record_at
from tests.support import settings_for_tests

BROKER = ("127.0.0.1", 1883)
IN_CI = os.environ.get("CI", "").lower() == "true"
BASE = datetime.now(UTC).replace(microsecond=0) - timedelta(hours=6)


def record(value: float, minutes: float, **kwargs: object) -> dict[str, object]:
    return record_at(value, minutes, base=BASE, **kwargs)  # type: ignore[arg-type]


@pytest.fixture(scope="module")
def broker() -> tuple[str, int]:
    try:
        socket.create_connection(BROKER, timeout=2).close()
    except OSError as exc:
        if IN_CI:
            pytest.fail(f"Mosquitto at {BROKER} does not answer ({exc}); in CI it must")
        pytest.skip(f"Mosquitto at {BROKER} does not answer ({exc}); never skipped when CI=true")
    return BROKER


@pytest.fixture
def names(broker: tuple[str, int]) -> Iterator[tuple[str, str]]:
    """A topic prefix and client id of this test alone; the broker forgets the session after."""
    run = uuid.uuid4().hex[:10]
    prefix, client_id = f"crossrisk-test-{run}", f"crossrisk-test-ingest-{run}"
    yield prefix, client_id
    cleaner = mqtt.Client(CallbackAPIVersion.VERSION2, client_id=client_id, clean_session=True)
    cleaner.connect(*broker)
    cleaner.disconnect()


def settings_for(tmp_path: Path, database_url: str, prefix: str) -> Settings:
    return settings_for_tests(
        database_url,
        tmp_path,
        mqtt_host=BROKER[0],
        mqtt_port=BROKER[1],
        mqtt_topic_prefix=prefix,
    )


class Ingest:
    """The ingest loop in a thread, as `crossrisk ingest mqtt` runs it."""

    def __init__(self, settings: Settings, engine: Engine, client_id: str) -> None:
        self.stop = threading.Event()
        self.subscribed = threading.Event()
        self.reports: list[IngestReport] = []
        self.thread = threading.Thread(
            target=run_mqtt_ingest,
            kwargs=dict(
                settings=settings,
                engine=engine,
                stop=self.stop,
                client_id=client_id,
                subscribed=self.subscribed,
                on_batch=lambda report, _fired: self.reports.append(report),
            ),
            daemon=True,
        )

    def __enter__(self) -> Ingest:
        self.thread.start()
        assert self.subscribed.wait(15), "the ingest never subscribed"
        return self

    def __exit__(self, *_exc: object) -> None:
        self.stop.set()
        self.thread.join(15)
        assert not self.thread.is_alive()


def publish(prefix: str, messages: list[tuple[str, object]]) -> None:
    """Publish each (station, payload) at QoS 1 and wait for the broker's acknowledgement."""
    client = mqtt.Client(CallbackAPIVersion.VERSION2, client_id=f"pub-{uuid.uuid4().hex[:8]}")
    client.connect(*BROKER)
    client.loop_start()
    try:
        for station, payload in messages:
            info = client.publish(
                f"{prefix}/yrd/observations/{station}", json.dumps(payload), qos=1
            )
            info.wait_for_publish(10)
            assert info.is_published()
    finally:
        client.loop_stop()
        client.disconnect()


def until(condition: Callable[[], bool], what: str, seconds: float = 20.0) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, f"waited {seconds} s for {what}"
        time.sleep(0.05)


def stored_values(uow: UnitOfWork) -> list[float]:
    with uow.read_only() as tx:
        tunxi = tx.stations.get("tunxi")
        assert tunxi.id is not None
        series = tx.observations.series(
            tunxi.id, since=BASE - timedelta(days=1), until=BASE + timedelta(days=1)
        )
    return [value for _, value in series]


def test_qos1_messages_are_stored_once_including_those_sent_while_down(
    stations: UnitOfWork, database_url: str, tmp_path: Path, names: tuple[str, str]
) -> None:
    prefix, client_id = names
    settings = settings_for(tmp_path, database_url, prefix)
    one = record(21.0, 0)
    with Ingest(settings, stations.engine, client_id) as ingest:
        publish(
            prefix,
            [
                ("tunxi", {k: v for k, v in one.items() if k != "station"}),  # station by topic
                ("tunxi", [record(21.1, 10), record(21.2, 20)]),
                ("tunxi", one),  # the same reading again, as a gateway's retry sends it
            ],
        )
        until(lambda: sum(r.duplicates for r in ingest.reports) >= 1, "the duplicate")
    assert stored_values(stations) == [21.0, 21.1, 21.2]
    # While the ingest is down the broker keeps what arrives for its session.
    publish(prefix, [("tunxi", record(21.3, 30)), ("tunxi", record(21.4, 40))])
    with Ingest(settings, stations.engine, client_id) as ingest:
        until(lambda: sum(r.stored for r in ingest.reports) >= 2, "the queued messages")
    assert stored_values(stations) == [21.0, 21.1, 21.2, 21.3, 21.4]


def test_a_message_is_acknowledged_only_after_it_is_stored(
    stations: UnitOfWork,
    database_url: str,
    tmp_path: Path,
    names: tuple[str, str],
    caplog: pytest.LogCaptureFixture,
) -> None:
    prefix, client_id = names
    settings = settings_for(tmp_path, database_url, prefix)
    # A database that does not answer: the batch cannot commit, so nothing is acknowledged.
    unreachable = create_engine("postgresql+psycopg://postgres@127.0.0.1:1/none")
    caplog.set_level(logging.ERROR, logger="crossrisk.ingest.mqtt")
    with Ingest(settings, unreachable, client_id):
        publish(prefix, [("tunxi", record(22.0, 0))])
        until(lambda: "retrying" in caplog.text, "a failed attempt to store")
    assert stored_values(stations) == []
    # Back with a working database, the broker delivers the unacknowledged message again.
    with Ingest(settings, stations.engine, client_id) as ingest:
        until(lambda: sum(r.stored for r in ingest.reports) >= 1, "the redelivered message")
    assert stored_values(stations) == [22.0]


def test_a_poison_reading_is_refused_and_counted_and_the_consumer_goes_on(
    stations: UnitOfWork, database_url: str, tmp_path: Path, names: tuple[str, str]
) -> None:
    prefix, client_id = names
    settings = settings_for(tmp_path, database_url, prefix)
    off_the_calendar = {**record(21.5, 0), "time": "9999-12-31T23:00:00-14:00"}
    beyond_float = {**record(21.6, 5), "value": 10**400}
    with Ingest(settings, stations.engine, client_id) as ingest:
        publish(
            prefix,
            [
                ("tunxi", [off_the_calendar, record(21.0, 10), beyond_float]),
                ("tunxi", record(21.1, 20)),
            ],
        )
        until(lambda: sum(r.stored for r in ingest.reports) >= 2, "the good readings")
        # Still listening: a later message is stored too.
        publish(prefix, [("tunxi", record(21.2, 30))])
        until(lambda: sum(r.stored for r in ingest.reports) >= 3, "a later message")
        assert ingest.thread.is_alive()
    assert stored_values(stations) == [21.0, 21.1, 21.2]
    with stations.read_only() as tx:
        counts = tx.observations.refusals()
    assert counts[("observation-time-invalid", "tunxi")] == 1
    assert counts[("observation-impossible-value", "tunxi")] == 1


@pytest.mark.parametrize(
    "payload, expected",
    [
        (
            b'{"time": "t", "value": 1, "unit": "m"}',
            [{"time": "t", "value": 1, "unit": "m", "station": "tunxi"}],
        ),
        (b'[{"station": "tunxi"}]', [{"station": "tunxi"}]),
        (b'{"station": "a"}\n{"station": "b"}\n', None),
    ],
)
def test_a_message_holds_one_observation_an_array_or_json_lines(
    payload: bytes, expected: list[object] | None
) -> None:
    if expected is not None:
        assert message_records("crossrisk/yrd/observations/tunxi", payload) == expected
    else:
        got = message_records("crossrisk/yrd/observations", payload)
        assert got == [{"station": "a"}, {"station": "b"}]


@pytest.mark.parametrize("topic", ["x/yrd/observations/tunxi", "x/yrd/observations/tunxi/level"])
def test_a_record_naming_another_station_than_its_topic_is_refused(topic: str) -> None:
    # The broker lets a gateway publish only on its own stations' topics; the payload
    # must not name someone else's station to get past that.
    own, other = message_records(topic, b'[{"station": "tunxi"}, {"station": "lanxi"}]')
    assert own == {"station": "tunxi"}
    assert isinstance(other, UnreadableLine)
    assert other.key == "observation-station-not-topic" and "lanxi" in other.message


def test_settings_topic_follows_the_prefix(tmp_path: Path) -> None:
    from crossrisk.ingest.mqtt import default_topic

    settings = replace(settings_for(tmp_path, "sqlite://", "x"), mqtt_topic_prefix="region-net")
    assert default_topic(settings) == "region-net/+/observations/#"


def test_a_stale_reading_over_mqtt_is_stored_but_opens_no_risk(
    stations: UnitOfWork, database_url: str, tmp_path: Path, names: tuple[str, str]
) -> None:
    prefix, client_id = names
    settings = settings_for(tmp_path, database_url, prefix)
    # Over the Tunxi gauge's red level, but from a clock reset to 1990.
    from_1990 = {**record(TUNXI_RED + 1.0, 0), "time": "1990-07-01T10:00:00+08:00"}
    with Ingest(settings, stations.engine, client_id) as ingest:
        publish(prefix, [("tunxi", from_1990)])
        until(lambda: sum(r.stored for r in ingest.reports) >= 1, "the stale reading")
    assert [r.stale for r in ingest.reports] == [1]
    assert [r.queued for r in ingest.reports] == [()]
    with stations.read_only() as tx:
        assert tx.risks.count() == 0
        (entry,) = [e for e in tx.journal.entries() if e.action == "observations.stored"]
    assert (entry.payload["count"], entry.payload["stale"]) == (1, 1)
