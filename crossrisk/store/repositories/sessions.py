"""Page sessions, kept by the digest of the id their cookie carries."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete, update
from sqlalchemy.orm import Session

from crossrisk.store.models import SessionRow


class SessionRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def add(self, *, id_sha256: str, user_id: int, now: datetime, expires_at: datetime) -> None:
        """Record a session started at `now`."""
        self.session.add(
            SessionRow(id_sha256=id_sha256, user_id=user_id, created_at=now, expires_at=expires_at)
        )
        self.session.flush()

    def user_id_of(self, id_sha256: str, *, now: datetime) -> int | None:
        """The user of a live session (neither expired nor revoked), if there is one."""
        row = self.session.get(SessionRow, id_sha256)
        if row is None or row.revoked_at is not None or row.expires_at <= now:
            return None
        return row.user_id

    def revoke(self, id_sha256: str, *, now: datetime) -> bool:
        """End one session; False when it was not live."""
        result = self.session.execute(
            update(SessionRow)
            .where(SessionRow.id_sha256 == id_sha256, SessionRow.revoked_at.is_(None))
            .values(revoked_at=now)
        )
        return bool(result.rowcount)  # type: ignore[attr-defined]

    def revoke_all_of(self, user_id: int, *, now: datetime, keep_sha256: str | None = None) -> int:
        """End every live session of a user but `keep_sha256`; how many there were."""
        result = self.session.execute(
            update(SessionRow)
            .where(
                SessionRow.user_id == user_id,
                SessionRow.revoked_at.is_(None),
                SessionRow.expires_at > now,
                SessionRow.id_sha256 != (keep_sha256 or ""),
            )
            .values(revoked_at=now)
        )
        return int(result.rowcount)  # type: ignore[attr-defined]

    def purge(self, *, now: datetime) -> None:
        """Forget sessions that have expired."""
        self.session.execute(delete(SessionRow).where(SessionRow.expires_at <= now))
