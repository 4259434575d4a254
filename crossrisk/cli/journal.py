"""The hash-chained journal: verifying it, and its signed checkpoints."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from crossrisk.cli.support import fail, now, settings_or_fail, uow_for
from crossrisk.domain.checkpoint import DOCUMENT_MAX, public_pem, read_public_pem
from crossrisk.domain.errors import CrossriskError
from crossrisk.domain.organisation import system_actor
from crossrisk.services import checkpoints
from crossrisk.services import journal as journal_service
from crossrisk.services.platform_key import PlatformKey, load_platform_key
from crossrisk.settings import Settings


@click.group()
def journal() -> None:
    """The hash-chained journal."""


@journal.command("verify")
@click.option(
    "--checkpoint",
    "checkpoint_file",
    default=None,
    help="Prove the journal still extends this checkpoint (exit 2 if it does not).",
)
@click.option(
    "--key",
    "key_file",
    default=None,
    help="The platform's public key (PEM) you kept; default: this platform's own key.",
)
def journal_verify(checkpoint_file: str | None, key_file: str | None) -> None:
    """Recompute the chain; exit 1 and name the first broken entry if it does not hold."""
    settings = settings_or_fail()
    if checkpoint_file is not None:
        _verify_checkpoint(settings, checkpoint_file, key_file)
        return
    if key_file is not None:
        fail("--key goes with --checkpoint")
    result = journal_service.verify_journal(uow_for(settings), system_actor())
    if result.ok:
        click.echo(f"journal intact: {result.entries} entries, head {result.head_hash}")
        return
    click.echo(f"journal broken at entry {result.first_broken_seq}: {result.problem}", err=True)
    sys.exit(1)


@journal.command("key")
def journal_key() -> None:
    """Print the platform's public key (PEM), which member cities keep to check checkpoints."""
    key = platform_key_or_fail(settings_or_fail())
    click.echo(public_pem(key.public_key), nl=False)


@journal.command("checkpoint")
@click.option("-o", "--output", default="-", help="Write the document here (default: stdout).")
def journal_checkpoint(output: str) -> None:
    """Sign the journal's head now and write the checkpoint document (journaled)."""
    settings = settings_or_fail()
    key = platform_key_or_fail(settings)
    try:
        checkpoint = checkpoints.issue_checkpoint(
            uow_for(settings), system_actor("cli"), key, now=now()
        )
    except CrossriskError as error:
        fail(error.detail)
    document = checkpoint.document_bytes()
    if output == "-":
        click.echo(document.decode("utf-8"), nl=False)
        return
    try:
        Path(output).write_bytes(document)
    except OSError as error:
        fail(f"cannot write {output}: {error.strerror or error}")
    click.echo(f"checkpoint of entry {checkpoint.seq} (hash {checkpoint.hash}) written to {output}")


def platform_key_or_fail(settings: Settings) -> PlatformKey:
    """The platform's signing key, or one line and exit 2."""
    try:
        return load_platform_key(settings)
    except CrossriskError as error:
        fail(error.detail)


def _verify_checkpoint(settings: Settings, checkpoint_file: str, key_file: str | None) -> None:
    document = _read_bytes(checkpoint_file, "checkpoint")
    try:
        if key_file is None:
            public_key = platform_key_or_fail(settings).public_key
        else:
            public_key = read_public_pem(_read_bytes(key_file, "key"))
        proof = checkpoints.verify_checkpoint(
            uow_for(settings), system_actor(), document, public_key
        )
    except CrossriskError as error:
        fail(error.detail)
    click.echo(proof.summary())


def _read_bytes(file: str, what: str) -> bytes:
    try:
        with open(file, "rb") as source:
            data = source.read(DOCUMENT_MAX + 1)
    except OSError as error:
        fail(f"cannot read the {what} file {file}: {error.strerror or error}")
    if len(data) > DOCUMENT_MAX:
        fail(f"the {what} file {file} is over {DOCUMENT_MAX} bytes")
    return data
