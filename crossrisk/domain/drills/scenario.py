"""A drill scenario: its hazards, readings, reports, aid requests and parties' behaviour.

A scenario names its region and duration, the hazards it registers, the gauge readings,
reports and aid requests it plays, each at an offset into the drill ("90m", "2h", "1d"),
and how each party behaves. `reading.py` reads one from YAML with every problem by line.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass, field
from typing import Any

from crossrisk.domain.plans.problems import N_
from crossrisk.domain.plans.problems import PROBLEM_TEXTS as PLAN_PROBLEM_TEXTS

TEXT_MAX_BYTES = 100_000
DURATION_MAX = 7 * 24 * 60  # minutes: a drill plays at most a week
ITEMS_MAX = 200  # hazards, readings, reports, requests: each list at most this long
NAME_MAX = 200
REPORT_MAX = 2000
CATEGORIES = (
    "natural_disaster",
    "accident_disaster",
    "public_health",
    "social_security",
    "emerging_technology",
)
NEVER = "never"
# The parties of a scenario that are no member city: the region's bodies, by their role.
BODIES = ("committee", "domain_office")

SHARED_PROBLEMS = (
    "not-yaml",
    "too-large",
    "alias",
    "expected-mapping",
    "expected-list",
    "expected-text",
    "missing",
    "unknown-field",
    "too-long",
    "bad-code",
    "unknown-hazard-type",
    "duplicate",
)

# The English of each problem (the CLI prints these; "line N: " goes in front); pages say
# it in their language through the catalogs (babel.cfg extracts this module's N_ texts).
# The problems of any YAML file read here are worded as a plan file's.
PROBLEM_TEXTS: Mapping[str, str] = {
    **{key: PLAN_PROBLEM_TEXTS[key] for key in SHARED_PROBLEMS},
    "expected-number": N_("%(field)s must be a finite number"),
    "unknown-region": N_("unknown region %(value)s"),
    "unknown-party": N_("%(value)s is not a member city of the region"),
    "unknown-station": N_("unknown station %(value)s"),
    "unknown-category": N_("unknown risk category %(value)s"),
    "unknown-item": N_("unknown aid item %(value)s"),
    "unknown-hazard": N_("no hazard %(value)s in this scenario"),
    "not-duration": N_("%(field)s %(value)s is not a duration (90m, 2h, 1d or PT90M)"),
    "offset-negative": N_("%(field)s %(value)s lies before the drill's start"),
    "offset-beyond": N_("%(field)s %(value)s lies beyond the drill's duration of %(limit)s"),
    "bad-scale": N_("%(field)s must be a whole number from 1 to 5"),
    "bad-parameters": N_("the hazard's parameters are refused: %(detail)s"),
    "bad-place": N_("give the hazard's place as lon/lat or a station, one of them"),
    "bad-coordinate": N_("%(field)s is outside the Earth's range"),
    "bad-quantity": N_("%(field)s must be a number above 0 and at most 1e9"),
    "arrives-before-offer": N_("the goods cannot arrive (%(value)s) before they are offered"),
    "empty": N_("%(field)s needs at least one item"),
}


@dataclass(frozen=True, slots=True)
class ScenarioProblem:
    """One thing wrong with a scenario file: its line (1-based), a key and its values."""

    line: int
    key: str
    params: Mapping[str, str] = field(default_factory=dict)

    @property
    def message(self) -> str:
        return f"line {self.line}: " + PROBLEM_TEXTS[self.key] % dict(self.params)


@dataclass(frozen=True, slots=True)
class ScenarioHazard:
    """A hazard the lead party registers as a risk at an offset."""

    id: str
    party: str  # the jurisdiction whose officer registers it
    category: str
    hazard_type: str
    lon: float
    lat: float
    likelihood: int
    consequence: int
    title_zh: str
    title_en: str
    parameters: Mapping[str, Any]
    offset: int  # minutes


@dataclass(frozen=True, slots=True)
class ScenarioReading:
    station: str
    offset: int
    value: float


@dataclass(frozen=True, slots=True)
class ScenarioReport:
    """A party's report on a hazard's risk, with figures (a later one may correct them)."""

    party: str
    hazard: str
    offset: int
    text: str
    figures: Mapping[str, float]


@dataclass(frozen=True, slots=True)
class ScenarioLine:
    item: str
    quantity: float
    needed_by: int  # offset, minutes


@dataclass(frozen=True, slots=True)
class ScenarioOffer:
    """A neighbour's offer at an offset; the requester accepts it at once, and the goods
    arrive at `arrives` (an offset; None: the travel time the offer estimates)."""

    party: str
    offset: int
    arrives: int | None = None


@dataclass(frozen=True, slots=True)
class ScenarioAidRequest:
    party: str
    hazard: str
    offset: int
    lines: tuple[ScenarioLine, ...]
    offers: tuple[ScenarioOffer, ...]


@dataclass(frozen=True, slots=True)
class Behaviour:
    """How a party acts: acknowledges its warnings after so many minutes, or never; does
    the duties it fulfils by its own action (a follow-up, a plan's task, the committee's
    convening) so many minutes after they are assigned, or never (the default).

    `party` is a member city's code, or `committee` or `domain_office` for the region's
    coordination body and its offices."""

    party: str
    acknowledge_after: int | None  # None: never acknowledges
    duties_after: int | None = None  # None: leaves its own duties undone


DEFAULT_ACK_MINUTES = 10  # a party the scenario says nothing of acknowledges promptly


@dataclass(frozen=True, slots=True)
class Scenario:
    code: str
    title_zh: str
    title_en: str
    region_code: str
    duration: int  # minutes
    hazards: tuple[ScenarioHazard, ...]
    readings: tuple[ScenarioReading, ...] = ()
    reports: tuple[ScenarioReport, ...] = ()
    aid_requests: tuple[ScenarioAidRequest, ...] = ()
    behaviours: tuple[Behaviour, ...] = ()

    def acknowledge_after(self, party: str) -> int | None:
        """Minutes after a warning at which the party acknowledges it; None: never."""
        for behaviour in self.behaviours:
            if behaviour.party == party:
                return behaviour.acknowledge_after
        return DEFAULT_ACK_MINUTES

    def duties_after(self, party: str) -> int | None:
        """Minutes after a duty's assignment at which the party does it; None: never."""
        for behaviour in self.behaviours:
            if behaviour.party == party:
                return behaviour.duties_after
        return None


@dataclass(frozen=True, slots=True)
class Known:
    """What the platform knows that a scenario names, for the reader to check against."""

    regions: Collection[str]
    members: Mapping[str, Collection[str]]  # region → its member jurisdictions
    stations: Mapping[str, tuple[float, float]]  # code → (lon, lat)
    hazard_types: Collection[str]
    items: Collection[str]
    # Checks a hazard's (category, hazard type, parameters); raises CrossriskError.
    check_hazard: Callable[[str, str, Mapping[str, Any]], object] | None = None
