"""Drill scenarios: read from YAML with every problem by its line; the drill's clock."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from crossrisk.domain.drills.drill import clock_start, parse_speed, real_seconds
from crossrisk.domain.drills.reading import read_scenario, scenario_problems
from crossrisk.domain.drills.scenario import (
    Known,
    Scenario,
    ScenarioProblem,
)
from crossrisk.domain.errors import InvalidInput

KNOWN = Known(
    regions=["yrd"],
    members={"yrd": ["341000", "330100", "340300", "320800", "310000", "320500", "340400"]},
    stations={"tunxi": (118.322, 29.711), "bengbu-wujiadu": (117.36, 32.95)},
    hazard_types={"river_spill", "flood_wave", "gas_release", "area"},
    items={"sandbag", "pump"},
)

GOOD = """\
code: small
title: {zh: 小演练, en: A small drill}
region: yrd
duration: 6h
hazards:
  - id: spill
    party: "341000"
    category: accident_disaster
    type: river_spill
    station: tunxi
    likelihood: 4
    consequence: 3
    title: {zh: 泄漏, en: Spill}
    parameters: {substance: styrene, mass_kg: 20000}
    offset: 0m
observations:
  - station: tunxi
    values:
      - {offset: 30m, value: 24.1}
reports:
  - {party: "341000", hazard: spill, offset: 1h, text: 初报, figures: {released_t: 2}}
  - {party: "341000", hazard: spill, offset: 2h, text: 更正, figures: {released_t: 20}}
aid_requests:
  - party: "341000"
    hazard: spill
    offset: 1h
    lines: [{item: pump, quantity: 4, needed_by: 5h}]
    offers: [{party: "330100", offset: 3h}]
behaviours:
  - {party: "330100", acknowledges: 3h}
  - {party: "340300", acknowledges: never}
  - {party: committee, duties: 30m}
"""


def problems(text: str) -> list[ScenarioProblem]:
    found = scenario_problems(text, KNOWN)
    assert isinstance(found, list), "the scenario was accepted"
    return found


def test_a_good_scenario_reads_with_offsets_in_minutes() -> None:
    scenario = read_scenario(GOOD, KNOWN)
    assert isinstance(scenario, Scenario)
    assert scenario.duration == 360
    (hazard,) = scenario.hazards
    assert (hazard.lon, hazard.lat) == (118.322, 29.711)
    assert hazard.parameters == {"substance": "styrene", "mass_kg": 20000}
    assert [r.figures["released_t"] for r in scenario.reports] == [2, 20]
    assert scenario.aid_requests[0].lines[0].needed_by == 300
    assert scenario.aid_requests[0].offers[0].offset == 180
    assert scenario.acknowledge_after("330100") == 180
    assert scenario.acknowledge_after("340300") is None
    assert scenario.acknowledge_after("310000") == 10  # not named: acknowledges promptly


@pytest.mark.parametrize(
    ("old", "new", "line", "key"),
    [
        (
            "station: tunxi\n    likelihood",
            "station: nowhere\n    likelihood",
            10,
            "unknown-station",
        ),
        ('party: "341000"\n    category', 'party: "999999"\n    category', 7, "unknown-party"),
        ("type: river_spill", "type: meteor", 9, "unknown-hazard-type"),
        ("offset: 0m\nobservations", "offset: -30m\nobservations", 15, "offset-negative"),
        ("offset: 0m\nobservations", "offset: 7h\nobservations", 15, "offset-beyond"),
        ("offset: 0m\nobservations", "offset: soon\nobservations", 15, "not-duration"),
        ("duration: 6h", "duration: six hours", 4, "not-duration"),
        ("duration: 6h", "duration: 8d", 4, "too-long"),
        ("region: yrd", "region: atlantis", 3, "unknown-region"),
        ("item: pump", "item: unicorn", 27, "unknown-item"),
        ("{offset: 30m, value: 24.1}", "{offset: 30m, value: high}", 19, "expected-number"),
        ("hazard: spill, offset: 1h", "hazard: fire, offset: 1h", 21, "unknown-hazard"),
        ("acknowledges: 3h", "acknowledges: later", 30, "not-duration"),
        ("    likelihood: 4\n", "    likelihood: 9\n", 11, "bad-scale"),
        ("offset: 3h}]", "offset: 3h, arrives: 2h}]", 28, "arrives-before-offer"),
        ("party: committee, duties: 30m", "party: committee, duties: soon", 32, "not-duration"),
        ("party: committee, duties", "party: board, duties", 32, "unknown-party"),
        ("offset: 3h}]", "offset: 3h, arrives: 9h}]", 28, "offset-beyond"),
        ("lines: [{item: pump, quantity: 4, needed_by: 5h}]", "lines: []", 27, "empty"),
        ("values:\n      - {offset: 30m, value: 24.1}", "values: []", 18, "empty"),
    ],
)
def test_each_problem_is_refused_with_its_line(old: str, new: str, line: int, key: str) -> None:
    assert old in GOOD
    found = problems(GOOD.replace(old, new, 1))
    assert [(p.line, p.key) for p in found] == [(line, key)]
    assert found[0].message.startswith(f"line {line}: ")


def test_every_problem_is_reported_at_once_in_line_order() -> None:
    text = GOOD.replace("station: tunxi\n    likelihood", "station: nowhere\n    likelihood")
    text = text.replace("region: yrd", "region: yrd\nweather: fine").replace("pump, q", "kite, q")
    found = problems(text)
    assert [p.key for p in found] == ["unknown-field", "unknown-station", "unknown-item"]
    assert [p.line for p in found] == sorted(p.line for p in found)


def test_read_scenario_refuses_naming_the_first_problem_and_the_count() -> None:
    text = GOOD.replace("type: river_spill", "type: meteor").replace("item: pump", "item: kite")
    with pytest.raises(InvalidInput) as refused:
        read_scenario(text, KNOWN)
    assert refused.value.key == "drill-scenario-invalid"
    assert refused.value.params["count"] == 2
    assert "line 9: unknown hazard type meteor" in str(refused.value)


def test_parameters_are_checked_by_the_hazard_rules_given() -> None:
    def check(category: str, hazard_type: str, parameters: object) -> None:
        raise InvalidInput("unknown spill parameter(s) colour")

    found = scenario_problems(GOOD, replace(KNOWN, check_hazard=check))
    assert isinstance(found, list)
    assert [(p.line, p.key) for p in found] == [(14, "bad-parameters")]


def test_a_parameter_left_empty_reaches_the_hazard_rules_as_null() -> None:
    given: list[object] = []

    def check(category: str, hazard_type: str, parameters: object) -> None:
        given.append(parameters)

    text = GOOD.replace("{substance: styrene, mass_kg: 20000}", "{substance: styrene, mass_kg: }")
    scenario = scenario_problems(text, replace(KNOWN, check_hazard=check))
    assert isinstance(scenario, Scenario)
    assert given == [{"substance": "styrene", "mass_kg": None}]


@pytest.mark.parametrize("text", ["a: *b", "a: &x 1\nb: *x", "[1, 2", "\x00", "x" * 200_001])
def test_malformed_text_is_one_problem(text: str) -> None:
    found = problems(text)
    assert len(found) >= 1
    assert found[0].key in {"alias", "not-yaml", "too-large", "expected-mapping"}


def test_the_bundled_scenarios_read() -> None:
    folder = Path(__file__).parents[2] / "crossrisk" / "data" / "drills"
    names = sorted(p.stem for p in folder.glob("*.yaml"))
    assert names == ["huai_flood", "taicang_plume", "xinan_styrene"]


START = datetime(2026, 7, 1, 12, 0, tzinfo=UTC)


@pytest.mark.parametrize("speed", [None, 1.0, 2.0, 60.0, 0.5, 100_000.0])
def test_no_virtual_time_is_later_than_the_real_time_it_is_written_at(
    speed: float | None,
) -> None:
    duration = 12 * 60
    origin = clock_start(START, duration_minutes=duration, speed=speed)
    for offset in range(0, duration + 1, 15):
        virtual = origin + timedelta(minutes=offset)
        real = START + timedelta(seconds=real_seconds(offset, speed=speed))
        assert virtual <= real + timedelta(microseconds=1)


def test_clock_start_lies_a_duration_back_at_max_and_at_the_start_in_real_time() -> None:
    assert clock_start(START, duration_minutes=120, speed=None) == START - timedelta(hours=2)
    assert clock_start(START, duration_minutes=120, speed=1.0) == START
    # At 4× real time the last offset (2 h) is reached after 30 min and written then.
    assert clock_start(START, duration_minutes=120, speed=4.0) == START - timedelta(minutes=90)


@pytest.mark.parametrize("text", ["0", "-1", "fast", "1e9", "nan", "inf"])
def test_a_speed_is_a_positive_factor_or_max(text: str) -> None:
    with pytest.raises(ValueError):
        parse_speed(text)
    assert parse_speed("max") is None
    assert parse_speed("60") == 60.0


def test_a_scenario_runs_in_another_region_checked_against_its_members() -> None:
    members = {**KNOWN.members, "test": ["341000", "330100"]}
    known = replace(KNOWN, regions=["yrd", "test"], members=members)
    found = scenario_problems(GOOD, known, region="test")
    assert isinstance(found, list)
    assert [(p.line, p.key, p.params["value"]) for p in found] == [(31, "unknown-party", "340300")]
    text = GOOD.replace('  - {party: "340300", acknowledges: never}\n', "")
    assert read_scenario(text, known, region="test").region_code == "test"


def test_the_regions_bodies_do_their_own_duties_as_said_and_others_never() -> None:
    scenario = read_scenario(GOOD, KNOWN)
    assert scenario.duties_after("committee") == 30
    assert scenario.duties_after("domain_office") is None
    assert scenario.duties_after("330100") is None
    assert scenario.acknowledge_after("committee") == 10
