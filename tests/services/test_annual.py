"""Annual items are set by the committee, moved on by their owner, kept in step with their
duty and reminded like one; on both backends."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from crossrisk.domain.annual import ItemStatus, ShownItemStatus, check_draft
from crossrisk.domain.duty import DutyStatus
from crossrisk.domain.errors import CrossriskError, InvalidInput, NotFound, NotPermitted
from crossrisk.domain.events import Event
from crossrisk.domain.organisation import Role
from crossrisk.domain.responsibility import DutyKind
from crossrisk.services import agreements, annual, duties, duty_reminders
from crossrisk.services.annual import StatusChange
from crossrisk.store.uow import UnitOfWork
from tests.agreements_support import mutual_aid
from tests.support import actor

HANGZHOU = "ema-330100"
HUANGSHAN = "ema-341000"
COMMITTEE = "yrd-committee"
NOW = datetime(2027, 1, 5, 2, 0, tzinfo=UTC)


def draft(**changes: object):  # type: ignore[no-untyped-def]
    values: dict[str, object] = dict(
        year=2027,
        kind="cooperation",
        title="联合防汛演练",
        title_en="Joint flood drill",
        owner_code=HANGZHOU,
        due=date(2027, 6, 30),
        serves_kind=None,
        serves_id=None,
    )
    values.update(changes)
    return check_draft(**values)  # type: ignore[arg-type]


def journal(uow: UnitOfWork, action: str) -> list[dict]:
    with uow.read_only() as tx:
        return [dict(e.payload) for e in tx.journal.entries() if e.action == action]


def counts(uow: UnitOfWork) -> tuple[int, int, int]:
    with uow.read_only() as tx:
        items = len(tx.annual_items.of_year("yrd", 2027))
        entries = len(list(tx.journal.entries()))
        owed = len(tx.duties.listed(region_codes={"yrd"}))
    return items, entries, owed


def add(uow: UnitOfWork, **changes: object):  # type: ignore[no-untyped-def]
    return annual.add_item(uow, actor(uow, COMMITTEE), "yrd", draft(**changes), now=NOW)


def test_the_committee_sets_an_item_and_its_owner_gets_a_duty(uow: UnitOfWork) -> None:
    seen: list[Event] = []
    uow.bus.subscribe(seen.append)

    item = add(uow)

    assert item.status is ItemStatus.PLANNED and item.duty_id is not None
    assert item.serves_link is None
    with uow.read_only() as tx:
        duty = tx.duties.get(item.duty_id)
    assert duty.kind is DutyKind.ITEM and duty.risk_id is None
    assert duty.task == f"item-{item.id}" and duty.source == f"annual:{item.id}"
    assert duty.title == "联合防汛演练" and duty.title_en == "Joint flood drill"
    assert duty.organisation_code == HANGZHOU and duty.status is DutyStatus.OPEN
    # The end of 30 June in Beijing.
    assert duty.deadline == datetime(2027, 6, 30, 15, 59, 59, tzinfo=UTC)
    (added,) = journal(uow, "annual_item.added")
    assert added["item"] == item.id and added["owner"] == HANGZHOU and added["duty"] == duty.id
    assert [e.name for e in seen] == ["duty.assigned", "annual_item.added"]
    assert item in annual.items_of_year(uow, actor(uow, HANGZHOU), "yrd", 2027)
    mine = duties.duties_for(uow, actor(uow, HANGZHOU), now=NOW)
    assert [d.id for d in mine] == [duty.id]


def test_an_item_serves_an_agreement_or_plan_of_its_region_only(uow: UnitOfWork) -> None:
    agreement = agreements.draft_agreement(
        uow,
        actor(uow, COMMITTEE),
        "yrd",
        mutual_aid(obligations=mutual_aid().obligations[:1]),
        now=NOW,
    )
    assert agreement.id is not None

    item = add(uow, serves_kind="agreement", serves_id=agreement.id)

    assert item.serves_link == f"/committee/agreements/{agreement.id}"
    before = counts(uow)
    for kind, missing in (("agreement", agreement.id + 1), ("plan", 1)):
        with pytest.raises(InvalidInput) as refused:
            add(uow, serves_kind=kind, serves_id=missing)
        assert refused.value.key == "annual-serves-not-found"
    assert counts(uow) == before


@pytest.mark.parametrize(
    ("who", "role", "changes", "refusal"),
    [
        (HANGZHOU, Role.OFFICER, {}, NotPermitted),
        (COMMITTEE, Role.VIEWER, {}, NotPermitted),
        ("pearl-committee", Role.OFFICER, {}, NotPermitted),
        (COMMITTEE, Role.OFFICER, {"owner_code": "ema-440100"}, InvalidInput),
        (COMMITTEE, Role.OFFICER, {"owner_code": "central-office"}, InvalidInput),
        (COMMITTEE, Role.OFFICER, {"owner_code": "nobody"}, InvalidInput),
    ],
)
def test_a_refused_item_writes_nothing(
    uow: UnitOfWork, who: str, role: Role, changes: dict, refusal: type[CrossriskError]
) -> None:
    before = counts(uow)
    with pytest.raises(refusal):
        annual.add_item(uow, actor(uow, who, role), "yrd", draft(**changes), now=NOW)
    assert counts(uow) == before


def test_the_owner_marks_progress_then_done_and_the_duty_is_done(uow: UnitOfWork) -> None:
    item = add(uow)
    hangzhou = actor(uow, HANGZHOU)
    at = NOW + timedelta(days=1)

    annual.change_status(uow, hangzhou, item.id, StatusChange("in_progress"), now=at)
    done = annual.change_status(uow, hangzhou, item.id, StatusChange("done"), now=at)

    assert done.status is ItemStatus.DONE and done.shown(at) is ShownItemStatus.DONE
    with uow.read_only() as tx:
        duty = tx.duties.get(item.duty_id or 0)
    assert duty.status is DutyStatus.DONE and duty.done_via == "annual_item.status_changed"
    changes = journal(uow, "annual_item.status_changed")
    assert [(c["from"], c["status"]) for c in changes] == [
        ("planned", "in_progress"),
        ("in_progress", "done"),
    ]
    assert [p["duty"] for p in journal(uow, "duty.done")] == [duty.id]


def test_the_owner_marking_its_duty_done_makes_the_item_done(uow: UnitOfWork) -> None:
    item = add(uow)
    seen: list[Event] = []
    uow.bus.subscribe(seen.append)

    duties.acknowledge_duty(uow, actor(uow, HANGZHOU), item.duty_id or 0, now=NOW)

    assert annual.get_item(uow, actor(uow, COMMITTEE), item.id or 0).status is ItemStatus.DONE
    (change,) = journal(uow, "annual_item.status_changed")
    assert change["via"] == "duty.acknowledged" and change["status"] == "done"
    assert [e.name for e in seen] == ["duty.done", "annual_item.status_changed"]


def test_deferring_reschedules_the_duty_and_cancelling_cancels_it(uow: UnitOfWork) -> None:
    item = add(uow)
    committee = actor(uow, COMMITTEE)

    moved = annual.change_status(
        uow,
        committee,
        item.id or 0,
        StatusChange("deferred", reason="汛期提前", new_due=date(2027, 9, 30)),
        now=NOW,
    )
    with uow.read_only() as tx:
        duty = tx.duties.get(item.duty_id or 0)
    assert moved.due == date(2027, 9, 30) and moved.first_due == date(2027, 6, 30)
    assert duty.deadline == datetime(2027, 9, 30, 15, 59, 59, tzinfo=UTC)
    (rescheduled,) = journal(uow, "duty.rescheduled")
    assert rescheduled["duty"] == duty.id

    annual.change_status(uow, committee, item.id or 0, StatusChange("cancelled", "合并"), now=NOW)
    with uow.read_only() as tx:
        assert tx.duties.get(item.duty_id or 0).status is DutyStatus.CANCELLED
    assert journal(uow, "duty.cancelled")[0]["duty"] == duty.id


def test_the_owner_may_not_defer_or_cancel_and_nothing_is_written(uow: UnitOfWork) -> None:
    item = add(uow)
    before = counts(uow)
    for change in (
        StatusChange("deferred", reason="x", new_due=date(2027, 8, 1)),
        StatusChange("cancelled", reason="x"),
    ):
        with pytest.raises(NotPermitted):
            annual.change_status(uow, actor(uow, HANGZHOU), item.id or 0, change, now=NOW)
    with pytest.raises(NotPermitted):
        annual.change_status(
            uow, actor(uow, HUANGSHAN), item.id or 0, StatusChange("done"), now=NOW
        )
    with pytest.raises(NotFound):
        annual.change_status(
            uow, actor(uow, "pearl-committee"), item.id or 0, StatusChange("done"), now=NOW
        )
    with pytest.raises(InvalidInput):
        annual.change_status(
            uow, actor(uow, COMMITTEE), item.id or 0, StatusChange("finished"), now=NOW
        )
    assert counts(uow) == before


def test_editing_the_owner_moves_the_duty_to_the_new_owner(uow: UnitOfWork) -> None:
    item = add(uow)

    edited = annual.edit_item(
        uow, actor(uow, COMMITTEE), item.id or 0, draft(owner_code=HUANGSHAN), now=NOW
    )

    assert edited.owner_code == HUANGSHAN and edited.duty_id != item.duty_id
    with uow.read_only() as tx:
        old = tx.duties.get(item.duty_id or 0)
        new = tx.duties.get(edited.duty_id or 0)
    assert old.status is DutyStatus.CANCELLED and new.organisation_code == HUANGSHAN
    (entry,) = journal(uow, "annual_item.edited")
    assert entry["from"]["owner"] == HANGZHOU and entry["owner"] == HUANGSHAN


def test_an_items_duty_is_reminded_by_the_worker(uow: UnitOfWork) -> None:
    item = add(uow, due=date(2027, 1, 20))
    with uow.read_only() as tx:
        duty = tx.duties.get(item.duty_id or 0)

    assert duty_reminders.send_reminders(uow, now=duty.deadline - timedelta(minutes=1)) >= 1

    reminded = [p for p in journal(uow, "duty.reminded") if p["duty"] == duty.id]
    assert len(reminded) == 1 and reminded[0]["organisation"] == HANGZHOU
