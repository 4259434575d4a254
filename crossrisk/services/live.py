"""The live picture's event feed: journal entries after a position, as a reader may see them.

The journal is the event log (§3.10): its sequence numbers order every change in every
process on the same database, so a client that remembers the last number it saw can
resume anywhere, from any server process, without missing or repeating an event. Nothing
here keeps state between calls except what the caller hands back in (its position and a
cache of which region each risk or warning belongs to, which never changes).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, MutableMapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from crossrisk.domain.errors import NotFound
from crossrisk.domain.journal import JournalEntry
from crossrisk.domain.organisation import Actor
from crossrisk.domain.permissions.regions import can_read_region
from crossrisk.store.uow import Transaction, UnitOfWork

# The actions the live picture shows; others (users, regions, channels) stay in the journal.
STREAMED_PREFIXES = (
    "risk.",
    "warning.",
    "responsibility.",
    "delivery.",
    "station.",
    "duty.",
)
BATCH = 200

# The payload fields a live event carries. Only plain facts a reader of the region already
# sees on its pages: never addresses, secrets, free-text details or hazard geometries.
SHARED_FIELDS = (
    "risk_id",
    "warning",
    "recipient",
    "organisation",
    "level",
    "status",
    "msg_type",
    "expected_arrival",
    "ack_deadline",
    "via",
    "late",
    "minutes_late",
    "version",
    "situation",
    "lead",
    "from",
    "to",
    "delivery",
    "kind",
    "attempts",
    "permanent",
    "station",
    "duty",
    "deadline",
)
# Of a risk's journal snapshot, the fields a list or a map needs.
RISK_FIELDS = {"id": "risk_id", "title": "title", "level": "risk_level", "status": "risk_status"}

# Subject ("risk:12", "warning:…") -> the region it belongs to, or None when it is gone.
RegionCache = MutableMapping[str, str | None]


@dataclass(frozen=True, slots=True)
class LiveEvent:
    """One journal entry as the live picture shows it."""

    seq: int
    action: str
    at: datetime
    data: Mapping[str, Any]


@dataclass(frozen=True, slots=True)
class LiveBatch:
    """The readable events after a position, and the position read up to."""

    events: list[LiveEvent]
    position: int  # the last journal entry examined, shown or not
    more: bool  # the batch was full: more entries are waiting already


def is_streamed(action: str) -> bool:
    """True for the actions the live picture shows."""
    return action.startswith(STREAMED_PREFIXES)


def head_position(uow: UnitOfWork) -> int:
    """The position of the newest journal entry: a new client starts here."""
    with uow.read_only() as tx:
        return tx.journal.head()


def events_after(
    uow: UnitOfWork,
    actor: Actor,
    position: int,
    *,
    regions: RegionCache | None = None,
    limit: int = BATCH,
) -> LiveBatch:
    """The events after `position` that the actor may read, oldest first."""
    if position < 0:
        position = 0
    cache: RegionCache = {} if regions is None else regions
    with uow.read_only() as tx:
        entries = tx.journal.after(position, limit=limit)
        events = []
        drills: dict[int, bool] = {}
        for entry in entries:
            if not is_streamed(entry.action) or _of_drill(tx, entry, drills):
                continue
            region = _region_of(tx, entry, cache)
            # A record of no known region is shown only to those who read every region.
            if not can_read_region(actor, region or ""):
                continue
            events.append(LiveEvent(entry.seq, entry.action, entry.at, _public(entry, region)))
    last = entries[-1].seq if entries else position
    return LiveBatch(events=events, position=last, more=len(entries) >= limit)


def _region_of(tx: Transaction, entry: JournalEntry, cache: RegionCache) -> str | None:
    payload = entry.payload
    region = payload.get("region")
    if isinstance(region, str) and region:
        return region
    snapshot = payload.get("risk")
    if isinstance(snapshot, Mapping) and isinstance(snapshot.get("region"), str):
        return str(snapshot["region"])
    risk_id = payload.get("risk_id")
    if isinstance(risk_id, int) and not isinstance(risk_id, bool):
        return _cached(cache, f"risk:{risk_id}", lambda: tx.risks.get(risk_id).region_code)
    kind, _, key = entry.subject.partition(":")
    if kind == "risk" and key.isdigit():
        return _cached(cache, entry.subject, lambda: tx.risks.get(int(key)).region_code)
    if kind == "warning" and key:
        return _cached(cache, entry.subject, lambda: tx.warnings.get(key).warning.region_code)
    return None


def _of_drill(tx: Transaction, entry: JournalEntry, cache: dict[int, bool]) -> bool:
    """True for an entry about a drill's risk or its warnings and duties: the live picture
    is of real risks, and a drill's own page shows what the drill did."""
    payload = entry.payload
    if payload.get("drill") is not None:
        return True
    snapshot = payload.get("risk")
    risk_id = snapshot.get("id") if isinstance(snapshot, Mapping) else payload.get("risk_id")
    kind, _, key = entry.subject.partition(":")
    if not isinstance(risk_id, int) and kind == "risk" and key.isdigit() and len(key) < 12:
        risk_id = int(key)
    if not isinstance(risk_id, int) or isinstance(risk_id, bool):
        return False
    if risk_id not in cache:
        try:
            cache[risk_id] = tx.risks.get(risk_id).drill_id is not None
        except NotFound:
            cache[risk_id] = False
    return cache[risk_id]


def _cached(cache: RegionCache, subject: str, look_up: Callable[[], str]) -> str | None:
    # A risk or warning never moves to another region, so a found region stays true.
    if subject not in cache:
        try:
            cache[subject] = look_up()
        except NotFound:
            return None
    return cache[subject]


def _public(entry: JournalEntry, region: str | None) -> dict[str, Any]:
    payload = entry.payload
    data: dict[str, Any] = {
        "seq": entry.seq,
        "action": entry.action,
        "at": entry.at.isoformat(),
        "subject": entry.subject,
        "actor": entry.actor,
        "actor_organisation": entry.organisation,
        "region": region,
    }
    for name in SHARED_FIELDS:
        value = payload.get(name)
        if name in payload and _plain(value):
            data[name] = value
    snapshot = payload.get("risk")
    if isinstance(snapshot, Mapping):
        for name, shown_as in RISK_FIELDS.items():
            if _plain(snapshot.get(name)):
                data[shown_as] = snapshot.get(name)
    return data


def _plain(value: object) -> bool:
    return value is None or isinstance(value, str | int | float | bool)
