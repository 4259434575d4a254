"""Verifying and reading the journal over HTTP."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from fastapi import APIRouter, Query
from pydantic import BaseModel

from crossrisk.domain.journal_search import PAGE_DEFAULT, PAGE_MAX, parse_journal_query
from crossrisk.http.deps import ActorDep, UowDep
from crossrisk.services import journal

router = APIRouter(prefix="/api/journal", tags=["journal"])


class VerificationOut(BaseModel):
    ok: bool
    entries: int
    head_hash: str
    first_broken_seq: int | None
    problem: str | None


class EntryOut(BaseModel):
    seq: int
    at: datetime
    actor: str
    organisation: str
    action: str
    subject: str
    payload: dict[str, Any]
    prev_hash: str
    hash: str


class EntriesOut(BaseModel):
    entries: list[EntryOut]
    next_before: int | None  # pass as `before` for the next (older) page; null on the last


@router.get("/verify", response_model=VerificationOut)
def verify(actor: ActorDep, uow: UowDep) -> VerificationOut:
    """Recompute the hash chain and name the first broken entry, if any."""
    result = journal.verify_journal(uow, actor)
    return VerificationOut(
        ok=result.ok,
        entries=result.entries,
        head_hash=result.head_hash,
        first_broken_seq=result.first_broken_seq,
        problem=result.problem,
    )


@router.get("/entries", response_model=EntriesOut)
def entries(
    actor: ActorDep,
    uow: UowDep,
    subject: str = Query(
        default="", max_length=160, description='e.g. "risk:12"; ending in ":", every such'
    ),
    organisation: str = Query(default="", max_length=64),
    action: str = Query(
        default="", max_length=64, description='e.g. "warning.acknowledged"; "warning." for all'
    ),
    since: str = Query(default="", max_length=10, description="YYYY-MM-DD, Beijing date"),
    until: str = Query(
        default="", max_length=10, description="YYYY-MM-DD, Beijing date, inclusive"
    ),
    limit: int = Query(default=PAGE_DEFAULT, ge=1, le=PAGE_MAX),
    before: int | None = Query(default=None, ge=1, description="entries before this seq"),
) -> EntriesOut:
    """Journal entries the caller may read that match the filters, newest first."""
    query = parse_journal_query(
        subject=subject,
        organisation=organisation,
        action=action,
        since=since,
        until=until,
        limit=limit,
        before="" if before is None else before,
    )
    page = journal.search_journal(uow, actor, query)
    return EntriesOut(
        entries=[
            EntryOut(
                seq=entry.seq,
                at=entry.at,
                actor=entry.actor,
                organisation=entry.organisation,
                action=entry.action,
                subject=entry.subject,
                payload=dict(entry.payload),
                prev_hash=entry.prev_hash,
                hash=entry.hash,
            )
            for entry in page.entries
        ],
        next_before=page.next_before,
    )
