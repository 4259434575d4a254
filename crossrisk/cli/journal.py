"""The hash-chained journal."""

from __future__ import annotations

import sys

import click

from crossrisk.cli.support import settings_or_fail, uow_for
from crossrisk.domain.organisation import system_actor
from crossrisk.services import journal as journal_service


@click.group()
def journal() -> None:
    """The hash-chained journal."""


@journal.command("verify")
def journal_verify() -> None:
    """Recompute the chain; exit 1 and name the first broken entry if it does not hold."""
    result = journal_service.verify_journal(uow_for(settings_or_fail()), system_actor())
    if result.ok:
        click.echo(f"journal intact: {result.entries} entries, head {result.head_hash}")
        return
    click.echo(f"journal broken at entry {result.first_broken_seq}: {result.problem}", err=True)
    sys.exit(1)
