"""Command line for monitoring: stations, ingesting observations, replaying a hydrograph.

Registered on the main group in crossrisk/cli.py; failures print one line and exit 2.
"""

from __future__ import annotations

import sys
import time
from datetime import UTC, datetime
from importlib import resources
from pathlib import Path

import click

from crossrisk.cli_support import fail, now, settings_or_fail, stop_on_signals, uow_for
from crossrisk.domain.monitoring import (
    MAX_BATCH_LINES,
    batch_lines,
    read_hydrograph,
    replay_batches,
)
from crossrisk.domain.organisation import system_actor
from crossrisk.services import monitoring
from crossrisk.services.monitoring import IngestReport
from crossrisk.store.db import make_engine

MAX_FILE_BYTES = 64 * 1024 * 1024


def _read(file: str, *, what: str) -> str:
    if file == "-":
        return sys.stdin.read()
    path = Path(file)
    try:
        if path.stat().st_size > MAX_FILE_BYTES:
            fail(f"{file} is over {MAX_FILE_BYTES // (1024 * 1024)} MiB")
        return path.read_text("utf-8")
    except OSError as exc:
        fail(f"cannot read {what} {file}: {exc.strerror or exc}")
    except UnicodeDecodeError:
        fail(f"{what} {file} is not UTF-8 text")


@click.group()
def stations() -> None:
    """Monitoring stations (gauges, monitors, reporting units) and their trigger rules."""


@stations.command("load")
@click.argument("source")
def stations_load(source: str) -> None:
    """Add or update the stations of a station file (TOML), or of a bundled region (yrd)."""
    settings = settings_or_fail()
    bundled = monitoring.bundled_station_file(source) if "/" not in source else None
    text = bundled if bundled is not None else _read(source, what="station file")
    loaded = monitoring.load_stations(
        uow_for(settings), system_actor(), monitoring.read_station_file(text), now=now()
    )
    click.echo(
        f"stations: {len(loaded.added)} added, {len(loaded.changed)} changed, "
        f"{len(loaded.unchanged)} unchanged"
    )


@stations.command("refusals")
def stations_refusals() -> None:
    """Count the observations refused (unknown station, wrong unit, impossible value…)."""
    counts = monitoring.refusal_counts(uow_for(settings_or_fail()), system_actor())
    for count in counts:
        click.echo(f"{count.count:>8}  {count.reason:<40} {count.station_code or '(unknown)'}")
    if not counts:
        click.echo("no observation refused")


@stations.command("list")
@click.option("--region", "region_code", default=None, help="Only this region's stations.")
def stations_list(region_code: str | None) -> None:
    """List stations with their last observation and the level they last fired at."""
    settings = settings_or_fail()
    views = monitoring.list_stations(uow_for(settings), system_actor(), region_code=region_code)
    if not views:
        click.echo("no stations")
        return
    for view in views:
        s = view.station
        last = (
            f"{view.last.value:g} {s.unit} at {view.last.observed_at.isoformat()}"
            if view.last is not None
            else "no observation yet"
        )
        fired = (
            f"fired {view.state.fired_level.key} (risk {view.state.open_risk_id})"
            if view.state.fired_level is not None
            else "not fired"
        )
        click.echo(f"{s.code:<16} {s.jurisdiction_code}  {s.name_zh}  {last}  {fired}")


@click.group()
def ingest() -> None:
    """Observations in: from a JSON-lines file or an MQTT subscription."""


@ingest.command("file")
@click.argument("file")
def ingest_file(file: str) -> None:
    """Store the observations of a JSON-lines FILE ("-": standard input) as the operator."""
    settings = settings_or_fail()
    text = _read(file, what="observation file")
    lines = len(batch_lines(text))
    if lines == 0:
        fail(f"{file} holds no observations")
    if lines > MAX_BATCH_LINES:
        fail(f"{file} holds {lines} observations; split it into files of {MAX_BATCH_LINES}")
    report = monitoring.ingest(
        uow_for(settings), system_actor("cli"), text, source="file", now=now()
    )
    if report.accepted == 0:
        fail(_nothing_stored(report))
    _print_report(report)


@ingest.command("mqtt")
@click.option("--topic", default=None, help="Topic filter (default: <prefix>/+/observations/#).")
@click.option(
    "--client-id",
    default="crossrisk-ingest",
    show_default=True,
    help="Fixed id: the broker keeps this session's messages while the ingest is down.",
)
def ingest_mqtt(topic: str | None, client_id: str) -> None:
    """Subscribe to observations over MQTT (QoS 1) and store them until interrupted."""
    from crossrisk.ingest.mqtt import default_topic, run_mqtt_ingest

    settings = settings_or_fail()
    stop = stop_on_signals()
    click.echo(
        f"MQTT ingest from {settings.mqtt_host}:{settings.mqtt_port} "
        f"topic {topic or default_topic(settings)} as {client_id}; Ctrl-C to stop"
    )
    try:
        run_mqtt_ingest(
            settings,
            make_engine(settings.database_url),
            stop=stop,
            topic=topic,
            client_id=client_id,
            on_batch=lambda r: click.echo(
                f"stored {r.stored}, duplicates {r.duplicates}, refused {len(r.refused)}"
                + "".join(f"; {f.station} {f.level.key} {f.action}" for f in r.fired)
            ),
        )
    except OSError as exc:
        fail(f"cannot reach the MQTT broker at {settings.mqtt_host}:{settings.mqtt_port}: {exc}")


@click.command()
@click.argument("file")
@click.option(
    "--speed",
    default=60.0,
    show_default=True,
    type=click.FloatRange(min=0),
    help="Hydrograph minutes per real minute; 0 feeds every point at once.",
)
@click.option("--start", default=None, help="Time of the first point (ISO 8601); default now.")
def replay(file: str, speed: float, start: str | None) -> None:
    """Feed a hydrograph CSV (station,minutes,value,unit) through the ingest, time-shifted.

    Each point is stamped at start + its minutes and sent when that much time, divided by
    the speed, has passed; the risk register sees them as any station's observations.
    """
    settings = settings_or_fail()
    points = read_hydrograph(_read(_hydrograph_path(file), what="hydrograph"))
    begin = _start(start)
    uow = uow_for(settings)
    actor = system_actor("replay")
    origin = time.monotonic()
    total = IngestReport(0, 0, 0, (), (), ())
    for minutes, records in replay_batches(points, start=begin):
        if speed > 0:
            time.sleep(max(0.0, origin + minutes * 60 / speed - time.monotonic()))
        # The stamps run ahead of the clock when the replay is faster than real time.
        report = monitoring.ingest(uow, actor, records, source="replay", now=now(), max_ahead=None)
        if report.accepted == 0:
            fail(f"at minute {minutes:g}: {_nothing_stored(report)}")
        for fired in report.fired:
            click.echo(
                f"+{minutes:g} min  {fired.station} {fired.level.key}: {fired.action}"
                + (f" risk {fired.risk_id}" if fired.risk_id is not None else "")
                + (f" ({fired.detail})" if fired.detail else "")
            )
        total = IngestReport(
            total.received + report.received,
            total.stored + report.stored,
            total.duplicates + report.duplicates,
            (),
            total.refused + report.refused,
            total.fired + report.fired,
        )
    click.echo(
        f"replayed {total.received} points from {begin.isoformat()}: stored {total.stored}, "
        f"duplicates {total.duplicates}, refused {len(total.refused)}, "
        f"firings acted on {len(total.fired)}"
    )


def _hydrograph_path(file: str) -> str:
    # The demo's hydrographs ship with the package: their bare name is enough.
    if not Path(file).exists() and "/" not in file:
        bundled = resources.files("crossrisk.data").joinpath(f"demo/{file}")
        if bundled.is_file():
            return str(bundled)
    return file


def _start(value: str | None) -> datetime:
    if value is None:
        return now().replace(microsecond=0)
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        fail(f"--start {value!r} is not an ISO 8601 time (e.g. 2026-07-01T08:00+08:00)")
    if moment.tzinfo is None:
        fail(f"--start {value!r} needs its UTC offset (e.g. +08:00)")
    return moment.astimezone(UTC)


def _print_report(report: IngestReport) -> None:
    click.echo(
        f"stored {report.stored}, duplicates {report.duplicates}, refused {len(report.refused)}"
    )
    for refusal in report.refused:
        click.echo(f"line {refusal.line}: {refusal.key}: {refusal.message}", err=True)
    for fired in report.fired:
        click.echo(f"{fired.station} fired {fired.level.key}: {fired.action} risk {fired.risk_id}")


def _nothing_stored(report: IngestReport) -> str:
    first = report.refused[0] if report.refused else None
    reason = f"line {first.line} {first.key}: {first.message}" if first else "empty batch"
    hint = (
        " (load the stations first: crossrisk stations load yrd)"
        if first and first.key == "observation-unknown-station"
        else ""
    )
    return f"no observation stored, {len(report.refused)} refused; {reason}{hint}"
