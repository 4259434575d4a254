"""Whether each obligation of the agreements in force is kept, read from the record.

The worker checks each region's agreements at most once an hour and journals an
obligation only when its status changes (`agreement.obligation_kept` /
`agreement.obligation_unmet`); pages and the API compute the same statuses on demand.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from crossrisk.domain.agreements.agreement import (
    Agreement,
    AgreementState,
    Obligation,
    ObligationKind,
)
from crossrisk.domain.agreements.obligation_status import (
    Checked,
    ObligationStatus,
    Occasion,
    answered_in_time,
    changed,
    fund_status,
    gauge_status,
    reserve_status,
)
from crossrisk.domain.duty import DutyStatus
from crossrisk.domain.moments import local_day
from crossrisk.domain.organisation import Actor, system_actor
from crossrisk.domain.responsibility import DutyKind
from crossrisk.services.agreements import load
from crossrisk.store.repositories.agreements import obligation_dict
from crossrisk.store.uow import Transaction, UnitOfWork

CHECK_EVERY = timedelta(hours=1)
# The worker's name in the journal for what it found.
CHECKER = "agreement-checker"


@dataclass(frozen=True, slots=True)
class ObligationCheck:
    """One obligation of a version with its status now."""

    position: int  # 1-based, the obligation's line in the text
    obligation: Obligation
    checked: Checked


def obligation_checks(
    uow: UnitOfWork, actor: Actor, agreement_id: int, *, now: datetime
) -> list[ObligationCheck]:
    """Each obligation's status now; empty for a version not in force (nothing binds yet)."""
    with uow.read_only() as tx:
        agreement = load(tx, actor, agreement_id)
        return _checks(tx, agreement, now=now)


def check_obligations(uow: UnitOfWork, *, now: datetime) -> int:
    """Check the agreements of each region not checked this hour; returns how many changed.

    One transaction per region, so one region's failure leaves the others checked.
    """
    with uow.read_only() as tx:
        due = [
            region
            for region, at in tx.agreements.last_checked().items()
            if at is None or now - at >= CHECK_EVERY
        ]
    return sum(_check_region(uow, region, now=now) for region in sorted(due))


def _check_region(uow: UnitOfWork, region_code: str, *, now: datetime) -> int:
    actor = system_actor(CHECKER)
    changes = 0
    with uow as tx:
        # Locked, and asked again: another worker may have checked the region meanwhile.
        in_force = tx.agreements.listed(
            region_codes=[region_code], states=[AgreementState.IN_FORCE], for_update=True
        )
        if all(a.checked_at is not None and now - a.checked_at < CHECK_EVERY for a in in_force):
            return 0
        for agreement in in_force:
            statuses = dict(agreement.obligation_status)
            for check in _checks(tx, agreement, now=now):
                key = str(check.position)
                if changed(statuses.get(key), check.checked.status):
                    changes += 1
                    _record_change(tx, actor, agreement, check, now=now)
                statuses[key] = check.checked.status.value
            tx.agreements.save(replace(agreement, obligation_status=statuses, checked_at=now))
        tx.commit()
    return changes


def _record_change(
    tx: Transaction, actor: Actor, agreement: Agreement, check: ObligationCheck, *, now: datetime
) -> None:
    tx.record(
        actor,
        f"agreement.obligation_{check.checked.status.value}",
        subject=f"agreement:{agreement.id}",
        payload={
            "agreement_id": agreement.id,
            "number": agreement.number,
            "version": agreement.version,
            "position": check.position,
            "obligation": obligation_dict(check.obligation),
            "evidence": dict(check.checked.evidence),
        },
        region_code=agreement.region_code,
        now=now,
    )


def _checks(tx: Transaction, agreement: Agreement, *, now: datetime) -> list[ObligationCheck]:
    if agreement.state is not AgreementState.IN_FORCE or agreement.in_force_at is None:
        return []
    jurisdictions = {
        o.code: o.jurisdiction_code for o in tx.organisations.all() if o.jurisdiction_code
    }
    return [
        ObligationCheck(n, obligation, _check(tx, agreement, obligation, jurisdictions, now=now))
        for n, obligation in enumerate(agreement.text.obligations, start=1)
    ]


def _check(
    tx: Transaction,
    agreement: Agreement,
    obligation: Obligation,
    jurisdictions: dict[str, str],
    *,
    now: datetime,
) -> Checked:
    since = agreement.in_force_at
    assert since is not None
    jurisdiction = jurisdictions.get(obligation.party, "")
    match obligation.kind:
        case ObligationKind.KEEP_RESERVE:
            assert obligation.item_code is not None and obligation.quantity is not None
            levels = tx.stocks.levels(agreement.region_code, on=local_day(now))
            held = levels.get(jurisdiction, {}).get(obligation.item_code, 0.0)
            return reserve_status(required=obligation.quantity, held=held)
        case ObligationKind.MAINTAIN_GAUGE:
            assert obligation.station_code is not None and obligation.hours is not None
            station = tx.stations.get(obligation.station_code)
            assert station.id is not None
            last = tx.stations.latest([station.id]).get(station.id)
            return gauge_status(
                hours=obligation.hours, last_at=None if last is None else last.observed_at, now=now
            )
        case ObligationKind.REPORT_WITHIN:
            assert obligation.minutes is not None
            return answered_in_time(
                _reports(tx, obligation.party, since=since),
                within=timedelta(minutes=obligation.minutes),
                now=now,
                unit="minutes",
            )
        case ObligationKind.ANSWER_AID_WITHIN:
            assert obligation.hours is not None
            return answered_in_time(
                _aid_answers(tx, agreement.region_code, jurisdiction, since=since),
                within=timedelta(hours=obligation.hours),
                now=now,
                unit="hours",
            )
        case ObligationKind.CONTRIBUTE_FUND:
            assert obligation.amount_yuan is not None
            return fund_status(amount_yuan=obligation.amount_yuan)
    return Checked(ObligationStatus.NOT_CHECKABLE)  # pragma: no cover - every kind matched


def _reports(tx: Transaction, organisation_code: str, *, since: datetime) -> list[Occasion]:
    """The party's handle-and-report duties since the agreement came into force."""
    return [
        Occasion(began_at=duty.assigned_at, answered_at=duty.done_at)
        for duty in tx.duties.listed(
            organisation_code=organisation_code,
            statuses=[DutyStatus.OPEN, DutyStatus.DONE],
        )
        if duty.kind is DutyKind.HANDLE_AND_REPORT and duty.assigned_at >= since
    ]


def _aid_answers(
    tx: Transaction, region_code: str, jurisdiction: str, *, since: datetime
) -> list[Occasion]:
    """Other members' approved requests since then, and the party's first offer to each.

    Declines are not recorded by mutual aid yet, so an answer is an offer.
    """
    occasions = []
    for request in tx.aid_requests.find(region_codes=[region_code]):
        if (
            request.jurisdiction_code == jurisdiction
            or request.approved_at is None
            or request.approved_at < since
        ):
            continue
        offers = [
            o.created_at
            for o in tx.aid_offers.of_request(request.id or 0)
            if o.jurisdiction_code == jurisdiction
        ]
        occasions.append(
            Occasion(began_at=request.approved_at, answered_at=min(offers, default=None))
        )
    return occasions
