"""Aid requests, offers, commitments and shipments as use cases, on both backends: each
journaled and announced, each refusal writing nothing."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from crossrisk.domain.aid.commitment import Outcome
from crossrisk.domain.aid.offer import OfferLineDraft
from crossrisk.domain.aid.request import Destination, LineDraft, Priority, RequestState
from crossrisk.domain.aid.shipment import TransportMode
from crossrisk.domain.aid.stock import StockDraft, Warehouse
from crossrisk.domain.errors import CrossriskError, InvalidInput, NotFound, NotPermitted
from crossrisk.domain.events import Event
from crossrisk.services import aid_offers, aid_requests, commitments, risks, shipments, stocks
from crossrisk.services.commitments import CommitLine
from crossrisk.store.models import (
    AidOfferRow,
    AidRequestRow,
    CommitmentRow,
    JournalEntryRow,
    ShipmentRow,
)
from crossrisk.store.uow import UnitOfWork
from tests.support import T0, actor, draft, row_counts

HANGZHOU, HUANGSHAN, SHANGHAI = "330100", "341000", "310000"
COMMITTEE = "yrd-committee"
SITE = Destination(name="萧山区物资集结点", lon=120.26, lat=30.18)
NEEDED_BY = T0 + timedelta(days=2)
H = timedelta(hours=1)


def city(uow: UnitOfWork, code: str):
    return actor(uow, f"ema-{code}")


def tents(quantity: float = 5000, **changes: object) -> LineDraft:
    values: dict[str, object] = dict(
        item_code="tent",
        quantity=quantity,
        priority=Priority.LIFE_SUSTAINING,
        needed_by=NEEDED_BY,
        destination=SITE,
        substitutes=("family_tent",),
    )
    return LineDraft(**(values | changes))  # type: ignore[arg-type]


def stock_donors(uow: UnitOfWork, **tents_held: float) -> None:
    """Give the donor cities the tents they will dispatch (stocks follow shipments)."""
    depots = {
        HUANGSHAN: Warehouse(name="黄山市应急物资储备库", lon=118.34, lat=29.71),
        SHANGHAI: Warehouse(name="上海市应急物资储备库", lon=121.47, lat=31.23),
    }
    for code, quantity in (tents_held or {HUANGSHAN: 5000, SHANGHAI: 5000}).items():
        stocks.record_stock(
            uow,
            city(uow, code),
            StockDraft(code, "tent", quantity, depots[code]),
            region_code="yrd",
            now=T0,
        )


def approved(uow: UnitOfWork, *lines: LineDraft, risk_id: int | None = None) -> int:
    request = aid_requests.draft_request(
        uow,
        city(uow, HANGZHOU),
        region_code="yrd",
        jurisdiction_code=HANGZHOU,
        lines=list(lines) or [tents()],
        risk_id=risk_id,
        now=T0,
    )
    assert request.id is not None
    aid_requests.submit_request(uow, city(uow, HANGZHOU), request.id, now=T0)
    aid_requests.approve_request(uow, actor(uow, COMMITTEE), request.id, now=T0)
    return request.id


def offer(uow: UnitOfWork, request_id: int, donor: str, quantity: float, **changes: object):
    line_id = (
        aid_requests.get_request(uow, city(uow, donor), request_id, now=T0).request.lines[0].id
    )
    assert line_id is not None
    values: dict[str, object] = dict(
        request_line_id=line_id,
        quantity=quantity,
        earliest_dispatch=T0 + H,
        estimated_arrival=T0 + 8 * H,
        cost_cny=quantity * 40.0,
    )
    return aid_offers.make_offer(
        uow,
        city(uow, donor),
        request_id,
        lines=[OfferLineDraft(**(values | changes))],  # type: ignore[arg-type]
        note="",
        now=T0,
    )


def journal(uow: UnitOfWork, action: str) -> list[dict]:
    with uow.read_only() as tx:
        return [dict(e.payload) for e in tx.journal.entries() if e.action == action]


def line_of(uow: UnitOfWork, request_id: int, now: datetime):
    progress = aid_requests.get_request(uow, actor(uow, COMMITTEE), request_id, now=now)
    (line,) = progress.lines.values()
    return progress, line


TABLES = (AidRequestRow, AidOfferRow, CommitmentRow, ShipmentRow, JournalEntryRow)


def test_hangzhou_flood_tents_from_two_cities(uow: UnitOfWork, database_url: str) -> None:
    """Hangzhou asks for 5,000 tents; 3,000 and 2,000 are offered, accepted, shipped;
    3,000 and 1,800 arrive: the first commitment honoured, the second partial; the tents
    leave the donors' stocks and join Hangzhou's at the destination."""
    stock_donors(uow, **{HUANGSHAN: 3000, SHANGHAI: 2500})
    seen: list[Event] = []
    uow.bus.subscribe(seen.append)
    flood = risks.register_risk(
        uow,
        city(uow, HANGZHOU),
        draft(where=(120.16, 30.27), title="钱塘江洪水", hazard_type=None),
        region_code="yrd",
        now=T0,
    )
    request_id = approved(uow, risk_id=flood.id)
    progress, line = line_of(uow, request_id, T0)
    assert progress.state is RequestState.APPROVED and progress.request.risk_id == flood.id

    first = offer(uow, request_id, HUANGSHAN, 3000)
    second = offer(uow, request_id, SHANGHAI, 2000)
    committee = actor(uow, COMMITTEE)
    (a,) = aid_offers.accept_offer(uow, committee, first.id or 0, now=T0 + H)
    _, line = line_of(uow, request_id, T0 + H)
    assert line.state is RequestState.PARTLY_COMMITTED and line.committed == 3000
    (b,) = aid_offers.accept_offer(uow, committee, second.id or 0, now=T0 + H)
    progress, line = line_of(uow, request_id, T0 + H)
    assert progress.state is RequestState.FULLY_COMMITTED
    assert (a.quantity, b.quantity) == (3000, 2000)
    assert a.due == NEEDED_BY and a.donor_jurisdiction_code == HUANGSHAN

    ship_a = shipments.dispatch(
        uow,
        city(uow, HUANGSHAN),
        a.id or 0,
        quantity=3000,
        mode=TransportMode.ROAD,
        reference="皖J 0001",
        expected_arrival=T0 + 8 * H,
        now=T0 + 2 * H,
    )
    assert line_of(uow, request_id, T0 + 2 * H)[1].state is RequestState.FULLY_COMMITTED
    ship_b = shipments.dispatch(
        uow,
        city(uow, SHANGHAI),
        b.id or 0,
        quantity=2000,
        mode=TransportMode.RAIL,
        reference="K1234",
        expected_arrival=T0 + 6 * H,
        now=T0 + 2 * H,
    )
    shipments.set_in_transit(uow, city(uow, SHANGHAI), ship_b.id or 0, now=T0 + 3 * H)
    _, line = line_of(uow, request_id, T0 + 3 * H)
    assert line.state is RequestState.IN_TRANSIT and line.in_transit == 5000

    hangzhou = city(uow, HANGZHOU)
    shipments.record_receipt(uow, hangzhou, ship_a.id or 0, quantity=3000, now=T0 + 9 * H)
    assert line_of(uow, request_id, T0 + 9 * H)[1].state is RequestState.IN_TRANSIT
    got = shipments.record_receipt(
        uow, hangzhou, ship_b.id or 0, quantity=1800, note="200 顶受潮", now=T0 + 10 * H
    )
    assert got.discrepancy == 200
    progress, line = line_of(uow, request_id, T0 + 10 * H)
    assert progress.state is RequestState.RECEIVED
    assert (line.received, line.outstanding) == (4800, 200)
    with uow.read_only() as tx:
        held = {
            (s.jurisdiction_code, s.warehouse.name): s.quantity
            for s in tx.stocks.of_region("yrd", item_codes=["tent"])
        }
    assert held == {
        (HUANGSHAN, "黄山市应急物资储备库"): 0,
        (SHANGHAI, "上海市应急物资储备库"): 500,
        (HANGZHOU, SITE.name): 4800,
    }

    later = NEEDED_BY + 24 * H
    outcomes = {
        v.commitment.donor_jurisdiction_code: v.outcome
        for v in commitments.list_commitments(uow, committee, region_code="yrd", now=later)
    }
    assert outcomes == {HUANGSHAN: Outcome.HONOURED, SHANGHAI: Outcome.PARTIAL}
    mine = commitments.list_commitments(uow, city(uow, SHANGHAI), donor=SHANGHAI, now=later)
    assert [(v.shipped, v.received) for v in mine] == [(2000, 1800)]

    closed = aid_requests.close_request(uow, hangzhou, request_id, now=later)
    assert closed.state is RequestState.CLOSED

    # Journal and events: every step, with the quantities to recompute it.
    assert [p["quantity"] for p in journal(uow, "commitment.made")] == [3000, 2000]
    assert [p["accepted"] for p in journal(uow, "aid_offer.accepted")] == [
        [first.lines[0].id],
        [second.lines[0].id],
    ]
    (received_b,) = [p for p in journal(uow, "shipment.received") if p["quantity"] == 2000]
    assert received_b["received_quantity"] == 1800 and received_b["discrepancy"] == 200
    names = [e.name for e in seen]
    for action in (
        "aid_request.drafted",
        "aid_request.submitted",
        "aid_request.approved",
        "aid_offer.made",
        "aid_offer.accepted",
        "commitment.made",
        "shipment.dispatched",
        "shipment.in_transit",
        "shipment.received",
        "aid_request.closed",
    ):
        assert action in names, action


def test_committee_requests_for_a_member_and_commit_lines_makes_commitments(
    uow: UnitOfWork,
) -> None:
    committee = actor(uow, COMMITTEE)
    request = aid_requests.draft_request(
        uow,
        committee,
        region_code="yrd",
        jurisdiction_code=HANGZHOU,
        lines=[tents(1000)],
        now=T0,
    )
    assert request.made_by == COMMITTEE and request.id is not None
    aid_requests.submit_request(uow, committee, request.id, now=T0)
    aid_requests.approve_request(uow, committee, request.id, now=T0)
    line_id = request.lines[0].id or 0
    with uow as tx:
        made = commitments.commit_lines(
            tx,
            committee,
            [
                CommitLine(line_id, HUANGSHAN, "tent", 600, NEEDED_BY),
                CommitLine(line_id, SHANGHAI, "family_tent", 400, NEEDED_BY),
            ],
            now=T0,
        )
        tx.commit()
    assert [c.quantity for c in made] == [600, 400]
    assert [c.offer_line_id for c in made] == [None, None]
    assert line_of(uow, request.id, T0)[1].state is RequestState.FULLY_COMMITTED
    assert len(journal(uow, "commitment.made")) == 2


def test_commit_lines_refuses_beyond_the_need_and_writes_nothing(
    uow: UnitOfWork, database_url: str
) -> None:
    request_id = approved(uow, tents(1000))
    committee = actor(uow, COMMITTEE)
    lid = aid_requests.get_request(uow, committee, request_id, now=T0).request.lines[0].id or 0
    before = row_counts(database_url, *TABLES)
    for lines, key in (
        (
            [
                CommitLine(lid, HUANGSHAN, "tent", 600, NEEDED_BY),
                CommitLine(lid, SHANGHAI, "tent", 600, NEEDED_BY),
            ],
            "commitment-exceeds-need",
        ),
        ([CommitLine(lid, HANGZHOU, "tent", 10, NEEDED_BY)], "offer-by-requester"),
        ([CommitLine(lid, HUANGSHAN, "blanket", 10, NEEDED_BY)], "item-not-acceptable"),
        ([CommitLine(lid, HUANGSHAN, "tent", float("nan"), NEEDED_BY)], "quantity-not-finite"),
        ([CommitLine(lid, "440100", "tent", 10, NEEDED_BY)], "not-a-member"),
    ):
        with pytest.raises(InvalidInput) as refused, uow as tx:
            commitments.commit_lines(tx, committee, lines, now=T0)
            tx.commit()
        assert refused.value.key == key
    assert row_counts(database_url, *TABLES) == before


def test_offer_beyond_the_need_is_capped_and_a_full_line_refuses_more(uow: UnitOfWork) -> None:
    request_id = approved(uow, tents(1000))
    big = offer(uow, request_id, HUANGSHAN, 1500)
    (made,) = aid_offers.accept_offer(uow, city(uow, HANGZHOU), big.id or 0, now=T0)
    assert made.quantity == 1000
    (accepted_line,) = aid_offers.offers_of_request(uow, actor(uow, COMMITTEE), request_id)[0].lines
    assert (accepted_line.quantity, accepted_line.accepted_quantity) == (1500, 1000)
    more = offer(uow, request_id, SHANGHAI, 10)
    with pytest.raises(InvalidInput) as refused:
        aid_offers.accept_offer(uow, actor(uow, COMMITTEE), more.id or 0, now=T0)
    assert refused.value.key == "line-fully-committed"


@pytest.mark.parametrize(
    ("donor", "state", "key"),
    [
        (HANGZHOU, "approved", "offer-by-requester"),
        (HUANGSHAN, "cancelled", "request-not-open"),
        (HUANGSHAN, "closed", "request-not-open"),
        (HUANGSHAN, "submitted", "request-not-open"),
    ],
)
def test_offers_refused_write_nothing(
    uow: UnitOfWork, database_url: str, donor: str, state: str, key: str
) -> None:
    hangzhou, committee = city(uow, HANGZHOU), actor(uow, COMMITTEE)
    request = aid_requests.draft_request(
        uow, hangzhou, region_code="yrd", jurisdiction_code=HANGZHOU, lines=[tents()], now=T0
    )
    rid = request.id or 0
    aid_requests.submit_request(uow, hangzhou, rid, now=T0)
    if state in ("approved", "closed"):
        aid_requests.approve_request(uow, committee, rid, now=T0)
    if state == "closed":
        aid_requests.close_request(uow, hangzhou, rid, now=T0)
    if state == "cancelled":
        aid_requests.cancel_request(uow, hangzhou, rid, reason="水已退", now=T0)
    before = row_counts(database_url, *TABLES)
    with pytest.raises(InvalidInput) as refused:
        offer(uow, rid, donor, 100)
    assert refused.value.key == key
    assert row_counts(database_url, *TABLES) == before


def test_who_may_do_what(uow: UnitOfWork, database_url: str) -> None:
    stock_donors(uow)
    request_id = approved(uow, tents(1000))
    (made,) = aid_offers.accept_offer(
        uow, actor(uow, COMMITTEE), offer(uow, request_id, HUANGSHAN, 1000).id or 0, now=T0
    )
    before = row_counts(database_url, *TABLES)
    refusals = [
        # Huangshan may not ask for aid on Hangzhou's behalf, nor approve, nor receive.
        lambda: aid_requests.draft_request(
            uow,
            city(uow, HUANGSHAN),
            region_code="yrd",
            jurisdiction_code=HANGZHOU,
            lines=[tents()],
            now=T0,
        ),
        lambda: aid_requests.approve_request(uow, city(uow, HANGZHOU), request_id, now=T0),
        # The committee does not offer: only members give.
        lambda: offer_as(uow, COMMITTEE, request_id),
        # Only the donor dispatches; the requester does not.
        lambda: shipments.dispatch(
            uow,
            city(uow, HANGZHOU),
            made.id or 0,
            quantity=1,
            mode=TransportMode.ROAD,
            reference="x",
            expected_arrival=T0 + H,
            now=T0,
        ),
        lambda: commitments.cancel_commitment(
            uow, city(uow, SHANGHAI), made.id or 0, reason="不是我的", now=T0
        ),
        # Another region's committee reads nothing of it.
        lambda: aid_requests.get_request(uow, actor(uow, "pearl-committee"), request_id, now=T0),
    ]
    for refusal in refusals:
        with pytest.raises(NotPermitted):
            refusal()
    sent = shipments.dispatch(
        uow,
        city(uow, HUANGSHAN),
        made.id or 0,
        quantity=1000,
        mode=TransportMode.ROAD,
        reference="皖J 0001",
        expected_arrival=T0 + 5 * H,
        now=T0,
    )
    with pytest.raises(NotPermitted):
        shipments.record_receipt(uow, city(uow, HUANGSHAN), sent.id or 0, quantity=1000, now=T0)
    assert row_counts(database_url, *TABLES[:3]) == before[:3]


def offer_as(uow: UnitOfWork, organisation: str, request_id: int) -> None:
    line_id = aid_requests.get_request(uow, actor(uow, COMMITTEE), request_id, now=T0)
    aid_offers.make_offer(
        uow,
        actor(uow, organisation),
        request_id,
        lines=[
            OfferLineDraft(
                request_line_id=line_id.request.lines[0].id or 0,
                quantity=1,
                earliest_dispatch=T0,
                estimated_arrival=T0 + H,
            )
        ],
        now=T0,
    )


def test_shipment_refusals_write_nothing(uow: UnitOfWork, database_url: str) -> None:
    stock_donors(uow)
    request_id = approved(uow, tents(1000))
    (made,) = aid_offers.accept_offer(
        uow, actor(uow, COMMITTEE), offer(uow, request_id, HUANGSHAN, 1000).id or 0, now=T0
    )
    huangshan = city(uow, HUANGSHAN)
    sent = shipments.dispatch(
        uow,
        huangshan,
        made.id or 0,
        quantity=800,
        mode=TransportMode.ROAD,
        reference="皖J 0001",
        expected_arrival=T0 + 5 * H,
        now=T0,
    )
    before = row_counts(database_url, *TABLES)
    cases: list[tuple[object, str]] = [
        (
            lambda: shipments.record_receipt(
                uow, city(uow, HANGZHOU), sent.id or 0, quantity=801, now=T0 + H
            ),
            "receipt-exceeds-shipment",
        ),
        (
            lambda: shipments.record_receipt(
                uow, city(uow, HANGZHOU), sent.id or 0, quantity=-1, now=T0 + H
            ),
            "quantity-negative",
        ),
        (
            lambda: shipments.dispatch(
                uow,
                huangshan,
                made.id or 0,
                quantity=201,
                mode=TransportMode.ROAD,
                reference="皖J 0002",
                expected_arrival=T0 + 5 * H,
                now=T0,
            ),
            "shipment-exceeds-commitment",
        ),
        (
            lambda: shipments.dispatch(
                uow,
                huangshan,
                made.id or 0,
                quantity=1e300,
                mode=TransportMode.ROAD,
                reference="皖J 0002",
                expected_arrival=T0 + 5 * H,
                now=T0,
            ),
            "quantity-too-large",
        ),
        (
            lambda: shipments.dispatch(
                uow,
                huangshan,
                made.id or 0,
                quantity=10,
                mode=TransportMode.ROAD,
                reference="皖J\x000002",
                expected_arrival=T0 + 5 * H,
                now=T0,
            ),
            "text-control",
        ),
    ]
    for call, key in cases:
        with pytest.raises(CrossriskError) as refused:
            call()  # type: ignore[operator]
        assert refused.value.key == key
    assert row_counts(database_url, *TABLES) == before


def test_request_refusals_write_nothing(uow: UnitOfWork, database_url: str) -> None:
    hangzhou = city(uow, HANGZHOU)
    before = row_counts(database_url, *TABLES)
    for line, key in (
        (tents(-5), "quantity-negative"),
        (tents(item_code="unicorn"), "unknown-item"),
        (tents(unit="crate"), "unknown-unit"),
        (tents(float("nan")), "quantity-not-finite"),
        (tents(1e300), "quantity-too-large"),
    ):
        with pytest.raises(InvalidInput) as refused:
            aid_requests.draft_request(
                uow,
                hangzhou,
                region_code="yrd",
                jurisdiction_code=HANGZHOU,
                lines=[line],
                now=T0,
            )
        assert refused.value.key == key
    with pytest.raises(InvalidInput) as refused:
        aid_requests.draft_request(
            uow,
            hangzhou,
            region_code="y\x00rd",
            jurisdiction_code=HANGZHOU,
            lines=[tents()],
            now=T0,
        )
    assert refused.value.key == "code-invalid"
    # A draft may name a time that passes before it is sent; submitting it is refused.
    stale = aid_requests.draft_request(
        uow, hangzhou, region_code="yrd", jurisdiction_code=HANGZHOU, lines=[tents()], now=T0
    )
    after_draft = row_counts(database_url, *TABLES)
    with pytest.raises(InvalidInput) as refused:
        aid_requests.submit_request(uow, hangzhou, stale.id or 0, now=NEEDED_BY + H)
    assert refused.value.key == "needed-by-past"
    assert row_counts(database_url, *TABLES) == after_draft
    assert after_draft[0] == before[0] + 1


def test_a_draft_is_edited_and_hidden_from_other_cities(uow: UnitOfWork) -> None:
    hangzhou = city(uow, HANGZHOU)
    request = aid_requests.draft_request(
        uow, hangzhou, region_code="yrd", jurisdiction_code=HANGZHOU, lines=[tents()], now=T0
    )
    edited = aid_requests.edit_request(
        uow,
        hangzhou,
        request.id or 0,
        lines=[tents(200), tents(50, item_code="blanket", substitutes=())],
        now=T0,
    )
    assert [line.quantity for line in edited.lines] == [200, 50]
    assert journal(uow, "aid_request.edited")[0]["lines"][1]["item_code"] == "blanket"
    with pytest.raises(NotFound):
        aid_requests.get_request(uow, city(uow, HUANGSHAN), request.id or 0, now=T0)
    listed = aid_requests.list_requests(uow, city(uow, HUANGSHAN), region_code="yrd", now=T0)
    assert request.id not in [p.request.id for p in listed]
    mine = aid_requests.list_requests(
        uow, hangzhou, region_code="yrd", state=RequestState.DRAFT, now=T0
    )
    assert [p.request.id for p in mine] == [request.id]


def test_withdrawn_commitment_is_broken_and_the_line_asks_again(uow: UnitOfWork) -> None:
    request_id = approved(uow, tents(1000))
    (made,) = aid_offers.accept_offer(
        uow, actor(uow, COMMITTEE), offer(uow, request_id, HUANGSHAN, 1000).id or 0, now=T0
    )
    view = commitments.cancel_commitment(
        uow, city(uow, HUANGSHAN), made.id or 0, reason="本地汛情加重", now=T0 + H
    )
    assert view.outcome is Outcome.BROKEN
    assert line_of(uow, request_id, T0 + H)[1].state is RequestState.APPROVED
    assert journal(uow, "commitment.cancelled")[0]["reason"] == "本地汛情加重"
    # With no live commitment left, the request may be cancelled again.
    cancelled = aid_requests.cancel_request(
        uow, city(uow, HANGZHOU), request_id, reason="水已退", now=T0 + H
    )
    assert cancelled.state is RequestState.CANCELLED


def test_a_request_with_commitments_is_closed_not_cancelled(uow: UnitOfWork) -> None:
    request_id = approved(uow, tents(1000))
    aid_offers.accept_offer(
        uow, actor(uow, COMMITTEE), offer(uow, request_id, HUANGSHAN, 1000).id or 0, now=T0
    )
    with pytest.raises(InvalidInput) as refused:
        aid_requests.cancel_request(uow, city(uow, HANGZHOU), request_id, reason="x", now=T0)
    assert refused.value.key == "request-has-commitments"


def test_withdrawn_offer_cannot_be_accepted(uow: UnitOfWork) -> None:
    request_id = approved(uow, tents(1000))
    made = offer(uow, request_id, HUANGSHAN, 500)
    withdrawn = aid_offers.withdraw_offer(uow, city(uow, HUANGSHAN), made.id or 0, now=T0)
    assert withdrawn.state.value == "withdrawn"
    assert journal(uow, "aid_offer.withdrawn")[0]["offer_id"] == made.id
    with pytest.raises(InvalidInput) as refused:
        aid_offers.accept_offer(uow, actor(uow, COMMITTEE), made.id or 0, now=T0)
    assert refused.value.key == "offer-not-open"
