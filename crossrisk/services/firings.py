"""Firings: acting on a queued firing opens a risk for its station or raises the open one.

Each queued firing is one use case in one transaction: take the outbox row, lock the
station's firings, read the risk the station opened, then register a new risk or raise
that one through the risk register's own helpers (so reach, warnings and journal follow
as for a person), record what was done and commit. If anything fails, nothing of it is
written; the row stays queued for another attempt, or is given up and journaled when
the failure is one that trying again cannot mend.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy.exc import SQLAlchemyError

from crossrisk.domain.errors import CrossriskError
from crossrisk.domain.monitoring.firing import Firing, raised
from crossrisk.domain.monitoring.station import Station, StationState
from crossrisk.domain.organisation import Actor, system_actor
from crossrisk.domain.risk import TITLE_MAX, Risk, RiskDraft, RiskStatus
from crossrisk.domain.warning import WarningLevel
from crossrisk.locale import EN, N_, ZH_CN, local_time, say
from crossrisk.services import risks
from crossrisk.services.observations import QueuedFiring
from crossrisk.services.policy_tables import firing_assessment, variables
from crossrisk.store.uow import Transaction, UnitOfWork

log = logging.getLogger(__name__)

# A database hiccup (a lost connection, a serialisation failure) is tried again this many
# times, 2, 4, 8 … seconds apart; a refusal by the rules is final at once.
ATTEMPTS = 5
FIRST_RETRY = timedelta(seconds=2)
DUE_BATCH = 50


@dataclass(frozen=True, slots=True)
class FiringOutcome:
    """What acting on a firing did: opened a risk, raised it, kept it, or failed."""

    firing_id: int
    station: str
    level: WarningLevel
    risk_id: int | None
    action: str  # "opened", "raised", "kept", "retrying" or "failed"
    detail: str = ""

    def record(self) -> dict[str, Any]:
        return {
            "firing": self.firing_id,
            "station": self.station,
            "level": self.level.value,
            "colour": self.level.key,
            "risk_id": self.risk_id,
            "action": self.action,
            "detail": self.detail,
        }


def act_on_queued(
    uow: UnitOfWork, queued: Iterable[QueuedFiring], *, now: datetime
) -> list[FiringOutcome]:
    """Act on the firings a batch just queued, each in its own transaction, in station order.

    Firings another process took first, or that change nothing, report nothing.
    """
    return [
        outcome
        for firing in queued
        if (outcome := act_on_firing(uow, firing.id, now=now, by_sender=True)) is not None
    ]


def act_on_due(uow: UnitOfWork, *, now: datetime, limit: int = DUE_BATCH) -> list[FiringOutcome]:
    """The worker's pass: act on every queued firing that is due (left by a crash, retried)."""
    with uow.read_only() as tx:
        due = tx.firings.due(now=now, limit=limit)
    return [o for firing_id in due if (o := act_on_firing(uow, firing_id, now=now)) is not None]


def act_on_firing(
    uow: UnitOfWork, firing_id: int, *, now: datetime, by_sender: bool = False
) -> FiringOutcome | None:
    """Open a risk for a queued firing, or raise its station's open one; one transaction.

    None when another process holds or has done it, or when it changes nothing: a closed
    risk is not reopened (the firing opens a new one), a lower level never lowers a risk,
    and a level the station fired at already is not applied twice (a person may have
    reassessed the risk since).
    """
    try:
        with uow as tx:
            taken = tx.firings.take(firing_id, now=now, due=not by_sender)
            if taken is None:
                return None
            # Locked before the station is read: what it reads is what the last firing of
            # this station committed.
            tx.locks.station_firing(taken.station_id)
            station = tx.stations.by_id(taken.station_id)
            outcome = _act(tx, firing_id, station, taken.firing, now=now)
            tx.firings.finish(
                firing_id,
                outcome="skipped" if outcome is None else outcome.action,
                risk_id=None if outcome is None else outcome.risk_id,
                now=now,
            )
            tx.commit()
            return outcome
    except (CrossriskError, SQLAlchemyError) as error:
        return _failed(uow, firing_id, error, now=now)


def _act(
    tx: Transaction, firing_id: int, station: Station, firing: Firing, *, now: datetime
) -> FiringOutcome | None:
    assert station.id is not None
    actor = system_actor(station.actor_name)
    state = tx.stations.state(station.id)
    risk = tx.risks.get(state.open_risk_id, for_update=True) if state.open_risk_id else None
    if risk is None or risk.status is RiskStatus.CLOSED:
        opened = risks.register(
            tx, actor, _draft(station, firing), region_code=station.region_code, now=now
        )
        _record(tx, actor, station, firing, opened, "opened", now=now)
        return FiringOutcome(firing_id, station.code, firing.level, opened.id, "opened")
    if state.fired_level is not None and firing.level >= state.fired_level:
        return None
    assert risk.id is not None
    likelihood, consequence = raised(
        (risk.likelihood, risk.consequence), firing.level, firing_assessment()
    )
    if (likelihood, consequence) == (risk.likelihood, risk.consequence):
        # Someone assessed the risk at least this high already: remember the level only.
        _record(tx, actor, station, firing, risk, "kept", now=now)
        return FiringOutcome(firing_id, station.code, firing.level, risk.id, "kept")
    title, title_en = _titles(station, firing.level)
    change = risks.RiskChange(
        title=title,
        title_en=title_en,
        likelihood=likelihood,
        consequence=consequence,
        reason=_raise_reason(firing),
    )
    changed = risks.change_in(tx, actor, risk.id, change, now=now)
    _record(tx, actor, station, firing, changed, "raised", now=now)
    return FiringOutcome(firing_id, station.code, firing.level, changed.id, "raised")


def _failed(
    uow: UnitOfWork, firing_id: int, error: Exception, *, now: datetime
) -> FiringOutcome | None:
    """Record a failed attempt in a transaction of its own: retry later, or give up."""
    detail = error.detail if isinstance(error, CrossriskError) else type(error).__name__
    with uow as tx:
        record = tx.firings.get(firing_id)
        if record.status != "pending":
            return None
        station = tx.stations.by_id(record.station_id)
        attempts = record.attempts + 1
        retry = isinstance(error, SQLAlchemyError) and attempts < ATTEMPTS
        if retry:
            at = now + FIRST_RETRY * 2 ** (attempts - 1)
            tx.firings.retry(firing_id, attempts=attempts, at=at, detail=detail)
        else:
            tx.firings.fail(firing_id, attempts=attempts, detail=detail, now=now)
            # A gauge over its level that opened no risk is something the duty officer
            # and the accountability mechanism must see, not a line in a log.
            payload = {
                "station": station.code,
                "firing": firing_id,
                "attempts": attempts,
                "detail": detail,
                **record.firing.record(),
            }
            subject = f"station:{station.code}"
            actor = system_actor(station.actor_name)
            tx.record(
                actor,
                "station.firing_failed",
                subject=subject,
                payload=payload,
                region_code=station.region_code,
                now=now,
            )
        tx.commit()
    log.warning(
        "station %s fired %s but could not act (%s): %s",
        station.code,
        record.firing.level.key,
        "will retry" if retry else "given up",
        detail,
    )
    action = "retrying" if retry else "failed"
    return FiringOutcome(firing_id, station.code, record.firing.level, None, action, detail)


def _record(
    tx: Transaction,
    actor: Actor,
    station: Station,
    firing: Firing,
    risk: Risk,
    action: str,
    *,
    now: datetime,
) -> None:
    """Record the firing against a risk: the station's link and level, and the journal."""
    assert station.id is not None
    tx.stations.set_state(
        station.id, StationState(open_risk_id=risk.id, fired_level=firing.level, fired_at=now)
    )
    payload = {"station": station.code, "risk_id": risk.id, "action": action, **firing.record()}
    subject = f"station:{station.code}"
    tx.record(
        actor,
        "station.fired",
        subject=subject,
        payload=payload,
        region_code=station.region_code,
        now=now,
    )


def _draft(station: Station, firing: Firing) -> RiskDraft:
    likelihood, consequence = firing_assessment().cell(firing.level)
    title, title_en = _titles(station, firing.level)
    return RiskDraft(
        category=station.category,
        title=title,
        title_en=title_en,
        description=_description(station, firing),
        hazard_geometry={"type": "Point", "coordinates": [station.lon, station.lat]},
        likelihood=likelihood,
        consequence=consequence,
        hazard_type=station.hazard_type,
        parameters=dict(station.parameters),
    )


def reason(firing: Firing, locale: str) -> str:
    """Why a station fired, in a catalog language."""
    params = {
        "value": _number(firing.value),
        "limit": _number(firing.limit),
        "unit": firing.unit,
        "colour": _colour(firing.level, locale),
    }
    if firing.trigger == "rise" and firing.window_hours is not None:
        message = N_(
            "rose %(value)s %(unit)s within %(hours)s h, at or over the %(colour)s rate-of-rise "
            "threshold of %(limit)s %(unit)s in %(hours)s h"
        )
        return say(locale, message, {**params, "hours": _number(firing.window_hours)})
    message = N_(
        "observed %(value)s %(unit)s, at or over the %(colour)s threshold of %(limit)s %(unit)s"
    )
    return say(locale, message, params)


def _titles(station: Station, level: WarningLevel) -> tuple[str, str]:
    # Both languages are stored; a page shows the one it is written in.
    variable = variables()[station.variable]
    message = N_("%(station)s: %(colour)s %(variable)s warning")
    zh, en = (
        say(
            locale,
            message,
            {
                "station": station.name_zh if locale == ZH_CN else station.name_en,
                "variable": variable.name_zh if locale == ZH_CN else variable.name_en.lower(),
                "colour": _colour(level, locale),
            },
        )
        for locale in (ZH_CN, EN)
    )
    return zh[:TITLE_MAX], en[:TITLE_MAX]


def _description(station: Station, firing: Firing) -> str:
    message = N_(
        "%(station)s: %(reason)s (observed %(when)s). Registered by the station's trigger rule."
    )
    return "\n".join(
        say(
            locale,
            message,
            {
                "station": station.name_zh if locale == ZH_CN else station.name_en,
                "reason": reason(firing, locale),
                "when": _when(firing.observed_at, locale),
            },
        )
        for locale in (ZH_CN, EN)
    )


def _raise_reason(firing: Firing) -> str:
    return " / ".join(
        say(
            locale,
            N_("%(reason)s (%(when)s)"),
            {"reason": reason(firing, locale), "when": _when(firing.observed_at, locale)},
        )
        for locale in (ZH_CN, EN)
    )


def _when(moment: datetime, locale: str) -> str:
    return local_time(moment, locale, N_("yyyy-MM-dd HH:mm 'UTC+8'"))


def _colour(level: WarningLevel, locale: str) -> str:
    return level.colour_zh if locale == ZH_CN else level.colour_en.lower()


def _number(value: float) -> str:
    # Readings and limits as the gauge's own unit shows them: 24.9, not 24.900000000000002.
    return f"{round(value, 4):g}"
