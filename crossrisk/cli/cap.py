"""CAP 1.2 alerts from other systems."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from crossrisk.alerts.cap.schema import MAX_CAP_BYTES
from crossrisk.cli.cap_senders import cap_feed, cap_poll, cap_sender
from crossrisk.cli.support import fail, now, settings_or_fail, uow_for
from crossrisk.domain.organisation import system_actor
from crossrisk.services import cap_import as cap_import_service


@click.group()
def cap() -> None:
    """CAP 1.2 alerts from other systems."""


@cap.command("import")
@click.argument("file")
def cap_import(file: str) -> None:
    """Receive a CAP 1.2 alert from FILE ("-": standard input) as the operator."""
    settings = settings_or_fail()
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
        uow_for(settings), system_actor("cap-import"), xml, now=now()
    )
    click.echo(receipt.summary())


# Senders, feeds and the poller live in their own module.
for _command in (cap_sender, cap_feed, cap_poll):
    cap.add_command(_command)
