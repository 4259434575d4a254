"""Accounts over HTTP: one's own password, and the users an administrator manages."""

from __future__ import annotations

from functools import partial

from fastapi import APIRouter, Request, Response
from pydantic import BaseModel, ConfigDict, Field

from crossrisk.api.fields import one_of
from crossrisk.domain.organisation import Role
from crossrisk.http.deps import (
    SESSION_ID,
    ActorDep,
    UowDep,
    bearer,
    client_address,
    login_gate,
    password_checks,
    utc_now,
)
from crossrisk.services import users
from crossrisk.services.users import DISPLAY_NAME_MAX
from crossrisk.store.repositories.organisations import StoredUser

router = APIRouter(prefix="/api", tags=["users"])

ROLES = [role.value for role in Role]


class PasswordChangeIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    current_password: str = Field(min_length=1, max_length=1024)
    new_password: str = Field(min_length=1, max_length=1024)


class RevokedOut(BaseModel):
    sessions_revoked: int
    tokens_revoked: int


class UserIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    username: str = Field(min_length=1, max_length=64)
    password: str = Field(min_length=1, max_length=1024)
    role: str = one_of(ROLES, max_length=16, description="officer or viewer")
    display_name: str = Field(default="", max_length=DISPLAY_NAME_MAX)
    admin: bool = Field(default=False, description="manages the organisation's users")


class UserChangeIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    display_name: str | None = Field(default=None, max_length=DISPLAY_NAME_MAX)
    active: bool | None = Field(default=None, description="false disables the user")


class UserOut(BaseModel):
    username: str
    display_name: str
    organisation: str
    role: str
    admin: bool
    active: bool


def user_out(user: StoredUser) -> UserOut:
    """The API form of a user: never the password hash."""
    return UserOut(
        username=user.username,
        display_name=user.display_name,
        organisation=user.organisation.code,
        role=user.role.value,
        admin=user.admin,
        active=user.active,
    )


@router.post(
    "/me/password",
    response_model=RevokedOut,
    responses={429: {"description": "too many wrong passwords: wait Retry-After seconds"}},
)
async def change_own_password(
    body: PasswordChangeIn, actor: ActorDep, uow: UowDep, request: Request
) -> RevokedOut:
    """Change one's own password; every other session and token of the user ends.

    The current password is checked as a login is, and throttled the same way; the token
    or session the change is made with goes on.
    """
    held = await bearer(request)
    token = held.credentials.strip() if held is not None else None
    session_id = None if token else request.session.get(SESSION_ID)
    revoked = await login_gate(request).run(
        partial(
            users.change_own_password,
            uow,
            actor,
            current_password=body.current_password,
            new_password=body.new_password,
            address=client_address(request),
            now=utc_now(),
            checks=password_checks(request),
            keep_session=str(session_id) if session_id else None,
            keep_token=token or None,
        )
    )
    return RevokedOut(sessions_revoked=revoked.sessions, tokens_revoked=revoked.tokens)


@router.get("/organisations/{code}/users", response_model=list[UserOut])
def list_users(code: str, actor: ActorDep, uow: UowDep) -> list[UserOut]:
    """The organisation's users, for its administrators and its committee's."""
    return [user_out(user) for user in users.users_of(uow, actor, code)]


@router.post("/organisations/{code}/users", response_model=UserOut, status_code=201)
def add_user(code: str, body: UserIn, actor: ActorDep, uow: UowDep, response: Response) -> UserOut:
    """Add a user to the organisation (the password policy applies)."""
    created = users.add_user(
        uow,
        actor,
        username=body.username,
        password=body.password,
        organisation_code=code,
        role=body.role,
        display_name=body.display_name,
        admin=body.admin,
        now=utc_now(),
    )
    response.headers["Location"] = f"/api/users/{created.username}"
    return user_out(created)


@router.patch("/users/{username}", response_model=UserOut)
def change_user(username: str, body: UserChangeIn, actor: ActorDep, uow: UowDep) -> UserOut:
    """Rename, disable or re-enable a user; disabling ends their sessions and tokens."""
    changed = users.change_user(
        uow,
        actor,
        username=username,
        display_name=body.display_name,
        active=body.active,
        now=utc_now(),
    )
    return user_out(changed)
