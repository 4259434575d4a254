"""End-to-end page tests: the app served by uvicorn on loopback, driven in Debian's Chromium.

Playwright only drives the browser: it must not download one of its own (the machines
reach no browser download site), so the tests launch /usr/bin/chromium from apt.
"""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
import uvicorn
from playwright.sync_api import (
    Browser,
    BrowserContext,
    ConsoleMessage,
    Page,
    Route,
    ViewportSize,
    sync_playwright,
)

from crossrisk.app import create_app
from crossrisk.web.shared.rendering import STATIC_DIR
from tests.databases import SqliteTemplate
from tests.support import IN_CI, settings_for_tests
from tests.web.officers import PASSWORD

CHROMIUM = Path("/usr/bin/chromium")
# Without the background-networking flags Chromium keeps trying to reach Google's hosts,
# which a closed network refuses, many times a second.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
VIEWPORT: ViewportSize = {"width": 1280, "height": 800}
LEAFLET = STATIC_DIR / "vendor" / "leaflet" / "leaflet.js"


def _require(condition: bool, problem: str) -> None:
    if condition:
        return
    if IN_CI:
        pytest.fail(f"{problem}; in CI the browser tests must run")
    pytest.skip(f"{problem} (the browser tests are skipped here, never when CI=true)")


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    _require(CHROMIUM.exists(), f"no Chromium at {CHROMIUM} (apt-get install chromium)")
    _require(LEAFLET.exists(), "no web assets: run scripts/install_web_assets.sh")
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield launched
        launched.close()


@pytest.fixture
def sqlite_url(officers_template: SqliteTemplate) -> Iterator[str]:
    """A fresh SQLite database holding the bundled region and the test officers."""
    url = officers_template.fresh()
    yield url
    officers_template.drop(url)


@pytest.fixture
def live_server(sqlite_url: str, tmp_path: Path) -> Iterator[str]:
    """The app on a free loopback port, on a fresh database with the test officers."""
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.bind(("127.0.0.1", 0))
    port = listener.getsockname()[1]
    app = create_app(settings_for_tests(sqlite_url, tmp_path, port=port))
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning", lifespan="off"))
    # Handing uvicorn the bound socket leaves no moment in which another process could
    # take the port.
    thread = threading.Thread(target=server.run, kwargs={"sockets": [listener]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 15
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("the test server did not start")
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(timeout=15)
    listener.close()
    app.state.engine.dispose()


@dataclass
class Visit:
    """One browser session of one officer, watching for anything that would fail offline."""

    context: BrowserContext
    page: Page
    base_url: str
    foreign_requests: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    def go(self, path: str) -> None:
        self.page.goto(self.base_url + path)

    def log_in(self, username: str) -> None:
        self.go("/login")
        self.page.fill("#username", username)
        self.page.fill("#password", PASSWORD)
        self.page.click("#login-form button[type=submit]")
        self.page.wait_for_url(self.base_url + "/map")

    def assert_self_contained(self) -> None:
        """Nothing was fetched from another host and no script failed."""
        assert self.foreign_requests == []
        assert self.errors == []


@pytest.fixture
def visit(browser: Browser, live_server: str) -> Iterator[Callable[[], Visit]]:
    """Open a fresh browser context (its own cookies) on the live server."""
    opened: list[Visit] = []

    def _open() -> Visit:
        context = browser.new_context(viewport=VIEWPORT, locale="zh-CN")
        context.set_default_timeout(15_000)
        page = context.new_page()
        session = Visit(context, page, live_server)

        def guard(route: Route) -> None:
            # The pages must work on intranets: any other host would be unreachable there.
            if route.request.url.startswith(live_server + "/") or route.request.url.startswith(
                "data:"
            ):
                route.continue_()
            else:
                session.foreign_requests.append(route.request.url)
                route.abort()

        context.route("**/*", guard)

        def note_console(message: ConsoleMessage) -> None:
            # A refused Content-Security-Policy or a failed fetch shows up here.
            if message.type == "error":
                session.errors.append(message.text)

        page.on("pageerror", lambda error: session.errors.append(str(error)))
        page.on("console", note_console)
        opened.append(session)
        return session

    yield _open
    for session in opened:
        session.context.close()
