"""Trigger-to-delivery latency: an observation over a threshold → CAP at every affected city.

A real `crossrisk serve` process with its in-process worker runs on a scratch database.
Each event posts one reading over a river gauge's threshold; the station fires, a risk
opens, the analysis computes the reach, a warning per affected city is issued and queued
in the same transaction, and the worker posts each CAP message to that city's webhook.
Every member city's organisation has a webhook channel, all pointing at one receiver in
this process that checks each signature and notes when each warning arrived. An event's
latency runs from sending the post to the arrival of its last city's warning.

Each event is a new firing: every event fires its own gauge (copies of the bundled river
gauges, standing where they stand), so each opens a new risk, as the first firing of a
station does. Meanwhile another connection posts batches of readings below every
threshold, a steady background load. The baseline, measured between the events of the
same run: posting one reading below the thresholds, the ingest round trip alone.
"""

from __future__ import annotations

import json
import os
import random
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta

from sqlalchemy import Engine, create_engine, select

from bench import _servers as servers
from bench.ingest import json_lines, readings
from bench.report import Result, percentile
from bench.size import Size
from crossrisk.delivery.destinations import OutboundGuard
from crossrisk.domain.delivery import ChannelKind
from crossrisk.domain.monitoring.station import Station
from crossrisk.domain.organisation import OrganisationKind, system_actor
from crossrisk.domain.outbound import parse_allow_list
from crossrisk.services import delivery, regions
from crossrisk.services import stations as station_service
from crossrisk.store.db import make_engine
from crossrisk.store.models import WarningRow
from crossrisk.store.uow import UnitOfWork


@dataclass(frozen=True)
class Counts:
    events: int
    warmup: int  # the first events, under the same load, pay for imports and caches: not counted
    background_posts: int  # at most; the background stops with the last event


COUNTS = {
    Size.FULL: Counts(events=200, warmup=20, background_posts=1000),
    Size.SMOKE: Counts(events=5, warmup=2, background_posts=100),
}
RAIN_GAUGES = 100
# 200 readings/s offered, in 50-reading posts: six times what 10,000 stations reporting
# every 5 minutes would send.
BACKGROUND_BATCH = 50  # readings per background post
BACKGROUND_INTERVAL = 0.25  # seconds between background posts
DELIVERY_TIMEOUT = 30.0  # an event whose warnings do not all arrive by then fails the run
TARGET_MS = 500.0
SECRET = "bench-webhook-secret-0123456789"
# Gauges whose flood wave reaches other cities (two to four each); a wave from Mishidu or
# a tide at the Bund stays in Shanghai and warns nobody.
FIRING = ("tunxi", "lanxi", "fuyang", "taipu-sluice")


def firing_gauges(count: int) -> list[Station]:
    """`count` copies of the bundled gauges whose firing warns cities downstream."""
    bundled = station_service.read_station_file(
        station_service.bundled_station_file(servers.REGION) or ""
    )
    rivers = [s for s in bundled if s.code in FIRING]
    return [
        replace(
            rivers[n % len(rivers)],
            code=f"bench-{rivers[n % len(rivers)].code}-{n:03d}",
            name_en=f"{rivers[n % len(rivers)].name_en} (bench copy {n})",
        )
        for n in range(count)
    ]


def _over_threshold(station: Station, n: int) -> float:
    # Cycle through the levels, so every colour of warning is rendered and sent.
    thresholds = sorted(station.rule.thresholds, key=lambda t: t.value)
    return round(thresholds[n % len(thresholds)].value + 0.05, 2)


def _configure_webhooks(url: str, receiver_url: str) -> int:
    engine = make_engine(url)
    uow = UnitOfWork(engine)
    codes = [
        o.code
        for o in regions.organisations(uow, system_actor())
        if o.kind is OrganisationKind.JURISDICTION and o.code.startswith("ema-")
    ]
    for code in codes:
        delivery.add_channel(
            uow,
            system_actor(),
            organisation_code=code,
            kind=ChannelKind.WEBHOOK,
            address=receiver_url,
            secret=SECRET,
            guard=OutboundGuard(allow=parse_allow_list(servers.BENCH_RECEIVERS)),
            topic_prefix="crossrisk",
            now=datetime.now(UTC),
        )
    engine.dispose()
    return len(codes)


class Background:
    """Batches of readings below every threshold, posted steadily on their own connection."""

    def __init__(self, port: int, token: str, rain: Sequence[Station], *, posts: int) -> None:
        start = datetime.now(UTC) - timedelta(days=300)
        data = readings(rain, posts * BACKGROUND_BATCH, start=start, seed=5)
        self.bodies = [
            json_lines(data[i : i + BACKGROUND_BATCH])
            for i in range(0, len(data), BACKGROUND_BATCH)
        ]
        self.client = servers.ApiClient(port, token)
        self.stop = threading.Event()
        self.sent = 0
        self.started = 0.0
        self.stopped = 0.0
        self.thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        self.started = time.perf_counter()
        due = self.started
        for body in self.bodies:
            if self.stop.is_set():
                break
            self.client.post_lines(body)
            self.sent += BACKGROUND_BATCH
            due += BACKGROUND_INTERVAL
            self.stop.wait(max(0.0, due - time.perf_counter()))
        self.stopped = time.perf_counter()

    def __enter__(self) -> Background:
        self.thread.start()
        return self

    def __exit__(self, *_exc: object) -> None:
        self.stop.set()
        self.thread.join(30)
        self.client.close()

    @property
    def rate(self) -> float:
        return self.sent / max(1e-9, (self.stopped or time.perf_counter()) - self.started)


def _warning_ids(reader: Engine, risk_id: int) -> list[str]:
    with reader.connect() as connection:
        rows = connection.execute(select(WarningRow.id).where(WarningRow.risk_id == risk_id))
        return [row[0] for row in rows]


def _one_line(station: str, value: float, unit: str, at: datetime) -> bytes:
    record = {"station": station, "time": at.isoformat(), "value": value, "unit": unit}
    return (json.dumps(record) + "\n").encode("utf-8")


@dataclass
class Samples:
    latencies: list[float] = field(default_factory=list)  # ms, sent → last webhook
    cold: list[float] = field(default_factory=list)  # the warm-up events' latencies
    answered: list[float] = field(default_factory=list)  # ms, sent → the post's answer
    firsts: list[float] = field(default_factory=list)  # ms, sent → first webhook
    round_trips: list[float] = field(default_factory=list)  # ms, the baseline's posts
    warnings: list[int] = field(default_factory=list)


def _event(
    n: int,
    gauge: Station,
    client: servers.ApiClient,
    receiver: servers.WebhookReceiver,
    reader: Engine,
    samples: Samples,
    *,
    warmup: int,
) -> None:
    """Fire one gauge and wait until each city it warns has its webhook."""
    body = _one_line(gauge.code, _over_threshold(gauge, n), gauge.unit, datetime.now(UTC))
    sent = time.perf_counter()
    report = client.post_lines(body)
    answered = time.perf_counter()
    (fired,) = report["fired"]
    if fired["action"] != "opened":
        raise RuntimeError(f"event {n} did not open a risk: {report}")
    ids = _warning_ids(reader, fired["risk_id"])
    if not ids:
        raise RuntimeError(f"risk {fired['risk_id']} warned nobody")
    last = receiver.wait_for(ids, DELIVERY_TIMEOUT)
    if last is None:
        raise RuntimeError(
            f"event {n}: not every warning of risk {fired['risk_id']} arrived "
            f"within {DELIVERY_TIMEOUT:g} s"
        )
    if n < warmup:
        samples.cold.append((last - sent) * 1000)
        return
    samples.latencies.append((last - sent) * 1000)
    samples.answered.append((answered - sent) * 1000)
    samples.firsts.append((min(receiver.arrivals[i] for i in ids) - sent) * 1000)
    samples.warnings.append(len(ids))


def _baseline(
    n: int, station: Station, client: servers.ApiClient, samples: Samples, *, warmup: int
) -> None:
    """The same post for one reading under every threshold: the ingest round trip alone."""
    body = _one_line(station.code, 1.0, station.unit, datetime.now(UTC))
    sent = time.perf_counter()
    client.post_lines(body)
    if n >= warmup:
        samples.round_trips.append((time.perf_counter() - sent) * 1000)


def run_backend(
    backend: str, counts: Counts, gauges: Sequence[Station], rain: Sequence[Station]
) -> Result:
    label = "SQLite" if backend == "sqlite" else "PostgreSQL"
    rng = random.Random(9)
    samples = Samples()
    with servers.scratch_database(backend) as (url, folder):
        prepared = servers.prepare(url, folder, [*gauges, *rain])
        reader = create_engine(url) if backend == "sqlite" else make_engine(url)
        with servers.WebhookReceiver(SECRET) as receiver:
            cities = _configure_webhooks(url, receiver.url)
            with servers.api_server(prepared, worker=True) as port:
                client = servers.ApiClient(port, prepared.token)
                with Background(
                    port, prepared.token, rain, posts=counts.background_posts
                ) as background:
                    for n, gauge in enumerate(gauges):
                        # Pauses off the background's beat, so the baseline runs after
                        # the event's deliveries are recorded, and the next event after it.
                        _event(n, gauge, client, receiver, reader, samples, warmup=counts.warmup)
                        time.sleep(rng.uniform(0.05, 0.15))
                        _baseline(n, rain[n % len(rain)], client, samples, warmup=counts.warmup)
                        time.sleep(rng.uniform(0.05, 0.15))
                client.close()
                load = os.getloadavg()[0]
            bad = receiver.bad_signatures
        reader.dispose()
    if bad:
        raise RuntimeError(f"{bad} webhook posts carried a wrong signature")
    latencies, round_trips = samples.latencies, samples.round_trips
    p99 = percentile(latencies, 99)
    base99 = percentile(round_trips, 99)
    return Result(
        name=f"trigger → delivery ({label})",
        unit="ms p99",
        measured=p99,
        baseline_name="ingest round trip alone (one reading below thresholds), p99",
        baseline=base99,
        ratio=base99 / p99,
        detail={
            "events": len(latencies),
            "p50 ms": percentile(latencies, 50),
            "p90 ms": percentile(latencies, 90),
            "max ms": max(latencies),
            "warm-up max ms (not counted)": max(samples.cold),
            "firing post answered p50 ms": percentile(samples.answered, 50),
            "firing post answered p99 ms": percentile(samples.answered, 99),
            "first webhook p50 ms": percentile(samples.firsts, 50),
            "baseline round trip p50 ms": percentile(round_trips, 50),
            "warnings per event (mean)": sum(samples.warnings) / len(samples.warnings),
            "webhook channels (cities)": cities,
            "background readings/s": background.rate,
            "load average (1 min) at end": load,
        },
        target=f"p99 under {TARGET_MS:g} ms",
        met=p99 < TARGET_MS,
    )


def run(size: Size = Size.FULL) -> list[Result]:
    """On every backend available (BENCH_BACKENDS=sqlite,postgresql to choose)."""
    counts = COUNTS[size]
    gauges = firing_gauges(counts.warmup + counts.events)
    rain = servers.rain_gauges(RAIN_GAUGES)
    return [run_backend(backend, counts, gauges, rain) for backend in servers.backends()]
