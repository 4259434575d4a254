"""`crossrisk compensation shapley`: a coalition table in, the shares out; bad tables exit 2."""

from __future__ import annotations

import json
from typing import Any

import pytest
from click.testing import CliRunner

from crossrisk.cli import main

GLOVES = {
    "players": ["a", "b", "c"],
    "worth": {"a": 0, "b": 0, "c": 0, "a,b": 0, "a,c": 1, "b,c": 1, "a,b,c": 1},
}


def run(payload: Any) -> tuple[int, str, str]:
    text = payload if isinstance(payload, str) else json.dumps(payload)
    result = CliRunner().invoke(main, ["compensation", "shapley", "-"], input=text)
    return result.exit_code, result.stdout, result.stderr


def test_glove_game_prints_the_shares() -> None:
    code, out, _ = run(GLOVES)

    assert code == 0
    assert json.loads(out)["shares"] == pytest.approx({"a": 1 / 6, "b": 1 / 6, "c": 2 / 3})


def test_twenty_players_from_a_full_table() -> None:
    # The airport game: plane k (1…20) needs a runway of k, a coalition pays its longest.
    # Its Shapley value (Littlechild and Owen 1973): plane k pays Σ_{j ≤ k} 1 / (21 − j).
    players = [f"p{k:02d}" for k in range(1, 21)]
    parts = ['{"players":', json.dumps(players), ',"worth":{']
    entries = []
    for mask in range(1, 1 << 20):
        names = [players[i] for i in range(20) if mask >> i & 1]
        entries.append(f'"{",".join(names)}":{mask.bit_length()}')
    parts.append(",".join(entries))
    parts.append("}}")

    code, out, err = run("".join(parts))

    assert code == 0, err
    shares = json.loads(out)["shares"]
    expected = {p: sum(1 / (21 - j) for j in range(1, k + 1)) for k, p in enumerate(players, 1)}
    assert shares == pytest.approx(expected, rel=1e-9)
    assert sum(shares.values()) == pytest.approx(20.0)


@pytest.mark.parametrize(
    ("payload", "message"),
    [
        (
            {
                "players": ["a", "b", "c"],
                "worth": {"a": 1, "b": 1, "c": 1, "a,b": 2, "a,c": 2, "a,b,c": 3},
            },
            "error: the coalition 'b,c' is missing",
        ),
        ({"players": ["a", "a"], "worth": {"a": 1}}, "error: the player 'a' appears twice"),
        ({"players": [], "worth": {}}, "error: a game needs at least one player"),
        ({"players": ["a,b"], "worth": {"a,b": 1}}, "contains a comma or a NUL"),
        ({"players": ["a\u0000"], "worth": {}}, "contains a comma or a NUL"),
        ({"players": ["a"], "worth": {"a": True}}, "the worth of 'a' is not a number"),
        ('{"players": ["a"], "worth": {"a": 1e400}}', "the worth of 'a' is not finite"),
        ('{"players": ["a"], "worth": {"a": NaN}}', "NaN is not a number JSON allows"),
        ('{"players": ["a"], "worth": {"a": 1' + "0" * 400 + "}}", "'a' is not finite"),
        (
            '{"players": ["a", "b"], "worth": {"a": 1, "b": 1, "a,b": 1' + "0" * 400 + "}}",
            "the worth of 'a,b' is not finite",
        ),
        ('{"players": ["a"], "worth": {"a": 1' + "0" * 5000 + "}}", "too many digits"),
        ('{"players": ["a"], "worth": {"a": 1, "a": 2}}', "the key 'a' appears twice"),
        ({"players": ["a"]}, "the key 'worth' is missing"),
        ({"players": ["a"], "worth": {"a": 1}, "extra": 1}, "unknown key 'extra'"),
        ({"players": "a", "worth": {}}, "players must be a list of names"),
        ({"players": [f"p{i}" for i in range(21)], "worth": {}}, "at most 20 players"),
        ("[1]", "the input must be a JSON object"),
        ("{", "not valid JSON"),
    ],
)
def test_bad_table_exits_2_with_one_line(payload: Any, message: str) -> None:
    code, out, err = run(payload)

    assert code == 2
    assert out == ""
    assert message in err
    assert err.count("\n") == 1
