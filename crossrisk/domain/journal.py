"""The append-only, hash-chained journal (DESIGN §3.10): canonical form and verification."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from typing import Any

GENESIS_HASH = "0" * 64


def canonical_json(value: Any) -> str:
    """Serialise so that equal values always give equal bytes (sorted keys, no spaces)."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def canonical_time(moment: datetime) -> str:
    """UTC time with microseconds: the precision both SQLite and PostgreSQL keep."""
    if moment.tzinfo is None:
        raise ValueError("journal times must be timezone-aware")
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


@dataclass(frozen=True, slots=True)
class JournalEntry:
    seq: int
    at: datetime
    actor: str
    organisation: str
    action: str
    subject: str  # what the entry is about, e.g. "risk:12", so a record's history is a query
    payload: Mapping[str, Any]
    prev_hash: str
    hash: str


def entry_hash(entry: JournalEntry) -> str:
    """SHA-256 over the canonical form of every field and the previous entry's hash."""
    body = canonical_json(
        {
            "seq": entry.seq,
            "at": canonical_time(entry.at),
            "actor": entry.actor,
            "organisation": entry.organisation,
            "action": entry.action,
            "subject": entry.subject,
            "payload": entry.payload,
            "prev_hash": entry.prev_hash,
        }
    )
    return hashlib.sha256(body.encode("utf-8")).hexdigest()


def next_entry(
    *,
    prev_seq: int,
    prev_hash: str,
    at: datetime,
    actor: str,
    organisation: str,
    action: str,
    subject: str,
    payload: Mapping[str, Any],
) -> JournalEntry:
    """The entry that follows the chain's head."""
    # Round-trip through JSON so the stored payload is exactly what was hashed.
    draft = JournalEntry(
        seq=prev_seq + 1,
        at=at,
        actor=actor,
        organisation=organisation,
        action=action,
        subject=subject,
        payload=json.loads(canonical_json(payload)),
        prev_hash=prev_hash,
        hash="",
    )
    return replace(draft, hash=entry_hash(draft))


@dataclass(frozen=True, slots=True)
class Verification:
    entries: int
    head_hash: str
    first_broken_seq: int | None = None
    problem: str | None = None

    @property
    def ok(self) -> bool:
        return self.first_broken_seq is None


def verify_chain(
    entries: Iterable[JournalEntry], *, head: tuple[int, str] | None = None
) -> Verification:
    """Recompute every hash in sequence order and name the first entry that does not fit.

    `head` is the (sequence, hash) the journal's head records. Read before the entries, it
    makes the end of the chain checkable too: entries cut off the end leave a chain that is
    intact in itself but shorter than its head. Entries appended after the head was read
    are not looked at.
    """
    expected_prev = GENESIS_HASH
    expected_seq = 1
    count = 0
    for entry in entries:
        if head is not None and entry.seq > head[0]:
            break
        count += 1
        problem = None
        if entry.seq != expected_seq:
            problem = f"sequence number {entry.seq} where {expected_seq} was expected"
        elif entry.prev_hash != expected_prev:
            problem = "its previous hash does not match the entry before it"
        else:
            if entry_hash(entry) != entry.hash:
                problem = "its content does not match its hash"
        if problem is not None:
            return Verification(
                entries=count, head_hash=expected_prev, first_broken_seq=entry.seq, problem=problem
            )
        expected_prev = entry.hash
        expected_seq += 1
    if head is not None and (expected_seq - 1, expected_prev) != head:
        last = expected_seq - 1
        problem = (
            f"the head records entry {head[0]} but the entries end at {last}: "
            "entries were removed from the end"
            if head[0] > last
            else f"the head's hash does not match entry {last}"
        )
        return Verification(
            entries=count, head_hash=expected_prev, first_broken_seq=last + 1, problem=problem
        )
    return Verification(entries=count, head_hash=expected_prev)
