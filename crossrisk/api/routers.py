"""Every API router, mounted under /api by crossrisk.app."""

from __future__ import annotations

from fastapi import FastAPI

from crossrisk.api import (
    agreements,
    aid_offers,
    aid_requests,
    aid_resources,
    allocations,
    analysis,
    annual,
    auth,
    cap,
    cap_senders,
    cases,
    channels,
    commitments,
    compensation,
    demand_factors,
    drills,
    duties,
    fund,
    in_kind,
    journal,
    live,
    meetings,
    observations,
    plans,
    region_state,
    regions,
    resource_sheets,
    reviews,
    risks,
    scorecards,
    shortfall,
    stock_sheets,
    stocks,
    trust,
    users,
    warnings,
)


def install(app: FastAPI) -> None:
    """Include the API's routes."""
    for module in (auth, regions, risks, analysis, journal, warnings, cap, cap_senders, channels):
        app.include_router(module.router)
    app.include_router(live.router)
    app.include_router(observations.router)
    app.include_router(duties.router)
    app.include_router(users.router)
    app.include_router(stock_sheets.router)
    # Before aid_resources: /aid/teams/export is a sheet, not the team called "export".
    app.include_router(resource_sheets.router)
    app.include_router(aid_requests.router)
    app.include_router(aid_offers.router)
    app.include_router(agreements.router)
    app.include_router(commitments.router)
    app.include_router(allocations.router)
    app.include_router(demand_factors.router)
    app.include_router(annual.router)
    app.include_router(shortfall.router)
    app.include_router(stocks.router)
    app.include_router(aid_resources.router)
    app.include_router(plans.router)
    app.include_router(meetings.router)
    app.include_router(region_state.router)
    app.include_router(scorecards.router)
    app.include_router(reviews.router)
    app.include_router(cases.router)
    app.include_router(drills.router)
    app.include_router(trust.router)
    app.include_router(compensation.router)
    # The fund's and in-kind routes after the ledger's, as the OpenAPI document lists them.
    app.include_router(fund.router)
    app.include_router(in_kind.router)
