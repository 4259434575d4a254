"""A risk's cost ledger: the lines each member bore, and the joint-response cost game.

A cost line is what one member jurisdiction spent on a risk, in fen, in one of the
categories the EMAC Reimbursement Guidelines use (personnel, travel, equipment,
commodities, other), with its date and evidence. It is either a cost of the member's own
response or an aid cost the requesting city is to reimburse (the default for the costs of
an accepted offer), and it names the jurisdictions it protected.

The joint-response cost game (docs/compensation.md, "The joint-response cost game"): a
coalition S of the parties needs every line that protects one of its members, so

    c(S) = Σ_lines amount_l · [protects_l ∩ S ≠ ∅].

It is a sum of games each costing amount_l as soon as any of protects_l joins, the shape
of Littlechild and Owen's (1973) airport game, whose Shapley value splits each line
equally among the parties it protects. c(N) is the whole ledger, so the Shapley shares
add up to what the parties bore.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum

from crossrisk.domain.compensation.settlement import Transfer, check_amount
from crossrisk.domain.compensation.shapley import CostFunction
from crossrisk.domain.errors import InvalidInput, InvalidTransition

EVIDENCE_MAX = 2_000
NOTE_MAX = 500
PROTECTS_MAX = 100
# The platform's records start long after this and a ledger never runs centuries ahead:
# year 1 or 9999 is a typing error.
EARLIEST_YEAR = 1990
LATEST_YEAR = 2200


class CostCategory(StrEnum):
    """The EMAC Reimbursement Guidelines' cost categories."""

    PERSONNEL = "personnel"
    TRAVEL = "travel"
    EQUIPMENT = "equipment"
    COMMODITIES = "commodities"
    OTHER = "other"


class CostKind(StrEnum):
    OWN_RESPONSE = "own_response"  # the member's own response: shared by the rule
    AID = "aid"  # aid to another city: reimbursed by the requester


class SettlementState(StrEnum):
    PROPOSED = "proposed"
    APPROVED = "approved"
    WITHDRAWN = "withdrawn"


class SettlementRule(StrEnum):
    """The rules a risk's statement may be drawn up by: an agreement's rule names where one
    exists (crossrisk.domain.agreements.compensation), and Ni and Wang's two river rules."""

    REIMBURSEMENT = "reimburse_aid_costs"
    PROPORTIONAL_COST = "proportional_to_cost"
    PROPORTIONAL_POPULATION = "proportional_to_population"
    BENEFICIARY_PAYS = "beneficiary_pays"
    SHAPLEY = "shapley"
    RIVER_LRS = "river_lrs"
    RIVER_UES = "river_ues"
    # A border section's water-quality index over a period (services/water_quality.py):
    # never a risk's rule, so draw_up refuses it.
    XINAN_WATER_QUALITY = "xinan_water_quality"


# The short names the brief, the command line and the forms may use for the same rules.
RULE_ALIASES = {
    "reimbursement": SettlementRule.REIMBURSEMENT,
    "proportional": SettlementRule.PROPORTIONAL_COST,
    "proportional_cost": SettlementRule.PROPORTIONAL_COST,
    "proportional_population": SettlementRule.PROPORTIONAL_POPULATION,
}


def settlement_rule(name: str) -> SettlementRule:
    """The rule a name or alias means, or InvalidInput listing the names there are."""
    shown = str(name)[:64]
    try:
        return RULE_ALIASES.get(shown) or SettlementRule(shown)
    except ValueError:
        names = ", ".join([*(r.value for r in SettlementRule), *RULE_ALIASES])
        raise InvalidInput(
            f"no settlement rule {shown!r}; the rules are {names}",
            key="settlement-rule-unknown",
            params={"rule": shown},
        ) from None


class FundMovementKind(StrEnum):
    CONTRIBUTION = "contribution"  # a province or the central government pays in
    PENALTY = "penalty"  # an upheld case's penalty under its agreement
    PAYOUT = "payout"  # the fund pays a party


@dataclass(frozen=True, slots=True)
class CostLine:
    """One cost a member bore for a risk, in fen."""

    id: int | None
    risk_id: int
    region_code: str
    party: str  # the member jurisdiction's code
    organisation_code: str
    amount_fen: int
    category: CostCategory
    spent_on: date
    evidence: str
    kind: CostKind
    protects: tuple[str, ...]  # jurisdiction codes the spending protected
    recorded_by: str
    recorded_at: datetime
    aid_request_id: int | None = None
    reimbursed_by: str | None = None  # the requesting jurisdiction, for an aid cost
    drill: bool = False  # the risk belongs to a drill: shown, never paid
    withdrawn_at: datetime | None = None
    withdrawn_by: str | None = None

    @property
    def active(self) -> bool:
        return self.withdrawn_at is None


def check_cost_line(line: CostLine) -> CostLine:
    """The line with its fields checked, or InvalidInput naming the first fault."""
    check_amount(line.amount_fen, what="the cost")
    if line.amount_fen == 0:
        raise InvalidInput("a cost line must be above zero", key="cost-amount-invalid")
    if not EARLIEST_YEAR <= line.spent_on.year <= LATEST_YEAR:
        raise InvalidInput(
            f"the date {line.spent_on.isoformat()} is outside {EARLIEST_YEAR}–{LATEST_YEAR}",
            key="cost-date-invalid",
            params={"date": line.spent_on.isoformat()},
        )
    check_text(line.evidence, what="the evidence", limit=EVIDENCE_MAX, required=True)
    if not line.protects:
        raise InvalidInput("a cost line names the jurisdictions it protected")
    if len(line.protects) > PROTECTS_MAX or len(set(line.protects)) != len(line.protects):
        raise InvalidInput("the protected jurisdictions are listed once each, at most 100")
    if line.kind is CostKind.AID:
        if not line.reimbursed_by:
            raise InvalidInput(
                "an aid cost names the requesting jurisdiction that reimburses it",
                key="cost-aid-without-requester",
            )
        if line.reimbursed_by == line.party:
            raise InvalidInput("a city cannot reimburse its own aid", key="cost-aid-self")
    elif line.reimbursed_by is not None or line.aid_request_id is not None:
        raise InvalidInput("only an aid cost belongs to an aid request")
    return line


def check_text(value: str, *, what: str, limit: int, required: bool) -> str:
    """Printable text up to `limit` characters (newlines allowed), or InvalidInput."""
    if not isinstance(value, str):
        raise InvalidInput(f"{what} must be text")
    if required and not value.strip():
        raise InvalidInput(f"{what} is required", key="cost-evidence-missing")
    if len(value) > limit:
        raise InvalidInput(f"{what} is over {limit} characters")
    if any(not (c.isprintable() or c in "\n\t") for c in value):
        raise InvalidInput(f"{what} holds control characters")
    return value.strip()


def borne_fen(lines: Iterable[CostLine], parties: Sequence[str]) -> dict[str, int]:
    """What each party bore, over the active lines, in the parties' order (0 if nothing)."""
    borne = dict.fromkeys(parties, 0)
    for line in lines:
        if line.active:
            borne[line.party] = borne.get(line.party, 0) + line.amount_fen
    return borne


def parties_of(lines: Iterable[CostLine]) -> list[str]:
    """Every party that bore or was protected by an active line, sorted by code."""
    found: set[str] = set()
    for line in lines:
        if line.active:
            found.add(line.party)
            found.update(line.protects)
    return sorted(found)


def joint_response_cost(lines: Sequence[CostLine]) -> CostFunction:
    """c(S): the sum of the active lines that protect a member of S (the airport-type game)."""
    needed = [(frozenset(line.protects), line.amount_fen) for line in lines if line.active]

    def cost(coalition: frozenset[str]) -> float:
        return float(sum(amount for protects, amount in needed if protects & coalition))

    return cost


def stand_alone_fen(lines: Sequence[CostLine], parties: Sequence[str]) -> dict[str, int]:
    """c({i}) per party: what it would have needed alone, the proportional rule's basis."""
    alone = dict.fromkeys(parties, 0)
    for line in lines:
        if line.active:
            for party in line.protects:
                if party in alone:
                    alone[party] += line.amount_fen
    return alone


def aid_costs_by_requester(lines: Iterable[CostLine]) -> dict[str, dict[str, int]]:
    """The active aid costs grouped by the requester that reimburses them, then by helper."""
    grouped: dict[str, dict[str, int]] = {}
    for line in lines:
        if line.active and line.kind is CostKind.AID and line.reimbursed_by:
            helpers = grouped.setdefault(line.reimbursed_by, {})
            helpers[line.party] = helpers.get(line.party, 0) + line.amount_fen
    return grouped


def upstream_order(order: Sequence[str], parties: Sequence[str]) -> list[str]:
    """The parties in the river's order (upstream first), each party exactly once."""
    if sorted(order) != sorted(parties) or len(set(order)) != len(order):
        raise InvalidInput(
            "a river rule needs every party once in upstream-to-downstream order: "
            + ", ".join(parties),
            key="settlement-river-order",
            params={"parties": ", ".join(parties)},
        )
    return list(order)


def as_party_map(values: Mapping[str, int], parties: Sequence[str]) -> dict[str, int]:
    """The values in the parties' order, refused when one is missing."""
    missing = [p for p in parties if p not in values]
    if missing:
        raise InvalidInput(
            f"no figure given for {missing[0]}",
            key="settlement-basis-missing",
            params={"party": missing[0]},
        )
    return {p: values[p] for p in parties}


@dataclass(frozen=True, slots=True)
class Statement:
    """A settlement statement as proposed: the rule's transfers with its inputs.

    A risk's statement names the risk; a border section's (the water-quality rule) names
    the agreement, its round, the period and the station instead, and no risk.
    """

    id: int | None
    risk_id: int | None
    region_code: str
    rule: SettlementRule
    inputs: Mapping[str, object]
    transfers: tuple[Transfer, ...]
    borne_fen: Mapping[str, int]
    due_fen: Mapping[str, int]
    state: SettlementState
    proposed_by: str
    proposed_at: datetime
    decided_by: str | None = None
    decided_at: datetime | None = None
    agreement_id: int | None = None
    round: str | None = None
    period_from: date | None = None
    period_to: date | None = None
    station_code: str | None = None

    @property
    def drill(self) -> bool:
        """Whether the statement settles a drill's costs: shown, never paid."""
        return bool(self.inputs.get("drill"))


def require_payable(statement: Statement) -> None:
    """Refuse to pay, in money or in kind, on a drill's statement."""
    if statement.drill:
        raise InvalidTransition(
            f"statement {statement.id} settles a drill: it is shown, never paid",
            key="settlement-drill-unpaid",
            params={"settlement": statement.id or 0},
        )


@dataclass(frozen=True, slots=True)
class FundMovement:
    """Money into or out of a region's fund, with who moved it and why."""

    id: int | None
    region_code: str
    kind: FundMovementKind
    party: str  # the contributor, the penalised party or the payee
    amount_fen: int
    conditions: tuple[str, ...]
    note: str
    recorded_by: str
    recorded_at: datetime
    case_id: int | None = None
    settlement_id: int | None = None


def fund_party(region_code: str) -> str:
    """The name the region's fund goes by as a party of transfers."""
    return f"fund:{region_code}"
