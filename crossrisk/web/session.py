"""Logging in and out of the pages, the language switch, and who is behind a page."""

from __future__ import annotations

from typing import Annotated
from urllib.parse import quote

from fastapi import APIRouter, Depends, Form, Request
from starlette.responses import RedirectResponse, Response

from crossrisk.domain.errors import NotAuthenticated, NotPermitted
from crossrisk.domain.organisation import Actor
from crossrisk.http.deps import SESSION_USER, UowDep, check_csrf
from crossrisk.services import users
from crossrisk.web.i18n import LOCALES, SESSION_LOCALE, PageLanguage
from crossrisk.web.rendering import PageError, here, page_error, render

router = APIRouter(include_in_schema=False)

HOME = "/map"
# Longer values are no one's username or password; refuse them before hashing.
CREDENTIAL_MAX = 1024


class LoginRequired(Exception):
    """A page was asked for without a logged-in session."""

    def __init__(self, back_to: str) -> None:
        super().__init__(back_to)
        self.back_to = back_to


def page_actor(request: Request, uow: UowDep) -> Actor:
    """The logged-in user of a page; without one, the visitor is sent to log in."""
    username = request.session.get(SESSION_USER)
    if not username:
        raise LoginRequired(here(request))
    try:
        return users.actor_for_username(uow, str(username))
    except NotAuthenticated:
        # The user was removed or deactivated since logging in.
        _forget_user(request)
        raise LoginRequired(here(request)) from None


PageActor = Annotated[Actor, Depends(page_actor)]


def login_redirect(_request: Request, error: Exception) -> Response:
    """Send a visitor without a session to the login page, and back afterwards."""
    back_to = error.back_to if isinstance(error, LoginRequired) else HOME
    return RedirectResponse(f"/login?next={quote(back_to, safe='/')}", status_code=303)


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
def login(
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
    if len(username) > CREDENTIAL_MAX or len(password) > CREDENTIAL_MAX:
        actor = None
    else:
        try:
            actor = users.authenticate(uow, username=username, password=password)
        except NotAuthenticated:
            actor = None
    if actor is None:
        error = PageError(
            lang.gettext("Login failed"), lang.gettext("Unknown username or wrong password.")
        )
        return render(request, "login.html", {**context, "error": error}, status_code=401)
    # A fresh session on login, so a token planted before it (session fixation) is useless.
    _forget_user(request)
    request.session[SESSION_USER] = actor.username
    return RedirectResponse(safe_next(next), status_code=303)


@router.post("/logout")
def logout(request: Request, csrf_token: Annotated[str, Form()] = "") -> Response:
    """End the session."""
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
    _forget_user(request)
    return RedirectResponse("/login", status_code=303)


@router.get("/language/{code}")
def switch_language(request: Request, code: str, next: str = "") -> Response:
    """Switch the pages' language and return to where the visitor was."""
    if code in LOCALES:
        request.session[SESSION_LOCALE] = code
    return RedirectResponse(safe_next(next), status_code=303)


def _forget_user(request: Request) -> None:
    # The language is the visitor's choice, not the user's: it outlives the login.
    locale = request.session.get(SESSION_LOCALE)
    request.session.clear()
    if locale:
        request.session[SESSION_LOCALE] = locale
