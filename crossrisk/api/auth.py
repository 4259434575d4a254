"""Logging in to the API."""

from __future__ import annotations

from fastapi import APIRouter
from pydantic import BaseModel, Field

from crossrisk.http.deps import ActorDep, UowDep, utc_now
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


@router.post(
    "/token",
    response_model=TokenOut,
    responses={401: {"description": "unknown username or wrong password"}},
)
def token(credentials: Credentials, uow: UowDep) -> TokenOut:
    """Exchange a username and password for a bearer token."""
    issued = users.issue_token(
        uow, username=credentials.username, password=credentials.password, now=utc_now()
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
    )
