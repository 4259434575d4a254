"""The texts of after-action reviews: refusal sentences (merged into refusal_labels.REFUSAL), the
rating scale and the metrics' names."""

from __future__ import annotations

from crossrisk.locale import N_

REVIEW_REFUSAL = {
    "review-capability-unknown": N_("There is no capability “%(capability)s” to rate."),
    "review-rating-invalid": N_("“%(rating)s” is not a rating: rate a capability P, S, M or U."),
    "review-rate-not-evaluator": N_(
        "Only an officer of the third-party evaluator of %(region)s rates capabilities."
    ),
    "review-action-no-owner": N_(
        "A corrective action needs the organisation responsible for carrying it out."
    ),
    "review-action-due-out-of-range": N_(
        "A corrective action falls due after now and within %(days)s days."
    ),
    "review-action-not-permitted": N_(
        "Only the coordination body of %(region)s adds corrective actions."
    ),
    "review-action-owner-not-of-region": N_(
        "%(organisation)s is not an organisation of %(region)s and cannot own a corrective action."
    ),
    "review-action-not-found": N_(
        "The review of risk %(risk)s has no corrective action %(action)s."
    ),
    "review-not-found": N_("After-action review %(review)s does not exist."),
    "evaluation-risks-count": N_("Metrics are computed for 1 to %(limit)s risks."),
}

RATING = {
    "P": N_("P: performed without challenges"),
    "S": N_("S: performed with some challenges"),
    "M": N_("M: performed with major challenges"),
    "U": N_("U: unable to be performed"),
}

METRIC = {
    "report_latency": N_("Report latency"),
    "report_deadline": N_("Report deadline"),
    "report_on_time": N_("Report on time"),
    "warning_lead_time": N_("Warning lead time"),
    "warning_lead_time_min": N_("Shortest warning lead time"),
    "ack_latency": N_("Acknowledgement latency"),
    "ack_in_time_share": N_("Warnings acknowledged in time"),
    "duties_in_time_share": N_("Duties done in time"),
    "duties_counted": N_("Duties counted"),
    "party_duties_in_time_share": N_("Its duties done in time"),
    "plan_activation_latency": N_("Plan activation latency"),
    "plan_tasks_in_time_share": N_("Plan tasks done in time"),
    "obligations_kept_share": N_("Agreement obligations kept"),
    "aid_fill_rate": N_("Aid fill rate"),
    "aid_on_time_share": N_("Aid commitments on time"),
    "party_aid_on_time_share": N_("Its aid commitments on time"),
    "escalation_latency": N_("Escalation latency"),
}

ASPECT = {
    "plans_agreements": N_("Plans and agreements effective"),
    "timeliness": N_("Work timely"),
    "resources_information": N_("Resources and information sufficient"),
    "party_duties": N_("Cooperation and duties kept"),
}
