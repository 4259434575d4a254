"""The solver's JSON in and out, as `crossrisk aid solve` reads and prints it.

In:  {"donors": [{"id", "stock": {item: qty}, "reserve": {item: qty}}],
      "needs": [{"id", "demand": {item: qty}, "priority": 1}],
      "travel_hours": {donor_id: {need_id: hours}}}
Out: {"shipments": [{"from", "to", "item", "quantity"}], "unmet": [{"need", "item",
      "quantity"}], "total_hours": …} and, when asked for fairness, "fairness".

Everything is checked before anything is solved; the first fault found is refused with one
sentence that names where it is.
"""

from __future__ import annotations

import json
import math
from typing import Any

from crossrisk.aid.allocation import PRIORITIES, Allocation, Donor, Need, Problem
from crossrisk.domain.errors import InvalidInput

MAX_BYTES = 16 * 1024 * 1024
MAX_DONORS = 10_000
MAX_NEEDS = 5_000
MAX_ITEMS = 100
MAX_QUANTITY = 1e12
MAX_HOURS = 1e4


def parse(text: str | bytes) -> Problem:
    """The problem the JSON states, or InvalidInput naming the first fault."""
    if len(text) > MAX_BYTES:
        raise InvalidInput(f"the file is larger than {MAX_BYTES // (1024 * 1024)} MiB")
    try:
        data = json.loads(text, parse_constant=_no_constant)
    except (ValueError, RecursionError) as error:
        raise InvalidInput(f"not valid JSON: {str(error).splitlines()[0]}") from None
    if not isinstance(data, dict):
        raise InvalidInput("the JSON must be an object with donors, needs and travel_hours")
    unknown = set(data) - {"donors", "needs", "travel_hours"}
    if unknown:
        raise InvalidInput(f"unknown field(s): {', '.join(sorted(unknown))}")
    donors = [_donor(entry, k) for k, entry in enumerate(_list(data, "donors", MAX_DONORS))]
    needs = [_need(entry, k) for k, entry in enumerate(_list(data, "needs", MAX_NEEDS))]
    _unique([d.id for d in donors], "donor")
    _unique([n.id for n in needs], "need")
    items = {i for d in donors for i in d.stock} | {i for n in needs for i in n.demand}
    if len(items) > MAX_ITEMS:
        raise InvalidInput(f"{len(items)} items; at most {MAX_ITEMS}")
    return Problem(donors, needs, _travel(data.get("travel_hours", {}), donors, needs))


def to_json(allocation: Allocation) -> dict[str, Any]:
    """The result as the command prints it."""
    result: dict[str, Any] = {
        "shipments": [
            {"from": s.source, "to": s.destination, "item": s.item, "quantity": s.quantity}
            for s in allocation.shipments
        ],
        "unmet": [
            {"need": u.need, "item": u.item, "quantity": u.quantity} for u in allocation.unmet
        ],
        "total_hours": allocation.total_hours,
    }
    if allocation.fairness is not None:
        result["fairness"] = {
            "lowest_fill_rate": allocation.fairness.lowest_fill_rate,
            "unfair_total_hours": allocation.fairness.unfair_total_hours,
            "price_hours": allocation.fairness.price_hours,
        }
    return result


def _no_constant(name: str) -> None:
    raise InvalidInput(f"not valid JSON: {name} is not a number")


def _list(data: dict[str, Any], key: str, most: int) -> list[Any]:
    value = data.get(key)
    if not isinstance(value, list):
        raise InvalidInput(f"{key} must be a list")
    if len(value) > most:
        raise InvalidInput(f"{len(value)} {key}; at most {most}")
    return value


def _id(entry: Any, where: str) -> str:
    if not isinstance(entry, dict):
        raise InvalidInput(f"{where} must be an object")
    ident = entry.get("id")
    if not isinstance(ident, str) or not ident.strip() or len(ident) > 200:
        raise InvalidInput(f"{where} needs an id: a non-empty string of at most 200 characters")
    return ident


def _number(value: Any, where: str, most: float) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise InvalidInput(f"{where} must be a number")
    if not math.isfinite(value):
        raise InvalidInput(f"{where} must be a finite number")
    if value < 0:
        raise InvalidInput(f"{where} is negative ({value})")
    if value > most:
        raise InvalidInput(f"{where} is larger than {most:g}")
    return value


def _quantities(entry: dict[str, Any], key: str, where: str) -> dict[str, float]:
    value = entry.get(key, {})
    if not isinstance(value, dict):
        raise InvalidInput(f"{where}: {key} must be an object of item → quantity")
    for item in value:
        if not item.strip() or len(item) > 200:
            raise InvalidInput(f"{where}: an item name must be a non-empty string")
    return {
        item: _number(qty, f"{where}: {key} of {item}", MAX_QUANTITY) for item, qty in value.items()
    }


def _donor(entry: Any, k: int) -> Donor:
    where = f"donor {_id(entry, f'donor #{k + 1}')!r}"
    unknown = set(entry) - {"id", "stock", "reserve"}
    if unknown:
        raise InvalidInput(f"{where}: unknown field(s) {', '.join(sorted(unknown))}")
    stock = _quantities(entry, "stock", where)
    reserve = _quantities(entry, "reserve", where)
    for item, kept in reserve.items():
        if kept > stock.get(item, 0):
            raise InvalidInput(
                f"{where}: reserve of {item} ({kept:g}) is above its stock ({stock.get(item, 0):g})"
            )
    return Donor(entry["id"], stock, reserve)


def _need(entry: Any, k: int) -> Need:
    where = f"need {_id(entry, f'need #{k + 1}')!r}"
    unknown = set(entry) - {"id", "demand", "priority"}
    if unknown:
        raise InvalidInput(f"{where}: unknown field(s) {', '.join(sorted(unknown))}")
    priority = entry.get("priority", PRIORITIES[-1])
    if isinstance(priority, bool) or priority not in PRIORITIES:
        raise InvalidInput(f"{where}: priority must be 1 (highest) to 4")
    return Need(entry["id"], _quantities(entry, "demand", where), int(priority))


def _unique(ids: list[str], kind: str) -> None:
    seen: set[str] = set()
    for ident in ids:
        if ident in seen:
            raise InvalidInput(f"{kind} id {ident!r} appears more than once")
        seen.add(ident)


def _travel(value: Any, donors: list[Donor], needs: list[Need]) -> dict[str, dict[str, float]]:
    if not isinstance(value, dict):
        raise InvalidInput("travel_hours must be an object of donor id → need id → hours")
    donor_ids = {d.id for d in donors}
    need_ids = {n.id for n in needs}
    travel: dict[str, dict[str, float]] = {}
    for donor, row in value.items():
        if donor not in donor_ids:
            raise InvalidInput(f"travel_hours names an unknown donor {donor!r}")
        if not isinstance(row, dict):
            raise InvalidInput(f"travel_hours of {donor!r} must be an object of need id → hours")
        for need in row:
            if need not in need_ids:
                raise InvalidInput(f"travel_hours of {donor!r} names an unknown need {need!r}")
        travel[donor] = {
            need: _number(hours, f"travel_hours {donor!r} → {need!r}", MAX_HOURS)
            for need, hours in row.items()
        }
    return travel
