"""Ingest throughput: observations/s through rule evaluation into the store, by HTTP and MQTT.

Each case runs against real processes on a scratch database (SQLite file, PostgreSQL
database): `crossrisk serve` receiving `POST /api/observations` batches, and
`crossrisk ingest mqtt` subscribed to the real Mosquitto broker. Beside each, the floor on
the same backend in the same run: parsing the same payloads with `json` and inserting the
same rows with one bare executemany per batch, one transaction per batch, as the ingest
commits one per batch. Every reading stays below its station's thresholds and rate of
rise, so no risk opens: this measures ingest, not analysis.

MQTT runs twice: a JSON array of 100 readings per message (a data centre forwarding its
gauges) and one reading per message on the station's topic (a gauge's own gateway).
Beside each, the rate of a bare subscriber that only receives, decodes and acknowledges
the same messages (bench/_mqtt.py): what the broker and paho alone carry on this machine.
"""

from __future__ import annotations

import json
import os
import statistics
import time
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from random import Random
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import Engine, create_engine, insert, text

from bench import _mqtt
from bench import _servers as servers
from bench.report import Result
from bench.size import Size
from crossrisk.domain.monitoring.station import Station
from crossrisk.store.db import make_engine
from crossrisk.store.models import ObservationRow

STATIONS = 100
BATCH = 1000  # lines per HTTP batch; rows per floor transaction
MQTT_ARRAY = 100  # readings per message in the gateway case


@dataclass(frozen=True)
class Counts:
    http: int
    mqtt: int
    mqtt_single: int  # one reading per message: slower, so fewer


COUNTS = {
    Size.FULL: Counts(http=30_000, mqtt=30_000, mqtt_single=10_000),
    Size.SMOKE: Counts(http=2 * BATCH, mqtt=10 * MQTT_ARRAY, mqtt_single=200),
}
TARGET = 0.5
SHANGHAI = ZoneInfo("Asia/Shanghai")


@dataclass(frozen=True)
class Reading:
    station: str
    time: str
    value: float


def readings(
    stations: Sequence[Station], total: int, *, start: datetime, seed: int
) -> list[Reading]:
    """`total` readings spread over the stations, every station at distinct 5-minute steps."""
    rng = Random(seed)
    out = []
    for i in range(total):
        station = stations[i % len(stations)]
        at = start + timedelta(minutes=5 * (i // len(stations)))
        out.append(
            Reading(station.code, at.astimezone(SHANGHAI).isoformat(), round(rng.uniform(0, 60), 1))
        )
    return out


def json_lines(batch: Sequence[Reading]) -> bytes:
    return "".join(
        json.dumps({"station": r.station, "time": r.time, "value": r.value, "unit": "mm/h"}) + "\n"
        for r in batch
    ).encode("utf-8")


def chunks(items: Sequence[Reading], size: int) -> list[Sequence[Reading]]:
    return [items[i : i + size] for i in range(0, len(items), size)]


# --- the floor ----------------------------------------------------------------------------


# (topic or "", payload) → the records it holds
Parse = Callable[[str, bytes], list[dict[str, Any]]]


def parse_lines(_topic: str, body: bytes) -> list[dict[str, Any]]:
    return [json.loads(line) for line in body.decode("utf-8").splitlines() if line.strip()]


def floor(
    engine: Engine,
    station_ids: dict[str, int],
    batches: Sequence[Sequence[tuple[str, bytes]]],
    parse: Parse,
) -> float:
    """Observations/s: parse each batch's payloads and insert its rows in one transaction."""
    total = 0
    start = time.perf_counter()
    for payloads in batches:
        now = datetime.now(UTC)
        rows = [
            {
                "station_id": station_ids[record["station"]],
                "observed_at": datetime.fromisoformat(record["time"]).astimezone(UTC),
                "value": float(record["value"]),
                "received_at": now,
                "source": "floor",
            }
            for topic, payload in payloads
            for record in parse(topic, payload)
        ]
        with engine.begin() as connection:
            connection.execute(insert(ObservationRow), rows)
        total += len(rows)
    return total / (time.perf_counter() - start)


def floor_median(
    engine: Engine,
    station_ids: dict[str, int],
    batches: Sequence[Sequence[tuple[str, bytes]]],
    parse: Parse,
) -> float:
    """The floor's median of three runs: a second's work is at the mercy of a busy machine."""
    rates = []
    for _ in range(3):
        clear(engine)
        rates.append(floor(engine, station_ids, batches, parse))
    clear(engine)
    return statistics.median(rates)


def clear(engine: Engine) -> None:
    with engine.begin() as connection:
        if engine.dialect.name == "postgresql":
            connection.execute(text("TRUNCATE observations"))
        else:
            connection.execute(text("DELETE FROM observations"))


def reader(url: str) -> Engine:
    # crossrisk's SQLite engine begins every transaction IMMEDIATE (a write lock); counting
    # rows while the ingest writes must not take it, so the polling uses a plain engine.
    return create_engine(url) if url.startswith("sqlite") else make_engine(url)


# --- HTTP ---------------------------------------------------------------------------------


def http_case(
    prepared: servers.Prepared,
    engine: Engine,
    stations: Sequence[Station],
    label: str,
    *,
    total: int,
) -> Result:
    start_at = datetime.now(UTC) - timedelta(days=200)
    data = readings(stations, total, start=start_at, seed=1)
    bodies = [json_lines(batch) for batch in chunks(data, BATCH)]
    warmup = json_lines(readings(stations, 300, start=start_at - timedelta(days=30), seed=2))
    count = reader(prepared.url)
    with servers.api_server(prepared, worker=False) as port:
        client = servers.ApiClient(port, prepared.token)
        client.post_lines(warmup)  # first-request costs (imports, caches) are not throughput
        floor_rate = floor_median(
            engine, prepared.station_ids, [[("", b)] for b in bodies], parse_lines
        )
        started = time.perf_counter()
        stored = 0
        for body in bodies:
            report = client.post_lines(body)
            stored += report["stored"]
            if report["fired"] or report["refused"]:
                raise RuntimeError(
                    f"the benchmark's readings must neither fire nor be refused: {report}"
                )
        elapsed = time.perf_counter() - started
        client.close()
    in_table = servers.count_observations(count)
    count.dispose()
    if stored != total or in_table != total:
        raise RuntimeError(f"HTTP stored {stored}, table holds {in_table}, sent {total}")
    rate = total / elapsed
    return _result(
        f"ingest HTTP batch ({label})",
        rate,
        floor_rate,
        f"json lines, {BATCH} per POST",
        {
            "observations": total,
            "seconds": elapsed,
            "ms per batch": elapsed / len(bodies) * 1000,
        },
    )


# --- MQTT ---------------------------------------------------------------------------------


def single_messages(prefix: str, data: Sequence[Reading]) -> list[tuple[str, bytes]]:
    """One reading per message on its station's topic, as a gauge's own gateway sends."""
    return [
        (
            f"{prefix}/yrd/observations/{r.station}",
            json.dumps({"time": r.time, "value": r.value, "unit": "mm/h"}).encode("utf-8"),
        )
        for r in data
    ]


def array_messages(prefix: str, data: Sequence[Reading]) -> list[tuple[str, bytes]]:
    """A JSON array of readings per message, as a data centre's gateway forwards them."""
    return [
        (
            f"{prefix}/yrd/observations",
            json.dumps(
                [
                    {"station": r.station, "time": r.time, "value": r.value, "unit": "mm/h"}
                    for r in part
                ]
            ).encode("utf-8"),
        )
        for part in chunks(data, MQTT_ARRAY)
    ]


def parse_message(topic: str, payload: bytes) -> list[dict[str, Any]]:
    whole = json.loads(payload)
    records = whole if isinstance(whole, list) else [whole]
    station = topic.rsplit("/", 1)[-1]
    return [r if "station" in r else {**r, "station": station} for r in records]


def mqtt_cases(
    prepared: servers.Prepared,
    engine: Engine,
    stations: Sequence[Station],
    label: str,
    *,
    counts: Counts,
) -> list[Result]:
    """Readings in arrays, then one per message, through one `crossrisk ingest mqtt`."""
    prefix = f"bench-{uuid.uuid4().hex[:8]}"
    client_id = f"{prefix}-ingest"
    count = reader(prepared.url)
    env = servers.crossrisk_env(prepared, CROSSRISK_MQTT_TOPIC_PREFIX=prefix)
    # One subscription covers both: arrays on <prefix>/yrd/observations, single readings
    # on <prefix>/yrd/observations/<station>.
    args = [servers.CROSSRISK, "ingest", "mqtt", "--topic", f"{prefix}/+/observations/#"]
    start_at = datetime.now(UTC) - timedelta(days=100)
    publisher = _mqtt.Publisher(f"{prefix}-publisher")
    measured: list[tuple[bool, int, float, float]] = []  # single, total, rate, floor
    try:
        with servers.running(
            [*args, "--client-id", client_id], env, prepared.data_dir / "mqtt.log"
        ):
            for single, total in ((False, counts.mqtt), (True, counts.mqtt_single)):
                rate, floor_rate = _mqtt_case(
                    publisher,
                    prefix,
                    prepared,
                    engine,
                    count,
                    stations,
                    single=single,
                    total=total,
                    start_at=start_at,
                )
                measured.append((single, total, rate, floor_rate))
    finally:
        publisher.close()
        _mqtt.forget_session(client_id)
    count.dispose()
    results = []
    for single, total, rate, floor_rate in measured:
        make = single_messages if single else array_messages
        data = readings(stations, total, start=start_at, seed=3)
        per_message = 1 if single else MQTT_ARRAY
        transport = (
            _mqtt.transport_rate(f"{prefix}-bare", make(f"{prefix}-bare", data)) * per_message
        )
        what = "one reading per message" if single else f"{MQTT_ARRAY} readings per message"
        results.append(
            _result(
                f"ingest MQTT {'1' if single else MQTT_ARRAY}/msg ({label})",
                rate,
                floor_rate,
                f"QoS 1, {what}",
                {
                    "observations": total,
                    "seconds": total / rate,
                    "bare MQTT subscriber obs/s": transport,
                    "% of bare subscriber": rate / transport * 100,
                },
            )
        )
    return results


def _mqtt_case(
    publisher: _mqtt.Publisher,
    prefix: str,
    prepared: servers.Prepared,
    engine: Engine,
    count: Engine,
    stations: Sequence[Station],
    *,
    single: bool,
    total: int,
    start_at: datetime,
) -> tuple[float, float]:
    """Observations/s through the running subscriber, and the floor for the same messages."""
    make = single_messages if single else array_messages
    per_message = 1 if single else MQTT_ARRAY
    messages = make(prefix, readings(stations, total, start=start_at, seed=3))
    warmup = make(prefix, readings(stations, 200, start=start_at - timedelta(days=30), seed=4))
    per_batch = max(1, BATCH // per_message)
    floor_batches = [messages[i : i + per_batch] for i in range(0, len(messages), per_batch)]
    clear(engine)  # the warm-up below counts rows: start from none
    # The subscriber is ready once the warm-up readings are stored; publishing sooner could
    # reach the broker before its subscription exists. The second case warms the path of
    # its own message shape the same way.
    _publish_until_stored(publisher, warmup, count, expected=200, timeout=60)
    floor_rate = floor_median(engine, prepared.station_ids, floor_batches, parse_message)
    started = time.perf_counter()
    publisher.publish_paced(messages, lambda: servers.count_observations(count) // per_message)
    stored = _wait_until(count, total, timeout=120)
    elapsed = time.perf_counter() - started
    if stored != total:
        raise RuntimeError(f"MQTT stored {stored} of {total}")
    return total / elapsed, floor_rate


def _publish_until_stored(
    publisher: _mqtt.Publisher,
    messages: Sequence[tuple[str, bytes]],
    count: Engine,
    *,
    expected: int,
    timeout: float,
) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        publisher.publish_all(messages)  # repeats are stored once
        if _wait_until(count, expected, timeout=1) >= expected:
            return
    raise RuntimeError("the MQTT subscriber stored nothing; see mqtt.log in the data dir")


def _wait_until(count: Engine, expected: int, *, timeout: float) -> int:
    deadline = time.monotonic() + timeout
    stored = servers.count_observations(count)
    while stored < expected and time.monotonic() < deadline:
        time.sleep(0.02)
        stored = servers.count_observations(count)
    return stored


def _result(
    name: str, rate: float, floor_rate: float, how: str, detail: dict[str, float]
) -> Result:
    ratio = rate / floor_rate
    return Result(
        name=name,
        unit="observations/s",
        measured=rate,
        baseline_name=f"floor: json parse + bare executemany, a transaction per {BATCH}, median "
        f"of 3 ({how})",
        baseline=floor_rate,
        ratio=ratio,
        detail={**detail, "% of floor": ratio * 100, "load average (1 min)": os.getloadavg()[0]},
        target="at least 50 % of the floor",
        met=ratio >= TARGET,
    )


def run(size: Size = Size.FULL) -> list[Result]:
    """Every case on every backend available (BENCH_BACKENDS=sqlite,postgresql to choose)."""
    counts = COUNTS[size]
    stations = servers.rain_gauges(STATIONS)
    results = []
    for backend in servers.backends():
        label = "SQLite" if backend == "sqlite" else "PostgreSQL"
        with servers.scratch_database(backend) as (url, folder):
            prepared = servers.prepare(url, folder, stations)
            engine = make_engine(url)
            try:
                results.append(http_case(prepared, engine, stations, label, total=counts.http))
                results.extend(mqtt_cases(prepared, engine, stations, label, counts=counts))
            finally:
                engine.dispose()
    return results
