"""Regions: loading a bundled region or any region GeoJSON."""

from __future__ import annotations

import json
from pathlib import Path

import click

from crossrisk.cli.support import beijing_time, fail, now, settings_or_fail, uow_for
from crossrisk.data import bundled_region_path
from crossrisk.domain.organisation import system_actor
from crossrisk.domain.region import read_region_spec
from crossrisk.domain.responsibility import RegionState
from crossrisk.services import region_state, users
from crossrisk.services import regions as region_service
from crossrisk.services.region_state import StateRecord
from crossrisk.settings import Settings
from crossrisk.store.db import migrate

BUNDLED_REGIONS = ("yrd",)


@click.group()
def region() -> None:
    """Regions: their jurisdictions, boundaries and membership."""


@region.command("load")
@click.argument("source")
@click.option("--code", default=None, help="Region code, if the file names none.")
def region_load(source: str, code: str | None) -> None:
    """Load a bundled region (yrd) or any region GeoJSON FeatureCollection."""
    settings = settings_or_fail()
    migrate(settings.database_url)
    load_region(settings, source, code=code)


def load_region(settings: Settings, source: str, *, code: str | None) -> None:
    """Load a region with a progress bar and print what it holds."""
    path = bundled_region_path(source) if source in BUNDLED_REGIONS else Path(source)
    if not path.is_file():
        fail(f"no region file at {path}")
    try:
        collection = json.loads(path.read_text("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        fail(f"{path} is not JSON: {exc}")
    spec = read_region_spec(collection, region_code=code)
    steps = 2 + len(spec.jurisdictions)  # index, adjacency, then each jurisdiction
    with click.progressbar(length=steps, label=f"loading region {spec.code}") as bar:
        loaded = region_service.load_region(
            uow_for(settings),
            system_actor(),
            spec,
            now=now(),
            progress=lambda _step: bar.update(1),
        )
    click.echo(
        f"region {loaded.code}: {loaded.jurisdictions} jurisdictions, {loaded.members} members, "
        f"{loaded.adjacent_pairs} neighbouring pairs, {loaded.organisations} organisations"
    )


@region.command("state")
@click.argument("state", required=False, type=click.Choice([s.value for s in RegionState]))
@click.option("--region", "region_code", default=None, help="Region code (default: the only one).")
@click.option("--reason", default="", help="Why the state changes (required to switch).")
@click.option("--as", "username", default=None, help="Act as this user (a committee officer).")
def region_state_command(
    state: str | None, region_code: str | None, reason: str, username: str | None
) -> None:
    """Show the region's state, or switch it to normal or emergency (常态 / 应急态)."""
    uow = uow_for(settings_or_fail())
    actor = system_actor("cli") if username is None else users.acting_as(uow, username)
    if region_code is None:
        # A committee officer's own region, else the only region loaded.
        codes = sorted(actor.region_codes) or [
            r.code for r in region_service.readable_regions(uow, actor)
        ]
        if len(codes) != 1:
            fail(f"name the region with --region (loaded: {', '.join(codes) or 'none'})")
        region_code = codes[0]
    if state is None:
        _echo_state(region_state.current_state(uow, actor, region_code))
        return
    if username is None:
        fail("only a committee officer switches the region's state: name one with --as")
    switched = region_state.switch_state(
        uow, actor, region_code, RegionState(state), reason=reason, now=now()
    )
    _echo_state(switched)


def _echo_state(record: StateRecord) -> None:
    if record.since is None:
        click.echo(f"{record.region_code}: {record.state.value}")
        return
    click.echo(
        f"{record.region_code}: {record.state.value} since {beijing_time(record.since)} "
        f"(by {record.changed_by}: {record.reason})"
    )
