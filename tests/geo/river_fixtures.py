"""Small straight river networks along the 30th parallel, for the river models' tests."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np

from crossrisk.geo.geodesy import cumulative_km
from crossrisk.geo.hydraulics import read_hydraulics
from crossrisk.geo.river import RiverEdge, RiverNetwork

LAT = 30.0


def straight_network(
    pieces: Sequence[tuple[str, float, float]], hydraulics: Mapping[str, Any]
) -> RiverNetwork:
    """Edges (id, from lon, to lon) joined end to end, flowing east."""
    edges = []
    for n, (edge_id, lon0, lon1) in enumerate(pieces):
        coords = np.column_stack([np.linspace(lon0, lon1, 21), np.full(21, LAT)])
        cum = cumulative_km(coords)
        edges.append(
            RiverEdge(
                id=edge_id,
                river="test",
                name_zh="测试河",
                name_en="Test River",
                from_node=f"n{n}",
                to_node=f"n{n + 1}",
                length_km=float(cum[-1]),
                celerity_m_s=1.0,
                synthetic=True,
                coords=coords,
                cum_km=cum,
            )
        )
    return RiverNetwork(edges, (), read_hydraulics(hydraulics))


def channel(
    discharge: float, width: float = 200.0, depth: float = 4.0, slope: float = 1e-4
) -> dict[str, float]:
    """A channel row whose velocity is discharge over the section."""
    return {
        "discharge_m3_s": discharge,
        "width_m": width,
        "depth_m": depth,
        "velocity_m_s": discharge / (width * depth),
        "slope": slope,
    }
