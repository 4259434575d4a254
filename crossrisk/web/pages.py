"""Page routes and static files: the pages officers use in a browser."""

from __future__ import annotations

from fastapi import FastAPI
from starlette.staticfiles import StaticFiles

from crossrisk.web.accounts import manage as account_management
from crossrisk.web.accounts import routes as accounts
from crossrisk.web.accounts.session import LoginRequired, login_redirect
from crossrisk.web.aid import allocations as aid_allocations
from crossrisk.web.aid import commitments as aid_commitments
from crossrisk.web.aid import demand_factors as aid_demand_factors
from crossrisk.web.aid import offers as aid_offers
from crossrisk.web.aid import requests as aid_requests
from crossrisk.web.aid import resource_sheets as aid_resource_sheets
from crossrisk.web.aid import resources as aid_resources
from crossrisk.web.aid import routes as aid
from crossrisk.web.aid import sheets as stock_sheets
from crossrisk.web.aid import shipments as aid_shipments
from crossrisk.web.aid import shortfall as aid_shortfall
from crossrisk.web.cap_senders import routes as cap_senders
from crossrisk.web.channels import routes as channels
from crossrisk.web.committee import agreements as committee_agreements
from crossrisk.web.committee import agreements_form as committee_agreement_form
from crossrisk.web.committee import annual as committee_annual
from crossrisk.web.committee import cases as committee_cases
from crossrisk.web.committee import meetings as committee_meetings
from crossrisk.web.committee import plans as committee_plans
from crossrisk.web.committee import region_state as committee_region_state
from crossrisk.web.committee import routes as committee
from crossrisk.web.compensation import fund as fund_pages
from crossrisk.web.compensation import risk_fund as risk_fund_pages
from crossrisk.web.compensation import routes as compensation_pages
from crossrisk.web.compensation import settlements as settlement_pages
from crossrisk.web.drills import review as drill_reviews
from crossrisk.web.drills import routes as drill_pages
from crossrisk.web.duties import routes as duties
from crossrisk.web.evaluation import scorecards as evaluation_scorecards
from crossrisk.web.journal import routes as journal
from crossrisk.web.map import routes as regional_map
from crossrisk.web.risks import analysis, register, report, review, what_if
from crossrisk.web.risks import routes as risks
from crossrisk.web.shared.rendering import STATIC_DIR
from crossrisk.web.trust import routes as trust_pages
from crossrisk.web.warnings import ack_page
from crossrisk.web.warnings import routes as warnings


def install(app: FastAPI) -> None:
    """Mount the page routes and static files."""
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
    app.add_exception_handler(LoginRequired, login_redirect)
    # The register's fixed paths (/risks/export.csv) before a risk's (/risks/{id}).
    for module in (
        accounts,
        regional_map,
        register,
        report,
        review,
        risks,
        analysis,
        what_if,
        journal,
        warnings,
    ):
        app.include_router(module.router)
    app.include_router(ack_page.router)
    app.include_router(duties.router)
    app.include_router(account_management.router)
    app.include_router(channels.router)
    app.include_router(cap_senders.router)
    app.include_router(stock_sheets.router)
    app.include_router(aid_shortfall.router)
    app.include_router(aid_allocations.router)
    app.include_router(aid_demand_factors.router)
    app.include_router(aid_requests.router)
    app.include_router(aid_offers.router)
    app.include_router(aid_commitments.router)
    app.include_router(aid_shipments.router)
    app.include_router(aid.router)
    app.include_router(committee.router)
    app.include_router(committee_region_state.router)
    app.include_router(drill_pages.router)
    app.include_router(drill_reviews.router)
    app.include_router(compensation_pages.router)
    app.include_router(risk_fund_pages.router)
    app.include_router(settlement_pages.router)
    app.include_router(fund_pages.router)
    # The form's fixed path (/committee/agreements/new) before an agreement's.
    app.include_router(committee_agreement_form.router)
    app.include_router(committee_agreements.router)
    app.include_router(committee_plans.router)
    app.include_router(committee_annual.router)
    # The sheets' fixed paths (/aid/teams/import) before the records' routes.
    app.include_router(aid_resource_sheets.router)
    app.include_router(aid_resources.router)
    app.include_router(committee_meetings.router)
    app.include_router(evaluation_scorecards.router)
    # /committee/cases/detect (a form's POST) before a case's routes.
    app.include_router(committee_cases.router)
    app.include_router(trust_pages.router)
