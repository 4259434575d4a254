"""How big a run is: the full figures the README quotes, or a smoke run of seconds.

A smoke run goes through every step of a benchmark (the same data paths, servers,
databases and correctness checks) on little data, so the test suite can show that each
benchmark still runs to the end. Its timings mean nothing and are never asserted.
"""

from __future__ import annotations

import os
from enum import StrEnum


class Size(StrEnum):
    FULL = "full"
    SMOKE = "smoke"


def from_environment() -> Size:
    """BENCH_SIZE (full or smoke), full when unset."""
    chosen = os.environ.get("BENCH_SIZE", "").strip().lower() or Size.FULL
    try:
        return Size(chosen)
    except ValueError:
        known = ", ".join(size.value for size in Size)
        raise SystemExit(f"BENCH_SIZE={chosen!r} is not a size; known: {known}") from None
