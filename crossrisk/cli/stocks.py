"""`crossrisk stocks import|export|template`: stocks as the spreadsheets officers fill in."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from crossrisk.cli.support import fail, now, settings_or_fail, uow_for
from crossrisk.domain.aid.sheet import MAX_FILE_BYTES, SheetRefused
from crossrisk.domain.organisation import system_actor
from crossrisk.services import stock_sheets

FORMAT = click.Choice(["csv", "xlsx"])
LANGUAGE = click.Choice(["zh", "en"])


@click.group("stocks")
def stocks() -> None:
    """Emergency stocks as CSV and Excel sheets (应急物资储备表)."""


@stocks.command("import")
@click.argument("file")
@click.option("--region", "region_code", default="yrd", show_default=True)
@click.option(
    "--as",
    "username",
    default=None,
    help="Import as this user (a city imports only its own rows); default: the operator.",
)
def stocks_import(file: str, region_code: str, username: str | None) -> None:
    """Import FILE (CSV or .xlsx; "-" for standard input): every row, or none.

    A bad file prints one line per problem (row, column, message) on stderr, then a summary
    line, and exits 2 with nothing written.
    """
    data = read_input(file)
    uow = uow_for(settings_or_fail())
    actor = stock_sheets.acting_user(uow, username) if username else system_actor("stocks-import")
    try:
        result = stock_sheets.import_stocks(uow, actor, region_code, data, now=now())
    except SheetRefused as refused:
        for error in refused.errors:
            click.echo(error.line(), err=True)
        fail(f"{len(refused.errors)} problem(s) in {file}; nothing imported")
    click.echo(
        f"imported {result.rows} row(s): {result.created} new stock(s), "
        f"{result.counted} counted; sha256 {result.sha256}"
    )


@stocks.command("export")
@click.option("--region", "region_code", default="yrd", show_default=True)
@click.option("--format", "file_format", type=FORMAT, default="csv", show_default=True)
@click.option("--lang", "language", type=LANGUAGE, default="zh", show_default=True)
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), default=None)
@click.option("--as", "username", default=None, help="Export what this user may read.")
def stocks_export(
    region_code: str, file_format: str, language: str, out: Path | None, username: str | None
) -> None:
    """Write the region's stocks as a sheet that imports back unchanged."""
    uow = uow_for(settings_or_fail())
    actor = stock_sheets.acting_user(uow, username) if username else system_actor("stocks-export")
    data = stock_sheets.export_stocks(
        uow, actor, region_code, file_format=file_format, language=language
    )
    write_output(data, out, file_format)


@stocks.command("template")
@click.option("--format", "file_format", type=FORMAT, default="xlsx", show_default=True)
@click.option("--lang", "language", type=LANGUAGE, default="zh", show_default=True)
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), default=None)
def stocks_template(file_format: str, language: str, out: Path | None) -> None:
    """Write an empty stocks sheet with its drop-down lists and instructions."""
    write_output(
        stock_sheets.template(file_format=file_format, language=language), out, file_format
    )


def read_input(file: str) -> bytes:
    if file == "-":
        data = sys.stdin.buffer.read(MAX_FILE_BYTES + 1)
    else:
        path = Path(file)
        try:
            if path.stat().st_size > MAX_FILE_BYTES:
                fail(f"{file} is over {MAX_FILE_BYTES // (1024 * 1024)} MiB, the limit")
            data = path.read_bytes()
        except OSError as exc:
            fail(f"cannot read {file}: {exc.strerror or exc}")
    if len(data) > MAX_FILE_BYTES:
        fail(f"{file} is over {MAX_FILE_BYTES // (1024 * 1024)} MiB, the limit")
    return data


def write_output(data: bytes, out: Path | None, file_format: str) -> None:
    if out is None:
        if file_format == "xlsx" and sys.stdout.isatty():
            fail("an .xlsx is not for a terminal: give --out FILE")
        sys.stdout.buffer.write(data)
        sys.stdout.buffer.flush()
        return
    try:
        out.write_bytes(data)
    except OSError as exc:
        fail(f"cannot write {out}: {exc.strerror or exc}")
    click.echo(f"wrote {out} ({len(data)} bytes)")
