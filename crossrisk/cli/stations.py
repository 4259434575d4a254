"""Stations (gauges, monitors, reporting units) and their trigger rules."""

from __future__ import annotations

import click

from crossrisk.cli.support import beijing_time, now, read_text_file, settings_or_fail, uow_for
from crossrisk.domain.organisation import system_actor
from crossrisk.services import observations
from crossrisk.services import stations as station_service


@click.group()
def stations() -> None:
    """Monitoring stations (gauges, monitors, reporting units) and their trigger rules."""


@stations.command("load")
@click.argument("source")
def stations_load(source: str) -> None:
    """Add or update the stations of a station file (TOML), or of a bundled region (yrd)."""
    settings = settings_or_fail()
    bundled = station_service.bundled_station_file(source) if "/" not in source else None
    text = bundled if bundled is not None else read_text_file(source, what="station file")
    loaded = station_service.load_stations(
        uow_for(settings), system_actor(), station_service.read_station_file(text), now=now()
    )
    click.echo(
        f"stations: {len(loaded.added)} added, {len(loaded.changed)} changed, "
        f"{len(loaded.unchanged)} unchanged"
    )


@stations.command("refusals")
def stations_refusals() -> None:
    """Count the observations refused (unknown station, wrong unit, impossible value…)."""
    counts = observations.refusal_counts(uow_for(settings_or_fail()), system_actor())
    for count in counts:
        click.echo(f"{count.count:>8}  {count.reason:<40} {count.station_code or '(unknown)'}")
    if not counts:
        click.echo("no observation refused")


@stations.command("list")
@click.option("--region", "region_code", default=None, help="Only this region's stations.")
def stations_list(region_code: str | None) -> None:
    """List stations with their last observation and the level they last fired at."""
    views = station_service.list_stations(
        uow_for(settings_or_fail()), system_actor(), region_code=region_code
    )
    if not views:
        click.echo("no stations")
        return
    for view in views:
        s = view.station
        last = (
            f"{view.last.value:g} {s.unit} at {beijing_time(view.last.observed_at)}"
            if view.last is not None
            else "no observation yet"
        )
        fired = (
            f"fired {view.state.fired_level.key} (risk {view.state.open_risk_id})"
            if view.state.fired_level is not None
            else "not fired"
        )
        click.echo(f"{s.code:<16} {s.jurisdiction_code}  {s.name_zh}  {last}  {fired}")
