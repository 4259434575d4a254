"""Hazard types and the parameters of the propagation models."""

from __future__ import annotations

import pytest

from crossrisk.domain.errors import InvalidInput
from crossrisk.domain.propagation import assessment_parameters, hazard_type_for
from crossrisk.domain.reach import Pathway
from crossrisk.services.policy_tables import hazard_types


def test_defaults_fill_what_is_not_given() -> None:
    parameters = assessment_parameters(Pathway.PLUME, {"wind_speed_m_s": "4.5", "stability": "f"})
    assert parameters["wind_speed_m_s"] == 4.5
    assert parameters["stability"] == "F"
    assert parameters["terrain"] == "rural"


def test_a_substance_is_named_in_one_line_or_not_at_all() -> None:
    assert assessment_parameters(Pathway.SPILL, {"substance": "  苯乙烯 \n"})["substance"] == (
        "苯乙烯"
    )
    assert assessment_parameters(Pathway.SPILL, {"substance": "  "})["substance"] is None
    assert assessment_parameters(Pathway.SPILL, {})["substance"] is None


@pytest.mark.parametrize(
    "pathway, given, message",
    [
        (Pathway.PLUME, {"stability": "G"}, "stability must be one of A, B, C, D, E, F"),
        (Pathway.PLUME, {"wind_speed_m_s": -2}, "wind_speed_m_s must be at least 0.1 m/s"),
        (Pathway.PLUME, {"emission_g_s": -1}, "emission_g_s must be at least 0 g/s"),
        (Pathway.PLUME, {"wind": 3}, "unknown plume parameter(s) wind"),
        (Pathway.MOBILITY, {"r0": 0}, "r0 must be at least 0.1"),
        (Pathway.MOBILITY, {"days": 2.5}, "days must be a whole number"),
        (Pathway.RIVER, {"pulse_hours": "nan"}, "pulse_hours must be a finite number"),
        (Pathway.RIVER, {"pulse_hours": True}, "pulse_hours must be a number"),
        (Pathway.SPILL, {"substance": 7}, "substance must be text"),
        (Pathway.RIVER, {"substance": "苯乙烯"}, "unknown river parameter(s) substance"),
        (Pathway.PLUME, {"substance": "氯" * 81}, "substance must be at most 80 characters"),
    ],
)
def test_bad_parameters_are_refused_by_name(pathway, given, message) -> None:
    with pytest.raises(InvalidInput, match=message.replace("(", r"\(").replace(")", r"\)")):
        assessment_parameters(pathway, given)


def test_hazard_type_picks_the_model_and_checks_the_category() -> None:
    types = hazard_types()
    assert hazard_type_for(types, "river_spill", "accident_disaster").pathway is Pathway.SPILL
    assert hazard_type_for(types, "flood_wave", "natural_disaster").pathway is Pathway.RIVER
    assert hazard_type_for(types, None, "natural_disaster").pathway is Pathway.OVERLAY
    with pytest.raises(InvalidInput, match="belongs to the categories public_health"):
        hazard_type_for(types, "infectious_disease", "accident_disaster")
    with pytest.raises(InvalidInput, match="unknown hazard type 'tsunami'"):
        hazard_type_for(types, "tsunami", "natural_disaster")
