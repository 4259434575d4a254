"""What a station measures: a variable's unit and the range a real reading can fall in."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from crossrisk.domain.errors import InvalidInput


@dataclass(frozen=True, slots=True)
class Variable:
    """A measured quantity: its unit and the range a real reading can fall in."""

    key: str
    name_zh: str
    name_en: str
    unit: str
    minimum: float
    maximum: float
    unit_aliases: frozenset[str] = frozenset()  # other spellings of the same unit
    integer: bool = False

    def same_unit(self, unit: str) -> bool:
        """True when a reported unit is this variable's unit, however it is spelled."""
        return unit == self.unit or unit in self.unit_aliases

    def possible(self, value: float) -> bool:
        """True when a reading could be real (finite, in range, whole where it must be)."""
        # NaN fails every comparison, and the bounds are finite, so this refuses ±inf too.
        if not self.minimum <= value <= self.maximum:
            return False
        return not self.integer or float(value).is_integer()


def read_variables(table: Mapping[str, Any]) -> dict[str, Variable]:
    """The variables of the policy table, checked."""
    variables: dict[str, Variable] = {}
    for key, entry in table.items():
        if not isinstance(entry, Mapping):
            continue  # top-level notes such as `source`
        try:
            variable = Variable(
                key=key,
                name_zh=str(entry["name_zh"]),
                name_en=str(entry["name_en"]),
                unit=str(entry["unit"]),
                minimum=float(entry["minimum"]),
                maximum=float(entry["maximum"]),
                unit_aliases=frozenset(str(a) for a in entry.get("unit_aliases", ())),
                integer=bool(entry.get("integer", False)),
            )
        except (KeyError, TypeError, ValueError) as exc:
            raise InvalidInput(
                f"variable {key!r} in the policy table is malformed: {exc}"
            ) from None
        if not variable.minimum < variable.maximum:
            raise InvalidInput(f"variable {key!r} needs minimum < maximum")
        variables[key] = variable
    return variables
