"""The Shapley value of a joint-response cost game: exact to 20 players, sampled beyond.

A game gives every coalition S of the players a worth v(S) (here: the cost S would bear
responding on its own; v(∅) = 0). The Shapley value (Shapley 1953, "A value for n-person
games", Contributions to the Theory of Games II) gives player i

    φᵢ = Σ_{S ⊆ N∖{i}} |S|! (n − |S| − 1)! / n! · (v(S ∪ {i}) − v(S)),

its marginal cost averaged over every order in which the coalition could form. The shares
add up to v(N) (efficiency), equal players get equal shares (symmetry), a player that
changes no coalition's worth gets nothing (null player).

Exact: the worths sit in a numpy array indexed by bitmask (bit i set ⇔ player i in S), and
the sum above is evaluated for all subsets at once as

    φᵢ = Σ_{S ∋ i} w₋(|S|) v(S) − Σ_{S ∌ i} w₊(|S|) v(S),
    w₋(s) = (s − 1)! (n − s)! / n!,   w₊(s) = s! (n − s − 1)! / n!,

2ⁿ · n array operations, about a second for 20 players, against n! · n for enumerating
permutations. Beyond 20 players the table alone (2²⁰ ≈ 10⁶ worths) outgrows what a
settlement needs, so the value is estimated by sampling permutations (Castro, Gómez and
Tejada 2009, "Polynomial calculation of the Shapley value based on sampling", Computers &
Operations Research 36(5)): each player's share is the mean of its marginal cost over m
seeded random orders, reported with its standard error σ/√m and the 95 % half-width
1.96 σ/√m (normal approximation, fair for m in the hundreds or more).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from itertools import permutations as orders_of

import numpy as np
import numpy.typing as npt

from crossrisk.domain.errors import InvalidInput

MAX_EXACT_PLAYERS = 20
MAX_NAME_LENGTH = 64
MAX_SAMPLED_PLAYERS = 10_000
MAX_PERMUTATIONS = 1_000_000
# The normal quantile for a two-sided 95 % interval.
Z_95 = 1.959963984540054

CostFunction = Callable[[frozenset[str]], float]


class Method(StrEnum):
    EXACT = "exact"
    SAMPLED = "sampled"


@dataclass(frozen=True, slots=True)
class CoalitionGame:
    """Players and the worth of every coalition, worth[mask] with bit i for players[i]."""

    players: tuple[str, ...]
    worth: npt.NDArray[np.float64]


@dataclass(frozen=True, slots=True)
class ShapleyShares:
    """Each player's share; for a sampled estimate, its standard error and 95 % half-width."""

    players: tuple[str, ...]
    shares: tuple[float, ...]
    method: Method
    permutations: int = 0
    standard_errors: tuple[float, ...] = ()
    half_widths_95: tuple[float, ...] = ()

    def as_dict(self) -> dict[str, float]:
        return dict(zip(self.players, self.shares, strict=True))


def check_players(players: Sequence[str], *, limit: int) -> tuple[str, ...]:
    """The players as a tuple, or InvalidInput for none, too many, a bad or repeated name."""
    if isinstance(players, str) or not players:
        raise InvalidInput("a game needs at least one player")
    if len(players) > limit:
        raise InvalidInput(f"a game takes at most {limit} players here, not {len(players)}")
    seen: set[str] = set()
    for name in players:
        if not isinstance(name, str) or not name.strip():
            raise InvalidInput("a player's name must be a non-empty string")
        # Coalitions are written as names joined by commas, so a comma would be ambiguous.
        if "," in name or "\x00" in name:
            raise InvalidInput(f"the player name {name!r} contains a comma or a NUL")
        if len(name) > MAX_NAME_LENGTH:
            raise InvalidInput(f"the player name {name[:20]!r}… is over {MAX_NAME_LENGTH} chars")
        if name in seen:
            raise InvalidInput(f"the player {name!r} appears twice")
        seen.add(name)
    return tuple(players)


def coalition_key(players: Sequence[str], mask: int) -> str:
    """A coalition as the table writes it: its members' names in players' order, with commas."""
    return ",".join(p for i, p in enumerate(players) if mask >> i & 1)


def game_from_table(players: Sequence[str], worth: Mapping[str, float]) -> CoalitionGame:
    """A game from a full table keyed by coalition ("a", "a,b", … in players' order).

    Every non-empty coalition must be there, and nothing else; every worth finite.
    """
    names = check_players(players, limit=MAX_EXACT_PLAYERS)
    size = 1 << len(names)
    # Each key spelled as the table must spell it, built by doubling (the keys with player
    # i are those without it plus its name): one concatenation per coalition, not a join.
    keys = [""]
    for name in names:
        keys.extend([f"{key},{name}" if key else name for key in keys])
    if len(worth) == size - 1:
        raw = [worth.get(key) for key in keys[1:]]
        # type() rather than isinstance(): True is an int, and not a worth.
        if all(type(value) in (int, float) for value in raw):
            try:
                values = np.array([0.0, *raw], dtype=np.float64)
            except OverflowError:  # an integer beyond any float
                values = np.array([np.inf])
            if np.isfinite(values).all():
                return CoalitionGame(names, values)
    # A key missing, misspelt or out of order, or a worth that is no number: the careful
    # reading names the first fault.
    return _game_from_table_naming_the_fault(names, worth)


def _game_from_table_naming_the_fault(
    names: tuple[str, ...], worth: Mapping[str, float]
) -> CoalitionGame:
    index = {name: i for i, name in enumerate(names)}
    size = 1 << len(names)
    values = np.zeros(size, dtype=np.float64)
    filled = np.zeros(size, dtype=bool)
    filled[0] = True
    for key, value in worth.items():
        mask = _mask_of(key, index)
        values[mask] = _worth(key, value)
        filled[mask] = True
    if not filled.all():
        missing = int(np.flatnonzero(~filled)[0])
        raise InvalidInput(
            f"the coalition {coalition_key(names, missing)!r} is missing: "
            f"a table needs all {size - 1} non-empty coalitions, it has {len(worth)}"
        )
    return CoalitionGame(names, values)


def game_from_cost(players: Sequence[str], cost: CostFunction) -> CoalitionGame:
    """A game from a cost function over coalitions, evaluated on every coalition."""
    names = check_players(players, limit=MAX_EXACT_PLAYERS)
    values = np.zeros(1 << len(names), dtype=np.float64)
    for mask in range(1, len(values)):
        coalition = frozenset(p for i, p in enumerate(names) if mask >> i & 1)
        values[mask] = _finite_cost(cost, coalition)
    return CoalitionGame(names, values)


def exact_shapley(game: CoalitionGame) -> ShapleyShares:
    """Every player's Shapley value of a full game, by the vectorised subset sum."""
    n = len(game.players)
    masks = np.arange(1 << n, dtype=np.int64)
    sizes = _popcount(masks)
    # 1 / (n · C(n−1, k)) = k! (n−1−k)! / n!: the weight of a coalition of k others.
    weight_of_others = np.array(
        [1.0 / (n * math.comb(n - 1, k)) for k in range(n)] + [0.0], dtype=np.float64
    )
    with_player = weight_of_others[np.maximum(sizes - 1, 0)] * game.worth
    without_player = weight_of_others[sizes] * game.worth
    total_with = []
    total_without = []
    for i in range(n):
        member = (masks >> i & 1).astype(bool)
        total_with.append(float(with_player[member].sum()))
        total_without.append(float(without_player[~member].sum()))
    shares = tuple(a - b for a, b in zip(total_with, total_without, strict=True))
    return ShapleyShares(game.players, shares, Method.EXACT)


def permutation_shapley(game: CoalitionGame) -> ShapleyShares:
    """The Shapley value by walking every order of the players: n! · n steps.

    The definition itself, kept as the reference the subset sum is checked and timed against;
    only for small games (at most 9 players: 9! = 362,880 orders).
    """
    n = len(game.players)
    if n > 9:
        raise InvalidInput("walking every order is for at most 9 players")
    totals = [0.0] * n
    count = 0
    for order in orders_of(range(n)):
        mask = 0
        for player in order:
            grown = mask | 1 << player
            totals[player] += float(game.worth[grown] - game.worth[mask])
            mask = grown
        count += 1
    return ShapleyShares(game.players, tuple(t / count for t in totals), Method.EXACT)


def sampled_shapley(
    players: Sequence[str], cost: CostFunction, *, permutations: int, seed: int
) -> ShapleyShares:
    """A seeded Monte-Carlo estimate from `permutations` random orders, with its error bound.

    The same seed, players and cost give the same estimate. Each order costs n + 1
    evaluations of the cost function (the empty coalition's included, which must be 0).
    """
    names = check_players(players, limit=MAX_SAMPLED_PLAYERS)
    if isinstance(permutations, bool) or not 2 <= permutations <= MAX_PERMUTATIONS:
        raise InvalidInput(f"permutations must be between 2 and {MAX_PERMUTATIONS}")
    empty = _finite_cost(cost, frozenset())
    n = len(names)
    generator = np.random.default_rng(seed)
    marginals = np.empty((permutations, n), dtype=np.float64)
    for row in range(permutations):
        coalition: set[str] = set()
        before = empty
        for player in generator.permutation(n):
            coalition.add(names[player])
            after = _finite_cost(cost, frozenset(coalition))
            marginals[row, player] = after - before
            before = after
    means = marginals.mean(axis=0)
    errors = marginals.std(axis=0, ddof=1) / math.sqrt(permutations)
    return ShapleyShares(
        names,
        tuple(float(m) for m in means),
        Method.SAMPLED,
        permutations=permutations,
        standard_errors=tuple(float(e) for e in errors),
        half_widths_95=tuple(float(Z_95 * e) for e in errors),
    )


def _worth(key: str, value: object) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise InvalidInput(f"the worth of {key!r} is not a number")
    if not _is_finite(value):
        raise InvalidInput(f"the worth of {key!r} is not finite")
    return float(value)


def _is_finite(value: int | float) -> bool:
    try:
        return math.isfinite(value)
    except OverflowError:  # an integer too large for a float
        return False


def _mask_of(key: str, index: Mapping[str, int]) -> int:
    if not isinstance(key, str) or not key:
        raise InvalidInput("a coalition key must name at least one player")
    mask = 0
    last = -1
    for name in key.split(","):
        position = index.get(name)
        if position is None:
            raise InvalidInput(f"the coalition {key!r} names {name!r}, who is not a player")
        # One spelling per coalition, so a table cannot give one coalition two worths.
        if position <= last:
            raise InvalidInput(f"the coalition {key!r} is not written in the players' order")
        mask |= 1 << position
        last = position
    return mask


def _finite_cost(cost: CostFunction, coalition: frozenset[str]) -> float:
    value = cost(coalition)
    if isinstance(value, bool) or not isinstance(value, int | float) or not _is_finite(value):
        shown = ",".join(sorted(coalition)) or "the empty coalition"
        raise InvalidInput(f"the cost of {shown!r} is not a finite number")
    if not coalition and value != 0:
        raise InvalidInput("the cost of the empty coalition must be 0")
    return float(value)


def _popcount(masks: npt.NDArray[np.int64]) -> npt.NDArray[np.int64]:
    counts = np.zeros_like(masks)
    remaining = masks.copy()
    while remaining.any():
        counts += remaining & 1
        remaining >>= 1
    return counts
