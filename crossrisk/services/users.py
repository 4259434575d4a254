"""Users: adding them, their passwords, API tokens, revocation, and a login's Actor."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta

from crossrisk.domain.errors import InvalidInput, NotAuthenticated, NotFound, NotPermitted
from crossrisk.domain.login_throttle import ThrottleKind
from crossrisk.domain.organisation import Actor, Organisation, OrganisationKind, Role
from crossrisk.domain.permissions.regions import require_operator
from crossrisk.domain.permissions.users import can_manage_users, require_manage_users
from crossrisk.domain.risk import check_text
from crossrisk.services import credentials, logins
from crossrisk.services.credentials import SHARED_CHECKS, PasswordChecks
from crossrisk.services.delivery import regions_of_organisation
from crossrisk.store.repositories.organisations import StoredUser
from crossrisk.store.uow import Transaction, UnitOfWork

USERNAME_PATTERN = re.compile(r"^[a-z0-9][a-z0-9._-]{1,63}$")
TOKEN_LIFETIME = timedelta(hours=12)
DISPLAY_NAME_MAX = 200


def add_user(
    uow: UnitOfWork,
    actor: Actor,
    *,
    username: str,
    password: str,
    organisation_code: str,
    role: Role | str,
    display_name: str = "",
    admin: bool = False,
    now: datetime,
) -> StoredUser:
    """Create a user of an organisation: the operator, or whoever manages its users."""
    role = parse_role(role)
    if not USERNAME_PATTERN.match(username):
        raise InvalidInput(
            "username must be 2–64 characters of lower-case letters, digits, '.', '_' or '-'",
            key="username-invalid",
        )
    name = check_text("display_name", display_name, limit=DISPLAY_NAME_MAX, required=False)
    credentials.check_new_password(password)
    with uow.read_only() as tx:
        _require_manage(tx, actor, organisation_code)
    # Hashed before the transaction: the hash is slow on purpose, and no writer should wait.
    password_hash = credentials.hash_password(password)
    with uow as tx:
        organisation = _require_manage(tx, actor, organisation_code)
        if tx.organisations.user_by_name(username) is not None:
            raise InvalidInput(
                f"user {username!r} already exists",
                key="user-exists",
                params={"username": username},
            )
        user = tx.organisations.add_user(
            username=username,
            display_name=name or username,
            organisation_code=organisation.code,
            role=role,
            password_hash=password_hash,
            admin=admin,
            now=now,
        )
        tx.record(
            actor,
            "user.added",
            subject=f"user:{username}",
            payload={
                "username": username,
                "organisation": organisation.code,
                "role": role.value,
                "display_name": user.display_name,
                "admin": admin,
            },
            region_code=organisation.region_code,
            now=now,
        )
        tx.commit()
    return user


def parse_role(value: Role | str) -> Role:
    """The role named by value, or InvalidInput."""
    try:
        return Role(value)
    except ValueError:
        known = ", ".join(r.value for r in Role)
        raise InvalidInput(
            f"unknown role {str(value)[:20]!r}; known: {known}", key="role-unknown"
        ) from None


def users_of(uow: UnitOfWork, actor: Actor, organisation_code: str) -> list[StoredUser]:
    """The users of an organisation, for whoever manages them."""
    with uow.read_only() as tx:
        _require_manage(tx, actor, organisation_code)
        return tx.organisations.users_of(organisation_code)


def user_named(uow: UnitOfWork, actor: Actor, username: str) -> StoredUser:
    """One user, for whoever manages their organisation."""
    with uow.read_only() as tx:
        user = _user_named(tx, username)
        _require_manage(tx, actor, user.organisation.code)
        return user


def acting_as(uow: UnitOfWork, username: str) -> Actor:
    """The actor of an active user, for the operator's commands run on a user's behalf
    (`--as USER`): the user's own permissions apply, not the operator's."""
    if not isinstance(username, str) or not 0 < len(username) <= 64 or "\x00" in username:
        raise InvalidInput("a username is 1 to 64 characters", key="username-invalid")
    with uow.read_only() as tx:
        user = _user_named(tx, username)
        if not user.active:
            raise NotPermitted(
                f"user {user.username!r} is disabled",
                key="user-disabled",
                params={"username": user.username},
            )
        return _actor(tx, user)


def managed_organisations(uow: UnitOfWork, actor: Actor) -> list[Organisation]:
    """The organisations whose users the actor manages, by code (none for most users)."""
    with uow.read_only() as tx:
        return [
            organisation
            for organisation in tx.organisations.all()
            if organisation.kind is not OrganisationKind.SYSTEM
            and can_manage_users(actor, organisation, regions_of_organisation(tx, organisation))
        ]


def display_names(uow: UnitOfWork) -> dict[str, str]:
    """Every user's display name by username, for pages that name who did something."""
    with uow.read_only() as tx:
        return tx.organisations.display_names()


def rename_user(
    uow: UnitOfWork, actor: Actor, *, username: str, display_name: str, now: datetime
) -> StoredUser:
    """Set the name pages show for a user (their username when left empty)."""
    return change_user(uow, actor, username=username, display_name=display_name, now=now)


def disable_user(uow: UnitOfWork, actor: Actor, *, username: str, now: datetime) -> Revoked:
    """Stop a user from logging in and end their sessions and tokens at once.

    An administrator may not disable themself when no other enabled administrator of
    their organisation would remain: the organisation would be left with no one to manage it.
    """
    with uow as tx:
        user = _user_named(tx, username)
        _require_manage(tx, actor, user.organisation.code)
        revoked = _disable(tx, actor, user, now=now)
        tx.commit()
    return revoked


def enable_user(uow: UnitOfWork, actor: Actor, *, username: str, now: datetime) -> StoredUser:
    """Let a disabled user log in again (with the password they had)."""
    return change_user(uow, actor, username=username, active=True, now=now)


def change_user(
    uow: UnitOfWork,
    actor: Actor,
    *,
    username: str,
    display_name: str | None = None,
    active: bool | None = None,
    now: datetime,
) -> StoredUser:
    """Rename, disable or enable a user, or several of these at once, in one transaction."""
    name = (
        None
        if display_name is None
        else check_text("display_name", display_name, limit=DISPLAY_NAME_MAX, required=False)
    )
    with uow as tx:
        user = _user_named(tx, username)
        _require_manage(tx, actor, user.organisation.code)
        if name is not None:
            shown = name or user.username
            tx.organisations.set_display_name(user.id, shown)
            tx.record(
                actor,
                "user.renamed",
                subject=f"user:{user.username}",
                payload={"username": user.username, "from": user.display_name, "to": shown},
                region_code=user.organisation.region_code,
                now=now,
            )
        if active is False:
            _disable(tx, actor, user, now=now)
        elif active is True:
            tx.organisations.set_active(user.id, True)
            tx.record(
                actor,
                "user.enabled",
                subject=f"user:{user.username}",
                payload={"username": user.username},
                region_code=user.organisation.region_code,
                now=now,
            )
        tx.commit()
        changed = tx.organisations.user_by_id(user.id)
    assert changed is not None  # just written in this transaction
    return changed


def _disable(tx: Transaction, actor: Actor, user: StoredUser, *, now: datetime) -> Revoked:
    if (
        user.username == actor.username
        and user.admin
        and user.active
        and tx.organisations.count_active_admins(user.organisation.code) <= 1
    ):
        raise InvalidInput(
            f"{user.username} is the last administrator of {user.organisation.code}; "
            "make another one first",
            key="user-last-admin",
            params={"organisation": user.organisation.code},
        )
    tx.organisations.set_active(user.id, False)
    return _revoke_all(tx, actor, user, "user.disabled", now=now)


def change_own_password(
    uow: UnitOfWork,
    actor: Actor,
    *,
    current_password: str,
    new_password: str,
    address: str | None,
    now: datetime,
    checks: PasswordChecks = SHARED_CHECKS,
    keep_session: str | None = None,
    keep_token: str | None = None,
) -> Revoked:
    """Change one's own password, proving the current one; other sessions and tokens end.

    The current password is checked as a login is, throttled per account and address, so
    a stolen session cannot be used to guess it. The session or token the change was made
    with (`keep_session`, `keep_token`) goes on; every other one ends.
    """
    credentials.check_new_password(new_password)
    try:
        login = logins.check_credentials(
            uow,
            username=actor.username,
            password=current_password,
            address=address,
            now=now,
            checks=checks,
        )
    except NotAuthenticated:
        raise InvalidInput("the current password is wrong", key="password-current-wrong") from None
    password_hash = credentials.hash_password(new_password)
    with uow as tx:
        user = _user_named(tx, login.user.username)
        tx.organisations.set_password_hash(user.id, password_hash)
        tx.login_throttles.forget(ThrottleKind.ACCOUNT, user.username)
        revoked = _revoke_all(
            tx,
            actor,
            user,
            "user.password_changed",
            now=now,
            keep_session=keep_session,
            keep_token=keep_token,
        )
        tx.commit()
    return revoked


def _require_manage(tx: Transaction, actor: Actor, organisation_code: str) -> Organisation:
    organisation = tx.organisations.get(organisation_code)
    require_manage_users(actor, organisation, regions_of_organisation(tx, organisation))
    return organisation


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
    require_operator(actor)
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
    require_operator(actor)
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
        raise NotFound(
            f"user {username!r} does not exist",
            key="user-unknown",
            params={"username": username[:64]},
        )
    return user


def _revoke_all(
    tx: Transaction,
    actor: Actor,
    user: StoredUser,
    action: str,
    *,
    now: datetime,
    keep_session: str | None = None,
    keep_token: str | None = None,
) -> Revoked:
    """End the user's sessions and tokens (but those kept) and journal it as `action`."""
    revoked = Revoked(
        sessions=tx.sessions.revoke_all_of(
            user.id, now=now, keep_sha256=keep_session and credentials.digest(keep_session)
        ),
        tokens=tx.organisations.revoke_tokens_of(
            user.id, now=now, keep_sha256=keep_token and credentials.digest(keep_token)
        ),
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
    return actor_of(
        tx,
        username=user.username,
        organisation=user.organisation,
        role=user.role,
        admin=user.admin,
        display_name=user.display_name,
    )


def actor_of(
    tx: Transaction,
    *,
    username: str,
    organisation: Organisation,
    role: Role,
    admin: bool = False,
    display_name: str = "",
) -> Actor:
    """The actor of a member of an organisation, with the regions it reads (in an open tx)."""
    if organisation.kind is OrganisationKind.JURISDICTION and organisation.jurisdiction_code:
        regions = frozenset(tx.regions.regions_of(organisation.jurisdiction_code))
    elif organisation.region_code:
        regions = frozenset({organisation.region_code})
    else:
        regions = frozenset()
    return Actor(
        username=username,
        organisation=organisation,
        role=role,
        region_codes=regions,
        admin=admin,
        display_name=display_name,
    )
