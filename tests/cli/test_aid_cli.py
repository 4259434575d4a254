"""`crossrisk aid solve FILE`: the allocation solver on its own, JSON in and JSON out."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from crossrisk.aid import reading

# Winston's Powerco (see tests/aid/test_allocation.py): optimum 1,020.
POWERCO: dict[str, Any] = {
    "donors": [
        {"id": "P1", "stock": {"kwh": 35}, "reserve": {}},
        {"id": "P2", "stock": {"kwh": 50}, "reserve": {}},
        {"id": "P3", "stock": {"kwh": 40}, "reserve": {}},
    ],
    "needs": [
        {"id": "C1", "demand": {"kwh": 45}, "priority": 4},
        {"id": "C2", "demand": {"kwh": 20}, "priority": 4},
        {"id": "C3", "demand": {"kwh": 30}, "priority": 4},
        {"id": "C4", "demand": {"kwh": 30}, "priority": 4},
    ],
    "travel_hours": {
        "P1": {"C1": 8, "C2": 6, "C3": 10, "C4": 9},
        "P2": {"C1": 9, "C2": 12, "C3": 13, "C4": 7},
        "P3": {"C1": 14, "C2": 9, "C3": 16, "C4": 5},
    },
}


def aid(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "crossrisk", "aid", *args],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        env={**os.environ, "NO_COLOR": "1"},
    )


def write(tmp_path: Path, data: Any, name: str = "problem.json") -> Path:
    path = tmp_path / name
    path.write_text(data if isinstance(data, str) else json.dumps(data), "utf-8")
    return path


def test_solve_prints_the_optimal_plan_as_json(tmp_path: Path) -> None:
    done = aid("solve", str(write(tmp_path, POWERCO)))

    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)  # nothing but the JSON on standard output
    assert set(result) == {"shipments", "unmet", "total_hours"}
    assert result["total_hours"] == 1020
    assert result["unmet"] == []
    assert {"from": "P3", "to": "C4", "item": "kwh", "quantity": 30} in result["shipments"]
    received: dict[str, int] = {}
    for shipment in result["shipments"]:
        assert set(shipment) == {"from", "to", "item", "quantity"}
        received[shipment["to"]] = received.get(shipment["to"], 0) + shipment["quantity"]
    assert received == {"C1": 45, "C2": 20, "C3": 30, "C4": 30}


def test_fair_adds_the_fairness_fields(tmp_path: Path) -> None:
    problem = {
        "donors": [{"id": "hz", "stock": {"tent": 10}, "reserve": {"tent": 0}}],
        "needs": [
            {"id": "near", "demand": {"tent": 10}, "priority": 4},
            {"id": "far", "demand": {"tent": 10}, "priority": 4},
        ],
        "travel_hours": {"hz": {"near": 1, "far": 9}},
    }
    path = write(tmp_path, problem)

    plain = json.loads(aid("solve", str(path)).stdout)
    done = aid("solve", "--fair", str(path))

    assert done.returncode == 0, done.stderr
    fair = json.loads(done.stdout)
    assert "fairness" not in plain and plain["total_hours"] == 10
    assert fair["fairness"]["lowest_fill_rate"] == pytest.approx(0.5)
    assert fair["fairness"]["price_hours"] == pytest.approx(40)
    assert fair["total_hours"] == pytest.approx(50)
    assert sorted((u["need"], u["quantity"]) for u in fair["unmet"]) == [("far", 5), ("near", 5)]


def _with(change: str) -> str:
    problem = json.loads(json.dumps(POWERCO))
    if change == "negative":
        problem["donors"][0]["stock"]["kwh"] = -3
    elif change == "unknown-need":
        problem["travel_hours"]["P1"]["C9"] = 3
    elif change == "unknown-donor":
        problem["travel_hours"]["P9"] = {"C1": 3}
    elif change == "reserve-above-stock":
        problem["donors"][1]["reserve"] = {"kwh": 51}
    elif change == "duplicate-donor":
        problem["donors"].append({"id": "P1", "stock": {}, "reserve": {}})
    elif change == "duplicate-need":
        problem["needs"].append({"id": "C2", "demand": {}, "priority": 1})
    elif change == "bad-priority":
        problem["needs"][0]["priority"] = 7
    elif change == "string-quantity":
        problem["needs"][0]["demand"]["kwh"] = "45"
    elif change == "too-many-donors":
        problem["donors"] = [
            {"id": f"d{k}", "stock": {}, "reserve": {}} for k in range(reading.MAX_DONORS + 1)
        ]
        problem["travel_hours"] = {}
    elif change == "too-many-items":
        problem["needs"][0]["demand"] = {f"i{k}": 1 for k in range(reading.MAX_ITEMS + 1)}
    text = json.dumps(problem)
    if change == "non-finite":
        text = text.replace('"C4": 5', '"C4": NaN')
    elif change == "infinite":
        text = text.replace('"kwh": 35', '"kwh": Infinity')
    elif change == "malformed":
        text = text[:-7]
    return text


BAD = {
    "negative": "is negative",
    "unknown-need": "unknown need 'C9'",
    "unknown-donor": "unknown donor 'P9'",
    "reserve-above-stock": "reserve of kwh (51) is above its stock (50)",
    "duplicate-donor": "donor id 'P1' appears more than once",
    "duplicate-need": "need id 'C2' appears more than once",
    "bad-priority": "priority must be 1 (highest) to 4",
    "string-quantity": "must be a number",
    "too-many-donors": f"at most {reading.MAX_DONORS}",
    "too-many-items": f"at most {reading.MAX_ITEMS}",
    "non-finite": "NaN is not a number",
    "infinite": "Infinity is not a number",
    "malformed": "not valid JSON",
}


@pytest.mark.parametrize("change", BAD)
def test_bad_input_exits_2_with_one_line(tmp_path: Path, change: str) -> None:
    done = aid("solve", str(write(tmp_path, _with(change))))

    assert done.returncode == 2, done.stdout
    assert done.stdout == ""
    assert done.stderr.count("\n") == 1 and "Traceback" not in done.stderr
    assert done.stderr.startswith("error: ")
    assert BAD[change] in done.stderr


def test_too_big_or_missing_file_exits_2(tmp_path: Path) -> None:
    big = tmp_path / "big.json"
    with big.open("wb") as out:
        out.truncate(reading.MAX_BYTES + 1)
    too_big = aid("solve", str(big))
    missing = aid("solve", str(tmp_path / "nonesuch.json"))

    assert too_big.returncode == 2 and "larger than 16 MiB" in too_big.stderr
    assert missing.returncode == 2 and "cannot read" in missing.stderr
    assert too_big.stderr.count("\n") == missing.stderr.count("\n") == 1


def test_parse_refuses_oversized_text_without_reading_it() -> None:
    with pytest.raises(reading.InvalidInput, match="larger than"):
        reading.parse(b" " * (reading.MAX_BYTES + 1))
