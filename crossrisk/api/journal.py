"""Verifying the journal over HTTP."""

from __future__ import annotations

from fastapi import APIRouter
from pydantic import BaseModel

from crossrisk.http.deps import ActorDep, UowDep
from crossrisk.services import journal

router = APIRouter(prefix="/api/journal", tags=["journal"])


class VerificationOut(BaseModel):
    ok: bool
    entries: int
    head_hash: str
    first_broken_seq: int | None
    problem: str | None


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
