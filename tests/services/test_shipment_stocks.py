"""Stocks follow shipments: a dispatch issues the donor's stock (first expiring first out,
or the stock it names), a receipt adds to the requester's stock at the line's destination;
on both backends, each through the ledger and journaled, each refusal writing nothing."""

from __future__ import annotations

from datetime import date

import pytest

from crossrisk.domain.aid.shipment import Shipment, TransportMode
from crossrisk.domain.aid.stock import AdjustmentReason, Stock, StockDraft, Warehouse
from crossrisk.domain.errors import CrossriskError
from crossrisk.services import aid_offers, shipments, stocks
from crossrisk.store.models import (
    JournalEntryRow,
    ShipmentRow,
    StockAdjustmentRow,
    StockRow,
)
from crossrisk.store.uow import UnitOfWork
from tests.services.test_aid_requests import (
    COMMITTEE,
    HANGZHOU,
    HUANGSHAN,
    SITE,
    H,
    approved,
    city,
    journal,
    offer,
    tents,
)
from tests.support import T0, actor, row_counts

# Huangshan keeps tents in two warehouses; the one in Tunxi expires first.
TUNXI = Warehouse(name="屯溪区应急物资库", lon=118.32, lat=29.71)
SHEXIAN = Warehouse(name="歙县应急物资库", lon=118.43, lat=29.87)
TABLES = (StockRow, StockAdjustmentRow, ShipmentRow, JournalEntryRow)


def stock(
    uow: UnitOfWork,
    quantity: float,
    warehouse: Warehouse = TUNXI,
    *,
    jurisdiction: str = HUANGSHAN,
    item: str = "tent",
    expires_on: date | None = None,
) -> Stock:
    return stocks.record_stock(
        uow,
        city(uow, jurisdiction),
        StockDraft(
            jurisdiction_code=jurisdiction,
            item_code=item,
            quantity=quantity,
            warehouse=warehouse,
            expires_on=expires_on,
        ),
        region_code="yrd",
        now=T0,
    )


def committed(uow: UnitOfWork, quantity: float = 1000) -> int:
    request_id = approved(uow, tents(quantity))
    (made,) = aid_offers.accept_offer(
        uow, actor(uow, COMMITTEE), offer(uow, request_id, HUANGSHAN, quantity).id or 0, now=T0
    )
    return made.id or 0


def send(uow: UnitOfWork, commitment_id: int, quantity: float, **more: object) -> Shipment:
    return shipments.dispatch(
        uow,
        city(uow, HUANGSHAN),
        commitment_id,
        quantity=quantity,
        mode=TransportMode.ROAD,
        reference="皖J 0001",
        expected_arrival=T0 + 8 * H,
        now=T0 + H,
        **more,  # type: ignore[arg-type]
    )


def quantity_of(uow: UnitOfWork, stock_id: int | None) -> float:
    with uow.read_only() as tx:
        return tx.stocks.get(stock_id or 0).quantity


def ledger(uow: UnitOfWork, stock_id: int | None):
    with uow.read_only() as tx:
        return tx.stocks.ledger(stock_id or 0)


def test_dispatch_issues_first_expiring_first_across_two_warehouses(uow: UnitOfWork) -> None:
    lasting = stock(uow, 800, SHEXIAN)  # does not expire: drawn last
    later = stock(uow, 500, SHEXIAN, expires_on=date(2031, 6, 30))
    sooner = stock(uow, 400, TUNXI, expires_on=date(2029, 3, 31))
    expired = stock(uow, 900, TUNXI, expires_on=date(2020, 1, 1))  # not usable
    commitment_id = committed(uow, 1000)

    sent = send(uow, commitment_id, 1000)

    got = {s.id: quantity_of(uow, s.id) for s in (sooner, later, lasting, expired)}
    assert got == {sooner.id: 0, later.id: 0, lasting.id: 700, expired.id: 900}
    for drawn, delta in ((sooner, -400), (later, -500), (lasting, -100)):
        *_, line = ledger(uow, drawn.id)
        assert (line.reason, line.delta) == (AdjustmentReason.ISSUED, delta)
        assert line.note == f"调运 {sent.id} 发往杭州市 / shipment {sent.id} to Hangzhou"
        assert line.actor == "test-ema-341000"
    assert len(ledger(uow, expired.id)) == 1  # its opening line only
    adjusted = journal(uow, "stock.adjusted")
    assert [(p["stock_id"], p["delta"], p["reason"]) for p in adjusted] == [
        (sooner.id, -400, "issued"),
        (later.id, -500, "issued"),
        (lasting.id, -100, "issued"),
    ]
    assert {p["shipment_id"] for p in adjusted} == {sent.id}
    (dispatched,) = journal(uow, "shipment.dispatched")
    assert dispatched["issued"] == [
        {"stock_id": sooner.id, "quantity": 400},
        {"stock_id": later.id, "quantity": 500},
        {"stock_id": lasting.id, "quantity": 100},
    ]


def test_dispatch_from_the_stock_the_donor_names(uow: UnitOfWork) -> None:
    sooner = stock(uow, 400, TUNXI, expires_on=date(2029, 3, 31))
    named = stock(uow, 1000, SHEXIAN)
    commitment_id = committed(uow, 1000)

    send(uow, commitment_id, 600, stock_id=named.id)

    assert (quantity_of(uow, sooner.id), quantity_of(uow, named.id)) == (400, 400)
    (dispatched,) = journal(uow, "shipment.dispatched")
    assert dispatched["issued"] == [{"stock_id": named.id, "quantity": 600}]


def test_receipt_raises_hangzhous_stock_created_at_the_destination(uow: UnitOfWork) -> None:
    stock(uow, 2000)
    sent = send(uow, committed(uow, 1000), 1000)
    hangzhou = city(uow, HANGZHOU)

    shipments.record_receipt(uow, hangzhou, sent.id or 0, quantity=950, now=T0 + 9 * H)

    listed = stocks.list_stocks(
        uow, hangzhou, "yrd", jurisdiction_code=HANGZHOU, item="tent", now=T0, stale_after=H
    )
    (created,) = [entry.stock for entry in listed]
    assert created.warehouse == Warehouse(SITE.name, SITE.lon, SITE.lat)
    assert (created.quantity, created.sharing.value, created.owner_code) == (
        950,
        "region",
        "ema-330100",
    )
    opening, received = ledger(uow, created.id)
    assert (opening.reason, opening.delta) == (AdjustmentReason.OPENING, 0)
    assert (received.reason, received.delta) == (AdjustmentReason.RECEIVED, 950)
    assert received.note == f"调运 {sent.id} 来自黄山市 / shipment {sent.id} from Huangshan"
    assert journal(uow, "stock.added")[-1]["stock_id"] == created.id
    (adjusted,) = [p for p in journal(uow, "stock.adjusted") if p["reason"] == "received"]
    assert (adjusted["stock_id"], adjusted["shipment_id"]) == (created.id, sent.id)
    assert journal(uow, "shipment.received")[0]["received_into"] == created.id


def test_a_second_receipt_adds_to_the_stock_at_the_destination(uow: UnitOfWork) -> None:
    stock(uow, 2000)
    commitment_id = committed(uow, 1000)
    first, second = send(uow, commitment_id, 600), send(uow, commitment_id, 400)
    hangzhou = city(uow, HANGZHOU)
    shipments.record_receipt(uow, hangzhou, first.id or 0, quantity=600, now=T0 + 9 * H)
    # The committee records the second on Hangzhou's behalf.
    shipments.record_receipt(
        uow, actor(uow, COMMITTEE), second.id or 0, quantity=400, now=T0 + 9 * H
    )
    with uow.read_only() as tx:
        (kept,) = tx.stocks.of_region("yrd", jurisdiction_codes=[HANGZHOU])
    assert kept.quantity == 1000 and len(ledger(uow, kept.id)) == 3


def test_receipt_into_the_stock_the_requester_names(uow: UnitOfWork) -> None:
    stock(uow, 2000)
    depot = Warehouse(name="杭州市应急物资储备库", lon=120.2, lat=30.3)
    own = stock(uow, 100, depot, jurisdiction=HANGZHOU)
    sent = send(uow, committed(uow, 1000), 1000)
    shipments.record_receipt(
        uow, city(uow, HANGZHOU), sent.id or 0, quantity=1000, stock_id=own.id, now=T0 + 9 * H
    )
    assert quantity_of(uow, own.id) == 1100
    with uow.read_only() as tx:
        assert len(tx.stocks.of_region("yrd", jurisdiction_codes=[HANGZHOU])) == 1


def test_nothing_received_changes_no_stock(uow: UnitOfWork) -> None:
    stock(uow, 2000)
    sent = send(uow, committed(uow, 1000), 1000)
    shipments.record_receipt(
        uow, city(uow, HANGZHOU), sent.id or 0, quantity=0, note="整车翻覆", now=T0 + 9 * H
    )
    with uow.read_only() as tx:
        assert tx.stocks.of_region("yrd", jurisdiction_codes=[HANGZHOU]) == []
    assert journal(uow, "shipment.received")[0]["received_into"] is None


def test_refused_dispatches_and_receipts_write_nothing(uow: UnitOfWork, database_url: str) -> None:
    tunxi = stock(uow, 300, TUNXI, expires_on=date(2029, 3, 31))
    shexian = stock(uow, 400, SHEXIAN)
    blankets = stock(uow, 5000, SHEXIAN, item="blanket")
    old = stock(uow, 5000, TUNXI, expires_on=date(2020, 1, 1))
    theirs = stock(uow, 100, jurisdiction=HANGZHOU)
    commitment_id = committed(uow, 1000)
    sent = send(uow, commitment_id, 100)
    before = row_counts(database_url, *TABLES)
    levels = {s.id: quantity_of(uow, s.id) for s in (tunxi, shexian, blankets, old)}
    cases: list[tuple[dict[str, object], str]] = [
        ({"quantity": 601}, "dispatch-exceeds-stock"),  # 200 + 400 usable tents left
        ({"quantity": 401, "stock_id": shexian.id}, "dispatch-exceeds-stock"),
        ({"quantity": 10, "stock_id": blankets.id}, "stock-not-for-shipment"),
        ({"quantity": 10, "stock_id": old.id}, "stock-not-for-shipment"),
        ({"quantity": 10, "stock_id": theirs.id}, "stock-not-for-shipment"),
        ({"quantity": 10, "stock_id": 2**62}, "stock-not-found"),
    ]
    for more, key in cases:
        with pytest.raises(CrossriskError) as refused:
            send(uow, commitment_id, **more)  # type: ignore[arg-type]
        assert refused.value.key == key, more
    with pytest.raises(CrossriskError) as refused:
        send(uow, commitment_id, 601)
    assert refused.value.params["available"] == 600
    assert refused.value.params["item_zh"] == "救灾帐篷（12 平方米）"
    with pytest.raises(CrossriskError) as refused:
        shipments.record_receipt(
            uow,
            city(uow, HANGZHOU),
            sent.id or 0,
            quantity=100,
            stock_id=shexian.id,
            now=T0 + 9 * H,
        )
    assert refused.value.key == "stock-not-for-shipment"
    assert row_counts(database_url, *TABLES) == before
    assert {s: quantity_of(uow, s) for s in levels} == levels
