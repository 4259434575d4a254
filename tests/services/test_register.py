"""Searching, filtering, ordering and paging the register, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import timedelta

import pytest

from crossrisk.domain.errors import InvalidInput
from crossrisk.domain.register import RiskSort, parse_query
from crossrisk.domain.risk import RiskCategory, RiskStatus
from crossrisk.services import register, risks
from crossrisk.store.uow import UnitOfWork
from tests.support import HANGZHOU, SHANGHAI, T0, XINAN_SPILL, actor, draft


def _register(uow: UnitOfWork, org: str, minutes: int, **kwargs: object) -> int:
    risk = risks.register_risk(
        uow,
        actor(uow, org),
        draft(**kwargs),
        region_code="yrd",
        now=T0 + timedelta(minutes=minutes),
    )
    assert risk.id is not None
    return risk.id


def _ids(uow: UnitOfWork, **filters: str) -> list[int]:
    page = register.search_register(uow, actor(uow, "yrd-committee"), parse_query(**filters))
    return [risk.id for risk in page.risks if risk.id is not None]


@pytest.fixture
def three(uow: UnitOfWork) -> dict[str, int]:
    spill = _register(uow, "ema-341000", 0, **XINAN_SPILL)
    fire = _register(
        uow,
        "ema-330100",
        10,
        where=HANGZHOU,
        title="西湖区仓库火灾",
        description="Warehouse fire, 50% of the stock burnt",
        category=RiskCategory.ACCIDENT_DISASTER,
        likelihood=2,
        consequence=2,
    )
    flu = _register(
        uow,
        "ema-310000",
        20,
        where=SHANGHAI,
        title="Influenza cluster",
        description="School outbreak",
        category=RiskCategory.PUBLIC_HEALTH,
        likelihood=5,
        consequence=5,
    )
    return {"spill": spill, "fire": fire, "flu": flu}


def test_text_search_finds_title_description_place_and_number(
    uow: UnitOfWork, three: dict[str, int]
) -> None:
    assert _ids(uow, text="仓库") == [three["fire"]]
    assert _ids(uow, text="仓库 stock") == [three["fire"]]
    assert _ids(uow, text="仓库 outbreak") == []
    assert _ids(uow, text="outbreak") == [three["flu"]]
    # The origin city's name, in either language, and its code.
    assert _ids(uow, text="黄山") == [three["spill"]]
    assert _ids(uow, text="hangzhou") == [three["fire"]]
    assert _ids(uow, text="310000") == [three["flu"]]
    assert _ids(uow, text=str(three["fire"])) == [three["fire"]]
    # LIKE's wildcards are searched for as themselves.
    assert _ids(uow, text="50%") == [three["fire"]]
    assert _ids(uow, text="_") == []


def test_filters_narrow_by_level_category_origin_affected_and_dates(
    uow: UnitOfWork, three: dict[str, int]
) -> None:
    assert _ids(uow, category="public_health") == [three["flu"]]
    assert _ids(uow, level="I") == [three["flu"]]
    assert _ids(uow, origin="330100") == [three["fire"]]
    # The spill warned Hangzhou downstream: Hangzhou is affected by it, not by its own fire.
    assert _ids(uow, affected="330100") == [three["spill"]]
    assert _ids(uow, status="closed") == []
    day = (T0 + timedelta(hours=8)).date().isoformat()
    assert sorted(_ids(uow, registered_from=day, registered_to=day)) == sorted(three.values())
    following = (T0 + timedelta(days=2)).date().isoformat()
    assert _ids(uow, registered_from=following) == []


def test_orders_put_the_newest_or_the_most_severe_first(
    uow: UnitOfWork, three: dict[str, int]
) -> None:
    assert _ids(uow, sort="created") == [three["flu"], three["fire"], three["spill"]]
    assert _ids(uow, sort="level")[0] == three["flu"]
    assert _ids(uow, sort="level")[-1] == three["fire"]


@pytest.mark.parametrize("sort", [s.value for s in RiskSort])
def test_pages_follow_each_other_without_repeats_even_after_an_insert(
    uow: UnitOfWork, three: dict[str, int], sort: str
) -> None:
    committee = actor(uow, "yrd-committee")
    first = register.search_register(uow, committee, parse_query(sort=sort, limit=2))
    assert len(first.risks) == 2 and first.next_cursor is not None
    _register(uow, "ema-341000", 30, title="新登记的风险")
    second = register.search_register(
        uow, committee, parse_query(sort=sort, limit=2, cursor=first.next_cursor)
    )
    shown = [r.id for r in first.risks + second.risks]
    assert len(set(shown)) == len(shown)
    # The risk registered meanwhile is newer than the first page: it never pushes one back.
    assert set(shown) == set(three.values())
    assert second.next_cursor is None or sort == "level"


def test_other_regions_risks_stay_out_of_every_search(
    uow: UnitOfWork, three: dict[str, int]
) -> None:
    page = register.search_register(uow, actor(uow, "pearl-committee"), parse_query())
    assert page.risks == []
    whole = register.export_register(uow, actor(uow, "central-office"), parse_query(limit=1))
    assert len(whole.risks) == 3 and not whole.cut


@pytest.mark.parametrize(
    ("filters", "key"),
    [
        ({"cursor": "not-a-cursor"}, "cursor-malformed"),
        ({"cursor": "eyJzIjoidXBkYXRlZCJ9"}, "cursor-malformed"),
        ({"level": "V"}, "filter-value-unknown"),
        ({"origin": "hangzhou"}, "filter-value-unknown"),
        ({"registered_from": "2026-13-01"}, "date-invalid"),
        ({"registered_from": "2026-07-02", "registered_to": "2026-07-01"}, "period-reversed"),
        ({"limit": "0"}, "limit-out-of-range"),
        ({"limit": "201"}, "limit-out-of-range"),
        ({"text": "x" * 101}, "search-too-long"),
    ],
)
def test_malformed_searches_are_refused_by_name(filters: dict[str, str], key: str) -> None:
    with pytest.raises(InvalidInput) as refused:
        parse_query(**filters)
    assert refused.value.key == key


def test_a_cursor_of_another_order_is_refused(uow: UnitOfWork, three: dict[str, int]) -> None:
    page = register.search_register(
        uow, actor(uow, "yrd-committee"), parse_query(sort="created", limit=1)
    )
    assert page.next_cursor is not None
    with pytest.raises(InvalidInput, match="cursor"):
        parse_query(sort="level", cursor=page.next_cursor)
    assert RiskStatus.IDENTIFIED in {r.status for r in page.risks}
