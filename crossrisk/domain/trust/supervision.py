"""Supervision of the trust evidence (issue 15, "Trust"; DESIGN §3.9).

Vertical: the committee confirms or disputes how a commitment or a duty was resolved, with
a reason; a disputed item counts as the kind the committee holds it to be (by default the
opposite of what the record shows: a duty marked done but disputed counts as late, a
commitment read as broken but disputed counts as honoured). Horizontal: a member rates aid
it received from another, on a 1–5 scale or as positive/negative; the rating becomes a
share ρ ∈ [0, 1] that `reputation.reputations` weighs by the rater's own score.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from crossrisk.domain.errors import InvalidInput
from crossrisk.domain.risk import check_text
from crossrisk.domain.trust.reputation import EvidenceKind

REASON_MAX = 2000
TARGET_KINDS = ("commitment", "duty")


class Verdict(StrEnum):
    CONFIRMED = "confirmed"
    DISPUTED = "disputed"


# What a disputed item counts as when the committee names nothing else: its opposite.
OPPOSITE: Mapping[EvidenceKind, EvidenceKind] = {
    EvidenceKind.COMMITMENT_HONOURED: EvidenceKind.COMMITMENT_BROKEN,
    EvidenceKind.COMMITMENT_LATE: EvidenceKind.COMMITMENT_BROKEN,
    EvidenceKind.COMMITMENT_PARTIAL: EvidenceKind.COMMITMENT_BROKEN,
    EvidenceKind.COMMITMENT_BROKEN: EvidenceKind.COMMITMENT_HONOURED,
    EvidenceKind.DUTY_IN_TIME: EvidenceKind.DUTY_LATE,
    EvidenceKind.DUTY_LATE: EvidenceKind.DUTY_IN_TIME,
}

KINDS_OF_TARGET: Mapping[str, frozenset[EvidenceKind]] = {
    "commitment": frozenset(
        {
            EvidenceKind.COMMITMENT_HONOURED,
            EvidenceKind.COMMITMENT_LATE,
            EvidenceKind.COMMITMENT_PARTIAL,
            EvidenceKind.COMMITMENT_BROKEN,
        }
    ),
    "duty": frozenset({EvidenceKind.DUTY_IN_TIME, EvidenceKind.DUTY_LATE}),
}


@dataclass(frozen=True, slots=True)
class Supervision:
    """The committee's word on how one commitment or duty was resolved."""

    id: int | None
    region_code: str
    target: str  # "commitment:12" or "duty:7"
    verdict: Verdict
    recorded_kind: EvidenceKind  # what the record showed when the committee looked
    counts_as: EvidenceKind  # what the item counts as from now on
    reason: str
    by: str  # username
    organisation: str
    at: datetime


@dataclass(frozen=True, slots=True)
class Rating:
    """A member's rating of aid it received: one shipment, from its donor."""

    id: int | None
    region_code: str
    shipment_id: int
    rater: str  # organisation code of the recipient
    subject: str  # organisation code of the donor
    score: str  # as given: "1"…"5", "positive" or "negative"
    share: float  # ρ ∈ [0, 1]
    comment: str
    by: str
    at: datetime


def parse_target(target: str) -> tuple[str, int]:
    """("commitment", 12) from "commitment:12"; anything else is refused."""
    kind, _, number = target.partition(":")
    if kind not in TARGET_KINDS or not number.isascii() or not number.isdigit():
        raise InvalidInput(
            f"supervision names a commitment or a duty as kind:id, got {target[:60]!r}",
            key="trust-target-invalid",
            params={"target": target[:60]},
        )
    value = int(number)
    if not 0 < value < 2**31:
        raise InvalidInput(
            f"no record has the id {number[:20]}",
            key="trust-target-invalid",
            params={"target": target[:60]},
        )
    return kind, value


def decide(
    target: str,
    recorded: EvidenceKind,
    verdict: Verdict,
    *,
    counts_as: EvidenceKind | None,
    reason: str,
) -> tuple[EvidenceKind, str]:
    """What the item counts as after the committee's verdict, and the reason as kept."""
    kind, _ = parse_target(target)
    text = check_text("reason", reason, limit=REASON_MAX)
    if verdict is Verdict.CONFIRMED:
        if counts_as is not None and counts_as is not recorded:
            raise InvalidInput(
                "a confirmation keeps the recorded resolution; dispute it to change it",
                key="trust-confirm-changes-kind",
                params={"kind": counts_as.value},
            )
        return recorded, text
    held = counts_as or OPPOSITE[recorded]
    if held not in KINDS_OF_TARGET[kind]:
        raise InvalidInput(
            f"a {kind} cannot count as {held.value}",
            key="trust-kind-not-of-target",
            params={"kind": held.value, "target": kind},
        )
    if held is recorded:
        raise InvalidInput(
            "a dispute holds the item to be something other than the record shows",
            key="trust-dispute-same-kind",
            params={"kind": held.value},
        )
    return held, text


def rating_share(score: str | int) -> tuple[str, float]:
    """A rating as given and as ρ ∈ [0, 1]: 1–5 maps linearly (1 → 0, 5 → 1)."""
    given = str(score).strip().lower()
    if given == "positive":
        return given, 1.0
    if given == "negative":
        return given, 0.0
    if given in {"1", "2", "3", "4", "5"}:
        return given, (int(given) - 1) / 4
    raise InvalidInput(
        f"a rating is 1 to 5, positive or negative, got {str(score)[:20]!r}",
        key="trust-rating-invalid",
        params={"score": str(score)[:20]},
    )
