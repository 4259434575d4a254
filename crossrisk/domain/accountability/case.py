"""An accountability case: a finding, its review, the party's statement and the outcome.

opened (by detection) → under review (the reviewer's text) → statement filed (the party's
right to answer, 陈述申辩) → decided. The reviewer may decide without a statement only
once the statement period after its review has passed. Nothing is decided automatically.

The procedure is fixed when the case opens: the accountability procedure of the agreement
that binds the party, where there is one (its reviewer, its outcomes, its statement days),
else the platform's: the committee reviews, and may conclude no fault, criticism or a
referral, never a penalty, which only an agreement provides.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any

from crossrisk.domain.accountability.findings import Finding, FindingKind
from crossrisk.domain.agreements.agreement import (
    Agreement,
    AgreementState,
    ObligationKind,
    ReviewOutcome,
)
from crossrisk.domain.errors import Conflict, InvalidInput
from crossrisk.domain.responsibility import DutyKind
from crossrisk.domain.risk import check_text

REVIEW_MAX = 4000
STATEMENT_MAX = 4000
REASON_MAX = 4000
PENALTY_MAX = 500


class CaseState(StrEnum):
    OPENED = "opened"
    UNDER_REVIEW = "under_review"
    STATEMENT_FILED = "statement_filed"
    DECIDED = "decided"


class CaseOutcome(StrEnum):
    NO_FAULT = "no_fault"
    CRITICISM = "criticism"  # 通报批评
    CORRECTIVE_ACTION = "corrective_action"  # only where an agreement provides it
    REFERRAL = "referral"  # to the party's superior authority
    PENALTY = "penalty"  # only where an agreement provides one (its compensation)


# An agreement's review outcomes as a case's: its compensation is the penalty it provides.
FROM_AGREEMENT: Mapping[ReviewOutcome, CaseOutcome] = {
    ReviewOutcome.NO_FAULT: CaseOutcome.NO_FAULT,
    ReviewOutcome.NOTICE_OF_CRITICISM: CaseOutcome.CRITICISM,
    ReviewOutcome.CORRECTIVE_ACTION: CaseOutcome.CORRECTIVE_ACTION,
    ReviewOutcome.REFERRAL: CaseOutcome.REFERRAL,
    ReviewOutcome.COMPENSATION: CaseOutcome.PENALTY,
}
PLATFORM_OUTCOMES = (CaseOutcome.NO_FAULT, CaseOutcome.CRITICISM, CaseOutcome.REFERRAL)


@dataclass(frozen=True, slots=True)
class Procedure:
    """Who reviews, what the review may conclude, and the party's days for its statement."""

    reviewer: str | None  # an organisation code; None: the region's committee
    outcomes: tuple[CaseOutcome, ...]
    statement_days: int
    agreement_id: int | None = None

    def as_dict(self) -> dict[str, Any]:
        return {
            "reviewer": self.reviewer,
            "outcomes": [o.value for o in self.outcomes],
            "statement_days": self.statement_days,
            "agreement_id": self.agreement_id,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Procedure:
        return cls(
            reviewer=data.get("reviewer"),
            outcomes=tuple(CaseOutcome(o) for o in data.get("outcomes", ())),
            statement_days=int(data.get("statement_days", 0)),
            agreement_id=data.get("agreement_id"),
        )


def platform_procedure(statement_days: int) -> Procedure:
    """The procedure where no agreement binds the party."""
    return Procedure(reviewer=None, outcomes=PLATFORM_OUTCOMES, statement_days=statement_days)


def agreement_procedure(agreement: Agreement, *, committee_code: str) -> Procedure:
    """An agreement's accountability procedure as a case's; the committee reviewing is None."""
    rules = agreement.text.accountability
    reviewer = rules.reviewer or None
    outcomes = tuple(dict.fromkeys(FROM_AGREEMENT[o] for o in rules.outcomes))
    return Procedure(
        reviewer=None if reviewer == committee_code else reviewer,
        outcomes=outcomes or PLATFORM_OUTCOMES,
        statement_days=rules.statement_days,
        agreement_id=agreement.id,
    )


@dataclass(frozen=True, slots=True)
class Case:
    id: int | None
    region_code: str
    risk_id: int | None
    drill_id: int | None
    kind: FindingKind
    party: str
    duty_id: int | None
    key: str
    evidence: tuple[int, ...]
    facts: Mapping[str, Any]
    procedure: Procedure
    state: CaseState
    opened_at: datetime
    opened_by: str
    review: str = ""
    reviewed_at: datetime | None = None
    reviewed_by: str | None = None
    statement: str = ""
    statement_at: datetime | None = None
    statement_by: str | None = None
    outcome: CaseOutcome | None = None
    reason: str = ""
    penalty: str = ""
    decided_at: datetime | None = None
    decided_by: str | None = None

    @property
    def upheld(self) -> bool:
        """Whether the decision found a fault (any outcome but no fault)."""
        return self.outcome is not None and self.outcome is not CaseOutcome.NO_FAULT

    @property
    def statement_due(self) -> datetime | None:
        """Until when the party may file its statement before a decision may pass it by."""
        if self.reviewed_at is None:
            return None
        return self.reviewed_at + timedelta(days=self.procedure.statement_days)

    def reviewed(self, text: str, *, by: str, now: datetime) -> Case:
        """The reviewer's findings on the case: it is under review."""
        self._require(CaseState.OPENED, step="reviewed")
        text = check_text("review", text, limit=REVIEW_MAX)
        return replace(
            self, state=CaseState.UNDER_REVIEW, review=text, reviewed_at=now, reviewed_by=by
        )

    def with_statement(self, text: str, *, by: str, now: datetime) -> Case:
        """The party's statement, once the case is under review."""
        self._require(CaseState.UNDER_REVIEW, step="answered")
        text = check_text("statement", text, limit=STATEMENT_MAX)
        return replace(
            self,
            state=CaseState.STATEMENT_FILED,
            statement=text,
            statement_at=now,
            statement_by=by,
        )

    def decided(
        self, outcome: CaseOutcome, *, reason: str, penalty: str = "", by: str, now: datetime
    ) -> Case:
        """The outcome the procedure allows, after the statement or once its time passed."""
        if self.state is CaseState.UNDER_REVIEW:
            due = self.statement_due
            assert due is not None
            if now < due:
                raise Conflict(
                    f"case {self.id} awaits the party's statement until {due.isoformat()}",
                    key="case-awaits-statement",
                    params={"case": self.id or 0, "due": due.isoformat()},
                )
        else:
            self._require(CaseState.STATEMENT_FILED, step="decided")
        if outcome not in self.procedure.outcomes:
            raise InvalidInput(
                f"the procedure of case {self.id} does not allow the outcome {outcome.value}",
                key="case-outcome-not-allowed",
                params={"case": self.id or 0, "outcome": outcome.value},
            )
        reason = check_text("reason", reason, limit=REASON_MAX)
        penalty = check_text("penalty", penalty, limit=PENALTY_MAX, required=False)
        if (outcome is CaseOutcome.PENALTY) != bool(penalty):
            raise InvalidInput(
                "a penalty names what it is, and only a penalty does",
                key="case-penalty-text",
                params={"case": self.id or 0},
            )
        return replace(
            self,
            state=CaseState.DECIDED,
            outcome=outcome,
            reason=reason,
            penalty=penalty,
            decided_at=now,
            decided_by=by,
        )

    def _require(self, state: CaseState, *, step: str) -> None:
        if self.state is not state:
            raise Conflict(
                f"case {self.id} is {self.state.value} and cannot be {step}",
                key="case-step-out-of-order",
                params={"case": self.id or 0, "state": self.state.value},
            )


# The obligation of an agreement a finding's failure breaks: a report duty or a corrected
# report breaks "report within", an unanswered request or a broken commitment "answer aid
# within". Other findings (acknowledgements, a plan's tasks) come from no agreement.
_BREAKS: Mapping[FindingKind, ObligationKind] = {
    FindingKind.REPORT_CORRECTED: ObligationKind.REPORT_WITHIN,
    FindingKind.AID_UNANSWERED: ObligationKind.ANSWER_AID_WITHIN,
    FindingKind.COMMITMENT_BROKEN: ObligationKind.ANSWER_AID_WITHIN,
}


def governing_agreement(
    finding: Finding, agreements: Sequence[Agreement], *, duty_kind: DutyKind | None = None
) -> Agreement | None:
    """The agreement in force whose obligation of the party the finding breaks, if any.

    Of several, the latest to come into force.
    """
    obligation = _BREAKS.get(finding.kind)
    if duty_kind is DutyKind.HANDLE_AND_REPORT:
        obligation = ObligationKind.REPORT_WITHIN
    if obligation is None:
        return None
    binding = [
        a
        for a in agreements
        if a.state is AgreementState.IN_FORCE
        and a.region_code == finding.region_code
        and any(o.party == finding.party and o.kind is obligation for o in a.text.obligations)
    ]
    binding.sort(key=lambda a: (a.in_force_at or a.drafted_at, a.id or 0))
    return binding[-1] if binding else None


def open_case(
    finding: Finding,
    procedure: Procedure,
    *,
    drill_id: int | None,
    by: str,
    now: datetime,
) -> Case:
    """A new case for a finding, under the procedure that governs its party."""
    return Case(
        id=None,
        region_code=finding.region_code,
        risk_id=finding.risk_id,
        drill_id=drill_id,
        kind=finding.kind,
        party=finding.party,
        duty_id=finding.duty_id,
        key=finding.key,
        evidence=finding.evidence,
        facts=dict(finding.facts),
        procedure=procedure,
        state=CaseState.OPENED,
        opened_at=now,
        opened_by=by,
    )


def parse_outcome(value: str) -> CaseOutcome:
    """An outcome named at the edge; refused with the names it may take."""
    try:
        return CaseOutcome(value.strip())
    except ValueError:
        raise InvalidInput(
            f"unknown outcome {value[:40]!r}; one of {', '.join(o.value for o in CaseOutcome)}",
            key="case-outcome-unknown",
            params={"outcome": value[:40]},
        ) from None
