"""A border section of the Xin'an kind for the tests: four water-quality stations at one
point on Huangshan's side of the border, an agreement naming the water-quality rule, and
a year of readings."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from crossrisk.domain.agreements.agreement import Agreement, ObligationKind
from crossrisk.domain.agreements.compensation import check_compensation
from crossrisk.domain.organisation import system_actor
from crossrisk.services import agreements, observations, stations
from crossrisk.store.uow import UnitOfWork
from tests.agreements_support import COMMITTEE, PARTIES, mutual_aid
from tests.support import T0, actor

SECTION = "jiekou-codmn"  # the station the tests name; the others share its point
# Baselines and weights as the tests' agreement writes them; K0 = 0.85 as in round one.
TERMS: dict[str, Any] = {
    "k0": 0.85,
    "amount_yuan": 100_000_000,
    "indicators": [
        {"code": "codmn", "weight": 0.25, "baseline": 2.0},
        {"code": "nh3_n", "weight": 0.25, "baseline": 0.1},
        {"code": "tp", "weight": 0.25, "baseline": 0.02},
        {"code": "tn", "weight": 0.25, "baseline": 1.0},
    ],
}
UNITS = {"codmn": "mg/L", "nh3_n": "mg/L", "tp": "mg/L", "tn": "mg/L"}
# After the test year, so none of its readings is ahead of the clock.
NOW = datetime(2026, 1, 10, 2, 0, tzinfo=UTC)

_STATION = """
[[stations]]
code = "{code}"
name_zh = "街口断面{variable}"
name_en = "Jiekou section {variable}"
kind = "river_gauge"
lon = 118.60
lat = 29.80
jurisdiction = "341000"
variable = "{variable}"
unit = "mg/L"
risk = {{ category = "accident_disaster", hazard_type = "area" }}

[stations.thresholds]
blue = {blue}
"""
_BLUE = {"codmn": 10.0, "nh3_n": 1.5, "tp": 0.3, "tn": 1.9}


def station_code(indicator: str) -> str:
    return "jiekou-" + indicator.replace("_", "-")


def add_section(uow: UnitOfWork, *, lon: float = 118.60, lat: float = 29.80) -> None:
    """Load the four stations of the Jiekou section (Huangshan's side of the border)."""
    text = 'region = "yrd"\n' + "".join(
        _STATION.format(code=station_code(v), variable=v, blue=_BLUE[v]) for v in UNITS
    )
    text = text.replace("lon = 118.60", f"lon = {lon}").replace("lat = 29.80", f"lat = {lat}")
    stations.load_stations(
        uow, actor(uow, COMMITTEE), stations.read_station_file(text), now=T0 - timedelta(days=400)
    )


def water_agreement(uow: UnitOfWork, terms: dict[str, Any] | None = None) -> Agreement:
    """The mutual-aid agreement of Hangzhou, Huangshan and Quzhou, settled by water quality
    at Jiekou, signed by all (in force)."""
    committee = actor(uow, COMMITTEE)
    rule = check_compensation("xinan_water_quality", terms or TERMS)
    base = mutual_aid()
    # Without the gauge obligation, so the agreement does not need the bundled stations.
    kept = tuple(o for o in base.obligations if o.kind is not ObligationKind.MAINTAIN_GAUGE)
    text = mutual_aid(compensation=rule, obligations=kept)
    agreement = agreements.draft_agreement(uow, committee, "yrd", text, now=T0)
    assert agreement.id is not None
    for n, party in enumerate((*PARTIES, COMMITTEE), start=1):
        agreements.sign_agreement(
            uow, actor(uow, party), agreement.id, now=T0 + timedelta(minutes=n)
        )
    return agreement


def feed(uow: UnitOfWork, readings: dict[str, list[float]], *, year: int = 2025) -> None:
    """Readings of each indicator, one a month from January of `year`, as a gateway sends them."""
    records = []
    for indicator, values in readings.items():
        for month, value in enumerate(values, start=1):
            at = datetime(year, month, 15, 2, 0, tzinfo=UTC)
            records.append(
                {
                    "station": station_code(indicator),
                    "time": at.isoformat(),
                    "value": value,
                    "unit": UNITS[indicator],
                }
            )
    # Past readings: stored, and too old to fire anything.
    report = observations.ingest(uow, system_actor("gateway"), records, source="test", now=NOW)
    assert report.stored == len(records), report
