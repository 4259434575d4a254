"""Page sessions kept on the server: started by a login, ended by logout or revocation.

The cookie carries only a random session id; the database keeps its digest, its expiry
and when it was revoked, so logging out ends the session for every copy of the cookie.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from crossrisk.domain.errors import NotAuthenticated
from crossrisk.domain.organisation import Actor
from crossrisk.services import credentials, logins, users
from crossrisk.services.credentials import PasswordChecks
from crossrisk.store.uow import UnitOfWork

SESSION_LIFETIME = timedelta(hours=12)


@dataclass(frozen=True, slots=True)
class StartedSession:
    """A new session: the id for the cookie, and who logged in."""

    id: str
    actor: Actor


def start_session(
    uow: UnitOfWork,
    *,
    username: str,
    password: str,
    address: str | None,
    now: datetime,
    checks: PasswordChecks,
) -> StartedSession:
    """Log in to the pages: check the password (throttled) and record a new session."""
    login = logins.check_credentials(
        uow, username=username, password=password, address=address, now=now, checks=checks
    )
    session_id = credentials.new_secret()
    with uow as tx:
        logins.record_success(tx, login)
        tx.sessions.purge(now=now)
        tx.sessions.add(
            id_sha256=credentials.digest(session_id),
            user_id=login.user.id,
            now=now,
            expires_at=now + SESSION_LIFETIME,
        )
        actor = users.actor_of(
            tx,
            username=login.user.username,
            organisation=login.user.organisation,
            role=login.user.role,
            admin=login.user.admin,
            display_name=login.user.display_name,
        )
        tx.commit()
    return StartedSession(session_id, actor)


def actor_for_session(uow: UnitOfWork, session_id: str, *, now: datetime) -> Actor:
    """The user of a live session, or NotAuthenticated (expired, revoked, user gone)."""
    with uow.read_only() as tx:
        user_id = tx.sessions.user_id_of(credentials.digest(session_id), now=now)
        user = None if user_id is None else tx.organisations.user_by_id(user_id)
        if user is None or not user.active:
            raise NotAuthenticated("the session has ended; log in again")
        return users.actor_of(
            tx,
            username=user.username,
            organisation=user.organisation,
            role=user.role,
            admin=user.admin,
            display_name=user.display_name,
        )


def end_session(uow: UnitOfWork, session_id: str, *, now: datetime) -> None:
    """Log out: the session is revoked, so the cookie (and any copy of it) is worth nothing."""
    with uow as tx:
        tx.sessions.revoke(credentials.digest(session_id), now=now)
        tx.commit()
