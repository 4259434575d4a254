"""`crossrisk compensation fund …`: the regional fund.

`fund show [REGION]` prints the regional fund's book (balance, movements, in-kind
deliveries); `fund contribute ORG AMOUNT --condition …` records a province's or the
central office's contribution; `fund payout SETTLEMENT PAYEE AMOUNT --note …` pays an
approved statement's payee out of the fund; `fund penalty CASE [--amount A --reason R]`
charges an upheld case the penalty its agreement provides (each with `--as USER`; default
the platform).
"""

from __future__ import annotations

import json
from typing import Any

import click

from crossrisk.cli.in_kind import delivery_json
from crossrisk.cli.support import ACTING, fail, now, row_id, session
from crossrisk.domain.compensation.ledger import FundMovement
from crossrisk.domain.organisation import Actor
from crossrisk.services import fund, settlements


@click.group("fund")
def fund_group() -> None:
    """The regional fund: contributions, penalties, payouts (区域补偿基金)."""


@fund_group.command("show")
@click.argument("region", required=False)
@ACTING
def fund_show(region: str | None, username: str | None) -> None:
    """The fund's balance, its movements and the in-kind deliveries, as JSON."""
    uow, actor = session(username)
    book = fund.book(uow, actor, _region(actor, region))
    statement = book.statement
    out = {
        "fund": statement.fund,
        "received_fen": statement.received_fen,
        "paid_fen": statement.paid_fen,
        "balance_fen": statement.balance_fen,
        "movements": [_movement(m) for m in book.movements],
        "deliveries": [delivery_json(d) for d in book.deliveries],
    }
    click.echo(json.dumps(out, ensure_ascii=False))


@fund_group.command("contribute")
@click.argument("organisation")
@click.argument("amount")
@click.option("--condition", "conditions", multiple=True, help="A condition; repeat for more.")
@click.option("--region", default=None, help="The fund's region (default: the user's one).")
@ACTING
def fund_contribute(
    organisation: str,
    amount: str,
    conditions: tuple[str, ...],
    region: str | None,
    username: str | None,
) -> None:
    """Record a province's or the central office's contribution; prints it as JSON."""
    uow, actor = session(username)
    movement = fund.contribute(
        uow,
        actor,
        _region(actor, region),
        contributor=organisation,
        amount_yuan=amount,
        conditions=list(conditions),
        now=now(),
    )
    click.echo(json.dumps(_movement(movement), ensure_ascii=False))


@fund_group.command("payout")
@click.argument("settlement")
@click.argument("payee")
@click.argument("amount")
@click.option("--note", required=True, help="What it pays for.")
@ACTING
def fund_payout(settlement: str, payee: str, amount: str, note: str, username: str | None) -> None:
    """Pay an approved statement's payee out of its region's fund; prints it as JSON."""
    settlement_id = row_id(settlement, "settlement")
    uow, actor = session(username)
    region_code = settlements.get(uow, actor, settlement_id).region_code
    movement = fund.pay_out(
        uow,
        actor,
        region_code,
        settlement_id=settlement_id,
        payee=payee,
        amount_yuan=amount,
        note=note,
        now=now(),
    )
    click.echo(json.dumps(_movement(movement), ensure_ascii=False))


@fund_group.command("penalty")
@click.argument("case")
@click.option("--amount", default=None, help="Yuan; default: the agreement's penalty.")
@click.option("--reason", default="", help="Why, when not the agreement's amount.")
@ACTING
def fund_penalty(case: str, amount: str | None, reason: str, username: str | None) -> None:
    """Charge an upheld case the penalty its agreement provides, into the fund."""
    case_id = row_id(case, "case")
    uow, actor = session(username)
    movement = fund.charge_penalty(
        uow, actor, case_id, amount_yuan=amount, reason=reason, now=now()
    )
    click.echo(json.dumps(_movement(movement), ensure_ascii=False))


def _region(actor: Actor, region: str | None) -> str:
    if region:
        return region[:32]
    if len(actor.region_codes) != 1:
        fail("say which region: the acting user has no one region")
    (only,) = actor.region_codes
    return only


def _movement(movement: FundMovement) -> dict[str, Any]:
    return {
        "id": movement.id,
        "region": movement.region_code,
        "kind": movement.kind.value,
        "party": movement.party,
        "amount_fen": movement.amount_fen,
        "conditions": list(movement.conditions),
        "note": movement.note,
        "case_id": movement.case_id,
        "settlement_id": movement.settlement_id,
        "recorded_at": movement.recorded_at.isoformat(),
    }
