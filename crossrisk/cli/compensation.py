"""`crossrisk compensation …`: the compensation rules on their own, JSON in and out, and a
risk's cost ledger and settlement statements.

`cost add RISK …` records a cost line, `cost list RISK` prints the ledger, `settle RISK
--rule R` draws up a closed risk's statement as a proposal and `approve SETTLEMENT` has the
committee approve it (each with `--as USER`; default the platform). `water-quality
AGREEMENT --station S --year Y --upstream U --downstream D [--round R]` proposes a border
section's water-quality statement for a year from the station's stored readings, and
prints it with P, the direction and who pays whom how much. `fund …` (the regional fund)
and `in-kind …` (deliveries in kind) are in fund.py and in_kind.py.

`shapley FILE` ("-": standard input) reads a full coalition table of up to 20 players,
{"players": [...], "worth": {"a": 6, "a,b": 12, ...}}, every non-empty coalition written
as its members' names in the order of "players", joined by commas, and prints
{"shares": {...}}. Bad input exits 2 with one line on standard error. The rules and their
sources are in docs/compensation.md.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

import click

from crossrisk.cli.fund import fund_group
from crossrisk.cli.in_kind import in_kind_group
from crossrisk.cli.support import ACTING, fail, now, read_text_file, row_id, session
from crossrisk.domain.compensation.evidence import MAX_FILE_BYTES, EvidenceFile
from crossrisk.domain.compensation.ledger import (
    CostCategory,
    CostKind,
    CostLine,
    Statement,
)
from crossrisk.domain.compensation.shapley import exact_shapley, game_from_table
from crossrisk.domain.errors import InvalidInput
from crossrisk.hydro.inputs import parse_json
from crossrisk.services import costs, settlements, water_quality

# A full table of 20 players has 2²⁰ − 1 coalitions; written with names of up to 16 bytes
# it takes about 210 MB, so this holds any such table and refuses anything far larger.
MAX_INPUT_BYTES = 256 * 1024 * 1024


@click.group("compensation")
def compensation() -> None:
    """Compensation rules as calculators, JSON in and out (补偿规则计算器)."""


@compensation.command("shapley")
@click.argument("file")
def shapley(file: str) -> None:
    """The Shapley value of a cost game given as a full coalition table.

    \b
    In:  {"players": ["a", "b", ...] (at most 20; no commas),
          "worth": {"a": 6, "b": 7, "a,b": 12, ...} (every non-empty coalition,
                   members in the order of "players")}
    Out: {"shares": {"a": ..., "b": ...}}  (they add up to the worth of all players)
    """
    text = read_text_file(file, what="input", max_bytes=MAX_INPUT_BYTES)
    # InvalidInput from here on becomes one line and exit 2 in the command group.
    players, worth = _table(parse_json(text))
    shares = exact_shapley(game_from_table(players, worth))
    click.echo(json.dumps({"shares": shares.as_dict()}, ensure_ascii=False))


def _table(data: dict[str, Any]) -> tuple[list[str], dict[str, float]]:
    unknown = sorted(set(data) - {"players", "worth"})
    if unknown:
        raise InvalidInput(f"unknown key {unknown[0]!r}; expected players and worth")
    for key in ("players", "worth"):
        if key not in data:
            raise InvalidInput(f"the key {key!r} is missing")
    players, worth = data["players"], data["worth"]
    if not isinstance(players, list) or not all(isinstance(p, str) for p in players):
        raise InvalidInput("players must be a list of names")
    if not isinstance(worth, dict):
        raise InvalidInput("worth must be an object from coalition to number")
    return players, worth


@compensation.group("cost")
def cost() -> None:
    """A risk's cost ledger (费用台账)."""


@cost.command("add")
@click.argument("risk")
@click.option("--party", required=True, help="The member jurisdiction's code (341000).")
@click.option("--amount", required=True, help="Yuan, at most two decimals (12345.67).")
@click.option("--category", type=click.Choice([c.value for c in CostCategory]), required=True)
@click.option("--date", "spent_on", required=True, help="The day it was spent (2026-03-02).")
@click.option("--evidence", required=True, help="What proves it: a text or a link.")
@click.option(
    "--evidence-file",
    "evidence_files",
    multiple=True,
    type=click.Path(dir_okay=False),
    help="A file proving it (PDF, PNG, JPEG, XLSX, DOCX, OFD or text, 10 MiB); repeatable.",
)
@click.option("--kind", type=click.Choice([k.value for k in CostKind]), default=None)
@click.option("--protects", default=None, help="Jurisdictions it protected, comma-separated.")
@click.option("--aid-request", default=None, help="The aid request the cost belongs to.")
@click.option("--reimbursed-by", default=None, help="The requester, for aid with no request.")
@ACTING
def cost_add(
    risk: str,
    party: str,
    amount: str,
    category: str,
    spent_on: str,
    evidence: str,
    evidence_files: tuple[str, ...],
    kind: str | None,
    protects: str | None,
    aid_request: str | None,
    reimbursed_by: str | None,
    username: str | None,
) -> None:
    """Record a cost a member bore for a risk, with any evidence files; prints the line as
    JSON."""
    risk_id = row_id(risk, "risk")
    request_id = row_id(aid_request, "aid request") if aid_request is not None else None
    try:
        day = date.fromisoformat(spent_on)
    except ValueError:
        fail(f"--date {spent_on[:20]!r} is not a date like 2026-03-02")
    files = [_upload(path) for path in evidence_files]
    uow, actor = session(username)
    line = costs.record_cost(
        uow,
        actor,
        risk_id,
        party=party,
        amount_yuan=amount,
        category=category,
        spent_on=day,
        evidence=evidence,
        kind=kind,
        protects=[p.strip() for p in protects.split(",")] if protects else None,
        aid_request_id=request_id,
        reimbursed_by=reimbursed_by,
        files=files,
        now=now(),
    )
    assert line.id is not None
    attached = costs.ledger(uow, actor, risk_id).files.get(line.id, [])
    click.echo(json.dumps(_cost(line, attached), ensure_ascii=False))


@cost.command("attach")
@click.argument("line")
@click.argument("path", type=click.Path(dir_okay=False))
@ACTING
def cost_attach(line: str, path: str, username: str | None) -> None:
    """Attach an evidence file to an active cost line; prints its name, type, size and
    SHA-256 as JSON."""
    line_id = row_id(line, "cost line")
    upload = _upload(path)
    uow, actor = session(username)
    saved = costs.attach_evidence(uow, actor, line_id, upload, now=now())
    click.echo(json.dumps(_file(saved), ensure_ascii=False))


@cost.command("list")
@click.argument("risk")
@ACTING
def cost_list(risk: str, username: str | None) -> None:
    """The risk's cost lines, one JSON object a line."""
    uow, actor = session(username)
    ledger = costs.ledger(uow, actor, row_id(risk, "risk"))
    for line in ledger.lines:
        click.echo(json.dumps(_cost(line, ledger.files.get(line.id or 0, [])), ensure_ascii=False))


@compensation.command("settle")
@click.argument("risk")
@click.option(
    "--rule",
    default="",
    help="Default: the rule of the agreement binding the parties. Else reimbursement, "
    "proportional, proportional_population, beneficiary_pays, shapley, "
    "river_lrs or river_ues.",
)
@click.option("--upstream", default=None, help="River rules: every party, upstream first, a,b.")
@ACTING
def settle(risk: str, rule: str, upstream: str | None, username: str | None) -> None:
    """Draw up a closed risk's settlement statement by a rule; prints it as JSON."""
    risk_id = row_id(risk, "risk")
    order = [p.strip() for p in upstream.split(",")] if upstream else []
    uow, actor = session(username)
    statement = settlements.propose(uow, actor, risk_id, rule=rule, upstream_order=order, now=now())
    click.echo(json.dumps(_statement(statement), ensure_ascii=False))


@compensation.command("approve")
@click.argument("settlement")
@ACTING
def approve(settlement: str, username: str | None) -> None:
    """The committee approves a statement: the one its risk is settled by."""
    settlement_id = row_id(settlement, "settlement")
    uow, actor = session(username)
    statement = settlements.approve(uow, actor, settlement_id, now=now())
    click.echo(json.dumps(_statement(statement), ensure_ascii=False))


@compensation.command("water-quality")
@click.argument("agreement")
@click.option("--station", required=True, help="A station of the border section (jiekou-codmn).")
@click.option("--year", type=int, default=None, help="The year settled (Asia/Shanghai days).")
@click.option("--from", "period_from", default=None, help="Instead of --year: first day.")
@click.option("--to", "period_to", default=None, help="Instead of --year: last day.")
@click.option("--round", "round_name", default=None, help="The round's name; default the year.")
@click.option("--upstream", required=True, help="The upstream party (organisation code).")
@click.option("--downstream", required=True, help="The downstream party (organisation code).")
@ACTING
def water_quality_statement(
    agreement: str,
    station: str,
    year: int | None,
    period_from: str | None,
    period_to: str | None,
    round_name: str | None,
    upstream: str,
    downstream: str,
    username: str | None,
) -> None:
    """Propose a border section's water-quality statement for a year; prints it as JSON."""
    agreement_id = row_id(agreement, "agreement")
    first, last = _day(period_from, "--from"), _day(period_to, "--to")
    uow, actor = session(username)
    statement = water_quality.settle_section(
        uow,
        actor,
        agreement_id,
        station=station,
        round=round_name,
        year=year,
        period_from=first,
        period_to=last,
        upstream=upstream,
        downstream=downstream,
        now=now(),
    )
    inputs = statement.inputs
    shown = {
        **_statement(statement),
        "agreement_id": statement.agreement_id,
        "round": statement.round,
        "period": {"from": str(statement.period_from), "to": str(statement.period_to)},
        "station": statement.station_code,
        "index": inputs.get("index"),
        "direction": inputs.get("direction"),
        "payer": inputs.get("payer"),
        "payee": inputs.get("payee"),
        "amount_fen": inputs.get("amount_fen"),
    }
    click.echo(json.dumps(shown, ensure_ascii=False))


def _day(value: str | None, option: str) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        fail(f"{option} is a day as YYYY-MM-DD, not {value[:20]!r}")


# The fund's and the in-kind commands live in modules of their own.
for _command in (fund_group, in_kind_group):
    compensation.add_command(_command)


def _upload(path: str) -> costs.Upload:
    """A file named on the command line, checked as evidence, or one line and exit 2."""
    try:
        with open(path, "rb") as handle:
            data = handle.read(MAX_FILE_BYTES + 1)
    except OSError as exc:
        fail(f"cannot read the evidence file {path}: {exc.strerror or exc}")
    return costs.checked_upload(Path(path).name, data)


def _file(evidence: EvidenceFile) -> dict[str, Any]:
    return {
        "id": evidence.id,
        "line": evidence.line_id,
        "file_name": evidence.file_name,
        "media_type": evidence.media_type,
        "size": evidence.size,
        "sha256": evidence.sha256,
    }


def _cost(line: CostLine, files: list[EvidenceFile] | None = None) -> dict[str, Any]:
    return {
        "id": line.id,
        "risk_id": line.risk_id,
        "party": line.party,
        "amount_fen": line.amount_fen,
        "category": line.category.value,
        "spent_on": line.spent_on.isoformat(),
        "kind": line.kind.value,
        "protects": list(line.protects),
        "reimbursed_by": line.reimbursed_by,
        "drill": line.drill,
        "withdrawn": not line.active,
        "files": [_file(f) for f in files or []],
    }


def _statement(statement: Statement) -> dict[str, Any]:
    return {
        "id": statement.id,
        "risk_id": statement.risk_id,
        "rule": statement.rule.value,
        "state": statement.state.value,
        "borne_fen": dict(statement.borne_fen),
        "due_fen": dict(statement.due_fen),
        "transfers": [
            {"payer": t.payer, "payee": t.payee, "amount_fen": t.amount_fen, "form": t.form.value}
            for t in statement.transfers
        ],
        "inputs": dict(statement.inputs),
    }
