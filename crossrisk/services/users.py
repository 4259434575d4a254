"""Users: adding them, their passwords, API tokens, revocation, and a login's Actor."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta

from crossrisk.domain import permissions
from crossrisk.domain.errors import InvalidInput, NotAuthenticated, NotFound
from crossrisk.domain.login_throttle import ThrottleKind
from crossrisk.domain.organisation import Actor, Organisation, OrganisationKind, Role
from crossrisk.services import credentials, logins
from crossrisk.services.credentials import SHARED_CHECKS, PasswordChecks
from crossrisk.store.repositories.organisations import StoredUser
from crossrisk.store.uow import Transaction, UnitOfWork

USERNAME_PATTERN = re.compile(r"^[a-z0-9][a-z0-9._-]{1,63}$")
TOKEN_LIFETIME = timedelta(hours=12)


def add_user(
    uow: UnitOfWork,
    actor: Actor,
    *,
    username: str,
    password: str,
    organisation_code: str,
    role: Role,
    display_name: str = "",
    now: datetime,
) -> StoredUser:
    """Create a user of an organisation; only the operator may."""
    if not USERNAME_PATTERN.match(username):
        raise InvalidInput(
            "username must be 2–64 characters of lower-case letters, digits, '.', '_' or '-'"
        )
    credentials.check_new_password(password)
    permissions.require_operator(actor)
    # Hashed before the transaction: the hash is slow on purpose, and no writer should wait.
    password_hash = credentials.hash_password(password)
    with uow as tx:
        organisation = tx.organisations.get(organisation_code)
        if tx.organisations.user_by_name(username) is not None:
            raise InvalidInput(f"user {username!r} already exists")
        user = tx.organisations.add_user(
            username=username,
            display_name=display_name.strip() or username,
            organisation_code=organisation.code,
            role=role,
            password_hash=password_hash,
            now=now,
        )
        tx.record(
            actor,
            "user.added",
            subject=f"user:{username}",
            payload={"username": username, "organisation": organisation.code, "role": role.value},
            region_code=organisation.region_code,
            now=now,
        )
        tx.commit()
    return user


@dataclass(frozen=True, slots=True)
class Revoked:
    """What a revocation ended."""

    sessions: int
    tokens: int


def change_password(
    uow: UnitOfWork, actor: Actor, *, username: str, password: str, now: datetime
) -> Revoked:
    """Set a user's password and end every session and token of theirs; only the operator may.

    Whoever held the old password may hold a session or token made with it: they all end.
    """
    credentials.check_new_password(password)
    permissions.require_operator(actor)
    password_hash = credentials.hash_password(password)
    with uow as tx:
        user = _user_named(tx, username)
        tx.organisations.set_password_hash(user.id, password_hash)
        # A fresh start for the account, as after a successful login.
        tx.login_throttles.forget(ThrottleKind.ACCOUNT, user.username)
        revoked = _revoke_all(tx, actor, user, "user.password_changed", now=now)
        tx.commit()
    return revoked


def revoke_user(uow: UnitOfWork, actor: Actor, *, username: str, now: datetime) -> Revoked:
    """End every page session and API token of a user at once; only the operator may."""
    permissions.require_operator(actor)
    with uow as tx:
        user = _user_named(tx, username)
        revoked = _revoke_all(tx, actor, user, "user.revoked", now=now)
        tx.commit()
    return revoked


def authenticate(
    uow: UnitOfWork,
    *,
    username: str,
    password: str,
    now: datetime,
    address: str | None = None,
    checks: PasswordChecks = SHARED_CHECKS,
) -> Actor:
    """Check a username and password (throttled); the same refusal whichever is wrong."""
    login = logins.check_credentials(
        uow, username=username, password=password, address=address, now=now, checks=checks
    )
    with uow as tx:
        logins.record_success(tx, login)
        actor = _actor(tx, login.user)
        tx.commit()
    return actor


def issue_token(
    uow: UnitOfWork,
    *,
    username: str,
    password: str,
    now: datetime,
    address: str | None = None,
    checks: PasswordChecks = SHARED_CHECKS,
) -> str:
    """Log in for the API: a random bearer token, stored only as its digest."""
    login = logins.check_credentials(
        uow, username=username, password=password, address=address, now=now, checks=checks
    )
    token = credentials.new_secret()
    with uow as tx:
        logins.record_success(tx, login)
        tx.organisations.purge_tokens(now=now)
        tx.organisations.add_token(
            token_sha256=credentials.digest(token),
            user_id=login.user.id,
            now=now,
            expires_at=now + TOKEN_LIFETIME,
        )
        tx.commit()
    return token


def actor_for_token(uow: UnitOfWork, token: str, *, now: datetime) -> Actor:
    """The actor holding a live bearer token, or NotAuthenticated."""
    with uow.read_only() as tx:
        user = tx.organisations.user_by_token(credentials.digest(token), now=now)
        if user is None:
            raise NotAuthenticated("the bearer token is unknown, expired or revoked; log in again")
        return _actor(tx, user)


def _user_named(tx: Transaction, username: str) -> StoredUser:
    user = tx.organisations.user_by_name(username.strip().lower())
    if user is None:
        raise NotFound(f"user {username!r} does not exist")
    return user


def _revoke_all(
    tx: Transaction, actor: Actor, user: StoredUser, action: str, *, now: datetime
) -> Revoked:
    """End the user's sessions and tokens and journal it as `action`, with the counts."""
    revoked = Revoked(
        sessions=tx.sessions.revoke_all_of(user.id, now=now),
        tokens=tx.organisations.revoke_tokens_of(user.id, now=now),
    )
    tx.record(
        actor,
        action,
        subject=f"user:{user.username}",
        payload={
            "username": user.username,
            "sessions_revoked": revoked.sessions,
            "tokens_revoked": revoked.tokens,
        },
        region_code=user.organisation.region_code,
        now=now,
    )
    return revoked


def _actor(tx: Transaction, user: StoredUser) -> Actor:
    return actor_of(tx, username=user.username, organisation=user.organisation, role=user.role)


def actor_of(tx: Transaction, *, username: str, organisation: Organisation, role: Role) -> Actor:
    """The actor of a member of an organisation, with the regions it reads (in an open tx)."""
    if organisation.kind is OrganisationKind.JURISDICTION and organisation.jurisdiction_code:
        regions = frozenset(tx.regions.regions_of(organisation.jurisdiction_code))
    elif organisation.region_code:
        regions = frozenset({organisation.region_code})
    else:
        regions = frozenset()
    return Actor(username=username, organisation=organisation, role=role, region_codes=regions)
