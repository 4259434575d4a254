"""`crossrisk aid solve FILE`: the mutual-aid allocation solver on its own, JSON in and out;
`crossrisk aid allocate REQUEST…`: the allocation of open requests, proposed and approved."""

from __future__ import annotations

import json
from pathlib import Path

import click

from crossrisk.aid import allocation, reading
from crossrisk.cli.support import fail, now, settings_or_fail, uow_for
from crossrisk.domain.organisation import system_actor
from crossrisk.services import allocations, users
from crossrisk.services.allocation_inputs import AllocationContext

ID_MAX = 2**63 - 1


@click.group("aid")
def aid() -> None:
    """Mutual aid: the allocation solver and allocations of requests (互助调配)."""


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


@aid.command("allocate")
@click.argument("request_ids", nargs=-1, required=True)
@click.option("--fair", is_flag=True, help="Maximise the lowest fill rate first; report its price.")
@click.option("--approve", is_flag=True, help="Approve the proposal at once: make the commitments.")
@click.option("--as", "username", default=None, help="Act as this user (default: the platform).")
def allocate(request_ids: tuple[str, ...], fair: bool, approve: bool, username: str | None) -> None:
    """Propose (and with --approve, approve) the allocation for open REQUEST_IDS (调配方案)."""
    ids = [_request_id(value) for value in request_ids]
    settings = settings_or_fail()
    uow = uow_for(settings)
    actor = system_actor("cli") if username is None else users.acting_as(uow, username)
    context = AllocationContext.of(settings)
    made = allocations.propose(uow, actor, ids, fair=fair, context=context, now=now())
    if approve:
        made = allocations.approve(uow, actor, made.id or 0, context=context, now=now())
    click.echo(
        f"allocation {made.id} · {made.state.value} · requests "
        f"{', '.join(str(i) for i in made.request_ids)} · inputs {made.digest[:12]}"
    )
    header = ["donor", "request_line", "item", "quantity", "hours", "stale"]
    if approve:
        header += ["commitment"]
    click.echo("\t".join(header))
    for line in made.lines:
        cells = [
            line.donor_jurisdiction_code,
            str(line.request_line_id),
            line.item_code,
            _quantity(line.approved_quantity if approve else line.quantity),
            f"{line.hours:.2f}",
            "stale" if line.stale else "",
        ]
        if approve:
            cells.append(str(line.commitment_id or ""))
        click.echo("\t".join(cells))
    for unmet in made.unmet:
        click.echo(
            f"unmet\t{unmet.request_line_id}\t{unmet.item_code}\t{_quantity(unmet.quantity)}"
        )
    click.echo(f"total_hours\t{made.total_hours:.2f}")
    if made.price_hours is not None:
        click.echo(
            f"price_of_fairness_hours\t{made.price_hours:.2f}\t"
            f"lowest_fill_rate\t{made.lowest_fill_rate or 0.0:.4f}"
        )


def _quantity(value: float | None) -> str:
    if value is None:
        return ""
    return f"{value:.0f}" if float(value).is_integer() else f"{value:.6f}"


def _request_id(value: str) -> int:
    """A request id as typed, or one line and exit 2 (click's own message is four)."""
    if (
        not value.isascii()
        or not value.isdigit()
        or len(value) > 19
        or not 0 < int(value) <= ID_MAX
    ):
        fail(f"a request id is a whole number from 1 to {ID_MAX}, not {value[:40]!r}")
    return int(value)
