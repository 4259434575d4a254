"""`crossrisk compensation in-kind …`: what was delivered in kind on approved statements.

`in-kind add SETTLEMENT …` records a delivery (with `--as USER`; default the platform) and
`in-kind list SETTLEMENT` shows a statement's deliveries and its transfers settled with
them, as JSON.
"""

from __future__ import annotations

import json
from datetime import date
from typing import Any

import click

from crossrisk.cli.support import ACTING, fail, now, row_id, session
from crossrisk.domain.compensation.in_kind import InKindDelivery
from crossrisk.services import in_kind


@click.group("in-kind")
def in_kind_group() -> None:
    """What was delivered in kind on approved statements (实物补偿)."""


@in_kind_group.command("add")
@click.argument("settlement")
@click.option("--provider", required=True, help="The party that delivered (341000).")
@click.option("--recipient", required=True, help="The party it was delivered to.")
@click.option("--what", "description", required=True, help="Training places, equipment, …")
@click.option("--quantity", type=click.IntRange(1, 10**9), required=True)
@click.option("--unit-value", required=True, help="Yuan per unit, at most two decimals.")
@click.option("--date", "delivered_on", required=True, help="The day delivered (2026-03-02).")
@click.option("--evidence", required=True, help="What proves it: a text or a link.")
@ACTING
def in_kind_add(
    settlement: str,
    provider: str,
    recipient: str,
    description: str,
    quantity: int,
    unit_value: str,
    delivered_on: str,
    evidence: str,
    username: str | None,
) -> None:
    """Record a delivery in kind on an approved statement; prints it as JSON."""
    settlement_id = row_id(settlement, "settlement")
    try:
        day = date.fromisoformat(delivered_on)
    except ValueError:
        fail(f"--date {delivered_on[:20]!r} is not a date like 2026-03-02")
    uow, actor = session(username)
    delivery = in_kind.record_delivery(
        uow,
        actor,
        settlement_id,
        provider=provider,
        recipient=recipient,
        description=description,
        quantity=quantity,
        unit_value_yuan=unit_value,
        delivered_on=day,
        evidence=evidence,
        now=now(),
    )
    click.echo(json.dumps(delivery_json(delivery), ensure_ascii=False))


@in_kind_group.command("list")
@click.argument("settlement")
@ACTING
def in_kind_list(settlement: str, username: str | None) -> None:
    """A statement's in-kind deliveries and its transfers settled with them, as JSON."""
    uow, actor = session(username)
    found = in_kind.account(uow, actor, row_id(settlement, "settlement"))
    out = {
        "settlement_id": found.statement.id,
        "deliveries": [delivery_json(d) for d in found.deliveries],
        "transfers": [
            {"payer": t.payer, "payee": t.payee, "amount_fen": t.amount_fen, "form": t.form.value}
            for t in found.settled.transfers
        ],
    }
    click.echo(json.dumps(out, ensure_ascii=False))


def delivery_json(delivery: InKindDelivery) -> dict[str, Any]:
    """A delivery in kind as the commands print it."""
    return {
        "id": delivery.id,
        "settlement_id": delivery.settlement_id,
        "provider": delivery.provider,
        "recipient": delivery.recipient,
        "description": delivery.description,
        "quantity": delivery.quantity,
        "unit_value_fen": delivery.unit_value_fen,
        "value_fen": delivery.value_fen,
        "delivered_on": delivery.delivered_on.isoformat(),
        "evidence": delivery.evidence,
    }
