"""Trust scores' labels and refusal sentences (issue 15), merged into action_labels.ACTION and
refusal_labels.REFUSAL."""

from __future__ import annotations

from crossrisk.domain.trust.reputation import Aspect, EvidenceKind
from crossrisk.domain.trust.supervision import Verdict
from crossrisk.locale import N_

TRUST_ACTION = {
    "trust.confirmed": N_("Resolution confirmed by the committee"),
    "trust.disputed": N_("Resolution disputed by the committee"),
    "trust.rated": N_("Aid received rated"),
}

EVIDENCE_KIND = {
    EvidenceKind.COMMITMENT_HONOURED: N_("Commitment honoured"),
    EvidenceKind.COMMITMENT_LATE: N_("Commitment honoured late"),
    EvidenceKind.COMMITMENT_PARTIAL: N_("Commitment partly honoured"),
    EvidenceKind.COMMITMENT_BROKEN: N_("Commitment broken"),
    EvidenceKind.DUTY_IN_TIME: N_("Duty done in time"),
    EvidenceKind.DUTY_LATE: N_("Duty done late or not at all"),
    EvidenceKind.ACKNOWLEDGED_IN_TIME: N_("Warning acknowledged in time"),
    EvidenceKind.ACKNOWLEDGEMENT_MISSED: N_("Warning acknowledged late or never"),
    EvidenceKind.PEER_RATING: N_("Rating by a recipient of its aid"),
}

ASPECT = {
    Aspect.COMMITMENTS: N_("Commitments"),
    Aspect.DUTIES: N_("Duties"),
    Aspect.ACKNOWLEDGEMENTS: N_("Acknowledgements"),
    Aspect.PEER_RATINGS: N_("Peer ratings"),
}

VERDICT = {
    Verdict.CONFIRMED: N_("Confirmed"),
    Verdict.DISPUTED: N_("Disputed"),
}

TRUST_REFUSAL = {
    "trust-target-invalid": N_("%(target)s is not a commitment or a duty of the platform."),
    "trust-confirm-changes-kind": N_(
        "A confirmation keeps the resolution the record shows; dispute it to hold it otherwise."
    ),
    "trust-kind-not-of-target": N_("A %(target)s cannot count as %(kind)s."),
    "trust-dispute-same-kind": N_(
        "A dispute must hold the item to be something other than the record shows."
    ),
    "trust-rating-invalid": N_("A rating is 1 to 5, positive or negative; %(score)s is none."),
    "trust-supervise-not-committee": N_(
        "Only an officer of the coordination body of %(region)s confirms or disputes how its "
        "members' commitments and duties were resolved."
    ),
    "trust-nothing-to-supervise": N_(
        "%(target)s is not resolved yet: there is nothing to confirm or dispute."
    ),
    "trust-rating-not-recipient": N_(
        "Only %(recipient)s, which received shipment %(shipment)s, may rate it."
    ),
    "trust-rating-twice": N_("Shipment %(shipment)s has been rated already."),
    "trust-not-a-member": N_("%(organisation)s is not a member of region %(region)s."),
    # `crossrisk recompute --into` refuses a database that already holds tables.
    "recompute-not-fresh": N_(
        "The database to recompute into is not fresh: it holds %(tables)s tables."
    ),
}
