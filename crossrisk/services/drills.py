"""Drills: a scenario replayed through the same services people use, on a virtual clock.

The runner acts as the scenario's parties (an officer of each city's bureau, named
"drill:<organisation>" in the journal) and passes every service the drill's virtual time.
Everything it registers carries the drill: its risks (risks.drill_id), and so their
analyses, warnings (CAP status Exercise, never queued to external channels) and duties,
which real lists leave out. The runner sweeps its own warnings' deadlines and its duties'
reminders on its clock, as the worker does for real ones.

A gauge reading of a drill is journaled as the drill's (`drill.observed`) and is not
stored as the station's observation: a station's series and the risk its firing opens are
real records, and a drill's invented readings must not open, raise or mix into them. The
hazard the readings stand for is registered by the scenario's hazard.
"""

from __future__ import annotations

import hashlib
import heapq
import itertools
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import Any

from crossrisk.domain import permissions
from crossrisk.domain.aid.offer import OfferLineDraft
from crossrisk.domain.aid.request import AidRequest, Destination, LineDraft, Priority
from crossrisk.domain.drills.drill import Drill, DrillState, clock_start, real_seconds
from crossrisk.domain.drills.scenario import (
    Known,
    Scenario,
    ScenarioAidRequest,
    ScenarioHazard,
    ScenarioProblem,
    ScenarioReport,
    read_scenario,
    scenario_problems,
)
from crossrisk.domain.errors import CrossriskError, NotFound
from crossrisk.domain.journal import JournalEntry
from crossrisk.domain.organisation import Actor, Role
from crossrisk.domain.risk import Risk, RiskCategory, RiskDraft, RiskStatus
from crossrisk.domain.warning import AWAITING_ACK
from crossrisk.domain.warning_plan import WarningMessage
from crossrisk.services import (
    aid_offers,
    aid_requests,
    analysis,
    duties,
    duty_reminders,
    risks,
    stations,
    warnings,
)
from crossrisk.services.policy_tables import aid_catalogue, hazard_types
from crossrisk.services.region_bodies import region_bodies
from crossrisk.store.uow import Transaction, UnitOfWork

OFFER_TRAVEL_HOURS = 3  # a neighbour's goods arrive this long after it offers them
SWEEP_EVERY_MINUTES = 15  # deadlines are swept on the drill's clock at least this often
FAILURE_MAX = 500


def known(uow: UnitOfWork) -> Known:
    """What a scenario may name: regions, their members, stations, hazard types, items."""
    with uow.read_only() as tx:
        regions = [region.code for region in tx.regions.all()]
        members = {code: [j.code for j in tx.regions.summaries(code)] for code in regions}
        found = {s.code: (s.lon, s.lat) for s in tx.stations.list(region_codes=None)}
    for code in regions:
        text = stations.bundled_station_file(code)
        if text is not None:
            for station in stations.read_station_file(text):
                found.setdefault(station.code, (station.lon, station.lat))
    return Known(
        regions=regions,
        members=members,
        stations=found,
        hazard_types=set(hazard_types()),
        items={item.code for item in aid_catalogue()},
        check_hazard=analysis.checked_hazard,
    )


def check_scenario(
    uow: UnitOfWork, text: str, *, region: str | None = None
) -> Scenario | list[ScenarioProblem]:
    """The scenario of a text, or every problem it has, by line; nothing is written."""
    return scenario_problems(text, known(uow), region=region)


@dataclass(frozen=True, slots=True)
class Pace:
    """How the runner keeps time: the real clock, a sleep, and seconds since it began."""

    clock: Callable[[], datetime]
    wait: Callable[[float], None]
    elapsed: Callable[[], float]


def run_drill(
    uow: UnitOfWork,
    actor: Actor,
    text: str,
    *,
    speed: float | None,
    pace: Pace,
    region_code: str | None = None,
) -> Drill:
    """Check the scenario, start the drill, replay it, close its risks and end it.

    A scenario with problems is refused (InvalidInput "drill-scenario-invalid") before
    anything is written. A step the services refuse ends the drill as failed.
    """
    scenario = read_scenario(text, known(uow), region=region_code)
    drill = _start(uow, actor, scenario, text, speed=speed, now=pace.clock())
    assert drill.id is not None
    try:
        _Runner(uow, drill, scenario, pace).run()
    except CrossriskError as error:
        return _end(uow, actor, drill, failure=f"{error.key}: {error}", now=pace.clock())
    return _end(uow, actor, drill, failure="", now=pace.clock())


def _start(
    uow: UnitOfWork,
    actor: Actor,
    scenario: Scenario,
    text: str,
    *,
    speed: float | None,
    now: datetime,
) -> Drill:
    with uow as tx:
        tx.regions.get(scenario.region_code)
        permissions.require_coordinate(actor, scenario.region_code)
        drill = tx.drills.add(
            Drill(
                id=None,
                region_code=scenario.region_code,
                code=scenario.code,
                title_zh=scenario.title_zh,
                title_en=scenario.title_en,
                scenario=text,
                scenario_sha256=hashlib.sha256(text.encode("utf-8")).hexdigest(),
                speed=speed,
                duration_minutes=scenario.duration,
                clock_start=clock_start(now, duration_minutes=scenario.duration, speed=speed),
                started_at=now,
                started_by=actor.username,
            )
        )
        _record(tx, actor, "drill.started", drill, now=now)
        tx.commit()
    return drill


def _end(uow: UnitOfWork, actor: Actor, drill: Drill, *, failure: str, now: datetime) -> Drill:
    with uow as tx:
        state = DrillState.FAILED if failure else DrillState.ENDED
        ended = tx.drills.save(
            replace(drill, state=state, ended_at=now, failure=failure[:FAILURE_MAX])
        )
        _record(tx, actor, f"drill.{state.value}", ended, now=now)
        tx.commit()
    return ended


def _record(tx: Transaction, actor: Actor, action: str, drill: Drill, *, now: datetime) -> None:
    tx.record(
        actor,
        action,
        subject=f"drill:{drill.id}",
        payload={"drill": drill.id, **drill.record()},
        region_code=drill.region_code,
        now=now,
    )


Step = Callable[[datetime], None]


class _Runner:
    """One drill's replay: a queue of steps by offset, acknowledgements added as warnings
    arrive, and the deadline sweeps between them."""

    def __init__(self, uow: UnitOfWork, drill: Drill, scenario: Scenario, pace: Pace) -> None:
        assert drill.id is not None
        self.uow = uow
        self.drill = drill
        self.drill_id = drill.id
        self.scenario = scenario
        self.pace = pace
        self.queue: list[tuple[float, int, Step]] = []
        self.order = itertools.count()
        self.risk_of: dict[str, int] = {}
        self.scheduled: set[str] = set()
        with uow.read_only() as tx:
            self.bodies = region_bodies(tx, scenario.region_code)
            self.organisations = {o.code: o for o in tx.organisations.all()}

    def run(self) -> None:
        for hazard in self.scenario.hazards:
            self.add(hazard.offset, self.register(hazard))
        for reading in self.scenario.readings:
            self.add(reading.offset, self.observe(reading.station, reading.value))
        for report in self.scenario.reports:
            self.add(report.offset, self.report(report))
        for request in self.scenario.aid_requests:
            self.add(request.offset, self.request_aid(request))
        for minute in range(0, self.scenario.duration + 1, SWEEP_EVERY_MINUTES):
            self.add(minute, lambda now: None)  # a tick: the sweeps follow every step
        self.add(self.scenario.duration, lambda now: None)
        while self.queue:
            offset, _, step = heapq.heappop(self.queue)
            self.pace.wait(
                max(0.0, real_seconds(offset, speed=self.drill.speed) - self.pace.elapsed())
            )
            now = self.drill.at(offset)
            step(now)
            self.acknowledgements()
            warnings.sweep_deadlines(self.uow, now=now, drill_id=self.drill_id)
            duty_reminders.send_reminders(self.uow, now=now, drill_id=self.drill_id)
        self.close(self.drill.at(self.scenario.duration))

    def add(self, offset: float, step: Step) -> None:
        heapq.heappush(self.queue, (offset, next(self.order), step))

    def party(self, jurisdiction_code: str) -> Actor:
        """An officer of the city's bureau, named for the drill in the journal."""
        code = self.bodies.jurisdiction_organisations.get(jurisdiction_code)
        if code is None:
            raise NotFound(
                f"{jurisdiction_code} has no organisation in {self.scenario.region_code}",
                key="drill-party-unknown",
                params={"party": jurisdiction_code},
            )
        return Actor(
            username=f"drill:{code}",
            organisation=self.organisations[code],
            role=Role.OFFICER,
            region_codes=frozenset({self.scenario.region_code}),
        )

    def register(self, hazard: ScenarioHazard) -> Step:
        def step(now: datetime) -> None:
            risk = risks.register_risk(
                self.uow,
                self.party(hazard.party),
                RiskDraft(
                    category=RiskCategory(hazard.category),
                    title=hazard.title_zh,
                    title_en=hazard.title_en,
                    description="",
                    hazard_geometry={"type": "Point", "coordinates": [hazard.lon, hazard.lat]},
                    likelihood=hazard.likelihood,
                    consequence=hazard.consequence,
                    hazard_type=hazard.hazard_type,
                    parameters=hazard.parameters,
                    drill_id=self.drill_id,
                ),
                region_code=self.scenario.region_code,
                now=now,
            )
            assert risk.id is not None
            self.risk_of[hazard.id] = risk.id

        return step

    def observe(self, station: str, value: float) -> Step:
        def step(now: datetime) -> None:
            with self.uow as tx:
                tx.record(
                    self.committee(),
                    "drill.observed",
                    subject=f"drill:{self.drill_id}",
                    payload={
                        "drill": self.drill_id,
                        "station": station,
                        "value": value,
                        "at": now.isoformat(),
                    },
                    region_code=self.scenario.region_code,
                    now=now,
                )
                tx.commit()

        return step

    def committee(self) -> Actor:
        code = self.bodies.coordination_body
        return Actor(
            username=f"drill:{code}",
            organisation=self.organisations[code],
            role=Role.OFFICER,
            region_codes=frozenset({self.scenario.region_code}),
        )

    def report(self, report: ScenarioReport) -> Step:
        def step(now: datetime) -> None:
            duties.file_report(
                self.uow,
                self.party(report.party),
                self.risk_id(report.hazard),
                text=report.text,
                figures=dict(report.figures),
                now=now,
            )

        return step

    def risk_id(self, hazard: str) -> int:
        found = self.risk_of.get(hazard)
        if found is None:
            raise NotFound(
                f"hazard {hazard} is not registered yet at this offset",
                key="drill-hazard-not-yet",
                params={"hazard": hazard},
            )
        return found

    def request_aid(self, request: ScenarioAidRequest) -> Step:
        """The party drafts and submits its request, the committee opens it to offers, and
        each neighbour offers at its own offset (a late one answers late)."""

        def step(now: datetime) -> None:
            risk_id = self.risk_id(request.hazard)
            with self.uow.read_only() as tx:
                risk = tx.risks.get(risk_id)
            lon, lat = risk.hazard_geometry["coordinates"]
            party = self.party(request.party)
            drafted = aid_requests.draft_request(
                self.uow,
                party,
                region_code=self.scenario.region_code,
                jurisdiction_code=request.party,
                lines=[
                    LineDraft(
                        item_code=line.item,
                        quantity=line.quantity,
                        priority=Priority.HIGH,
                        needed_by=self.drill.at(line.needed_by),
                        destination=Destination(name=risk.title[:100], lon=lon, lat=lat),
                    )
                    for line in request.lines
                ],
                risk_id=risk_id,
                now=now,
            )
            assert drafted.id is not None
            aid_requests.submit_request(self.uow, party, drafted.id, now=now)
            opened = aid_requests.approve_request(self.uow, self.committee(), drafted.id, now=now)
            share = 1 / max(1, len(request.offers))
            for offer in request.offers:
                self.add(offer.offset, self.offer(opened, offer.party, share))

        return step

    def offer(self, request: AidRequest, donor: str, share: float) -> Step:
        def step(now: datetime) -> None:
            assert request.id is not None
            aid_offers.make_offer(
                self.uow,
                self.party(donor),
                request.id,
                lines=[
                    OfferLineDraft(
                        request_line_id=line.id or 0,
                        quantity=line.quantity * share,
                        earliest_dispatch=now,
                        estimated_arrival=now + timedelta(hours=OFFER_TRAVEL_HOURS),
                    )
                    for line in request.lines
                ],
                now=now,
            )

        return step

    def acknowledgements(self) -> None:
        """Schedule each new warning's acknowledgement as its recipient's behaviour says."""
        with self.uow.read_only() as tx:
            pending = [
                m
                for m in tx.warnings.newest(drill_id=self.drill_id)
                if m.acknowledged_at is None and m.id not in self.scheduled
            ]
        for message in pending:
            self.scheduled.add(message.id)
            if message.warning.report:
                continue  # an information report awaits no acknowledgement
            after = self.scenario.acknowledge_after(message.warning.recipient_code)
            if after is None:
                continue
            issued = (message.warning.issued_at - self.drill.clock_start) / timedelta(minutes=1)
            offset = issued + after
            if offset <= self.scenario.duration:
                self.add(offset, self.acknowledge(message))

    def acknowledge(self, message: WarningMessage) -> Step:
        def step(now: datetime) -> None:
            with self.uow.read_only() as tx:
                current = tx.warnings.get(message.id)
            if current.acknowledged_at is not None or not _awaiting(current):
                return  # replaced or lifted meanwhile: the newer message gets its own turn
            warnings.acknowledge(
                self.uow,
                self.party(message.warning.recipient_code),
                message.id,
                via="page",
                now=now,
            )

        return step

    def close(self, now: datetime) -> None:
        """Close what the drill opened, after the last sweeps."""
        for risk_id in self.risk_of.values():
            with self.uow as tx:
                risk = tx.risks.get(risk_id)
                if risk.status is not RiskStatus.CLOSED:
                    risks.withdraw(
                        tx,
                        self.party(risk.origin_codes[0]),
                        risk_id,
                        reason="演练结束 / drill ended",
                        now=now,
                        extra={"drill": self.drill_id},
                    )
                tx.commit()


def _awaiting(message: WarningMessage) -> bool:
    return message.warning.status in AWAITING_ACK


def list_drills(uow: UnitOfWork, actor: Actor) -> list[Drill]:
    """The drills of every region the actor reads, newest first."""
    with uow.read_only() as tx:
        return tx.drills.list(region_codes=permissions.readable_regions(actor))


def get_drill(uow: UnitOfWork, actor: Actor, drill_id: int) -> Drill:
    """One drill, for whoever reads its region."""
    with uow.read_only() as tx:
        drill = tx.drills.get(drill_id)
        permissions.require_read_region(actor, drill.region_code)
        return drill


@dataclass(frozen=True, slots=True)
class DrillRecord:
    """What the drill's page shows: its risks, their warnings, and its timeline."""

    drill: Drill
    risks: list[Risk]
    warnings: list[WarningMessage]
    timeline: list[JournalEntry]
    review: dict[str, Any]


def drill_record(uow: UnitOfWork, actor: Actor, drill_id: int, *, now: datetime) -> DrillRecord:
    """The drill with everything it did, read in one transaction."""
    from crossrisk.services.drill_review import drill_review

    with uow.read_only() as tx:
        drill = tx.drills.get(drill_id)
        permissions.require_read_region(actor, drill.region_code)
        found = tx.risks.list(region_codes=None, drill_id=drill_id)
        return DrillRecord(
            drill=drill,
            risks=found,
            warnings=tx.warnings.newest(drill_id=drill_id),
            timeline=timeline(tx, drill, found),
            review=drill_review(tx, drill, now=now),
        )


TIMELINE_MAX = 2000


def timeline(tx: Transaction, drill: Drill, found: list[Risk]) -> list[JournalEntry]:
    """The journal entries of the drill, its risks and their warnings, by time."""
    entries = list(tx.journal.about(f"drill:{drill.id}"))
    for risk in found:
        assert risk.id is not None
        entries.extend(tx.journal.about_risk(risk.id, limit=TIMELINE_MAX))
    unique = {entry.seq: entry for entry in entries}
    return sorted(unique.values(), key=lambda e: (e.at, e.seq))[:TIMELINE_MAX]


def risks_of(tx: Transaction, drill_id: int) -> Iterator[Risk]:
    """The drill's risks, inside an open transaction."""
    yield from tx.risks.list(region_codes=None, drill_id=drill_id)
