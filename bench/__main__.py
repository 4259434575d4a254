"""`python -m bench [NAME ...]` (or `make bench`): run the named benchmarks, or all, and report.

Names: origins, journal, national (overlay and plume reach against the national counties;
the first run generates and loads them, a few minutes), seir, ingest (observations/s by HTTP
and MQTT against real server processes, SQLite and PostgreSQL, a few minutes), latency
(observation posted → CAP at every affected city's webhook, p50/p99 under load).
BENCH_BACKENDS=sqlite,postgresql chooses the backends of ingest and latency (default: both
when PostgreSQL answers at 127.0.0.1:5432).
"""

import sys
from collections.abc import Callable

from bench import ingest, journal, latency, national, origins, reach_national, seir
from bench.report import Result, print_report

BENCHMARKS: dict[str, Callable[[], list[Result]]] = {
    "origins": lambda: [origins.run()],
    "journal": lambda: [journal.run()],
    "national": lambda: reach_national.run(national.prepare()),
    "seir": lambda: [seir.run()],
    "ingest": ingest.run,
    "latency": latency.run,
}


def main(names: list[str]) -> None:
    """Run the benchmarks named (all when none) in the order given."""
    unknown = [name for name in names if name not in BENCHMARKS]
    if unknown:
        sys.exit(f"unknown benchmark(s) {', '.join(unknown)}; known: {', '.join(BENCHMARKS)}")
    results: list[Result] = []
    for name in names or BENCHMARKS:
        results.extend(BENCHMARKS[name]())
    print_report(results)


main(sys.argv[1:])
