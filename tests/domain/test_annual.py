"""Annual plan and cooperation items: drafts checked, steps allowed, late read off the clock."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from crossrisk.domain.annual import (
    AnnualItem,
    ItemKind,
    ItemStatus,
    ServesKind,
    ShownItemStatus,
    check_draft,
    quarter_of,
    year_counts,
)
from crossrisk.domain.errors import InvalidInput, InvalidTransition

NOW = datetime(2027, 1, 10, 2, 0, tzinfo=UTC)


def item(**changes: object) -> AnnualItem:
    values: dict[str, object] = dict(
        id=1,
        region_code="yrd",
        year=2027,
        kind=ItemKind.COOPERATION,
        title="联合防汛演练",
        title_en="Joint flood drill",
        description="",
        owner_code="ema-330100",
        due=date(2027, 6, 30),
        first_due=date(2027, 6, 30),
        status=ItemStatus.PLANNED,
        serves_kind=None,
        serves_id=None,
        created_by="committee",
        created_at=NOW,
        updated_at=NOW,
    )
    values.update(changes)
    return AnnualItem(**values)  # type: ignore[arg-type]


def draft(**changes: object):  # type: ignore[no-untyped-def]
    values: dict[str, object] = dict(
        year=2027, kind="plan", title=" 汛前检查 ", owner_code="ema-330100", due=date(2027, 5, 1)
    )
    values.update(changes)
    return check_draft(**values)  # type: ignore[arg-type]


def test_a_draft_is_trimmed_and_its_serves_link_kept() -> None:
    checked = draft(serves_kind="agreement", serves_id=3, title_en="")
    assert checked.title == "汛前检查" and checked.title_en is None
    assert checked.kind is ItemKind.PLAN and checked.serves_kind is ServesKind.AGREEMENT
    assert item(serves_kind=ServesKind.PLAN, serves_id=7).serves_link == "/committee/plans/7"
    assert item(serves_kind=ServesKind.AGREEMENT, serves_id=3).serves_link == (
        "/committee/agreements/3"
    )
    assert item().serves_link is None


@pytest.mark.parametrize(
    ("changes", "key"),
    [
        ({"year": 1999, "due": date(1999, 5, 1)}, "annual-year-out-of-range"),
        ({"year": 2101, "due": date(2101, 5, 1)}, "annual-year-out-of-range"),
        ({"due": date(2028, 1, 1)}, "annual-due-outside-year"),
        ({"due": date(9999, 12, 31)}, "annual-due-outside-year"),
        ({"title": " \u200b "}, "text-empty"),
        ({"title": "x" * 201}, "text-too-long"),
        ({"title": "a\x00b"}, "text-control"),
        ({"description": "x" * 4001}, "text-too-long"),
        ({"kind": "wish"}, "annual-kind-unknown"),
        ({"serves_kind": "treaty", "serves_id": 1}, "annual-serves-kind-unknown"),
        ({"serves_kind": "plan", "serves_id": 0}, "annual-serves-id-invalid"),
        ({"serves_kind": "plan", "serves_id": 2**63}, "annual-serves-id-invalid"),
        ({"serves_id": 4}, "annual-serves-kind-unknown"),
        ({"owner_code": ""}, "text-empty"),
    ],
)
def test_a_bad_draft_is_refused_by_name(changes: dict[str, object], key: str) -> None:
    with pytest.raises(InvalidInput) as refused:
        draft(**changes)
    assert refused.value.key == key


def test_an_owed_item_past_its_beijing_due_day_is_late() -> None:
    due = item(due=date(2027, 1, 9))
    # 2027-01-09 ends at 16:00 UTC in Beijing time; its last second is the deadline.
    assert due.deadline == datetime(2027, 1, 9, 15, 59, 59, tzinfo=UTC)
    assert due.shown(datetime(2027, 1, 9, 15, 59, 59, tzinfo=UTC)) is ShownItemStatus.PLANNED
    assert due.shown(datetime(2027, 1, 9, 16, 0, tzinfo=UTC)) is ShownItemStatus.LATE


def test_done_after_the_due_day_shows_done_late() -> None:
    on_time = item().moved_to(ItemStatus.DONE, by="hangzhou", now=NOW)
    assert on_time.shown(NOW) is ShownItemStatus.DONE and on_time.done_by == "hangzhou"
    late = item(due=date(2027, 1, 2)).moved_to(ItemStatus.DONE, by="hangzhou", now=NOW)
    assert late.shown(NOW) is ShownItemStatus.DONE_LATE


def test_deferring_moves_the_due_day_later_and_keeps_the_first() -> None:
    moved = item().moved_to(
        ItemStatus.DEFERRED, by="committee", reason="汛期提前", new_due=date(2027, 9, 30), now=NOW
    )
    assert moved.due == date(2027, 9, 30) and moved.first_due == date(2027, 6, 30)
    assert moved.reason == "汛期提前" and moved.shown(NOW) is ShownItemStatus.DEFERRED
    for new_due, key in (
        (date(2027, 6, 30), "annual-defer-earlier"),
        (None, "annual-defer-earlier"),
        (date(2029, 1, 1), "annual-defer-too-far"),
    ):
        with pytest.raises(InvalidInput) as refused:
            item().moved_to(ItemStatus.DEFERRED, by="c", reason="r", new_due=new_due, now=NOW)
        assert refused.value.key == key
    with pytest.raises(InvalidInput) as refused:
        item().moved_to(ItemStatus.DEFERRED, by="c", reason=" ", new_due=date(2027, 7, 1), now=NOW)
    assert refused.value.key == "text-empty"


def test_cancelling_needs_a_reason_and_closes_the_item() -> None:
    with pytest.raises(InvalidInput):
        item().moved_to(ItemStatus.CANCELLED, by="committee", reason="", now=NOW)
    cancelled = item().moved_to(ItemStatus.CANCELLED, by="committee", reason="合并", now=NOW)
    assert cancelled.shown(NOW) is ShownItemStatus.CANCELLED
    for step in ItemStatus:
        with pytest.raises(InvalidTransition):
            cancelled.moved_to(step, by="c", reason="r", new_due=date(2027, 12, 1), now=NOW)
    with pytest.raises(InvalidTransition) as refused:
        cancelled.edited(draft(), now=NOW)
    assert refused.value.key == "annual-item-closed"


def test_an_edit_keeps_the_item_in_its_year() -> None:
    edited = item().edited(draft(title="新标题", due=date(2027, 3, 1)), now=NOW)
    assert edited.title == "新标题" and edited.due == date(2027, 3, 1)
    assert edited.first_due == date(2027, 6, 30)
    with pytest.raises(InvalidInput) as refused:
        item().edited(draft(year=2028, due=date(2028, 3, 1)), now=NOW)
    assert refused.value.key == "annual-year-fixed"


def test_the_year_counts_read_every_item_once() -> None:
    items = [
        item(),
        item(status=ItemStatus.IN_PROGRESS),
        item(due=date(2027, 1, 2)),  # late
        item(status=ItemStatus.DEFERRED, due=date(2027, 8, 1)),
        item(status=ItemStatus.DONE, done_at=NOW),
        item(status=ItemStatus.DONE, due=date(2027, 1, 2), done_at=NOW),
        item(status=ItemStatus.CANCELLED, reason="x"),
    ]
    counts = year_counts(items, now=NOW)
    assert (counts.done_on_time, counts.done_late, counts.late) == (1, 1, 1)
    assert (counts.open, counts.deferred, counts.cancelled) == (2, 1, 1)
    assert counts.total == len(items)


def test_an_item_falls_in_the_quarter_of_its_due_day() -> None:
    assert quarter_of(item(due=date(2027, 3, 31))) == 1
    assert quarter_of(item(due=date(2027, 4, 1))) == 2
    assert quarter_of(item(due=date(2028, 2, 1))) == 5
