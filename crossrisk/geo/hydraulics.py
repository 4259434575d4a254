"""What each river edge carries: its mean flow and channel, and the lakes it runs through.

A region's `hydraulics.toml` sits beside its `rivers.geojson`; every figure in it is cited
in the region's RIVERS.md. An edge that runs through a lake or reservoir is a completely
mixed volume for a spill and a storage for a flood wave.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from crossrisk.domain.errors import InvalidInput

CHANNEL_FIELDS = ("discharge_m3_s", "width_m", "depth_m", "velocity_m_s", "slope")
LAKE_FIELDS = ("volume_m3", "area_km2", "outflow_m3_s")


@dataclass(frozen=True, slots=True)
class Channel:
    """An edge's long-term mean flow and the channel that carries it."""

    discharge_m3_s: float
    width_m: float
    depth_m: float
    velocity_m_s: float
    slope: float
    # A flood wave's celerity measured on this river; None: kinematic, 5/3 of the velocity.
    wave_celerity_m_s: float | None = None
    basis: str = ""

    @property
    def flood_celerity_m_s(self) -> float:
        """How fast a flood wave travels here (Seddon's 5/3 of the mean velocity if unmeasured)."""
        if self.wave_celerity_m_s is not None:
            return self.wave_celerity_m_s
        return 5.0 / 3.0 * self.velocity_m_s


@dataclass(frozen=True, slots=True)
class Lake:
    """A lake or reservoir an edge runs through: one mixed volume, one storage."""

    key: str
    edge_id: str
    name_zh: str
    name_en: str
    volume_m3: float
    area_km2: float
    outflow_m3_s: float
    time_constant_h: float | None = None
    storage_outflow: tuple[tuple[float, float], ...] = ()
    basis: str = ""

    @property
    def mean_depth_m(self) -> float:
        """Volume over surface: the depth a surface loss (volatilisation) acts through."""
        return self.volume_m3 / (self.area_km2 * 1e6)

    @property
    def residence_hours(self) -> float:
        """V/Q: how long the lake holds its water on average."""
        return self.volume_m3 / self.outflow_m3_s / 3600.0


@dataclass(frozen=True, slots=True)
class Hydraulics:
    """A network's channels by edge id and its lakes by the id of the edge through them."""

    channels: Mapping[str, Channel]
    lakes: Mapping[str, Lake]


def read_hydraulics(table: Mapping[str, Any]) -> Hydraulics:
    """Check and read a parsed hydraulics.toml."""
    channels = {
        str(edge_id): Channel(
            **{name: _positive(row, name, f"edge {edge_id}") for name in CHANNEL_FIELDS},
            wave_celerity_m_s=_optional(row, "wave_celerity_m_s", f"edge {edge_id}"),
            basis=str(row.get("basis", "")),
        )
        for edge_id, row in dict(table.get("edges", {})).items()
    }
    lakes: dict[str, Lake] = {}
    for key, row in dict(table.get("lakes", {})).items():
        where = f"lake {key}"
        if "volume_m3" not in row:
            raise InvalidInput(f"{where} has no volume_m3: a lake is modelled by its volume")
        lake = Lake(
            key=str(key),
            edge_id=str(row["edge"]),
            name_zh=str(row.get("name_zh", key)),
            name_en=str(row.get("name_en", key)),
            **{name: _positive(row, name, where) for name in LAKE_FIELDS},
            time_constant_h=_optional(row, "time_constant_h", where),
            storage_outflow=_storage_table(row.get("storage_outflow", ()), where),
            basis=str(row.get("basis", "")),
        )
        if lake.edge_id in lakes:
            raise InvalidInput(f"edge {lake.edge_id} runs through two lakes")
        lakes[lake.edge_id] = lake
    return Hydraulics(channels=channels, lakes=lakes)


def _positive(row: Mapping[str, Any], name: str, where: str) -> float:
    if name not in row:
        raise InvalidInput(f"{where} has no {name}")
    value = row[name]
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise InvalidInput(f"{where}: {name} must be a number, got {value!r}")
    if not (math.isfinite(value) and value > 0):
        raise InvalidInput(f"{where}: {name} must be a positive number, got {value!r}")
    return float(value)


def _optional(row: Mapping[str, Any], name: str, where: str) -> float | None:
    return _positive(row, name, where) if name in row else None


def _storage_table(rows: Any, where: str) -> tuple[tuple[float, float], ...]:
    table = tuple((float(s), float(o)) for s, o in rows)
    for (s0, o0), (s1, o1) in itertools.pairwise(table):
        if not (s1 > s0 and o1 > o0):
            raise InvalidInput(f"{where}: the storage–outflow table must increase in both columns")
    return table
