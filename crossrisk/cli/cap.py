"""CAP 1.2 alerts from other systems."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import click

from crossrisk.alerts.cap.schema import MAX_CAP_BYTES
from crossrisk.cli.cap_senders import cap_feed, cap_poll, cap_sender
from crossrisk.cli.support import fail, now, settings_or_fail, uow_for
from crossrisk.domain.organisation import system_actor
from crossrisk.services import cap_batches
from crossrisk.services import cap_import as cap_import_service


@click.group()
def cap() -> None:
    """CAP 1.2 alerts from other systems."""


@cap.command("import")
@click.argument("path")
def cap_import(path: str) -> None:
    """Receive CAP 1.2 alerts as the operator: PATH is a file, a directory of *.xml, or "-".

    A directory's alerts are received in the order of their names, each in a transaction
    of its own; a summary follows, with one line per refused file and its reason.
    """
    settings = settings_or_fail()
    if path != "-" and Path(path).is_dir():
        files = _alert_files(Path(path))
        unreadable: list[cap_batches.CapRefusal] = []
        summary = cap_batches.receive_cap_batch(
            uow_for(settings),
            system_actor("cap-import"),
            _read_each(files, unreadable),
            now=now(),
        )
        summary = replace(summary, refusals=summary.refusals + tuple(unreadable))
        for line in summary.lines():
            click.echo(line)
        return
    if path == "-":
        xml = sys.stdin.buffer.read(MAX_CAP_BYTES + 1)
    else:
        try:
            if Path(path).stat().st_size > MAX_CAP_BYTES:
                fail(f"{path} is over {MAX_CAP_BYTES} bytes, the limit for a CAP message")
            xml = Path(path).read_bytes()
        except OSError as exc:
            fail(f"cannot read {path}: {exc.strerror or exc}")
    receipt = cap_import_service.receive_cap(
        uow_for(settings), system_actor("cap-import"), xml, now=now()
    )
    click.echo(receipt.summary())


# Senders, feeds and the poller live in their own module.
for _command in (cap_sender, cap_feed, cap_poll):
    cap.add_command(_command)


def _alert_files(directory: Path) -> list[Path]:
    """The directory's *.xml files by name, or one line and exit 2 when it cannot be listed."""
    try:
        return sorted(
            (entry for entry in directory.iterdir() if entry.suffix.lower() == ".xml"),
            key=lambda entry: entry.name,
        )
    except OSError as exc:
        fail(f"cannot read {directory}: {exc.strerror or exc}")


def _read_each(
    files: list[Path], unreadable: list[cap_batches.CapRefusal]
) -> Iterator[tuple[str, bytes]]:
    """Each file's bytes (one over the size limit is cut there, so the parser refuses it);
    a file that cannot be read is listed in `unreadable` and left out."""
    for file in files:
        try:
            with file.open("rb") as stream:
                content = stream.read(MAX_CAP_BYTES + 1)
        except OSError as exc:
            unreadable.append(
                cap_batches.CapRefusal(
                    name=file.name, detail=f"cannot read it: {exc.strerror or exc}", key=None
                )
            )
            continue
        yield file.name, content
