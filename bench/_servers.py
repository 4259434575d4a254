"""What the ingest and latency benchmarks share: scratch databases, real server processes.

Everything here is real: a scratch SQLite file or PostgreSQL database migrated and loaded
with the bundled region, `crossrisk serve` and `crossrisk ingest mqtt` in their own
processes, and a webhook receiver that checks every signature.
"""

from __future__ import annotations

import http.client
import json
import os
import random
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import shapely
from shapely.geometry import Point, shape
from sqlalchemy import create_engine, func, select, text
from sqlalchemy.engine import Engine, make_url
from standardwebhooks.webhooks import Webhook, WebhookVerificationError

from crossrisk.data import bundled_region_path
from crossrisk.domain.monitoring.station import Station, read_station
from crossrisk.domain.organisation import Role, system_actor
from crossrisk.domain.region import read_region_spec
from crossrisk.services import policy_tables, regions, users
from crossrisk.services import stations as station_service
from crossrisk.store.db import make_engine, migrate
from crossrisk.store.models import ObservationRow
from crossrisk.store.uow import UnitOfWork

POSTGRES_ADMIN_URL = os.environ.get(
    "CROSSRISK_BENCH_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
)
REGION = "yrd"
FEEDER = "bench-committee"  # the coordination body may feed every station of its region
PASSWORD = "bench-password-" + uuid.uuid4().hex[:8]
CROSSRISK = str(Path(sys.executable).with_name("crossrisk"))


# --- databases ----------------------------------------------------------------------------


def postgres_available() -> bool:
    """True when the PostgreSQL server of the benchmarks answers."""
    try:
        engine = create_engine(POSTGRES_ADMIN_URL, isolation_level="AUTOCOMMIT")
        with engine.connect() as connection:
            connection.execute(text("select 1"))
        engine.dispose()
        return True
    except Exception:  # any failure to connect means: no server here
        return False


def backends() -> list[str]:
    """The backends to measure: BENCH_BACKENDS (comma-separated), else both when PG answers."""
    chosen = os.environ.get("BENCH_BACKENDS")
    if chosen:
        return [b.strip() for b in chosen.split(",") if b.strip()]
    return ["sqlite", "postgresql"] if postgres_available() else ["sqlite"]


@contextmanager
def scratch_database(backend: str) -> Iterator[tuple[str, Path]]:
    """An empty database (URL) and a data directory, both removed afterwards."""
    folder = Path(tempfile.mkdtemp(prefix="crossrisk-bench-"))
    try:
        if backend == "sqlite":
            yield f"sqlite:///{folder / 'bench.db'}", folder
            return
        admin = create_engine(POSTGRES_ADMIN_URL, isolation_level="AUTOCOMMIT")
        name = f"crossrisk_bench_{uuid.uuid4().hex[:10]}"
        with admin.connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{name}"'))
        try:
            url = make_url(POSTGRES_ADMIN_URL).set(database=name)
            yield url.render_as_string(hide_password=False), folder
        finally:
            with admin.connect() as connection:
                connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            admin.dispose()
    finally:
        shutil.rmtree(folder, ignore_errors=True)


@dataclass(frozen=True)
class Prepared:
    url: str
    data_dir: Path
    token: str  # bearer token of the coordination body's officer
    station_ids: dict[str, int]


def prepare(url: str, data_dir: Path, extra_stations: Sequence[Station]) -> Prepared:
    """Migrate, load the bundled region and its stations plus these, add a feeding user."""
    migrate(url)
    engine = make_engine(url)
    uow = UnitOfWork(engine)
    now = datetime.now(UTC)
    spec = read_region_spec(json.loads(bundled_region_path(REGION).read_text("utf-8")))
    regions.load_region(uow, system_actor(), spec, now=now)
    bundled = station_service.read_station_file(station_service.bundled_station_file(REGION) or "")
    station_service.load_stations(uow, system_actor(), [*bundled, *extra_stations], now=now)
    users.add_user(
        uow,
        system_actor(),
        username=FEEDER,
        password=PASSWORD,
        organisation_code=f"{REGION}-committee",
        role=Role.OFFICER,
        now=now,
    )
    token = users.issue_token(uow, username=FEEDER, password=PASSWORD, now=now)
    ids = {
        view.station.code: view.station.id
        for view in station_service.list_stations(uow, system_actor(), region_code=REGION)
        if view.station.id is not None
    }
    engine.dispose()
    return Prepared(url, data_dir, token, ids)


def count_observations(engine: Engine) -> int:
    with engine.connect() as connection:
        return connection.scalar(select(func.count()).select_from(ObservationRow)) or 0


# --- stations -----------------------------------------------------------------------------


def member_points(count: int, *, seed: int = 11) -> list[tuple[str, float, float]]:
    """`count` points spread over the region's member cities, each inside its city."""
    collection = json.loads(bundled_region_path(REGION).read_text("utf-8"))
    members = [
        (f["properties"]["code"], shape(f["geometry"]))
        for f in collection["features"]
        if f["properties"]["member"]
    ]
    # Keep a margin from the border so no rounding puts a station in the neighbour; the
    # inner areas are drawn once, since a buffer per try takes seconds.
    inner = [boundary.buffer(-0.02) for _code, boundary in members]
    shapely.prepare(inner)
    rng = random.Random(seed)
    points: list[tuple[str, float, float]] = []
    while len(points) < count:
        k = len(points) % len(members)
        code, boundary = members[k]
        minx, miny, maxx, maxy = boundary.bounds
        lon, lat = rng.uniform(minx, maxx), rng.uniform(miny, maxy)
        if inner[k].contains(Point(lon, lat)):
            points.append((code, round(lon, 4), round(lat, 4)))
    return points


def rain_gauges(count: int) -> list[Station]:
    """Synthetic rain gauges over the member cities; half also watch a rate of rise.

    Thresholds sit far above the readings the benchmarks send (under 60 mm/h), and the
    rise rule needs 150 mm/h within an hour: nothing they send fires.
    """
    stations = []
    for n, (code, lon, lat) in enumerate(member_points(count)):
        entry: dict[str, Any] = {
            "code": f"bench-rain-{n:03d}",
            "name_zh": f"基准雨量站{n:03d}",
            "name_en": f"Bench rain gauge {n:03d}",
            "kind": "rain_gauge",
            "lon": lon,
            "lat": lat,
            "jurisdiction": code,
            "variable": "rainfall_intensity",
            "unit": "mm/h",
            "thresholds": {"blue": 200.0, "yellow": 250.0, "orange": 300.0, "red": 400.0},
            "risk": {
                "category": "natural_disaster",
                "hazard_type": "area",
                "parameters": {"radius_km": 10.0},
            },
            "source": "crossrisk benchmark",
        }
        if n % 2:
            entry["rise"] = [{"level": "blue", "amount": 150.0, "hours": 1.0}]
        stations.append(
            read_station(entry, region_code=REGION, variables=policy_tables.variables())
        )
    return stations


# --- processes ----------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


BENCH_RECEIVERS = "127.0.0.1/32"


def crossrisk_env(prepared: Prepared, **extra: str) -> dict[str, str]:
    return {
        **os.environ,
        "CROSSRISK_DATABASE_URL": prepared.url,
        "CROSSRISK_DATA_DIR": str(prepared.data_dir),
        "CROSSRISK_SECRET_KEY": "bench-" + uuid.uuid4().hex,
        # The benchmarks' webhook receivers listen on loopback, which only an allow-list opens.
        "CROSSRISK_OUTBOUND_ALLOW": BENCH_RECEIVERS,
        **extra,
    }


@contextmanager
def running(
    args: Sequence[str], env: Mapping[str, str], log: Path, *, port: int | None = None
) -> Iterator[subprocess.Popen[bytes]]:
    """A process for the duration of the block (ready once `port` accepts), then stopped."""
    with log.open("ab") as out:
        process = subprocess.Popen(list(args), env=dict(env), stdout=out, stderr=out)
    try:
        if port is not None:
            _wait_for_port(port, process, log)
        yield process
    finally:
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(15)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def _wait_for_port(port: int, process: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"server exited ({process.returncode}): {log.read_text()[-2000:]}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"server did not listen on {port} within 60 s")


@contextmanager
def api_server(prepared: Prepared, *, worker: bool) -> Iterator[int]:
    """`crossrisk serve` on a free port (one process); yields the port."""
    port = free_port()
    env = crossrisk_env(
        prepared,
        CROSSRISK_BIND=f"127.0.0.1:{port}",
        CROSSRISK_WORKER="true" if worker else "false",
    )
    with running([CROSSRISK, "serve"], env, prepared.data_dir / "serve.log", port=port):
        yield port


class ApiClient:
    """One keep-alive connection to the API, posting as the feeding user."""

    def __init__(self, port: int, token: str) -> None:
        self.port = port
        self.connection = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
        self.token = token

    def post(self, path: str, body: bytes, content_type: str) -> tuple[int, Any]:
        headers = {"Authorization": f"Bearer {self.token}", "Content-Type": content_type}
        try:
            self.connection.request("POST", path, body=body, headers=headers)
            response = self.connection.getresponse()
        except (BrokenPipeError, ConnectionResetError, http.client.RemoteDisconnected):
            # The server closes a connection idle for a few seconds (uvicorn's keep-alive
            # timeout), e.g. while the floor is measured between requests; open a new one.
            self.connection.close()
            self.connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=120)
            self.connection.request("POST", path, body=body, headers=headers)
            response = self.connection.getresponse()
        payload = response.read()
        return response.status, json.loads(payload) if payload else None

    def post_lines(self, body: bytes) -> Any:
        status, report = self.post("/api/observations", body, "application/x-ndjson")
        if status != 200:
            raise RuntimeError(f"POST /api/observations answered {status}: {report}")
        return report

    def close(self) -> None:
        self.connection.close()


# --- the webhook receiver -----------------------------------------------------------------


class WebhookReceiver:
    """A local HTTP server recording when each warning's webhook arrived, signatures checked."""

    def __init__(self, secret: str) -> None:
        self.secret = secret
        self.verifier = Webhook(secret)
        self.arrivals: dict[str, float] = {}  # warning id → perf_counter of first arrival
        self.purposes: dict[str, str] = {}
        self.bad_signatures = 0
        self.received = 0
        self.changed = threading.Condition()
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_POST(self) -> None:
                arrived = time.perf_counter()
                body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
                try:
                    # The stock Standard Webhooks verifier, as a receiver would run it.
                    receiver.verifier.verify(body, dict(self.headers.items()), json_parse=False)
                    signed = True
                except (WebhookVerificationError, ValueError):  # ValueError: malformed header
                    signed = False
                self.send_response(204 if signed else 401)
                self.send_header("Content-Length", "0")
                self.end_headers()
                receiver.record(
                    self.headers.get("X-Crossrisk-Warning", ""),
                    self.headers.get("X-Crossrisk-Purpose", ""),
                    arrived,
                    signed=signed,
                )

            def log_message(self, format: str, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/cap"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def record(self, warning_id: str, purpose: str, arrived: float, *, signed: bool) -> None:
        with self.changed:
            self.received += 1
            if not signed:
                self.bad_signatures += 1
            else:
                self.arrivals.setdefault(warning_id, arrived)
                self.purposes.setdefault(warning_id, purpose)
            self.changed.notify_all()

    def wait_for(self, warning_ids: Sequence[str], timeout: float) -> float | None:
        """The arrival of the last of these warnings, or None if one is missing at the timeout."""
        deadline = time.monotonic() + timeout
        with self.changed:
            while True:
                if all(w in self.arrivals for w in warning_ids):
                    return max(self.arrivals[w] for w in warning_ids)
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    return None
                self.changed.wait(remaining)

    def __enter__(self) -> WebhookReceiver:
        self.thread.start()
        return self

    def __exit__(self, *_exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()
