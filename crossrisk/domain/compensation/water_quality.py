"""The water-quality rule of the Xin'an kind: a border-section index decides who pays whom.

In the Xin'an River pilot (新安江流域水环境补偿试点, Anhui upstream and Zhejiang
downstream, from 2012, three-year rounds; the agreement's terms as reported in the
sources listed in crossrisk/data/compensation/README.md) the water at the border section
is scored each year by

    P = K0 · Σᵢ kᵢ · Cᵢ / Cᵢ0

over the monitored indicators i (permanganate index CODMn, ammonia nitrogen NH3-N, total
phosphorus TP, total nitrogen TN): Cᵢ the year's mean concentration, Cᵢ0 the baseline
concentration, kᵢ the indicator's weight (Σ kᵢ = 1) and K0 a stability coefficient (0.85
in the first round, so the water must stay clearly better than the baseline). If P ≤ 1
the water was kept clean and the downstream party pays the upstream one the agreed
amount; if P > 1 the upstream party pays the downstream one.

K0, the weights, the baselines and the amount are configuration per agreement and round.
The index is computed in decimal arithmetic (28 significant digits) from the decimal text
of the inputs, so a case that lands on P = 1 exactly is decided as written, not by a
binary rounding error.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation, localcontext
from enum import StrEnum

from crossrisk.domain.agreements.compensation import CompensationRule, CompensationRuleName
from crossrisk.domain.compensation.settlement import (
    FEN_PER_YUAN,
    Settlement,
    Transfer,
    check_amount,
)
from crossrisk.domain.errors import InvalidInput

# Concentrations in mg/L; a river section's are below 100 even in a bad year, so a larger
# figure is a unit mistake (µg/L typed as mg/L).
MAX_CONCENTRATION_MG_L = Decimal(10_000)
MAX_STABILITY_COEFFICIENT = Decimal(10)
WEIGHT_SUM_TOLERANCE = Decimal("1e-9")
MAX_CODE_LENGTH = 64


class Indicator(StrEnum):
    """The Xin'an pilot's four indicators; an agreement may weigh other codes too."""

    PERMANGANATE_INDEX = "codmn"
    AMMONIA_NITROGEN = "nh3_n"
    TOTAL_PHOSPHORUS = "tp"
    TOTAL_NITROGEN = "tn"


class Direction(StrEnum):
    DOWNSTREAM_PAYS = "downstream_pays"  # P ≤ 1: the upstream party kept the water clean
    UPSTREAM_PAYS = "upstream_pays"  # P > 1: the water at the section got worse


@dataclass(frozen=True, slots=True)
class WaterQualityRule:
    """One agreement's terms for one round: parties, K0, weights, baselines and amount."""

    agreement: str
    round: str
    upstream: str
    downstream: str
    stability_coefficient: Decimal
    weights: Mapping[str, Decimal]
    baselines_mg_l: Mapping[str, Decimal]
    amount_fen: int


@dataclass(frozen=True, slots=True)
class WaterQualityResult:
    """The index with every input and term behind it, and the transfer it decides."""

    rule: WaterQualityRule
    concentrations_mg_l: Mapping[str, Decimal]
    # kᵢ · Cᵢ / Cᵢ0 per indicator, before K0.
    terms: Mapping[str, Decimal]
    index: Decimal
    direction: Direction
    payer: str
    payee: str
    amount_fen: int
    settlement: Settlement = field(repr=False)


def water_quality_rule(
    *,
    agreement: str,
    round: str,
    upstream: str,
    downstream: str,
    stability_coefficient: object,
    weights: Mapping[str, object],
    baselines_mg_l: Mapping[str, object],
    amount_fen: int,
) -> WaterQualityRule:
    """The rule's terms checked: weights ≥ 0 summing to 1, baselines > 0, same indicators."""
    for label, name in (("agreement", agreement), ("round", round)):
        if not isinstance(name, str) or not name.strip():
            raise InvalidInput(f"a water-quality rule names its {label}")
    for label, party in (("upstream", upstream), ("downstream", downstream)):
        if not isinstance(party, str) or not party.strip():
            raise InvalidInput(f"a water-quality rule names its {label} party")
    if upstream == downstream:
        raise InvalidInput("the upstream and downstream parties must differ")
    k0 = _decimal(stability_coefficient, what="the stability coefficient K0")
    if not 0 < k0 <= MAX_STABILITY_COEFFICIENT:
        raise InvalidInput(
            f"the stability coefficient K0 must be in (0, {MAX_STABILITY_COEFFICIENT}]"
        )
    checked_weights = {
        _indicator(name): _decimal(w, what=f"the weight of {name}") for name, w in weights.items()
    }
    if not checked_weights:
        raise InvalidInput("a water-quality rule weighs at least one indicator")
    for indicator, weight in checked_weights.items():
        if weight < 0:
            raise InvalidInput(f"the weight of {indicator} must not be negative")
    total = sum(checked_weights.values(), Decimal(0))
    if abs(total - 1) > WEIGHT_SUM_TOLERANCE:
        raise InvalidInput(f"the indicators' weights add up to {total}, not 1")
    checked_baselines = {
        _indicator(name): _decimal(c, what=f"the baseline of {name}")
        for name, c in baselines_mg_l.items()
    }
    if set(checked_baselines) != set(checked_weights):
        raise InvalidInput("every weighted indicator needs a baseline, and only those")
    for indicator, baseline in checked_baselines.items():
        if not 0 < baseline <= MAX_CONCENTRATION_MG_L:
            raise InvalidInput(f"the baseline of {indicator} must be above 0 mg/L")
    check_amount(amount_fen, what="the amount the rule moves")
    return WaterQualityRule(
        agreement,
        round,
        upstream,
        downstream,
        k0,
        checked_weights,
        checked_baselines,
        amount_fen,
    )


def water_quality_settlement(
    rule: WaterQualityRule, concentrations_mg_l: Mapping[str, object]
) -> WaterQualityResult:
    """P from the year's mean concentrations, and who pays whom under the rule."""
    measured = {
        _indicator(name): _decimal(c, what=f"the concentration of {name}")
        for name, c in concentrations_mg_l.items()
    }
    for indicator in rule.weights:
        if indicator not in measured:
            raise InvalidInput(f"no concentration given for {indicator}")
    for indicator, concentration in measured.items():
        if indicator not in rule.weights:
            raise InvalidInput(f"{indicator} is not an indicator of this rule")
        if not 0 <= concentration <= MAX_CONCENTRATION_MG_L:
            raise InvalidInput(f"the concentration of {indicator} must be between 0 and 10,000")
    with localcontext() as context:
        context.prec = 28
        terms = {i: rule.weights[i] * measured[i] / rule.baselines_mg_l[i] for i in rule.weights}
        index = rule.stability_coefficient * sum(terms.values(), Decimal(0))
    if index <= 1:
        direction, payer, payee = Direction.DOWNSTREAM_PAYS, rule.downstream, rule.upstream
    else:
        direction, payer, payee = Direction.UPSTREAM_PAYS, rule.upstream, rule.downstream
    inputs: dict[str, object] = {
        "agreement": rule.agreement,
        "round": rule.round,
        "upstream": rule.upstream,
        "downstream": rule.downstream,
        "stability_coefficient": str(rule.stability_coefficient),
        "weights": {str(i): str(w) for i, w in rule.weights.items()},
        "baselines_mg_l": {str(i): str(c) for i, c in rule.baselines_mg_l.items()},
        "concentrations_mg_l": {str(i): str(c) for i, c in measured.items()},
        "index": f"{index.normalize():f}",
        "direction": str(direction),
    }
    transfers = (
        (Transfer(payer, payee, rule.amount_fen, note=f"P = {index:.4f}"),)
        if rule.amount_fen
        else ()
    )
    settlement = Settlement(CompensationRuleName.XINAN_WATER_QUALITY, inputs, transfers)
    return WaterQualityResult(
        rule, measured, terms, index, direction, payer, payee, rule.amount_fen, settlement
    )


def rule_from_agreement(
    rule: CompensationRule, *, agreement: str, round: str, upstream: str, downstream: str
) -> WaterQualityRule:
    """The water-quality rule an agreement's checked `xinan_water_quality` terms describe."""
    if rule.name is not CompensationRuleName.XINAN_WATER_QUALITY:
        raise InvalidInput(f"the agreement's rule is {rule.name}, not xinan_water_quality")
    indicators = rule.parameters["indicators"]
    amount = _decimal(rule.parameters["amount_yuan"], what="amount_yuan") * FEN_PER_YUAN
    if amount != amount.to_integral_value():
        raise InvalidInput("amount_yuan has more than two decimals")
    return water_quality_rule(
        agreement=agreement,
        round=round,
        upstream=upstream,
        downstream=downstream,
        stability_coefficient=rule.parameters["k0"],
        weights={i["code"]: i["weight"] for i in indicators},
        baselines_mg_l={i["code"]: i["baseline"] for i in indicators},
        amount_fen=int(amount),
    )


def _indicator(name: str) -> str:
    # Codes as the agreement writes them (crossrisk.domain.agreements.compensation checks
    # them the same way): the pilot's four are Indicator's values, others are allowed.
    if not isinstance(name, str) or not name.strip() or len(name) > MAX_CODE_LENGTH:
        raise InvalidInput(f"an indicator code has 1–{MAX_CODE_LENGTH} characters")
    if not name.isprintable():
        raise InvalidInput("an indicator code holds control characters")
    return name.strip()


def _decimal(value: object, *, what: str) -> Decimal:
    if isinstance(value, bool):
        raise InvalidInput(f"{what} is not a number")
    try:
        # Through the decimal text, so 0.85 means 85 hundredths, not the nearest float.
        number = Decimal(str(value)) if not isinstance(value, Decimal) else value
    except (InvalidOperation, ValueError, TypeError):
        raise InvalidInput(f"{what} is not a number: {value!r}") from None
    if not number.is_finite():
        raise InvalidInput(f"{what} is not finite")
    return number
