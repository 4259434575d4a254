"""Reading a register search: its cursor, its Beijing dates and its bounds."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from crossrisk.domain.errors import InvalidInput
from crossrisk.domain.register import Cursor, RiskSort, cursor_after, parse_query
from crossrisk.domain.risk import EventLevel


@pytest.mark.parametrize("sort", list(RiskSort))
def test_a_cursor_reads_back_as_it_was_written(sort: RiskSort) -> None:
    moment = datetime(2026, 7, 1, 2, 3, 4, 567, tzinfo=UTC)
    cursor = cursor_after(sort, level=EventLevel.III, moment=moment, risk_id=42)
    read = Cursor.decode(cursor.encode(), sort=sort)
    assert read == cursor
    assert read.moment() == moment
    assert "=" not in cursor.encode()  # safe in a query string as it is


def test_registration_dates_are_beijing_days() -> None:
    query = parse_query(registered_from="2026-07-01", registered_to="2026-07-01")
    assert query.registered_from == date(2026, 7, 1)
    # 00:00 in Beijing is 16:00 UTC the day before; the day ends at the next midnight.
    assert query.since == datetime(2026, 6, 30, 16, tzinfo=UTC)
    assert query.before == datetime(2026, 7, 1, 16, tzinfo=UTC)


def test_a_cursor_with_a_naive_time_is_refused() -> None:
    forged = Cursor(sort=RiskSort.UPDATED, key="2026-07-01T00:00:00", risk_id=1).encode()
    with pytest.raises(InvalidInput, match="cursor"):
        Cursor.decode(forged, sort=RiskSort.UPDATED)


def test_blank_choices_mean_any_and_the_default_order() -> None:
    query = parse_query(text="  新安江   泄漏 ")
    assert query.text == "新安江 泄漏"
    assert query.sort is RiskSort.UPDATED and query.limit == 50 and query.after is None
    assert query.filtered() and not parse_query().filtered()
