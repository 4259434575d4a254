"""Trigger rules, observation records and the firing policy, without a database."""

from __future__ import annotations

import math
import random
from datetime import timedelta

import pytest

from crossrisk.domain import permissions
from crossrisk.domain.errors import InvalidInput
from crossrisk.domain.monitoring.firing import raised, read_firing_assessment
from crossrisk.domain.monitoring.hydrograph import read_hydrograph, replay_batches
from crossrisk.domain.monitoring.observation import ObservationRefused, parse_observation
from crossrisk.domain.monitoring.trigger_rule import evaluate, evaluate_series
from crossrisk.domain.monitoring.variable import Variable
from crossrisk.domain.organisation import Actor, Organisation, OrganisationKind, Role
from crossrisk.domain.risk import EventLevel
from crossrisk.domain.warning import WarningLevel
from crossrisk.services.policy_tables import event_level_matrix, firing_assessment, variables
from tests.monitoring.support import observation, record, rule, station
from tests.support import T0

FOUR_LEVELS = rule(thresholds={"blue": 24.8, "yellow": 25.8, "orange": 26.8, "red": 27.8})


@pytest.mark.parametrize(
    "value, level",
    [
        (24.79, None),
        (24.8, WarningLevel.BLUE),  # a threshold applies from its value on (达到)
        (25.79, WarningLevel.BLUE),
        (25.8, WarningLevel.YELLOW),
        (26.8, WarningLevel.ORANGE),
        (27.79, WarningLevel.ORANGE),
        (27.8, WarningLevel.RED),
        (40.0, WarningLevel.RED),
    ],
)
def test_threshold_gives_the_highest_level_reached(value: float, level: WarningLevel) -> None:
    firing = evaluate(FOUR_LEVELS, (), observation(value))
    assert (firing.level if firing else None) is level
    if firing is not None:
        assert firing.trigger == "threshold"
        assert firing.limit == FOUR_LEVELS.threshold(level)
        assert firing.level.colour_zh in firing.reason_zh
        assert firing.level.colour_en.lower() in firing.reason_en


def test_rule_without_some_levels_skips_them() -> None:
    sparse = rule(thresholds={"blue": 1.0, "red": 3.0})
    assert evaluate(sparse, (), observation(2.9)).level is WarningLevel.BLUE  # type: ignore[union-attr]
    assert evaluate(sparse, (), observation(3.0)).level is WarningLevel.RED  # type: ignore[union-attr]


@pytest.mark.parametrize(
    "table, message",
    [
        ({"thresholds": {"blue": 3.0, "yellow": 3.0}}, "must be above"),
        ({"thresholds": {"blue": 3.0, "red": 2.0}}, "must be above"),
        ({"thresholds": {}}, "needs a threshold or a rate of rise"),
        ({"thresholds": {"purple": 1.0}}, "unknown warning level"),
        ({"rise": [{"level": "blue", "amount": 0, "hours": 3}]}, "amount > 0"),
        ({"rise": [{"level": "blue", "amount": 1, "hours": 0}]}, "window"),
        ({"rise": [{"level": "blue", "amount": 1}]}, "exactly"),
        ({"thresholds": {"blue": "high"}}, "must be a number"),
    ],
)
def test_malformed_rules_are_refused(table: dict[str, object], message: str) -> None:
    with pytest.raises(InvalidInput, match=message):
        rule(**table)


RISE = rule(rise=[{"level": "yellow", "amount": 1.0, "hours": 3}])


def test_rise_within_the_window_fires() -> None:
    recent = [observation(20.0, 0), observation(20.5, 60), observation(20.8, 120)]
    firing = evaluate(RISE, recent, observation(21.0, 180))
    assert firing is not None and firing.level is WarningLevel.YELLOW
    assert firing.trigger == "rise" and firing.window_hours == 3
    assert firing.value == pytest.approx(1.0)
    assert "3 小时内上涨 1 m" in firing.reason_zh and "rose 1 m within 3 h" in firing.reason_en


def test_rise_just_short_of_the_amount_does_not_fire() -> None:
    assert evaluate(RISE, [observation(20.0, 0)], observation(20.99, 180)) is None


def test_reading_at_the_window_start_counts_one_just_before_does_not() -> None:
    at_start = [observation(20.0, 0)]
    assert evaluate(RISE, at_start, observation(21.0, 180)) is not None
    just_before = [observation(20.0, -0.01), observation(20.5, 1)]
    assert evaluate(RISE, just_before, observation(21.0, 180)) is None


def test_rise_is_measured_from_the_lowest_reading_in_the_window() -> None:
    # Up, down, up: the rise counts from the trough, not from the window's first reading.
    recent = [observation(20.6, 0), observation(20.0, 60), observation(20.4, 120)]
    assert evaluate(RISE, recent, observation(21.0, 150)) is not None


def test_readings_at_or_after_the_new_one_do_not_count() -> None:
    later = [observation(19.0, 180), observation(18.0, 240)]
    assert evaluate(RISE, later, observation(19.5, 180)) is None


def test_rise_and_threshold_give_the_more_serious_level() -> None:
    both = rule(
        thresholds={"blue": 24.8, "orange": 26.8},
        rise=[{"level": "yellow", "amount": 2.0, "hours": 3}],
    )
    recent = [observation(22.9, 0)]
    # 24.9 is blue by threshold and yellow by its rise of 2 m: yellow, by the rise.
    firing = evaluate(both, recent, observation(24.9, 120))
    assert firing is not None and (firing.level, firing.trigger) == (WarningLevel.YELLOW, "rise")
    # At 26.8 the orange threshold is more serious than the yellow rise.
    firing = evaluate(both, [observation(24.0, 0)], observation(26.8, 120))
    assert firing is not None and (firing.level, firing.trigger) == (
        WarningLevel.ORANGE,
        "threshold",
    )


def test_rise_ignores_an_unsorted_history_order() -> None:
    recent = [observation(20.8, 120), observation(20.0, 0), observation(20.5, 60)]
    assert evaluate(RISE, recent, observation(21.0, 180)) is not None


# --- observation records ------------------------------------------------------------------

STATIONS = {
    "test-gauge": station(),
    "cases": station(
        code="cases",
        variable="case_count",
        unit="cases",
        rule=rule(thresholds={"blue": 10}),
    ),
    "flow": station(
        code="flow", variable="discharge", unit="m³/s", rule=rule(thresholds={"blue": 5000})
    ),
    "narrow": station(code="narrow", valid_range=(15.0, 40.0)),
}
FEED = dict.fromkeys(STATIONS, True)


def parse(rec: object, *, feed: dict[str, bool] | None = None) -> object:
    return parse_observation(
        rec, stations=STATIONS, variables=variables(), may_feed=feed or FEED, now=T0
    )


def refusal(rec: object, **kwargs: object) -> str:
    with pytest.raises(ObservationRefused) as caught:
        parse(rec, **kwargs)  # type: ignore[arg-type]
    return caught.value.key


def test_a_good_record_becomes_an_observation_in_utc() -> None:
    got = parse(record(25.0, station="test-gauge"))
    assert got.observed_at == T0 and got.observed_at.utcoffset() == timedelta(0)  # type: ignore[attr-defined]
    assert got.value == 25.0  # type: ignore[attr-defined]


def test_unit_spellings_of_the_same_unit_are_accepted() -> None:
    assert parse(record(4000, station="flow", unit="m3/s")).unit == "m³/s"  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    "rec, key",
    [
        ("24.5", "observation-malformed"),
        ([1, 2], "observation-malformed"),
        (
            {"station": "test-gauge", "time": "2026-07-01T10:00+08:00", "value": 1},
            "observation-malformed",
        ),
        ({**record(25, station="test-gauge"), "quality": "good"}, "observation-malformed"),
        ({**record(25, station="test-gauge"), "value": "25.0"}, "observation-malformed"),
        ({**record(25, station="test-gauge"), "value": True}, "observation-malformed"),
        (
            {**record(25, station="test-gauge"), "time": "2026-07-01T10:00:00"},
            "observation-time-invalid",
        ),
        ({**record(25, station="test-gauge"), "time": "yesterday"}, "observation-time-invalid"),
        ({**record(25, station="test-gauge"), "time": 1782000000}, "observation-time-invalid"),
        (record(25, station="nowhere"), "observation-unknown-station"),
        ({**record(25, station="test-gauge"), "station": 7}, "observation-unknown-station"),
        (record(25, station="test-gauge", unit="cm"), "observation-wrong-unit"),
        (
            record(9999.0, station="test-gauge"),
            "observation-impossible-value",
        ),
        (record(-9999, station="test-gauge"), "observation-impossible-value"),
        (record(math.nan, station="test-gauge"), "observation-impossible-value"),
        (record(math.inf, station="test-gauge"), "observation-impossible-value"),
        (record(45.0, station="narrow"), "observation-impossible-value"),
        (record(2.5, station="cases", unit="cases"), "observation-impossible-value"),
        (record(-1, station="cases", unit="cases"), "observation-impossible-value"),
        (record(25, 11, station="test-gauge"), "observation-time-future"),
    ],
)
def test_bad_records_are_refused_with_their_key(rec: object, key: str) -> None:
    assert refusal(rec) == key


def test_a_station_the_sender_may_not_feed_is_refused_with_its_own_key() -> None:
    assert refusal(record(25, station="test-gauge"), feed={"test-gauge": False}) == (
        "observation-station-not-permitted"
    )


def test_clock_a_little_ahead_is_tolerated() -> None:
    assert parse(record(25, 9, station="test-gauge")) is not None


def _actor(
    kind: OrganisationKind,
    *,
    jurisdiction: str | None = None,
    region: str | None = None,
    role: Role = Role.OFFICER,
) -> Actor:
    organisation = Organisation(
        "org", kind, "组织", "Org", jurisdiction_code=jurisdiction, region_code=region
    )
    return Actor("someone", organisation, role, frozenset({"yrd"}))


@pytest.mark.parametrize(
    "who, allowed",
    [
        (_actor(OrganisationKind.SYSTEM), True),
        (_actor(OrganisationKind.COORDINATION_BODY, region="yrd"), True),
        (_actor(OrganisationKind.COORDINATION_BODY, region="pearl"), False),
        (_actor(OrganisationKind.JURISDICTION, jurisdiction="341000"), True),
        (_actor(OrganisationKind.JURISDICTION, jurisdiction="341000", role=Role.VIEWER), False),
        (_actor(OrganisationKind.JURISDICTION, jurisdiction="330100"), False),
        (_actor(OrganisationKind.CENTRAL_OFFICE), False),
        (_actor(OrganisationKind.EVALUATOR, region="yrd"), False),
        (_actor(OrganisationKind.DOMAIN_OFFICE, region="yrd"), False),
    ],
)
def test_who_may_feed_a_station(who: Actor, allowed: bool) -> None:
    s = station()
    fed = permissions.can_feed_station(
        who, region_code=s.region_code, jurisdiction_code=s.jurisdiction_code
    )
    assert fed is allowed


# --- policy tables ------------------------------------------------------------------------


def test_bundled_variables_have_units_and_ranges() -> None:
    table = variables()
    assert {"water_level", "discharge", "rainfall_intensity", "pm25", "case_count"} <= set(table)
    assert table["pm25"].same_unit("ug/m3") and table["pm25"].same_unit("μg/m³")
    assert table["case_count"].integer
    assert all(isinstance(v, Variable) and v.minimum < v.maximum for v in table.values())


def test_firing_levels_give_event_levels_red_i_to_blue_iv() -> None:
    table, matrix = firing_assessment(), event_level_matrix()
    got = {level: matrix.level(*table.cell(level)) for level in WarningLevel}
    assert got == {
        WarningLevel.RED: EventLevel.I,
        WarningLevel.ORANGE: EventLevel.II,
        WarningLevel.YELLOW: EventLevel.III,
        WarningLevel.BLUE: EventLevel.IV,
    }


def test_a_firing_table_that_breaks_the_colour_to_level_rule_is_refused() -> None:
    bad = {
        "blue": {"likelihood": 2, "consequence": 2},
        "yellow": {"likelihood": 3, "consequence": 3},
        "orange": {"likelihood": 3, "consequence": 3},  # III, not II
        "red": {"likelihood": 4, "consequence": 5},
    }
    with pytest.raises(InvalidInput, match="not II"):
        read_firing_assessment(bad, matrix=event_level_matrix())


def test_raising_never_lowers_either_scale() -> None:
    table = firing_assessment()
    assert raised((1, 1), WarningLevel.YELLOW, table) == table.cell(WarningLevel.YELLOW)
    assert raised((5, 5), WarningLevel.BLUE, table) == (5, 5)
    assert raised((2, 5), WarningLevel.ORANGE, table) == (4, 5)


# --- hydrographs ----------------------------------------------------------------------------


def test_hydrograph_is_read_and_stamped_from_the_start() -> None:
    points = read_hydrograph(
        "# synthetic\nstation,minutes,value,unit\ntunxi,30,21.5,m\ntunxi,0,21.0,m\nlanxi,0,26,m\n"
    )
    batches = replay_batches(points, start=T0)
    assert [(minutes, len(records)) for minutes, records in batches] == [(0, 2), (30, 1)]
    assert batches[1][1][0] == {
        "station": "tunxi",
        "time": (T0 + timedelta(minutes=30)).isoformat(),
        "value": 21.5,
        "unit": "m",
    }


@pytest.mark.parametrize(
    "text, message",
    [
        ("", "no rows"),
        ("station,time,value,unit\ntunxi,0,1,m\n", "header"),
        ("station,minutes,value,unit\ntunxi,0,1\n", "line 2: expected 4 fields"),
        ("station,minutes,value,unit\ntunxi,soon,1,m\n", "line 2: minutes and value"),
        ("station,minutes,value,unit\ntunxi,-5,1,m\n", "line 2"),
        ("station,minutes,value,unit\n", "no points"),
    ],
)
def test_bad_hydrographs_are_refused_by_line(text: str, message: str) -> None:
    with pytest.raises(InvalidInput, match=message):
        read_hydrograph(text)


def test_a_batch_is_judged_as_each_reading_would_be_alone() -> None:
    # The one-pass evaluation of a batch must agree with evaluating reading by reading.
    rng = random.Random(20260701)
    both = rule(
        thresholds={"blue": 3.0, "yellow": 4.0, "orange": 5.0},
        rise=[
            {"level": "yellow", "amount": 1.0, "hours": 1},
            {"level": "orange", "amount": 2.5, "hours": 3},
        ],
    )
    for _ in range(200):
        minutes = sorted(rng.sample(range(0, 600), 40))
        readings = [(T0 + timedelta(minutes=m), round(rng.uniform(0, 5.5), 2)) for m in minutes]
        targets = sorted(rng.sample(range(40), rng.randint(1, 10)))
        got = evaluate_series(both, readings, targets, unit="m")
        alone = [
            evaluate(
                both,
                [observation(v, (t - T0).total_seconds() / 60) for t, v in readings[:i]],
                observation(readings[i][1], (readings[i][0] - T0).total_seconds() / 60),
            )
            for i in targets
        ]
        fired = [f for f in alone if f is not None]
        expected = min(fired, key=lambda f: f.level) if fired else None
        assert got == expected
