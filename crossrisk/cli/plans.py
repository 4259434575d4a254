"""`crossrisk plan list|import|export|activate`: contingency plans (风险防控预案) from the shell."""

from __future__ import annotations

from pathlib import Path

import click

from crossrisk.cli.support import fail, now, read_text_file, settings_or_fail, uow_for
from crossrisk.domain.organisation import Actor, system_actor
from crossrisk.services import plan_activation, plans, users
from crossrisk.store.uow import UnitOfWork

ID_MAX = 2**31 - 1
AS_HELP = "Act as this user (default: the platform)."


@click.group("plan")
def plan() -> None:
    """Contingency plans: list, import and export YAML, activate one for a risk."""


def _acting(username: str | None) -> tuple[UnitOfWork, Actor]:
    uow = uow_for(settings_or_fail())
    actor = system_actor("cli") if username is None else users.acting_as(uow, username)
    return uow, actor


def _id(value: str, what: str) -> int:
    """An id as typed, or one line and exit 2."""
    if not value.isascii() or not value.isdigit() or len(value) > 10 or int(value) > ID_MAX:
        fail(f"a {what} id is a whole number from 0 to {ID_MAX}, not {value[:40]!r}")
    return int(value)


@plan.command("list")
@click.option("--region", "region_code", default="yrd", show_default=True)
@click.option("--as", "username", default=None, help=AS_HELP)
def plan_list(region_code: str, username: str | None) -> None:
    """The default plan and every version of the region's plans, one per line."""
    uow, actor = _acting(username)
    click.echo("id\tcode\tversion\tjurisdiction\thazard_types\tname")
    for found in plans.list_plans(uow, actor, region_code):
        p = found.plan
        hazards = ",".join(sorted(p.conditions.hazard_types)) or "*"
        click.echo(
            f"{p.id}\t{p.code}\t{p.version}\t{p.jurisdiction_code or '-'}\t{hazards}\t{p.name_en}"
        )


@plan.command("import")
@click.argument("file")
@click.option("--region", "region_code", default="yrd", show_default=True)
@click.option("--note", default="", help="Why this version (kept with it).")
@click.option("--as", "username", default=None, help=AS_HELP)
def plan_import(file: str, region_code: str, note: str, username: str | None) -> None:
    """Import FILE (YAML; "-" reads standard input) as a plan of the region, or its next
    version; every problem is reported with its line and nothing is written."""
    document = read_text_file(file, what="plan")
    uow, actor = _acting(username)
    saved = plans.import_plan(uow, actor, region_code, document, note=note, now=now())
    click.echo(f"plan {saved.plan.id} · {saved.plan.code} version {saved.plan.version}")


@plan.command("export")
@click.argument("plan_id")
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), default=None)
@click.option("--as", "username", default=None, help=AS_HELP)
def plan_export(plan_id: str, out: Path | None, username: str | None) -> None:
    """Write plan PLAN_ID's YAML (0: the bundled default) to --out or standard output."""
    uow, actor = _acting(username)
    found = plans.get_plan(uow, actor, _id(plan_id, "plan"))
    if out is None:
        click.echo(found.document, nl=False)
        return
    try:
        out.write_text(found.document, "utf-8")
    except OSError as error:
        fail(f"cannot write {out}: {error.strerror or error}")


@plan.command("activate")
@click.argument("risk_id")
@click.argument("plan_id")
@click.option("--reason", required=True, help="Why this plan (journaled).")
@click.option("--as", "username", default=None, help=AS_HELP)
def plan_activate(risk_id: str, plan_id: str, reason: str, username: str | None) -> None:
    """Make PLAN_ID the plan of RISK_ID and redraw its responsibility list."""
    uow, actor = _acting(username)
    chosen = plan_activation.activate_plan(
        uow, actor, _id(risk_id, "risk"), _id(plan_id, "plan"), reason=reason, now=now()
    )
    click.echo(f"risk {risk_id} · plan {chosen.plan.id} {chosen.plan.code} v{chosen.plan.version}")
