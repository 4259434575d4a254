"""Organisations, users and API tokens."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from crossrisk.domain.errors import NotFound
from crossrisk.domain.organisation import Organisation, OrganisationKind, Role
from crossrisk.store.models import ApiTokenRow, OrganisationRow, UserRow


@dataclass(frozen=True, slots=True)
class StoredUser:
    id: int
    username: str
    display_name: str
    organisation: Organisation
    role: Role
    password_hash: str
    active: bool
    admin: bool = False


class OrganisationRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def upsert(self, organisation: Organisation) -> None:
        """Insert the organisation or refresh its names and links."""
        row = self.session.get(OrganisationRow, organisation.code) or OrganisationRow(
            code=organisation.code
        )
        row.kind = organisation.kind.value
        row.name_zh = organisation.name_zh
        row.name_en = organisation.name_en
        row.jurisdiction_code = organisation.jurisdiction_code
        row.region_code = organisation.region_code
        row.category = organisation.category
        self.session.add(row)
        self.session.flush()

    def get(self, code: str) -> Organisation:
        """The organisation with this code, or NotFound."""
        row = self.session.get(OrganisationRow, code)
        if row is None:
            raise NotFound(f"organisation {code!r} does not exist")
        return _organisation(row)

    def of_kind(self, kind: OrganisationKind) -> list[Organisation]:
        """Every organisation of one kind, by code."""
        rows = self.session.scalars(
            select(OrganisationRow)
            .where(OrganisationRow.kind == kind.value)
            .order_by(OrganisationRow.code)
        )
        return [_organisation(row) for row in rows]

    def all(self) -> list[Organisation]:
        """Every organisation, by code."""
        rows = self.session.scalars(select(OrganisationRow).order_by(OrganisationRow.code))
        return [_organisation(row) for row in rows]

    def add_user(
        self,
        *,
        username: str,
        display_name: str,
        organisation_code: str,
        role: Role,
        password_hash: str,
        now: datetime,
        admin: bool = False,
    ) -> StoredUser:
        """Insert a user."""
        row = UserRow(
            username=username,
            display_name=display_name,
            organisation_code=organisation_code,
            role=role.value,
            password_hash=password_hash,
            active=True,
            admin=admin,
            created_at=now,
        )
        self.session.add(row)
        self.session.flush()
        return self._user(row)

    def user_by_name(self, username: str) -> StoredUser | None:
        """The user with this name, if any."""
        row = self.session.scalars(select(UserRow).where(UserRow.username == username)).first()
        return None if row is None else self._user(row)

    def users_of(self, organisation_code: str) -> list[StoredUser]:
        """The organisation's users, by username."""
        rows = self.session.scalars(
            select(UserRow)
            .where(UserRow.organisation_code == organisation_code)
            .order_by(UserRow.username)
        )
        return [self._user(row) for row in rows]

    def display_names(self) -> dict[str, str]:
        """Every user's display name by username (empty names left out)."""
        rows = self.session.execute(select(UserRow.username, UserRow.display_name))
        return {username: name for username, name in rows if name}

    def count_active_admins(self, organisation_code: str) -> int:
        """How many enabled administrators the organisation has."""
        rows = self.session.scalars(
            select(UserRow.id).where(
                UserRow.organisation_code == organisation_code,
                UserRow.admin.is_(True),
                UserRow.active.is_(True),
            )
        )
        return len(rows.all())

    def set_active(self, user_id: int, active: bool) -> None:
        """Enable or disable a user."""
        self.session.execute(update(UserRow).where(UserRow.id == user_id).values(active=active))

    def set_display_name(self, user_id: int, display_name: str) -> None:
        """Rename a user as pages show them."""
        self.session.execute(
            update(UserRow).where(UserRow.id == user_id).values(display_name=display_name)
        )

    def set_password_hash(self, user_id: int, password_hash: str) -> None:
        """Store a rehashed password (Argon2 parameters may have been raised)."""
        row = self.session.get(UserRow, user_id)
        if row is not None:
            row.password_hash = password_hash
            self.session.flush()

    def add_token(
        self, *, token_sha256: str, user_id: int, now: datetime, expires_at: datetime
    ) -> None:
        """Record an issued API token by its digest."""
        self.session.add(
            ApiTokenRow(
                token_sha256=token_sha256, user_id=user_id, created_at=now, expires_at=expires_at
            )
        )
        self.session.flush()

    def user_by_token(self, token_sha256: str, *, now: datetime) -> StoredUser | None:
        """The active user holding an unexpired token with this digest."""
        row = self.session.get(ApiTokenRow, token_sha256)
        if row is None or row.revoked_at is not None or row.expires_at <= now:
            return None
        user = self.session.get(UserRow, row.user_id)
        return None if user is None or not user.active else self._user(user)

    def user_by_id(self, user_id: int) -> StoredUser | None:
        """The user with this id, if any."""
        row = self.session.get(UserRow, user_id)
        return None if row is None else self._user(row)

    def revoke_tokens_of(
        self, user_id: int, *, now: datetime, keep_sha256: str | None = None
    ) -> int:
        """Revoke every live API token of a user but `keep_sha256`; how many there were."""
        result = self.session.execute(
            update(ApiTokenRow)
            .where(
                ApiTokenRow.user_id == user_id,
                ApiTokenRow.revoked_at.is_(None),
                ApiTokenRow.expires_at > now,
                ApiTokenRow.token_sha256 != (keep_sha256 or ""),
            )
            .values(revoked_at=now)
        )
        return int(result.rowcount)  # type: ignore[attr-defined]

    def purge_tokens(self, *, now: datetime) -> None:
        """Forget expired tokens."""
        self.session.execute(delete(ApiTokenRow).where(ApiTokenRow.expires_at <= now))

    def _user(self, row: UserRow) -> StoredUser:
        return StoredUser(
            id=row.id,
            username=row.username,
            display_name=row.display_name,
            organisation=self.get(row.organisation_code),
            role=Role(row.role),
            password_hash=row.password_hash,
            active=row.active,
            admin=row.admin,
        )


def _organisation(row: OrganisationRow) -> Organisation:
    return Organisation(
        code=row.code,
        kind=OrganisationKind(row.kind),
        name_zh=row.name_zh,
        name_en=row.name_en,
        jurisdiction_code=row.jurisdiction_code,
        region_code=row.region_code,
        category=row.category,
    )
