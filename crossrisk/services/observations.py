"""Observations: storing a batch and queuing the firings it causes, in one transaction (§3.4).

`ingest` stores a batch with one multi-row INSERT that skips readings already stored (a
redelivered message is stored once), evaluates each station's rule against its recent
history, read once per station, journals the batch (station codes, count and a digest of
the stored readings, so what the platform knew and when is tamper-evident), and queues
each firing that may change a risk in the firing outbox. Acting on a queued firing is a
use case of its own (`services.firings`), run by the sender of the batch right after and
by the worker for whatever is left.
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from crossrisk.domain.errors import InvalidInput, NotPermitted
from crossrisk.domain.monitoring.firing import Firing
from crossrisk.domain.monitoring.observation import (
    MAX_CLOCK_AHEAD,
    STALE_AFTER,
    Observation,
    ObservationRefused,
    Refusal,
    batch_lines,
    check_batch_size,
    parse_observation,
)
from crossrisk.domain.monitoring.station import Station, StationState
from crossrisk.domain.monitoring.trigger_rule import evaluate_series
from crossrisk.domain.organisation import Actor
from crossrisk.domain.permissions.monitoring import (
    can_feed_any,
    can_feed_station,
    can_read_refusals,
)
from crossrisk.domain.permissions.regions import can_read_region
from crossrisk.domain.risk import RiskStatus
from crossrisk.domain.warning import WarningLevel
from crossrisk.services.policy_tables import variables
from crossrisk.store.uow import Transaction, UnitOfWork

SOURCE_MAX = 32
# The sender of a batch acts on its firings at once (firings.act_on_queued) and reports
# what they did; the worker takes a firing only when its sender has not done so by then
# (a sender that died), so a busy worker never takes the report's firings from under it.
SENDER_HEAD_START = timedelta(seconds=30)


@dataclass(frozen=True, slots=True)
class QueuedFiring:
    """A firing this batch queued: the station, its level and the outbox row to act on."""

    id: int
    station: str
    level: WarningLevel


@dataclass(frozen=True, slots=True)
class IngestReport:
    """How a batch went, line by line where it matters."""

    received: int
    stored: int
    duplicates: int
    duplicate_lines: tuple[int, ...]
    refused: tuple[Refusal, ...]
    queued: tuple[QueuedFiring, ...]
    stale: int = 0  # readings stored too old to fire anything

    @property
    def accepted(self) -> int:
        """Lines stored now or before: what the sender need not send again."""
        return self.stored + self.duplicates

    @property
    def only_not_permitted(self) -> bool:
        """True when nothing was accepted and every refusal was a station not to be fed."""
        return (
            self.accepted == 0
            and bool(self.refused)
            and all(r.key == "observation-station-not-permitted" for r in self.refused)
        )

    def record(self) -> dict[str, Any]:
        return {
            "received": self.received,
            "stored": self.stored,
            "duplicates": self.duplicates,
            "duplicate_lines": list(self.duplicate_lines),
            "stale": self.stale,
            "refused": [r.record() for r in self.refused],
        }


class UnreadableLine:
    """A line of a batch that is not JSON: ingest refuses it as malformed, with the reason."""

    __slots__ = ("key", "message")

    def __init__(self, message: str, *, key: str = "observation-malformed") -> None:
        self.message = message
        self.key = key


def decode_line(line: str | bytes) -> object:
    """One JSON line as a record, or an UnreadableLine saying why it is not one."""
    try:
        return json.loads(line)
    except ValueError as exc:  # UnicodeDecodeError is a ValueError too
        return UnreadableLine(f"the line is not JSON: {exc.args[0] if exc.args else exc}")


Records = Sequence[object] | str | bytes


def ingest(
    uow: UnitOfWork,
    actor: Actor,
    records: Records,
    *,
    source: str,
    now: datetime,
    max_ahead: timedelta | None = MAX_CLOCK_AHEAD,
    stale_after: timedelta | None = STALE_AFTER,
) -> IngestReport:
    """Store a batch of observations and queue the firings they cause.

    `records` is JSON-lines text (line numbers are the text's lines) or a sequence of
    records (line n is the n-th record). Good lines are stored even when others are
    refused; refused lines are counted per reason and station, never stored. `max_ahead`
    bounds how far in the future an observation may be stamped (None: no bound, for
    replays of a timeline in accelerated time). A reading older than `stale_after` when
    the batch arrives is stored but fires nothing (None: any age fires, for replays of a
    past timeline); the report and the journal entry count them.
    """
    if not can_feed_any(actor):
        raise NotPermitted(
            f"{actor.organisation.code} ({actor.role}) may not send observations",
            key="observation-feed-not-permitted",
        )
    if not source or len(source) > SOURCE_MAX:
        raise InvalidInput(f"the batch's source must be 1 to {SOURCE_MAX} characters")
    lines = _numbered(records)
    check_batch_size(len(lines))
    table = variables()
    refused: list[Refusal] = []
    with uow as tx:
        # A code with control characters (a NUL, say) names no station: its line is
        # refused as unknown, and the rest of the batch still counts.
        codes = {
            r["station"]
            for _, r in lines
            if isinstance(r, Mapping)
            and isinstance(r.get("station"), str)
            and r["station"].isprintable()
        }
        stations = tx.stations.by_codes(codes)
        feed = {
            code: can_feed_station(
                actor, region_code=s.region_code, jurisdiction_code=s.jurisdiction_code
            )
            for code, s in stations.items()
        }
        first_line: dict[tuple[str, datetime], int] = {}
        accepted: list[tuple[int, Observation]] = []
        duplicate_lines: list[int] = []
        for number, record in lines:
            if isinstance(record, UnreadableLine):
                refused.append(Refusal(number, record.key, record.message))
                continue
            try:
                observation = parse_observation(
                    record,
                    stations=stations,
                    variables=table,
                    may_feed=feed,
                    now=now,
                    max_ahead=max_ahead,
                )
            except ObservationRefused as refusal:
                refused.append(Refusal(number, refusal.key, refusal.message, refusal.station))
                continue
            key = (observation.station_code, observation.observed_at)
            if key in first_line:
                duplicate_lines.append(number)  # the same reading twice in one batch
                continue
            first_line[key] = number
            accepted.append((number, observation))
        stale_before = None if stale_after is None else now - stale_after
        new, firings, stale = _store_and_evaluate(
            tx, stations, accepted, duplicate_lines, now, source, stale_before
        )
        queued = _queue_due(tx, stations, firings, now=now)
        tx.observations.count_refusals(Counter((r.key, r.station or "") for r in refused), now=now)
        if new:
            _journal_batch(tx, actor, stations, new, stale=stale, source=source, now=now)
        tx.commit()
    return IngestReport(
        received=len(lines),
        stored=len(new),
        duplicates=len(duplicate_lines),
        duplicate_lines=tuple(sorted(duplicate_lines)),
        refused=tuple(refused),
        queued=tuple(queued),
        stale=stale,
    )


def judge_drill_reading(
    stations: Mapping[str, Station],
    station_code: str,
    value: float,
    *,
    at: datetime,
    earlier: Sequence[tuple[datetime, float]],
) -> tuple[Observation, Firing | None]:
    """A drill's gauge reading checked as a real one is, and judged by the station's rule
    against the drill's own earlier readings; nothing is stored.

    A drill must not write into a station's series (its invented values would open, raise
    or mix into real risks), so the drill keeps its readings in its journal; the checks
    and the rule are the ones every real batch goes through.
    """
    station = stations.get(station_code)
    record = {
        "station": station_code,
        "time": at.isoformat(),
        "value": value,
        "unit": station.unit if station else "",
    }
    try:
        observation = parse_observation(
            record,
            stations={station_code: station} if station else {},
            variables=variables(),
            may_feed={station_code: True},
            now=at,
            max_ahead=None,
        )
    except ObservationRefused as refusal:
        raise InvalidInput(
            f"drill reading refused: {refusal.message}",
            key=refusal.key,
            params={"station": station_code[:64]},
        ) from None
    assert station is not None
    readings = [*earlier, (observation.observed_at, observation.value)]
    firing = evaluate_series(station.rule, readings, [len(readings) - 1], unit=station.unit)
    return observation, firing


@dataclass(frozen=True, slots=True)
class RefusalCount:
    """How many observations were refused for one reason (and station, "" when unknown)."""

    reason: str
    station_code: str
    count: int


def refusal_counts(uow: UnitOfWork, actor: Actor) -> list[RefusalCount]:
    """The refused observations, counted, for those who run the monitoring network.

    A refusal for a known station shows to whoever reads its region; one for an unknown
    station names no region, so the coordination bodies and the central office see those.
    """
    if not can_read_refusals(actor):
        raise NotPermitted(
            "only the coordination body, the central office or the operator read the "
            "refused-observation counts",
            key="refusals-not-permitted",
        )
    with uow.read_only() as tx:
        readable = {
            station.code
            for station in tx.stations.list(region_codes=None)
            if can_read_region(actor, station.region_code)
        }
        return [
            RefusalCount(reason=reason, station_code=station, count=count)
            for (reason, station), count in sorted(tx.observations.refusals().items())
            if station == "" or station in readable
        ]


def readings_digest(observations: Sequence[Observation]) -> str:
    """SHA-256 of the readings, one line each ("station TAB time TAB value TAB unit"), sorted.

    Plain lines rather than JSON: an auditor recomputes it from the stored rows with any
    tool, and it costs a third less per batch.
    """
    rows = sorted((o.station_code, o.observed_at, o.value, o.unit) for o in observations)
    text = "".join(
        f"{code}\t{at.isoformat()}\t{value!r}\t{unit}\n" for code, at, value, unit in rows
    )
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _numbered(records: Records) -> list[tuple[int, object]]:
    if isinstance(records, bytes | str):
        raw = records.decode("utf-8", errors="replace") if isinstance(records, bytes) else records
        return [(number, decode_line(line)) for number, line in batch_lines(raw)]
    return list(enumerate(records, start=1))


def _store_and_evaluate(
    tx: Transaction,
    stations: Mapping[str, Station],
    accepted: Sequence[tuple[int, Observation]],
    duplicate_lines: list[int],
    now: datetime,
    source: str,
    stale_before: datetime | None,
) -> tuple[list[Observation], dict[str, Firing], int]:
    """Insert the readings not stored yet; each station's most serious firing among them.

    Readings from before `stale_before` are stored and serve as history, but are never
    evaluated themselves; the third value counts them.

    One read covers every station's span in the batch and its rule's look-back before it:
    it tells which readings are stored already (redeliveries) and gives the history the
    rates of rise need. The insert still skips any (station, time) stored meanwhile, so two
    processes storing the same reading at once store it once (each then reports it new).
    """
    by_station: dict[str, list[tuple[datetime, float, int, Observation]]] = {}
    for number, observation in accepted:
        by_station.setdefault(observation.station_code, []).append(
            (observation.observed_at, observation.value, number, observation)
        )
    rows: list[dict[str, Any]] = []
    new: list[Observation] = []
    firings: dict[str, Firing] = {}
    stale = 0
    spans: dict[int, tuple[datetime, datetime]] = {}
    for code, items in by_station.items():
        station = stations[code]
        assert station.id is not None
        items.sort(key=lambda item: item[0])
        spans[station.id] = (items[0][0] - station.rule.lookback, items[-1][0])
    history = tx.observations.series_many(spans)
    for code, items in by_station.items():
        station = stations[code]
        assert station.id is not None
        first = items[0][0]
        stored = history[station.id]
        present = {at for at, _ in stored if at >= first}
        readings: list[tuple[datetime, float]] = []
        targets: list[int] = []
        position = 0
        for at, value, number, observation in items:
            if at in present:
                duplicate_lines.append(number)  # stored by an earlier delivery
                continue
            while position < len(stored) and stored[position][0] < at:
                readings.append(stored[position])
                position += 1
            if stale_before is not None and at < stale_before:
                stale += 1
            else:
                targets.append(len(readings))
            readings.append((at, value))
            new.append(observation)
            rows.append(
                {
                    "station_id": station.id,
                    "observed_at": at,
                    "value": value,
                    "received_at": now,
                    "source": source,
                }
            )
        if targets:
            firing = evaluate_series(station.rule, readings, targets, unit=station.unit)
            if firing is not None:
                firings[code] = firing
    tx.observations.add(rows)
    return new, firings, stale


def _queue_due(
    tx: Transaction,
    stations: Mapping[str, Station],
    firings: Mapping[str, Firing],
    *,
    now: datetime,
) -> list[QueuedFiring]:
    """Queue the firings that may change a risk: none open, closed, or a higher level.

    Whoever acts on a queued firing checks again under the station's lock; this only
    spares the outbox the firings that plainly change nothing.
    """
    ids = {code: stations[code].id for code in firings}
    states = tx.stations.states([i for i in ids.values() if i is not None])
    queued: list[QueuedFiring] = []
    for code in sorted(firings):
        firing = firings[code]
        station_id = ids[code]
        assert station_id is not None
        state = states.get(station_id, StationState())
        if (
            state.open_risk_id is None
            or state.fired_level is None
            or firing.level < state.fired_level
            or tx.risks.get(state.open_risk_id).status is RiskStatus.CLOSED
        ):
            firing_id = tx.firings.queue(
                station_id, firing, now=now, due_at=now + SENDER_HEAD_START
            )
            queued.append(QueuedFiring(firing_id, code, firing.level))
    return queued


def _journal_batch(
    tx: Transaction,
    actor: Actor,
    stations: Mapping[str, Station],
    new: Sequence[Observation],
    *,
    stale: int,
    source: str,
    now: datetime,
) -> None:
    # One entry per stored batch, not per reading: the digest makes the readings as
    # tamper-evident as the journal itself at a fraction of its size.
    counts = Counter(o.station_code for o in new)
    payload: dict[str, Any] = {
        "source": source,
        "stations": sorted(counts),
        "count": len(new),
        "counts": dict(sorted(counts.items())),
        "stale": stale,  # of the count, stored too old to fire anything
        "first": min(o.observed_at for o in new).isoformat(),
        "last": max(o.observed_at for o in new).isoformat(),
        "readings_sha256": readings_digest(new),
    }
    regions = {stations[code].region_code for code in counts}
    tx.record(
        actor,
        "observations.stored",
        subject="observations",
        payload=payload,
        region_code=regions.pop() if len(regions) == 1 else None,
        now=now,
    )
