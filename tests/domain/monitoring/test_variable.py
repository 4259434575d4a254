"""The bundled variables: units and possible ranges."""

from __future__ import annotations

from crossrisk.domain.monitoring.variable import Variable
from crossrisk.services.policy_tables import variables


def test_bundled_variables_have_units_and_ranges() -> None:
    table = variables()
    assert {"water_level", "discharge", "rainfall_intensity", "pm25", "case_count"} <= set(table)
    assert table["pm25"].same_unit("ug/m3") and table["pm25"].same_unit("μg/m³")
    assert table["case_count"].integer
    assert all(isinstance(v, Variable) and v.minimum < v.maximum for v in table.values())
