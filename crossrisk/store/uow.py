"""The unit of work: one transaction per use case, events announced only after commit."""

from __future__ import annotations

from types import TracebackType

from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from crossrisk.services.events import Event, EventBus
from crossrisk.store.repositories.analyses import AnalysisRepository
from crossrisk.store.repositories.journal import JournalRepository
from crossrisk.store.repositories.organisations import OrganisationRepository
from crossrisk.store.repositories.regions import RegionRepository
from crossrisk.store.repositories.risks import RiskRepository


class UnitOfWork:
    """Opens a session, exposes the repositories and commits once."""

    session: Session
    regions: RegionRepository
    organisations: OrganisationRepository
    risks: RiskRepository
    journal: JournalRepository
    analyses: AnalysisRepository

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
