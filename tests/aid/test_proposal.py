"""Allocation proposals from request lines and donors, reserves, and checks of edited lines."""

from __future__ import annotations

import json
from collections.abc import Mapping

import numpy as np
import pytest

from crossrisk.aid.proposal import (
    DonorStock,
    ProposedLine,
    RequestLine,
    UnmetLine,
    check_lines,
    propose,
)
from crossrisk.aid.reserve import ReserveRule, reserve, reserves
from crossrisk.aid.roads import RoadTravel, parse_road_graph
from crossrisk.aid.travel import GreatCircleTravel, Point
from crossrisk.domain.errors import InvalidInput

HANGZHOU = (120.16, 30.27)
JIAXING = (120.76, 30.75)
HUZHOU = (120.09, 30.89)
SHAOXING = (120.58, 30.03)
NINGBO = (121.55, 29.87)


class TableTravel:
    """Hours from a table by donor and destination point; a missing pair has no route."""

    def __init__(self, table: Mapping[str, Mapping[Point, float]]) -> None:
        self.table = table
        self.calls = 0

    def hours(
        self, origins: Mapping[str, Point], destinations: Mapping[str, Point]
    ) -> dict[str, dict[str, float]]:
        self.calls += 1
        return {
            origin: {
                code: self.table[origin][point]
                for code, point in destinations.items()
                if point in self.table.get(origin, {})
            }
            for origin in origins
        }


def request(
    id: int,
    quantity: float,
    *,
    item: str = "tent",
    priority: int = 4,
    at: Point = HANGZHOU,
    jurisdiction: str = "hangzhou",
    substitutes: tuple[str, ...] = (),
) -> RequestLine:
    return RequestLine(id, jurisdiction, item, quantity, priority, at, substitutes)


def donor(
    code: str, stock: dict[str, float], reserve: dict[str, float] | None = None
) -> DonorStock:
    return DonorStock(code, JIAXING, stock, reserve or {})


def test_higher_priority_fills_first_even_when_farther() -> None:
    travel = TableTravel({"jiaxing": {HANGZHOU: 1.0, SHAOXING: 5.0}})
    proposal = propose(
        [request(1, 80, at=HANGZHOU, priority=4), request(2, 80, at=SHAOXING, priority=1)],
        [donor("jiaxing", {"tent": 100})],
        travel=travel,
    )
    assert sorted(proposal.lines, key=lambda line: line.request_line) == [
        ProposedLine("jiaxing", 1, "tent", 20, 1.0),
        ProposedLine("jiaxing", 2, "tent", 80, 5.0),
    ]
    assert proposal.unmet == [UnmetLine(1, "tent", 60)]
    assert proposal.total_hours == pytest.approx(20 * 1.0 + 80 * 5.0)
    assert travel.calls == 1  # one call for every donor and destination


def test_priorities_fill_in_order_across_all_four() -> None:
    travel = TableTravel({"jiaxing": {HANGZHOU: 1.0}})
    lines = [request(k, 10, priority=5 - k) for k in (1, 2, 3, 4)]  # line 4 is priority 1
    proposal = propose(lines, [donor("jiaxing", {"tent": 25})], travel=travel)
    given = {line.request_line: line.quantity for line in proposal.lines}
    assert given == {4: 10, 3: 10, 2: 5}
    assert {u.request_line: u.quantity for u in proposal.unmet} == {2: 5, 1: 10}


def test_a_donor_gives_no_more_than_its_stock_less_its_reserve() -> None:
    travel = TableTravel({"jiaxing": {HANGZHOU: 1.0}, "huzhou": {HANGZHOU: 2.0}})
    proposal = propose(
        [request(1, 100)],
        [
            donor("jiaxing", {"tent": 100}, {"tent": 70}),
            donor("huzhou", {"tent": 50}, {"tent": 50}),
        ],
        travel=travel,
    )
    assert proposal.lines == [ProposedLine("jiaxing", 1, "tent", 30, 1.0)]
    assert proposal.unmet == [UnmetLine(1, "tent", 70)]


def test_the_nearest_donors_give_first() -> None:
    travel = TableTravel({"jiaxing": {HANGZHOU: 3.0}, "huzhou": {HANGZHOU: 1.0}})
    proposal = propose(
        [request(1, 60)],
        [donor("jiaxing", {"tent": 50}), donor("huzhou", {"tent": 50})],
        travel=travel,
    )
    assert {(line.donor, line.quantity) for line in proposal.lines} == {
        ("huzhou", 50),
        ("jiaxing", 10),
    }
    assert proposal.unmet == []


def test_substitute_fills_only_what_the_main_item_lacks() -> None:
    travel = TableTravel({"jiaxing": {HANGZHOU: 2.0}, "huzhou": {HANGZHOU: 1.0}})
    donors = [donor("jiaxing", {"tent": 30}), donor("huzhou", {"family-tent": 100})]
    proposal = propose([request(1, 50, substitutes=("family-tent",))], donors, travel=travel)
    assert sorted(proposal.lines, key=lambda line: line.item) == [
        ProposedLine("huzhou", 1, "family-tent", 20, 1.0),
        ProposedLine("jiaxing", 1, "tent", 30, 2.0),
    ]
    assert proposal.unmet == []


def test_substitute_is_not_used_while_the_main_item_suffices() -> None:
    # The substitute is nearer, yet the farther main item is sent.
    travel = TableTravel({"jiaxing": {HANGZHOU: 5.0}, "huzhou": {HANGZHOU: 1.0}})
    donors = [donor("jiaxing", {"tent": 60}), donor("huzhou", {"family-tent": 100})]
    proposal = propose([request(1, 50, substitutes=("family-tent",))], donors, travel=travel)
    assert proposal.lines == [ProposedLine("jiaxing", 1, "tent", 50, 5.0)]


def test_substitutes_are_tried_in_order_and_unmet_names_the_line_item() -> None:
    travel = TableTravel({"jiaxing": {HANGZHOU: 1.0}})
    donors = [donor("jiaxing", {"tent": 10, "family-tent": 10, "bed": 100})]
    proposal = propose(
        [request(1, 50, substitutes=("family-tent", "blanket"))], donors, travel=travel
    )
    assert {line.item: line.quantity for line in proposal.lines} == {
        "tent": 10,
        "family-tent": 10,
    }
    assert proposal.unmet == [UnmetLine(1, "tent", 30)]


def test_a_substitute_never_takes_what_another_line_got_as_its_main_item() -> None:
    travel = TableTravel({"jiaxing": {HANGZHOU: 1.0, SHAOXING: 1.0}})
    proposal = propose(
        [
            request(1, 100, item="family-tent", priority=4, at=SHAOXING),
            request(2, 100, substitutes=("family-tent",), priority=1),
        ],
        [donor("jiaxing", {"family-tent": 100})],
        travel=travel,
    )
    assert proposal.lines == [ProposedLine("jiaxing", 1, "family-tent", 100, 1.0)]
    assert proposal.unmet == [UnmetLine(2, "tent", 100)]


def test_only_the_k_nearest_donors_with_the_item_are_linked() -> None:
    codes = ["d1", "d2", "d3", "d4", "d5"]
    travel = TableTravel({code: {HANGZHOU: float(k + 1)} for k, code in enumerate(codes)})
    donors = [donor(code, {"tent": 10}) for code in codes]
    pruned = propose([request(1, 50)], donors, travel=travel, nearest=2)
    assert {line.donor for line in pruned.lines} == {"d1", "d2"}
    assert pruned.unmet == [UnmetLine(1, "tent", 30)]
    whole = propose([request(1, 50)], donors, travel=travel)
    assert len(whole.lines) == 5 and whole.unmet == []


def test_nearest_donors_are_counted_among_those_with_the_item() -> None:
    travel = TableTravel({"near": {HANGZHOU: 1.0}, "far": {HANGZHOU: 9.0}})
    donors = [donor("near", {"blanket": 100}), donor("far", {"tent": 100})]
    proposal = propose([request(1, 50)], donors, travel=travel, nearest=1)
    assert proposal.lines == [ProposedLine("far", 1, "tent", 50, 9.0)]


def test_a_donor_never_gives_to_its_own_request() -> None:
    travel = TableTravel({"hangzhou": {HANGZHOU: 0.0}, "ningbo": {HANGZHOU: 3.0}})
    donors = [donor("hangzhou", {"tent": 1000}), donor("ningbo", {"tent": 20})]
    proposal = propose([request(1, 50, jurisdiction="hangzhou")], donors, travel=travel)
    assert proposal.lines == [ProposedLine("ningbo", 1, "tent", 20, 3.0)]
    assert proposal.unmet == [UnmetLine(1, "tent", 30)]


def test_no_route_means_no_shipment_and_the_demand_unmet() -> None:
    travel = TableTravel({"jiaxing": {SHAOXING: 1.0}})
    proposal = propose([request(1, 50)], [donor("jiaxing", {"tent": 100})], travel=travel)
    assert proposal.lines == []
    assert proposal.unmet == [UnmetLine(1, "tent", 50)]


def test_great_circle_hours_come_back_on_each_line() -> None:
    model = GreatCircleTravel(1.3, 60.0)
    donors = [DonorStock("ningbo", NINGBO, {"tent": 100})]
    proposal = propose([request(1, 40)], donors, travel=model)
    expected = model.hours({"ningbo": NINGBO}, {"h": HANGZHOU})["ningbo"]["h"]
    assert proposal.lines == [ProposedLine("ningbo", 1, "tent", 40, pytest.approx(expected))]


def test_fair_proposal_reports_the_lowest_fill_rate() -> None:
    travel = TableTravel({"jiaxing": {HANGZHOU: 1.0, SHAOXING: 4.0}})
    lines = [request(1, 50, at=HANGZHOU), request(2, 50, at=SHAOXING)]
    proposal = propose(lines, [donor("jiaxing", {"tent": 50})], travel=travel, fair=True)
    assert proposal.fairness is not None
    assert proposal.fairness.lowest_fill_rate == pytest.approx(0.5)
    given = {line.request_line: line.quantity for line in proposal.lines}
    assert given == {1: pytest.approx(25), 2: pytest.approx(25)}
    assert propose(lines, [donor("jiaxing", {"tent": 50})], travel=travel).fairness is None


def test_lines_already_met_and_no_lines_propose_nothing() -> None:
    travel = TableTravel({"jiaxing": {HANGZHOU: 1.0}})
    assert propose([], [donor("jiaxing", {"tent": 5})], travel=travel).lines == []
    done = propose([request(1, 0)], [donor("jiaxing", {"tent": 5})], travel=travel)
    assert done.lines == [] and done.unmet == []


@pytest.mark.parametrize(
    ("lines", "donors", "key"),
    [
        ([request(1, 5, priority=0)], [], "invalid-priority"),
        ([request(1, 5, priority=True)], [], "invalid-priority"),
        ([request(1, float("nan"))], [], "quantity-not-finite"),
        ([request(1, -1)], [], "quantity-negative"),
        ([request(1, 5), request(1, 6)], [], "duplicate-line"),
        ([request(2**64, 5)], [], "invalid-id"),
        ([request(1, 5, item="te\x00nt")], [], "invalid-item"),
        ([request(1, 5, at=(float("inf"), 30.0))], [], "invalid-point"),
        ([request(1, 5, substitutes=("tent",))], [], "repeated-substitute"),
        ([request(1, 5, substitutes=tuple(f"s{k}" for k in range(6)))], [], "too-many-substitutes"),
        ([], [donor("jiaxing", {"tent": 5}, {"tent": 6})], "reserve-above-stock"),
        ([], [donor("jiaxing", {"tent": 5}), donor("jiaxing", {"tent": 5})], "duplicate-donor"),
        ([], [DonorStock("jiaxing", (0.0, 91.0), {"tent": 5})], "invalid-point"),
    ],
)
def test_bad_input_is_refused_by_key(
    lines: list[RequestLine], donors: list[DonorStock], key: str
) -> None:
    travel = TableTravel({})
    with pytest.raises(InvalidInput) as refused:
        propose(lines, donors, travel=travel)
    assert refused.value.key == key
    assert travel.calls == 0  # refused before any travel is timed


@pytest.mark.parametrize("nearest", [0, -1, 10_001, True])
def test_nearest_out_of_bounds_is_refused(nearest: int) -> None:
    with pytest.raises(InvalidInput) as refused:
        propose([request(1, 5)], [], travel=TableTravel({}), nearest=nearest)
    assert refused.value.key == "invalid-nearest"


# Reserves


def test_default_reserve_is_the_donor_s_own_need_at_most_its_stock() -> None:
    assert reserve({"tent": 100, "water": 50}, own_need={"tent": 30, "water": 80}) == {
        "tent": 30,
        "water": 50,
    }
    assert reserve({"tent": 100}, own_need={}) == {"tent": 0}


def test_item_rules_override_the_own_need() -> None:
    rules = {"boat": ReserveRule(fraction=0.2), "tent": ReserveRule(quantity=500)}
    kept = reserve(
        {"boat": 10, "tent": 300, "water": 100},
        own_need={"boat": 9, "tent": 1, "water": 40},
        rules=rules,
    )
    assert kept == {"boat": pytest.approx(2), "tent": 300, "water": 40}


def test_reserves_of_every_donor() -> None:
    kept = reserves(
        {"jiaxing": {"tent": 100}, "huzhou": {"tent": 20}},
        own_needs={"jiaxing": {"tent": 40}},
    )
    assert kept == {"jiaxing": {"tent": 40}, "huzhou": {"tent": 0}}


@pytest.mark.parametrize(
    ("rule", "key"),
    [
        ({}, "invalid-reserve-rule"),
        ({"fraction": 0.5, "quantity": 5}, "invalid-reserve-rule"),
        ({"fraction": 1.5}, "invalid-reserve-fraction"),
        ({"fraction": float("nan")}, "invalid-reserve-fraction"),
        ({"quantity": -1}, "quantity-negative"),
        ({"quantity": float("inf")}, "quantity-not-finite"),
    ],
)
def test_bad_reserve_rule_is_refused(rule: dict[str, float], key: str) -> None:
    with pytest.raises(InvalidInput) as refused:
        ReserveRule(**rule)
    assert refused.value.key == key


def test_a_proposal_built_on_default_reserves_keeps_them() -> None:
    stocks = {"jiaxing": {"tent": 100}, "huzhou": {"tent": 100}}
    kept = reserves(stocks, own_needs={"jiaxing": {"tent": 90}, "huzhou": {"tent": 60}})
    donors = [DonorStock(code, JIAXING, stocks[code], kept[code]) for code in stocks]
    travel = TableTravel({"jiaxing": {HANGZHOU: 1.0}, "huzhou": {HANGZHOU: 2.0}})
    proposal = propose([request(1, 1000)], donors, travel=travel)
    assert {line.donor: line.quantity for line in proposal.lines} == {"jiaxing": 10, "huzhou": 40}
    check_lines(proposal.lines, donors)


# Checking (edited) lines


DONORS = [donor("jiaxing", {"tent": 100}, {"tent": 70}), donor("huzhou", {"tent": 50})]


def test_lines_within_the_reserve_pass() -> None:
    check_lines(
        [ProposedLine("jiaxing", 1, "tent", 30, 1.0), ProposedLine("huzhou", 1, "tent", 50, 2.0)],
        DONORS,
    )


def test_an_edited_line_that_breaches_the_reserve_is_refused_with_its_figures() -> None:
    with pytest.raises(InvalidInput) as refused:
        check_lines([ProposedLine("jiaxing", 1, "tent", 31, 1.0)], DONORS)
    assert refused.value.key == "breaches-reserve"
    assert refused.value.params == {
        "donor": "jiaxing",
        "item": "tent",
        "stock": 100,
        "reserve": 70,
        "asked": 31,
    }


def test_lines_of_one_donor_add_up_against_its_reserve() -> None:
    lines = [
        ProposedLine("jiaxing", 1, "tent", 20, 1.0),
        ProposedLine("jiaxing", 2, "tent", 20, 1.0),
    ]
    with pytest.raises(InvalidInput) as refused:
        check_lines(lines, DONORS)
    assert refused.value.key == "breaches-reserve"
    assert refused.value.params["asked"] == 40


def test_an_item_the_donor_does_not_hold_breaches_its_reserve() -> None:
    with pytest.raises(InvalidInput) as refused:
        check_lines([ProposedLine("huzhou", 1, "boat", 1, 1.0)], DONORS)
    assert refused.value.key == "breaches-reserve"
    assert refused.value.params["stock"] == 0


@pytest.mark.parametrize(
    ("line", "key"),
    [
        (ProposedLine("ningbo", 1, "tent", 1, 1.0), "unknown-donor"),
        (ProposedLine("jiaxing", 1, "tent", 0, 1.0), "quantity-negative"),
        (ProposedLine("jiaxing", 1, "tent", float("nan"), 1.0), "quantity-not-finite"),
        (ProposedLine("jiaxing", 1, "tent", -5, 1.0), "quantity-negative"),
        (ProposedLine("jiaxing", 7, "tent", 5, 1.0), "gives-own-request"),
    ],
)
def test_bad_edited_lines_are_refused(line: ProposedLine, key: str) -> None:
    with pytest.raises(InvalidInput) as refused:
        check_lines([line], DONORS, requesting={7: "jiaxing"})
    assert refused.value.key == key


# Whole proposals on random data, and on roads


def test_random_proposals_keep_every_reserve_and_account_for_every_unit() -> None:
    rng = np.random.default_rng(11)
    items = ["tent", "water", "boat"]
    donors = [
        DonorStock(
            f"d{k}",
            (120 + rng.uniform(0, 1), 30 + rng.uniform(0, 1)),
            stock := {item: float(rng.integers(0, 100)) for item in items},
            {item: float(rng.integers(0, int(held) + 1)) for item, held in stock.items()},
        )
        for k in range(12)
    ]
    lines = [
        RequestLine(
            id=n + 1,
            jurisdiction=f"d{rng.integers(0, 12)}",
            item=items[n % 3],
            quantity=float(rng.integers(1, 200)),
            priority=int(rng.integers(1, 5)),
            destination=(120 + rng.uniform(0, 1), 30 + rng.uniform(0, 1)),
            substitutes=(items[(n + 1) % 3],) if n % 2 else (),
        )
        for n in range(20)
    ]
    proposal = propose(lines, donors, travel=GreatCircleTravel(), nearest=4)
    by_id = {line.id: line for line in lines}
    check_lines(proposal.lines, donors, requesting={line.id: line.jurisdiction for line in lines})
    for line in lines:
        given = sum(p.quantity for p in proposal.lines if p.request_line == line.id)
        unmet = sum(u.quantity for u in proposal.unmet if u.request_line == line.id)
        assert given + unmet == pytest.approx(line.quantity)
    for p in proposal.lines:
        assert p.item in (by_id[p.request_line].item, *by_id[p.request_line].substitutes)
    linked = {(p.donor, p.request_line, p.item) for p in proposal.lines}
    assert len(linked) == len(proposal.lines)  # one line per donor, request line and item


def test_a_donor_cut_off_by_the_roads_gives_nothing() -> None:
    roads = {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "properties": {"speed_kmh": 80},
                "geometry": {"type": "LineString", "coordinates": [list(HANGZHOU), list(SHAOXING)]},
            },
            {  # Ningbo's road leads out of town only: one way, away from Hangzhou.
                "type": "Feature",
                "properties": {"oneway": True},
                "geometry": {"type": "LineString", "coordinates": [list(NINGBO), [122.0, 29.9]]},
            },
        ],
    }
    travel = RoadTravel(parse_road_graph(json.dumps(roads), speed_kmh=60))
    donors = [
        DonorStock("ningbo", NINGBO, {"tent": 100}),
        DonorStock("shaoxing", SHAOXING, {"tent": 30}),
    ]
    proposal = propose([request(1, 50)], donors, travel=travel)
    assert [(p.donor, p.quantity) for p in proposal.lines] == [("shaoxing", 30)]
    assert proposal.unmet == [UnmetLine(1, "tent", 20)]
