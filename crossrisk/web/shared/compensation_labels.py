"""The cost ledger's, settlements' and the regional fund's labels and refusal sentences,
merged into action_labels.ACTION and refusal_labels.REFUSAL (issue 15)."""

from __future__ import annotations

from crossrisk.domain.compensation.ledger import (
    CostCategory,
    CostKind,
    SettlementRule,
    SettlementState,
)
from crossrisk.locale import N_

COST_CATEGORY = {
    CostCategory.PERSONNEL: N_("Personnel"),
    CostCategory.TRAVEL: N_("Travel"),
    CostCategory.EQUIPMENT: N_("Equipment"),
    CostCategory.COMMODITIES: N_("Commodities"),
    CostCategory.OTHER: N_("Other costs"),
}

COST_KIND = {
    CostKind.OWN_RESPONSE: N_("Own response"),
    CostKind.AID: N_("Aid, reimbursed by the requester"),
}

SETTLEMENT_RULE = {
    SettlementRule.REIMBURSEMENT: N_("Reimbursement of aid costs"),
    SettlementRule.PROPORTIONAL_COST: N_("Proportional to stand-alone cost"),
    SettlementRule.PROPORTIONAL_POPULATION: N_("Proportional to population"),
    SettlementRule.BENEFICIARY_PAYS: N_("Beneficiary pays"),
    SettlementRule.SHAPLEY: N_("Shapley value"),
    SettlementRule.RIVER_LRS: N_("River: local responsibility sharing"),
    SettlementRule.RIVER_UES: N_("River: upstream equal sharing"),
    SettlementRule.XINAN_WATER_QUALITY: N_("Xin'an River water-quality rule"),
}

SETTLEMENT_STATE = {
    SettlementState.PROPOSED: N_("Proposed"),
    SettlementState.APPROVED: N_("Approved"),
    SettlementState.WITHDRAWN: N_("Withdrawn"),
}

COMPENSATION_ACTION = {
    "cost.recorded": N_("Cost recorded"),
    "cost.withdrawn": N_("Cost withdrawn"),
    "cost.loss_estimated": N_("Loss avoided estimated"),
    "cost.evidence_attached": N_("Evidence file attached to a cost"),
    "settlement.proposed": N_("Settlement proposed"),
    "settlement.approved": N_("Settlement approved"),
    "settlement.withdrawn": N_("Settlement withdrawn"),
    "fund.contributed": N_("Contribution to the regional fund"),
    "fund.penalty_paid": N_("Penalty paid into the regional fund"),
    "fund.paid_out": N_("Paid out of the regional fund"),
    "settlement.delivered_in_kind": N_("Delivered in kind on a settlement"),
}

COMPENSATION_REFUSAL = {
    "cost-amount-invalid": N_(
        "The amount %(amount)s is not accepted: give yuan above zero with at most two "
        "decimals, below a trillion."
    ),
    "cost-date-invalid": N_("The date %(date)s is not a plausible date of spending."),
    "cost-evidence-missing": N_("The evidence (or the reason) must be written."),
    "cost-aid-without-requester": N_("An aid cost names the requesting city that reimburses it."),
    "cost-aid-self": N_("A city cannot reimburse its own aid."),
    "cost-aid-request-other-risk": N_("Aid request %(request)s is not one of risk %(risk)s."),
    "cost-not-permitted": N_("Only an officer of %(party)s or the committee records its costs."),
    "cost-party-unknown": N_("%(party)s is not a member of the risk's region."),
    "cost-choice-invalid": N_("The %(what)s must be one of: %(allowed)s."),
    "cost-unknown": N_("There is no cost line %(line)s."),
    "cost-withdrawn-already": N_("Cost line %(line)s is withdrawn already."),
    "cost-evidence-too-large": N_("The file is larger than the limit of %(limit)s bytes."),
    "cost-evidence-too-many": N_("A cost line holds at most %(limit)s evidence files."),
    "cost-evidence-type-not-allowed": N_(
        "The file is none of PDF, PNG, JPEG, XLSX, DOCX, OFD or plain text."
    ),
    "cost-evidence-type-mismatch": N_(
        "The file is declared %(declared)s but its contents are %(found)s."
    ),
    "cost-evidence-name-invalid": N_(
        "The file name must be a bare name of at most %(limit)s characters, without folders "
        "or control characters."
    ),
    "cost-evidence-empty": N_("The file is empty."),
    "cost-evidence-no-file": N_("Choose a file to attach."),
    "cost-evidence-line-withdrawn": N_("Cost line %(line)s is withdrawn: it takes no more files."),
    "cost-evidence-unknown": N_("Cost line %(line)s has no file %(file)s."),
    "settlement-rule-unknown": N_("There is no settlement rule %(rule)s."),
    "settlement-river-order": N_(
        "A river rule needs every party once, from upstream to downstream: %(parties)s."
    ),
    "settlement-basis-missing": N_("No loss-avoided estimate was entered for %(party)s."),
    "settlement-population-missing": N_("The population of %(party)s is not known."),
    "settlement-no-costs": N_("The risk has no cost lines to settle."),
    "settlement-no-aid-costs": N_("The risk has no aid costs for a requester to reimburse."),
    "settlement-not-permitted": N_(
        "Only the committee or a party to the costs of risk %(risk)s proposes or withdraws "
        "its statements."
    ),
    "settlement-risk-open": N_("Risk %(risk)s is still open: close it before settling its costs."),
    "settlement-approve-not-committee": N_(
        "Only the region's committee approves a settlement statement."
    ),
    "settlement-already-approved": N_(
        "Risk %(risk)s is settled already by statement %(settlement)s."
    ),
    "settlement-not-proposed": N_("Statement %(settlement)s is no longer a proposal."),
    "settlement-unknown": N_("There is no settlement statement %(settlement)s."),
    "settlement-rule-not-for-risk": N_(
        "The water-quality rule settles a border section's period, not a risk's costs."
    ),
    "settlement-period-already-approved": N_(
        "The period %(period)s is settled already by statement %(settlement)s."
    ),
    "water-quality-not-permitted": N_(
        "Only the committee or a party to agreement %(agreement)s proposes its water-quality "
        "statement."
    ),
    "water-quality-agreement-not-in-force": N_("Agreement %(agreement)s is not in force."),
    "water-quality-rule-missing": N_(
        "Agreement %(agreement)s settles by another rule (%(rule)s), not by water quality."
    ),
    "water-quality-station-off-border": N_(
        "Station %(station)s lies in %(jurisdiction)s, on neither party's side of the border "
        "section."
    ),
    "water-quality-station-not-section": N_(
        "Station %(station)s measures %(variable)s, none of the agreement's indicators."
    ),
    "water-quality-no-readings": N_(
        "No reading of %(indicator)s at station %(station)s in the period %(period)s."
    ),
    "water-quality-party-invalid": N_(
        "%(party)s cannot be the upstream or downstream party of agreement %(agreement)s: name "
        "two different parties of it."
    ),
    "water-quality-period-invalid": N_(
        "Give a year, or a first and last day in order, within 1990–2200 and at most three "
        "years apart."
    ),
    "water-quality-round-invalid": N_("A round is named by 1 to %(max)s printable characters."),
    "fund-contributor-invalid": N_("%(contributor)s is neither a province nor the central office."),
    "fund-case-not-penalty": N_("Case %(case)s was not decided with a penalty."),
    "fund-penalty-charged": N_("The penalty of case %(case)s is paid in already."),
    "fund-overdrawn": N_("The regional fund of %(region)s does not hold that much."),
    "fund-not-committee": N_("Only the committee of %(region)s keeps its fund."),
    "settlement-drill-unpaid": N_(
        "Statement %(settlement)s settles a drill's costs: it is shown, never paid, in money "
        "or in kind."
    ),
    "fund-payout-not-approved": N_(
        "Statement %(settlement)s is not an approved statement of %(region)s: the fund pays "
        "only what an approved statement has a party due."
    ),
    "fund-payout-beyond-due": N_(
        "Statement %(settlement)s leaves %(payee)s due %(due)s yuan at most."
    ),
    "fund-penalty-amount-missing": N_(
        "The agreement of case %(case)s provides no amount: state the penalty."
    ),
    "fund-penalty-reason-missing": N_(
        "The agreement provides a penalty of %(provided)s yuan: give the reason for another amount."
    ),
    "in-kind-not-approved": N_(
        "Statement %(settlement)s is not approved: deliveries in kind settle approved "
        "statements only."
    ),
    "in-kind-party-invalid": N_(
        "%(provider)s owes %(recipient)s nothing under statement %(settlement)s."
    ),
    "in-kind-beyond-due": N_(
        "The deliveries in kind would pass the %(owed)s yuan owed under statement %(settlement)s."
    ),
    "in-kind-quantity-invalid": N_("The quantity must be a whole number above zero."),
    "in-kind-not-committee": N_("Only the region's committee records deliveries in kind."),
}
