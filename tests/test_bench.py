"""The benchmarks' stations stay valid as the bundled stations and rules evolve (no timing)."""

from bench import ingest, latency
from bench._servers import rain_gauges


def test_benchmark_stations_are_valid_and_copy_the_named_gauges() -> None:
    gauges = rain_gauges(ingest.STATIONS)  # each one read and checked as a station file entry
    assert len({g.code for g in gauges}) == ingest.STATIONS
    copies = latency.firing_gauges(len(latency.FIRING))
    assert {c.code.removeprefix("bench-")[:-4] for c in copies} == set(latency.FIRING)
