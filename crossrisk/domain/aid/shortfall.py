"""The shortfall: what a scenario needs, what each city holds, keeps, lacks and could get.

A scenario is the people affected per member jurisdiction, the share of them displaced
and the days the relief must last. With the region's demand factors it gives each city's
need per item; each city's own need is met first from its own stock (what it keeps), so

    shortfall = max(0, need − own stock)      surplus = max(0, own stock − need)

and what the region as a whole lacks is max(0, Σ need − Σ stock) per item: there the
region must escalate to the central office.

What neighbours could cover is each short city's shortfall met from other members'
surplus, nearest first by travel hours, as if that city alone asked; two short cities may
count the same surplus (the allocation shares it out). The hours are those by which the
last of the covered quantity could arrive.

Needs are rounded up to whole base units (a tent, a ration, a litre).

The tent mix. Covered living space is a need in m² that tents and family tents meet by the
floor area each covers. A city fills it from its own stock in the order the factor lists
the items (tents, then family tents), and the m² still open is asked for in the first
item (tents): so need(tent) = tents used + tents still wanted, need(family_tent) = family
tents used. The same rule holds for any factor met by several items.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Collection, Mapping
from dataclasses import dataclass

from crossrisk.domain.aid.catalogue import MAX_QUANTITY
from crossrisk.domain.aid.demand_factors import AppliesTo, FactorSet, Per
from crossrisk.domain.errors import InvalidInput

DAYS_MAX = 365
PEOPLE_MAX = 2_000_000_000  # more than any region's population
JURISDICTIONS_MAX = 1000
# Float noise (10500 / 12 computed as 875.0000000001) must not add a tent.
_ROUNDING_SLACK = 1e-9


@dataclass(frozen=True, slots=True)
class Scenario:
    people: Mapping[str, int]  # people affected per member jurisdiction
    displaced_share: float  # 0..1
    days: int  # 1..365

    def displaced(self, code: str) -> int:
        return round(self.people.get(code, 0) * self.displaced_share)


def check_scenario(
    people: Mapping[str, object],
    *,
    displaced_share: object,
    days: object,
    member_codes: Collection[str],
) -> Scenario:
    """A scenario whose every figure is in bounds, or InvalidInput saying which is not."""
    if isinstance(displaced_share, bool) or not isinstance(displaced_share, int | float):
        raise InvalidInput("the displaced share must be a number", key="displaced-share-invalid")
    if not math.isfinite(displaced_share) or not 0 <= displaced_share <= 1:
        raise InvalidInput(
            f"the displaced share must lie within 0–1, not {displaced_share}",
            key="displaced-share-invalid",
            params={"share": str(displaced_share)},
        )
    if isinstance(days, bool) or not isinstance(days, int) or not 1 <= days <= DAYS_MAX:
        raise InvalidInput(
            f"the days must be a whole number within 1–{DAYS_MAX}, not {days}",
            key="days-invalid",
            params={"days": str(days)},
        )
    if len(people) > JURISDICTIONS_MAX:
        raise InvalidInput("too many jurisdictions", key="people-invalid")
    checked: dict[str, int] = {}
    for code, count in people.items():
        if code not in member_codes:
            raise InvalidInput(
                f"{code} is not a member of the region",
                key="not-a-member",
                params={"jurisdiction": str(code)[:64]},
            )
        if isinstance(count, bool) or not isinstance(count, int | float):
            raise InvalidInput(f"people in {code} must be a number", key="people-invalid")
        if not math.isfinite(count) or not 0 <= count <= PEOPLE_MAX or count != int(count):
            raise InvalidInput(
                f"people in {code} must be a whole number within 0–{PEOPLE_MAX}, not {count}",
                key="people-invalid",
                params={"jurisdiction": code, "people": str(count)},
            )
        checked[code] = int(count)
    return Scenario(people=checked, displaced_share=float(displaced_share), days=days)


@dataclass(frozen=True, slots=True)
class Donor:
    jurisdiction_code: str
    quantity: float
    hours: float


@dataclass(frozen=True, slots=True)
class Line:
    """One item of one jurisdiction."""

    item_code: str
    need: float
    stock: float
    kept: float  # own stock kept for the own need: min(stock, need)
    shortfall: float
    surplus: float
    covered: float = 0.0  # what neighbours' surplus could cover of the shortfall
    cover_hours: float | None = None  # by when the covered quantity could all arrive
    donors: tuple[Donor, ...] = ()


@dataclass(frozen=True, slots=True)
class JurisdictionShortfall:
    jurisdiction_code: str
    people: int
    displaced: int
    lines: tuple[Line, ...]
    stale: bool  # some of its stock figures were not confirmed within the period

    def line(self, item_code: str) -> Line:
        return next(line for line in self.lines if line.item_code == item_code)


@dataclass(frozen=True, slots=True)
class RegionLine:
    item_code: str
    need: float
    stock: float
    lacks: float  # max(0, Σ need − Σ stock)


@dataclass(frozen=True, slots=True)
class Shortfall:
    scenario: Scenario
    factors: FactorSet
    item_codes: tuple[str, ...]  # in the factors' order
    jurisdictions: tuple[JurisdictionShortfall, ...]
    region: tuple[RegionLine, ...]
    stale_codes: tuple[str, ...]

    @property
    def lacking(self) -> dict[str, float]:
        """What the region as a whole lacks, by item (only items it lacks)."""
        return {line.item_code: line.lacks for line in self.region if line.lacks > 0}

    def of(self, code: str) -> JurisdictionShortfall:
        return next(j for j in self.jurisdictions if j.jurisdiction_code == code)


def _whole(quantity: float) -> float:
    return float(math.ceil(quantity - _ROUNDING_SLACK)) if quantity > 0 else 0.0


def needs(
    scenario: Scenario, factors: FactorSet, *, code: str, stock: Mapping[str, float]
) -> dict[str, float]:
    """One jurisdiction's need per item; several-item factors use the tent mix above."""
    need: dict[str, float] = defaultdict(float)
    people = scenario.people.get(code, 0)
    displaced = scenario.displaced(code)
    for factor in factors.factors:
        group = people if factor.applies_to is AppliesTo.AFFECTED else displaced
        measure = group * factor.amount_for(scenario.days)
        if factor.per is Per.PERSON_DAY:
            measure *= scenario.days
        first = factor.items[0]
        need[first.item_code] += 0.0
        if len(factor.items) == 1:
            need[first.item_code] += _whole(measure / first.yields)
            continue
        open_measure = measure
        for part in factor.items:
            need[part.item_code] += 0.0
            available = max(0.0, stock.get(part.item_code, 0.0) - need[part.item_code])
            used = min(available, _whole(open_measure / part.yields))
            used = float(math.floor(used))
            need[part.item_code] += used
            open_measure = max(0.0, open_measure - used * part.yields)
        need[first.item_code] += _whole(open_measure / first.yields)
    return {item: min(quantity, MAX_QUANTITY) for item, quantity in need.items()}


def compute_shortfall(
    scenario: Scenario,
    factors: FactorSet,
    *,
    member_codes: Collection[str],
    levels: Mapping[str, Mapping[str, float]],
    hours: Mapping[str, Mapping[str, float]],
    stale_codes: Collection[str] = (),
) -> Shortfall:
    """Need, own stock, kept, shortfall, surplus and neighbours' cover per member and item.

    `levels` is the usable stock per jurisdiction and item; `hours[donor][receiver]` the
    travel hours between members (a missing pair: no route).
    """
    codes = sorted(member_codes)
    item_codes: list[str] = []
    for factor in factors.factors:
        for part in factor.items:
            if part.item_code not in item_codes:
                item_codes.append(part.item_code)
    raw: dict[str, list[Line]] = {}
    for code in codes:
        stock = levels.get(code, {})
        need = needs(scenario, factors, code=code, stock=stock)
        lines = []
        for item in item_codes:
            n, s = need.get(item, 0.0), float(stock.get(item, 0.0))
            lines.append(
                Line(
                    item_code=item,
                    need=n,
                    stock=s,
                    kept=min(n, s),
                    shortfall=max(0.0, n - s),
                    surplus=max(0.0, s - n),
                )
            )
        raw[code] = lines
    surplus = {(code, line.item_code): line.surplus for code in codes for line in raw[code]}
    results = []
    for code in codes:
        lines = [_cover(line, code, codes, surplus, hours) for line in raw[code]]
        results.append(
            JurisdictionShortfall(
                jurisdiction_code=code,
                people=scenario.people.get(code, 0),
                displaced=scenario.displaced(code),
                lines=tuple(lines),
                stale=code in stale_codes,
            )
        )
    region = []
    for index, item in enumerate(item_codes):
        total_need = sum(raw[code][index].need for code in codes)
        total_stock = sum(raw[code][index].stock for code in codes)
        region.append(
            RegionLine(
                item_code=item,
                need=total_need,
                stock=total_stock,
                lacks=max(0.0, total_need - total_stock),
            )
        )
    return Shortfall(
        scenario=scenario,
        factors=factors,
        item_codes=tuple(item_codes),
        jurisdictions=tuple(results),
        region=tuple(region),
        stale_codes=tuple(sorted(set(stale_codes) & set(codes))),
    )


def _cover(
    line: Line,
    code: str,
    codes: list[str],
    surplus: Mapping[tuple[str, str], float],
    hours: Mapping[str, Mapping[str, float]],
) -> Line:
    if line.shortfall <= 0:
        return line
    candidates = sorted(
        (hours[donor][code], donor)
        for donor in codes
        if donor != code
        and surplus.get((donor, line.item_code), 0.0) > 0
        and code in hours.get(donor, {})
    )
    wanted = line.shortfall
    donors = []
    for h, donor in candidates:
        if wanted <= 0:
            break
        given = min(wanted, surplus[(donor, line.item_code)])
        donors.append(Donor(jurisdiction_code=donor, quantity=given, hours=h))
        wanted -= given
    if not donors:
        return line
    return Line(
        item_code=line.item_code,
        need=line.need,
        stock=line.stock,
        kept=line.kept,
        shortfall=line.shortfall,
        surplus=line.surplus,
        covered=line.shortfall - max(0.0, wanted),
        cover_hours=max(d.hours for d in donors),
        donors=tuple(donors),
    )
