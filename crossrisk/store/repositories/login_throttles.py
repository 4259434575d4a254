"""Failed logins per account and per client address, shared by every server process."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from sqlalchemy import delete, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from crossrisk.domain.login_throttle import FailedLogins, ThrottleKind, throttle_key
from crossrisk.store.models import LoginThrottleRow


class LoginThrottleRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def current(
        self, subjects: Iterable[tuple[ThrottleKind, str]], *, now: datetime
    ) -> list[FailedLogins]:
        """The failures counted against each (kind, subject), none where none are kept."""
        wanted = {throttle_key(kind, subject): (kind, subject) for kind, subject in subjects}
        rows = {
            row.key: row
            for row in self.session.scalars(
                select(LoginThrottleRow).where(LoginThrottleRow.key.in_(wanted))
            )
        }
        return [
            _failed(kind, subject, rows[key], now=now)
            if key in rows
            else FailedLogins.none(kind, subject, now=now)
            for key, (kind, subject) in wanted.items()
        ]

    def count_failure(self, kind: ThrottleKind, subject: str, *, now: datetime) -> FailedLogins:
        """Add one failure and return the record as it now stands (in a writing transaction)."""
        key = throttle_key(kind, subject)
        # Two processes may count the first failure of a key at once: the row is made if
        # missing without raising, then locked (PostgreSQL; SQLite's writer holds the lock).
        dialect = self.session.get_bind().dialect.name
        insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
        self.session.execute(
            insert(LoginThrottleRow)
            .values(key=key, failures=0, last_failure_at=now, blocked_until=now)
            .on_conflict_do_nothing(index_elements=["key"])
        )
        row = self.session.scalars(
            select(LoginThrottleRow).where(LoginThrottleRow.key == key).with_for_update()
        ).one()
        counted = _failed(kind, subject, row, now=now).after_failure(now)
        row.failures = counted.failures
        row.last_failure_at = counted.last_failure_at
        row.blocked_until = counted.blocked_until
        self.session.flush()
        return counted

    def forget(self, kind: ThrottleKind, subject: str) -> None:
        """Clear the failures of a key (an account that has just logged in)."""
        key = throttle_key(kind, subject)
        self.session.execute(delete(LoginThrottleRow).where(LoginThrottleRow.key == key))

    def purge(self, *, before: datetime) -> None:
        """Forget keys whose last failure is older than `before` (they count for nothing)."""
        self.session.execute(
            delete(LoginThrottleRow).where(LoginThrottleRow.last_failure_at < before)
        )


def _failed(
    kind: ThrottleKind, subject: str, row: LoginThrottleRow, *, now: datetime
) -> FailedLogins:
    return FailedLogins(
        kind,
        subject,
        failures=row.failures,
        last_failure_at=row.last_failure_at,
        blocked_until=row.blocked_until,
    ).as_of(now)
