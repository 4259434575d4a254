"""Emergency stocks: recorded, adjusted through the ledger, confirmed, changed and read as
their sharing allows; on both backends, each change journaled and announced."""

from __future__ import annotations

import threading
from datetime import UTC, date, datetime, timedelta

import pytest

from crossrisk.domain.aid.sharing import Sharing
from crossrisk.domain.aid.stock import AdjustmentReason, Stock, StockDraft, Warehouse
from crossrisk.domain.errors import InvalidInput, NotFound, NotPermitted
from crossrisk.domain.events import Event
from crossrisk.domain.organisation import Role
from crossrisk.services import stock_maps, stocks
from crossrisk.store.uow import UnitOfWork
from tests.support import T0, actor

HANGZHOU = "ema-330100"
HUANGSHAN = "ema-341000"
COMMITTEE = "yrd-committee"
CENTRAL = "central-office"
OTHER_COMMITTEE = "pearl-committee"
STALE_AFTER = timedelta(days=30)
DEPOT = Warehouse(name="杭州市应急物资储备库", lon=120.2, lat=30.3)


def water(quantity: float = 1000.0, **changes: object) -> StockDraft:
    values: dict[str, object] = dict(
        jurisdiction_code="330100",
        item_code="drinking_water",
        quantity=quantity,
        warehouse=DEPOT,
    )
    values.update(changes)
    return StockDraft(**values)  # type: ignore[arg-type]


def recorded(uow: UnitOfWork, draft: StockDraft | None = None, by: str = HANGZHOU) -> Stock:
    stock = stocks.record_stock(uow, actor(uow, by), draft or water(), region_code="yrd", now=T0)
    assert stock.id is not None
    return stock


def journal(uow: UnitOfWork, action: str) -> list[dict]:
    with uow.read_only() as tx:
        return [dict(e.payload) for e in tx.journal.entries() if e.action == action]


def journal_length(uow: UnitOfWork) -> int:
    with uow.read_only() as tx:
        return len(list(tx.journal.entries()))


def listed(uow: UnitOfWork, by: str, **filters: str | None) -> list[stocks.ListedStock]:
    return stocks.list_stocks(
        uow, actor(uow, by), "yrd", now=T0, stale_after=STALE_AFTER, **filters
    )


def test_a_city_records_its_stock_with_an_opening_ledger_line(uow: UnitOfWork) -> None:
    seen: list[Event] = []
    uow.bus.subscribe(seen.append)

    stock = recorded(uow)

    assert (stock.quantity, stock.owner_code, stock.confirmed_at) == (1000.0, HANGZHOU, T0)
    (line,) = stocks.stock_ledger(uow, actor(uow, HANGZHOU), stock.id or 0)
    assert (line.reason, line.delta, line.quantity_after) == (AdjustmentReason.OPENING, 1000, 1000)
    (added,) = journal(uow, "stock.added")
    assert added["stock_id"] == stock.id and added["quantity"] == 1000.0
    assert [e.name for e in seen] == ["stock.added"]
    assert seen[0].region_code == "yrd"


def test_an_adjustment_changes_the_quantity_through_a_ledger_line(uow: UnitOfWork) -> None:
    stock = recorded(uow)
    seen: list[Event] = []
    uow.bus.subscribe(seen.append)
    hangzhou = actor(uow, HANGZHOU)
    later = T0 + timedelta(hours=2)

    issued = stocks.adjust_stock(
        uow, hangzhou, stock.id or 0, reason="issued", quantity=300, note="to Chun'an", now=later
    )
    received = stocks.adjust_stock(
        uow,
        hangzhou,
        stock.id or 0,
        reason=AdjustmentReason.RECEIVED,
        quantity=2,
        unit="tank",
        now=later,
    )

    assert issued.quantity == 700.0 and issued.confirmed_at == later
    assert received.quantity == 2700.0  # two 1-tonne tanks, in litres
    ledger = stocks.stock_ledger(uow, hangzhou, stock.id or 0)
    assert [(line.reason.value, line.delta) for line in ledger] == [
        ("opening", 1000.0),
        ("issued", -300.0),
        ("received", 2000.0),
    ]
    assert sum(line.delta for line in ledger) == received.quantity
    first, second = journal(uow, "stock.adjusted")
    assert first["reason"] == "issued" and first["delta"] == -300.0
    assert first["quantity_before"] == 1000.0 and first["note"] == "to Chun'an"
    assert second["quantity"] == 2700.0
    assert [e.name for e in seen] == ["stock.adjusted", "stock.adjusted"]


def test_a_count_may_raise_or_lower_the_quantity(uow: UnitOfWork) -> None:
    stock = recorded(uow)
    hangzhou = actor(uow, HANGZHOU)

    lower = stocks.adjust_stock(
        uow, hangzhou, stock.id or 0, reason="counted", quantity=950, now=T0
    )
    higher = stocks.adjust_stock(
        uow, hangzhou, stock.id or 0, reason="counted", quantity=1200, now=T0
    )

    assert (lower.quantity, higher.quantity) == (950.0, 1200.0)
    assert [p["delta"] for p in journal(uow, "stock.adjusted")] == [-50.0, 250.0]


@pytest.mark.parametrize("reason", ["issued", "expired", "damaged"])
def test_taking_out_more_than_the_stock_is_refused_and_changes_nothing(
    uow: UnitOfWork, reason: str
) -> None:
    stock = recorded(uow)
    before = journal_length(uow)

    with pytest.raises(InvalidInput) as refused:
        stocks.adjust_stock(
            uow, actor(uow, HANGZHOU), stock.id or 0, reason=reason, quantity=1000.5, now=T0
        )

    assert refused.value.key == "stock-below-zero"
    assert journal_length(uow) == before
    assert len(stocks.stock_ledger(uow, actor(uow, HANGZHOU), stock.id or 0)) == 1
    assert listed(uow, HANGZHOU)[0].stock.quantity == 1000.0


@pytest.mark.parametrize(
    ("changes", "key"),
    [
        ({"reason": "opening"}, "adjustment-reason-unknown"),
        ({"reason": "stolen"}, "adjustment-reason-unknown"),
        ({"quantity": float("nan")}, "quantity-not-finite"),
        ({"quantity": float("inf")}, "quantity-not-finite"),
        ({"quantity": -1.0}, "quantity-negative"),
        ({"quantity": 1e13}, "quantity-too-large"),
        ({"unit": "pallet"}, "unknown-unit"),
        ({"note": "a\x00b"}, "text-control"),
        ({"note": "x" * 501}, "text-too-long"),
    ],
)
def test_a_bad_adjustment_is_refused_and_changes_nothing(
    uow: UnitOfWork, changes: dict[str, object], key: str
) -> None:
    stock = recorded(uow)
    before = journal_length(uow)
    values: dict[str, object] = {"reason": "received", "quantity": 5.0, "unit": None, "note": ""}
    values.update(changes)

    with pytest.raises(InvalidInput) as refused:
        stocks.adjust_stock(
            uow,
            actor(uow, HANGZHOU),
            stock.id or 0,
            now=T0,
            **values,  # type: ignore[arg-type]
        )

    assert refused.value.key == key
    assert journal_length(uow) == before
    assert listed(uow, HANGZHOU)[0].stock.quantity == 1000.0


def test_another_city_cannot_write_hangzhous_stocks(uow: UnitOfWork) -> None:
    stock = recorded(uow)
    huangshan = actor(uow, HUANGSHAN)
    before = journal_length(uow)

    with pytest.raises(NotPermitted) as recording:
        stocks.record_stock(uow, huangshan, water(), region_code="yrd", now=T0)
    with pytest.raises(NotPermitted) as adjusting:
        stocks.adjust_stock(uow, huangshan, stock.id or 0, reason="issued", quantity=1, now=T0)
    with pytest.raises(NotPermitted) as confirming:
        stocks.confirm_stock(uow, huangshan, stock.id or 0, now=T0)
    with pytest.raises(NotPermitted) as changing:
        stocks.change_stock(uow, huangshan, stock.id or 0, sharing="committee", now=T0)
    with pytest.raises(NotPermitted):
        # A viewer of Hangzhou reads its stocks but does not keep them.
        stocks.confirm_stock(uow, actor(uow, HANGZHOU, Role.VIEWER), stock.id or 0, now=T0)

    assert {e.value.key for e in (recording, adjusting, confirming, changing)} == {
        "base-information-not-yours"
    }
    assert journal_length(uow) == before
    assert [s.stock.quantity for s in listed(uow, HUANGSHAN)] == [1000.0]


def test_the_committee_keeps_a_citys_stocks_on_its_behalf(uow: UnitOfWork) -> None:
    stock = recorded(uow, by=COMMITTEE)

    adjusted = stocks.adjust_stock(
        uow, actor(uow, COMMITTEE), stock.id or 0, reason="damaged", quantity=10, now=T0
    )

    assert stock.owner_code == COMMITTEE and adjusted.quantity == 990.0


def test_a_committee_only_record_is_hidden_from_other_cities(uow: UnitOfWork) -> None:
    shared = recorded(uow)
    kept = recorded(uow, water(50, item_code="tent", sharing=Sharing.COMMITTEE))

    assert {s.stock.id for s in listed(uow, HANGZHOU)} == {shared.id, kept.id}
    assert {s.stock.id for s in listed(uow, COMMITTEE)} == {shared.id, kept.id}
    assert {s.stock.id for s in listed(uow, CENTRAL)} == {shared.id, kept.id}
    assert {s.stock.id for s in listed(uow, HUANGSHAN)} == {shared.id}
    huangshan = actor(uow, HUANGSHAN)
    # Not there by id either: the same answer as for a stock that does not exist.
    with pytest.raises(NotFound) as by_id:
        stocks.get_stock(uow, huangshan, kept.id or 0, now=T0, stale_after=STALE_AFTER)
    with pytest.raises(NotFound):
        stocks.stock_ledger(uow, huangshan, kept.id or 0)
    assert by_id.value.key == "stock-not-found"


def test_another_region_reads_none_of_the_stocks(uow: UnitOfWork) -> None:
    recorded(uow)

    with pytest.raises(NotPermitted) as refused:
        listed(uow, OTHER_COMMITTEE)

    assert refused.value.key == "region-not-readable"


def test_the_list_filters_by_city_and_item(uow: UnitOfWork) -> None:
    water_stock = recorded(uow)
    tents = recorded(uow, water(20, item_code="tent"))
    huangshan = recorded(uow, water(70, jurisdiction_code="341000"), by=HUANGSHAN)

    assert [s.stock.id for s in listed(uow, COMMITTEE, jurisdiction_code="341000")] == [
        huangshan.id
    ]
    assert [s.stock.id for s in listed(uow, COMMITTEE, item="tent")] == [tents.id]
    assert {s.stock.id for s in listed(uow, COMMITTEE, item="drinking_water")} == {
        water_stock.id,
        huangshan.id,
    }
    with pytest.raises(InvalidInput) as unknown:
        listed(uow, COMMITTEE, item="unicorns")
    with pytest.raises(InvalidInput) as outsider:
        listed(uow, COMMITTEE, jurisdiction_code="440100")
    assert (unknown.value.key, outsider.value.key) == ("unknown-item", "not-a-member")


def test_a_figure_not_confirmed_within_the_period_is_stale_until_confirmed(
    uow: UnitOfWork,
) -> None:
    stock = recorded(uow)
    seen: list[Event] = []
    uow.bus.subscribe(seen.append)
    hangzhou = actor(uow, HANGZHOU)
    day_31 = T0 + timedelta(days=31)

    fresh = stocks.get_stock(
        uow, hangzhou, stock.id or 0, now=T0 + STALE_AFTER, stale_after=STALE_AFTER
    )
    old = stocks.get_stock(uow, hangzhou, stock.id or 0, now=day_31, stale_after=STALE_AFTER)
    confirmed = stocks.confirm_stock(uow, hangzhou, stock.id or 0, now=day_31)
    after = stocks.get_stock(uow, hangzhou, stock.id or 0, now=day_31, stale_after=STALE_AFTER)

    assert (fresh.stale, old.stale, after.stale) == (False, True, False)
    assert confirmed.confirmed_at == day_31 and confirmed.updated_at == T0
    assert confirmed.quantity == 1000.0
    (entry,) = journal(uow, "stock.confirmed")
    assert entry["stock_id"] == stock.id
    assert [e.name for e in seen] == ["stock.confirmed"]
    # A shorter period, as a region may configure it, makes the same figure stale sooner.
    short = stocks.get_stock(
        uow, hangzhou, stock.id or 0, now=day_31 + timedelta(days=2), stale_after=timedelta(days=1)
    )
    assert short.stale


def test_changing_the_warehouse_sharing_and_expiry_is_journaled(uow: UnitOfWork) -> None:
    stock = recorded(uow, water(expires_on=date(2027, 6, 30)))
    seen: list[Event] = []
    uow.bus.subscribe(seen.append)
    hangzhou = actor(uow, HANGZHOU)
    later = T0 + timedelta(days=3)
    moved = Warehouse(name="萧山储备点", lon=120.26, lat=30.18)

    changed = stocks.change_stock(
        uow,
        hangzhou,
        stock.id or 0,
        warehouse=moved,
        sharing="committee",
        expires_on=None,
        now=later,
    )

    assert (changed.warehouse, changed.sharing, changed.expires_on) == (
        moved,
        Sharing.COMMITTEE,
        None,
    )
    assert changed.quantity == 1000.0 and changed.confirmed_at == later
    (entry,) = journal(uow, "stock.changed")
    assert entry["changed"] == ["warehouse", "sharing", "expires_on"]
    assert entry["sharing"] == "committee" and entry["expires_on"] is None
    assert [e.name for e in seen] == ["stock.changed"]
    # Leaving every field as it is journals nothing.
    stocks.change_stock(uow, hangzhou, stock.id or 0, sharing="committee", now=later)
    assert len(journal(uow, "stock.changed")) == 1


@pytest.mark.parametrize(
    ("changes", "key"),
    [
        ({"sharing": "everyone"}, "sharing-unknown"),
        ({"expires_on": date(9999, 1, 1)}, "expiry-out-of-range"),
        ({"warehouse": Warehouse(name="x", lon=200, lat=30)}, "location-invalid"),
        ({"warehouse": Warehouse(name="x", lon=float("nan"), lat=30)}, "location-invalid"),
        ({"warehouse": Warehouse(name=" ", lon=120, lat=30)}, "text-empty"),
    ],
)
def test_a_bad_change_is_refused_and_changes_nothing(
    uow: UnitOfWork, changes: dict[str, object], key: str
) -> None:
    stock = recorded(uow)
    before = journal_length(uow)

    with pytest.raises(InvalidInput) as refused:
        stocks.change_stock(uow, actor(uow, HANGZHOU), stock.id or 0, now=T0, **changes)  # type: ignore[arg-type]

    assert refused.value.key == key
    assert journal_length(uow) == before
    assert listed(uow, HANGZHOU)[0].stock == stock


def test_an_unknown_stock_is_not_found(uow: UnitOfWork) -> None:
    with pytest.raises(NotFound) as refused:
        stocks.confirm_stock(uow, actor(uow, HANGZHOU), 999_999, now=T0)

    assert refused.value.key == "stock-not-found"


def test_adjustments_at_once_never_lose_one_another(uow: UnitOfWork) -> None:
    stock = recorded(uow, water(10_000))
    hangzhou = actor(uow, HANGZHOU)
    rounds, workers = 5, 4
    start = threading.Barrier(workers)
    failures: list[BaseException] = []

    def issue() -> None:
        start.wait()
        mine = uow.fresh()
        try:
            for _ in range(rounds):
                stocks.adjust_stock(
                    mine, hangzhou, stock.id or 0, reason="issued", quantity=10, now=T0
                )
        except BaseException as error:  # pragma: no cover - reported below
            failures.append(error)

    threads = [threading.Thread(target=issue) for _ in range(workers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert failures == []
    (now_listed,) = listed(uow, HANGZHOU)
    assert now_listed.stock.quantity == 10_000 - rounds * workers * 10
    ledger = stocks.stock_ledger(uow, hangzhou, stock.id or 0)
    assert len(ledger) == 1 + rounds * workers
    assert sum(line.delta for line in ledger) == now_listed.stock.quantity


def test_the_stock_map_counts_usable_readable_stock_on_the_beijing_calendar(
    uow: UnitOfWork,
) -> None:
    recorded(uow, water(20, item_code="tent"))
    recorded(uow, water(30, item_code="tent", expires_on=date(2026, 6, 30)))
    recorded(uow, water(900, item_code="tent", sharing=Sharing.COMMITTEE))
    # 20:00 UTC on 30 June is already 1 July in Beijing: the 30 June tents have expired.
    evening = datetime(2026, 6, 30, 20, 0, tzinfo=UTC)

    def hangzhou_tents(by: str, now: datetime) -> stock_maps.CityStock:
        found = stock_maps.stock_map(uow, actor(uow, by), "yrd", now=now, stale_after=STALE_AFTER)
        assert found.item_code == "tent" and found.items_in_stock == ("tent",)
        return next(c for c in found.cities if c.jurisdiction_code == "330100")

    assert hangzhou_tents(HUANGSHAN, evening - timedelta(hours=13)).quantity == 50
    assert hangzhou_tents(HUANGSHAN, evening).quantity == 20
    assert hangzhou_tents(COMMITTEE, evening).quantity == 920
    # A year on, every figure is stale and still counted.
    later = hangzhou_tents(HANGZHOU, evening + timedelta(days=365))
    assert (later.quantity, later.records, later.stale_records) == (920, 2, 2)
    with pytest.raises(NotPermitted):
        stock_maps.stock_map(
            uow, actor(uow, OTHER_COMMITTEE), "yrd", now=T0, stale_after=STALE_AFTER
        )
