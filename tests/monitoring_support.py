"""Builders for monitoring tests: stations, observations and records."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from crossrisk.domain.monitoring.observation import Observation
from crossrisk.domain.monitoring.station import Station, StationKind
from crossrisk.domain.monitoring.trigger_rule import TriggerRule, read_rule
from crossrisk.domain.organisation import Actor, system_actor
from crossrisk.domain.risk import RiskCategory
from crossrisk.services import firings, observations, stations
from crossrisk.services.firings import FiringOutcome
from crossrisk.services.observations import IngestReport
from crossrisk.store.uow import UnitOfWork
from tests.support import T0

# The bundled Tunxi gauge: blue 24.8 (published), yellow 25.8, orange 26.8, red 27.8;
# a rise of 2 m within 3 h is blue.
TUNXI_BLUE, TUNXI_YELLOW, TUNXI_ORANGE, TUNXI_RED = 24.8, 25.8, 26.8, 27.8
_BEIJING = ZoneInfo("Asia/Shanghai")


def rule(**table: Any) -> TriggerRule:
    return read_rule(table)


def observation(value: float, minutes: float = 0, station: str = "tunxi") -> Observation:
    return Observation(station, T0 + timedelta(minutes=minutes), value, "m")


def record(
    value: float,
    minutes: float = 0,
    *,
    station: str = "tunxi",
    unit: str = "m",
    base: datetime = T0,
) -> dict[str, Any]:
    """An observation record as a gateway sends it, stamped in Beijing time."""
    at = (base + timedelta(minutes=minutes)).astimezone(_BEIJING)
    return {"station": station, "time": at.isoformat(), "value": value, "unit": unit}


def station(**overrides: Any) -> Station:
    """A station value (not stored) with a simple rule, for pure tests."""
    values: dict[str, Any] = dict(
        code="test-gauge",
        name_zh="测试站",
        name_en="Test gauge",
        kind=StationKind.RIVER_GAUGE,
        region_code="yrd",
        jurisdiction_code="341000",
        lon=118.322,
        lat=29.711,
        variable="water_level",
        unit="m",
        rule=rule(thresholds={"blue": 24.8, "orange": 26.8}),
        category=RiskCategory.NATURAL_DISASTER,
        hazard_type="flood_wave",
        parameters={},
    )
    values.update(overrides)
    return Station(**values)


def load_bundled_stations(uow: UnitOfWork) -> None:
    text = stations.bundled_station_file("yrd")
    assert text is not None
    stations.load_stations(
        uow, system_actor(), stations.read_station_file(text), now=T0 - timedelta(days=1)
    )


def utc(minutes: float) -> datetime:
    return (T0 + timedelta(minutes=minutes)).astimezone(UTC)


@dataclass(frozen=True)
class Sent:
    """A batch's ingest report and what acting on its queued firings did, as a sender sees."""

    report: IngestReport
    fired: tuple[FiringOutcome, ...]

    def __getattr__(self, name: str) -> Any:
        return getattr(self.report, name)


def ingest_and_act(
    uow: UnitOfWork, who: Actor, records: object, *, now: datetime, source: str = "test"
) -> Sent:
    """Ingest a batch, then act on the firings it queued, as the API and the CLI do."""
    report = observations.ingest(uow, who, records, source=source, now=now)  # type: ignore[arg-type]
    return Sent(report, tuple(firings.act_on_queued(uow, report.queued, now=now)))
