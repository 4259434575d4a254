"""Monitoring: stations, batches of observations, and firings that open or raise risks (§3.4).

`ingest` stores a batch in one transaction (one multi-row INSERT that skips readings
already stored, so a redelivered message is stored once) and evaluates each station's
rule against its recent history, read once per station. A firing then acts through the
risk register's own use cases, `register_risk` and `change_risk`, as the actor
`station:<code>`, each in its own transaction: reach, warnings and journal follow as
they do for a person.
"""

from __future__ import annotations

import json
import logging
import threading
import tomllib
from collections import Counter
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from functools import cache
from importlib import resources
from typing import Any
from zoneinfo import ZoneInfo

from shapely.geometry import Point
from sqlalchemy import Engine, create_engine, text
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.pool import NullPool

from crossrisk.domain import permissions
from crossrisk.domain.errors import CrossriskError, InvalidInput, NotPermitted
from crossrisk.domain.monitoring import (
    MAX_CLOCK_AHEAD,
    Firing,
    FiringAssessment,
    LastObservation,
    Observation,
    ObservationRefused,
    Refusal,
    Station,
    StationState,
    Variable,
    batch_lines,
    check_batch_size,
    evaluate_series,
    may_feed,
    may_feed_any,
    may_manage_stations,
    parse_observation,
    raised,
    read_firing_assessment,
    read_station,
    read_variables,
    rule_record,
)
from crossrisk.domain.organisation import Actor, OrganisationKind, system_actor
from crossrisk.domain.reach import Pathway
from crossrisk.domain.risk import Risk, RiskDraft, RiskStatus
from crossrisk.domain.warning import WarningLevel
from crossrisk.services import analysis, risks
from crossrisk.services.events import Event
from crossrisk.services.policy_tables import event_level_matrix, hazard_types
from crossrisk.store.uow import UnitOfWork

log = logging.getLogger(__name__)

SHANGHAI = ZoneInfo("Asia/Shanghai")
SOURCE_MAX = 32


# --- policy tables ------------------------------------------------------------------------


def _policy(name: str) -> dict[str, Any]:
    text_ = resources.files("crossrisk.data").joinpath(f"policy/{name}").read_text("utf-8")
    return tomllib.loads(text_)


@cache
def variables() -> dict[str, Variable]:
    """The variables stations may measure, with their units and possible ranges."""
    return read_variables(_policy("variables.toml"))


@cache
def firing_assessment() -> FiringAssessment:
    """Likelihood and consequence per firing level, checked against the event-level matrix."""
    return read_firing_assessment(_policy("firing_assessment.toml"), matrix=event_level_matrix())


# --- stations -----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class LoadedStations:
    added: tuple[str, ...]
    changed: tuple[str, ...]
    unchanged: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class StationView:
    """A station as lists show it: with its last observation and what it has fired."""

    station: Station
    last: LastObservation | None
    state: StationState


def read_station_file(text_: str) -> list[Station]:
    """The stations of a station file (TOML: `region = …` and `[[stations]]`), checked."""
    try:
        table = tomllib.loads(text_)
    except tomllib.TOMLDecodeError as exc:
        raise InvalidInput(
            f"the station file is not TOML: {exc}", key="station-file-invalid"
        ) from None
    region_code = table.get("region")
    entries = table.get("stations")
    if not isinstance(region_code, str) or not isinstance(entries, list) or not entries:
        raise InvalidInput(
            "a station file names its `region` and lists `[[stations]]`",
            key="station-file-invalid",
        )
    stations = [read_station(e, region_code=region_code, variables=variables()) for e in entries]
    codes = [s.code for s in stations]
    twice = sorted({c for c in codes if codes.count(c) > 1})
    if twice:
        raise InvalidInput(
            f"the station file lists {', '.join(twice)} more than once", key="station-file-invalid"
        )
    return stations


def bundled_station_file(region_code: str) -> str | None:
    """The text of the stations that ship with a bundled region, if it has any."""
    path = resources.files("crossrisk.data").joinpath(f"regions/{region_code}/stations.toml")
    return path.read_text("utf-8") if path.is_file() else None


def load_stations(
    uow: UnitOfWork, actor: Actor, stations: Sequence[Station], *, now: datetime
) -> LoadedStations:
    """Add new stations and update changed ones (by code); journaled as station.added/changed."""
    added: list[str] = []
    changed: list[str] = []
    unchanged: list[str] = []
    with uow:
        for region_code in sorted({s.region_code for s in stations}):
            if not may_manage_stations(actor, region_code):
                raise NotPermitted(
                    f"only the operator or the coordination body of {region_code} may add "
                    "stations there",
                    key="station-not-permitted",
                )
        existing = uow.stations.by_codes([s.code for s in stations])
        for given in stations:
            station = _placed(uow, given)
            before = existing.get(station.code)
            if before is None:
                stored = uow.stations.add(station, now=now, by=actor.username)
                _journal_station(uow, actor, "station.added", stored, now=now)
                added.append(station.code)
                continue
            if before.region_code != station.region_code:
                raise InvalidInput(
                    f"station {station.code} belongs to region {before.region_code}",
                    key="station-other-region",
                )
            if _station_record(before) == _station_record(station):
                unchanged.append(station.code)
                continue
            stored = uow.stations.update(station)
            _journal_station(uow, actor, "station.changed", stored, now=now)
            changed.append(station.code)
        uow.commit()
    return LoadedStations(tuple(added), tuple(changed), tuple(unchanged))


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
    if actor.kind not in (
        OrganisationKind.SYSTEM,
        OrganisationKind.CENTRAL_OFFICE,
        OrganisationKind.COORDINATION_BODY,
    ):
        raise NotPermitted(
            "only the coordination body, the central office or the operator read the "
            "refused-observation counts",
            key="refusals-not-permitted",
        )
    with uow:
        readable = {
            station.code
            for station in uow.stations.list(region_codes=None)
            if permissions.can_read_region(actor, station.region_code)
        }
        return [
            RefusalCount(reason=reason, station_code=station, count=count)
            for (reason, station), count in sorted(uow.observations.refusals().items())
            if station == "" or station in readable
        ]


def list_stations(
    uow: UnitOfWork, actor: Actor, *, region_code: str | None = None
) -> list[StationView]:
    """Stations of the regions the actor reads, each with its last observation."""
    with uow:
        if region_code is not None:
            permissions.require_read_region(actor, region_code)
            regions: list[str] | None = [region_code]
        elif actor.kind in (OrganisationKind.CENTRAL_OFFICE, OrganisationKind.SYSTEM):
            regions = None
        else:
            regions = sorted(actor.region_codes)
        stations = uow.stations.list(region_codes=regions)
        ids = [s.id for s in stations if s.id is not None]
        last = uow.stations.latest(ids)
        states = uow.stations.states(ids)
        return [
            StationView(
                station=s,
                last=last.get(s.id) if s.id is not None else None,
                state=states.get(s.id, StationState()) if s.id is not None else StationState(),
            )
            for s in stations
        ]


def _placed(uow: UnitOfWork, station: Station) -> Station:
    """The station checked against the region: jurisdiction, river and risk kind."""
    uow.regions.get(station.region_code)
    try:
        origins = uow.regions.index(station.region_code).origins(Point(station.lon, station.lat))
    except InvalidInput:
        origins = ()
    if len(origins) != 1:
        raise InvalidInput(
            f"station {station.code} at ({station.lon}, {station.lat}) lies in no single "
            f"jurisdiction of region {station.region_code}",
            key="station-outside-region",
        )
    where = origins[0].jurisdiction_code
    if station.jurisdiction_code and station.jurisdiction_code != where:
        raise InvalidInput(
            f"station {station.code} at ({station.lon}, {station.lat}) lies in {where}, "
            f"not in {station.jurisdiction_code}",
            key="station-wrong-jurisdiction",
            params={"station": station.code, "lies_in": where},
        )
    try:
        hazard_type, parameters = analysis.checked_hazard(
            station.category.value, station.hazard_type, station.parameters
        )
    except InvalidInput as error:
        raise InvalidInput(f"station {station.code}: {error.detail}", key=error.key) from None
    if hazard_types()[hazard_type].pathway is Pathway.RIVER:
        # A firing registers a river hazard at the station; refuse now what would fail then.
        rivers = uow.regions.geo(station.region_code).rivers
        if rivers is None:
            raise InvalidInput(
                f"station {station.code}: region {station.region_code} has no river network",
                key="no-river-network",
            )
        try:
            rivers.snap((station.lon, station.lat), tolerance_km=parameters["snap_tolerance_km"])
        except InvalidInput as error:
            raise InvalidInput(f"station {station.code}: {error.detail}", key=error.key) from None
    return replace(station, jurisdiction_code=where, hazard_type=hazard_type)


def _station_record(station: Station) -> dict[str, Any]:
    return {
        "code": station.code,
        "name_zh": station.name_zh,
        "name_en": station.name_en,
        "kind": station.kind.value,
        "region": station.region_code,
        "jurisdiction": station.jurisdiction_code,
        "lon": station.lon,
        "lat": station.lat,
        "variable": station.variable,
        "unit": station.unit,
        "rule": rule_record(station.rule),
        "risk": {
            "category": station.category.value,
            "hazard_type": station.hazard_type,
            "parameters": dict(station.parameters),
        },
        "valid_range": list(station.valid_range) if station.valid_range else None,
        "source": station.source,
    }


def _journal_station(
    uow: UnitOfWork, actor: Actor, action: str, station: Station, *, now: datetime
) -> None:
    payload = {"station": _station_record(station)}
    subject = f"station:{station.code}"
    uow.journal.append(actor, action, subject=subject, payload=payload, now=now)
    uow.collect(Event(action, subject=subject, region_code=station.region_code, payload=payload))


# --- ingest -------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class FiringOutcome:
    """What a firing did: opened a risk, raised it, kept it (already as high) or failed."""

    station: str
    level: WarningLevel
    risk_id: int | None
    action: str  # "opened", "raised", "kept" or "failed"
    detail: str = ""

    def record(self) -> dict[str, Any]:
        return {
            "station": self.station,
            "level": self.level.value,
            "colour": self.level.key,
            "risk_id": self.risk_id,
            "action": self.action,
            "detail": self.detail,
        }


@dataclass(frozen=True, slots=True)
class IngestReport:
    """How a batch went, line by line where it matters."""

    received: int
    stored: int
    duplicates: int
    duplicate_lines: tuple[int, ...]
    refused: tuple[Refusal, ...]
    fired: tuple[FiringOutcome, ...]

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
            "refused": [r.record() for r in self.refused],
            "fired": [f.record() for f in self.fired],
        }


class UnreadableLine:
    """A line of a batch that is not JSON: ingest refuses it as malformed, with the reason."""

    __slots__ = ("message",)

    def __init__(self, message: str) -> None:
        self.message = message


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
) -> IngestReport:
    """Store a batch of observations and act on the rules they fire.

    `records` is JSON-lines text (line numbers are the text's lines) or a sequence of
    records (line n is the n-th record). Good lines are stored even when others are
    refused; refused lines are counted per reason and station, never stored. `max_ahead`
    bounds how far in the future an observation may be stamped (None: no bound, for
    replays of a timeline in accelerated time).
    """
    if not may_feed_any(actor):
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
    with uow:
        codes = {
            r["station"]
            for _, r in lines
            if isinstance(r, Mapping) and isinstance(r.get("station"), str)
        }
        stations = uow.stations.by_codes(codes)
        feed = {code: may_feed(actor, station) for code, station in stations.items()}
        first_line: dict[tuple[str, datetime], int] = {}
        accepted: list[tuple[int, Observation]] = []
        duplicate_lines: list[int] = []
        for number, record in lines:
            if isinstance(record, UnreadableLine):
                refused.append(Refusal(number, "observation-malformed", record.message))
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
        new, firings = _store_and_evaluate(uow, stations, accepted, duplicate_lines, now, source)
        due = _due(uow, stations, firings)
        uow.observations.count_refusals(Counter((r.key, r.station or "") for r in refused), now=now)
        _announce(uow, stations, new)
        uow.commit()
    outcomes = [
        outcome
        for code in sorted(due)
        if (outcome := act_on_firing(uow, stations[code], firings[code], now=now)) is not None
    ]
    return IngestReport(
        received=len(lines),
        stored=len(new),
        duplicates=len(duplicate_lines),
        duplicate_lines=tuple(sorted(duplicate_lines)),
        refused=tuple(refused),
        fired=tuple(outcomes),
    )


def _numbered(records: Records) -> list[tuple[int, object]]:
    if isinstance(records, bytes | str):
        raw = records.decode("utf-8", errors="replace") if isinstance(records, bytes) else records
        return [(number, decode_line(line)) for number, line in batch_lines(raw)]
    return list(enumerate(records, start=1))


def _store_and_evaluate(
    uow: UnitOfWork,
    stations: Mapping[str, Station],
    accepted: Sequence[tuple[int, Observation]],
    duplicate_lines: list[int],
    now: datetime,
    source: str,
) -> tuple[list[Observation], dict[str, Firing]]:
    """Insert the readings not stored yet; each station's most serious firing among them.

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
    spans: dict[int, tuple[datetime, datetime]] = {}
    for code, items in by_station.items():
        station = stations[code]
        assert station.id is not None
        items.sort(key=lambda item: item[0])
        spans[station.id] = (items[0][0] - station.rule.lookback, items[-1][0])
    history = uow.observations.series_many(spans)
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
    uow.observations.add(rows)
    return new, firings


def _due(
    uow: UnitOfWork, stations: Mapping[str, Station], firings: Mapping[str, Firing]
) -> set[str]:
    """Stations whose firing may change a risk: none open, closed, or a higher level."""
    ids = {code: stations[code].id for code in firings}
    states = uow.stations.states([i for i in ids.values() if i is not None])
    due: set[str] = set()
    for code, firing in firings.items():
        state = states.get(ids[code] or -1, StationState())
        if (
            state.open_risk_id is None
            or state.fired_level is None
            or firing.level < state.fired_level
            or uow.risks.get(state.open_risk_id).status is RiskStatus.CLOSED
        ):
            due.add(code)
    return due


def _announce(uow: UnitOfWork, stations: Mapping[str, Station], new: Sequence[Observation]) -> None:
    # The live map shows each station's latest reading; one event per station per batch.
    latest: dict[str, Observation] = {}
    counts: Counter[str] = Counter()
    for observation in new:
        counts[observation.station_code] += 1
        known = latest.get(observation.station_code)
        if known is None or observation.observed_at > known.observed_at:
            latest[observation.station_code] = observation
    for code, observation in sorted(latest.items()):
        station = stations[code]
        uow.collect(
            Event(
                "observations.stored",
                subject=f"station:{code}",
                region_code=station.region_code,
                payload={
                    "station": code,
                    "count": counts[code],
                    "observed_at": observation.observed_at.isoformat(),
                    "value": observation.value,
                    "unit": station.unit,
                },
            )
        )


# --- firings ------------------------------------------------------------------------------


def act_on_firing(
    uow: UnitOfWork, station: Station, firing: Firing, *, now: datetime
) -> FiringOutcome | None:
    """Open a risk for the firing, or raise the station's open one; None when nothing to do.

    A closed risk is not reopened: the next firing opens a new risk. A lower level never
    lowers a risk, and a level the station already fired at is not applied twice (a person
    may have reassessed the risk since).
    """
    assert station.id is not None
    actor = system_actor(station.actor_name)
    try:
        with _firing_lock(uow.engine, station.id):
            with uow:
                state = uow.stations.state(station.id)
                risk = uow.risks.get(state.open_risk_id) if state.open_risk_id else None
            if risk is None or risk.status is RiskStatus.CLOSED:
                return _open(uow, actor, station, firing, now=now)
            if state.fired_level is not None and firing.level >= state.fired_level:
                return None
            return _raise(uow, actor, station, firing, risk, now=now)
    except (CrossriskError, SQLAlchemyError) as error:
        # The observations are stored already; the next firing tries again.
        detail = error.detail if isinstance(error, CrossriskError) else type(error).__name__
        log.warning("station %s fired %s but could not act: %s", station.code, firing.level, detail)
        return FiringOutcome(station.code, firing.level, None, "failed", detail)


def _open(
    uow: UnitOfWork, actor: Actor, station: Station, firing: Firing, *, now: datetime
) -> FiringOutcome:
    likelihood, consequence = firing_assessment().cell(firing.level)
    draft = RiskDraft(
        category=station.category,
        title=_title(station, firing.level),
        description=_description(station, firing),
        hazard_geometry={"type": "Point", "coordinates": [station.lon, station.lat]},
        likelihood=likelihood,
        consequence=consequence,
        hazard_type=station.hazard_type,
        parameters=dict(station.parameters),
    )
    risk = risks.register_risk(
        uow,
        actor,
        draft,
        region_code=station.region_code,
        now=now,
        within=_recording(actor, station, firing, "opened", now=now),
    )
    return FiringOutcome(station.code, firing.level, risk.id, "opened")


def _raise(
    uow: UnitOfWork,
    actor: Actor,
    station: Station,
    firing: Firing,
    risk: Risk,
    *,
    now: datetime,
) -> FiringOutcome:
    assert risk.id is not None
    likelihood, consequence = raised(
        (risk.likelihood, risk.consequence), firing.level, firing_assessment()
    )
    if (likelihood, consequence) == (risk.likelihood, risk.consequence):
        # Someone assessed the risk at least this high already: remember the level only.
        with uow:
            _recording(actor, station, firing, "kept", now=now)(uow, risk)
            uow.commit()
        return FiringOutcome(station.code, firing.level, risk.id, "kept")
    change = risks.RiskChange(
        title=_title(station, firing.level),
        likelihood=likelihood,
        consequence=consequence,
        reason=f"{firing.reason_zh}（{_local(firing.observed_at)}）/ {firing.reason_en} "
        f"({_local(firing.observed_at)})",
    )
    changed = risks.change_risk(
        uow,
        actor,
        risk.id,
        change,
        now=now,
        within=_recording(actor, station, firing, "raised", now=now),
    )
    return FiringOutcome(station.code, firing.level, changed.id, "raised")


def _recording(
    actor: Actor, station: Station, firing: Firing, action: str, *, now: datetime
) -> risks.Within:
    """Record the firing against a risk: the station's link and level, and the journal."""

    def record(uow: UnitOfWork, risk: Risk) -> None:
        # Runs inside the risk's own transaction: the link and the level land with the risk
        # or not at all.
        assert station.id is not None
        uow.stations.set_state(
            station.id, StationState(open_risk_id=risk.id, fired_level=firing.level, fired_at=now)
        )
        payload = {"station": station.code, "risk_id": risk.id, "action": action, **firing.record()}
        subject = f"station:{station.code}"
        uow.journal.append(actor, "station.fired", subject=subject, payload=payload, now=now)
        uow.collect(
            Event(
                "station.fired", subject=subject, region_code=station.region_code, payload=payload
            )
        )

    return record


def _title(station: Station, level: WarningLevel) -> str:
    variable = variables()[station.variable]
    return (
        f"{station.name_zh}{variable.name_zh}{level.colour_zh}预警 / {station.name_en}: "
        f"{level.colour_en.lower()} {variable.name_en.lower()} warning"
    )[:200]


def _description(station: Station, firing: Firing) -> str:
    when = _local(firing.observed_at)
    return (
        f"{station.name_zh}：{firing.reason_zh}（观测时间 {when}）。由监测站触发规则自动登记。\n"
        f"{station.name_en}: {firing.reason_en} (observed {when}). Registered by the "
        "station's trigger rule."
    )


def _local(moment: datetime) -> str:
    return moment.astimezone(SHANGHAI).strftime("%Y-%m-%d %H:%M UTC+8")


_lock_guard = threading.Lock()
_station_locks: dict[tuple[int, int], threading.Lock] = {}
# pg_advisory_lock's first key: names the kind of lock, so other users of advisory locks
# on the same database do not collide with station ids.
_ADVISORY_NAMESPACE = 0x5354  # "ST"


@contextmanager
def _firing_lock(engine: Engine, station_id: int) -> Iterator[None]:
    """One firing per station at a time, in this process and across processes on PostgreSQL.

    Without it two batches arriving together could each find no open risk and open two.
    SQLite serves one process, so the thread lock is enough there.
    """
    with _lock_guard:
        lock = _station_locks.setdefault((id(engine), station_id), threading.Lock())
    with lock:
        if engine.dialect.name != "postgresql":
            yield
            return
        with _lock_engine(engine).connect() as connection:
            key = {"ns": _ADVISORY_NAMESPACE, "id": station_id}
            connection.execute(text("SELECT pg_advisory_lock(:ns, :id)"), key)
            try:
                yield
            finally:
                connection.execute(text("SELECT pg_advisory_unlock(:ns, :id)"), key)


@cache
def _lock_engine(engine: Engine) -> Engine:
    # The lock's connection is held while the firing's own transaction takes another. From
    # the same pool, as many simultaneous firings as the pool is large would each hold one
    # and wait for a second: none could go on. Its own unpooled connections avoid that.
    return create_engine(engine.url, poolclass=NullPool)
