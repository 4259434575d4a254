"""The firing policy: what each warning level means for the risk."""

from __future__ import annotations

import pytest

from crossrisk.domain.errors import InvalidInput
from crossrisk.domain.monitoring.firing import raised, read_firing_assessment
from crossrisk.domain.risk import EventLevel
from crossrisk.domain.warning import WarningLevel
from crossrisk.services.policy_tables import event_level_matrix, firing_assessment


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
