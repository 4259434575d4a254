"""Observation records: what is stored, what is refused and who may feed a station."""

from __future__ import annotations

import math
from datetime import timedelta

import pytest

from crossrisk.domain.monitoring.observation import ObservationRefused, parse_observation
from crossrisk.domain.organisation import Actor, Organisation, OrganisationKind, Role
from crossrisk.domain.permissions.monitoring import can_feed_station
from crossrisk.services.policy_tables import variables
from tests.monitoring_support import record, rule, station
from tests.support import T0

STATIONS = {
    "test-gauge": station(),
    "cases": station(
        code="cases",
        variable="case_count",
        unit="cases",
        rule=rule(thresholds={"blue": 10}),
    ),
    "flow": station(
        code="flow", variable="discharge", unit="m³/s", rule=rule(thresholds={"blue": 5000})
    ),
    "narrow": station(code="narrow", valid_range=(15.0, 40.0)),
}
FEED = dict.fromkeys(STATIONS, True)


def parse(rec: object, *, feed: dict[str, bool] | None = None) -> object:
    return parse_observation(
        rec, stations=STATIONS, variables=variables(), may_feed=feed or FEED, now=T0
    )


def refusal(rec: object, **kwargs: object) -> str:
    with pytest.raises(ObservationRefused) as caught:
        parse(rec, **kwargs)  # type: ignore[arg-type]
    return caught.value.key


def test_a_good_record_becomes_an_observation_in_utc() -> None:
    got = parse(record(25.0, station="test-gauge"))
    assert got.observed_at == T0 and got.observed_at.utcoffset() == timedelta(0)  # type: ignore[attr-defined]
    assert got.value == 25.0  # type: ignore[attr-defined]


def test_unit_spellings_of_the_same_unit_are_accepted() -> None:
    assert parse(record(4000, station="flow", unit="m3/s")).unit == "m³/s"  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    "rec, key",
    [
        ("24.5", "observation-malformed"),
        ([1, 2], "observation-malformed"),
        (
            {"station": "test-gauge", "time": "2026-07-01T10:00+08:00", "value": 1},
            "observation-malformed",
        ),
        ({**record(25, station="test-gauge"), "quality": "good"}, "observation-malformed"),
        ({**record(25, station="test-gauge"), "value": "25.0"}, "observation-malformed"),
        ({**record(25, station="test-gauge"), "value": True}, "observation-malformed"),
        (
            {**record(25, station="test-gauge"), "time": "2026-07-01T10:00:00"},
            "observation-time-invalid",
        ),
        ({**record(25, station="test-gauge"), "time": "yesterday"}, "observation-time-invalid"),
        ({**record(25, station="test-gauge"), "time": 1782000000}, "observation-time-invalid"),
        (record(25, station="nowhere"), "observation-unknown-station"),
        ({**record(25, station="test-gauge"), "station": 7}, "observation-unknown-station"),
        (record(25, station="test-gauge", unit="cm"), "observation-wrong-unit"),
        (
            record(9999.0, station="test-gauge"),
            "observation-impossible-value",
        ),
        (record(-9999, station="test-gauge"), "observation-impossible-value"),
        (record(math.nan, station="test-gauge"), "observation-impossible-value"),
        (record(math.inf, station="test-gauge"), "observation-impossible-value"),
        (record(45.0, station="narrow"), "observation-impossible-value"),
        (record(2.5, station="cases", unit="cases"), "observation-impossible-value"),
        (record(-1, station="cases", unit="cases"), "observation-impossible-value"),
        (record(25, 11, station="test-gauge"), "observation-time-future"),
        # Beyond float range, or off the calendar once in UTC: refused, never a crash.
        (record(10**400, station="test-gauge"), "observation-impossible-value"),
        (
            {**record(25, station="test-gauge"), "time": "9999-12-31T23:00:00-14:00"},
            "observation-time-invalid",
        ),
        (
            {**record(25, station="test-gauge"), "time": "0001-01-01T00:30:00+14:00"},
            "observation-time-invalid",
        ),
        (
            {**record(25, station="test-gauge"), "time": "2026-07-01T10:00:00\x00+08:00"},
            "observation-time-invalid",
        ),
    ],
)
def test_bad_records_are_refused_with_their_key(rec: object, key: str) -> None:
    assert refusal(rec) == key


def test_a_station_the_sender_may_not_feed_is_refused_with_its_own_key() -> None:
    assert refusal(record(25, station="test-gauge"), feed={"test-gauge": False}) == (
        "observation-station-not-permitted"
    )


def test_clock_a_little_ahead_is_tolerated() -> None:
    assert parse(record(25, 9, station="test-gauge")) is not None


def _actor(
    kind: OrganisationKind,
    *,
    jurisdiction: str | None = None,
    region: str | None = None,
    role: Role = Role.OFFICER,
) -> Actor:
    organisation = Organisation(
        "org", kind, "组织", "Org", jurisdiction_code=jurisdiction, region_code=region
    )
    return Actor("someone", organisation, role, frozenset({"yrd"}))


@pytest.mark.parametrize(
    "who, allowed",
    [
        (_actor(OrganisationKind.SYSTEM), True),
        (_actor(OrganisationKind.COORDINATION_BODY, region="yrd"), True),
        (_actor(OrganisationKind.COORDINATION_BODY, region="pearl"), False),
        (_actor(OrganisationKind.JURISDICTION, jurisdiction="341000"), True),
        (_actor(OrganisationKind.JURISDICTION, jurisdiction="341000", role=Role.VIEWER), False),
        (_actor(OrganisationKind.JURISDICTION, jurisdiction="330100"), False),
        (_actor(OrganisationKind.CENTRAL_OFFICE), False),
        (_actor(OrganisationKind.EVALUATOR, region="yrd"), False),
        (_actor(OrganisationKind.DOMAIN_OFFICE, region="yrd"), False),
    ],
)
def test_who_may_feed_a_station(who: Actor, allowed: bool) -> None:
    s = station()
    fed = can_feed_station(who, region_code=s.region_code, jurisdiction_code=s.jurisdiction_code)
    assert fed is allowed
