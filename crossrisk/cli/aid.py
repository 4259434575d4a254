"""`crossrisk aid solve FILE`: the mutual-aid allocation solver on its own, JSON in and out."""

from __future__ import annotations

import json
from pathlib import Path

import click

from crossrisk.aid import allocation, reading
from crossrisk.cli.support import fail


@click.group("aid")
def aid() -> None:
    """Mutual aid: the allocation solver (互助调配)."""


@aid.command("solve")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--fair", is_flag=True, help="Maximise the lowest fill rate first; report its price.")
def solve(file: Path, fair: bool) -> None:
    """Solve the allocation stated in FILE (JSON; see the README) and print it as JSON."""
    try:
        size = file.stat().st_size
        if size > reading.MAX_BYTES:
            fail(f"{file} is larger than {reading.MAX_BYTES // (1024 * 1024)} MiB")
        text = file.read_bytes()
    except OSError as error:
        fail(f"cannot read {file}: {error.strerror}")
    problem = reading.parse(text)
    click.echo(
        json.dumps(reading.to_json(allocation.solve(problem, fair=fair)), ensure_ascii=False)
    )
