from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta

import pytest

from crossrisk.alerts.cap.mapping import load_cap_mapping
from crossrisk.domain.errors import InvalidInput
from crossrisk.domain.reach import Pathway
from crossrisk.domain.warning import (
    EarlyWarning,
    LevelBand,
    LevelThresholds,
    WarningLevel,
    WarningStatus,
    level_for,
    parse_level,
    warning_id,
)
from tests.support import T0

LEVELS = load_cap_mapping().levels
RED, ORANGE, YELLOW, BLUE = (
    WarningLevel.RED,
    WarningLevel.ORANGE,
    WarningLevel.YELLOW,
    WarningLevel.BLUE,
)


def make_warning(**changes: object) -> EarlyWarning:
    warning = EarlyWarning(
        id=warning_id(region_code="yrd", risk_id=7, recipient_code="330100", sequence=1),
        risk_id=7,
        region_code="yrd",
        recipient_code="330100",
        level=WarningLevel.YELLOW,
        expected_arrival=T0 + timedelta(hours=6),
        instructions_zh="关闭取水口",
        instructions_en="Close the water intakes",
        status=WarningStatus.ISSUED,
        issued_at=T0,
        ack_deadline=T0 + timedelta(hours=2),
    )
    return replace(warning, **changes)


@pytest.mark.parametrize(
    "level, tag_zh, tag_en",
    [
        (1, "红色预警[Ⅰ级/特别严重]", "Red warning [Level I/Particularly Serious]"),
        (2, "橙色预警[Ⅱ级/严重]", "Orange warning [Level II/Serious]"),
        (3, "黄色预警[Ⅲ级/较重]", "Yellow warning [Level III/Heavy]"),
        (4, "蓝色预警[Ⅳ级/一般]", "Blue warning [Level IV/General]"),
    ],
)
def test_headline_tag_follows_national_practice(level: int, tag_zh: str, tag_en: str) -> None:
    assert WarningLevel(level).headline_tag_zh == tag_zh
    assert WarningLevel(level).headline_tag_en == tag_en


def test_level_one_is_the_most_serious() -> None:
    assert min(WarningLevel) is WarningLevel.RED
    assert [level.colour_zh for level in WarningLevel] == ["红色", "橙色", "黄色", "蓝色"]


def test_level_is_read_from_number_or_colour() -> None:
    assert parse_level(2) is ORANGE
    assert parse_level("yellow") is YELLOW
    assert parse_level("4") is BLUE
    with pytest.raises(InvalidInput, match="unknown warning level") as caught:
        parse_level("purple")
    assert caught.value.key == "warning-level-unknown"


@pytest.mark.parametrize(
    "pathway, intensity, lead_hours, expected",
    [
        # river: H ≥ 0.5, M ≥ 0.2, L ≥ 0.05; leads 6 / 24 / 72 h
        (Pathway.RIVER, 0.8, 2, RED),
        (Pathway.RIVER, 0.5, 6, RED),  # band edges are inclusive
        (Pathway.RIVER, 0.8, 12, ORANGE),
        (Pathway.RIVER, 0.3, 3, ORANGE),
        (Pathway.RIVER, 0.8, 48, YELLOW),
        (Pathway.RIVER, 0.3, 20, YELLOW),
        (Pathway.RIVER, 0.06, 1, YELLOW),
        (Pathway.RIVER, 0.06, 12, BLUE),
        (Pathway.RIVER, 0.8, 100, BLUE),
        (Pathway.RIVER, 0.0, 0, BLUE),
        # plume: × threshold; leads 1 / 3 / 12 h
        (Pathway.PLUME, 20, 0.5, RED),
        (Pathway.PLUME, 20, 2, ORANGE),
        (Pathway.PLUME, 4, 0.5, ORANGE),
        (Pathway.PLUME, 4, 2, YELLOW),
        (Pathway.PLUME, 1.2, 0.5, YELLOW),
        (Pathway.PLUME, 1.2, 5, BLUE),
        # overlay: share of population exposed, usually already there
        (Pathway.OVERLAY, 0.6, 0, RED),
        (Pathway.OVERLAY, 0.25, 0, ORANGE),
        (Pathway.OVERLAY, 0.1, 0, YELLOW),
        (Pathway.OVERLAY, 0.01, 0, BLUE),
        # mobility: infectious per 100,000; leads 3 / 7 / 14 days
        (Pathway.MOBILITY, 150, 48, RED),
        (Pathway.MOBILITY, 150, 120, ORANGE),
        (Pathway.MOBILITY, 30, 48, ORANGE),
        (Pathway.MOBILITY, 150, 300, YELLOW),
        (Pathway.MOBILITY, 30, 150, YELLOW),
        (Pathway.MOBILITY, 10, 48, YELLOW),
        (Pathway.MOBILITY, 10, 100, BLUE),
    ],
)
def test_level_for_bands(
    pathway: Pathway, intensity: float, lead_hours: float, expected: WarningLevel
) -> None:
    assert level_for(intensity, lead_hours, pathway, thresholds=LEVELS) is expected


@pytest.mark.parametrize("pathway", list(Pathway))
def test_shorter_lead_or_higher_intensity_never_lowers_the_level(pathway: Pathway) -> None:
    intensities = [0.0, 0.01, 0.05, 0.1, 0.2, 0.5, 1, 2, 3, 5, 10, 20, 50, 100, 200]
    leads = [0, 0.5, 1, 2, 3, 6, 12, 24, 48, 72, 120, 168, 240, 336, 500]
    for lead in leads:
        levels = [level_for(i, lead, pathway, thresholds=LEVELS) for i in intensities]
        assert levels == sorted(levels, reverse=True), (lead, levels)
    for intensity in intensities:
        levels = [level_for(intensity, lead, pathway, thresholds=LEVELS) for lead in leads]
        assert levels == sorted(levels), (intensity, levels)


def test_a_hazard_already_arrived_counts_as_no_lead_time() -> None:
    assert level_for(0.8, -3, Pathway.RIVER, thresholds=LEVELS) is RED


@pytest.mark.parametrize("intensity", [float("nan"), float("inf"), -0.1])
def test_level_for_refuses_an_impossible_intensity(intensity: float) -> None:
    with pytest.raises(InvalidInput, match="intensity"):
        level_for(intensity, 1, Pathway.RIVER, thresholds=LEVELS)


def test_thresholds_without_a_catch_all_band_are_refused() -> None:
    bands = {pathway: (LevelBand(BLUE, 0.0),) for pathway in Pathway}
    bands[Pathway.PLUME] = (LevelBand(RED, 10, 1), LevelBand(BLUE, 1.0))
    with pytest.raises(InvalidInput, match="plume") as caught:
        LevelThresholds(bands=bands)
    assert caught.value.key == "level-bands-incomplete"


def test_level_for_follows_the_table_it_is_given() -> None:
    bands = {pathway: (LevelBand(BLUE, 0.0),) for pathway in Pathway}
    bands[Pathway.RIVER] = (LevelBand(BLUE, 0.0), LevelBand(ORANGE, 0.01, 100))
    thresholds = LevelThresholds(bands=bands)
    assert level_for(0.02, 50, Pathway.RIVER, thresholds=thresholds) is ORANGE
    assert level_for(0.02, 150, Pathway.RIVER, thresholds=thresholds) is BLUE


def test_warning_id_is_stable_and_names_its_parts() -> None:
    def make_id(sequence: int) -> str:
        return warning_id(region_code="yrd", risk_id=42, recipient_code="330100", sequence=sequence)

    assert make_id(1) == "crossrisk-yrd-42-330100-1"
    assert make_id(1) == make_id(1)
    assert make_id(2) != make_id(1)


@pytest.mark.parametrize("region", ["y rd", "y,rd", "y<rd", "y&rd", ""])
def test_warning_id_refuses_what_cap_cannot_carry(region: str) -> None:
    with pytest.raises(InvalidInput, match=r"CAP 1\.2") as caught:
        warning_id(region_code=region, risk_id=1, recipient_code="330100", sequence=1)
    assert caught.value.key == "cap-token-invalid"


def test_warning_refuses_naive_times() -> None:
    with pytest.raises(InvalidInput, match="UTC offset"):
        make_warning(issued_at=datetime(2026, 7, 1, 10, 0))
    with pytest.raises(InvalidInput, match="expected_arrival"):
        make_warning(expected_arrival=datetime(2026, 7, 1, 16, 0))


def test_warning_names_itself_as_a_reference() -> None:
    warning = make_warning()
    reference = warning.as_reference()
    assert (reference.identifier, reference.sent, reference.sender) == (warning.id, T0, None)
