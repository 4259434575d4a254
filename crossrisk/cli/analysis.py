"""The reach of a hypothetical hazard (what-if), stored nowhere."""

from __future__ import annotations

import json
from pathlib import Path

import click

from crossrisk.cli.support import fail, now, settings_or_fail, uow_for
from crossrisk.cli.tables import format_what_if
from crossrisk.domain.analysis import analysis_record
from crossrisk.domain.organisation import system_actor
from crossrisk.domain.risk import RiskDraft, parse_category
from crossrisk.services import analysis as analysis_service


@click.command()
@click.argument("hazard_file", type=click.Path(dir_okay=False))
@click.option(
    "--category",
    default="accident_disaster",
    show_default=True,
    help="Risk category, e.g. natural_disaster, public_health.",
)
@click.option(
    "--type",
    "hazard_type",
    default=None,
    help="Hazard type: area, river_spill, flood_wave, gas_release, smoke_plume, "
    "infectious_disease (default: area).",
)
@click.option(
    "--param",
    "params",
    multiple=True,
    metavar="NAME=VALUE",
    help="A model parameter, e.g. --param wind_speed_m_s=4 (repeatable). A river spill "
    "(--type river_spill) takes substance, mass_kg (or rate_kg_s with release_hours), "
    "release_hours (0: all at once), horizon_hours, limit_basis (surface_class_iii or "
    "drinking_water), source_fraction and snap_tolerance_km, e.g. --param substance=styrene "
    "--param mass_kg=20000 --param release_hours=2; a flood wave (--type flood_wave) takes "
    "pulse_hours, peak_discharge_m3_s, celerity_m_s, muskingum_x, min_peak_fraction and "
    "snap_tolerance_km.",
)
@click.option("--likelihood", default=3, show_default=True, type=int)
@click.option("--consequence", default=3, show_default=True, type=int)
@click.option("--region", "region_code", default="yrd", show_default=True)
@click.option("--json", "as_json", is_flag=True, help="Print the analysis as JSON.")
def reach(
    hazard_file: str,
    category: str,
    hazard_type: str | None,
    params: tuple[str, ...],
    likelihood: int,
    consequence: int,
    region_code: str,
    as_json: bool,
) -> None:
    """Compute the reach of a GeoJSON hazard without storing anything."""
    settings = settings_or_fail()
    try:
        geometry = json.loads(Path(hazard_file).read_text("utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        fail(f"cannot read a GeoJSON hazard from {hazard_file}: {exc}")
    parameters: dict[str, str] = {}
    for item in params:
        name, sep, value = item.partition("=")
        if not sep or not name.strip():
            fail(f"--param takes NAME=VALUE, got {item!r}")
        parameters[name.strip()] = value.strip()
    result = analysis_service.what_if(
        uow_for(settings),
        system_actor(),
        RiskDraft(
            category=parse_category(category),
            title="what-if",
            description="",
            hazard_geometry=geometry,
            likelihood=likelihood,
            consequence=consequence,
            hazard_type=hazard_type,
            parameters=parameters,
        ),
        region_code=region_code,
        now=now(),
    )
    if as_json:
        click.echo(json.dumps(analysis_record(result.analysis), ensure_ascii=False, indent=2))
        return
    click.echo(format_what_if(result))
