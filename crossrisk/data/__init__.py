"""Data shipped with the package: bundled regions and policy tables, and their one reader."""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from functools import cache
from importlib import resources
from pathlib import Path
from types import MappingProxyType
from typing import Any

from crossrisk.domain.compensation.settlement import fen
from crossrisk.domain.compensation.water_quality import WaterQualityRule, water_quality_rule
from crossrisk.domain.substance import Substance


def policy_table(name: str) -> dict[str, Any]:
    """A policy table of crossrisk/data/policy (TOML), parsed afresh.

    The one place policy files are read; callers build their checked, cached values from it.
    """
    text = resources.files(__name__).joinpath(f"policy/{name}").read_text("utf-8")
    return tomllib.loads(text)


def xinan_round(name: str) -> dict[str, Any]:
    """A round of the Xin'an River pilot as shipped (crossrisk/data/compensation), parsed."""
    text = resources.files(__name__).joinpath("compensation/xinan_rounds.toml").read_text("utf-8")
    rounds: dict[str, Any] = tomllib.loads(text)["rounds"]
    if name not in rounds:
        raise KeyError(f"no Xin'an round {name!r}; shipped: {', '.join(rounds)}")
    terms: dict[str, Any] = rounds[name]
    return terms


def xinan_rule(
    name: str, *, agreement: str, baselines_mg_l: Mapping[str, object]
) -> WaterQualityRule:
    """The water-quality rule of a shipped Xin'an round, with the agreement's own baselines."""
    terms = xinan_round(name)
    return water_quality_rule(
        agreement=agreement,
        round=terms["label"],
        upstream=terms["upstream"],
        downstream=terms["downstream"],
        stability_coefficient=terms["stability_coefficient"],
        weights=terms["weights"],
        baselines_mg_l=baselines_mg_l,
        amount_fen=fen(terms["transfer_yuan_per_year"], what="the yearly transfer"),
    )


def bundled_plan_text(name: str) -> str:
    """A contingency plan's YAML shipped in crossrisk/data/plans ("default.yaml", "examples/…")."""
    return resources.files(__name__).joinpath(f"plans/{name}").read_text("utf-8")


def bundled_region_path(name: str) -> Path:
    """The jurisdictions file of a region that ships with the package."""
    return Path(str(resources.files(__name__).joinpath(f"regions/{name}/jurisdictions.geojson")))


def bundled_demo_path(name: str) -> Path:
    """A demo file that ships with the package (crossrisk/data/demo), wherever it is installed."""
    return Path(str(resources.files(__name__).joinpath(f"demo/{name}")))


def bundled_drills() -> list[str]:
    """The names of the drill scenarios that ship with the package (crossrisk/data/drills)."""
    folder = resources.files(__name__).joinpath("drills")
    return sorted(
        p.name.removesuffix(".yaml") for p in folder.iterdir() if p.name.endswith(".yaml")
    )


def bundled_drill_path(name: str) -> Path | None:
    """The file of a bundled drill scenario by its name ("xinan_styrene"), or None."""
    if name not in bundled_drills():
        return None
    return Path(str(resources.files(__name__).joinpath(f"drills/{name}.yaml")))


@cache
def drill_scenario_schema() -> str:
    """The JSON Schema of a drill scenario's shape (crossrisk/data/drills), as shipped."""
    return resources.files(__name__).joinpath("drills/scenario.schema.json").read_text("utf-8")


@cache
def common_passwords() -> frozenset[str]:
    """The 30,000 passwords found most often in leaked lists, lower-case.

    They are the list zxcvbn ships (MIT licence; drawn from Xato's ten million leaked
    passwords): a kept library's data rather than a copy of our own to keep up to date.
    """
    from zxcvbn.frequency_lists import FREQUENCY_LISTS  # 1 MB of lists: loaded when needed

    return frozenset(password.lower() for password in FREQUENCY_LISTS["passwords"])


@cache
def substances() -> Mapping[str, Substance]:
    """The substance table of crossrisk/data/substances, by key, read once.

    Sources and what each field means: crossrisk/data/substances/README.md.
    """
    text = resources.files(__name__).joinpath("substances/substances.toml").read_text("utf-8")
    rows = tomllib.loads(text)
    return MappingProxyType({key: Substance(key=key, **row) for key, row in rows.items()})
