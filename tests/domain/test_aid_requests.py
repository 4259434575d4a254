"""Requests, offers, commitments and shipments as pure rules: the line-state table, the
request's state from its lines, the commitment-outcome table, caps and refusals."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from crossrisk.domain.aid.commitment import Outcome, outcome
from crossrisk.domain.aid.offer import (
    OfferLineDraft,
    accepted_quantity,
    check_cost,
    check_offer_lines,
)
from crossrisk.domain.aid.request import (
    AidRequest,
    Destination,
    LineDraft,
    Priority,
    RequestLine,
    RequestState,
    check_lines,
    line_state,
    move,
    request_state,
)
from crossrisk.domain.aid.shipment import (
    Shipment,
    ShipmentState,
    TransportMode,
    check_dispatch,
    mark_in_transit,
    receive,
)
from crossrisk.domain.errors import InvalidInput, InvalidTransition
from crossrisk.services.policy_tables import aid_catalogue

NOW = datetime(2026, 12, 6, 8, 0, tzinfo=UTC)
DUE = NOW + timedelta(days=2)
SITE = Destination(name="萧山物资站", lon=120.26, lat=30.18)

S = RequestState


def test_priorities_rank_life_saving_first() -> None:
    assert [p.rank for p in Priority] == [1, 2, 3, 4]
    assert Priority("life_sustaining").rank == 2


# quantity 5000: committed, shipped, received, in transit -> state
LINE_TABLE = [
    (0, 0, 0, 0, S.APPROVED),
    (3000, 0, 0, 0, S.PARTLY_COMMITTED),
    (5000, 0, 0, 0, S.FULLY_COMMITTED),
    (5000, 3000, 0, 3000, S.FULLY_COMMITTED),  # not all of it on the road yet
    (5000, 5000, 0, 5000, S.IN_TRANSIT),
    (5000, 5000, 3000, 2000, S.IN_TRANSIT),  # part arrived, the rest on the road
    (5000, 5000, 4800, 0, S.RECEIVED),  # all arrived, 200 short: the pipeline is done
    (5000, 5000, 5000, 0, S.RECEIVED),
    (3000, 3000, 3000, 0, S.PARTLY_COMMITTED),  # what was promised came; 2000 still sought
    (0, 0, 5000, 0, S.RECEIVED),  # received in full, whoever's promise it was
]


@pytest.mark.parametrize(("committed", "shipped", "received", "in_transit", "state"), LINE_TABLE)
def test_line_state_follows_the_quantities(
    committed: float, shipped: float, received: float, in_transit: float, state: RequestState
) -> None:
    assert (
        line_state(
            quantity=5000,
            committed=committed,
            shipped=shipped,
            received=received,
            in_transit=in_transit,
        )
        is state
    )


def test_request_state_is_its_least_advanced_line_once_approved() -> None:
    lines = [S.RECEIVED, S.PARTLY_COMMITTED, S.IN_TRANSIT]
    assert request_state(S.APPROVED, lines) is S.PARTLY_COMMITTED
    assert request_state(S.APPROVED, [S.RECEIVED, S.RECEIVED]) is S.RECEIVED
    assert request_state(S.CLOSED, lines) is S.CLOSED
    assert request_state(S.SUBMITTED, []) is S.SUBMITTED


def draft_line(**changes: object) -> LineDraft:
    values: dict[str, object] = dict(
        item_code="tent",
        quantity=5000,
        priority=Priority.LIFE_SUSTAINING,
        needed_by=DUE,
        destination=SITE,
        substitutes=("family_tent",),
    )
    return LineDraft(**(values | changes))  # type: ignore[arg-type]


def test_lines_convert_packs_to_base_units() -> None:
    (line,) = check_lines(
        [draft_line(item_code="medical_mask", quantity=3, unit="pallet", substitutes=())],
        catalogue=aid_catalogue(),
        now=NOW,
    )
    assert line.quantity == 3000


@pytest.mark.parametrize(
    ("changes", "key"),
    [
        ({"quantity": -1}, "quantity-negative"),
        ({"quantity": 0}, "quantity-negative"),
        ({"quantity": float("nan")}, "quantity-not-finite"),
        ({"quantity": 1e300}, "quantity-too-large"),
        ({"item_code": "unicorn"}, "unknown-item"),
        ({"unit": "crate"}, "unknown-unit"),
        ({"substitutes": ("unicorn",)}, "unknown-item"),
        ({"substitutes": ("tent",)}, "substitute-is-item"),
        ({"needed_by": NOW - timedelta(hours=1)}, "needed-by-past"),
        ({"needed_by": datetime(2026, 12, 8)}, "time-no-offset"),
        ({"needed_by": NOW + timedelta(days=4000)}, "needed-by-too-far"),
        ({"destination": Destination("站\x00", 120, 30)}, "text-control"),
        ({"destination": Destination("站", float("inf"), 30)}, "location-invalid"),
    ],
)
def test_bad_lines_are_refused_with_a_key(changes: dict[str, object], key: str) -> None:
    with pytest.raises(InvalidInput) as refused:
        check_lines([draft_line(**changes)], catalogue=aid_catalogue(), now=NOW)
    assert refused.value.key == key


def test_a_request_moves_only_along_its_transitions() -> None:
    request = approved_request()
    assert move(request, "close") is S.CLOSED
    with pytest.raises(InvalidTransition):
        move(request, "submit")


def approved_request() -> AidRequest:
    return AidRequest(
        id=1,
        region_code="yrd",
        jurisdiction_code="330100",
        made_by="ema-330100",
        state=S.APPROVED,
        lines=(
            RequestLine(
                id=7,
                item_code="tent",
                quantity=5000,
                priority=Priority.LIFE_SUSTAINING,
                needed_by=DUE,
                destination=SITE,
                substitutes=("family_tent",),
            ),
        ),
        created_at=NOW,
        updated_at=NOW,
    )


def offer_line(**changes: object) -> OfferLineDraft:
    values: dict[str, object] = dict(
        request_line_id=7,
        quantity=3000,
        earliest_dispatch=NOW + timedelta(hours=2),
        estimated_arrival=NOW + timedelta(hours=8),
        cost_cny=120000.0,
    )
    return OfferLineDraft(**(values | changes))  # type: ignore[arg-type]


def test_an_offer_may_give_an_acceptable_substitute() -> None:
    (line,) = check_offer_lines(approved_request(), [offer_line(item_code="family_tent")], now=NOW)
    assert line.item_code == "family_tent"


@pytest.mark.parametrize(
    ("changes", "key"),
    [
        ({"item_code": "blanket"}, "item-not-acceptable"),
        ({"request_line_id": 8}, "unknown-request-line"),
        ({"quantity": -5}, "quantity-negative"),
        ({"cost_cny": -1.0}, "cost-invalid"),
        ({"cost_cny": float("nan")}, "cost-invalid"),
        ({"cost_cny": 1e300}, "cost-invalid"),
        ({"estimated_arrival": NOW}, "arrival-before-dispatch"),
        ({"note": "a\x00b"}, "text-control"),
    ],
)
def test_bad_offer_lines_are_refused(changes: dict[str, object], key: str) -> None:
    with pytest.raises(InvalidInput) as refused:
        check_offer_lines(approved_request(), [offer_line(**changes)], now=NOW)
    assert refused.value.key == key


def test_an_offer_beyond_the_need_is_capped_at_acceptance() -> None:
    assert accepted_quantity(3000, still_needed=2000) == 2000
    assert accepted_quantity(1500, still_needed=2000) == 1500
    with pytest.raises(InvalidInput) as refused:
        accepted_quantity(10, still_needed=0)
    assert refused.value.key == "line-fully-committed"
    assert check_cost(0) == 0.0


def shipment(
    quantity: float,
    *,
    sent: datetime = NOW,
    received: float | None = None,
    at: datetime | None = None,
) -> Shipment:
    return Shipment(
        id=1,
        commitment_id=1,
        quantity=quantity,
        mode=TransportMode.ROAD,
        reference="浙A12345",
        dispatched_at=sent,
        dispatched_by="huangshan",
        expected_arrival=sent + timedelta(hours=6),
        state=ShipmentState.IN_TRANSIT if received is None else ShipmentState.RECEIVED,
        received_quantity=received,
        received_at=at if received is not None else None,
    )


LATE = DUE + timedelta(hours=5)
EARLY = DUE - timedelta(hours=5)
# committed 2000, due DUE: shipments, now, cancelled -> outcome
OUTCOME_TABLE = [
    ([], NOW, False, Outcome.OPEN),
    ([], LATE, False, Outcome.BROKEN),  # nothing shipped by the due time
    ([], NOW, True, Outcome.BROKEN),  # withdrawn by the donor
    ([shipment(2000)], NOW, False, Outcome.OPEN),  # on the road
    ([shipment(2000, received=2000, at=EARLY)], LATE, False, Outcome.HONOURED),
    ([shipment(2000, received=2000, at=LATE)], LATE, False, Outcome.LATE),
    ([shipment(2000, received=1800, at=EARLY)], EARLY, False, Outcome.PARTIAL),
    ([shipment(1000, received=1000, at=EARLY)], EARLY, False, Outcome.OPEN),  # more may come
    ([shipment(1000, received=1000, at=EARLY)], LATE, False, Outcome.PARTIAL),
    (
        [shipment(1000, received=1000, at=EARLY), shipment(1000, received=1000, at=LATE)],
        LATE,
        False,
        Outcome.LATE,
    ),
    ([shipment(2000, sent=LATE)], LATE + timedelta(hours=1), False, Outcome.BROKEN),
    ([shipment(2000, sent=LATE, received=2000, at=LATE)], LATE, False, Outcome.LATE),
]


@pytest.mark.parametrize(("shipments", "now", "cancelled", "expected"), OUTCOME_TABLE)
def test_commitment_outcome_table(
    shipments: list[Shipment], now: datetime, cancelled: bool, expected: Outcome
) -> None:
    assert (
        outcome(
            quantity=2000,
            due=DUE,
            cancelled_at=NOW if cancelled else None,
            shipments=shipments,
            now=now,
        )
        is expected
    )


def test_receipt_records_the_discrepancy_and_refuses_more_than_shipped() -> None:
    sent = mark_in_transit(replace_state(shipment(2000)), at=NOW)
    got = receive(sent, quantity=1800, at=NOW + timedelta(hours=6), by="hangzhou", note="")
    assert got.discrepancy == 200 and got.state is ShipmentState.RECEIVED
    with pytest.raises(InvalidInput) as refused:
        receive(sent, quantity=2001, at=NOW, by="hangzhou", note="")
    assert refused.value.key == "receipt-exceeds-shipment"
    with pytest.raises(InvalidTransition):
        receive(got, quantity=1, at=NOW, by="hangzhou", note="")


def test_dispatch_stays_within_the_commitment() -> None:
    assert check_dispatch(500, committed=2000, shipped_before=1500) == 500
    with pytest.raises(InvalidInput) as refused:
        check_dispatch(501, committed=2000, shipped_before=1500)
    assert refused.value.key == "shipment-exceeds-commitment"


def replace_state(s: Shipment) -> Shipment:
    from dataclasses import replace

    return replace(s, state=ShipmentState.DISPATCHED)
