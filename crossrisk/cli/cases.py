"""`crossrisk case …`: accountability cases from the command line (责任追究案件)."""

from __future__ import annotations

import json
from typing import Any

import click

from crossrisk.cli.support import ACTING, now, row_id, session
from crossrisk.domain.accountability.case import Case, CaseState, parse_outcome
from crossrisk.services import accountability


def _line(case: Case) -> str:
    where = f"risk {case.risk_id}" if case.risk_id else f"drill {case.drill_id}"
    outcome = f" · {case.outcome.value}" if case.outcome else ""
    return (
        f"case {case.id} · {case.state.value}{outcome} · {case.kind.value} · {case.party} · {where}"
    )


def _document(record: accountability.CaseRecord) -> dict[str, Any]:
    c = record.case
    return {
        "id": c.id,
        "region": c.region_code,
        "risk_id": c.risk_id,
        "drill_id": c.drill_id,
        "kind": c.kind.value,
        "party": c.party,
        "duty_id": c.duty_id,
        "key": c.key,
        "facts": dict(c.facts),
        "procedure": c.procedure.as_dict(),
        "state": c.state.value,
        "review": c.review,
        "statement": c.statement,
        "outcome": c.outcome.value if c.outcome else None,
        "reason": c.reason,
        "penalty": c.penalty,
        "evidence": [
            {
                "seq": e.entry.seq,
                "at": e.entry.at.isoformat(),
                "action": e.entry.action,
                "actor": e.entry.actor,
                "hash": e.entry.hash,
                "verified": e.verified,
            }
            for e in record.evidence
        ],
        "missing": record.missing,
    }


@click.group("case")
def case() -> None:
    """Accountability cases: detect, review, the party's statement, decide (问责)."""


@case.command("list")
@click.option("--region", default=None, help="Only this region's cases.")
@click.option("--party", default=None, help="Only this organisation's cases.")
@click.option(
    "--state", type=click.Choice([s.value for s in CaseState]), default=None, help="Only these."
)
@click.option("--risk", "risk_id", default=None, help="Only this risk's cases.")
@ACTING
def list_command(
    region: str | None,
    party: str | None,
    state: str | None,
    risk_id: str | None,
    username: str | None,
) -> None:
    """The cases you read: your region's as the committee, your own as a party."""
    uow, actor = session(username)
    found = accountability.list_cases(
        uow,
        actor,
        region_code=region[:64] if region else None,
        party=party[:64] if party else None,
        state=CaseState(state) if state else None,
        risk_id=row_id(risk_id, "risk") if risk_id else None,
    )
    for one in found:
        click.echo(_line(one))


@case.command("show")
@click.argument("case_id")
@ACTING
def show(case_id: str, username: str | None) -> None:
    """One case as JSON, with its evidence entries and whether each hash verifies."""
    uow, actor = session(username)
    record = accountability.get_case(uow, actor, row_id(case_id, "case"))
    click.echo(json.dumps(_document(record), ensure_ascii=False, indent=2))


@case.command("detect")
@click.argument("risk_id")
@ACTING
def detect(risk_id: str, username: str | None) -> None:
    """Look for findings on a risk now and open a case for each new one."""
    uow, actor = session(username)
    opened = accountability.detect(uow, actor, risk_id=row_id(risk_id, "risk"), now=now())
    for one in opened:
        click.echo(_line(one))
    click.echo(f"{len(opened)} case(s) opened")


@case.command("review")
@click.argument("case_id")
@click.option("--text", required=True, help="What the record shows and what it asks.")
@ACTING
def review(case_id: str, text: str, username: str | None) -> None:
    """The reviewer's review: the case is under review."""
    uow, actor = session(username)
    click.echo(
        _line(accountability.review_case(uow, actor, row_id(case_id, "case"), text=text, now=now()))
    )


@case.command("statement")
@click.argument("case_id")
@click.option("--text", required=True, help="The party's statement.")
@ACTING
def statement(case_id: str, text: str, username: str | None) -> None:
    """The party's statement (陈述申辩), by one of its officers."""
    uow, actor = session(username)
    filed = accountability.file_statement(uow, actor, row_id(case_id, "case"), text=text, now=now())
    click.echo(_line(filed))


@case.command("decide")
@click.argument("case_id")
@click.option("--outcome", required=True, help="no_fault, criticism, referral, penalty…")
@click.option("--reason", required=True, help="Why.")
@click.option("--penalty", default="", help="What the penalty is (only with penalty).")
@ACTING
def decide(case_id: str, outcome: str, reason: str, penalty: str, username: str | None) -> None:
    """The reviewer's decision: an outcome the case's procedure allows."""
    uow, actor = session(username)
    decided = accountability.decide_case(
        uow,
        actor,
        row_id(case_id, "case"),
        outcome=parse_outcome(outcome),
        reason=reason,
        penalty=penalty,
        now=now(),
    )
    click.echo(_line(decided))
