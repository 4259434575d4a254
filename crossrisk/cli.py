"""Command line: set-up, serving, regions, users and the journal."""

from __future__ import annotations

import getpass
import json
import secrets
import sys
from importlib import resources
from pathlib import Path
from typing import Any

import click

from crossrisk.alerts.cap import MAX_CAP_BYTES
from crossrisk.cli_support import fail, uow_for
from crossrisk.cli_support import now as _now
from crossrisk.cli_support import settings_or_fail as _settings
from crossrisk.cli_tables import format_what_if
from crossrisk.domain.analysis import analysis_record
from crossrisk.domain.delivery import ChannelConfig
from crossrisk.domain.errors import CrossriskError
from crossrisk.domain.organisation import Role, system_actor
from crossrisk.domain.region import read_region_spec
from crossrisk.domain.risk import RiskDraft, parse_category
from crossrisk.services import analysis as analysis_service
from crossrisk.services import cap_import as cap_import_service
from crossrisk.services import delivery as delivery_service
from crossrisk.services import demo as demo_service
from crossrisk.services import journal as journal_service
from crossrisk.services import regions as region_service
from crossrisk.services import users as user_service
from crossrisk.settings import Settings
from crossrisk.store.db import migrate

BUNDLED_REGIONS = ("yrd",)


class CrossriskGroup(click.Group):
    """Turns every expected failure into one line on stderr and exit status 2."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except CrossriskError as error:
            fail(error.detail)


def bundled_region_path(name: str) -> Path:
    """Path of a region that ships with the package."""
    return Path(
        str(resources.files("crossrisk.data").joinpath(f"regions/{name}/jurisdictions.geojson"))
    )


@click.group(cls=CrossriskGroup)
@click.version_option(package_name="crossrisk")
def main() -> None:
    """crossrisk — cross-jurisdiction risk governance (城市跨域风险协同治理)."""


@main.command()
@click.option(
    "--region",
    "region_name",
    default="yrd",
    show_default=True,
    help="Bundled region to load, or a path to a region GeoJSON; 'none' to skip.",
)
def init(region_name: str) -> None:
    """Create or upgrade the database schema and load the bundled region."""
    settings = _settings()
    migrate(settings.database_url)
    click.echo(f"database ready: {_safe_url(settings.database_url)}")
    if region_name != "none":
        _load_region(settings, region_name, code=None)


@main.command()
@click.option(
    "--workers",
    default=1,
    show_default=True,
    type=click.IntRange(1, 64),
    help="Server processes behind the one address.",
)
def serve(workers: int) -> None:
    """Serve the API and pages at CROSSRISK_BIND."""
    import uvicorn

    settings = _settings()
    migrate(settings.database_url)
    click.echo(f"crossrisk at {settings.address} (API docs at {settings.address}api/docs)")
    uvicorn.run(
        "crossrisk.asgi:app",
        host=settings.host,
        port=settings.port,
        workers=workers,
        log_level="info",
        proxy_headers=True,
    )


@main.command()
@click.option(
    "--serve/--no-serve",
    "then_serve",
    default=True,
    show_default=True,
    help="Start the server after seeding.",
)
def demo(then_serve: bool) -> None:
    """Set up the bundled region with demo accounts and serve it."""
    settings = _settings()
    migrate(settings.database_url)
    uow = uow_for(settings)
    # A newer package may bundle newer data: reload when the stored region differs.
    bundled = read_region_spec(json.loads(bundled_region_path("yrd").read_text("utf-8")))
    if not region_service.is_loaded_as(uow, bundled):
        _load_region(settings, "yrd", code=None)
    password = _demo_password(settings)
    accounts = demo_service.demo_accounts(uow, region_code="yrd")
    with click.progressbar(accounts, label="demo accounts") as bar:
        for account in bar:
            demo_service.seed_demo_account(
                uow, system_actor("demo"), account, password=password, now=_now()
            )
    stations = demo_service.seed_demo_stations(
        uow, system_actor("demo"), region_code="yrd", now=_now()
    )
    click.echo("")
    if stations is not None:
        click.echo(
            f"Demo stations: {len(stations.added) + len(stations.changed)} loaded, "
            f"{len(stations.unchanged)} unchanged; replay a flood with "
            "`crossrisk replay xinan_flood_hydrograph.csv`"
        )
    click.echo(f"Demo accounts (password for all: {password}):")
    for account in accounts:
        click.echo(f"  {account.username:<34} {account.name_zh}  {account.name_en}")
    click.echo("")
    click.echo(
        f"Open {settings.address} and log in, e.g. as officer-341000 (黄山市) or yrd-committee."
    )
    if then_serve:
        import os

        import uvicorn

        os.environ["CROSSRISK_DEMO"] = "1"
        uvicorn.run(
            "crossrisk.asgi:app", host=settings.host, port=settings.port, log_level="warning"
        )


@main.group()
def region() -> None:
    """Regions: their jurisdictions, boundaries and membership."""


@region.command("load")
@click.argument("source")
@click.option("--code", default=None, help="Region code, if the file names none.")
def region_load(source: str, code: str | None) -> None:
    """Load a bundled region (yrd) or any region GeoJSON FeatureCollection."""
    settings = _settings()
    migrate(settings.database_url)
    _load_region(settings, source, code=code)


@main.group()
def user() -> None:
    """Users of the platform."""


@user.command("add")
@click.argument("username")
@click.option("--org", "organisation", required=True, help="Organisation code, e.g. ema-330100.")
@click.option(
    "--role",
    type=click.Choice([r.value for r in Role]),
    default=Role.OFFICER.value,
    show_default=True,
)
@click.option("--name", "display_name", default="", help="Display name.")
@click.option("--password-stdin", is_flag=True, help="Read the password from standard input.")
def user_add(
    username: str, organisation: str, role: str, display_name: str, password_stdin: bool
) -> None:
    """Add a user to an organisation."""
    settings = _settings()
    if password_stdin:
        password = sys.stdin.readline().rstrip("\n")
    else:
        password = getpass.getpass("password: ")
    created = user_service.add_user(
        uow_for(settings),
        system_actor(),
        username=username,
        password=password,
        organisation_code=organisation,
        role=Role(role),
        display_name=display_name,
        now=_now(),
    )
    click.echo(f"user {created.username} added to {created.organisation.code} as {created.role}")


@main.group()
def journal() -> None:
    """The hash-chained journal."""


@journal.command("verify")
def journal_verify() -> None:
    """Recompute the chain; exit 1 and name the first broken entry if it does not hold."""
    settings = _settings()
    result = journal_service.verify_journal(uow_for(settings), system_actor())
    if result.ok:
        click.echo(f"journal intact: {result.entries} entries, head {result.head_hash}")
        return
    click.echo(f"journal broken at entry {result.first_broken_seq}: {result.problem}", err=True)
    sys.exit(1)


@main.group()
def cap() -> None:
    """CAP 1.2 alerts from other systems."""


@cap.command("import")
@click.argument("file")
def cap_import(file: str) -> None:
    """Receive a CAP 1.2 alert from FILE ("-": standard input) as the operator."""
    settings = _settings()
    if file == "-":
        xml = sys.stdin.buffer.read(MAX_CAP_BYTES + 1)
    else:
        path = Path(file)
        try:
            if path.stat().st_size > MAX_CAP_BYTES:
                fail(f"{file} is over {MAX_CAP_BYTES} bytes, the limit for a CAP message")
            xml = path.read_bytes()
        except OSError as exc:
            fail(f"cannot read {file}: {exc.strerror or exc}")
    receipt = cap_import_service.receive_cap(
        uow_for(settings), system_actor("cap-import"), xml, now=_now()
    )
    click.echo(receipt.summary())


@main.group()
def channels() -> None:
    """Delivery channels of recipient organisations (webhook, e-mail, MQTT)."""


@channels.command("add")
@click.argument("organisation")
@click.argument("kind")
@click.argument("address", default="")
@click.option("--secret", default=None, help="The webhook's signing key (16+ characters).")
@click.option("--secret-stdin", is_flag=True, help="Read the signing key from standard input.")
def channels_add(
    organisation: str, kind: str, address: str, secret: str | None, secret_stdin: bool
) -> None:
    """Add a channel: KIND webhook (URL), email (address) or mqtt (topic; '' = default)."""
    settings = _settings()
    if secret_stdin:
        secret = sys.stdin.readline().rstrip("\n")
    channel = delivery_service.add_channel(
        uow_for(settings),
        system_actor(),
        organisation_code=organisation,
        kind=kind,
        address=address,
        secret=secret,
        now=_now(),
    )
    click.echo(
        f"channel {channel.id} added to {channel.organisation_code}: {_channel_line(channel)}"
    )


@channels.command("list")
@click.argument("organisation")
def channels_list(organisation: str) -> None:
    """List an organisation's channels (secrets as fingerprints)."""
    settings = _settings()
    found = delivery_service.list_channels(uow_for(settings), system_actor(), organisation)
    if not found:
        click.echo(f"{organisation} has no delivery channel")
    for channel in found:
        click.echo(f"{channel.id:>5}  {_channel_line(channel)}")


@channels.command("remove")
@click.argument("channel_id", type=int)
def channels_remove(channel_id: int) -> None:
    """Remove a channel; messages still waiting for it are not sent."""
    settings = _settings()
    channel = delivery_service.remove_channel(
        uow_for(settings), system_actor(), channel_id, now=_now()
    )
    click.echo(f"channel {channel.id} removed from {channel.organisation_code}")


def _channel_line(channel: ChannelConfig) -> str:
    address = channel.address or "(the jurisdiction's default topic)"
    secret = f"  secret {channel.secret_fingerprint}" if channel.secret_fingerprint else ""
    return f"{channel.kind.value:<8} {address}{secret}"


@main.command()
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
    help="A model parameter, e.g. --param wind_speed_m_s=4 (repeatable).",
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
    settings = _settings()
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
        now=_now(),
    )
    if as_json:
        click.echo(json.dumps(analysis_record(result.analysis), ensure_ascii=False, indent=2))
        return
    click.echo(format_what_if(result))


def _load_region(settings: Settings, source: str, *, code: str | None) -> None:
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
            now=_now(),
            progress=lambda _step: bar.update(1),
        )
    click.echo(
        f"region {loaded.code}: {loaded.jurisdictions} jurisdictions, {loaded.members} members, "
        f"{loaded.adjacent_pairs} neighbouring pairs, {loaded.organisations} organisations"
    )


def _demo_password(settings: Settings) -> str:
    path = settings.data_dir / "demo_password"
    if path.exists():
        return path.read_text("utf-8").strip()
    password = "demo-" + secrets.token_hex(4)
    path.write_text(password, "utf-8")
    return password


def _safe_url(url: str) -> str:
    from sqlalchemy.engine import make_url

    return make_url(url).render_as_string(hide_password=True)


# Monitoring commands live in their own module; registered here so that `crossrisk` has them.
from crossrisk.cli_monitoring import ingest, replay, stations  # noqa: E402

main.add_command(stations)
main.add_command(ingest)
main.add_command(replay)

from crossrisk.cli_warnings import warnings_group, worker  # noqa: E402

main.add_command(warnings_group)
main.add_command(worker)
