"""reshape stored river parameters: a spill's release and limit, a flood wave's Cunge routing

A river spill has a model of its own (advection and dispersion, pathway "spill") and a flood
wave keeps Muskingum(-Cunge) routing; the parameters of risks and station risk templates
stored under the old shared river set are rewritten to the new sets, so that a stored risk
can be analysed again. The values are written out here rather than read from
`crossrisk.domain.propagation`, whose sets will change again after this revision.

The JSON is rewritten in Python, row by row, so the same code serves SQLite's JSON text
and PostgreSQL's json columns; river risks are a handful per region.

Revision ID: 0027
Revises: 0026
Create Date: 2026-12-06
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import sqlalchemy as sa
from alembic import op

revision = "0027"
down_revision = "0026"
branch_labels = None
depends_on = None

SPILL = "river_spill"
FLOOD = "flood_wave"
# The old river set's Muskingum X default; stored as given, it meant "no choice made".
OLD_MUSKINGUM_X = 0.2
# Defaults of the new spill set (crossrisk.domain.propagation at this revision).
SPILL_DEFAULTS: dict[str, Any] = {
    "mass_kg": None,
    "rate_kg_s": None,
    "release_hours": 0.0,
    "horizon_hours": 240.0,
    "limit_basis": "surface_class_iii",
    "source_fraction": 0.01,
}
SOURCE_FRACTION_MIN = 1e-9
OLD_PULSE_HOURS = 6.0
OLD_MIN_PEAK_FRACTION = 0.01

Reshape = Callable[[dict[str, Any]], dict[str, Any]]


def spill_parameters(old: dict[str, Any]) -> dict[str, Any]:
    """A river spill's old river parameters as the spill model's."""
    new = {key: value for key, value in old.items() if key not in _OLD_SPILL_ONLY}
    if "pulse_hours" in old:
        # The pulse was how long the spill lasted at the source: the release's duration.
        new["release_hours"] = old["pulse_hours"]
    if "min_peak_fraction" in old and old["min_peak_fraction"] is not None:
        new["source_fraction"] = max(float(old["min_peak_fraction"]), SOURCE_FRACTION_MIN)
    for key, value in SPILL_DEFAULTS.items():
        new.setdefault(key, value)
    if isinstance(new["release_hours"], int | float) and isinstance(
        new["horizon_hours"], int | float
    ):
        new["horizon_hours"] = max(new["horizon_hours"], new["release_hours"])
    return new


def flood_parameters(old: dict[str, Any]) -> dict[str, Any]:
    """A flood wave's old river parameters: no substance, Cunge's X unless one was chosen."""
    new = {key: value for key, value in old.items() if key != "substance"}
    if new.get("muskingum_x") == OLD_MUSKINGUM_X:
        new["muskingum_x"] = None
    if "snap_tolerance_km" in new:
        new.setdefault("peak_discharge_m3_s", None)
    return new


def old_spill_parameters(new: dict[str, Any]) -> dict[str, Any]:
    """Back to the old river set (downgrade): the release's duration as the pulse."""
    old = {key: value for key, value in new.items() if key not in SPILL_DEFAULTS}
    old["pulse_hours"] = max(float(new.get("release_hours") or OLD_PULSE_HOURS), 0.5)
    old["min_peak_fraction"] = new.get("source_fraction", OLD_MIN_PEAK_FRACTION)
    old.setdefault("celerity_m_s", None)
    old["muskingum_x"] = OLD_MUSKINGUM_X
    return old


def old_flood_parameters(new: dict[str, Any]) -> dict[str, Any]:
    """Back to the old river set (downgrade): the old default X, no discharge."""
    old = {key: value for key, value in new.items() if key != "peak_discharge_m3_s"}
    if old.get("muskingum_x") is None:
        old["muskingum_x"] = OLD_MUSKINGUM_X
    old.setdefault("substance", None)
    return old


_OLD_SPILL_ONLY = frozenset({"pulse_hours", "muskingum_x", "min_peak_fraction", "celerity_m_s"})


def upgrade() -> None:
    _reshape({SPILL: spill_parameters, FLOOD: flood_parameters})


def downgrade() -> None:
    _reshape({SPILL: old_spill_parameters, FLOOD: old_flood_parameters})


def _reshape(by_type: dict[str, Reshape]) -> None:
    connection = op.get_bind()
    for name in ("risks", "stations"):
        table = sa.table(
            name,
            sa.column("id", sa.Integer()),
            sa.column("hazard_type", sa.String()),
            sa.column("parameters", sa.JSON()),
        )
        rows = connection.execute(
            sa.select(table.c.id, table.c.hazard_type, table.c.parameters).where(
                table.c.hazard_type.in_(sorted(by_type))
            )
        ).all()
        for row_id, hazard_type, parameters in rows:
            if not isinstance(parameters, dict):
                continue
            reshaped = by_type[hazard_type](dict(parameters))
            if reshaped != parameters:
                connection.execute(
                    sa.update(table).where(table.c.id == row_id).values(parameters=reshaped)
                )
