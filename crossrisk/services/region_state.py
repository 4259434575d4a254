"""The region's normal (常态) or emergency (应急态) state, switched by its committee.

The state is kept on the region's row; when and why it last changed is read from the
journal (`region.state_changed`), which is the record of every switch. Deadlines follow the
state from the moment of the switch: every list drawn afterwards reads the state's column of
the plan. Open duties keep their deadline unless `deadlines.toml`'s
`[region_state] redraw_open_duties` says otherwise; then each open risk of the region is
analysed again at the switch, which brings a duty forward and never postpones one
(domain/duty.next_deadline).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from crossrisk.domain.errors import Conflict, InvalidInput
from crossrisk.domain.journal import JournalEntry
from crossrisk.domain.organisation import Actor
from crossrisk.domain.permissions.region_state import require_switch_region_state
from crossrisk.domain.permissions.regions import can_read_region, require_read_region
from crossrisk.domain.region import Region
from crossrisk.domain.responsibility import RegionState
from crossrisk.domain.risk import REASON_MAX, RiskStatus, check_text
from crossrisk.services import analysis
from crossrisk.services.policy_tables import redraw_open_duties_on_switch
from crossrisk.store.uow import Transaction, UnitOfWork

STATE_CHANGED = "region.state_changed"
OPEN_RISKS_MAX = 10_000


@dataclass(frozen=True, slots=True)
class StateRecord:
    """A region's state, and the switch that set it (none: normal since it was loaded)."""

    region_code: str
    state: RegionState
    since: datetime | None = None
    reason: str = ""
    changed_by: str = ""

    @property
    def emergency(self) -> bool:
        return self.state is RegionState.EMERGENCY


def parse_state(value: object) -> RegionState:
    """A state named by its key; anything else is refused."""
    try:
        return RegionState(str(value))
    except ValueError:
        raise InvalidInput(
            f"{str(value)[:32]!r} is not a region state (normal or emergency)",
            key="region-state-unknown",
            params={"value": str(value)[:32]},
        ) from None


def switch_state(
    uow: UnitOfWork,
    actor: Actor,
    region_code: str,
    state: RegionState,
    *,
    reason: str,
    now: datetime,
) -> StateRecord:
    """The committee switches its region between normal and emergency state, saying why."""
    reason = check_text("reason", reason, limit=REASON_MAX)
    with uow as tx:
        tx.regions.get(region_code)
        require_switch_region_state(actor, region_code)
        before = tx.regions.state(region_code, for_update=True)
        if before is state:
            raise Conflict(
                f"region {region_code} is already in {state.value} state",
                key="region-state-unchanged",
                params={"region": region_code, "state": state.value},
            )
        tx.regions.set_state(region_code, state)
        redrawn = _redraw_open_risks(tx, actor, region_code, now=now)
        tx.record(
            actor,
            STATE_CHANGED,
            subject=f"region:{region_code}",
            payload={
                "region": region_code,
                "from": before.value,
                "to": state.value,
                "reason": reason,
                "redrawn": redrawn,
            },
            region_code=region_code,
            now=now,
        )
        tx.commit()
    return StateRecord(region_code, state, since=now, reason=reason, changed_by=actor.username)


def current_state(uow: UnitOfWork, actor: Actor, region_code: str) -> StateRecord:
    """The region's state and its last switch."""
    with uow.read_only() as tx:
        tx.regions.get(region_code)
        require_read_region(actor, region_code)
        return _current(tx, region_code)


def state_history(uow: UnitOfWork, actor: Actor, region_code: str) -> list[StateRecord]:
    """Every switch of the region's state, newest first."""
    with uow.read_only() as tx:
        tx.regions.get(region_code)
        require_read_region(actor, region_code)
        return [_from_entry(region_code, e) for e in reversed(_switches(tx, region_code))]


def states_for(uow: UnitOfWork, actor: Actor) -> list[tuple[Region, StateRecord]]:
    """Each region the actor reads with its state, for every page's header."""
    with uow.read_only() as tx:
        return [
            (region, _current(tx, region.code))
            for region in tx.regions.all()
            if can_read_region(actor, region.code)
        ]


def _current(tx: Transaction, region_code: str) -> StateRecord:
    state = tx.regions.state(region_code)
    switches = _switches(tx, region_code)
    if not switches:
        return StateRecord(region_code, state)
    return _from_entry(region_code, switches[-1])


def _switches(tx: Transaction, region_code: str) -> list[JournalEntry]:
    return [e for e in tx.journal.about(f"region:{region_code}") if e.action == STATE_CHANGED]


def _from_entry(region_code: str, entry: JournalEntry) -> StateRecord:
    return StateRecord(
        region_code,
        RegionState(entry.payload["to"]),
        since=entry.at,
        reason=str(entry.payload.get("reason", "")),
        changed_by=entry.actor,
    )


def _redraw_open_risks(tx: Transaction, actor: Actor, region_code: str, *, now: datetime) -> int:
    """Analyse each open risk of the region again under the new state, when the policy asks."""
    if not redraw_open_duties_on_switch():
        return 0
    redrawn = 0
    for risk in tx.risks.list(region_codes=[region_code], limit=OPEN_RISKS_MAX):
        if risk.status is RiskStatus.CLOSED or risk.id is None:
            continue
        analysis.analyse(tx, actor, tx.risks.get(risk.id, for_update=True), now=now)
        redrawn += 1
    return redrawn
