"""`crossrisk compensation …`: the compensation rules on their own, JSON in and out.

`shapley FILE` ("-": standard input) reads a full coalition table of up to 20 players,
{"players": [...], "worth": {"a": 6, "a,b": 12, ...}}, every non-empty coalition written
as its members' names in the order of "players", joined by commas, and prints
{"shares": {...}}. Bad input exits 2 with one line on standard error. The rules and their
sources are in docs/compensation.md.
"""

from __future__ import annotations

import json
from typing import Any

import click

from crossrisk.cli.support import read_text_file
from crossrisk.domain.compensation.shapley import exact_shapley, game_from_table
from crossrisk.domain.errors import InvalidInput
from crossrisk.hydro.inputs import parse_json

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
