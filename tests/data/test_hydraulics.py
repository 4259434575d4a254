"""The bundled river hydraulics: a row for every edge, bounded numbers, cited sources."""

from __future__ import annotations

import itertools
import json
import math
import re
import tomllib
from pathlib import Path
from typing import Any

import pytest

import crossrisk

REGION_DIR = Path(crossrisk.__file__).resolve().parent / "data" / "regions" / "yrd"
NUMBERS = ("discharge_m3_s", "width_m", "depth_m", "velocity_m_s", "slope")


@pytest.fixture(scope="module")
def hydraulics() -> dict[str, Any]:
    return tomllib.loads((REGION_DIR / "hydraulics.toml").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def edges() -> dict[str, dict[str, Any]]:
    collection = json.loads((REGION_DIR / "rivers.geojson").read_text(encoding="utf-8"))
    return {f["properties"]["id"]: f["properties"] for f in collection["features"]}


def test_every_edge_has_a_row_and_no_row_lacks_an_edge(
    hydraulics: dict[str, Any], edges: dict[str, dict[str, Any]]
) -> None:
    assert set(hydraulics["edges"]) == set(edges)


def test_every_number_is_finite_and_positive(hydraulics: dict[str, Any]) -> None:
    for edge, row in hydraulics["edges"].items():
        for name in NUMBERS + tuple(k for k in ("wave_celerity_m_s",) if k in row):
            value = row[name]
            assert isinstance(value, int | float) and math.isfinite(value) and value > 0, (
                edge,
                name,
            )
        assert row["slope"] < 0.01 and row["velocity_m_s"] < 5 and row["depth_m"] < 200
    for lake in hydraulics["lakes"].values():
        for name in ("volume_m3", "area_km2", "outflow_m3_s"):
            assert math.isfinite(lake[name]) and lake[name] > 0


def test_discharge_matches_width_depth_and_velocity_on_river_edges(
    hydraulics: dict[str, Any],
) -> None:
    # Lake edges carry an equivalent width (area / length) and a through-flow velocity,
    # and tidal edges a residual velocity; continuity is checked on them all the same,
    # since every depth was reconciled as Q/(W·V) (RIVERS.md, Hydraulics).
    for edge, row in hydraulics["edges"].items():
        carried = row["width_m"] * row["depth_m"] * row["velocity_m_s"]
        assert abs(carried - row["discharge_m3_s"]) <= 0.35 * row["discharge_m3_s"], edge


def test_every_lake_names_an_existing_edge_and_has_names(
    hydraulics: dict[str, Any], edges: dict[str, dict[str, Any]]
) -> None:
    named = {lake["edge"] for lake in hydraulics["lakes"].values()}
    assert named == {"xinan-02", "huai-02", "taihu-01"}
    for lake in hydraulics["lakes"].values():
        assert lake["edge"] in edges and lake["name_zh"] and lake["name_en"]


def test_storage_tables_increase_strictly(hydraulics: dict[str, Any]) -> None:
    for lake in hydraulics["lakes"].values():
        table = lake.get("storage_outflow", [])
        for (s0, o0), (s1, o1) in itertools.pairwise(table):
            assert s1 > s0 and o1 > o0


def test_every_reference_of_a_basis_is_listed_in_rivers_md(hydraulics: dict[str, Any]) -> None:
    rivers_md = (REGION_DIR / "RIVERS.md").read_text(encoding="utf-8")
    rows = [*hydraulics["edges"].values(), *hydraulics["lakes"].values()]
    cited = {ref for row in rows for ref in re.findall(r"\[(H\d+)\]", row["basis"])}
    assert cited
    for ref in cited:
        assert f"\n[{ref}] " in rivers_md, ref


def test_a_downstream_edge_carries_at_least_the_larger_inflow(
    hydraulics: dict[str, Any], edges: dict[str, dict[str, Any]]
) -> None:
    flows = {edge: row["discharge_m3_s"] for edge, row in hydraulics["edges"].items()}
    leaving = {props["from_node"]: edge for edge, props in edges.items()}
    for edge, props in edges.items():
        below = leaving.get(props["to_node"])
        if below is not None:
            assert flows[below] >= flows[edge], (edge, below)
