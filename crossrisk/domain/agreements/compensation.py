"""An agreement's cost-sharing or compensation rule: a name from a fixed list and its parameters.

Pure data here; the compensation capability (DESIGN §3.8) applies the rule later. Each
rule's parameters are checked now, so an agreement never names a rule it cannot apply.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from crossrisk.domain.errors import InvalidInput

# An amount in yuan beyond a trillion is a typing error, not a fund.
AMOUNT_MAX = 1e12
INDICATORS_MAX = 20
CODE_MAX = 64


class CompensationRuleName(StrEnum):
    REIMBURSE_AID_COSTS = "reimburse_aid_costs"  # the requester repays the donor's costs
    PROPORTIONAL_TO_COST = "proportional_to_cost"
    PROPORTIONAL_TO_POPULATION = "proportional_to_population"
    BENEFICIARY_PAYS = "beneficiary_pays"
    SHAPLEY = "shapley"  # Shapley value of the joint-response cost game
    # The Xin'an River rule (新安江流域横向生态补偿): the border section's water-quality
    # index P against k0 decides whether the upstream or the downstream province pays.
    XINAN_WATER_QUALITY = "xinan_water_quality"


@dataclass(frozen=True, slots=True)
class CompensationRule:
    """The named rule with its checked parameters (canonical JSON-ready values)."""

    name: CompensationRuleName
    parameters: Mapping[str, Any]

    def as_dict(self) -> dict[str, Any]:
        return {"name": self.name.value, "parameters": dict(self.parameters)}


def _refuse(rule: str, detail: str) -> InvalidInput:
    return InvalidInput(
        f"compensation rule {rule}: {detail}",
        key="agreement-compensation-invalid",
        params={"rule": rule, "detail": detail},
    )


def _number(rule: str, name: str, value: object, *, low: float, high: float) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise _refuse(rule, f"{name} must be a number")
    number = float(value)
    if not (math.isfinite(number) and low <= number <= high):
        raise _refuse(rule, f"{name} must lie within {low:g}–{high:g}")
    return number


def _code(rule: str, name: str, value: object) -> str:
    if not isinstance(value, str) or not value.strip() or len(value) > CODE_MAX:
        raise _refuse(rule, f"{name} must be a code of 1–{CODE_MAX} characters")
    if not value.isprintable():
        raise _refuse(rule, f"{name} holds control characters")
    return value.strip()


def _only(rule: str, parameters: Mapping[str, Any], allowed: set[str]) -> None:
    extra = sorted(set(parameters) - allowed)
    if extra:
        raise _refuse(rule, f"unknown parameter {extra[0][:CODE_MAX]!r}")


def _xinan(parameters: Mapping[str, Any]) -> dict[str, Any]:
    rule = CompensationRuleName.XINAN_WATER_QUALITY.value
    _only(rule, parameters, {"k0", "indicators", "amount_yuan"})
    k0 = _number(rule, "k0", parameters.get("k0"), low=0.0, high=10.0)
    amount = _number(rule, "amount_yuan", parameters.get("amount_yuan"), low=0, high=AMOUNT_MAX)
    indicators = parameters.get("indicators")
    if not isinstance(indicators, list) or not 0 < len(indicators) <= INDICATORS_MAX:
        raise _refuse(rule, f"indicators is a list of 1–{INDICATORS_MAX} indicators")
    checked: list[dict[str, Any]] = []
    for entry in indicators:
        if not isinstance(entry, Mapping):
            raise _refuse(rule, "each indicator has a code, a weight and a baseline")
        _only(rule, entry, {"code", "weight", "baseline"})
        checked.append(
            {
                "code": _code(rule, "indicator code", entry.get("code")),
                "weight": _number(rule, "weight", entry.get("weight"), low=0, high=1),
                "baseline": _number(rule, "baseline", entry.get("baseline"), low=0, high=1e9),
            }
        )
    if len({i["code"] for i in checked}) != len(checked):
        raise _refuse(rule, "an indicator is named twice")
    if not math.isclose(sum(float(i["weight"]) for i in checked), 1.0, abs_tol=1e-6):
        raise _refuse(rule, "the indicators' weights add up to 1")
    return {"k0": k0, "indicators": checked, "amount_yuan": amount}


def _shares(rule: str, parameters: Mapping[str, Any]) -> dict[str, Any]:
    # The rules that split a cost need nothing but an optional cap of what one pays.
    _only(rule, parameters, {"cap_yuan"})
    if "cap_yuan" in parameters:
        cap = _number(rule, "cap_yuan", parameters["cap_yuan"], low=0, high=AMOUNT_MAX)
        return {"cap_yuan": cap}
    return {}


def _reimburse(parameters: Mapping[str, Any]) -> dict[str, Any]:
    rule = CompensationRuleName.REIMBURSE_AID_COSTS.value
    _only(rule, parameters, {"share", "within_days"})
    share = _number(rule, "share", parameters.get("share", 1.0), low=0, high=1)
    days = _number(rule, "within_days", parameters.get("within_days", 90), low=1, high=3650)
    if days != int(days):
        raise _refuse(rule, "within_days must be a whole number")
    return {"share": share, "within_days": int(days)}


def check_compensation(name: str, parameters: Mapping[str, Any] | None) -> CompensationRule:
    """The rule named, with its parameters checked; refused when either is not allowed."""
    try:
        rule = CompensationRuleName(name)
    except ValueError:
        shown = name[:CODE_MAX]
        raise InvalidInput(
            f"no compensation rule {shown!r}",
            key="agreement-compensation-unknown",
            params={"rule": shown},
        ) from None
    given = dict(parameters or {})
    match rule:
        case CompensationRuleName.XINAN_WATER_QUALITY:
            checked = _xinan(given)
        case CompensationRuleName.REIMBURSE_AID_COSTS:
            checked = _reimburse(given)
        case _:
            checked = _shares(rule.value, given)
    return CompensationRule(rule, checked)
