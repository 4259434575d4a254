"""`python -m bench [NAME ...]` (or `make bench`): run the named benchmarks, or all, and report.

Names: origins, journal, national (overlay and plume reach against the national counties;
the first run generates and loads them, a few minutes), seir.
"""

import sys
from collections.abc import Callable

from bench import journal, national, origins, reach_national, seir
from bench.report import Result, print_report

BENCHMARKS: dict[str, Callable[[], list[Result]]] = {
    "origins": lambda: [origins.run()],
    "journal": lambda: [journal.run()],
    "national": lambda: reach_national.run(national.prepare()),
    "seir": lambda: [seir.run()],
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
