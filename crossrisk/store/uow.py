"""The unit of work: one transaction per use case, events announced only after commit.

A use case takes a `UnitOfWork` and opens it once:

    with uow as tx:          # a writing transaction
        ...
        tx.commit()

    with uow.read_only() as tx:   # a reading one: never takes the write lock
        ...

Helpers that must run inside an open transaction take the `Transaction`, never the
`UnitOfWork`, so the type tells them apart from use cases. Opening a unit of work that is
already open raises: a nested `with` would otherwise start a second session whose
rollback or commit silently parts from the outer one.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from datetime import datetime
from types import TracebackType
from typing import Any

from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from crossrisk.domain.events import Event, EventBus
from crossrisk.domain.journal import JournalEntry
from crossrisk.domain.organisation import Actor
from crossrisk.store.db import READ_ONLY
from crossrisk.store.locks import Locks
from crossrisk.store.repositories.agreements import AgreementRepository
from crossrisk.store.repositories.aid_offers import AidOfferRepository
from crossrisk.store.repositories.aid_requests import AidRequestRepository
from crossrisk.store.repositories.allocations import AllocationRepository
from crossrisk.store.repositories.analyses import AnalysisRepository
from crossrisk.store.repositories.annual import AnnualItemRepository
from crossrisk.store.repositories.assessments import AssessmentRepository
from crossrisk.store.repositories.cap_senders import CapSenderRepository
from crossrisk.store.repositories.cases import CaseRepository
from crossrisk.store.repositories.checkpoints import CheckpointRepository
from crossrisk.store.repositories.commitments import CommitmentRepository
from crossrisk.store.repositories.compensation import CompensationRepository
from crossrisk.store.repositories.deliveries import DeliveryRepository
from crossrisk.store.repositories.demand_factors import DemandFactorRepository
from crossrisk.store.repositories.drills import DrillRepository
from crossrisk.store.repositories.duties import DutyRepository
from crossrisk.store.repositories.equipment import EquipmentRepository
from crossrisk.store.repositories.firings import FiringRepository
from crossrisk.store.repositories.journal import JournalRepository
from crossrisk.store.repositories.login_throttles import LoginThrottleRepository
from crossrisk.store.repositories.meetings import MeetingRepository
from crossrisk.store.repositories.observations import ObservationRepository
from crossrisk.store.repositories.organisations import OrganisationRepository
from crossrisk.store.repositories.plans import PlanRepository
from crossrisk.store.repositories.received_alerts import ReceivedAlertRepository
from crossrisk.store.repositories.regions import RegionRepository
from crossrisk.store.repositories.reviews import ReviewRepository
from crossrisk.store.repositories.risks import RiskRepository
from crossrisk.store.repositories.sessions import SessionRepository
from crossrisk.store.repositories.shelters import ShelterRepository
from crossrisk.store.repositories.shipments import ShipmentRepository
from crossrisk.store.repositories.stations import StationRepository
from crossrisk.store.repositories.stocks import StockRepository
from crossrisk.store.repositories.teams import TeamRepository
from crossrisk.store.repositories.trust import TrustRepository
from crossrisk.store.repositories.warnings import WarningRepository


class UnitOfWorkError(RuntimeError):
    """A unit of work used against its protocol: a programming error, never user input."""


class Transaction:
    """An open unit of work: one session's repositories, committed at most once."""

    def __init__(self, session: Session, *, writable: bool, bus: EventBus) -> None:
        self.session = session
        self.writable = writable
        self.regions = RegionRepository(session)
        self.organisations = OrganisationRepository(session)
        self.risks = RiskRepository(session)
        self.journal = JournalRepository(session)
        self.checkpoints = CheckpointRepository(session)
        self.analyses = AnalysisRepository(session)
        self.stations = StationRepository(session)
        self.observations = ObservationRepository(session)
        self.firings = FiringRepository(session)
        self.deliveries = DeliveryRepository(session)
        self.received_alerts = ReceivedAlertRepository(session)
        self.cap_senders = CapSenderRepository(session)
        self.warnings = WarningRepository(session)
        self.duties = DutyRepository(session)
        self.stocks = StockRepository(session)
        self.aid_requests = AidRequestRepository(session)
        self.aid_offers = AidOfferRepository(session)
        self.commitments = CommitmentRepository(session)
        self.shipments = ShipmentRepository(session)
        self.allocations = AllocationRepository(session)
        self.agreements = AgreementRepository(session)
        self.demand_factors = DemandFactorRepository(session)
        self.plans = PlanRepository(session)
        self.annual_items = AnnualItemRepository(session)
        self.teams = TeamRepository(session)
        self.equipment = EquipmentRepository(session)
        self.shelters = ShelterRepository(session)
        self.meetings = MeetingRepository(session)
        self.assessments = AssessmentRepository(session)
        self.reviews = ReviewRepository(session)
        self.cases = CaseRepository(session)
        self.drills = DrillRepository(session)
        self.trust = TrustRepository(session)
        self.compensation = CompensationRepository(session)
        self.sessions = SessionRepository(session)
        self.login_throttles = LoginThrottleRepository(session)
        self.locks = Locks(session)
        self.committed = False
        self._bus = bus
        self._pending: list[Event] = []

    def record(
        self,
        actor: Actor,
        action: str,
        *,
        subject: str,
        payload: Mapping[str, Any],
        region_code: str | None,
        now: datetime,
    ) -> JournalEntry:
        """Append a journal entry and collect the event that announces it, always together.

        The event carries what the entry carries, so what the live pages hear is what the
        journal keeps; `region_code` tells the bus whom it concerns.
        """
        entry = self.journal.append(actor, action, subject=subject, payload=payload, now=now)
        self._pending.append(
            Event(action, subject=subject, region_code=region_code, payload=payload)
        )
        return entry

    @contextmanager
    def savepoint(self) -> Iterator[None]:
        """A nested part that rolls back alone when it raises, leaving the rest standing.

        Its events go with it: what it recorded is undone, so it is not announced either.
        """
        mark = len(self._pending)
        try:
            with self.session.begin_nested():
                yield
        except BaseException:
            del self._pending[mark:]
            raise

    def commit(self) -> None:
        """Commit, then announce the events collected: the bus never hears of a rollback."""
        if not self.writable:
            raise UnitOfWorkError("a read-only transaction has nothing to commit")
        if self.committed:
            raise UnitOfWorkError("the transaction was committed already")
        self.session.commit()
        self.committed = True
        pending, self._pending = self._pending, []
        for event in pending:
            self._bus.publish(event)


class UnitOfWork:
    """Opens one transaction at a time on an engine and announces its events after commit."""

    def __init__(self, engine: Engine, bus: EventBus | None = None) -> None:
        self.engine = engine
        self.bus = bus or EventBus()
        self._writer = sessionmaker(bind=engine, expire_on_commit=False)
        self._reader = sessionmaker(
            bind=engine.execution_options(**READ_ONLY), expire_on_commit=False
        )
        self._open: Transaction | None = None

    def __enter__(self) -> Transaction:
        return self._begin(writable=True)

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self._end()

    @contextmanager
    def read_only(self) -> Iterator[Transaction]:
        """A transaction that reads: deferred on SQLite, READ ONLY on PostgreSQL."""
        tx = self._begin(writable=False)
        try:
            yield tx
        finally:
            self._end()

    def fresh(self) -> UnitOfWork:
        """Another unit of work on the same database and bus: for another thread, say."""
        return UnitOfWork(self.engine, self.bus)

    @property
    def is_open(self) -> bool:
        """True while a transaction of this unit of work is open."""
        return self._open is not None

    def _begin(self, *, writable: bool) -> Transaction:
        if self._open is not None:
            raise UnitOfWorkError(
                "this unit of work is open already; a helper inside it takes the Transaction"
            )
        factory = self._writer if writable else self._reader
        self._open = Transaction(factory(), writable=writable, bus=self.bus)
        return self._open

    def _end(self) -> None:
        tx, self._open = self._open, None
        if tx is None:
            return
        # Whatever was not committed is undone: a failed use case writes nothing.
        tx.session.rollback()
        tx.session.close()
