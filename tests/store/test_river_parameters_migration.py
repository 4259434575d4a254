"""Migration 0027 reshapes stored river parameters into the spill and flood wave sets."""

from __future__ import annotations

from typing import Any

import pytest
from alembic import command
from sqlalchemy import insert, select, update

from crossrisk.domain.propagation import assessment_parameters
from crossrisk.domain.reach import Pathway
from crossrisk.store.db import alembic_config, make_engine
from crossrisk.store.models.monitoring import StationRow
from crossrisk.store.models.risk import RiskRow
from crossrisk.store.uow import UnitOfWork
from tests.support import T0

# The old shared river set, as risks stored it complete (defaults filled in).
OLD_SPILL = {
    "substance": "苯乙烯",
    "snap_tolerance_km": 3.0,
    "pulse_hours": 8.0,
    "celerity_m_s": 1.2,
    "muskingum_x": 0.2,
    "min_peak_fraction": 0.05,
}
OLD_FLOOD = {
    "substance": None,
    "snap_tolerance_km": 5.0,
    "pulse_hours": 12.0,
    "celerity_m_s": 1.67,
    "muskingum_x": 0.2,
    "min_peak_fraction": 0.01,
}


def _risk(risk_id: int, hazard_type: str, parameters: dict[str, Any]) -> dict[str, Any]:
    return {
        "id": risk_id,
        "region_code": "yrd",
        "category": "accident_disaster",
        "title": f"risk {risk_id}",
        "title_en": "",
        "description": "",
        "hazard_geometry": {"type": "Point", "coordinates": [118.32, 29.71]},
        "likelihood": 3,
        "consequence": 3,
        "level": "III",
        "status": "reported",
        "created_at": T0,
        "created_by": "test",
        "updated_at": T0,
        "version": 1,
        "hazard_type": hazard_type,
        "parameters": parameters,
    }


@pytest.fixture
def reshaped(database_url: str, stations: UnitOfWork) -> dict[str, dict[str, Any]]:
    """Risks and a station stored under 0026's river set, then migrated to the head."""
    config = alembic_config(database_url)
    command.downgrade(config, "0026")
    engine = make_engine(database_url)
    try:
        with engine.begin() as connection:
            connection.execute(
                insert(RiskRow),
                [
                    _risk(9001, "river_spill", OLD_SPILL),
                    _risk(9002, "flood_wave", OLD_FLOOD),
                    _risk(9003, "flood_wave", {**OLD_FLOOD, "muskingum_x": 0.35}),
                    _risk(9004, "gas_release", {"wind_speed_m_s": 3.0}),
                    _risk(9005, "river_spill", {"pulse_hours": 6, "min_peak_fraction": 0.0}),
                ],
            )
            connection.execute(
                update(StationRow).where(StationRow.code == "tunxi").values(parameters=OLD_FLOOD)
            )
        command.upgrade(config, "head")
        with engine.connect() as connection:
            found = {
                str(row.id): dict(row.parameters)
                for row in connection.execute(select(RiskRow.id, RiskRow.parameters))
            }
            station = connection.execute(
                select(StationRow.parameters).where(StationRow.code == "tunxi")
            ).scalar_one()
    finally:
        engine.dispose()
    return {**found, "tunxi": dict(station)}


def test_a_spills_pulse_becomes_its_release_and_its_routing_is_dropped(
    reshaped: dict[str, dict[str, Any]],
) -> None:
    spill = reshaped["9001"]
    assert spill == {
        "substance": "苯乙烯",
        "snap_tolerance_km": 3.0,
        "release_hours": 8.0,
        "source_fraction": 0.05,
        "mass_kg": None,
        "rate_kg_s": None,
        "horizon_hours": 240.0,
        "limit_basis": "surface_class_iii",
    }
    assert assessment_parameters(Pathway.SPILL, spill) == spill  # the model takes it as it is
    # A fraction of 0 listed everything; the spill's smallest share is the nearest to it.
    assert reshaped["9005"]["source_fraction"] == 1e-9
    assert reshaped["9005"]["release_hours"] == 6
    assessment_parameters(Pathway.SPILL, reshaped["9005"])


def test_a_flood_waves_default_x_gives_way_to_cunge_and_its_substance_goes(
    reshaped: dict[str, dict[str, Any]],
) -> None:
    flood = reshaped["9002"]
    assert "substance" not in flood and flood["muskingum_x"] is None
    assert flood["pulse_hours"] == 12.0 and flood["celerity_m_s"] == 1.67
    assessment_parameters(Pathway.RIVER, flood)
    assert reshaped["9003"]["muskingum_x"] == 0.35  # chosen by someone: kept
    assert reshaped["tunxi"] == flood  # a station's risk template likewise


def test_other_hazard_types_are_left_as_they_were(reshaped: dict[str, dict[str, Any]]) -> None:
    assert reshaped["9004"] == {"wind_speed_m_s": 3.0}
