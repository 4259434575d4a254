"""Every API router, mounted under /api by crossrisk.app."""

from __future__ import annotations

from fastapi import FastAPI

from crossrisk.api import (
    aid_resources,
    analysis,
    auth,
    cap,
    cap_senders,
    channels,
    duties,
    journal,
    live,
    observations,
    regions,
    risks,
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
    app.include_router(aid_resources.router)
