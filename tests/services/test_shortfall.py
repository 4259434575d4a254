"""Shortfalls of a risk and of a what-if, the region-lacks escalation journaled once, and
the demand factors' versions; on both backends."""

from __future__ import annotations

from datetime import timedelta

import pytest

from crossrisk.aid.travel import GreatCircleTravel
from crossrisk.domain.aid.stock import StockDraft, Warehouse
from crossrisk.domain.errors import InvalidInput, NotFound, NotPermitted
from crossrisk.domain.events import Event
from crossrisk.domain.risk import RiskCategory
from crossrisk.services import demand_factors, risks, shortfall, stocks
from crossrisk.services.shortfall import ShortfallContext
from crossrisk.store.uow import UnitOfWork
from tests.support import T0, actor, draft

CONTEXT = ShortfallContext(stale_after=timedelta(days=30), travel=GreatCircleTravel())
COMMITTEE = "yrd-committee"
SUZHOU, SHANGHAI, HANGZHOU = "320500", "310000", "330100"


def register_flood(uow: UnitOfWork) -> int:
    risk = risks.register_risk(
        uow,
        actor(uow, "ema-320500"),
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


def add_stock(uow: UnitOfWork, code: str, item: str, quantity: float, *, at=T0) -> None:
    committee = actor(uow, COMMITTEE)
    with uow as tx:
        stocks.add_stock(
            tx,
            committee,
            StockDraft(
                jurisdiction_code=code,
                item_code=item,
                quantity=quantity,
                warehouse=Warehouse(name="中心库", lon=120.2, lat=30.3),
            ),
            region_code="yrd",
            now=at,
        )
        tx.commit()


def escalations(uow: UnitOfWork) -> list[dict]:
    with uow.read_only() as tx:
        return [
            dict(e.payload)
            for e in tx.journal.entries()
            if e.action == "risk.escalated" and e.payload.get("reason") == "region-lacks"
        ]


def journal_length(uow: UnitOfWork) -> int:
    with uow.read_only() as tx:
        return len(list(tx.journal.entries()))


def test_risk_shortfall_uses_the_exposed_population_and_escalates_once(uow: UnitOfWork) -> None:
    risk_id = register_flood(uow)
    add_stock(uow, HANGZHOU, "drinking_water", 10.0)
    heard: list[Event] = []
    uow.bus.subscribe(heard.append)

    first = shortfall.risk_shortfall(
        uow, actor(uow, "ema-330100"), risk_id, context=CONTEXT, now=T0
    )
    result = first.shortfall
    suzhou = result.of(SUZHOU)
    assert suzhou.people > 0
    assert suzhou.displaced == round(suzhou.people * 0.1)
    assert suzhou.line("drinking_water").need == suzhou.people * 15 * 7
    assert result.of(HANGZHOU).line("drinking_water").stock == 10.0
    assert "tent" in result.lacking and first.escalated

    (entry,) = escalations(uow)
    assert entry["risk_id"] == risk_id
    assert entry["escalation"] == ["region-lacks"]
    assert "tent" in entry["items"] and entry["lacking"]["tent"] == result.lacking["tent"]
    assert [e.name for e in heard] == ["risk.escalated"]
    assert heard[0].payload == entry

    again = shortfall.risk_shortfall(
        uow, actor(uow, COMMITTEE), risk_id, context=CONTEXT, now=T0 + timedelta(hours=1)
    )
    assert not again.escalated
    assert len(escalations(uow)) == 1
    assert len(heard) == 1


def test_a_new_item_lacking_escalates_again(uow: UnitOfWork) -> None:
    risk_id = register_flood(uow)
    everything = 10**9
    for item in ("drinking_water", "food_ration", "tent", "family_tent"):
        add_stock(uow, SHANGHAI, item, everything)
    shortfall.risk_shortfall(uow, actor(uow, COMMITTEE), risk_id, context=CONTEXT, now=T0)
    (first,) = escalations(uow)
    assert first["items"] == ["portable_toilet"]

    shortfall.risk_shortfall(
        uow, actor(uow, COMMITTEE), risk_id, days=30, displaced_share=1.0, context=CONTEXT, now=T0
    )
    # Everyone displaced for a month: the water runs short too, a new item lacking.
    _, second = escalations(uow)
    assert "drinking_water" in second["items"] and "portable_toilet" in second["items"]
    assert (second["days"], second["displaced_share"]) == (30, 1.0)


def test_what_if_journals_nothing_and_flags_stale_stock(uow: UnitOfWork) -> None:
    add_stock(uow, SHANGHAI, "tent", 100, at=T0 - timedelta(days=40))
    before = journal_length(uow)

    report = shortfall.what_if_shortfall(
        uow,
        actor(uow, "ema-341000"),
        "yrd",
        {HANGZHOU: 10_000},
        displaced_share=0.3,
        days=7,
        context=CONTEXT,
        now=T0,
    )

    assert journal_length(uow) == before
    hangzhou = report.shortfall.of(HANGZHOU)
    assert hangzhou.line("tent").need == 875
    tent = hangzhou.line("tent")
    assert tent.covered == 100 and tent.donors[0].jurisdiction_code == SHANGHAI
    assert tent.cover_hours is not None and 2 < tent.cover_hours < 6
    assert report.shortfall.stale_codes == (SHANGHAI,)


@pytest.mark.parametrize(
    ("people", "share", "days", "key"),
    [
        ({HANGZHOU: -5}, 0.3, 7, "people-invalid"),
        ({HANGZHOU: float("nan")}, 0.3, 7, "people-invalid"),
        ({HANGZHOU: 10}, 1.5, 7, "displaced-share-invalid"),
        ({HANGZHOU: 10}, 0.3, 0, "days-invalid"),
        ({HANGZHOU: 10}, 0.3, 10_000, "days-invalid"),
        ({"440100": 10}, 0.3, 7, "not-a-member"),
    ],
)
def test_bad_what_ifs_are_refused(uow: UnitOfWork, people, share, days, key) -> None:
    with pytest.raises(InvalidInput) as refused:
        shortfall.what_if_shortfall(
            uow,
            actor(uow, COMMITTEE),
            "yrd",
            people,
            displaced_share=share,
            days=days,
            context=CONTEXT,
            now=T0,
        )
    assert refused.value.key == key


def test_another_regions_committee_may_not_read(uow: UnitOfWork) -> None:
    risk_id = register_flood(uow)
    with pytest.raises(NotPermitted):
        shortfall.risk_shortfall(
            uow, actor(uow, "pearl-committee"), risk_id, context=CONTEXT, now=T0
        )
    assert escalations(uow) == []


def test_committee_saves_factor_versions_and_keeps_the_old(uow: UnitOfWork) -> None:
    committee = actor(uow, COMMITTEE)
    table = demand_factors.bundled_factors().table()
    table["factor"][0]["amount"] = 20.0

    saved = demand_factors.save_demand_factors(
        uow, committee, "yrd", table, note="本地标准", now=T0
    )

    assert saved.version == 1
    current = demand_factors.demand_factors(uow, actor(uow, "ema-330100"), "yrd")
    assert current.version == 1 and current.factors[0].amount == 20.0
    old = demand_factors.demand_factors(uow, committee, "yrd", version=0)
    assert old.factors[0].amount == 15.0
    assert [f.version for f in demand_factors.factor_versions(uow, committee, "yrd")] == [0, 1]
    with uow.read_only() as tx:
        (entry,) = [e for e in tx.journal.entries() if e.action == "demand_factors.changed"]
    assert entry.payload["version"] == 1
    assert entry.payload["factors"]["water"]["amount"] == 20.0

    report = shortfall.what_if_shortfall(
        uow, committee, "yrd", {HANGZHOU: 100}, days=1, context=CONTEXT, now=T0
    )
    assert report.shortfall.of(HANGZHOU).line("drinking_water").need == 2000


def test_a_city_may_not_change_the_factors(uow: UnitOfWork) -> None:
    before = journal_length(uow)
    with pytest.raises(NotPermitted):
        demand_factors.save_demand_factors(
            uow, actor(uow, "ema-330100"), "yrd", demand_factors.bundled_factors().table(), now=T0
        )
    assert journal_length(uow) == before


def test_bad_factors_are_refused_and_nothing_is_written(uow: UnitOfWork) -> None:
    table = demand_factors.bundled_factors().table()
    table["factor"][0]["amount"] = -1
    with pytest.raises(InvalidInput) as refused:
        demand_factors.save_demand_factors(uow, actor(uow, COMMITTEE), "yrd", table, now=T0)
    assert refused.value.key == "demand-factors-invalid"
    table = demand_factors.bundled_factors().table()
    table["factor"][0]["items"] = [{"item": "unicorn", "yields": 1}]
    with pytest.raises(InvalidInput) as refused:
        demand_factors.save_demand_factors(uow, actor(uow, COMMITTEE), "yrd", table, now=T0)
    assert refused.value.key == "unknown-item"
    with pytest.raises(NotFound):
        demand_factors.demand_factors(uow, actor(uow, COMMITTEE), "yrd", version=3)
    assert demand_factors.demand_factors(uow, actor(uow, COMMITTEE), "yrd").version == 0
