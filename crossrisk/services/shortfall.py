"""Shortfalls: a risk's or a what-if's need against the members' stocks (issue 11).

For a risk, the people affected are its newest analysis's exposed population per member
jurisdiction; for a what-if, the reader enters them. Reading a what-if writes nothing.
Reading a risk's shortfall escalates it to the central office once when the region as a
whole lacks an item ("region-lacks"), and again only when the items lacking change.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from crossrisk.aid.roads import travel_model
from crossrisk.aid.travel import TravelModel
from crossrisk.domain.aid.sharing import Sharing, is_stale
from crossrisk.domain.aid.shortfall import Shortfall, check_scenario, compute_shortfall, needs
from crossrisk.domain.aid.stock import Stock
from crossrisk.domain.analysis import Analysis
from crossrisk.domain.errors import InvalidInput
from crossrisk.domain.moments import local_day
from crossrisk.domain.organisation import Actor
from crossrisk.domain.permissions.aid import can_read_base_record
from crossrisk.domain.permissions.regions import require_read_region
from crossrisk.domain.reach import PopulationBasis
from crossrisk.services.demand_factors import factors_in
from crossrisk.settings import Settings
from crossrisk.store.uow import Transaction, UnitOfWork

REGION_LACKS = "region-lacks"


@dataclass(frozen=True, slots=True)
class ShortfallContext:
    """How stale a stock figure may be, and how travel is timed (from the settings)."""

    stale_after: timedelta
    travel: TravelModel

    @classmethod
    def of(cls, settings: Settings) -> ShortfallContext:
        return cls(
            stale_after=settings.base_information_stale_after,
            travel=travel_model(settings),
        )


@dataclass(frozen=True, slots=True)
class ShortfallReport:
    region_code: str
    shortfall: Shortfall
    names: Mapping[str, tuple[str, str]]  # jurisdiction code: (name_zh, name_en)
    risk_id: int | None = None
    # Members the risk reaches whose exposed population is not estimated (a river's whole
    # city is an upper bound only): counted as zero, and said so.
    population_unknown: tuple[str, ...] = ()
    escalated: bool = False  # this reading journaled a new escalation

    def name(self, code: str, language: str) -> str:
        zh, en = self.names.get(code, (code, code))
        return zh if language.startswith("zh") else en


def _levels(stocks: Iterable[Stock], day: date) -> dict[str, dict[str, float]]:
    totals: dict[str, dict[str, float]] = defaultdict(lambda: defaultdict(float))
    for stock in stocks:
        if stock.usable_on(day):
            totals[stock.jurisdiction_code][stock.item_code] += stock.quantity
    return {code: dict(items) for code, items in totals.items()}


def _compute(
    tx: Transaction,
    actor: Actor,
    region_code: str,
    people: Mapping[str, object],
    *,
    displaced_share: object,
    days: object,
    context: ShortfallContext,
    now: datetime,
) -> tuple[Shortfall, Shortfall, dict[str, tuple[str, str]]]:
    """The shortfall as the reader may see it, and over every stock (for the escalation)."""
    summaries = tx.regions.summaries(region_code)
    codes = [s.code for s in summaries]
    factors = factors_in(tx, region_code)
    if displaced_share is None:
        displaced_share = factors.default_displaced_share
    if days is None:
        days = factors.default_days
    scenario = check_scenario(
        people, displaced_share=displaced_share, days=days, member_codes=codes
    )
    points = {s.code: (s.label_lon, s.label_lat) for s in summaries}
    hours = context.travel.hours(points, points)
    day = local_day(now)
    stocks = tx.stocks.of_region(region_code)
    visible = [
        s
        for s in stocks
        if can_read_base_record(
            actor,
            region_code=region_code,
            jurisdiction_code=s.jurisdiction_code,
            shared_region_wide=s.sharing is Sharing.REGION,
        )
    ]

    def result(kept: list[Stock]) -> Shortfall:
        stale = {
            s.jurisdiction_code
            for s in kept
            if s.usable_on(day) and is_stale(s.confirmed_at, now=now, period=context.stale_after)
        }
        return compute_shortfall(
            scenario,
            factors,
            member_codes=codes,
            levels=_levels(kept, day),
            hours=hours,
            stale_codes=stale,
        )

    shown = result(visible)
    whole = shown if len(visible) == len(stocks) else result(stocks)
    names = {s.code: (s.name_zh, s.name_en) for s in summaries}
    return shown, whole, names


def what_if_shortfall(
    uow: UnitOfWork,
    actor: Actor,
    region_code: str,
    people: Mapping[str, object],
    *,
    displaced_share: object = None,
    days: object = None,
    context: ShortfallContext,
    now: datetime,
) -> ShortfallReport:
    """The shortfall of people entered per jurisdiction; journals nothing."""
    with uow.read_only() as tx:
        tx.regions.get(region_code)
        require_read_region(actor, region_code)
        shown, _, names = _compute(
            tx,
            actor,
            region_code,
            people,
            displaced_share=displaced_share,
            days=days,
            context=context,
            now=now,
        )
    return ShortfallReport(region_code=region_code, shortfall=shown, names=names)


def risk_shortfall(
    uow: UnitOfWork,
    actor: Actor,
    risk_id: int,
    *,
    displaced_share: object = None,
    days: object = None,
    context: ShortfallContext,
    now: datetime,
) -> ShortfallReport:
    """A risk's shortfall from its newest analysis; escalates once when the region lacks."""
    with uow as tx:
        risk = tx.risks.get(risk_id)
        require_read_region(actor, risk.region_code)
        analysis = tx.analyses.latest(risk_id)
        if analysis is None:
            raise InvalidInput(
                f"risk {risk_id} has not been analysed",
                key="risk-not-analysed",
                params={"risk": risk_id},
            )
        people, unknown = _people(tx, risk.region_code, analysis)
        shown, whole, names = _compute(
            tx,
            actor,
            risk.region_code,
            people,
            displaced_share=displaced_share,
            days=days,
            context=context,
            now=now,
        )
        escalated = _escalate(tx, actor, risk_id, risk.region_code, whole, now=now)
        if escalated:
            tx.commit()
    return ShortfallReport(
        region_code=risk.region_code,
        shortfall=shown,
        names=names,
        risk_id=risk_id,
        population_unknown=tuple(sorted(unknown)),
        escalated=escalated,
    )


def _people(
    tx: Transaction, region_code: str, analysis: Analysis
) -> tuple[dict[str, object], list[str]]:
    """People affected per member from an analysis, and the members it could not count."""
    members = {j.code for j in tx.regions.summaries(region_code)}
    people: dict[str, object] = {}
    unknown: list[str] = []
    for entry in analysis.reach.entries:
        if entry.jurisdiction_code not in members:
            continue
        if entry.exposed_population is None or entry.population_basis in (
            PopulationBasis.UNKNOWN,
            PopulationBasis.WHOLE_CITY,
        ):
            unknown.append(entry.jurisdiction_code)
            continue
        people[entry.jurisdiction_code] = entry.exposed_population
    return people, unknown


def risk_needs(
    tx: Transaction, risk_id: int, *, levels: Mapping[str, Mapping[str, float]]
) -> dict[str, dict[str, float]] | None:
    """Each member's own need per item in a risk's scenario, as its shortfall counts it
    (the region's default displaced share and days), read in the open transaction; None
    when the risk has not been analysed. `levels` is the stock each member holds, which
    the tent mix fills first. The allocation keeps this much of each donor's stock."""
    risk = tx.risks.get(risk_id)
    analysis = tx.analyses.latest(risk_id)
    if analysis is None:
        return None
    people, _ = _people(tx, risk.region_code, analysis)
    factors = factors_in(tx, risk.region_code)
    codes = [s.code for s in tx.regions.summaries(risk.region_code)]
    scenario = check_scenario(
        people,
        displaced_share=factors.default_displaced_share,
        days=factors.default_days,
        member_codes=codes,
    )
    return {
        code: needs(scenario, factors, code=code, stock=levels.get(code, {}))
        for code in scenario.people
    }


def _escalate(
    tx: Transaction,
    actor: Actor,
    risk_id: int,
    region_code: str,
    whole: Shortfall,
    *,
    now: datetime,
) -> bool:
    """Journal "risk.escalated" (region-lacks) unless the last one named the same items."""
    lacking = whole.lacking
    if not lacking:
        return False
    subject = f"risk:{risk_id}"
    previous = [
        e
        for e in tx.journal.about(subject)
        if e.action == "risk.escalated" and e.payload.get("reason") == REGION_LACKS
    ]
    items = sorted(lacking)
    if previous and list(previous[-1].payload.get("items", [])) == items:
        return False
    tx.record(
        actor,
        "risk.escalated",
        subject=subject,
        payload={
            "risk_id": risk_id,
            "reason": REGION_LACKS,
            "escalation": [REGION_LACKS],
            "items": items,
            "lacking": {item: lacking[item] for item in items},
            "displaced_share": whole.scenario.displaced_share,
            "days": whole.scenario.days,
            "factors_version": whole.factors.version,
        },
        region_code=region_code,
        now=now,
    )
    return True
