"""The responsibility list's labels: situations, party roles, duties and their states, why
a risk is escalated, and the refusal sentences of duties and reports (merged into
refusal_labels.REFUSAL)."""

from __future__ import annotations

from crossrisk.domain.duty import ShownStatus
from crossrisk.domain.responsibility import PartyRole
from crossrisk.domain.situation import Situation
from crossrisk.locale import N_
from crossrisk.services.duty_reminders import DUTY_NAMES

# The three cross-border situations of §3.3, and the local case, by their Chinese names.
SITUATION = {
    Situation.SPANNING: N_("Spanning source (跨域致灾)"),
    Situation.SPILLOVER: N_("Spillover (溢出)"),
    Situation.REMOTE: N_("Remote exposure (异地)"),
    Situation.LOCAL: N_("Local (属地管理)"),
}

# 发生地为主、波及地为辅: who carries which part of the responsibility list.
PARTY_ROLE = {
    PartyRole.LEAD: N_("Lead"),
    PartyRole.ASSIST: N_("Assist"),
    PartyRole.COORDINATE: N_("Coordinate"),
    PartyRole.FOLLOW: N_("Follow"),
    PartyRole.COMMAND: N_("Command"),
}

# A duty's kind as its reminders name it.
DUTY = DUTY_NAMES

# What became of a duty, read against the clock (crossrisk.domain.duty.ShownStatus).
DUTY_STATUS = {
    ShownStatus.OPEN: N_("Open"),
    ShownStatus.LATE: N_("Late"),
    ShownStatus.DONE: N_("Done"),
    ShownStatus.DONE_LATE: N_("Done late"),
    ShownStatus.WAIVED: N_("Waived by the committee"),
    ShownStatus.CANCELLED: N_("No longer required"),
}

# Why a risk goes to the central office (crossrisk.domain.responsibility.escalation).
ESCALATION = {
    "level-I": N_("The event level is I (extremely serious)."),
    "beyond-region": N_("The hazard reaches beyond the member cities of the region."),
    "region-lacks": N_("The region as a whole lacks relief items its shortfall needs."),
}

DUTY_REFUSAL = {
    "duty-not-open": N_("This duty is no longer open: it was done, waived or dropped already."),
    "duty-waive-not-permitted": N_(
        "Only the coordination body of the region or the central office may waive a duty."
    ),
    "duty-not-self-acknowledged": N_(
        "This duty is done by its own action (a report, an acknowledgement of the warning or "
        "the confirmation of the list), not by confirming it here."
    ),
    "duty-not-party": N_("Only an officer of %(organisation)s may confirm this duty."),
    "duty-not-found": N_("Duty %(duty)s does not exist."),
    "duty-status-unknown": N_("There is no duty status %(status)s."),
    "report-not-origin": N_("Only an officer of an origin city of risk %(risk)s may report on it."),
    "report-risk-closed": N_("Risk %(risk)s is closed; reopen it before reporting on it."),
    "report-figure-invalid": N_("The figure %(figure)s needs a name and a finite number."),
}
