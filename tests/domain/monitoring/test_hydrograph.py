"""Hydrographs: read from CSV and replayed as batches."""

from __future__ import annotations

from datetime import timedelta

import pytest

from crossrisk.domain.errors import InvalidInput
from crossrisk.domain.monitoring.hydrograph import read_hydrograph, replay_batches
from tests.support import T0


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
