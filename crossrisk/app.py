"""The ASGI application: API, pages and static files on one engine.

The application is put together here, above both adapters: the API (crossrisk.api) and
the pages (crossrisk.web) share their HTTP machinery through crossrisk.http and import
nothing of each other.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI
from sqlalchemy import Engine
from starlette.middleware.gzip import GZipMiddleware
from starlette.middleware.sessions import SessionMiddleware

import crossrisk
from crossrisk.api import docs, routers
from crossrisk.delivery.configured import channels_from_settings, close_all
from crossrisk.domain.events import EventBus
from crossrisk.http import openapi, problems
from crossrisk.http.body_limit import BodyLimit
from crossrisk.http.deps import LoginGate
from crossrisk.services import sessions
from crossrisk.services.credentials import PasswordChecks
from crossrisk.services.platform_key import load_platform_key
from crossrisk.services.worker import Worker
from crossrisk.settings import Settings
from crossrisk.store.db import make_engine
from crossrisk.store.uow import UnitOfWork
from crossrisk.web import pages

log = logging.getLogger(__name__)


def create_app(settings: Settings, *, engine: Engine | None = None) -> FastAPI:
    """Build the application for these settings (the database must be migrated)."""
    app = FastAPI(
        title="crossrisk",
        version=crossrisk.__version__,
        description="Cross-jurisdiction risk governance: regions, risks and the journal.",
        openapi_url="/api/openapi.json",
        # Our own page (crossrisk.api.docs) serves Swagger UI from the package, not a CDN.
        docs_url=None,
        redoc_url=None,
        lifespan=_background_work,
    )
    app.state.settings = settings
    app.state.engine = engine or make_engine(settings.database_url)
    app.state.bus = EventBus()
    app.state.password_checks = PasswordChecks(settings.password_checks)
    app.state.login_gate = LoginGate(settings.password_checks)
    # The signed cookie carries the session's id (kept in the database, so logging out or
    # revoking ends it everywhere), the CSRF token and the language; any worker process can
    # serve any request.
    app.add_middleware(
        SessionMiddleware,
        secret_key=settings.secret_key,
        session_cookie="crossrisk_session",
        same_site="lax",
        https_only=settings.secure_cookies,
        max_age=int(sessions.SESSION_LIFETIME.total_seconds()),
    )
    # City boundaries are 1.5 MB of JSON; intranet links to county offices can be slow.
    app.add_middleware(GZipMiddleware, minimum_size=2048)
    # The stocks sheets bound their uploads themselves (8 MiB, crossrisk.domain.aid.sheet).
    app.add_middleware(
        BodyLimit,
        own_limits=(
            "/api/observations",
            "/api/cap",
            "/aid/stocks/import",
            "/api/aid/stocks/import",
        ),
        # A cost line's evidence files bound theirs (10 MiB, crossrisk.http.uploads).
        own_patterns=(
            r"/api/costs/[^/]{1,12}/evidence",
            r"/risks/[^/]{1,12}/compensation/costs(/[^/]{1,12}/evidence)?",
        ),
    )
    problems.install(app)
    routers.install(app)
    pages.install(app)
    openapi.install(app)
    docs.install(app)
    return app


@asynccontextmanager
async def _background_work(app: FastAPI) -> AsyncIterator[None]:
    """Run the delivery and deadline worker while the application serves, if configured."""
    settings: Settings = app.state.settings
    if not settings.worker:
        yield
        return
    channels = channels_from_settings(settings)
    worker = Worker(
        UnitOfWork(app.state.engine, app.state.bus),
        channels,
        signing_key=load_platform_key(settings),
    )
    app.state.worker = worker
    worker.start()
    # The first analysis of a region builds its spatial index (about a second); build it
    # now, so the first gauge firing after a restart is warned about as fast as the rest.
    threading.Thread(target=_warm_regions, args=(app.state.engine,), daemon=True).start()
    try:
        yield
    finally:
        worker.stop()
        close_all(channels)


def _warm_regions(engine: Engine) -> None:
    try:
        with UnitOfWork(engine) as uow:
            for region in uow.regions.all():
                uow.regions.geo(region.code)
    except Exception:  # only a head start: the first request builds it otherwise
        log.exception("could not build the regions' spatial index ahead of time")
