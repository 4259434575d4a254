"""The refusal sentences of the committee's standing work: agreements, contingency plans,
meetings and the annual plan, merged into refusal_labels.REFUSAL."""

from __future__ import annotations

from crossrisk.locale import N_

COMMITTEE_REFUSAL = {
    # The region's state (issue 14).
    "region-state-not-committee": N_(
        "Only an officer of the region's coordination body may switch its state."
    ),
    "region-state-unknown": N_("“%(value)s” is not a region state: choose normal or emergency."),
    "region-state-unchanged": N_("The region is already in this state."),
    # Contingency plans (issue 12).
    "plan-invalid": N_("The plan file has problems; each is listed with its line below."),
    "plan-not-found": N_("There is no plan %(plan)s."),
    "plan-other-region": N_(
        "Plan %(plan)s belongs to another region; choose a plan of %(region)s or the default."
    ),
    "plan-risk-closed": N_("Risk %(risk)s is closed; its plan can no longer change."),
    # The committee's annual plan and cooperation items (issue 12).
    "annual-year-out-of-range": N_("The year of a plan lies within %(min)s–%(max)s."),
    "annual-due-outside-year": N_(
        "The due day %(due)s lies outside the year %(year)s of the item."
    ),
    "annual-kind-unknown": N_(
        "Choose the kind of item: an annual plan item or a cooperation item."
    ),
    "annual-serves-kind-unknown": N_(
        "An item serves an agreement or a plan; choose one, or neither."
    ),
    "annual-serves-id-invalid": N_(
        "Give the number of the agreement or plan the item serves, a whole number from 1."
    ),
    "annual-serves-not-found": N_(
        "The region has no agreement or plan with this number for the item to serve."
    ),
    "annual-status-unknown": N_("There is no such status of an item."),
    "annual-status-step": N_("The item cannot take this step in its present status."),
    "annual-item-closed": N_("The item is done or cancelled already and cannot be changed."),
    "annual-year-fixed": N_(
        "An item stays in its year %(year)s; cancel it and set a new one instead."
    ),
    "annual-defer-earlier": N_("Defer an item to a day later than its present due day, %(due)s."),
    "annual-defer-too-far": N_(
        "An item of %(year)s can be deferred to the end of %(latest)s at the latest."
    ),
    "annual-owner-not-in-region": N_(
        "%(organisation)s is not an organisation of "
        "%(region)s; choose a member's bureau or a body of the region."
    ),
    "annual-item-not-found": N_(
        "This annual item does not exist, or your account may not read it."
    ),
    "annual-step-not-permitted": N_(
        "Your account may not take this step: the owner's officers mark "
        "progress and completion, the committee also edits, defers and cancels."
    ),
    # Governance agreements (issue 12).
    "agreement-not-found": N_("Agreement %(agreement)s does not exist."),
    "agreement-not-signing": N_("Only an agreement awaiting signatures is signed."),
    "agreement-not-a-party": N_(
        "%(organisation)s is not a party to this agreement and does not sign it."
    ),
    "agreement-signed-already": N_("%(organisation)s has signed this agreement already."),
    "agreement-sign-viewer": N_(
        "Only an officer signs for %(organisation)s; a viewer's account reads the agreement."
    ),
    "agreement-draft-not-permitted": N_(
        "Only the region's coordination body drafts and amends its agreements."
    ),
    "agreement-no-coordinator": N_("The region has no coordination body to sign as coordinator."),
    "agreement-no-parties": N_("Choose at least one party: an agreement binds member cities."),
    "agreement-too-many": N_("An agreement has at most %(limit)s parties or obligations."),
    "agreement-party-not-member": N_(
        "%(organisation)s is not a member of the region and cannot be a party."
    ),
    "agreement-no-obligations": N_("Fill in at least one obligation."),
    "agreement-obligation-party": N_(
        "Obligation %(line)s: %(organisation)s is not one of the parties chosen."
    ),
    "agreement-obligation-figure": N_(
        "Obligation %(line)s: the figure is missing or outside %(low)s–%(high)s."
    ),
    "agreement-obligation-item": N_("Obligation %(line)s: choose an item of the catalogue."),
    "agreement-obligation-station": N_(
        "Obligation %(line)s: choose a monitoring station of %(organisation)s."
    ),
    "agreement-obligation-kind": N_("There is no obligation of the kind “%(kind)s”."),
    "agreement-validity-reversed": N_("The validity ends (%(end)s) before it starts (%(start)s)."),
    "agreement-reviewer-unknown": N_("There is no organisation %(reviewer)s to review failures."),
    "agreement-outcomes-missing": N_("Choose the outcomes the accountability review may reach."),
    "agreement-statement-days": N_("The party's statement is due within 1 to %(limit)s days."),
    "agreement-not-in-force": N_("Only an agreement in force is amended."),
    "agreement-amendment-pending": N_("An amendment of this agreement is being signed already."),
    "agreement-compensation-unknown": N_("Choose a compensation rule from the list."),
    "agreement-compensation-invalid": N_(
        "The parameters of the compensation rule were not accepted: %(detail)s."
    ),
    "agreement-penalty-invalid": N_(
        "The penalty is yuan above zero with at most two decimals, and only where a review "
        "may conclude compensation."
    ),
    "agreement-field-invalid": N_("The field “%(field)s” was not accepted."),
    "agreement-figure-not-a-number": N_("“%(value)s” is not a number."),
    "agreement-parameters-invalid": N_(
        'The rule\'s parameters are not a JSON object such as {"share": 1}.'
    ),
    # Coordination meetings (issue 12).
    "meeting-not-found": N_("Meeting %(meeting)s does not exist."),
    "meeting-not-invited": N_("%(organisation)s was not invited to this meeting."),
    "meeting-not-scheduled": N_("Only a scheduled meeting can be cancelled."),
    "meeting-not-held": N_("Record the meeting's minutes before its decisions."),
    "meeting-cancelled": N_("Meeting %(meeting)s was cancelled."),
    "meeting-decisions-too-many": N_("A meeting records at most %(limit)s decisions."),
    "meeting-start-out-of-range": N_(
        "A meeting starts within two years from now, or at most a year ago."
    ),
    "meeting-end-out-of-range": N_("A meeting ends after it starts and within %(days)s days."),
    "meeting-place-missing": N_("Give a place or a video link."),
    "meeting-agenda-size": N_("An agenda has 1 to %(limit)s items."),
    "meeting-invited-size": N_("Invite 1 to %(limit)s organisations."),
    "meeting-video-url-invalid": N_("A video link must be an https:// address."),
    "meeting-risk-other-region": N_("Risk %(risk)s is not a risk of region %(region)s."),
    "meeting-risk-closed": N_("Risk %(risk)s is closed."),
    "meeting-organisation-not-of-region": N_(
        "%(organisation)s is not an organisation of region %(region)s."
    ),
    "meeting-attendance-invalid": N_("Choose present, absent or excused for each organisation."),
    "decision-owner-missing": N_("Choose the organisation that owns the decision."),
    "decision-due-missing": N_("Give the decision's due date."),
    "decision-due-out-of-range": N_(
        "A decision falls due after the meeting starts and within %(days)s days of it."
    ),
}
