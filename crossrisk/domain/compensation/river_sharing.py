"""Sharing the cost of cleaning a polluted river: Ni and Wang's two closed forms.

Ni, D. and Wang, Y. (2007), "Sharing a polluted river", Games and Economic Behavior 60(1),
176–186. A river runs through regions 1, 2, …, n, from upstream to downstream; cleaning
the segment in region j costs cⱼ ≥ 0. Two doctrines of international water law give two
rules:

- Local responsibility sharing (LRS), after Absolute Territorial Sovereignty: each region
  owns the water on its territory, so each pays for its own segment: xᵢ = cᵢ.
- Upstream equal sharing (UES), after Unlimited Territorial Integrity: each region is owed
  clean water from upstream, so the cost of segment j is shared equally by region j and all
  the regions above it: xᵢ = Σ_{j ≥ i} cⱼ / j.

Each is the Shapley value of a cost game, the paper's main result: LRS of the stand-alone
game c(S) = Σ_{i∈S} cᵢ, UES of the game in which a coalition answers for every segment at
or below its most upstream member, c(S) = Σ_{j ≥ min S} cⱼ. (That is our writing of the
upstream game: it is a sum over segments j of games costing cⱼ as soon as any of regions
1…j is in the coalition, each of which the Shapley value splits equally among 1…j.) Both
games are here as cost functions, so tests build each game and compare its Shapley value.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from crossrisk.domain.compensation.shapley import CostFunction, check_players
from crossrisk.domain.errors import InvalidInput

MAX_REGIONS = 10_000


@dataclass(frozen=True, slots=True)
class River:
    """Regions from upstream to downstream and the cost of cleaning each one's segment."""

    regions: tuple[str, ...]
    costs: tuple[float, ...]

    def __post_init__(self) -> None:
        check_players(self.regions, limit=MAX_REGIONS)
        if len(self.costs) != len(self.regions):
            raise InvalidInput("a river needs one cleaning cost per region")
        for region, cost in zip(self.regions, self.costs, strict=True):
            if isinstance(cost, bool) or not isinstance(cost, int | float):
                raise InvalidInput(f"the cleaning cost of {region!r} is not a number")
            if cost < 0 or not _finite(cost):
                raise InvalidInput(f"the cleaning cost of {region!r} must be finite and ≥ 0")


def river(regions: Sequence[str], costs: Sequence[float]) -> River:
    """A river from its regions (upstream first) and their segments' cleaning costs."""
    return River(tuple(regions), tuple(costs))


def local_responsibility_sharing(stretch: River) -> dict[str, float]:
    """LRS: each region pays the cost of its own segment."""
    return dict(zip(stretch.regions, (float(c) for c in stretch.costs), strict=True))


def upstream_equal_sharing(stretch: River) -> dict[str, float]:
    """UES: segment j's cost split equally among region j and the regions upstream of it."""
    shares = [0.0] * len(stretch.regions)
    # Walking from the mouth up, the running sum is Σ_{j ≥ i} cⱼ / j (j counted from 1).
    running = 0.0
    for position in range(len(stretch.regions) - 1, -1, -1):
        running += stretch.costs[position] / (position + 1)
        shares[position] = running
    return dict(zip(stretch.regions, shares, strict=True))


def stand_alone_cost(stretch: River) -> CostFunction:
    """The LRS game: a coalition pays for its own members' segments."""
    cost_of = dict(zip(stretch.regions, stretch.costs, strict=True))

    def cost(coalition: frozenset[str]) -> float:
        return float(sum(cost_of[r] for r in coalition))

    return cost


def upstream_responsibility_cost(stretch: River) -> CostFunction:
    """The UES game: a coalition pays for every segment from its most upstream member down."""
    position = {region: i for i, region in enumerate(stretch.regions)}
    from_here_down = [0.0] * (len(stretch.costs) + 1)
    for i in range(len(stretch.costs) - 1, -1, -1):
        from_here_down[i] = from_here_down[i + 1] + stretch.costs[i]

    def cost(coalition: frozenset[str]) -> float:
        if not coalition:
            return 0.0
        return from_here_down[min(position[r] for r in coalition)]

    return cost


def _finite(value: int | float) -> bool:
    try:
        return math.isfinite(value)
    except OverflowError:  # an integer too large for a float
        return False
