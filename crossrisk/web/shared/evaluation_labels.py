"""The texts of assessments and scorecards: refusal sentences (merged into refusal_labels.REFUSAL)
and the names of a standing's verdict and reasons."""

from __future__ import annotations

from crossrisk.domain.evaluation.assessment import AssessmentKind
from crossrisk.domain.evaluation.rewards import Reason, Verdict
from crossrisk.domain.evaluation.scorecard import Basis
from crossrisk.locale import N_

EVALUATION_REFUSAL = {
    "assessment-not-evaluator": N_(
        "Only the region's evaluator, or %(organisation)s itself, files an assessment of "
        "%(organisation)s."
    ),
    "assessment-criterion-unknown": N_("There is no assessment criterion “%(criterion)s”."),
    "assessment-score-out-of-scale": N_(
        "The score of criterion %(criterion)s lies within %(min)s–%(max)s."
    ),
    "assessment-score-invalid": N_("A score is a number, such as 85 or 72.5."),
    "assessment-no-scores": N_("Score at least one criterion."),
    "assessment-member-not-of-region": N_("%(organisation)s is not a member city of %(region)s."),
    "assessment-not-found": N_("There is no assessment %(assessment)s."),
    "evaluation-period-out-of-range": N_(
        "The dates of a period lie within the years %(min)s–%(max)s."
    ),
    "evaluation-period-inverted": N_("The period ends (%(end)s) before it starts (%(start)s)."),
    "scorecard-not-a-member": N_(
        "%(organisation)s is not a member city; only members have scorecards."
    ),
    "scorecard-not-readable": N_("%(organisation)s is a member of no region you read."),
}

KIND = {
    AssessmentKind.THIRD_PARTY: N_("Third-party assessment"),
    AssessmentKind.SELF: N_("Self-assessment"),
}

BASIS = {
    Basis.BOTH: N_("third-party and self-assessments"),
    Basis.THIRD_PARTY: N_("third-party assessments only"),
    Basis.SELF: N_("self-assessments only"),
}

VERDICT = {
    Verdict.REWARD: N_("Reward"),
    Verdict.PENALTY: N_("Penalty"),
    Verdict.NONE: N_("Neither"),
}

REASON = {
    Reason.TOP_SCORE: N_("a top score with a third-party assessment and no upheld case"),
    Reason.UPHELD_CASES: N_("an upheld accountability case in the period"),
    Reason.LOW_SCORE: N_("a score below the penalty threshold"),
    Reason.NOT_ASSESSED: N_("not assessed in the period"),
    Reason.SELF_ONLY: N_("assessed by itself only: no reward without a third-party assessment"),
}
