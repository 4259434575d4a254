"""Policy tables shipped as data in crossrisk/data/policy."""

from __future__ import annotations

import tomllib
from functools import cache
from importlib import resources

from crossrisk.domain.risk import RiskMatrix


@cache
def event_level_matrix() -> RiskMatrix:
    """The 5×5 matrix from likelihood and consequence to event level."""
    text = resources.files("crossrisk.data").joinpath("policy/event_levels.toml").read_text("utf-8")
    table = tomllib.loads(text)
    return RiskMatrix.from_rows(table["levels"], source=table.get("source", ""))
