"""Classifying risks into the cross-border situations."""

from __future__ import annotations

from crossrisk.domain.reach import Pathway, Reach, ReachEntry
from crossrisk.domain.risk import Origin
from crossrisk.domain.situation import Situation, classify

NAMES = {
    "341000": ("黄山市", "Huangshan"),
    "330100": ("杭州市", "Hangzhou"),
    "330200": ("宁波市", "Ningbo"),
    "310000": ("上海市", "Shanghai"),
    "320500": ("苏州市", "Suzhou"),
}


def reach(*codes: str) -> Reach:
    return Reach(
        pathway=Pathway.RIVER,
        entries=tuple(ReachEntry(code, float(i), 1.0) for i, code in enumerate(codes)),
        parameters={},
    )


def test_source_spanning_two_cities_is_spanning() -> None:
    result = classify(
        (Origin("320500", 0.7), Origin("310000", 0.3)), reach("320500", "310000"), NAMES
    )
    assert result.situation is Situation.SPANNING
    assert result.explanation_zh.startswith("致灾因子跨越苏州市、上海市")
    assert result.explanation_en == "The hazard source spans Suzhou and Shanghai."


def test_spill_flowing_downstream_is_spillover() -> None:
    result = classify((Origin("341000", 1.0),), reach("341000", "330100", "330200"), NAMES)
    assert result.situation is Situation.SPILLOVER
    assert result.affected_codes == ("330100", "330200")
    assert "外溢至杭州市、宁波市" in result.explanation_zh
    assert result.explanation_en.endswith("spills over into Hangzhou and Ningbo.")


def test_exposure_only_elsewhere_is_remote() -> None:
    result = classify((Origin("320500", 1.0),), reach("310000"), NAMES)
    assert result.situation is Situation.REMOTE
    assert "承灾对象位于上海市" in result.explanation_zh


def test_everything_in_one_city_is_local() -> None:
    result = classify((Origin("341000", 1.0),), reach("341000"), NAMES)
    assert result.situation is Situation.LOCAL
    assert not result.situation.crosses_borders
    assert "黄山市" in result.explanation_zh
