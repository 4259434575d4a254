"""`python -m bench [--smoke] [NAME ...]` (or `make bench`): run the named benchmarks, or all.

Names: origins, journal, national (overlay and plume reach against the national counties,
and the overlay beside PostGIS; the first run generates and loads them, a few minutes),
seir, ingest (observations/s by HTTP and MQTT against real server processes, SQLite and
PostgreSQL, a few minutes), latency (observation posted → CAP at every affected city's
webhook, p50/p99 under load), logins (another user's request during a flood of wrong
logins against a real server), aid (the mutual-aid allocation programme: highspy beside
PuLP's CBC and SciPy's linprog on the same model, optima checked equal), aid_proposal
(request lines and donors to proposed lines, against the raw solve on the same data),
river (a spill's reach beside flood routing), shapley (the exact Shapley value from a
coalition table beside walking every order, and 20 players beside a sampling estimate).

--smoke (or BENCH_SIZE=smoke) runs each at a size of seconds, on the bundled region where
the full run needs the national counties, and writes bench/results/smoke.json instead of
latest.json, whose figures it would otherwise overwrite with meaningless ones.
BENCH_BACKENDS=sqlite,postgresql chooses the backends of ingest and latency (default: both
when PostgreSQL answers at 127.0.0.1:5432).
"""

from __future__ import annotations

import argparse
import sys

from bench import suite
from bench.report import RESULTS, Result, print_report
from bench.size import Size, from_environment


def main(argv: list[str]) -> None:
    """Run the benchmarks named (all when none) in the order given, and report."""
    parser = argparse.ArgumentParser(
        prog="python -m bench", description="Run the benchmarks and report."
    )
    parser.add_argument("names", nargs="*", metavar="NAME", help=", ".join(suite.BENCHMARKS))
    parser.add_argument(
        "--smoke", action="store_true", help="seconds, not minutes; figures mean nothing"
    )
    args = parser.parse_args(argv)
    unknown = [name for name in args.names if name not in suite.BENCHMARKS]
    if unknown:
        parser.exit(
            2, f"unknown benchmark(s) {', '.join(unknown)}; known: {', '.join(suite.BENCHMARKS)}\n"
        )
    size = Size.SMOKE if args.smoke else from_environment()
    results: list[Result] = []
    for name in args.names or suite.BENCHMARKS:
        results.extend(suite.run(name, size))
    print_report(results, RESULTS / ("latest.json" if size is Size.FULL else "smoke.json"))


if __name__ == "__main__":
    main(sys.argv[1:])
