"""The committee's front page: links to each part of its standing work (DESIGN §3.1)."""

from __future__ import annotations

from fastapi import APIRouter, Request, Response

from crossrisk.locale import N_
from crossrisk.web.accounts.session import PageActor
from crossrisk.web.shared.i18n import PageLanguage
from crossrisk.web.shared.rendering import render

router = APIRouter(include_in_schema=False)

SECTIONS = (
    (
        "/committee/agreements",
        N_("Governance agreements"),
        N_(
            "Cross-border risk governance agreements: parties, obligations, the compensation "
            "rule and the accountability procedure; in force once every party has signed."
        ),
    ),
    (
        "/committee/plans",
        N_("Contingency plans"),
        N_(
            "The region's plans by hazard type and level: when each is activated and the "
            "responsibility list it draws for a risk, with each deadline's source."
        ),
    ),
    (
        "/committee/annual",
        N_("Annual plan"),
        N_(
            "The year's plan and cooperation items, each with an owner, a due date and the "
            "agreement or plan it serves."
        ),
    ),
    (
        "/committee/state",
        N_("Region state"),
        N_(
            "Normal or emergency state: the committee switches it with a reason, and the "
            "deadlines of every list drawn afterwards follow it."
        ),
    ),
    (
        "/committee/meetings",
        N_("Coordination meetings"),
        N_(
            "Meetings convened for a risk or held regularly: invitations, attendance, minutes, "
            "and decisions tracked as duties."
        ),
    ),
    (
        "/evaluation/scorecards",
        N_("Scorecards"),
        N_(
            "Each member city's weighted assessment score, third party above self, beside its "
            "record of duties, acknowledgements and commitments, with its trend."
        ),
    ),
    (
        "/evaluation/rewards",
        N_("Reward and penalty list"),
        N_("The members ranked for the committee, with the figures and the rule behind each."),
    ),
    (
        "/committee/cases",
        N_("Accountability cases"),
        N_(
            "Duties missed, warnings unacknowledged, aid unanswered, commitments broken and "
            "reports corrected: each a case with its evidence from the journal, the review, "
            "the party's statement and the outcome."
        ),
    ),
    (
        "/committee/fund",
        N_("Regional fund"),
        N_(
            "The provinces' and the central government's contributions with their conditions, "
            "the penalties of upheld cases, the payouts of approved statements and the "
            "deliveries in kind, with the balance over time."
        ),
    ),
    (
        "/trust",
        N_("Trust scores"),
        N_(
            "Each member's score from the commitments, duties and acknowledgements on record, "
            "with its evidence and history; the committee confirms or disputes how each was "
            "resolved, and recipients rate the aid they received."
        ),
    ),
    (
        "/drills",
        N_("Drills"),
        N_(
            "Scenarios replayed through the platform on a clock of their own, marked as "
            "drills and kept out of every real list, with figures from the record."
        ),
    ),
)


@router.get("/committee")
def hub(request: Request, actor: PageActor) -> Response:
    """The committee's standing work at a glance."""
    lang = PageLanguage.of(request)
    sections = [
        {"href": href, "title": lang.gettext(title), "text": lang.gettext(text)}
        for href, title, text in SECTIONS
    ]
    return render(request, "committee/hub.html", {"sections": sections}, actor=actor)
