"""Timing helpers and the table/JSON report every benchmark prints."""

from __future__ import annotations

import json
import statistics
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path

RESULTS = Path(__file__).parent / "results"


@dataclass(frozen=True)
class Result:
    name: str
    unit: str
    measured: float
    baseline_name: str
    baseline: float
    # How many times better the measured figure is than the baseline (higher is better).
    ratio: float
    detail: dict[str, float]
    # What the issue asks of this figure, and whether this run met it; None where it sets none.
    target: str | None = None
    met: bool | None = None
    # "smoke" marks a run that only shows the benchmark still works: its figures mean nothing.
    size: str = "full"


def latencies_ms(run: Callable[[int], object], count: int) -> list[float]:
    """Run `run(i)` for i in range(count) and return each call's latency in ms."""
    times = []
    for i in range(count):
        start = time.perf_counter()
        run(i)
        times.append((time.perf_counter() - start) * 1000)
    return times


def median_ms(work: Callable[[], object], runs: int) -> float:
    """The median wall time of `runs` calls of `work`, in ms."""
    times = []
    for _ in range(runs):
        began = time.perf_counter()
        work()
        times.append((time.perf_counter() - began) * 1000.0)
    return statistics.median(times)


def percentile(values: Sequence[float], q: float) -> float:
    """The q-th percentile (0–100) by linear interpolation."""
    return statistics.quantiles(values, n=100, method="inclusive")[max(0, min(98, round(q) - 1))]


def print_report(results: list[Result], path: Path) -> None:
    """Print a table and the JSON, and write the JSON to `path`."""
    print(f"{'benchmark':<42} {'measured':>12} {'baseline':>12} {'ratio':>8}  unit")
    for r in results:
        print(f"{r.name:<42} {r.measured:>12.3f} {r.baseline:>12.3f} {r.ratio:>7.1f}×  {r.unit}")
        print(f"    baseline: {r.baseline_name}")
        if r.target is not None:
            print(f"    target: {r.target}: {'met' if r.met else 'MISSED'}")
        for key, value in r.detail.items():
            print(f"    {key:<30} {value:>12.3f}")
    path.parent.mkdir(parents=True, exist_ok=True)
    payload = [asdict(r) for r in results]
    path.write_text(json.dumps(payload, indent=2), "utf-8")
    print(json.dumps(payload))
