"""`crossrisk drill …`: check, run, list and show drills (演练), and print a scenario's schema."""

from __future__ import annotations

import json
import time
from pathlib import Path

import click

from crossrisk.cli.support import (
    beijing_time,
    fail,
    now,
    read_text_file,
    settings_or_fail,
    uow_for,
)
from crossrisk.data import bundled_drill_path, drill_scenario_schema
from crossrisk.domain.drills.drill import Drill, parse_speed
from crossrisk.domain.drills.scenario import TEXT_MAX_BYTES
from crossrisk.domain.organisation import system_actor
from crossrisk.services import drills
from crossrisk.services.drill_review import drill_review

ID_MAX = 2**31 - 1


def _scenario_text(file: str) -> str:
    # The bundled scenarios answer to their bare name: `crossrisk drill run xinan_styrene`.
    path = Path(file)
    if not path.exists() and "/" not in file:
        bundled = bundled_drill_path(file.removesuffix(".yaml"))
        if bundled is not None:
            path = bundled
    return read_text_file(str(path), what="scenario", max_bytes=TEXT_MAX_BYTES)


def _line(drill: Drill) -> str:
    speed = "max" if drill.speed is None else f"{drill.speed:g}"
    ended = f" · ended {beijing_time(drill.ended_at)}" if drill.ended_at else ""
    return (
        f"drill {drill.id} · {drill.state.value} · {drill.code} · speed {speed} · "
        f"started {beijing_time(drill.started_at)}{ended} · {drill.title_zh}"
    )


@click.group("drill")
def drill() -> None:
    """Drills: a scenario replayed through the services on a virtual clock (演练)."""


@drill.command("check")
@click.argument("file")
@click.option("--region", default=None, help="Check it for this region instead of its own.")
def check(file: str, region: str | None) -> None:
    """Print every problem of a scenario file, by line; exit 2 when it has any."""
    text = _scenario_text(file)
    found = drills.check_scenario(uow_for(settings_or_fail()), text, region=region)
    if isinstance(found, list):
        for problem in found:
            click.echo(problem.message)
        fail(f"{len(found)} problem(s) in {file}")
    click.echo(
        f"{found.code}: {len(found.hazards)} hazard(s), {len(found.readings)} reading(s), "
        f"{len(found.reports)} report(s), {len(found.aid_requests)} aid request(s) "
        f"over {found.duration} min in {found.region_code}"
    )


@drill.command("schema")
def schema() -> None:
    """Print the JSON Schema of a scenario file, for editors that check YAML against one."""
    click.echo(drill_scenario_schema(), nl=False)


@drill.command("run")
@click.argument("file")
@click.option("--speed", default="max", show_default=True, help="N times real time, or max.")
@click.option("--json", "as_json", is_flag=True, help="Print the after-action review as JSON.")
@click.option("--region", default=None, help="Run it in this region instead of its own.")
def run(file: str, speed: str, as_json: bool, region: str | None) -> None:
    """Replay a scenario: every message marked as a drill, nothing sent outside."""
    try:
        factor = parse_speed(speed[:40])
    except ValueError:
        fail(f"speed {speed[:40]!r} is not a number above 0 (at most 100000) or max")
    text = _scenario_text(file)
    settings = settings_or_fail()
    uow = uow_for(settings)
    origin = time.monotonic()
    page = f"{settings.address.rstrip('/')}/drills"

    def started(drill: Drill) -> None:
        # At speed N the replay takes duration / N: say where to follow it meanwhile.
        if factor is not None:
            minutes = drill.duration_minutes / factor
            click.echo(
                f"drill {drill.id} running for {minutes:.1f} min of real time; "
                f"follow it at {page}/{drill.id}",
                err=True,
            )

    done = drills.run_drill(
        uow,
        system_actor("drill"),
        text,
        speed=factor,
        pace=drills.Pace(clock=now, wait=time.sleep, elapsed=lambda: time.monotonic() - origin),
        region_code=region,
        started=started,
    )
    if as_json:
        with uow.read_only() as tx:
            review = drill_review(tx, done, now=now())
        click.echo(json.dumps(review, ensure_ascii=False, indent=2))
    else:
        click.echo(_line(done))
        click.echo(f"see {page}/{done.id}")
    if done.failure:
        click.echo(f"error: the drill failed: {done.failure}", err=True)
        raise SystemExit(1)


@drill.command("list")
def list_command() -> None:
    """The drills, newest first."""
    for found in drills.list_drills(uow_for(settings_or_fail()), system_actor("cli")):
        click.echo(_line(found))


@drill.command("show")
@click.argument("drill_id")
@click.option("--json", "as_json", is_flag=True, help="The after-action review as JSON.")
def show(drill_id: str, as_json: bool) -> None:
    """One drill, its risks and its timeline (or its review as JSON)."""
    if not drill_id.isascii() or not drill_id.isdigit() or not 1 <= int(drill_id[:12]) <= ID_MAX:
        fail(f"no drill {drill_id[:20]!r}: an id is a whole number from 1 to {ID_MAX}")
    record = drills.drill_record(
        uow_for(settings_or_fail()), system_actor("cli"), int(drill_id), now=now()
    )
    if as_json:
        click.echo(json.dumps(record.review, ensure_ascii=False, indent=2))
        return
    click.echo(_line(record.drill))
    for risk in record.risks:
        click.echo(f"  risk {risk.id} · {risk.status.value} · {risk.level.value} · {risk.title}")
    for entry in record.timeline:
        click.echo(f"  {beijing_time(entry.at)}  {entry.actor:<28} {entry.action}")
