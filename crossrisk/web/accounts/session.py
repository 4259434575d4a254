"""Who is behind a page: the logged-in user, or a redirect to the login form."""

from __future__ import annotations

from typing import Annotated
from urllib.parse import quote

from fastapi import Depends, Request
from starlette.responses import RedirectResponse, Response

from crossrisk.domain.errors import NotAuthenticated
from crossrisk.domain.organisation import Actor
from crossrisk.http.deps import SESSION_ID, UowDep, utc_now
from crossrisk.services import sessions
from crossrisk.web.shared.i18n import SESSION_LOCALE
from crossrisk.web.shared.rendering import here

HOME = "/map"


class LoginRequired(Exception):
    """A page was asked for without a logged-in session."""

    def __init__(self, back_to: str) -> None:
        super().__init__(back_to)
        self.back_to = back_to


def page_actor(request: Request, uow: UowDep) -> Actor:
    """The logged-in user of a page; without one, the visitor is sent to log in."""
    session_id = request.session.get(SESSION_ID)
    if not session_id:
        raise LoginRequired(here(request))
    try:
        return sessions.actor_for_session(uow, str(session_id), now=utc_now())
    except NotAuthenticated:
        # The session expired or was revoked, or its user was removed or deactivated.
        forget_user(request)
        raise LoginRequired(here(request)) from None


PageActor = Annotated[Actor, Depends(page_actor)]


def login_redirect(_request: Request, error: Exception) -> Response:
    """Send a visitor without a session to the login page, and back afterwards."""
    back_to = error.back_to if isinstance(error, LoginRequired) else HOME
    return RedirectResponse(f"/login?next={quote(back_to, safe='/')}", status_code=303)


def forget_user(request: Request) -> None:
    """End the session's login, keeping the visitor's language."""
    # The language is the visitor's choice, not the user's: it outlives the login.
    locale = request.session.get(SESSION_LOCALE)
    request.session.clear()
    if locale:
        request.session[SESSION_LOCALE] = locale
