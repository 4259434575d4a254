"""Logging in to the API."""

from __future__ import annotations

from functools import partial

from fastapi import APIRouter, Request
from pydantic import BaseModel, Field

from crossrisk.http.deps import (
    ActorDep,
    UowDep,
    client_address,
    login_gate,
    password_checks,
    utc_now,
)
from crossrisk.services import users

router = APIRouter(prefix="/api/auth", tags=["auth"])


class Credentials(BaseModel):
    username: str = Field(min_length=1, max_length=64)
    password: str = Field(min_length=1, max_length=1024)


class TokenOut(BaseModel):
    access_token: str
    token_type: str = "bearer"
    expires_in: int


class WhoAmI(BaseModel):
    username: str
    organisation: str
    organisation_kind: str
    role: str
    jurisdiction: str | None
    regions: list[str]
    display_name: str = Field(description="what pages call the user ('' : the username)")
    admin: bool = Field(description="manages its organisation's users")


@router.post(
    "/token",
    response_model=TokenOut,
    responses={
        401: {"description": "unknown username or wrong password"},
        429: {"description": "too many failed logins: wait Retry-After seconds"},
        503: {"description": "too many logins being checked at once: retry after a second"},
    },
)
async def token(credentials: Credentials, uow: UowDep, request: Request) -> TokenOut:
    """Exchange a username and password for a bearer token.

    Failed logins are throttled per account and per client address: 429 with Retry-After;
    503 with Retry-After while too many logins are being checked at once.
    """
    issued = await login_gate(request).run(
        partial(
            users.issue_token,
            uow,
            username=credentials.username,
            password=credentials.password,
            now=utc_now(),
            address=client_address(request),
            checks=password_checks(request),
        )
    )
    return TokenOut(access_token=issued, expires_in=int(users.TOKEN_LIFETIME.total_seconds()))


@router.get("/me", response_model=WhoAmI)
def me(actor: ActorDep) -> WhoAmI:
    """Who the token or session belongs to."""
    return WhoAmI(
        username=actor.username,
        organisation=actor.organisation.code,
        organisation_kind=actor.kind.value,
        role=actor.role.value,
        jurisdiction=actor.jurisdiction_code,
        regions=sorted(actor.region_codes),
        display_name=actor.display_name,
        admin=actor.admin,
    )
