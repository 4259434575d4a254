"""Page routes and static files: the pages officers use in a browser."""

from __future__ import annotations

from fastapi import FastAPI
from starlette.staticfiles import StaticFiles

from crossrisk.web import (
    ack_page,
    analysis,
    journal,
    regional_map,
    risks,
    session,
    warnings,
    what_if,
)
from crossrisk.web.rendering import STATIC_DIR


def install(app: FastAPI) -> None:
    """Mount the page routes and static files."""
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
    app.add_exception_handler(session.LoginRequired, session.login_redirect)
    for module in (session, regional_map, risks, analysis, what_if, journal, warnings):
        app.include_router(module.router)
    app.include_router(ack_page.router)
