"""Accountability cases' labels and refusal sentences, merged into action_labels.ACTION and
refusal_labels.REFUSAL."""

from __future__ import annotations

from crossrisk.domain.accountability.case import CaseOutcome, CaseState
from crossrisk.locale import N_
from crossrisk.services.case_notices import KIND_NAMES

CASE_KIND = KIND_NAMES

CASE_STATE = {
    CaseState.OPENED: N_("Opened"),
    CaseState.UNDER_REVIEW: N_("Under review"),
    CaseState.STATEMENT_FILED: N_("Statement filed"),
    CaseState.DECIDED: N_("Decided"),
}

CASE_OUTCOME = {
    CaseOutcome.NO_FAULT: N_("No fault"),
    CaseOutcome.CRITICISM: N_("Notice of criticism"),
    CaseOutcome.CORRECTIVE_ACTION: N_("Corrective action"),
    CaseOutcome.REFERRAL: N_("Referral to the superior authority"),
    CaseOutcome.PENALTY: N_("Penalty provided by the agreement"),
}

CASE_ACTION = {
    "case.opened": N_("Accountability case opened"),
    "case.reviewed": N_("Accountability case reviewed"),
    "case.statement_filed": N_("Party's statement filed"),
    "case.decided": N_("Accountability case decided"),
}

CASE_REFUSAL = {
    "case-not-found": N_("There is no accountability case %(case)s you may read."),
    "case-not-party": N_("Only an officer of %(party)s may file its statement on case %(case)s."),
    "case-not-reviewer": N_("Only the reviewer of case %(case)s may review or decide it."),
    "case-step-out-of-order": N_(
        "Case %(case)s is %(state)s: the steps go review, the party's statement, decision."
    ),
    "case-awaits-statement": N_(
        "Case %(case)s awaits the party's statement until %(due)s; decide after it is filed "
        "or that time has passed."
    ),
    "case-outcome-not-allowed": N_(
        "The procedure of case %(case)s does not allow the outcome %(outcome)s."
    ),
    "case-outcome-unknown": N_(
        "Choose an outcome: no fault, criticism, corrective action, referral or penalty."
    ),
    "case-penalty-text": N_("Say what the penalty is, and only with the outcome penalty."),
    "case-id-out-of-range": N_("That number is out of range: a whole number from 1 is asked."),
}

# The facts a finding records (domain.accountability.findings), as the case page names them.
CASE_FACT = {
    "duty_kind": N_("Kind of duty"),
    "deadline": N_("Deadline"),
    "title": N_("Title"),
    "done_at": N_("Done at"),
    "minutes_late": N_("Minutes late"),
    "warning": N_("Warning"),
    "ack_deadline": N_("Acknowledgement deadline"),
    "acknowledged_at": N_("Acknowledged at"),
    "request": N_("Aid request"),
    "answer_deadline": N_("Answer deadline"),
    "answered_at": N_("Answered at"),
    "commitment": N_("Commitment"),
    "due": N_("Due"),
    "figure": N_("Figure"),
    "before": N_("Before"),
    "after": N_("After"),
    "change": N_("Change"),
    "tolerance": N_("Tolerance"),
}
