"""A stored allocation: the proposal the platform made for open request lines, and what the
committee approved of it (issue 11, "Allocation").

The solver (`crossrisk.aid.allocation`) and the proposal (`crossrisk.aid.proposal`) are
pure computations; this is the record the committee decides on. An allocation is proposed
once, then approved (its lines, as proposed or edited, became commitments), superseded
(a newer proposal took in one of its requests) or discarded. Only a proposed allocation
moves, and only once.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum

from crossrisk.domain.errors import InvalidTransition

# At most this many requests in one proposal (the page lists fewer; a script may ask more).
REQUESTS_MAX = 100
# An approval lists at most this many lines (a proposal of 100 requests × 50 lines is far
# beyond a committee's table; the API's bound).
EDITED_LINES_MAX = 5000


class AllocationState(StrEnum):
    PROPOSED = "proposed"
    APPROVED = "approved"
    SUPERSEDED = "superseded"
    DISCARDED = "discarded"


@dataclass(frozen=True, slots=True)
class AllocationLine:
    """One flow: a donor's item to a request line, as proposed and (once approved) as approved."""

    donor_jurisdiction_code: str
    request_line_id: int
    item_code: str
    quantity: float  # as proposed (0 for a line the committee added when approving)
    hours: float  # travel hours from the donor's stock to the line's destination
    donor_point: tuple[float, float]  # lon, lat
    destination_point: tuple[float, float]
    stale: bool = False  # the donor's stock of the item was not confirmed within the period
    approved_quantity: float | None = None
    commitment_id: int | None = None


@dataclass(frozen=True, slots=True)
class UnmetQuantity:
    request_line_id: int
    item_code: str
    quantity: float


@dataclass(frozen=True, slots=True)
class DonorFigures:
    """What a donor held, kept and could give when the proposal was made (its inputs)."""

    jurisdiction_code: str
    point: tuple[float, float]
    stock: dict[str, float]  # usable stock less what it has committed and not yet shipped
    reserve: dict[str, float]
    stale_items: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Allocation:
    id: int | None
    region_code: str
    state: AllocationState
    fair: bool
    request_ids: tuple[int, ...]
    risk_ids: tuple[int, ...]
    digest: str  # SHA-256 of the inputs (lines, donors, reserves, hours model, fairness)
    total_hours: float  # Σ quantity × hours of the proposed lines
    lines: tuple[AllocationLine, ...]
    unmet: tuple[UnmetQuantity, ...]
    donors: tuple[DonorFigures, ...]
    proposed_at: datetime
    proposed_by: str
    # Per-item reserve rules the proposal was made with: item → ("fraction"|"quantity", value).
    reserve_rules: dict[str, tuple[str, float]] = field(default_factory=dict)
    lowest_fill_rate: float | None = None  # with fairness
    price_hours: float | None = None  # with fairness: the extra travel hours it costs
    decided_at: datetime | None = None
    decided_by: str | None = None

    @property
    def stale(self) -> bool:
        """True when some proposed line draws on stock not confirmed within the period."""
        return any(line.stale for line in self.lines)

    @property
    def approved_hours(self) -> float:
        return sum((line.approved_quantity or 0.0) * line.hours for line in self.lines)


def move(allocation: Allocation, to: AllocationState) -> AllocationState:
    """The state after a decision: only a proposed allocation is decided, and only once."""
    if allocation.state is not AllocationState.PROPOSED or to is AllocationState.PROPOSED:
        raise InvalidTransition(
            f"allocation {allocation.id} is {allocation.state.value}; it cannot become {to.value}",
            key="allocation-not-proposed",
            params={"allocation": allocation.id, "state": allocation.state.value},
        )
    return to
