"""Logging in and out of the pages, and the language switch."""

from __future__ import annotations

from functools import partial
from typing import Annotated

from fastapi import APIRouter, Form, Request
from starlette.responses import RedirectResponse, Response

from crossrisk.domain.errors import NotAuthenticated, NotPermitted, RetryLater
from crossrisk.http.deps import (
    SESSION_ID,
    UowDep,
    check_csrf,
    client_address,
    login_gate,
    password_checks,
    utc_now,
)
from crossrisk.http.problems import status_of
from crossrisk.services import sessions
from crossrisk.services.sessions import StartedSession
from crossrisk.web.accounts.session import HOME, forget_user
from crossrisk.web.shared.i18n import LOCALES, SESSION_LOCALE, PageLanguage
from crossrisk.web.shared.rendering import PageError, page_error, render

router = APIRouter(include_in_schema=False)

# Longer values are no one's username or password; refuse them before hashing.
CREDENTIAL_MAX = 1024


def safe_next(value: str | None) -> str:
    """A path on this site to continue to; anything else (another host) becomes the home page."""
    if not value or not value.startswith("/") or value.startswith("//") or "\\" in value:
        return HOME
    return value


@router.get("/")
def home() -> Response:
    """The home page is the regional map."""
    return RedirectResponse(HOME, status_code=303)


@router.get("/login")
def login_page(request: Request, next: str = "") -> Response:
    """The login form."""
    return render(request, "login.html", {"next": safe_next(next), "username": ""})


@router.post("/login")
async def login(
    request: Request,
    uow: UowDep,
    username: Annotated[str, Form()] = "",
    password: Annotated[str, Form()] = "",
    csrf_token: Annotated[str, Form()] = "",
    next: Annotated[str, Form()] = "",
) -> Response:
    """Check the credentials and start a session; a bad login shows the form again (401)."""
    lang = PageLanguage.of(request)
    context = {"next": safe_next(next), "username": username[:64]}
    try:
        # A login form posted from another site could log the victim in as the attacker.
        check_csrf(request, csrf_token)
    except NotPermitted as refusal:
        return render(
            request, "login.html", {**context, "error": page_error(lang, refusal)}, status_code=403
        )
    started: StartedSession | None = None
    if len(username) <= CREDENTIAL_MAX and len(password) <= CREDENTIAL_MAX:
        try:
            started = await login_gate(request).run(
                partial(
                    sessions.start_session,
                    uow,
                    username=username,
                    password=password,
                    address=client_address(request),
                    now=utc_now(),
                    checks=password_checks(request),
                )
            )
        except NotAuthenticated:
            started = None
        except RetryLater as refusal:
            # Too many failures, or too many logins at once: the form says when to retry.
            page = render(
                request,
                "login.html",
                {**context, "error": page_error(lang, refusal)},
                status_code=status_of(refusal),
            )
            page.headers["Retry-After"] = str(refusal.retry_after)
            return page
    if started is None:
        error = PageError(
            lang.gettext("Login failed"), lang.gettext("Unknown username or wrong password.")
        )
        return render(request, "login.html", {**context, "error": error}, status_code=401)
    # A fresh session on login, so a token planted before it (session fixation) is useless.
    forget_user(request)
    request.session[SESSION_ID] = started.id
    return RedirectResponse(safe_next(next), status_code=303)


@router.post("/logout")
def logout(request: Request, uow: UowDep, csrf_token: Annotated[str, Form()] = "") -> Response:
    """End the session, on the server too: the old cookie no longer logs anyone in."""
    try:
        check_csrf(request, csrf_token)
    except NotPermitted as refusal:
        lang = PageLanguage.of(request)
        return render(
            request,
            "error.html",
            {"error": page_error(lang, refusal)},
            status_code=403,
        )
    session_id = request.session.get(SESSION_ID)
    if session_id:
        sessions.end_session(uow, str(session_id), now=utc_now())
    forget_user(request)
    return RedirectResponse("/login", status_code=303)


@router.get("/language/{code}")
def switch_language(request: Request, code: str, next: str = "") -> Response:
    """Switch the pages' language and return to where the visitor was."""
    if code in LOCALES:
        request.session[SESSION_LOCALE] = code
    return RedirectResponse(safe_next(next), status_code=303)
