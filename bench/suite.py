"""Every benchmark by name, each a function of the run's size returning its results."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

from bench import (
    aid,
    aid_proposal,
    ingest,
    journal,
    latency,
    logins,
    national,
    origins,
    reach_national,
    recompute,
    river,
    seir,
    shapley,
)
from bench.report import Result
from bench.size import Size

BENCHMARKS: dict[str, Callable[[Size], list[Result]]] = {
    "origins": lambda size: [origins.run(size)],
    "journal": lambda size: [journal.run(size)],
    "national": lambda size: reach_national.run(national.prepare(size), size),
    "seir": lambda size: [seir.run(size)],
    "ingest": ingest.run,
    "latency": latency.run,
    "logins": logins.run,
    "aid": aid.run,
    "aid_proposal": aid_proposal.run,
    "river": river.run,
    "shapley": shapley.run,
    "recompute": recompute.run,
}


def run(name: str, size: Size) -> list[Result]:
    """The named benchmark's results, each marked with the size it ran at."""
    return [replace(result, size=size.value) for result in BENCHMARKS[name](size)]
