"""Allocations as use cases, on both backends: a proposal keeps each donor's reserve and is
stored and journaled; approval turns its lines into commitments; an edited line breaching a
reserve is refused and nothing is written."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from crossrisk.aid.reserve import ReserveRule
from crossrisk.aid.travel import GreatCircleTravel
from crossrisk.domain.aid.allocation import AllocationState
from crossrisk.domain.aid.offer import OfferLineDraft
from crossrisk.domain.aid.request import Destination, LineDraft, Priority, RequestState
from crossrisk.domain.aid.stock import StockDraft, Warehouse
from crossrisk.domain.errors import InvalidInput, InvalidTransition, NotPermitted
from crossrisk.domain.events import Event
from crossrisk.domain.risk import RiskCategory
from crossrisk.services import aid_offers, aid_requests, allocations, risks, stocks
from crossrisk.services.allocation_inputs import AllocationContext
from crossrisk.services.allocations import EditedLine
from crossrisk.services.shortfall import risk_needs
from crossrisk.store.models import AllocationLineRow, AllocationRow, CommitmentRow, JournalEntryRow
from crossrisk.store.uow import UnitOfWork
from tests.support import T0, actor, draft, row_counts

HANGZHOU, SUZHOU, SHANGHAI, HUANGSHAN = "330100", "320500", "310000", "341000"
COMMITTEE = "yrd-committee"
CONTEXT = AllocationContext(travel=GreatCircleTravel(), stale_after=timedelta(days=30))
SITE = Destination(name="萧山区物资集结点", lon=120.26, lat=30.18)
PLACES = {SUZHOU: (120.62, 31.30), SHANGHAI: (121.47, 31.23), HUANGSHAN: (118.34, 29.71)}
TABLES = (AllocationRow, AllocationLineRow, CommitmentRow, JournalEntryRow)


def add_stock(uow: UnitOfWork, code: str, item: str, quantity: float, *, at: datetime = T0):
    committee = actor(uow, COMMITTEE)
    with uow as tx:
        stocks.add_stock(
            tx,
            committee,
            StockDraft(
                jurisdiction_code=code,
                item_code=item,
                quantity=quantity,
                warehouse=Warehouse(name="中心库", lon=PLACES[code][0], lat=PLACES[code][1]),
            ),
            region_code="yrd",
            now=at,
        )
        tx.commit()


def request(
    uow: UnitOfWork, quantity: float, *, risk_id: int | None = None, at: datetime = T0
) -> int:
    hangzhou = actor(uow, f"ema-{HANGZHOU}")
    made = aid_requests.draft_request(
        uow,
        hangzhou,
        region_code="yrd",
        jurisdiction_code=HANGZHOU,
        lines=[
            LineDraft(
                item_code="tent",
                quantity=quantity,
                priority=Priority.LIFE_SUSTAINING,
                needed_by=at + timedelta(days=2),
                destination=SITE,
            )
        ],
        risk_id=risk_id,
        now=at,
    )
    assert made.id is not None
    aid_requests.submit_request(uow, hangzhou, made.id, now=at)
    aid_requests.approve_request(uow, actor(uow, COMMITTEE), made.id, now=at)
    return made.id


def flood_in_suzhou(uow: UnitOfWork) -> int:
    risk = risks.register_risk(
        uow,
        actor(uow, f"ema-{SUZHOU}"),
        draft(
            where=(121.05, 31.3),
            category=RiskCategory.NATURAL_DISASTER,
            parameters={"radius_km": 20},
        ),
        region_code="yrd",
        now=T0,
    )
    assert risk.id is not None
    return risk.id


def tent_needs(uow: UnitOfWork, risk_id: int) -> dict[str, float]:
    with uow.read_only() as tx:
        needs = risk_needs(tx, risk_id, levels={}) or {}
    return {code: need.get("tent", 0.0) for code, need in needs.items()}


def journal(uow: UnitOfWork, action: str) -> list[dict]:
    with uow.read_only() as tx:
        return [dict(e.payload) for e in tx.journal.entries() if e.action == action]


def test_a_proposal_keeps_the_donors_reserve_for_the_risk(uow: UnitOfWork) -> None:
    flood = flood_in_suzhou(uow)
    needs = tent_needs(uow, flood)
    need = needs[SUZHOU]
    assert need > 0
    add_stock(uow, SUZHOU, "tent", need + 100)
    add_stock(uow, SHANGHAI, "tent", needs.get(SHANGHAI, 0.0) + 300)
    request_id = request(uow, 1000, risk_id=flood)
    heard: list[Event] = []
    uow.bus.subscribe(heard.append)

    made = allocations.propose(uow, actor(uow, COMMITTEE), [request_id], context=CONTEXT, now=T0)

    given = {line.donor_jurisdiction_code: line.quantity for line in made.lines}
    assert given == {SUZHOU: 100, SHANGHAI: 300}
    (unmet,) = made.unmet
    assert unmet.quantity == 600 and unmet.item_code == "tent"
    assert made.state is AllocationState.PROPOSED and made.risk_ids == (flood,)
    suzhou = next(d for d in made.donors if d.jurisdiction_code == SUZHOU)
    assert suzhou.reserve["tent"] == need and suzhou.stock["tent"] == need + 100
    assert all(line.hours > 0 and not line.stale for line in made.lines)
    assert made.total_hours == pytest.approx(sum(x.quantity * x.hours for x in made.lines))

    (entry,) = journal(uow, "allocation.proposed")
    assert entry["allocation_id"] == made.id and entry["request_ids"] == [request_id]
    assert entry["digest"] == made.digest and len(made.digest) == 64
    assert entry["unmet"] == [
        {"request_line_id": unmet.request_line_id, "item": "tent", "quantity": 600}
    ]
    assert entry["total_hours"] == made.total_hours
    assert [e.name for e in heard] == ["allocation.proposed"]
    assert allocations.get_allocation(uow, actor(uow, COMMITTEE), made.id or 0) == made


def test_without_a_risk_a_rule_per_item_sets_the_reserve(uow: UnitOfWork) -> None:
    add_stock(uow, SHANGHAI, "tent", 1000)
    request_id = request(uow, 1000)
    committee = actor(uow, COMMITTEE)

    plain = allocations.propose(uow, committee, [request_id], context=CONTEXT, now=T0)
    assert [line.quantity for line in plain.lines] == [1000] and not plain.unmet

    kept = allocations.propose(
        uow,
        committee,
        [request_id],
        context=CONTEXT,
        rules={"tent": ReserveRule(fraction=0.2)},
        now=T0,
    )
    assert [line.quantity for line in kept.lines] == [800]
    assert kept.unmet[0].quantity == 200
    # The newer proposal of the same request supersedes the older one.
    older = allocations.get_allocation(uow, committee, plain.id or 0)
    assert older.state is AllocationState.SUPERSEDED
    assert journal(uow, "allocation.proposed")[-1]["supersedes"] == [plain.id]
    with pytest.raises(InvalidTransition) as refused:
        allocations.approve(uow, committee, plain.id or 0, context=CONTEXT, now=T0)
    assert refused.value.key == "allocation-not-proposed"


def test_approval_creates_the_commitments_and_journals(uow: UnitOfWork) -> None:
    add_stock(uow, SUZHOU, "tent", 3000)
    add_stock(uow, SHANGHAI, "tent", 2000)
    request_id = request(uow, 5000)
    committee = actor(uow, COMMITTEE)
    made = allocations.propose(uow, committee, [request_id], context=CONTEXT, now=T0)
    heard: list[Event] = []
    uow.bus.subscribe(heard.append)

    approved = allocations.approve(uow, committee, made.id or 0, context=CONTEXT, now=T0)

    assert approved.state is AllocationState.APPROVED and approved.decided_by == committee.username
    assert all(
        line.commitment_id and line.approved_quantity == line.quantity for line in approved.lines
    )
    progress = aid_requests.get_request(uow, committee, request_id, now=T0)
    assert progress.state is RequestState.FULLY_COMMITTED
    with uow.read_only() as tx:
        made_commitments = tx.commitments.of_request(request_id)
    assert {(c.donor_jurisdiction_code, c.quantity) for c in made_commitments} == {
        (SUZHOU, 3000),
        (SHANGHAI, 2000),
    }
    assert all(
        c.due == T0 + timedelta(days=2) and c.offer_line_id is None for c in made_commitments
    )
    (entry,) = journal(uow, "allocation.approved")
    assert entry["allocation_id"] == made.id and not entry["edited"]
    assert sorted(line["commitment_id"] for line in entry["lines"]) == sorted(
        c.id for c in made_commitments
    )
    assert [e.name for e in heard] == ["commitment.made", "commitment.made", "allocation.approved"]

    # What is promised and not yet shipped is no longer there to give.
    again = allocations.propose(uow, committee, [request(uow, 10)], context=CONTEXT, now=T0)
    assert not again.lines and again.unmet[0].quantity == 10


def test_a_donor_that_offered_the_line_has_its_offer_accepted_by_the_approval(
    uow: UnitOfWork,
) -> None:
    add_stock(uow, SUZHOU, "tent", 3000)
    add_stock(uow, SHANGHAI, "tent", 2000)
    request_id = request(uow, 5000)
    committee = actor(uow, COMMITTEE)
    line_id = aid_requests.get_request(uow, committee, request_id, now=T0).request.lines[0].id
    assert line_id is not None
    offer = aid_offers.make_offer(
        uow,
        actor(uow, f"ema-{SUZHOU}"),
        request_id,
        lines=[
            OfferLineDraft(
                request_line_id=line_id,
                quantity=3000,
                earliest_dispatch=T0,
                estimated_arrival=T0 + timedelta(hours=6),
                cost_cny=90_000,
            )
        ],
        now=T0,
    )
    made = allocations.propose(uow, committee, [request_id], context=CONTEXT, now=T0)
    heard: list[Event] = []
    uow.bus.subscribe(heard.append)

    allocations.approve(uow, committee, made.id or 0, context=CONTEXT, now=T0)

    with uow.read_only() as tx:
        by_donor = {c.donor_jurisdiction_code: c for c in tx.commitments.of_request(request_id)}
        accepted = tx.aid_offers.get(offer.id or 0)
    (offered,) = accepted.lines
    assert by_donor[SUZHOU].offer_line_id == offered.id
    assert offered.commitment_id == by_donor[SUZHOU].id and offered.accepted_quantity == 3000
    assert by_donor[SHANGHAI].offer_line_id is None  # it offered nothing: stock alone
    (entry,) = journal(uow, "aid_offer.accepted")
    assert entry["offer_id"] == offer.id and entry["accepted"] == [offered.id]
    assert [e.name for e in heard].count("aid_offer.accepted") == 1


def test_an_edited_line_within_the_reserve_is_approved_as_edited(uow: UnitOfWork) -> None:
    add_stock(uow, SUZHOU, "tent", 3000)
    add_stock(uow, SHANGHAI, "tent", 2000)
    request_id = request(uow, 4000)
    committee = actor(uow, COMMITTEE)
    made = allocations.propose(uow, committee, [request_id], context=CONTEXT, now=T0)
    line_id = made.lines[0].request_line_id

    approved = allocations.approve(
        uow,
        committee,
        made.id or 0,
        [EditedLine(SUZHOU, line_id, "tent", 1500), EditedLine(SHANGHAI, line_id, "tent", 2000)],
        context=CONTEXT,
        now=T0,
    )

    by_donor = {line.donor_jurisdiction_code: line for line in approved.lines}
    assert by_donor[SUZHOU].approved_quantity == 1500
    assert by_donor[SHANGHAI].approved_quantity == 2000
    assert journal(uow, "allocation.approved")[0]["edited"] is True


def test_an_edited_line_breaching_a_reserve_is_refused_and_nothing_written(
    uow: UnitOfWork, database_url: str
) -> None:
    add_stock(uow, SUZHOU, "tent", 3000)
    add_stock(uow, SHANGHAI, "tent", 2000)
    request_id = request(uow, 5000)
    committee = actor(uow, COMMITTEE)
    made = allocations.propose(
        uow,
        committee,
        [request_id],
        context=CONTEXT,
        rules={"tent": ReserveRule(quantity=500)},
        now=T0,
    )
    line_id = made.lines[0].request_line_id
    before = row_counts(database_url, *TABLES)

    with pytest.raises(InvalidInput) as refused:
        allocations.approve(
            uow,
            committee,
            made.id or 0,
            [EditedLine(SUZHOU, line_id, "tent", 2600)],
            context=CONTEXT,
            now=T0,
        )

    assert refused.value.key == "breaches-reserve"
    assert refused.value.params["donor"] == SUZHOU and refused.value.params["reserve"] == 500
    assert row_counts(database_url, *TABLES) == before
    assert (
        allocations.get_allocation(uow, committee, made.id or 0).state is AllocationState.PROPOSED
    )


def test_stock_taken_since_the_proposal_is_checked_again_at_approval(
    uow: UnitOfWork, database_url: str
) -> None:
    add_stock(uow, SHANGHAI, "tent", 2000)
    first, second = request(uow, 2000), request(uow, 2000)
    committee = actor(uow, COMMITTEE)
    one = allocations.propose(uow, committee, [first], context=CONTEXT, now=T0)
    two = allocations.propose(uow, committee, [second], context=CONTEXT, now=T0)
    allocations.approve(uow, committee, one.id or 0, context=CONTEXT, now=T0)
    before = row_counts(database_url, *TABLES)

    with pytest.raises(InvalidInput) as refused:
        allocations.approve(uow, committee, two.id or 0, context=CONTEXT, now=T0)

    assert refused.value.key == "breaches-reserve"
    assert row_counts(database_url, *TABLES) == before


def test_stale_stock_is_flagged_in_the_proposal(uow: UnitOfWork) -> None:
    add_stock(uow, SHANGHAI, "tent", 500, at=T0 - timedelta(days=40))
    add_stock(uow, SUZHOU, "tent", 500)
    request_id = request(uow, 1000)

    made = allocations.propose(uow, actor(uow, COMMITTEE), [request_id], context=CONTEXT, now=T0)

    stale = {line.donor_jurisdiction_code: line.stale for line in made.lines}
    assert stale == {SHANGHAI: True, SUZHOU: False} and made.stale
    assert journal(uow, "allocation.proposed")[0]["stale_donors"] == [SHANGHAI]


def test_only_the_committee_proposes_and_approves(uow: UnitOfWork, database_url: str) -> None:
    add_stock(uow, SHANGHAI, "tent", 500)
    request_id = request(uow, 100)
    city = actor(uow, f"ema-{HANGZHOU}")
    before = row_counts(database_url, *TABLES)
    with pytest.raises(NotPermitted) as refused:
        allocations.propose(uow, city, [request_id], context=CONTEXT, now=T0)
    assert refused.value.key == "not-coordinator"
    assert row_counts(database_url, *TABLES) == before

    made = allocations.propose(uow, actor(uow, COMMITTEE), [request_id], context=CONTEXT, now=T0)
    before = row_counts(database_url, *TABLES)
    with pytest.raises(NotPermitted):
        allocations.approve(uow, city, made.id or 0, context=CONTEXT, now=T0)
    assert row_counts(database_url, *TABLES) == before
    # A member reads the flows, not the donors' figures.
    assert allocations.get_allocation(uow, city, made.id or 0).donors == ()


@pytest.mark.parametrize(
    ("ids", "key"),
    [
        ([], "no-requests"),
        ([0], "invalid-id"),
        ([2**63], "invalid-id"),
        (list(range(1, 102)), "too-many-requests"),
    ],
)
def test_bad_request_ids_are_refused(uow: UnitOfWork, ids: list[int], key: str) -> None:
    with pytest.raises(InvalidInput) as refused:
        allocations.propose(uow, actor(uow, COMMITTEE), ids, context=CONTEXT, now=T0)
    assert refused.value.key == key


def test_a_draft_request_is_not_allocated(uow: UnitOfWork) -> None:
    committee = actor(uow, COMMITTEE)
    made = aid_requests.draft_request(
        uow,
        committee,
        region_code="yrd",
        jurisdiction_code=HANGZHOU,
        lines=[
            LineDraft("tent", 10, Priority.HIGH, T0 + timedelta(days=1), SITE),
        ],
        now=T0,
    )
    with pytest.raises(InvalidInput) as refused:
        allocations.propose(uow, committee, [made.id or 0], context=CONTEXT, now=T0)
    assert refused.value.key == "request-not-open"


def test_a_discarded_proposal_is_not_approved(uow: UnitOfWork) -> None:
    add_stock(uow, SHANGHAI, "tent", 500)
    committee = actor(uow, COMMITTEE)
    made = allocations.propose(uow, committee, [request(uow, 100)], context=CONTEXT, now=T0)
    gone = allocations.discard(uow, committee, made.id or 0, now=T0)
    assert gone.state is AllocationState.DISCARDED
    assert journal(uow, "allocation.discarded")[0]["allocation_id"] == made.id
    with pytest.raises(InvalidTransition):
        allocations.approve(uow, committee, made.id or 0, context=CONTEXT, now=T0)
