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


def _number(value: str, name: str, low: int, high: int) -> int:
    """A whole number as typed, or one line and exit 2 (click's own message is four)."""
    if (
        not value.isascii()
        or not value.isdigit()
        or len(value) > 19
        or not low <= int(value) <= high
    ):
        fail(f"{name} is a whole number from {low} to {high}, not {value[:40]!r}")
    return int(value)


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
@click.option("--year", required=True, help="The plan year, 2000–2100.")
@click.option("--region", default=None, help=REGION_HELP)
@click.option("--as", "username", default=None, help=AS_HELP)
def list_items(year: str, region: str | None, username: str | None) -> None:
    """Print a region's items of YEAR, one a line: id, year, kind, due, status, owner, title."""
    uow, actor = _acting(username)
    chosen = _number(year, "--year", YEAR_MIN, YEAR_MAX)
    for item in annual_items.items_of_year(uow, actor, _region(actor, region), chosen):
        click.echo(_line(item))


@annual.command("add")
@click.option("--year", required=True, help="The plan year, 2000–2100.")
@click.option("--kind", required=True, help="plan (年度计划) or cooperation (合作事项).")
@click.option("--title", required=True, help="The title in Chinese.")
@click.option("--title-en", default=None, help="The title in English.")
@click.option("--description", default="")
@click.option("--owner", required=True, help="The owner organisation's code.")
@click.option("--due", required=True, help="The due day, YYYY-MM-DD (Beijing).")
@click.option("--serves-kind", default=None, help="agreement or plan.")
@click.option("--serves-id", default=None, help="The number of the agreement or plan.")
@click.option("--region", default=None, help=REGION_HELP)
@click.option("--as", "username", default=None, help=AS_HELP)
def add(
    year: str,
    kind: str,
    title: str,
    title_en: str | None,
    description: str,
    owner: str,
    due: str,
    serves_kind: str | None,
    serves_id: str | None,
    region: str | None,
    username: str | None,
) -> None:
    """Set an item of the year; its owner gets a duty that reminds it."""
    day = calendar_day(due[:20], "due")
    if day is None:
        fail("--due must be a date as YYYY-MM-DD")
    draft = check_draft(
        year=_number(year, "--year", YEAR_MIN, YEAR_MAX),
        kind=kind,
        title=title,
        title_en=title_en,
        description=description,
        owner_code=owner,
        due=day,
        serves_kind=serves_kind,
        serves_id=None if serves_id is None else _number(serves_id, "--serves-id", 1, ID_MAX),
    )
    uow, actor = _acting(username)
    item = annual_items.add_item(uow, actor, _region(actor, region), draft, now=now())
    click.echo(_line(item))


@annual.command("done")
@click.argument("item_id")
@click.option("--as", "username", default=None, help=AS_HELP)
def done(item_id: str, username: str | None) -> None:
    """Mark item ITEM_ID done; its duty is done with it."""
    uow, actor = _acting(username)
    change = annual_items.StatusChange(status="done")
    chosen = _number(item_id, "ITEM_ID", 1, 2**31 - 1)
    click.echo(_line(annual_items.change_status(uow, actor, chosen, change, now=now())))
