"""Demand factors: how much of a measure (litres, kcal, m², toilets) one person needs.

A region's factors are a versioned set: version 0 is the bundled Sphere Handbook (2018)
set; the committee saves later versions. A set is checked here, whoever gives it (the
bundled table, a stored version, an API body), so a shortfall never runs on a factor that
names an unknown item or a negative amount.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any

from crossrisk.domain.aid.catalogue import Catalogue
from crossrisk.domain.errors import InvalidInput

FACTORS_MAX = 50
TEXT_MAX = 500
# Far above any published standard (15 L, 2,100 kcal, 3.5 m²) but bounded.
AMOUNT_MAX = 1e6


class AppliesTo(StrEnum):
    AFFECTED = "affected"  # everyone the hazard affects (water, food)
    DISPLACED = "displaced"  # only those who leave home (shelter, toilets)


class Per(StrEnum):
    PERSON_DAY = "person_day"  # consumed every day: times the scenario's days
    PERSON = "person"  # kept while in use: once per person


@dataclass(frozen=True, slots=True)
class FactorItem:
    item_code: str
    yields: float  # how much of the factor's measure one base unit of the item meets


@dataclass(frozen=True, slots=True)
class DemandFactor:
    code: str
    name_zh: str
    name_en: str
    applies_to: AppliesTo
    per: Per
    amount: float  # of the measure per person (per day where `per` says so)
    measure: str
    clause: str
    items: tuple[FactorItem, ...]
    # A lower amount for short scenarios (Sphere's "at first"), and up to how many days.
    first_phase_amount: float | None = None
    first_phase_days: int | None = None

    def name(self, language: str) -> str:
        return self.name_zh if language.startswith("zh") else self.name_en

    def amount_for(self, days: int) -> float:
        """The amount per person for a scenario lasting `days`."""
        if (
            self.first_phase_amount is not None
            and self.first_phase_days is not None
            and days <= self.first_phase_days
        ):
            return self.first_phase_amount
        return self.amount


@dataclass(frozen=True, slots=True)
class FactorSet:
    region_code: str | None  # None for the bundled set before a region takes it
    version: int
    source: str
    edition: str
    factors: tuple[DemandFactor, ...]
    default_displaced_share: float
    default_days: int
    saved_by: str | None = None
    saved_at: datetime | None = None
    note: str = ""

    def table(self) -> dict[str, Any]:
        """The set in its table shape (the TOML's, the API's and the stored one)."""
        return {
            "source": self.source,
            "edition": self.edition,
            "default_displaced_share": self.default_displaced_share,
            "default_days": self.default_days,
            "factor": [
                {
                    "code": f.code,
                    "name_zh": f.name_zh,
                    "name_en": f.name_en,
                    "applies_to": f.applies_to.value,
                    "per": f.per.value,
                    "amount": f.amount,
                    "measure": f.measure,
                    "clause": f.clause,
                    "items": [{"item": i.item_code, "yields": i.yields} for i in f.items],
                    **(
                        {
                            "first_phase_amount": f.first_phase_amount,
                            "first_phase_days": f.first_phase_days,
                        }
                        if f.first_phase_amount is not None
                        else {}
                    ),
                }
                for f in self.factors
            ],
        }


def _bad(message: str, **params: Any) -> InvalidInput:
    return InvalidInput(message, key="demand-factors-invalid", params=params)


def _text(entry: Mapping[str, Any], name: str, *, where: str, required: bool = True) -> str:
    value = entry.get(name, "")
    if not isinstance(value, str) or "\x00" in value or len(value) > TEXT_MAX:
        raise _bad(f"{where}: {name} must be text of at most {TEXT_MAX} characters", field=name)
    if required and not value.strip():
        raise _bad(f"{where}: {name} is missing", field=name)
    return value.strip()


def _number(value: Any, name: str, *, where: str, low: float, high: float) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise _bad(f"{where}: {name} must be a number", field=name)
    if not math.isfinite(value) or not low <= value <= high:
        raise _bad(f"{where}: {name} must lie within {low:g}–{high:g}", field=name)
    return float(value)


def factor_set_from_table(
    table: Mapping[str, Any],
    *,
    catalogue: Catalogue,
    region_code: str | None,
    version: int,
    saved_by: str | None = None,
    saved_at: datetime | None = None,
    note: str = "",
) -> FactorSet:
    """A checked factor set from its table shape; InvalidInput names what is wrong."""
    if not isinstance(table, Mapping):
        raise _bad("the factor set must be an object")
    entries = table.get("factor")
    if not isinstance(entries, list) or not 1 <= len(entries) <= FACTORS_MAX:
        raise _bad(f"the factor set needs 1 to {FACTORS_MAX} factors", field="factor")
    factors: list[DemandFactor] = []
    seen: set[str] = set()
    for index, entry in enumerate(entries, start=1):
        where = f"factor {index}"
        if not isinstance(entry, Mapping):
            raise _bad(f"{where} must be an object")
        code = _text(entry, "code", where=where)
        if code in seen:
            raise _bad(f"factor {code} is listed twice", field="code")
        seen.add(code)
        try:
            applies_to = AppliesTo(str(entry.get("applies_to")))
            per = Per(str(entry.get("per")))
        except ValueError:
            raise _bad(
                f"{where}: applies_to is affected or displaced, per is person_day or person",
                field="applies_to",
            ) from None
        items_in = entry.get("items")
        if not isinstance(items_in, list) or not 1 <= len(items_in) <= 10:
            raise _bad(f"{where}: items must list 1 to 10 catalogue items", field="items")
        items: list[FactorItem] = []
        for raw in items_in:
            if not isinstance(raw, Mapping) or not isinstance(raw.get("item"), str):
                raise _bad(f"{where}: each item names a catalogue item", field="items")
            item = catalogue.item(raw["item"])  # unknown-item
            if "covers" in raw:
                covered = (item.covers or {}).get(str(raw["covers"]))
                if covered is None:
                    raise _bad(
                        f"{where}: {item.code} does not cover {raw['covers']}", field="items"
                    )
                yields = covered
            else:
                yields = _number(raw.get("yields"), "yields", where=where, low=1e-9, high=1e9)
            items.append(FactorItem(item_code=item.code, yields=float(yields)))
        first_amount = entry.get("first_phase_amount")
        first_days = entry.get("first_phase_days")
        if (first_amount is None) != (first_days is None):
            raise _bad(f"{where}: a first phase needs both its amount and its days")
        factors.append(
            DemandFactor(
                code=code,
                name_zh=_text(entry, "name_zh", where=where),
                name_en=_text(entry, "name_en", where=where),
                applies_to=applies_to,
                per=per,
                amount=_number(entry.get("amount"), "amount", where=where, low=0, high=AMOUNT_MAX),
                measure=_text(entry, "measure", where=where),
                clause=_text(entry, "clause", where=where, required=False),
                items=tuple(items),
                first_phase_amount=None
                if first_amount is None
                else _number(
                    first_amount, "first_phase_amount", where=where, low=0, high=AMOUNT_MAX
                ),
                first_phase_days=None
                if first_days is None
                else int(_number(first_days, "first_phase_days", where=where, low=1, high=365)),
            )
        )
    share = _number(
        table.get("default_displaced_share", 0.1),
        "default_displaced_share",
        where="the set",
        low=0,
        high=1,
    )
    days = _number(table.get("default_days", 7), "default_days", where="the set", low=1, high=365)
    return FactorSet(
        region_code=region_code,
        version=version,
        source=_text(table, "source", where="the set"),
        edition=_text(table, "edition", where="the set", required=False),
        factors=tuple(factors),
        default_displaced_share=share,
        default_days=int(days),
        saved_by=saved_by,
        saved_at=saved_at,
        note=note,
    )
