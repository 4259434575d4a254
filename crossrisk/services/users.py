"""Users: adding them, logging in, API tokens, and turning a login into an Actor."""

from __future__ import annotations

import hashlib
import re
import secrets
from datetime import datetime, timedelta
from functools import cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from crossrisk.domain import permissions
from crossrisk.domain.errors import InvalidInput, NotAuthenticated
from crossrisk.domain.organisation import Actor, Organisation, OrganisationKind, Role
from crossrisk.store.repositories.organisations import StoredUser
from crossrisk.store.uow import Transaction, UnitOfWork

USERNAME_PATTERN = re.compile(r"^[a-z0-9][a-z0-9._-]{1,63}$")
MIN_PASSWORD = 10
TOKEN_LIFETIME = timedelta(hours=12)

_hasher = PasswordHasher()


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
    if len(password) < MIN_PASSWORD:
        raise InvalidInput(f"password must be at least {MIN_PASSWORD} characters long")
    permissions.require_operator(actor)
    # Hashed before the transaction: the hash is slow on purpose, and no writer should wait.
    password_hash = _hasher.hash(password)
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


def authenticate(uow: UnitOfWork, *, username: str, password: str) -> Actor:
    """Check a username and password; the same refusal whichever of the two is wrong."""
    with uow.read_only() as tx:
        user = tx.organisations.user_by_name(username.strip().lower())
        actor = None if user is None else _actor(tx, user)
    # The hash is slow on purpose; it is checked outside any transaction so nobody waits.
    if user is None or actor is None or not user.active:
        _verify(_dummy_hash(), password)
        raise NotAuthenticated("unknown username or wrong password")
    if not _verify(user.password_hash, password):
        raise NotAuthenticated("unknown username or wrong password")
    if _hasher.check_needs_rehash(user.password_hash):
        rehashed = _hasher.hash(password)
        with uow as tx:
            tx.organisations.set_password_hash(user.id, rehashed)
            tx.commit()
    return actor


def issue_token(uow: UnitOfWork, *, username: str, password: str, now: datetime) -> str:
    """Log in for the API: a random bearer token, stored only as its digest."""
    actor = authenticate(uow, username=username, password=password)
    token = secrets.token_urlsafe(32)
    with uow as tx:
        user = tx.organisations.user_by_name(actor.username)
        assert user is not None
        tx.organisations.purge_tokens(now=now)
        tx.organisations.add_token(
            token_sha256=_digest(token), user_id=user.id, now=now, expires_at=now + TOKEN_LIFETIME
        )
        tx.commit()
    return token


def actor_for_token(uow: UnitOfWork, token: str, *, now: datetime) -> Actor:
    """The actor holding a bearer token, or NotAuthenticated."""
    with uow.read_only() as tx:
        user = tx.organisations.user_by_token(_digest(token), now=now)
        if user is None:
            raise NotAuthenticated("the bearer token is unknown or expired; log in again")
        return _actor(tx, user)


def actor_for_username(uow: UnitOfWork, username: str) -> Actor:
    """The actor of a logged-in page session, or NotAuthenticated if the user is gone."""
    with uow.read_only() as tx:
        user = tx.organisations.user_by_name(username)
        if user is None or not user.active:
            raise NotAuthenticated("the session's user no longer exists; log in again")
        return _actor(tx, user)


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


@cache
def _dummy_hash() -> str:
    # Verifying against this when the user is unknown keeps the response time of a wrong
    # username the same as of a wrong password. Made on first use, not at import: every
    # command would pay for it otherwise.
    return _hasher.hash(secrets.token_hex(16))


def _verify(password_hash: str, password: str) -> bool:
    try:
        return _hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()
