"""A drill's replay: a queue of steps by offset, run through the services on the drill's
clock.

The runner acts as the scenario's parties (an officer of each city's bureau, named
"drill:<organisation>" in the journal) and passes every service the drill's virtual time.
It sweeps its own warnings' deadlines and its duties' reminders on that clock, as the
worker does for real ones, and acknowledges each warning as its recipient's behaviour says.

A gauge reading of a drill passes the checks every observation passes and is judged by
its station's rule; it is journaled as the drill's (`drill.observed`, with the level it
fires at) and is not stored as the station's observation: a station's series and the
risk its firing opens are real records, and a drill's invented readings must not open,
raise or mix into them. The hazard the readings stand for is registered by the
scenario's hazard.
"""

from __future__ import annotations

import heapq
import itertools
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from crossrisk.domain.aid.offer import OfferLineDraft
from crossrisk.domain.aid.request import AidRequest, Destination, LineDraft, Priority
from crossrisk.domain.aid.shipment import Shipment, TransportMode
from crossrisk.domain.drills.drill import Drill, drill_actor, real_seconds
from crossrisk.domain.drills.scenario import (
    Scenario,
    ScenarioAidRequest,
    ScenarioHazard,
    ScenarioOffer,
    ScenarioReport,
)
from crossrisk.domain.duty import SELF_ACKNOWLEDGED, DutyRecord, DutyStatus
from crossrisk.domain.errors import NotFound
from crossrisk.domain.organisation import Actor, Role
from crossrisk.domain.responsibility import DutyKind
from crossrisk.domain.risk import RiskCategory, RiskDraft, RiskStatus
from crossrisk.domain.warning import AWAITING_ACK
from crossrisk.domain.warning_plan import WarningMessage
from crossrisk.services import (
    aid_offers,
    aid_requests,
    duties,
    duty_reminders,
    observations,
    risks,
    shipments,
    stations,
    warnings,
)
from crossrisk.services.region_bodies import region_bodies
from crossrisk.store.uow import UnitOfWork

OFFER_TRAVEL_HOURS = 3  # a neighbour's goods arrive this long after it offers them
SWEEP_EVERY_MINUTES = 15  # deadlines are swept on the drill's clock at least this often


@dataclass(frozen=True, slots=True)
class Pace:
    """How the runner keeps time: the real clock, a sleep, and seconds since it began."""

    clock: Callable[[], datetime]
    wait: Callable[[float], None]
    elapsed: Callable[[], float]


Step = Callable[[datetime], None]


class Runner:
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
        self.scheduled_duties: set[int] = set()
        self.readings: dict[str, list[tuple[datetime, float]]] = {}
        with uow.read_only() as tx:
            self.bodies = region_bodies(tx, scenario.region_code)
            self.organisations = {o.code: o for o in tx.organisations.all()}
            self.stations = stations.stations_of_region(tx, scenario.region_code)

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
            self.own_duties()
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
        return self.officer(code)

    def officer(self, organisation_code: str) -> Actor:
        """An officer of the organisation, named for the drill in the journal."""
        return Actor(
            username=drill_actor(organisation_code),
            organisation=self.organisations[organisation_code],
            role=Role.OFFICER,
            region_codes=frozenset({self.scenario.region_code}),
        )

    def role_of(self, organisation_code: str) -> str:
        """The scenario's name for the organisation: a city's code, or its body's role."""
        if organisation_code == self.bodies.coordination_body:
            return "committee"
        if organisation_code in self.bodies.domain_offices.values():
            return "domain_office"
        cities = self.bodies.jurisdiction_organisations
        return next((j for j, code in cities.items() if code == organisation_code), "")

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
        """The reading goes through the checks and the station's rule (the level it would
        fire at, if any), and into the drill's journal."""

        def step(now: datetime) -> None:
            earlier = self.readings.setdefault(station, [])
            with self.uow as tx:
                observation, firing = observations.judge_drill_reading(
                    self.stations, station, value, at=now, earlier=earlier
                )
                earlier.append((observation.observed_at, observation.value))
                tx.record(
                    self.committee(),
                    "drill.observed",
                    subject=f"drill:{self.drill_id}",
                    payload={
                        "drill": self.drill_id,
                        "station": station,
                        "value": observation.value,
                        "unit": observation.unit,
                        "at": now.isoformat(),
                        "firing": None if firing is None else firing.record(),
                    },
                    region_code=self.scenario.region_code,
                    now=now,
                )
                tx.commit()

        return step

    def committee(self) -> Actor:
        return self.officer(self.bodies.coordination_body)

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
                self.add(offer.offset, self.offer(opened, request.party, offer, share))

        return step

    def offer(
        self, request: AidRequest, requester: str, offer: ScenarioOffer, share: float
    ) -> Step:
        """The neighbour offers its share of every line, the requester accepts at once, and
        the neighbour dispatches: its commitments fall due by the line's needed-by time or
        its estimated arrival, whichever is later; the goods arrive when the scenario says."""

        def step(now: datetime) -> None:
            assert request.id is not None
            donor = self.party(offer.party)
            estimated = now + timedelta(hours=OFFER_TRAVEL_HOURS)
            made = aid_offers.make_offer(
                self.uow,
                donor,
                request.id,
                lines=[
                    OfferLineDraft(
                        request_line_id=line.id or 0,
                        quantity=line.quantity * share,
                        earliest_dispatch=now,
                        estimated_arrival=estimated,
                    )
                    for line in request.lines
                ],
                now=now,
            )
            assert made.id is not None
            accepted = aid_offers.accept_offer(self.uow, self.party(requester), made.id, now=now)
            sent = [
                shipments.dispatch(
                    self.uow,
                    donor,
                    commitment.id,
                    quantity=commitment.quantity,
                    mode=TransportMode.ROAD,
                    reference=f"演练 {self.drill_id} / drill {self.drill_id}",
                    expected_arrival=estimated,
                    now=now,
                )
                for commitment in accepted
                if commitment.id is not None
            ]
            arrives = offer.arrives
            if arrives is None:
                arrives = offer.offset + OFFER_TRAVEL_HOURS * 60
            if arrives <= self.scenario.duration:
                self.add(arrives, self.receive(requester, sent))

        return step

    def receive(self, requester: str, sent: Sequence[Shipment]) -> Step:
        def step(now: datetime) -> None:
            for shipment in sent:
                assert shipment.id is not None
                shipments.record_receipt(
                    self.uow,
                    self.party(requester),
                    shipment.id,
                    quantity=shipment.quantity,
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

    def own_duties(self) -> None:
        """Schedule each new duty that its party does by its own action (the committee's
        convening, an office's follow-up, a plan's task) as the party's behaviour says."""
        with self.uow.read_only() as tx:
            fresh = [
                duty
                for risk_id in self.risk_of.values()
                for duty in tx.duties.of_risk(risk_id)
                if duty.status is DutyStatus.OPEN
                and duty.id not in self.scheduled_duties
                and (duty.kind is DutyKind.CONVENE or duty.kind in SELF_ACKNOWLEDGED)
            ]
        for duty in fresh:
            assert duty.id is not None
            self.scheduled_duties.add(duty.id)
            after = self.scenario.duties_after(self.role_of(duty.organisation_code))
            if after is None:
                continue
            assigned = (duty.assigned_at - self.drill.clock_start) / timedelta(minutes=1)
            if assigned + after <= self.scenario.duration:
                self.add(assigned + after, self.do_duty(duty))

    def do_duty(self, duty: DutyRecord) -> Step:
        """The party does its duty: the committee convenes (the drill's consultation stands
        for the meeting, which would invite real people), an office or city confirms."""

        def step(now: datetime) -> None:
            assert duty.id is not None and duty.risk_id is not None
            officer = self.officer(duty.organisation_code)
            if duty.kind is DutyKind.CONVENE:
                with self.uow as tx:
                    duties.complete(
                        tx,
                        officer,
                        risk_id=duty.risk_id,
                        kind=DutyKind.CONVENE,
                        organisation_code=duty.organisation_code,
                        via="drill.convened",
                        now=now,
                    )
                    tx.commit()
                return
            with self.uow.read_only() as tx:
                current = tx.duties.get(duty.id)
            if current.status is DutyStatus.OPEN:
                duties.acknowledge_duty(self.uow, officer, duty.id, note="演练 / drill", now=now)

        return step

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
