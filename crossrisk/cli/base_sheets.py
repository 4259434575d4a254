"""`crossrisk base import|export|template KIND`: teams, equipment and shelters as the
spreadsheets officers fill in (KIND is teams, equipment or shelters; stocks keep
`crossrisk stocks`)."""

from __future__ import annotations

from pathlib import Path

import click

from crossrisk.cli.stocks import FORMAT, LANGUAGE, read_input, write_output
from crossrisk.cli.support import fail, now, settings_or_fail, uow_for
from crossrisk.domain.aid.resource_sheets import KINDS
from crossrisk.domain.aid.sheet import SheetRefused
from crossrisk.domain.organisation import system_actor
from crossrisk.services import resource_sheets, stock_sheets

KIND = click.Choice(KINDS)


@click.group("base")
def base() -> None:
    """Teams, equipment and shelters as CSV and Excel sheets (基础信息表)."""


@base.command("import")
@click.argument("kind", type=KIND)
@click.argument("file")
@click.option("--region", "region_code", default="yrd", show_default=True)
@click.option(
    "--as",
    "username",
    default=None,
    help="Import as this user (a city imports only its own rows); default: the operator.",
)
def base_import(kind: str, file: str, region_code: str, username: str | None) -> None:
    """Import FILE (CSV or .xlsx; "-" for standard input) of KIND: every row, or none.

    A bad file prints one line per problem (row, column, message) on stderr, then a summary
    line, and exits 2 with nothing written.
    """
    data = read_input(file)
    uow = uow_for(settings_or_fail())
    actor = stock_sheets.acting_user(uow, username) if username else system_actor("base-import")
    try:
        result = resource_sheets.import_sheet(uow, actor, kind, region_code, data, now=now())
    except SheetRefused as refused:
        for error in refused.errors:
            click.echo(error.line(), err=True)
        fail(f"{len(refused.errors)} problem(s) in {file}; nothing imported")
    click.echo(
        f"imported {result.rows} {kind} row(s): {result.created} new, {result.changed} "
        f"changed, {result.confirmed} confirmed; sha256 {result.sha256}"
    )


@base.command("export")
@click.argument("kind", type=KIND)
@click.option("--region", "region_code", default="yrd", show_default=True)
@click.option("--format", "file_format", type=FORMAT, default="csv", show_default=True)
@click.option("--lang", "language", type=LANGUAGE, default="zh", show_default=True)
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), default=None)
@click.option("--as", "username", default=None, help="Export what this user may read.")
def base_export(
    kind: str,
    region_code: str,
    file_format: str,
    language: str,
    out: Path | None,
    username: str | None,
) -> None:
    """Write the region's records of KIND as a sheet that imports back unchanged."""
    uow = uow_for(settings_or_fail())
    actor = stock_sheets.acting_user(uow, username) if username else system_actor("base-export")
    data = resource_sheets.export_sheet(
        uow, actor, kind, region_code, file_format=file_format, language=language
    )
    write_output(data, out, file_format)


@base.command("template")
@click.argument("kind", type=KIND)
@click.option("--format", "file_format", type=FORMAT, default="xlsx", show_default=True)
@click.option("--lang", "language", type=LANGUAGE, default="zh", show_default=True)
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), default=None)
def base_template(kind: str, file_format: str, language: str, out: Path | None) -> None:
    """Write an empty sheet of KIND with its drop-down lists and instructions."""
    write_output(
        resource_sheets.template(kind, file_format=file_format, language=language),
        out,
        file_format,
    )
