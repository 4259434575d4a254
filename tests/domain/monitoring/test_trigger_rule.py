"""Trigger rules: thresholds and rates of rise, one reading and a batch at a time."""

from __future__ import annotations

import random
from datetime import timedelta

import pytest

from crossrisk.domain.errors import InvalidInput
from crossrisk.domain.monitoring.observation import evaluate
from crossrisk.domain.monitoring.trigger_rule import evaluate_series
from crossrisk.domain.warning import WarningLevel
from tests.monitoring_support import observation, rule
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
        assert (firing.value, firing.unit) == (value, "m")


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
    assert firing.unit == "m"


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
