"""Policy tables shipped as data in crossrisk/data/policy."""

from __future__ import annotations

import tomllib
from functools import cache
from importlib import resources
from typing import Any

from crossrisk.domain.propagation import HazardType
from crossrisk.domain.reach import Pathway
from crossrisk.domain.responsibility import DeadlinePolicy, DutyKind, RegionState
from crossrisk.domain.risk import EventLevel, RiskMatrix


def _table(name: str) -> dict[str, Any]:
    text = resources.files("crossrisk.data").joinpath(f"policy/{name}").read_text("utf-8")
    return tomllib.loads(text)


@cache
def event_level_matrix() -> RiskMatrix:
    """The 5×5 matrix from likelihood and consequence to event level."""
    table = _table("event_levels.toml")
    return RiskMatrix.from_rows(table["levels"], source=table.get("source", ""))


@cache
def deadline_policy() -> DeadlinePolicy:
    """Minutes to each duty's deadline by level and region state."""
    table = _table("deadlines.toml")
    minutes = {
        (DutyKind(duty), level, RegionState(state)): int(values[index])
        for state in RegionState
        for duty, values in table[state.value].items()
        for index, level in enumerate(EventLevel)
    }
    return DeadlinePolicy(minutes=minutes, source=table.get("source", ""))


@cache
def hazard_types() -> dict[str, HazardType]:
    """The hazard types by key, with the model that computes their reach."""
    return {
        key: HazardType(
            key=key,
            pathway=Pathway(entry["model"]),
            categories=frozenset(entry.get("categories", [])),
            name_zh=entry["name_zh"],
            name_en=entry["name_en"],
        )
        for key, entry in _table("hazard_types.toml").items()
    }
