"""Mutual aid's labels: the states, priorities, outcomes and transport of requests,
offers, commitments and shipments, and the refusal sentences of the aid pages (merged into
`refusal_labels.REFUSAL`, which every page reads)."""

from __future__ import annotations

from crossrisk.domain.aid.commitment import Outcome
from crossrisk.domain.aid.offer import OfferState
from crossrisk.domain.aid.request import Priority, RequestState
from crossrisk.domain.aid.shipment import ShipmentState, TransportMode
from crossrisk.locale import N_

# Mutual aid (crossrisk.domain.aid): a request's and a line's state, stored or derived.
REQUEST_STATE = {
    RequestState.DRAFT: N_("Draft"),
    RequestState.SUBMITTED: N_("Submitted"),
    RequestState.APPROVED: N_("Approved"),
    RequestState.PARTLY_COMMITTED: N_("Partly committed"),
    RequestState.FULLY_COMMITTED: N_("Fully committed"),
    RequestState.IN_TRANSIT: N_("In transit"),
    RequestState.RECEIVED: N_("Goods received"),
    RequestState.CLOSED: N_("Closed"),
    RequestState.CANCELLED: N_("Cancelled"),
}

# ICS-213RR-like priorities, the most urgent first.
PRIORITY = {
    Priority.LIFE_SAVING: N_("Life-saving"),
    Priority.LIFE_SUSTAINING: N_("Life-sustaining"),
    Priority.HIGH: N_("High"),
    Priority.NORMAL: N_("Normal"),
}

# What became of a commitment (crossrisk.domain.aid.commitment.outcome).
OUTCOME = {
    Outcome.OPEN: N_("Pending"),
    Outcome.HONOURED: N_("Honoured"),
    Outcome.LATE: N_("Honoured late"),
    Outcome.PARTIAL: N_("Partial"),
    Outcome.BROKEN: N_("Broken"),
}

OFFER_STATE = {
    OfferState.OPEN: N_("Standing"),
    OfferState.WITHDRAWN: N_("Withdrawn"),
}

SHIPMENT_STATE = {
    ShipmentState.DISPATCHED: N_("Dispatched"),
    ShipmentState.IN_TRANSIT: N_("In transit"),
    ShipmentState.RECEIVED: N_("Goods received"),
}

TRANSPORT_MODE = {
    TransportMode.ROAD: N_("Road"),
    TransportMode.RAIL: N_("Rail"),
    TransportMode.WATER: N_("Water"),
    TransportMode.AIR: N_("Air"),
}

# A `state` named in a refusal: a request's, an offer's or a shipment's, by its value.
AID_STATE = {
    **{state.value: label for state, label in REQUEST_STATE.items()},
    **{state.value: label for state, label in OFFER_STATE.items()},
    **{state.value: label for state, label in SHIPMENT_STATE.items()},
}

# A refusal of mutual aid a page can show, as a whole sentence by the error's `key` (see
# refusal_labels.REFUSAL for how params are filled).
AID_REFUSAL = {
    "sheet-unknown-kind": N_("Choose the kind of records: teams, equipment or shelters."),
    # Mutual aid: the shortfall's scenario and the allocation's proposal (issue 11).
    "invalid-reserve-fraction": N_("A reserve share is a number from 0 to 1."),
    "invalid-nearest": N_(
        "The number of nearest donors must be a whole number from 1 to the limit."
    ),
    "unknown-donor": N_("%(donor)s holds none of the stock this allocation draws on."),
    "gives-own-request": N_(
        "%(donor)s cannot give to its own request: its own stock already counts against it."
    ),
    "invalid-id": N_("That id is not a positive whole number within 64 bits."),
    "duplicate-line": N_("A request line is listed twice."),
    "invalid-priority": N_("Choose the priority from the list."),
    "repeated-substitute": N_("A substitute repeats the item itself or another substitute."),
    "duplicate-donor": N_("%(donor)s is listed twice among the donors."),
    "reserve-above-stock": N_("%(donor)s would keep more %(item)s in reserve than it holds."),
    "invalid-point": N_("Give the point as a longitude (-180 to 180) and latitude (-90 to 90)."),
    "risk-not-found": N_("Risk %(risk)s does not exist, or your account may not read it."),
    "displaced-share-invalid": N_(
        "The displaced share is a number from 0 to 1, for example 0.1 for a tenth."
    ),
    "days-invalid": N_("The number of days is a whole number from 1 to 365."),
    "people-invalid": N_("People affected are whole numbers from 0 up, one per member city."),
    "breaches-reserve": N_(
        "That gives more %(item)s from %(donor)s than it can spare: it holds %(stock)s and "
        "keeps %(reserve)s in reserve for its own need."
    ),
    "invalid-reserve-rule": N_(
        "A reserve rule is either a share of the stock or a quantity, not both."
    ),
    "allocation-not-proposed": N_(
        "Allocation %(allocation)s is %(state)s; only a proposed allocation is approved or "
        "discarded."
    ),
    "allocation-not-found": N_(
        "Allocation %(id)s does not exist, or your account may not read it."
    ),
    "too-many-rules": N_("Give at most %(limit)s reserve rules."),
    "no-requests": N_("Choose at least one open request."),
    "too-many-requests": N_("Allocate at most %(limit)s requests at once."),
    "requests-of-several-regions": N_(
        "The requests belong to several regions; allocate each region's apart."
    ),
    "line-not-in-allocation": N_("That request line is not part of this allocation."),
    "quantity-invalid": N_("A quantity is a number not below 0, for example 1200."),
    # Mutual aid: stocks (crossrisk.services.stocks, crossrisk.domain.aid).
    "unknown-item": N_("%(item)s is not an item of the catalogue; choose one from the list."),
    "unknown-unit": N_(
        "%(item)s does not come in %(unit)s; choose its base unit or one of its packs."
    ),
    "stock-below-zero": N_(
        "That takes %(quantity)s away from a stock of %(stock)s; a stock cannot go below zero."
    ),
    "stock-not-found": N_("Stock %(id)s does not exist, or your account may not read it."),
    # Mutual aid: stocks follow shipments (crossrisk.services.shipments).
    "dispatch-exceeds-stock": N_(
        "%(jurisdiction)s can dispatch %(available)s of %(item)s, less than the %(quantity)s "
        "to ship."
    ),
    "stock-not-for-shipment": N_(
        "Stock %(stock)s is no usable stock of %(item)s kept by %(jurisdiction)s; choose "
        "another or leave it out."
    ),
    "quantity-not-number": N_("A quantity must be a number, for example 1200 or 2.5."),
    "quantity-not-finite": N_("A quantity must be a finite number."),
    "quantity-negative": N_("A quantity cannot be negative (%(quantity)s)."),
    "quantity-too-large": N_("%(quantity)s is more than any stock could hold."),
    "expiry-out-of-range": N_("An expiry date must lie between 2000 and 2100 (%(expires_on)s)."),
    "adjustment-reason-unknown": N_("Choose the adjustment's reason from the list."),
    "sharing-unknown": N_("Choose who sees the record: the whole region or the committee only."),
    "region-required": N_("Choose the region."),
    # Mutual aid: demand factors (crossrisk.domain.aid.demand_factors, web/aid/demand_factors).
    "demand-factors-invalid": N_(
        "The demand factors were not accepted: every amount is a number from 0 to 1,000,000, "
        "and every factor keeps its name, measure and catalogue items."
    ),
    "demand-factors-not-found": N_("The region has no demand factors of version %(version)s."),
    "demand-factors-changed-meanwhile": N_(
        "Someone saved version %(version)s meanwhile. Look at it, then make your change again."
    ),
    "demand-factors-reason-missing": N_(
        "Say why the factors change: a new version needs a reason."
    ),
    "demand-factors-defaults-invalid": N_(
        "The displaced share is a number from 0 to 1, and the days a whole number from 1 to 365."
    ),
    "demand-factor-amount-invalid": N_(
        "%(factor)s: the amount must be a number from 0 to 1,000,000, not “%(value)s”."
    ),
    "demand-factor-days-invalid": N_(
        "%(factor)s: the first phase lasts a whole number of days from 1 to 365, not “%(value)s”."
    ),
    # Base information: teams, equipment and shelters (issue 11).
    "base-information-not-yours": N_(
        "Only %(jurisdiction)s itself, the coordination body and the central office keep "
        "its records."
    ),
    "not-a-member": N_("%(jurisdiction)s is not a member of %(region)s."),
    "location-invalid": N_(
        "Give the location as a longitude (-180 to 180) and latitude (-90 to 90)."
    ),
    "figure-invalid": N_("%(field)s must be a number from %(low)s to %(high)s."),
    "figure-not-a-number": N_("%(field)s must be a number."),
    "record-unchanged": N_(
        "The change names nothing to change; to say the record is still true, confirm it."
    ),
    "sharing-invalid": N_("Choose whether every member or only the committee sees the record."),
    "field-not-changeable": N_("%(field)s cannot be changed this way."),
    "team-not-found": N_("Team %(id)s does not exist."),
    "equipment-not-found": N_("Equipment record %(id)s does not exist."),
    "shelter-not-found": N_("Shelter %(id)s does not exist."),
    "unknown-team-kind": N_("“%(kind)s” is not a kind of team the platform lists."),
    "unknown-equipment-kind": N_("“%(kind)s” is not a kind of equipment the platform lists."),
    "unknown-shelter-class": N_("“%(class)s” is not a shelter class the platform lists."),
    "unknown-capability": N_("A team of this kind states no capability “%(capability)s”."),
    "team-type-invalid": N_("A team's type is 1 (the most capable) to 4."),
    "team-type-not-met": N_(
        "A %(kind)s of type %(type)s needs %(what)s of at least %(required)s; this team has "
        "%(actual)s. Choose the type it meets."
    ),
    "shelter-available-above-capacity": N_(
        "%(available)s free places is more than the shelter's capacity of %(capacity)s."
    ),
    "shelter-open-already": N_("%(shelter)s is open already."),
    "shelter-closed-already": N_("%(shelter)s is closed already."),
    # Mutual aid: requests, offers, commitments and shipments (crossrisk.services.aid_requests,
    # aid_offers, commitments, shipments). A `state` param is named by AID_STATE.
    "aid-request-not-yours": N_(
        "Your account may not ask for or accept aid for %(jurisdiction)s: only its own officers, "
        "the region's coordination body and the central office do."
    ),
    "request-not-found": N_("Aid request %(id)s does not exist, or your account may not read it."),
    "request-line-not-found": N_("Request line %(id)s does not exist."),
    "unknown-request-line": N_("Request %(request)s has no line %(line)s."),
    "request-without-lines": N_("A request needs at least one line: an item and a quantity."),
    "too-many-lines": N_("At most %(limit)s lines at a time."),
    "too-many-substitutes": N_("A line takes at most %(limit)s substitutes."),
    "substitute-is-item": N_("%(item)s cannot be a substitute for itself."),
    "needed-by-past": N_("The “needed by” time has passed; give a time still ahead."),
    "needed-by-too-far": N_("The “needed by” time lies more than a year ahead."),
    "request-not-draft": N_("Request %(request)s is “%(state)s”; only a draft is edited."),
    "request-transition": N_("Request %(request)s is “%(state)s”; this step is not possible now."),
    "request-has-commitments": N_(
        "Request %(request)s has commitments; close it instead of cancelling it."
    ),
    "request-not-open": N_(
        "Request %(request)s is “%(state)s”; it takes offers, commitments and shipments only "
        "once approved and until closed."
    ),
    "risk-of-another-region": N_("Risk %(risk)s is not a risk of %(region)s."),
    "code-invalid": N_("A city or region in the form is not one of the list; choose again."),
    "unknown-priority": N_("Choose the priority from the list."),
    "unknown-state": N_("Choose the state from the list."),
    "offer-by-requester": N_("%(jurisdiction)s cannot offer aid to its own request."),
    "offer-not-permitted": N_("Only an officer of another member city offers aid."),
    "offer-not-found": N_("Offer %(id)s does not exist."),
    "offer-not-open": N_("Offer %(offer)s is “%(state)s”; nothing in it can be accepted."),
    "offer-without-lines": N_("An offer needs at least one line."),
    "offer-line-accepted": N_("This offer line was accepted already."),
    "unknown-offer-line": N_("Offer %(offer)s has no line %(line)s."),
    "item-not-acceptable": N_(
        "%(item)s is neither the item of line %(line)s nor one of its acceptable substitutes."
    ),
    "arrival-before-dispatch": N_("The arrival comes before the dispatch; check the two times."),
    "time-out-of-range": N_("A time in the form lies outside the period it may take; check it."),
    "time-no-offset": N_("A time in the form lacks its time zone."),
    "cost-invalid": N_("A cost estimate is a number of yuan from 0 to one trillion."),
    "line-fully-committed": N_(
        "The request line is fully committed already; no more can be accepted for it."
    ),
    "commitment-exceeds-need": N_(
        "Committing %(quantity)s is more than the %(still_needed)s the line still needs."
    ),
    "commitment-not-found": N_("Commitment %(id)s does not exist."),
    "commitment-withdrawn": N_("Commitment %(commitment)s was withdrawn by its donor."),
    "commitment-in-transit": N_(
        "Commitment %(commitment)s has goods on the road; it cannot be withdrawn now."
    ),
    "not-the-donor": N_("Only an officer of %(donor)s, the donor, may do this."),
    "not-the-requester": N_(
        "Only %(jurisdiction)s, which asked for the aid, or the coordination body records "
        "its receipt."
    ),
    "shipment-not-found": N_("Shipment %(id)s does not exist."),
    "shipment-exceeds-commitment": N_(
        "Shipping %(quantity)s is more than the %(left)s the commitment has left to ship."
    ),
    "shipment-received-already": N_("Shipment %(shipment)s was received already."),
    "shipment-transition": N_("Shipment %(shipment)s is “%(state)s”; this step is not possible."),
    "receipt-exceeds-shipment": N_(
        "A receipt of %(received)s is more than the %(shipped)s shipped; record what arrived."
    ),
    "receipt-before-dispatch": N_("A shipment cannot arrive before it was dispatched."),
    "receipt-in-future": N_("A receipt cannot lie in the future."),
    "time-invalid": N_("Give times as year-month-day hour:minute, Beijing time."),
    "offer-line-not-found": N_("Offer line %(id)s does not exist."),
    "unknown-transport-mode": N_("Choose the transport from the list: road, rail, water or air."),
    # Stocks sheets (the sentences of each bad row are crossrisk.web.aid.sheets').
    "sheet-refused": N_("The file has %(count)s problem(s); nothing was imported."),
    "sheet-too-large": N_("The file is larger than the limit of %(limit)s bytes."),
    "sheet-not-text": N_("The file is neither an Excel workbook nor a CSV text file in UTF-8."),
    "sheet-not-csv": N_("The CSV file cannot be read; save it again as CSV UTF-8."),
    "sheet-not-xlsx": N_("The file is not an Excel workbook (.xlsx)."),
    "sheet-no-file": N_("Choose a CSV or Excel file to import."),
    "sheet-media-type": N_("Send a CSV or Excel (.xlsx) file."),
}
