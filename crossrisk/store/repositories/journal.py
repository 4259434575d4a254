"""Appending to and reading the hash-chained journal."""

from __future__ import annotations

import json
from collections.abc import Collection, Iterator, Mapping
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, String, cast, literal, or_, select
from sqlalchemy.orm import InstrumentedAttribute, Session

from crossrisk.domain.journal import JournalEntry, canonical_json, next_entry
from crossrisk.domain.journal_search import JournalQuery
from crossrisk.domain.organisation import Actor
from crossrisk.store.models import JournalEntryRow, JournalHeadRow, RiskRow, WarningRow


class JournalRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def append(
        self,
        actor: Actor,
        action: str,
        *,
        subject: str,
        payload: Mapping[str, Any],
        now: datetime,
    ) -> JournalEntry:
        """Add the next entry; the head row lock orders concurrent writers on PostgreSQL."""
        head = self.session.execute(
            select(JournalHeadRow).where(JournalHeadRow.id == 1).with_for_update()
        ).scalar_one()
        entry = next_entry(
            prev_seq=head.seq,
            prev_hash=head.hash,
            at=now,
            actor=actor.username,
            organisation=actor.organisation.code,
            action=action,
            subject=subject,
            payload=payload,
        )
        self.session.add(
            JournalEntryRow(
                seq=entry.seq,
                at=entry.at,
                actor=entry.actor,
                organisation=entry.organisation,
                action=entry.action,
                subject=entry.subject,
                payload=canonical_json(entry.payload),
                prev_hash=entry.prev_hash,
                hash=entry.hash,
            )
        )
        head.seq = entry.seq
        head.hash = entry.hash
        self.session.flush()
        return entry

    def head(self) -> int:
        """The sequence number of the newest entry (0 for an empty journal)."""
        seq = self.session.scalar(select(JournalHeadRow.seq).where(JournalHeadRow.id == 1))
        return int(seq or 0)

    def head_record(self) -> tuple[int, str]:
        """The (sequence, hash) the head row records for the newest entry."""
        row = self.session.execute(
            select(JournalHeadRow.seq, JournalHeadRow.hash).where(JournalHeadRow.id == 1)
        ).one()
        return int(row.seq or 0), str(row.hash)

    def at(self, seq: int) -> JournalEntry | None:
        """The entry with this sequence number, if there is one."""
        row = self.session.get(JournalEntryRow, seq)
        return None if row is None else _entry(row)

    def after(self, seq: int, *, limit: int) -> list[JournalEntry]:
        """Up to `limit` entries with a sequence number above `seq`, oldest first.

        Sequence numbers are gapless and only grow, so "everything after seq N" is a
        complete, ordered answer in every process on the same database; the live event
        stream resumes from it.
        """
        rows = self.session.scalars(
            select(JournalEntryRow)
            .where(JournalEntryRow.seq > seq)
            .order_by(JournalEntryRow.seq)
            .limit(limit)
        ).all()
        return [_entry(row) for row in rows]

    def entries(self, *, batch: int = 1000) -> Iterator[JournalEntry]:
        """Every entry in sequence order, read in batches to bound memory."""
        seq = 0
        while True:
            entries = self.after(seq, limit=batch)
            if not entries:
                return
            yield from entries
            seq = entries[-1].seq

    def about(self, subject: str) -> list[JournalEntry]:
        """The entries about one record, oldest first: its history."""
        rows = self.session.scalars(
            select(JournalEntryRow)
            .where(JournalEntryRow.subject == subject)
            .order_by(JournalEntryRow.seq)
        ).all()
        return [_entry(row) for row in rows]

    def about_each(self, subjects: Collection[str]) -> dict[str, list[JournalEntry]]:
        """The entries about each of many records, oldest first: their histories at once."""
        found: dict[str, list[JournalEntry]] = {subject: [] for subject in subjects}
        wanted = sorted(found)
        # In chunks, to stay below the backends' limits on bound parameters.
        for start in range(0, len(wanted), 500):
            rows = self.session.scalars(
                select(JournalEntryRow)
                .where(JournalEntryRow.subject.in_(wanted[start : start + 500]))
                .order_by(JournalEntryRow.seq)
            ).all()
            for row in rows:
                found[row.subject].append(_entry(row))
        return found

    def latest(self, *, limit: int) -> list[JournalEntry]:
        """The newest entries, newest first."""
        rows = self.session.scalars(
            select(JournalEntryRow).order_by(JournalEntryRow.seq.desc()).limit(limit)
        ).all()
        return [_entry(row) for row in rows]

    def search(
        self,
        query: JournalQuery,
        *,
        region_codes: Collection[str] | None,
        organisation: str,
        limit: int,
    ) -> list[JournalEntry]:
        """Up to `limit` entries matching the query, newest first, before its cursor.

        With `region_codes`, only what an organisation of those regions may read: entries
        about their risks and warnings, and what the organisation wrote itself.
        """
        statement = select(JournalEntryRow).order_by(JournalEntryRow.seq.desc()).limit(limit)
        if query.subject:
            statement = statement.where(_exact_or_prefix(JournalEntryRow.subject, query.subject))
        if query.organisation:
            statement = statement.where(JournalEntryRow.organisation == query.organisation)
        if query.action:
            statement = statement.where(_exact_or_prefix(JournalEntryRow.action, query.action))
        if query.start is not None:
            statement = statement.where(JournalEntryRow.at >= query.start)
        if query.end is not None:
            statement = statement.where(JournalEntryRow.at < query.end)
        if query.before_seq is not None:
            statement = statement.where(JournalEntryRow.seq < query.before_seq)
        if region_codes is not None:
            statement = statement.where(_visible(list(region_codes), organisation))
        return [_entry(row) for row in self.session.scalars(statement).all()]

    def about_risk(self, risk_id: int, *, limit: int) -> list[JournalEntry]:
        """A risk's whole history, oldest first: the risk, its warnings (their deliveries
        and acknowledgements) and any record whose entries name the risk in `risk_id`."""
        warning_subjects = select(literal("warning:") + WarningRow.id).where(
            WarningRow.risk_id == risk_id
        )
        rows = self.session.scalars(
            select(JournalEntryRow)
            .where(
                or_(
                    JournalEntryRow.subject == f"risk:{risk_id}",
                    JournalEntryRow.subject.in_(warning_subjects),
                    *_names("risk_id", risk_id),
                )
            )
            .order_by(JournalEntryRow.seq)
            .limit(limit)
        ).all()
        return [_entry(row) for row in rows]

    def about_aid_request(self, request_id: int, *, limit: int) -> list[JournalEntry]:
        """An aid request's whole cycle, oldest first: the request, and its offers,
        commitments and shipments (whose entries name it in `request_id`)."""
        rows = self.session.scalars(
            select(JournalEntryRow)
            .where(
                or_(
                    JournalEntryRow.subject == f"aid_request:{request_id}",
                    *_names("request_id", request_id),
                )
            )
            .order_by(JournalEntryRow.seq)
            .limit(limit)
        ).all()
        return [_entry(row) for row in rows]


def _names(field: str, number: int) -> list[ColumnElement[bool]]:
    """Entries whose payload names the number in the field. Canonical JSON has sorted keys
    and no spaces, so the number is followed by "," or "}"."""
    return [JournalEntryRow.payload.like(f'%"{field}":{number}{end}%') for end in (",", "}")]


def _exact_or_prefix(column: InstrumentedAttribute[str], value: str) -> ColumnElement[bool]:
    if value.endswith((":", ".")):
        escaped = value.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        return column.like(escaped + "%", escape="\\")
    return column == value


def _visible(region_codes: list[str], organisation: str) -> ColumnElement[bool]:
    risk_subjects = select(literal("risk:") + cast(RiskRow.id, String)).where(
        RiskRow.region_code.in_(region_codes)
    )
    warning_subjects = select(literal("warning:") + WarningRow.id).where(
        WarningRow.region_code.in_(region_codes)
    )
    region_subjects = [f"region:{code}" for code in region_codes]
    return or_(
        JournalEntryRow.organisation == organisation,
        JournalEntryRow.subject.in_(risk_subjects),
        JournalEntryRow.subject.in_(warning_subjects),
        JournalEntryRow.subject.in_(region_subjects),
    )


def _entry(row: JournalEntryRow) -> JournalEntry:
    return JournalEntry(
        seq=row.seq,
        at=row.at,
        actor=row.actor,
        organisation=row.organisation,
        action=row.action,
        subject=row.subject,
        payload=json.loads(row.payload),
        prev_hash=row.prev_hash,
        hash=row.hash,
    )
