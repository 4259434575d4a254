"""Refusals in the page's language: a headline and a generic sentence by the error's kind,
and a whole sentence by its key, gathered from every topic's *_labels module."""

from __future__ import annotations

from crossrisk.locale import N_
from crossrisk.web.shared.account_labels import ACCOUNT_REFUSAL
from crossrisk.web.shared.aid_labels import AID_REFUSAL
from crossrisk.web.shared.cap_labels import CAP_REFUSAL
from crossrisk.web.shared.case_labels import CASE_REFUSAL
from crossrisk.web.shared.channel_labels import CHANNEL_REFUSAL
from crossrisk.web.shared.committee_labels import COMMITTEE_REFUSAL
from crossrisk.web.shared.compensation_labels import COMPENSATION_REFUSAL
from crossrisk.web.shared.drill_labels import DRILL_REFUSAL
from crossrisk.web.shared.evaluation_labels import EVALUATION_REFUSAL
from crossrisk.web.shared.reach_labels import REACH_REFUSAL
from crossrisk.web.shared.responsibility_labels import DUTY_REFUSAL
from crossrisk.web.shared.review_labels import REVIEW_REFUSAL
from crossrisk.web.shared.risk_labels import RISK_REFUSAL
from crossrisk.web.shared.trust_labels import TRUST_REFUSAL
from crossrisk.web.shared.warning_labels import WARNING_REFUSAL

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
# Each capability keeps its sentences in its own *_labels module; those left here belong
# to no one capability (text fields, lists and filters, forms, regions).
REFUSAL = {
    **AID_REFUSAL,
    **COMMITTEE_REFUSAL,
    **EVALUATION_REFUSAL,
    **REVIEW_REFUSAL,
    **CASE_REFUSAL,
    **DRILL_REFUSAL,
    **TRUST_REFUSAL,
    **COMPENSATION_REFUSAL,
    **RISK_REFUSAL,
    **REACH_REFUSAL,
    **WARNING_REFUSAL,
    **DUTY_REFUSAL,
    **CAP_REFUSAL,
    **ACCOUNT_REFUSAL,
    **CHANNEL_REFUSAL,
    "region-not-readable": N_("%(organisation)s may not read the records of %(region)s."),
    "text-empty": N_("%(field)s must not be empty."),
    "text-too-long": N_("%(field)s is %(length)d characters long; the limit is %(limit)d."),
    "text-control": N_("%(field)s holds control characters; type it again without them."),
    "text-nul": N_("The text holds a NUL character, which no text may hold."),
    "csrf-stale": N_(
        "The form's security token is missing or stale. Reload the page and try again."
    ),
    "not-coordinator": N_("Only the region's coordination body or the central office may do this."),
    "cursor-malformed": N_("This page link is no longer valid; start again from the first page."),
    "filter-value-unknown": N_("A filter holds a value the lists do not offer; choose from them."),
    "date-invalid": N_("Give dates as year-month-day, for example 2026-07-01."),
    "period-reversed": N_("The period ends before it starts; swap the two dates."),
    "limit-out-of-range": N_("Show from 1 to %(limit)s rows a page."),
    "search-too-long": N_("The search text is %(length)s characters long; the limit is %(limit)s."),
    "export-format-unknown": N_("The platform exports as CSV or Excel (.xlsx) only."),
    "region-not-found": N_("There is no region %(region)s that you can read."),
}
