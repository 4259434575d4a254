"""The relief-item catalogue: items, their base unit and the packs they travel in.

Every quantity the platform keeps (a stock, a ledger line, a request, an offer, a
shortfall, an allocation) is in the item's base unit; a pack is entered and shown for the
officer's convenience and converted at the edge.
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from crossrisk.domain.errors import InvalidInput

# Beyond any stock a city could hold, and far inside a float's exact integers (2**53), so
# sums of many lines stay exact to the unit.
MAX_QUANTITY = 1e12


@dataclass(frozen=True, slots=True)
class Pack:
    code: str
    name_zh: str
    name_en: str
    content: float  # base units in one pack
    weight_kg: float
    volume_m3: float


@dataclass(frozen=True, slots=True)
class Item:
    code: str
    name_zh: str
    name_en: str
    unit: str
    unit_zh: str
    unit_en: str
    packs: tuple[Pack, ...] = ()
    # How much of a demand measure one base unit meets (a tent: 12 m² of covered space).
    covers: Mapping[str, float] | None = None

    def name(self, language: str) -> str:
        """The item's name in a catalog language ("zh_CN" or "en")."""
        return self.name_zh if language.startswith("zh") else self.name_en

    def unit_name(self, language: str) -> str:
        return self.unit_zh if language.startswith("zh") else self.unit_en

    def pack(self, code: str) -> Pack:
        for pack in self.packs:
            if pack.code == code:
                return pack
        raise InvalidInput(
            f"item {self.code} has no pack {code!r}",
            key="unknown-unit",
            params={"item": self.code, "unit": code},
        )

    def to_base(self, quantity: float, unit: str | None = None) -> float:
        """A quantity in `unit` (the base unit, or a pack's code) in base units."""
        valid_quantity(quantity)
        if unit is None or unit in (self.unit, self.unit_zh, self.unit_en):
            return quantity
        return valid_quantity(quantity * self.pack(unit).content)


@dataclass(frozen=True, slots=True)
class Catalogue:
    source: str
    edition: str
    items: tuple[Item, ...]

    def __iter__(self) -> Iterator[Item]:
        return iter(self.items)

    def __contains__(self, code: object) -> bool:
        return any(item.code == code for item in self.items)

    @property
    def codes(self) -> tuple[str, ...]:
        return tuple(item.code for item in self.items)

    def item(self, code: str) -> Item:
        """The item of a code; an unknown code is the caller's error."""
        for item in self.items:
            if item.code == code:
                return item
        raise InvalidInput(f"unknown item {code!r}", key="unknown-item", params={"item": code})


def valid_quantity(quantity: float, *, allow_zero: bool = True) -> float:
    """A finite, non-negative quantity within bounds, or InvalidInput saying why."""
    if isinstance(quantity, bool) or not isinstance(quantity, int | float):
        raise InvalidInput("a quantity must be a number", key="quantity-not-number")
    if not math.isfinite(quantity):
        raise InvalidInput("a quantity must be finite", key="quantity-not-finite")
    if quantity < 0 or (quantity == 0 and not allow_zero):
        least = "at least" if allow_zero else "more than"
        raise InvalidInput(
            f"a quantity must be {least} zero, not {quantity:g}",
            key="quantity-negative",
            params={"quantity": quantity},
        )
    if quantity > MAX_QUANTITY:
        raise InvalidInput(
            f"a quantity above {MAX_QUANTITY:g} is not a stock",
            key="quantity-too-large",
            params={"quantity": quantity},
        )
    return float(quantity)


def catalogue_from_table(table: Mapping[str, Any]) -> Catalogue:
    """The catalogue of a policy table (data/policy/aid_items.toml's shape)."""
    items = []
    seen: set[str] = set()
    for entry in table["item"]:
        code = str(entry["code"])
        if code in seen:
            raise ValueError(f"item {code} is listed twice in the catalogue")
        seen.add(code)
        packs = tuple(
            Pack(
                code=str(p["code"]),
                name_zh=str(p["name_zh"]),
                name_en=str(p["name_en"]),
                content=float(p["content"]),
                weight_kg=float(p["weight_kg"]),
                volume_m3=float(p["volume_m3"]),
            )
            for p in entry.get("packs", ())
        )
        covers = entry.get("covers")
        items.append(
            Item(
                code=code,
                name_zh=str(entry["name_zh"]),
                name_en=str(entry["name_en"]),
                unit=str(entry["unit"]),
                unit_zh=str(entry["unit_zh"]),
                unit_en=str(entry["unit_en"]),
                packs=packs,
                covers={str(k): float(v) for k, v in covers.items()} if covers else None,
            )
        )
    return Catalogue(
        source=str(table.get("source", "")),
        edition=str(table.get("edition", "")),
        items=tuple(items),
    )
