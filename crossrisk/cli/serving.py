"""Setting the platform up and running it: init, serve, demo and the worker."""

from __future__ import annotations

import errno
import json
import os
import secrets
import socket

import click

from crossrisk.cli.journal import platform_key_or_fail
from crossrisk.cli.regions import load_region
from crossrisk.cli.support import (
    fail,
    now,
    safe_url,
    settings_or_fail,
    stop_on_signals,
    uow_for,
)
from crossrisk.data import bundled_demo_path, bundled_region_path
from crossrisk.delivery.configured import channels_from_settings, close_all
from crossrisk.domain.organisation import system_actor
from crossrisk.domain.region import read_region_spec
from crossrisk.http.slow_clients import header_timeout_protocol
from crossrisk.services import demo as demo_service
from crossrisk.services import regions as region_service
from crossrisk.services.worker import Worker
from crossrisk.settings import Settings, private_value
from crossrisk.store.db import make_engine, migrate
from crossrisk.store.uow import UnitOfWork


@click.command()
@click.option(
    "--region",
    "region_name",
    default="yrd",
    show_default=True,
    help="Bundled region to load, or a path to a region GeoJSON; 'none' to skip.",
)
def init(region_name: str) -> None:
    """Create or upgrade the database schema and load the bundled region."""
    settings = settings_or_fail()
    migrate(settings.database_url)
    click.echo(f"database ready: {safe_url(settings.database_url)}")
    if region_name != "none":
        load_region(settings, region_name, code=None)


@click.command()
@click.option("--host", default=None, help="Address to listen on (default: from CROSSRISK_BIND).")
@click.option(
    "--port",
    default=None,
    type=click.IntRange(1, 65535),
    help="Port to listen on (default: from CROSSRISK_BIND).",
)
@click.option(
    "--workers",
    default=1,
    show_default=True,
    type=click.IntRange(1, 64),
    help="Server processes behind the one address.",
)
def serve(host: str | None, port: int | None, workers: int) -> None:
    """Serve the API and pages at --host/--port, else CROSSRISK_BIND."""
    import uvicorn

    if host is not None or port is not None:
        _bind_to(host, port)
    settings = settings_or_fail()
    # Before anything is printed or migrated: a second `serve` on a taken port says so in
    # one line instead of a page of start-up log ending in uvicorn's bind error.
    _require_free(settings.host, settings.port)
    migrate(settings.database_url)
    click.echo(f"crossrisk at {settings.address} (API docs at {settings.address}api/docs)")
    uvicorn.run(
        "crossrisk.asgi:app",
        host=settings.host,
        port=settings.port,
        workers=workers,
        log_level="info",
        proxy_headers=True,
        http=header_timeout_protocol(settings.header_timeout),
    )


def _bind_to(host: str | None, port: int | None) -> None:
    # The server processes read their settings from the environment (crossrisk.asgi), so
    # the flags become CROSSRISK_BIND for them too: the address, and links built from it,
    # are the ones served.
    current = settings_or_fail()
    host = current.host if host is None else host.strip("[]")
    port = current.port if port is None else port
    os.environ["CROSSRISK_BIND"] = f"[{host}]:{port}" if ":" in host else f"{host}:{port}"


def _require_free(host: str, port: int) -> None:
    """One line and exit 2 unless this process could listen at host:port now."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE)
    except OSError as error:
        fail(f"cannot listen at {host}:{port}: {error.strerror or error}")
    family, kind, proto, _name, address = infos[0]
    with socket.socket(family, kind, proto) as probe:
        # As uvicorn binds: a port left in TIME_WAIT by a stopped server is free.
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind(address)
        except OSError as error:
            if error.errno == errno.EADDRINUSE:
                fail(f"port {port} at {host} is taken by another program; choose another --port")
            fail(f"cannot listen at {host}:{port}: {error.strerror or error}")


@click.command()
@click.option(
    "--serve/--no-serve",
    "then_serve",
    default=True,
    show_default=True,
    help="Start the server after seeding.",
)
def demo(then_serve: bool) -> None:
    """Set up the bundled region with demo accounts and serve it."""
    settings = settings_or_fail()
    migrate(settings.database_url)
    uow = uow_for(settings)
    # A newer package may bundle newer data: reload when the stored region differs.
    bundled = read_region_spec(json.loads(bundled_region_path("yrd").read_text("utf-8")))
    if not region_service.is_loaded_as(uow, bundled):
        load_region(settings, "yrd", code=None)
    password = _demo_password(settings)
    accounts = demo_service.demo_accounts(uow, region_code="yrd")
    with click.progressbar(accounts, label="demo accounts") as bar:
        for account in bar:
            demo_service.seed_demo_account(
                uow, system_actor("demo"), account, password=password, now=now()
            )
    stations = demo_service.seed_demo_stations(
        uow, system_actor("demo"), region_code="yrd", now=now()
    )
    stocks = demo_service.seed_demo_stocks(uow, system_actor("demo"), region_code="yrd", now=now())
    click.echo("")
    if stocks is not None:
        click.echo(f"Demo stocks: {stocks.created} records imported; see /aid/stocks")
    if stations is not None:
        click.echo(
            f"Demo stations: {len(stations.added) + len(stations.changed)} loaded, "
            f"{len(stations.unchanged)} unchanged; replay a flood with "
            f"`crossrisk replay {bundled_demo_path('xinan_flood_hydrograph.csv')}`"
        )
    click.echo(f"Demo accounts (password for all: {password}):")
    for account in accounts:
        click.echo(f"  {account.username:<34} {account.name_zh}  {account.name_en}")
    click.echo("")
    click.echo(
        f"Open {settings.address} and log in, e.g. as officer-341000 (黄山市) or yrd-committee."
    )
    if then_serve:
        import uvicorn

        os.environ["CROSSRISK_DEMO"] = "1"
        uvicorn.run(
            "crossrisk.asgi:app",
            host=settings.host,
            port=settings.port,
            log_level="warning",
            http=header_timeout_protocol(settings.header_timeout),
        )


@click.command("worker")
@click.option("--once", is_flag=True, help="One pass over every job, then exit.")
def worker(once: bool) -> None:
    """Deliver queued warnings, act on queued firings and keep deadlines (beside serve)."""
    settings = settings_or_fail()
    migrate(settings.database_url)
    engine = make_engine(settings.database_url)
    channels = channels_from_settings(settings)
    runner = Worker(UnitOfWork(engine), channels, signing_key=platform_key_or_fail(settings))
    try:
        if once:
            done = runner.run_once()
            click.echo(
                f"{done.attempts} delivery attempts; {done.firings} firings acted on; "
                f"{done.sweep.reminded} reminded, {done.sweep.escalated} escalated, "
                f"{done.sweep.expired} expired; {done.checkpoints} journal checkpoints issued; "
                f"{done.duty_reminders} duties reminded"
            )
            return
        stop = stop_on_signals()
        runner.start()
        click.echo("crossrisk worker running; Ctrl-C stops it")
        stop.wait()
        runner.stop()
    finally:
        close_all(channels)
        engine.dispose()


def _demo_password(settings: Settings) -> str:
    # One password for every demo account, printed at each start; readable by its owner only.
    return private_value(
        settings.data_dir / "demo_password", lambda: "demo-" + secrets.token_hex(4)
    )
