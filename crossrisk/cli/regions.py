"""Regions: loading a bundled region or any region GeoJSON."""

from __future__ import annotations

import json
from pathlib import Path

import click

from crossrisk.cli.support import fail, now, settings_or_fail, uow_for
from crossrisk.data import bundled_region_path
from crossrisk.domain.organisation import system_actor
from crossrisk.domain.region import read_region_spec
from crossrisk.services import regions as region_service
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
