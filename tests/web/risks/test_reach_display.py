"""How pages read model parameters and show arrival times and intensities (no database)."""

from __future__ import annotations

import pytest

from crossrisk.domain.errors import InvalidInput
from crossrisk.domain.propagation import PARAMETERS
from crossrisk.domain.reach import Pathway, ReachEntry
from crossrisk.web.risks import hazard_fields
from crossrisk.web.risks.analysis_view import arrival_scale, intensity_text
from crossrisk.web.risks.figures import arrival_text
from crossrisk.web.risks.river_view import river_kind
from crossrisk.web.shared import reach_labels
from crossrisk.web.shared.i18n import EN, ZH, PageLanguage, translations

CHINESE = PageLanguage(ZH, translations(ZH.code))
ENGLISH = PageLanguage(EN, translations(EN.code))


def test_blank_parameters_take_the_models_defaults() -> None:
    values = hazard_fields.read_parameters(CHINESE, Pathway.PLUME, {"wind_speed_m_s": " 4.5 "})
    assert values["wind_speed_m_s"] == 4.5
    assert values["stability"] == "D" and values["emission_g_s"] == 1000.0
    assert set(values) == set(PARAMETERS[Pathway.PLUME])


def test_river_celerity_may_stay_blank() -> None:
    assert hazard_fields.read_parameters(ENGLISH, Pathway.RIVER, {})["celerity_m_s"] is None


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ({"days": "1.5"}, "Days simulated must be a whole number."),
        ({"r0": "0"}, "Basic reproduction number R0 must be at least 0.1; 0 was given."),
        ({"trip_rate": "nan"}, "Inter-city trips per resident must be a number"),
    ],
)
def test_bad_parameter_is_refused_by_its_name(typed: dict[str, str], message: str) -> None:
    with pytest.raises(InvalidInput, match=message):
        hazard_fields.read_parameters(ENGLISH, Pathway.MOBILITY, typed)


def test_every_parameter_and_unit_has_a_page_label() -> None:
    for specs in PARAMETERS.values():
        for name, spec in specs.items():
            assert name in reach_labels.PARAMETER
            assert not spec.unit or spec.unit in reach_labels.UNIT


def test_arrival_scale_spreads_over_the_arrivals_computed() -> None:
    scale = arrival_scale(ENGLISH, [0.0, 936.0, 1416.0])  # an epidemic: weeks
    assert scale.in_days
    assert [c.label for c in scale.classes][1] == "up to 40 d"
    assert scale.index(0.0) == 0 and scale.index(936.0) == 1 and scale.index(1416.0) == 5
    hours = arrival_scale(CHINESE, [0.0, 2.8])  # a plume: hours
    assert not hours.in_days and hours.index(2.8) == 3
    assert hours.classes[3].label == "2 小时 – 3 小时"


def test_arrival_scale_of_an_area_hazard_has_one_class() -> None:
    assert [c.label for c in arrival_scale(ENGLISH, [0.0, 0.0]).classes] == ["At once"]


def test_long_arrivals_are_given_in_days_too() -> None:
    assert arrival_text(CHINESE, 2.75) == "2.8 小时"
    assert arrival_text(ENGLISH, 96.0) == "96.0 h (4.0 d)"


def test_intensity_reads_in_its_pathways_unit() -> None:
    assert intensity_text(Pathway.OVERLAY, 0.008117) == "0.812 %"
    assert intensity_text(Pathway.RIVER, 0.42) == "42 %"
    assert intensity_text(Pathway.PLUME, 308304.38) == "308,304 ×"
    assert intensity_text(Pathway.SPILL, 12.0) == "12 ×"
    assert intensity_text(Pathway.MOBILITY, 11155.62) == "11,156"


def test_a_spill_names_its_limit_and_release_in_both_languages() -> None:
    assert CHINESE.pathway(Pathway.SPILL) == "河网，污染物随水流向下游输移"
    assert ENGLISH.intensity_unit(Pathway.SPILL, "river_spill") == (
        "Peak concentration, times the substance's limit"
    )
    # An analysis stored while a spill was computed on the river pathway reads as it did.
    assert ENGLISH.intensity_unit(Pathway.RIVER, "river_spill") == (
        "Peak concentration, as a share of the source's"
    )
    assert CHINESE.choice("limit_basis", "drinking_water") == "生活饮用水（GB 5749-2022）"


def test_spill_fields_say_kilograms_and_at_once() -> None:
    (group,) = hazard_fields.parameter_groups(ENGLISH, {}, pathways=[Pathway.SPILL])
    fields = {field.name: field for field in group.fields}
    assert "1 t = 1,000 kg" in fields["mass_kg"].hint and fields["mass_kg"].unit == "kg"
    assert fields["release_hours"].hint.endswith("; 0: all at once")
    assert [value for value, _label in fields["limit_basis"].choices] == [
        "surface_class_iii",
        "drinking_water",
    ]


def test_every_parameter_field_has_an_id_of_its_own() -> None:
    ids = [
        field.id for group in hazard_fields.parameter_groups(ENGLISH, {}) for field in group.fields
    ]
    assert len(ids) == len(set(ids))
    assert "param-spill-snap_tolerance_km" in ids and "param-river-snap_tolerance_km" in ids


def test_a_river_reach_stored_without_curves_keeps_the_plain_table() -> None:
    old = (ReachEntry("330100", 13.0, 0.2, detail={"river": "xinan", "distance_km": 182.0}),)
    assert river_kind(Pathway.RIVER, old) == ""
    new = (ReachEntry("330100", 13.0, 12.0, detail={"peak_hours": 20.0}),)
    assert river_kind(Pathway.SPILL, new) == "spill"
    assert river_kind(Pathway.RIVER, new) == "flood"
