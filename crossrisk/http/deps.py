"""Request-scoped dependencies: the unit of work, the clock and the acting user."""

from __future__ import annotations

import secrets
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Annotated, TypeVar

import anyio
from fastapi import Depends, Path, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from crossrisk.domain.errors import Busy, NotAuthenticated, NotPermitted, TooLarge
from crossrisk.domain.organisation import Actor
from crossrisk.services import sessions, users
from crossrisk.services.credentials import PasswordChecks
from crossrisk.store.uow import UnitOfWork

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
# The signed cookie holds the session's id (its record is in the database), the CSRF token
# and the visitor's language.
SESSION_ID = "session"
SESSION_CSRF = "csrf"


def get_uow(request: Request) -> UnitOfWork:
    """A fresh unit of work on the application's engine and bus."""
    return UnitOfWork(request.app.state.engine, request.app.state.bus)


def utc_now() -> datetime:
    """The current time, aware and in UTC."""
    return datetime.now(UTC)


def client_address(request: Request) -> str | None:
    """The client's address (behind a trusted proxy, the one it forwarded), if known."""
    return request.client.host if request.client else None


def password_checks(request: Request) -> PasswordChecks:
    """The application's bound on password checks at once."""
    checks: PasswordChecks = request.app.state.password_checks
    return checks


Result = TypeVar("Result")


class LoginGate:
    """Runs logins in a few threads of their own; a login waits for one holding no thread.

    A login checks a password, slow on purpose. Run in the shared thread pool, a flood of
    them would take every thread while waiting for a password-check turn, and every other
    request would queue behind them; here they wait as coroutines instead, and one that
    gets no turn within `wait` seconds is told to retry.
    """

    def __init__(self, turns: int, *, wait: float = 1.0) -> None:
        self.wait = wait
        self._turns = anyio.CapacityLimiter(turns)
        self._threads = anyio.CapacityLimiter(turns)

    async def run(self, call: Callable[[], Result]) -> Result:
        """`call()` in a login thread, or Busy when no turn frees up in time."""
        with anyio.move_on_after(self.wait) as waiting:
            await self._turns.acquire()
        if waiting.cancelled_caught:
            raise Busy(
                "too many logins are being checked at once; try again in a moment",
                key="login-busy",
                retry_after=1,
            )
        try:
            # Never cancelled midway: a session or token made must reach the client.
            return await anyio.to_thread.run_sync(call, limiter=self._threads)
        finally:
            self._turns.release()


def login_gate(request: Request) -> LoginGate:
    """The application's gate for logins."""
    gate: LoginGate = request.app.state.login_gate
    return gate


def csrf_token(request: Request) -> str:
    """The session's CSRF token, created on first use."""
    token = request.session.get(SESSION_CSRF)
    if not token:
        token = secrets.token_urlsafe(32)
        request.session[SESSION_CSRF] = token
    return str(token)


def check_csrf(request: Request, submitted: str | None) -> None:
    """Refuse a cookie-authenticated change whose token does not match the session's."""
    expected = request.session.get(SESSION_CSRF)
    if not expected or not submitted or not secrets.compare_digest(str(expected), submitted):
        raise NotPermitted(
            "the form's security token is missing or stale; reload the page", key="csrf-stale"
        )


# Declares the bearer scheme on every operation that needs a login; a request without a
# token is left to the session cookie, so the scheme refuses nothing itself.
bearer = HTTPBearer(
    auto_error=False,
    scheme_name="bearer",
    description="a token from POST /api/auth/token (the pages use their session cookie)",
)


def current_actor(
    request: Request,
    uow: Annotated[UnitOfWork, Depends(get_uow)],
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)],
) -> Actor:
    """The user behind a bearer token, or behind the page session cookie.

    A change made with the cookie must carry the session's CSRF token in the
    X-CSRF-Token header, so another site cannot make it on the user's behalf.
    """
    if credentials is not None and credentials.credentials.strip():
        return users.actor_for_token(uow, credentials.credentials.strip(), now=utc_now())
    session_id = request.session.get(SESSION_ID)
    if not session_id:
        raise NotAuthenticated("log in first: send 'Authorization: Bearer <token>'")
    if request.method not in SAFE_METHODS:
        check_csrf(request, request.headers.get("x-csrf-token"))
    return sessions.actor_for_session(uow, str(session_id), now=utc_now())


async def body_within(request: Request, limit: int, *, what: str, key: str) -> bytes:
    """The request body, refused (413) as soon as it is known to exceed the limit."""
    declared = request.headers.get("content-length", "")
    received = bytearray()
    if not (declared.isdigit() and int(declared) > limit):
        async for chunk in request.stream():
            received.extend(chunk)
            if len(received) > limit:
                break  # a body without (or with a false) length stops here
    if (declared.isdigit() and int(declared) > limit) or len(received) > limit:
        raise TooLarge(f"{what} is over {limit} bytes, the limit", key=key, params={"limit": limit})
    return bytes(received)


UowDep = Annotated[UnitOfWork, Depends(get_uow)]
# Row ids are 32-bit on PostgreSQL: a larger number in an address names nothing, and is
# refused as such before it reaches the database.
ID_MAX = 2**31 - 1
RowId = Annotated[int, Path(ge=1, le=ID_MAX, description="a row id, 1 to 2³¹−1")]
# Journal sequence numbers are 64-bit.
SEQ_MAX = 2**63 - 1
ActorDep = Annotated[Actor, Depends(current_actor)]
