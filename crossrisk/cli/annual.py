"""`crossrisk annual list|add|done`: the committee's annual plan and cooperation items."""

from __future__ import annotations

import click

from crossrisk.cli.support import fail, now, settings_or_fail, uow_for
from crossrisk.domain.annual import ID_MAX, YEAR_MAX, YEAR_MIN, AnnualItem, check_draft
from crossrisk.domain.moments import calendar_day
from crossrisk.domain.organisation import Actor, system_actor
from crossrisk.services import annual as annual_items
from crossrisk.services import users
from crossrisk.store.uow import UnitOfWork

AS_HELP = "Act as this user (default: the platform)."
REGION_HELP = "The region's code (default: the acting user's one region)."
YEAR = click.IntRange(YEAR_MIN, YEAR_MAX)


@click.group("annual")
def annual() -> None:
    """The annual plan and cooperation items (年度计划与合作事项)."""


def _acting(username: str | None) -> tuple[UnitOfWork, Actor]:
    uow = uow_for(settings_or_fail())
    actor = system_actor("cli") if username is None else users.acting_as(uow, username)
    return uow, actor


def _region(actor: Actor, region: str | None) -> str:
    if region:
        return region[:32]
    if len(actor.region_codes) != 1:
        fail("say which region with --region")
    (only,) = actor.region_codes
    return only


def _line(item: AnnualItem) -> str:
    shown = item.shown(now()).value
    serves = item.serves_link or ""
    return "\t".join(
        [
            str(item.id),
            str(item.year),
            item.kind.value,
            item.due.isoformat(),
            shown,
            item.owner_code,
            item.title,
            serves,
        ]
    )


@annual.command("list")
@click.option("--year", type=YEAR, required=True, help="The plan year.")
@click.option("--region", default=None, help=REGION_HELP)
@click.option("--as", "username", default=None, help=AS_HELP)
def list_items(year: int, region: str | None, username: str | None) -> None:
    """Print a region's items of YEAR, one a line: id, year, kind, due, status, owner, title."""
    uow, actor = _acting(username)
    for item in annual_items.items_of_year(uow, actor, _region(actor, region), year):
        click.echo(_line(item))


@annual.command("add")
@click.option("--year", type=YEAR, required=True, help="The plan year.")
@click.option("--kind", type=click.Choice(["plan", "cooperation"]), required=True)
@click.option("--title", required=True, help="The title in Chinese.")
@click.option("--title-en", default=None, help="The title in English.")
@click.option("--description", default="")
@click.option("--owner", required=True, help="The owner organisation's code.")
@click.option("--due", required=True, help="The due day, YYYY-MM-DD (Beijing).")
@click.option("--serves-kind", type=click.Choice(["agreement", "plan"]), default=None)
@click.option("--serves-id", type=click.IntRange(1, ID_MAX), default=None)
@click.option("--region", default=None, help=REGION_HELP)
@click.option("--as", "username", default=None, help=AS_HELP)
def add(
    year: int,
    kind: str,
    title: str,
    title_en: str | None,
    description: str,
    owner: str,
    due: str,
    serves_kind: str | None,
    serves_id: int | None,
    region: str | None,
    username: str | None,
) -> None:
    """Set an item of the year; its owner gets a duty that reminds it."""
    day = calendar_day(due[:20], "due")
    if day is None:
        fail("--due must be a date as YYYY-MM-DD")
    draft = check_draft(
        year=year,
        kind=kind,
        title=title,
        title_en=title_en,
        description=description,
        owner_code=owner,
        due=day,
        serves_kind=serves_kind,
        serves_id=serves_id,
    )
    uow, actor = _acting(username)
    item = annual_items.add_item(uow, actor, _region(actor, region), draft, now=now())
    click.echo(_line(item))


@annual.command("done")
@click.argument("item_id", type=click.IntRange(1, 2**31 - 1))
@click.option("--as", "username", default=None, help=AS_HELP)
def done(item_id: int, username: str | None) -> None:
    """Mark item ITEM_ID done; its duty is done with it."""
    uow, actor = _acting(username)
    change = annual_items.StatusChange(status="done")
    click.echo(_line(annual_items.change_status(uow, actor, item_id, change, now=now())))
