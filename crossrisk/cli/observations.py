"""Observations in: a JSON-lines file, an MQTT subscription, or a hydrograph replayed."""

from __future__ import annotations

import time
from datetime import UTC, datetime
from importlib import resources
from pathlib import Path

import click

from crossrisk.cli.support import (
    fail,
    now,
    read_text_file,
    settings_or_fail,
    stop_on_signals,
    uow_for,
)
from crossrisk.domain.monitoring.hydrograph import read_hydrograph
from crossrisk.domain.monitoring.observation import batch_lines, check_batch_size
from crossrisk.domain.organisation import system_actor
from crossrisk.ingest.mqtt import default_topic, run_mqtt_ingest
from crossrisk.services import firings, observations
from crossrisk.services import replay as replay_service
from crossrisk.services.firings import FiringOutcome
from crossrisk.services.observations import IngestReport
from crossrisk.store.db import make_engine


@click.group()
def ingest() -> None:
    """Observations in: from a JSON-lines file or an MQTT subscription."""


@ingest.command("file")
@click.argument("file")
def ingest_file(file: str) -> None:
    """Store the observations of a JSON-lines FILE ("-": standard input) as the operator."""
    settings = settings_or_fail()
    text = read_text_file(file, what="observation file")
    check_batch_size(len(batch_lines(text)))
    uow = uow_for(settings)
    report = observations.ingest(
        uow,
        system_actor("cli"),
        text,
        source="file",
        now=now(),
        stale_after=settings.stale_reading_window,
    )
    if report.accepted == 0:
        fail(_nothing_stored(report))
    _print_report(report, firings.act_on_queued(uow, report.queued, now=now()))


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
            on_batch=lambda r, fired: click.echo(
                f"stored {r.stored}, duplicates {r.duplicates}, refused {len(r.refused)}"
                + "".join(f"; {f.station} {f.level.key} {f.action}" for f in fired)
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
    points = read_hydrograph(read_text_file(_hydrograph_path(file), what="hydrograph"))
    begin = _start(start)
    origin = time.monotonic()

    def step(minutes: float, _report: IngestReport, fired: list[FiringOutcome]) -> None:
        for outcome in fired:
            click.echo(f"+{minutes:g} min  {outcome.station} {_outcome_line(outcome)}")

    total = replay_service.replay_hydrograph(
        uow_for(settings),
        system_actor("replay"),
        points,
        start=begin,
        speed=speed,
        elapsed=lambda: time.monotonic() - origin,
        wait=time.sleep,
        clock=now,
        on_step=step,
    )
    click.echo(
        f"replayed {total.received} points from {begin.isoformat()}: stored {total.stored}, "
        f"duplicates {total.duplicates}, refused {total.refused}, "
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


def _outcome_line(outcome: FiringOutcome) -> str:
    return (
        f"{outcome.level.key}: {outcome.action}"
        + (f" risk {outcome.risk_id}" if outcome.risk_id is not None else "")
        + (f" ({outcome.detail})" if outcome.detail else "")
    )


def _print_report(report: IngestReport, fired: list[FiringOutcome]) -> None:
    click.echo(
        f"stored {report.stored}, duplicates {report.duplicates}, refused {len(report.refused)}"
        + (f"; {report.stale} too old to fire anything" if report.stale else "")
    )
    for refusal in report.refused:
        click.echo(f"line {refusal.line}: {refusal.key}: {refusal.message}", err=True)
    for outcome in fired:
        click.echo(f"{outcome.station} fired {_outcome_line(outcome)}")


def _nothing_stored(report: IngestReport) -> str:
    first = report.refused[0] if report.refused else None
    reason = f"line {first.line} {first.key}: {first.message}" if first else "empty batch"
    hint = (
        " (load the stations first: crossrisk stations load yrd)"
        if first and first.key == "observation-unknown-station"
        else ""
    )
    return f"no observation stored, {len(report.refused)} refused; {reason}{hint}"
