"""The unit of work: one transaction per use case, events announced only after commit."""

from __future__ import annotations

from types import TracebackType

from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from crossrisk.services.events import Event, EventBus
from crossrisk.store.repositories.analyses import AnalysisRepository
from crossrisk.store.repositories.deliveries import DeliveryRepository
from crossrisk.store.repositories.journal import JournalRepository
from crossrisk.store.repositories.observations import ObservationRepository
from crossrisk.store.repositories.organisations import OrganisationRepository
from crossrisk.store.repositories.received_alerts import ReceivedAlertRepository
from crossrisk.store.repositories.regions import RegionRepository
from crossrisk.store.repositories.risks import RiskRepository
from crossrisk.store.repositories.stations import StationRepository
from crossrisk.store.repositories.warnings import WarningRepository


class UnitOfWork:
    """Opens a session, exposes the repositories and commits once."""

    session: Session
    regions: RegionRepository
    organisations: OrganisationRepository
    risks: RiskRepository
    journal: JournalRepository
    analyses: AnalysisRepository
    stations: StationRepository
    observations: ObservationRepository
    deliveries: DeliveryRepository
    received_alerts: ReceivedAlertRepository
    warnings: WarningRepository

    def __init__(self, engine: Engine, bus: EventBus | None = None) -> None:
        self.engine = engine
        self.bus = bus or EventBus()
        self._factory = sessionmaker(bind=engine, expire_on_commit=False)
        self._pending: list[Event] = []

    def __enter__(self) -> UnitOfWork:
        self.session = self._factory()
        self.regions = RegionRepository(self.session)
        self.organisations = OrganisationRepository(self.session)
        self.risks = RiskRepository(self.session)
        self.journal = JournalRepository(self.session)
        self.analyses = AnalysisRepository(self.session)
        self.stations = StationRepository(self.session)
        self.observations = ObservationRepository(self.session)
        self.deliveries = DeliveryRepository(self.session)
        self.received_alerts = ReceivedAlertRepository(self.session)
        self.warnings = WarningRepository(self.session)
        self._pending = []
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        # Whatever was not committed is undone: a failed use case writes nothing.
        self.session.rollback()
        self.session.close()
        self._pending = []

    def collect(self, event: Event) -> None:
        """Hold an event until the transaction commits."""
        self._pending.append(event)

    def commit(self) -> None:
        """Commit the transaction, then announce its events."""
        self.session.commit()
        pending, self._pending = self._pending, []
        for event in pending:
            self.bus.publish(event)
