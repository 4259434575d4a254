"""Display names of domain values, as message ids for the catalogs."""

from __future__ import annotations

from crossrisk.domain.delivery import ChannelKind, DeliveryStatus, Purpose
from crossrisk.domain.duty import ShownStatus
from crossrisk.domain.reach import Pathway, PopulationBasis
from crossrisk.domain.responsibility import DutyKind, PartyRole
from crossrisk.domain.risk import EventLevel, RiskCategory, RiskStatus
from crossrisk.domain.situation import Situation
from crossrisk.domain.warning import WarningStatus
from crossrisk.domain.warning_plan import MessageType
from crossrisk.web.shared.aid_labels import AID_REFUSAL
from crossrisk.web.shared.case_labels import CASE_ACTION, CASE_REFUSAL
from crossrisk.web.shared.committee_labels import COMMITTEE_REFUSAL
from crossrisk.web.shared.compensation_labels import COMPENSATION_ACTION, COMPENSATION_REFUSAL
from crossrisk.web.shared.drill_labels import DRILL_REFUSAL
from crossrisk.web.shared.evaluation_labels import EVALUATION_REFUSAL
from crossrisk.web.shared.review_labels import REVIEW_REFUSAL
from crossrisk.web.shared.trust_labels import TRUST_ACTION, TRUST_REFUSAL


def N_(message: str) -> str:
    """Mark a message for extraction; it is translated later, when a page is rendered."""
    return message


CATEGORY = {
    RiskCategory.NATURAL_DISASTER: N_("Natural disaster"),
    RiskCategory.ACCIDENT_DISASTER: N_("Accident disaster"),
    RiskCategory.PUBLIC_HEALTH: N_("Public health event"),
    RiskCategory.SOCIAL_SECURITY: N_("Social security event"),
    # Not one of the four legal categories (Emergency Response Law 2024, Art. 2): the
    # platform's local extension, and said so wherever categories are listed.
    RiskCategory.EMERGING_TECHNOLOGY: N_("Emerging technology risk (local extension)"),
}

STATUS = {
    RiskStatus.IDENTIFIED: N_("Identified"),
    RiskStatus.ASSESSED: N_("Assessed"),
    RiskStatus.TREATING: N_("Treating"),
    RiskStatus.MONITORING: N_("Monitoring"),
    RiskStatus.CLOSED: N_("Closed"),
}

# The four grades of the Emergency Response Law (突发事件应对法), I the most severe.
LEVEL = {
    EventLevel.I: N_("I Extremely serious"),
    EventLevel.II: N_("II Serious"),
    EventLevel.III: N_("III Relatively serious"),
    EventLevel.IV: N_("IV General"),
}

# The 5×5 matrix's scales, worded as in GB/T 27921 (风险管理 风险评估技术).
LIKELIHOOD = {
    1: N_("1 Rare"),
    2: N_("2 Unlikely"),
    3: N_("3 Possible"),
    4: N_("4 Likely"),
    5: N_("5 Almost certain"),
}

CONSEQUENCE = {
    1: N_("1 Negligible"),
    2: N_("2 Minor"),
    3: N_("3 Moderate"),
    4: N_("4 Major"),
    5: N_("5 Catastrophic"),
}

ACTION = {
    **CASE_ACTION,
    **TRUST_ACTION,
    **COMPENSATION_ACTION,
    # Drills (issue 14): a drill's own entries; its risks' entries are named as real ones.
    "drill.started": N_("Drill started"),
    "drill.observed": N_("Drill reading"),
    "drill.ended": N_("Drill ended"),
    "drill.failed": N_("Drill failed"),
    "stocks.imported": N_("Stocks imported from a sheet"),
    "risk.registered": N_("Registered"),
    "risk.changed": N_("Changed"),
    "risk.transitioned": N_("Status changed"),
    "risk.analysed": N_("Reach analysed"),
    "risk.escalated": N_("Escalated to the central office"),
    "risk.lead_assigned": N_("Lead assigned"),
    "responsibility.confirmed": N_("Responsibility list confirmed"),
    "plan.imported": N_("Contingency plan imported"),
    "plan.activated": N_("Contingency plan activated"),
    "agreement.drafted": N_("Agreement drafted"),
    "agreement.signed": N_("Agreement signed"),
    "agreement.in_force": N_("Agreement in force"),
    "agreement.amended": N_("Agreement amended"),
    "agreement.superseded": N_("Agreement superseded"),
    "agreement.obligation_kept": N_("Agreement obligation kept"),
    "agreement.obligation_unmet": N_("Agreement obligation unmet"),
    "meeting.convened": N_("Coordination meeting convened"),
    "meeting.attendance_recorded": N_("Meeting attendance recorded"),
    "meeting.minutes_recorded": N_("Meeting minutes recorded"),
    "meeting.decision_recorded": N_("Meeting decision recorded"),
    "meeting.cancelled": N_("Meeting cancelled"),
    "annual_item.added": N_("Annual plan item added"),
    "annual_item.edited": N_("Annual plan item edited"),
    "annual_item.status_changed": N_("Annual plan item status changed"),
    "assessment.filed": N_("Assessment filed"),
    # A risk's history holds its warnings' entries too (deliveries, acknowledgements).
    "warning.issued": N_("Warning issued"),
    "warning.updated": N_("Warning updated"),
    "warning.cancelled": N_("Warning cancelled"),
    "warning.delivered": N_("Warning delivered"),
    "warning.acknowledged": N_("Warning acknowledged"),
    "warning.unacknowledged": N_("Not acknowledged in time"),
    "warning.reminded": N_("Reminder sent"),
    "warning.escalated": N_("Missing acknowledgement escalated"),
    "warning.expired": N_("Warning expired"),
    "delivery.given_up": N_("Delivery given up"),
    "cap.received": N_("CAP alert received"),
    "station.fired": N_("Station rule fired"),
    "duty.assigned": N_("Duty assigned"),
    "duty.rescheduled": N_("Duty deadline moved"),
    "duty.done": N_("Duty done"),
    "review.begun": N_("After-action review begun"),
    "review.rated": N_("Capability rated"),
    "review.corrective_action_added": N_("Corrective action added"),
    "duty.waived": N_("Duty waived"),
    "duty.cancelled": N_("Duty no longer required"),
    "duty.reminded": N_("Duty reminded"),
    "risk.reported": N_("Report filed"),
    "demand_factors.changed": N_("Demand factors changed"),
    # What the platform's own set-up and the organisations' settings journal.
    "cap_feed.added": N_("CAP feed added"),
    "cap_feed.removed": N_("CAP feed removed"),
    "cap_sender.added": N_("CAP sender registered"),
    "cap_sender.allowed": N_("CAP sender allowed"),
    "cap_sender.removed": N_("CAP sender removed"),
    "channel.added": N_("Channel added"),
    "channel.disabled": N_("Channel disabled"),
    "channel.enabled": N_("Channel enabled"),
    "channel.removed": N_("Channel removed"),
    "channel.tested": N_("Channel tested"),
    "duty.acknowledged": N_("Duty acknowledged"),
    "journal.checkpoint_issued": N_("Journal checkpoint issued"),
    "observations.stored": N_("Observations stored"),
    "region.loaded": N_("Region loaded"),
    "risk.withdrawn": N_("Risk withdrawn"),
    "station.added": N_("Station added"),
    "station.changed": N_("Station changed"),
    "station.firing_failed": N_("Station firing given up"),
    "user.added": N_("User added"),
    "user.disabled": N_("User disabled"),
    "user.enabled": N_("User re-enabled"),
    "user.password_changed": N_("Password changed"),
    "user.renamed": N_("Display name changed"),
    "user.revoked": N_("Sessions and tokens revoked"),
    "warning.copied": N_("Copied to the province"),
    # Mutual aid: requests, offers, commitments and shipments.
    "aid_request.drafted": N_("Aid request drafted"),
    "aid_request.edited": N_("Aid request edited"),
    "aid_request.submitted": N_("Aid request submitted"),
    "aid_request.approved": N_("Aid request approved"),
    "aid_request.cancelled": N_("Aid request cancelled"),
    "aid_request.closed": N_("Aid request closed"),
    "aid_offer.made": N_("Aid offered"),
    "aid_offer.withdrawn": N_("Aid offer withdrawn"),
    "aid_offer.accepted": N_("Aid offer accepted"),
    "commitment.made": N_("Commitment made"),
    "commitment.cancelled": N_("Commitment withdrawn by the donor"),
    "shipment.dispatched": N_("Shipment dispatched"),
    "shipment.in_transit": N_("Shipment in transit"),
    "shipment.received": N_("Shipment received"),
    "allocation.proposed": N_("Allocation proposed"),
    "allocation.approved": N_("Allocation approved"),
    "allocation.discarded": N_("Allocation discarded"),
    # Mutual aid: emergency stocks and their ledger.
    "stock.added": N_("Stock recorded"),
    "stock.adjusted": N_("Stock adjusted"),
    "stock.confirmed": N_("Stock figure confirmed"),
    "stock.changed": N_("Stock changed"),
    # Base information: teams, equipment and shelters (issue 11).
    "team.recorded": N_("Team recorded"),
    "team.changed": N_("Team changed"),
    "team.confirmed": N_("Team confirmed unchanged"),
    "equipment.recorded": N_("Equipment recorded"),
    "equipment.changed": N_("Equipment changed"),
    "equipment.confirmed": N_("Equipment confirmed unchanged"),
    "shelter.recorded": N_("Shelter recorded"),
    "shelter.changed": N_("Shelter changed"),
    "shelter.confirmed": N_("Shelter confirmed unchanged"),
    "shelter.opened": N_("Shelter opened"),
    "shelter.closed": N_("Shelter closed"),
    "shelter.availability_set": N_("Shelter's free places updated"),
    "teams.imported": N_("Teams imported from a sheet"),
    "equipment.imported": N_("Equipment imported from a sheet"),
    "shelters.imported": N_("Shelters imported from a sheet"),
}

RISK_FIELD = {
    # Fields of teams, equipment and shelters that refusals name (issue 11).
    "name": N_("Name"),
    "contact": N_("Contact"),
    "site": N_("Site"),
    "headcount": N_("Headcount"),
    "readiness_hours": N_("Readiness time"),
    "capabilities": N_("Capabilities"),
    "quantity": N_("Units"),
    "capability": N_("Capability of one unit"),
    "capacity": N_("Capacity"),
    "available": N_("Free places"),
    "type": N_("Type"),
    "lon": N_("Longitude"),
    "lat": N_("Latitude"),
    "title": N_("Title"),
    "description": N_("Description"),
    "hazard_geometry": N_("Hazard source"),
    "origins": N_("Origin jurisdictions"),
    "likelihood": N_("Likelihood"),
    "consequence": N_("Consequence"),
    "level": N_("Event level"),
    "status": N_("Status"),
    "hazard_type": N_("Hazard type"),
    "parameters": N_("Model parameters"),
    "reason": N_("Reason"),
    "display_name": N_("Display name"),
    "warehouse": N_("Warehouse"),
    "note": N_("Note"),
}

# Headline of a refusal by its kind (the `code` of crossrisk.domain.errors).
ERROR_HEADLINE = {
    "invalid-input": N_("The input was not accepted"),
    "not-permitted": N_("Not permitted"),
    "not-authenticated": N_("Please log in"),
    "not-found": N_("Not found"),
    "invalid-transition": N_("This status change is not allowed"),
    "conflict": N_("Someone else changed this record meanwhile"),
    "too-many-requests": N_("Too many attempts"),
    "busy": N_("The platform is busy"),
    "error": N_("The request failed"),
}

# A refusal without a sentence of its own, by its kind: said in the page's language rather
# than in the English the API answers with.
GENERIC_REFUSAL = {
    "invalid-input": N_("The input was not accepted. Check the form and try again."),
    "not-permitted": N_("Your account may not do this."),
    "not-authenticated": N_("Your session has ended. Please log in again."),
    "not-found": N_("What you asked for does not exist, or your account may not read it."),
    "invalid-transition": N_("This step is not possible in the record's present state."),
    "conflict": N_("Someone else changed this record meanwhile. Reload the page and try again."),
    "payload-too-large": N_("What was sent is too large."),
    "unsupported-media-type": N_("The platform cannot read what was sent."),
    "too-many-requests": N_("Too many attempts. Wait a moment and try again."),
    "busy": N_("The platform is busy. Try again shortly."),
    "error": N_("The request could not be carried out."),
}

# A refusal a page can show, as a whole sentence by the error's `key`, filled from its
# params. Codes among the params (organisation, region, origins, lead) are named in the
# page's language from the directory; `field` and the statuses are translated labels.
# Mutual aid's sentences are in aid_labels.AID_REFUSAL, the committee's standing work's in
# committee_labels.COMMITTEE_REFUSAL, assessments' and scorecards' in
# evaluation_labels.EVALUATION_REFUSAL.
REFUSAL = {
    **AID_REFUSAL,
    **COMMITTEE_REFUSAL,
    **EVALUATION_REFUSAL,
    **REVIEW_REFUSAL,
    **CASE_REFUSAL,
    **DRILL_REFUSAL,
    **TRUST_REFUSAL,
    **COMPENSATION_REFUSAL,
    "risk-change-not-permitted": N_(
        "%(organisation)s may not change a risk whose origin is %(origins)s: only the origin "
        "city, the region's coordination body and the central office change it."
    ),
    "risk-not-readable": N_("%(organisation)s may not read risk %(risk)s."),
    "region-not-readable": N_("%(organisation)s may not read the records of %(region)s."),
    "risk-unknown": N_("Risk %(risk)s does not exist."),
    "unknown-substance": N_("There is no substance “%(text)s”; known substances: %(known)s."),
    "risk-version-stale": N_(
        "Risk %(risk)s was changed meanwhile (now version %(version)s, the form showed "
        "version %(expected)s). Reload the page and try again."
    ),
    "risk-changed-meanwhile": N_(
        "Risk %(risk)s was changed meanwhile. Reload the page and try again."
    ),
    "risk-transition-invalid": N_(
        "A risk that is “%(from_status)s” cannot become “%(to_status)s”."
    ),
    "risk-closed-already": N_("The risk is closed already."),
    "risk-closed": N_("A closed risk cannot be changed; reopen it first."),
    "risk-unchanged": N_("The change names nothing to change."),
    "risk-not-analysed": N_("Risk %(risk)s has not been analysed yet."),
    "analysis-unknown": N_("Risk %(risk)s has no analysis version %(version)s."),
    "analysis-confirmed-meanwhile": N_(
        "Version %(version)s was confirmed meanwhile; reload the page."
    ),
    "lead-not-origin": N_(
        "The lead must be one of the origin jurisdictions (%(origins)s), not %(lead)s."
    ),
    "warning-risk-closed": N_("The risk is closed; reopen it before warning anyone."),
    "scale-invalid": N_("Choose %(field)s from 1 to 5."),
    "text-empty": N_("%(field)s must not be empty."),
    "text-too-long": N_("%(field)s is %(length)d characters long; the limit is %(limit)d."),
    "text-control": N_("%(field)s holds control characters; type it again without them."),
    "text-nul": N_("The text holds a NUL character, which no text may hold."),
    # The CAP sender registry (crossrisk.services.cap_senders) and its page.
    "cap-token-invalid": N_(
        "A CAP identifier must not be empty, and must hold no spaces, commas, “<” or “&”."
    ),
    "cap-sender-invalid": N_(
        "A CAP sender id is at most 53 characters; its name is 1 to 200 characters."
    ),
    "cap-sender-is-own": N_(
        "%(sender)s is the own sender id of %(organisation)s; it cannot be registered for "
        "anyone else."
    ),
    "cap-sender-exists": N_("CAP sender %(sender)s is registered already."),
    "cap-sender-not-found": N_("No CAP sender of that id is registered in your regions."),
    "cap-sender-allow-whom": N_("Name either an organisation or a feed to allow."),
    "cap-sender-certificate-missing": N_(
        "A sender can require signatures only with a certificate to check them against."
    ),
    "cap-certificate-invalid": N_(
        "The certificate is not a PEM X.509 certificate (a text file that begins with "
        "“-----BEGIN CERTIFICATE-----”)."
    ),
    "cap-senders-not-permitted": N_(
        "Only the region's coordination body or the platform operator registers its CAP "
        "senders and feeds."
    ),
    "cap-feed-url-invalid": N_(
        "A CAP feed's address is an http or https URL of at most 2000 characters."
    ),
    "cap-feed-invalid": N_("A CAP feed's name is 1 to 200 characters."),
    "cap-feed-not-found": N_("That CAP feed does not exist."),
    "cap-feed-other-region": N_("A feed may deliver only the senders of its own region."),
    "geometry-too-many-vertices": N_(
        "The hazard source has %(count)s vertices; the limit is %(limit)s."
    ),
    "geometry-too-deep": N_("The hazard source nests its coordinates deeper than any geometry."),
    "muskingum-unstable": N_(
        "The river model's parameters are unstable: the time step must lie between 2KX and "
        "2K(1−X). Change the travel time K, the weighting X or the time step."
    ),
    "login-throttled": N_("Too many failed logins. Try again in %(seconds)s seconds."),
    "login-busy": N_("Many logins are being checked at once. Try again in %(seconds)s seconds."),
    "hazard-outside-region": N_(
        "The hazard source lies (partly) outside the member cities of the region."
    ),
    "hazard-in-no-jurisdiction": N_("The hazard source lies in no member city of the region."),
    "hazard-empty": N_("The hazard source is empty."),
    "hazard-not-geojson": N_("The hazard source must be a GeoJSON geometry object."),
    "river-too-far": N_(
        "The nearest river (%(river)s) is %(distance_km)s km away; the river model needs "
        "a source within %(tolerance_km)s km of a river."
    ),
    "river-needs-point": N_("The river model needs a point source on the river."),
    "no-river-network": N_("Region %(region)s has no river network; choose another hazard type."),
    "no-river-hydraulics": N_(
        "The river network has no flow data for %(river)s; the river models need each "
        "reach's discharge, width, depth and velocity."
    ),
    "spill-mass-and-rate": N_(
        "Give the spill's mass or its release rate over a duration, not both."
    ),
    "spill-rate-without-duration": N_(
        "A release rate needs the duration of the release (more than 0 hours)."
    ),
    "release-longer-than-horizon": N_(
        "The release lasts %(release)s h, longer than the %(horizon)s h followed "
        "downstream; lengthen the hours followed."
    ),
    "analysis-outdated": N_(
        "Version %(version)s is no longer the newest analysis (now %(newest)s); reload the page."
    ),
    "analysis-confirmed": N_("Version %(version)s was confirmed already by %(by)s."),
    "csrf-stale": N_(
        "The form's security token is missing or stale. Reload the page and try again."
    ),
    "not-coordinator": N_("Only the region's coordination body or the central office may do this."),
    "warning-not-permitted": N_(
        "Only the lead city, the coordination body and the central office may issue or lift "
        "warnings of this risk."
    ),
    "warning-ack-not-recipient": N_(
        "Only an officer of the recipient (%(organisation)s) may acknowledge this warning."
    ),
    "warning-not-awaiting-ack": N_(
        "This warning no longer awaits acknowledgement; nothing was changed."
    ),
    "warning-recipient-unknown": N_("%(code)s is not a member city of the region."),
    "warning-recipient-self": N_("A city does not warn itself."),
    "warning-not-live": N_(
        "This warning is no longer the current message of its thread; reload the page."
    ),
    "ack-link-invalid": N_(
        "This acknowledgement link is not valid. Open the warning on the platform instead."
    ),
    "warning-level-unknown": N_(
        "Unknown warning level %(value)s; choose 1 red, 2 orange, 3 yellow or 4 blue."
    ),
    "warning-unknown": N_("Warning %(id)s does not exist."),
    "cursor-malformed": N_("This page link is no longer valid; start again from the first page."),
    "filter-value-unknown": N_("A filter holds a value the lists do not offer; choose from them."),
    "date-invalid": N_("Give dates as year-month-day, for example 2026-07-01."),
    "period-reversed": N_("The period ends before it starts; swap the two dates."),
    "limit-out-of-range": N_("Show from 1 to %(limit)s rows a page."),
    "search-too-long": N_("The search text is %(length)s characters long; the limit is %(limit)s."),
    "export-format-unknown": N_("The platform exports as CSV or Excel (.xlsx) only."),
    "national-id-invalid": N_(
        "%(value)s is not a national warning identifier (ZZZZZZDDDUUUXX_YYYYMMDDhhmmss)."
    ),
    "national-id-part": N_("The %(part)s of a national warning identifier cannot be %(value)s."),
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
    "users-not-permitted": N_(
        "Your account may not manage the users of %(organisation)s: only its administrators, "
        "its coordination body's administrators and the platform operator do."
    ),
    "user-unknown": N_("There is no user %(username)s."),
    "user-exists": N_("The username %(username)s is taken already; choose another."),
    "username-invalid": N_(
        "A username is 2 to 64 lower-case letters, digits, dots, hyphens or underscores."
    ),
    "user-last-admin": N_(
        "You are the last administrator of %(organisation)s; make another user an "
        "administrator before disabling yourself."
    ),
    "password-current-wrong": N_("The current password is wrong."),
    "role-unknown": N_("Choose a role from the list."),
    "password-too-short": N_("The password must be at least %(min_length)s characters long."),
    "password-repeated": N_("The password is one character repeated; choose another."),
    "password-common": N_("The password is one of the most common passwords; choose another."),
    "channel-not-permitted": N_(
        "Your account may not configure the channels of %(organisation)s: only its officers, "
        "its coordination body and the platform operator do."
    ),
    "channel-not-found": N_("There is no such channel; it may have been removed meanwhile."),
    "channel-exists": N_("This channel exists already (channel %(channel)s)."),
    "channel-kind-unknown": N_("Choose webhook, e-mail or MQTT."),
    "channel-address-invalid": N_(
        "The address %(address)s is not usable for this kind of channel."
    ),
    "channel-address-forbidden": N_(
        "%(host)s leads to a private, local or reserved network address; a webhook must "
        "reach a public address unless the operator allows that network."
    ),
    "channel-secret-too-short": N_(
        "A webhook needs a signing secret of at least %(min)s characters."
    ),
    "channel-secret-invalid": N_(
        "The signing secret is not a Standard Webhooks secret: whsec_ followed by base64, "
        "at most %(max)s characters."
    ),
    "channel-secret-unexpected": N_("Only a webhook takes a signing secret; leave it empty."),
    "channel-topic-not-own": N_(
        "The MQTT topic %(topic)s is not under the organisation's own prefix %(prefix)s/."
    ),
    "region-not-found": N_("There is no region %(region)s that you can read."),
}

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

DUTY = {
    DutyKind.HANDLE_AND_REPORT: N_("Handle first and report"),
    DutyKind.PREPARE_AND_ACKNOWLEDGE: N_("Prepare and acknowledge"),
    DutyKind.CONVENE: N_("Convene and coordinate"),
    DutyKind.FOLLOW_UP: N_("Follow up in its field"),
    DutyKind.TAKE_COMMAND: N_("Take command"),
    DutyKind.TASK: N_("Plan task"),
    DutyKind.ACTION: N_("Meeting action item"),
    DutyKind.ITEM: N_("Annual plan item"),
}

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

PATHWAY = {
    Pathway.OVERLAY: N_("Footprint overlay"),
    Pathway.RIVER: N_("River network, flood wave routed downstream"),
    Pathway.SPILL: N_("River network, substance carried downstream"),
    Pathway.PLUME: N_("Gaussian plume, downwind"),
    Pathway.MOBILITY: N_("Commuting flows, SEIR"),
}

# What a reach's intensity measures on each pathway (crossrisk.domain.reach.INTENSITY_UNIT).
INTENSITY = {
    Pathway.OVERLAY: N_("Share of the city's population exposed"),
    Pathway.RIVER: N_("Peak of the wave above base flow, as a share of the source's"),
    Pathway.SPILL: N_("Peak concentration, times the substance's limit"),
    Pathway.PLUME: N_("Peak ground concentration, times the threshold"),
    Pathway.MOBILITY: N_("Peak infectious persons per 100,000"),
}

# Flood words for a flood on the river pathway; an analysis stored before spills had a
# pathway of their own (SPILL) computed a spill on the river pathway as a share of the
# source's concentration, and still reads so.
INTENSITY_BY_HAZARD = {
    "river_spill": N_("Peak concentration, as a share of the source's"),
    "flood_wave": N_(
        "Peak discharge above base flow, as a share of the flood wave's at the source"
    ),
}

# The propagation models' parameters (crossrisk.domain.propagation.PARAMETERS), named as
# an officer would fill them in.
PARAMETER = {
    "substance": N_("Substance released"),
    "radius_km": N_("Radius around a point source"),
    "buffer_km": N_("Half-width of the corridor along a line source"),
    "snap_tolerance_km": N_("Largest distance from the source to a river"),
    "pulse_hours": N_("Duration of the flood wave at the source"),
    "peak_discharge_m3_s": N_("Peak of the flood wave above base flow at the source"),
    "mass_kg": N_("Mass released"),
    "rate_kg_s": N_("Release rate (instead of a mass)"),
    "release_hours": N_("Duration of the release"),
    "horizon_hours": N_("Hours followed downstream"),
    "limit_basis": N_("Limit that decides whether a city is reached"),
    "source_fraction": N_("Share of the source's concentration that counts as reached"),
    "celerity_m_s": N_("Speed of the front (blank: from the river network)"),
    "muskingum_x": N_("Muskingum weighting factor X (blank: Cunge, from each reach)"),
    "min_peak_fraction": N_("Smallest peak share still listed"),
    "emission_g_s": N_("Emission rate"),
    "wind_speed_m_s": N_("Wind speed"),
    "wind_from_deg": N_("Wind from (degrees clockwise from north)"),
    "stability": N_("Atmospheric stability class (Pasquill–Gifford)"),
    "source_height_m": N_("Height of the release"),
    "terrain": N_("Terrain"),
    "threshold_g_m3": N_("Concentration threshold"),
    "max_distance_km": N_("Largest downwind distance"),
    "r0": N_("Basic reproduction number R0"),
    "incubation_days": N_("Incubation period"),
    "infectious_days": N_("Infectious period"),
    "initial_cases": N_("Initial cases"),
    "threshold_cases": N_("Cases that count as arrival"),
    "days": N_("Days simulated"),
    "trip_rate": N_("Inter-city trips per resident"),
}

# A parameter named in the words of one hazard type, where its general name says less.
PARAMETER_BY_HAZARD = {
    ("flood_wave", "celerity_m_s"): N_(
        "Speed of the flood wave front (blank: from the river network)"
    ),
}

# What an officer must know to fill in a parameter, beyond its range and default.
PARAMETER_HINT = {
    "mass_kg": N_("in kilograms: 1 t = 1,000 kg; blank if not known"),
    "rate_kg_s": N_("with a duration of the release; leave the mass blank"),
    "release_hours": N_("0: all at once"),
    "horizon_hours": N_("at least the duration of the release"),
    "source_fraction": N_("used only for a substance without a limit or an unknown mass"),
    "peak_discharge_m3_s": N_("blank: one mean discharge of the source's river"),
}

# Lakes and reservoirs a river reach entry may lie in (its detail's "lake").
LAKE = {
    "qiandao": N_("Qiandao Lake"),
    "hongze": N_("Hongze Lake"),
    "taihu": N_("Taihu"),
}

UNIT = {
    "km": N_("km"),
    "h": N_("h"),
    "m/s": N_("m/s"),
    "g/s": N_("g/s"),
    "°": N_("°"),
    "m": N_("m"),
    "g/m³": N_("g/m³"),
    "kg": N_("kg"),
    "kg/s": N_("kg/s"),
    "m³/s": N_("m³/s"),
    "mg/L": N_("mg/L"),
    "d": N_("days"),
    "persons": N_("persons"),
    "trips/person/day": N_("trips per person per day"),
}

# Choices of the parameters that take one: stability classes A (very unstable) to F (stable).
CHOICE = {
    ("stability", "A"): N_("A Very unstable"),
    ("stability", "B"): N_("B Unstable"),
    ("stability", "C"): N_("C Slightly unstable"),
    ("stability", "D"): N_("D Neutral"),
    ("stability", "E"): N_("E Slightly stable"),
    ("stability", "F"): N_("F Stable"),
    ("terrain", "rural"): N_("Rural, open country"),
    ("terrain", "urban"): N_("Urban"),
    ("limit_basis", "surface_class_iii"): N_("Surface water Class III (GB 3838-2002)"),
    ("limit_basis", "drinking_water"): N_("Drinking water (GB 5749-2022)"),
}

# An early warning's state at its recipient (crossrisk.domain.warning.WarningStatus).
WARNING_STATUS = {
    WarningStatus.ISSUED: N_("Issued"),
    WarningStatus.DELIVERED: N_("Delivered"),
    WarningStatus.ACKNOWLEDGED: N_("Acknowledged"),
    WarningStatus.UPDATED: N_("Superseded by an update"),
    WarningStatus.CANCELLED: N_("Lifted"),
    WarningStatus.EXPIRED: N_("Expired"),
}

# CAP msgType of a warning message, as the inbox names it.
MESSAGE_TYPE = {
    MessageType.ALERT: N_("New warning"),
    MessageType.UPDATE: N_("Update"),
    MessageType.CANCEL: N_("Lifted"),
}

# How an acknowledgement reached the platform (crossrisk.services.warnings.ACK_VIA).
ACK_VIA = {
    "page": N_("on the page"),
    "api": N_("over the API"),
    "email": N_("by the e-mail link"),
}

# How a reach entry's exposed population was arrived at (crossrisk.domain.reach).
POPULATION_BASIS = {
    PopulationBasis.AREA_SHARE: N_("by the share of the city's area covered (2020 census)"),
    PopulationBasis.INFECTIONS: N_("expected infections (epidemic model, 2020 census)"),
    PopulationBasis.WHOLE_CITY: N_(
        "upper bound: the whole city (2020 census); who lives along the river or draws "
        "water from it is not known"
    ),
    PopulationBasis.UNKNOWN: N_("no census figure"),
}

# How a warning reaches an organisation (the channels page).
CHANNEL_KIND = {
    ChannelKind.WEBHOOK: N_("Webhook"),
    ChannelKind.EMAIL: N_("E-mail"),
    ChannelKind.MQTT: N_("MQTT"),
}

DELIVERY_STATUS = {
    DeliveryStatus.PENDING: N_("Waiting"),
    DeliveryStatus.SENDING: N_("Sending"),
    DeliveryStatus.DELIVERED: N_("Delivered"),
    DeliveryStatus.FAILED: N_("Failed"),
}

DELIVERY_PURPOSE = {
    Purpose.WARNING: N_("Warning"),
    Purpose.CANCELLATION: N_("Lifted"),
    Purpose.REMINDER: N_("Reminder"),
    Purpose.ESCALATION: N_("Escalation"),
    Purpose.CHECKPOINT: N_("Journal checkpoint"),
    Purpose.TEST: N_("Test message"),
    Purpose.COPY: N_("Copy to the province"),
    Purpose.DUTY_REMINDER: N_("Duty reminder"),
    Purpose.MEETING_INVITATION: N_("Meeting invitation"),
    Purpose.MEETING_CANCELLATION: N_("Meeting cancellation"),
    Purpose.CASE_OPENED: N_("Accountability case opened"),
}
