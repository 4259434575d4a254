"""Substances a river spill is modelled for: names, loss rate and the limits of water harm.

Values come from crossrisk/data/substances (read by ``crossrisk.data.substances``); this
module holds the value type and its rules only.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass

from crossrisk.domain.errors import InvalidInput

DECAY_PROCESSES = ("volatilisation", "degradation", "combined")
# GB 3838-2002 class III is the default: it is the surface-water standard a river section
# is assessed against; GB 5749-2022 is for water as delivered to taps.
LIMIT_BASES = ("surface_class_iii", "drinking_water")
# Bounds a river's mean depth must lie within for a rate to be scaled to it (m).
MIN_DEPTH_M = 0.01
MAX_DEPTH_M = 1000.0


@dataclass(frozen=True, slots=True)
class Substance:
    """One row of the substance table."""

    key: str
    name_zh: str
    name_en: str
    cas: str
    decay_per_day: float | None = None
    decay_process: str | None = None
    decay_reference_depth_m: float | None = None
    decay_source: str | None = None
    drinking_water_mg_l: float | None = None
    drinking_water_source: str | None = None
    surface_class_iii_mg_l: float | None = None
    surface_class_iii_source: str | None = None

    def __post_init__(self) -> None:
        for name in ("key", "name_zh", "name_en", "cas"):
            if not getattr(self, name).strip():
                raise InvalidInput(f"substance {self.key!r}: {name} is empty")
        for name in ("decay_per_day", "drinking_water_mg_l", "surface_class_iii_mg_l"):
            value = getattr(self, name)
            if value is not None and not (math.isfinite(value) and 0 < value < 1e6):
                raise InvalidInput(f"substance {self.key}: {name} must be finite and > 0")
        if self.decay_per_day is not None:
            if self.decay_process not in DECAY_PROCESSES:
                raise InvalidInput(
                    f"substance {self.key}: decay_process must be one of "
                    f"{', '.join(DECAY_PROCESSES)}"
                )
            if not (self.decay_source or "").strip():
                raise InvalidInput(f"substance {self.key}: a decay rate needs its source")
            # A surface flux has a rate only for a stated depth; without it, it cannot be scaled.
            if self.decay_process == "volatilisation" and not _is_depth(
                self.decay_reference_depth_m
            ):
                raise InvalidInput(
                    f"substance {self.key}: volatilisation needs decay_reference_depth_m"
                )
        for basis in LIMIT_BASES:
            if (
                getattr(self, f"{basis}_mg_l") is not None
                and not (getattr(self, f"{basis}_source") or "").strip()
            ):
                raise InvalidInput(f"substance {self.key}: the {basis} limit needs its source")

    def limit_mg_l(self, basis: str = "surface_class_iii") -> float | None:
        """The limit on this basis (GB 3838 class III or GB 5749), or None where none is set."""
        if basis not in LIMIT_BASES:
            raise InvalidInput(
                f"unknown limit basis {basis!r}; use one of {', '.join(LIMIT_BASES)}"
            )
        value: float | None = getattr(self, f"{basis}_mg_l")
        return value

    def judging_limit(self, preferred: str) -> tuple[float, str] | None:
        """The limit that judges the water and its basis: the preferred standard's, else the
        other's where only that one sets a limit; None where neither does."""
        for basis in (preferred, *(b for b in LIMIT_BASES if b != preferred)):
            value = self.limit_mg_l(basis)
            if value is not None:
                return value, basis
        return None

    def decay_at_depth(self, depth_m: float) -> float:
        """First-order loss rate (per day) in water of this mean depth; 0 when none is known.

        Volatilisation is a flux through the surface, so its rate falls as the water
        column deepens: k(h) = k_ref · h_ref / h. Degradation acts in the whole column and
        does not depend on depth; so does a combined rate, whose split is not published.
        """
        if not _is_depth(depth_m):
            raise InvalidInput(
                f"depth must be a number of metres within {MIN_DEPTH_M:g}–{MAX_DEPTH_M:g}; "
                f"got {depth_m}"
            )
        if self.decay_per_day is None:
            return 0.0
        if self.decay_process == "volatilisation":
            assert self.decay_reference_depth_m is not None  # checked on construction
            return self.decay_per_day * self.decay_reference_depth_m / depth_m
        return self.decay_per_day


def find_substance(table: Mapping[str, Substance], text: str) -> Substance:
    """The substance named by its key, Chinese or English name (any case) or CAS number."""
    wanted = text.strip().casefold()
    if wanted:
        for substance in table.values():
            names = (substance.key, substance.name_zh, substance.name_en, substance.cas)
            if wanted in (name.casefold() for name in names):
                return substance
    known = ", ".join(table)
    raise InvalidInput(
        f"unknown substance {text!r}; known: {known}",
        key="unknown-substance",
        params={"text": text, "known": known},
    )


def _is_depth(value: float | None) -> bool:
    return value is not None and math.isfinite(value) and MIN_DEPTH_M <= value <= MAX_DEPTH_M


def substance_names(table: Mapping[str, Substance], text: str) -> tuple[str, str]:
    """What to call a released substance in Chinese and in English.

    A spill stores a key of the table, which each language names; a gas release names
    its substance in free text, which stays as the lead wrote it.
    """
    try:
        found = find_substance(table, text)
    except InvalidInput:
        return text, text
    return found.name_zh, found.name_en


def substances_matching(table: Mapping[str, Substance], words: str) -> list[str]:
    """Keys of the substances whose key or names contain the words (any case), or whose
    CAS number they are: digits alone would otherwise find a CAS number by its parts."""
    wanted = words.strip().casefold()
    if not wanted:
        return []
    return [
        s.key
        for s in table.values()
        if wanted == s.cas or any(wanted in n.casefold() for n in (s.key, s.name_zh, s.name_en))
    ]
