"""`crossrisk model …`: the calculators answer in JSON and refuse bad input in one line."""

from __future__ import annotations

import json
import math
import subprocess
import sys
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from click.testing import CliRunner

from crossrisk.cli import main
from crossrisk.hydro.advection_dispersion import instantaneous

SPILL: dict[str, Any] = {
    "mass_kg": 1000,
    "area_m2": 500,
    "velocity_m_s": 0.5,
    "dispersion_m2_s": 50,
    "decay_per_day": 0.1,
    "distance_km": 10,
    "times_h": [2, 4, 5, 5.5, 6, 7, 8, 10],
}
MIXED: dict[str, Any] = {
    "mass_kg": 20000,
    "volume_m3": 1.78e10,
    "outflow_m3_s": 300,
    "decay_per_day": 0,
    "times_h": [0, 24, 720],
}
PONCE: dict[str, Any] = {
    "dt_h": 1,
    "storage": {"table_m3_vs_m3_s": [[0, 0], [7_200_000, 1000]]},
    "inflow_m3_s": [100, 150, 250, 400, 800, 1000, 900, 700],
}


def run(command: str, payload: Any) -> tuple[int, str, str]:
    text = payload if isinstance(payload, str) else json.dumps(payload)
    result = CliRunner().invoke(main, ["model", command, "-"], input=text)
    return result.exit_code, result.stdout, result.stderr


def test_river_spill_answers_the_concentrations_and_the_peak_among_the_times() -> None:
    code, out, _ = run("river-spill", SPILL)
    assert code == 0
    answer = json.loads(out)
    assert list(answer) == ["concentration_mg_l", "peak_mg_l", "peak_time_h"]
    expected = instantaneous(
        1000, 500, 0.5, 50, 0.1, 10_000, np.array(SPILL["times_h"], dtype=np.float64) * 3600
    )
    assert answer["concentration_mg_l"] == pytest.approx(expected.tolist(), rel=1e-5)
    assert answer["peak_time_h"] == 5.5
    assert answer["peak_mg_l"] == max(answer["concentration_mg_l"])
    # Six significant figures.
    assert answer["peak_mg_l"] == float(f"{answer['peak_mg_l']:.6g}")


def test_river_spill_spreads_a_release_over_its_hours() -> None:
    _, out, _ = run("river-spill", {**SPILL, "release_hours": 3})
    spread = json.loads(out)
    _, out, _ = run("river-spill", SPILL)
    assert spread["peak_mg_l"] < json.loads(out)["peak_mg_l"]


def test_mixed_reservoir_dilutes_by_the_whole_volume() -> None:
    code, out, _ = run("mixed-reservoir", MIXED)
    assert code == 0
    c = json.loads(out)["concentration_mg_l"]
    assert c[0] == pytest.approx(20000 / 1.78e10 * 1000, rel=1e-5)
    assert c[2] == pytest.approx(c[0] * math.exp(-300 * 720 * 3600 / 1.78e10), rel=1e-5)


def test_reservoir_routes_ponces_table_and_a_linear_reservoir() -> None:
    code, out, _ = run("reservoir", PONCE)
    assert code == 0
    # Ponce's onlinerouting02 example (K = 2 h, Δt = 1 h), its printed outflows.
    assert json.loads(out)["outflow_m3_s"] == pytest.approx(
        [100, 110, 146, 217.6, 370.56, 582.336, 729.402, 757.641], abs=1e-3
    )
    linear = {**PONCE, "storage": {"linear_k_h": 2}, "initial_outflow_m3_s": 100}
    code, out, _ = run("reservoir", linear)
    assert code == 0
    assert len(json.loads(out)["outflow_m3_s"]) == 8


def test_the_real_command_reads_a_file_and_writes_json(tmp_path: Path) -> None:
    path = tmp_path / "spill.json"
    path.write_text(json.dumps(SPILL))
    done = subprocess.run(
        [sys.executable, "-m", "crossrisk", "model", "river-spill", str(path)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["peak_time_h"] == 5.5
    bad = subprocess.run(
        [sys.executable, "-m", "crossrisk", "model", "reservoir", "-"],
        input='{"dt_h": 1, "storage": {"linear_k_h": -2}, "inflow_m3_s": [1]}',
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert bad.returncode == 2
    assert bad.stdout == ""
    assert bad.stderr.count("\n") == 1 and "linear_k_h" in bad.stderr


@pytest.mark.parametrize(
    ("command", "payload", "words"),
    [
        ("river-spill", {**SPILL, "mass_kg": -1}, "mass_kg"),
        ("river-spill", {**SPILL, "mass_kg": 0}, "mass_kg"),
        ("river-spill", {**SPILL, "area_m2": 0}, "area_m2"),
        ("river-spill", {**SPILL, "mass_kg": True}, "mass_kg must be a number"),
        ("river-spill", {**SPILL, "mass_kg": "5"}, "mass_kg must be a number"),
        ("river-spill", {**SPILL, "times_h": []}, "times_h"),
        ("river-spill", {**SPILL, "times_h": [3, 2]}, "strictly increasing"),
        ("river-spill", {**SPILL, "times_h": [1, 2, 90_000]}, "times_h[2]"),
        ("river-spill", {**SPILL, "times_h": list(range(100_001))}, "100000"),
        ("river-spill", {**SPILL, "colour": "red"}, "unknown key 'colour'"),
        ("river-spill", {k: v for k, v in SPILL.items() if k != "area_m2"}, "missing key"),
        ("river-spill", json.dumps(SPILL).replace("1000", "NaN", 1), "NaN"),
        ("river-spill", json.dumps(SPILL).replace("1000", "1e999", 1), "finite"),
        ("river-spill", json.dumps(SPILL).replace("1000", "1" + "0" * 400, 1), "range"),
        ("river-spill", '{"mass_kg": 1, "mass_kg": 2}', "twice"),
        ("river-spill", "[1, 2]", "JSON object"),
        ("river-spill", "{", "not valid JSON"),
        ("mixed-reservoir", {**MIXED, "volume_m3": 0}, "volume_m3"),
        ("mixed-reservoir", {**MIXED, "volume_m3": -5}, "volume_m3"),
        ("mixed-reservoir", {**MIXED, "outflow_m3_s": -5}, "outflow_m3_s"),
        ("reservoir", {**PONCE, "storage": {}}, "exactly one"),
        (
            "reservoir",
            {**PONCE, "storage": {"table_m3_vs_m3_s": [[0, 0], [10, 5], [5, 7]]}},
            "strictly increasing",
        ),
        (
            "reservoir",
            {**PONCE, "storage": {"table_m3_vs_m3_s": [[0, 0], [10, 5], [20, 5]]}},
            "strictly increasing",
        ),
        ("reservoir", {**PONCE, "inflow_m3_s": [1, -1]}, "inflow_m3_s[1]"),
        ("reservoir", {**PONCE, "dt_h": 0}, "dt_h"),
    ],
)
def test_bad_input_exits_2_with_one_line(command: str, payload: Any, words: str) -> None:
    code, out, err = run(command, payload)
    assert code == 2, out
    assert out == ""
    assert err.startswith("error: ") and err.count("\n") == 1
    assert words in err


def test_a_file_over_10_mib_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "big.json"
    path.write_text(" " * (10 * 1024 * 1024 + 1))
    result = CliRunner().invoke(main, ["model", "river-spill", str(path)])
    assert result.exit_code == 2
    assert "over 10 MiB" in result.stderr
    big = CliRunner().invoke(
        main, ["model", "river-spill", "-"], input=" " * (10 * 1024 * 1024 + 1)
    )
    assert big.exit_code == 2
    assert "over 10 MiB" in big.stderr
