"""Drills: a scenario replayed through the same services people use, on a virtual clock.

Starting, ending and reading drills; the replay itself is `drill_runner.Runner`. Everything
a drill registers carries it: its risks (risks.drill_id), and so their analyses, warnings
(CAP status Exercise, never queued to external channels) and duties, which real lists
leave out.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from datetime import datetime
from functools import cache
from typing import Any

import yaml

from crossrisk.data import bundled_drill_path, bundled_drills
from crossrisk.domain.accountability.case import Case
from crossrisk.domain.drills.drill import Drill, DrillState, clock_start
from crossrisk.domain.drills.reading import read_scenario, scenario_problems
from crossrisk.domain.drills.scenario import (
    Known,
    Scenario,
    ScenarioProblem,
)
from crossrisk.domain.errors import CrossriskError
from crossrisk.domain.evaluation.metrics import Metric
from crossrisk.domain.journal import JournalEntry
from crossrisk.domain.monitoring.station import Station
from crossrisk.domain.organisation import Actor
from crossrisk.domain.permissions.regions import (
    readable_regions,
    require_coordinate,
    require_read_region,
)
from crossrisk.domain.risk import Risk
from crossrisk.domain.warning_plan import WarningMessage
from crossrisk.services import analysis, stations
from crossrisk.services.accountability import readable_cases
from crossrisk.services.drill_review import drill_metrics, review_json
from crossrisk.services.drill_runner import Pace as Pace
from crossrisk.services.drill_runner import Runner
from crossrisk.services.policy_tables import aid_catalogue, hazard_types
from crossrisk.store.uow import Transaction, UnitOfWork

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


@dataclass(frozen=True, slots=True)
class BundledScenario:
    """A scenario that ships with the platform, named as its file titles it."""

    code: str
    title_zh: str
    title_en: str


@cache  # the package's own files: read once, not on every page that offers them
def bundled_scenarios() -> tuple[BundledScenario, ...]:
    """The bundled scenarios with their titles, for a list to choose from."""
    found = []
    for code in bundled_drills():
        path = bundled_drill_path(code)
        assert path is not None
        title = (yaml.safe_load(path.read_text("utf-8")) or {}).get("title") or {}
        found.append(BundledScenario(code, str(title.get("zh", code)), str(title.get("en", code))))
    return tuple(found)


def check_scenario(
    uow: UnitOfWork, text: str, *, region: str | None = None
) -> Scenario | list[ScenarioProblem]:
    """The scenario of a text, or every problem it has, by line; nothing is written."""
    return scenario_problems(text, known(uow), region=region)


def run_drill(
    uow: UnitOfWork,
    actor: Actor,
    text: str,
    *,
    speed: float | None,
    pace: Pace,
    region_code: str | None = None,
    started: Callable[[Drill], None] | None = None,
) -> Drill:
    """Check the scenario, start the drill, replay it, close its risks and end it.

    A scenario with problems is refused (InvalidInput "drill-scenario-invalid") before
    anything is written. A step the services refuse ends the drill as failed. `started`
    hears of the drill once it is recorded, before the replay: a drill at speed N takes its
    duration / N, and its page can be followed meanwhile.
    """
    scenario = read_scenario(text, known(uow), region=region_code)
    drill = _start(uow, actor, scenario, text, speed=speed, now=pace.clock())
    assert drill.id is not None
    if started is not None:
        started(drill)
    try:
        Runner(uow, drill, scenario, pace).run()
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
        require_coordinate(actor, scenario.region_code)
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


def list_drills(uow: UnitOfWork, actor: Actor) -> list[Drill]:
    """The drills of every region the actor reads, newest first."""
    with uow.read_only() as tx:
        return tx.drills.list(region_codes=readable_regions(actor))


def get_drill(uow: UnitOfWork, actor: Actor, drill_id: int) -> Drill:
    """One drill, for whoever reads its region."""
    with uow.read_only() as tx:
        drill = tx.drills.get(drill_id)
        require_read_region(actor, drill.region_code)
        return drill


@dataclass(frozen=True, slots=True)
class DrillRecord:
    """What the drill's page shows: its risks, their warnings, and its timeline."""

    drill: Drill
    risks: list[Risk]
    warnings: list[WarningMessage]
    timeline: list[JournalEntry]
    metrics: list[Metric]
    cases: list[Case]  # the drill's accountability cases the reader may read
    review: dict[str, Any]
    stations: dict[str, Station]  # the region's stations by code, to name a reading's


def drill_record(uow: UnitOfWork, actor: Actor, drill_id: int, *, now: datetime) -> DrillRecord:
    """The drill with everything it did, read in one transaction."""
    with uow.read_only() as tx:
        drill = tx.drills.get(drill_id)
        require_read_region(actor, drill.region_code)
        found = tx.risks.list(region_codes=None, drill_id=drill_id)
        metrics = drill_metrics(tx, drill, now=now)
        cases = readable_cases(tx, actor, drill_id=drill_id)
        return DrillRecord(
            drill=drill,
            risks=found,
            warnings=_messages(tx, found),
            timeline=timeline(tx, drill, found),
            metrics=metrics,
            cases=cases,
            review=review_json(drill, metrics, cases),
            stations=stations.stations_of_region(tx, drill.region_code),
        )


TIMELINE_MAX = 2000


def _messages(tx: Transaction, found: list[Risk]) -> list[WarningMessage]:
    """Every message the drill's risks sent, each thread's in order: an alert, its updates,
    the cancellation when the drill closed them, each with its acknowledgement."""
    messages = []
    for risk in found:
        assert risk.id is not None
        recipients = sorted({m.warning.recipient_code for m in tx.warnings.newest(risk_id=risk.id)})
        for recipient in recipients:
            messages.extend(tx.warnings.history(risk.id, recipient))
    return messages


def timeline(tx: Transaction, drill: Drill, found: list[Risk]) -> list[JournalEntry]:
    """The journal entries of the drill, its risks and their warnings, and its aid requests'
    offers, commitments and shipments: its start, then the rest by time (the scenario by
    the drill's clock, its end and the review's work after it by the real one)."""
    entries = list(tx.journal.about(f"drill:{drill.id}"))
    for risk in found:
        assert risk.id is not None
        entries.extend(tx.journal.about_risk(risk.id, limit=TIMELINE_MAX))
    for request in tx.aid_requests.find(drill_id=drill.id):
        assert request.id is not None
        entries.extend(tx.journal.about_aid_request(request.id, limit=TIMELINE_MAX))
    unique = {entry.seq: entry for entry in entries}
    return sorted(unique.values(), key=_timeline_order)[:TIMELINE_MAX]


def _timeline_order(entry: JournalEntry) -> tuple[bool, datetime, int]:
    # The start is written at the real moment, while the scenario's entries carry the
    # drill's clock, which lies before it: by time alone the start would come after
    # everything it began.
    return (entry.action != "drill.started", entry.at, entry.seq)


def risks_of(tx: Transaction, drill_id: int) -> Iterator[Risk]:
    """The drill's risks, inside an open transaction."""
    yield from tx.risks.list(region_codes=None, drill_id=drill_id)
