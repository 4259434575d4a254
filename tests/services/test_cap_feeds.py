"""Real CAP feeds: every valid alert is received and recorded; only the region's open risks."""

from __future__ import annotations

from datetime import timedelta

import pytest
from shapely.geometry import Point, shape

from crossrisk.alerts.cap.parse import parse_cap
from crossrisk.domain.errors import InvalidInput, NotPermitted
from crossrisk.domain.organisation import Actor, Role
from crossrisk.domain.risk import EventLevel
from crossrisk.domain.warning import WarningLevel
from crossrisk.services import risks
from crossrisk.services.cap_batches import receive_cap_batch
from crossrisk.services.cap_receipts import CapOutcome
from crossrisk.services.policy_tables import event_level_matrix, firing_assessment
from crossrisk.store.uow import UnitOfWork
from tests.alerts.cap_samples import flood_alert
from tests.alerts.feed_samples import (
    NATIONAL_SENDER,
    TUNXI,
    advisory_without_area,
    amber_alert,
    earthquake_report,
    meteoalarm_warning,
    national_rainstorm,
    thunderstorm_warning,
)
from tests.services.test_cap_import import FEED, counts, receive, recorded
from tests.support import T0, actor

# These tests are about what receiving does: the samples' senders are registered.
pytestmark = pytest.mark.usefixtures("sample_senders")

BY_GB2260 = {"value_name": "GB/T 2260", "geocode": TUNXI}
NANCHANG = (
    "<areaDesc>南昌市</areaDesc>\n"
    "      <geocode><valueName>GB/T 2260</valueName><value>360100</value></geocode>"
)


# ---------------------------------------------------------------------------------------
# Valid alerts that touch no member jurisdiction are recorded, not refused


@pytest.mark.parametrize(
    "message, outcome",
    [
        (thunderstorm_warning(), CapOutcome.OUTSIDE),
        (earthquake_report(), CapOutcome.OUTSIDE),  # a circle of radius 0 in California
        (flood_alert(polygon="39.8,116.3 40.0,116.3 40.0,116.5 39.8,116.5 39.8,116.3"), "outside"),
        (flood_alert(area=NANCHANG), CapOutcome.OUTSIDE),  # a GB/T 2260 code of no member
        (amber_alert(), CapOutcome.NOT_PLACED),  # FIPS and SAME codes only
        (meteoalarm_warning(), CapOutcome.NOT_PLACED),  # EMMA_ID only
        (advisory_without_area(), CapOutcome.NOT_PLACED),  # no <area> at all
        (flood_alert(area="<areaDesc>新安江沿岸</areaDesc>"), CapOutcome.NOT_PLACED),
    ],
    ids=[
        "polygon-in-california",
        "point-in-california",
        "polygon-in-beijing",
        "gb2260-of-nanchang",
        "fips-and-same",
        "emma-id",
        "no-area",
        "description-only",
    ],
)
def test_a_valid_alert_that_touches_no_member_is_recorded_with_why(
    uow: UnitOfWork, message: bytes, outcome: CapOutcome | str
) -> None:
    expected = CapOutcome.OUTSIDE if outcome == "outside" else CapOutcome(outcome)
    alert = parse_cap(message)
    events = recorded(uow)
    risks_before, journal_before, received_before = counts(uow)
    receipt = receive(uow, message)
    assert receipt.outcome is expected
    assert (receipt.risk_id, receipt.region_code, receipt.origin_codes) == (None, None, ())
    assert counts(uow) == (risks_before, journal_before + 1, received_before + 1)
    with uow.read_only() as tx:
        stored = tx.received_alerts.find(alert.sender, alert.identifier)
        assert stored is not None
        (entry,) = tx.journal.about(f"cap-alert:{stored.id}")
        raw = tx.received_alerts.xml(stored.id or 0)
    assert (stored.outcome, stored.risk_id, stored.region_code) == (expected.value, None, None)
    assert raw == message
    assert entry.action == "cap.received"
    assert entry.payload["outcome"] == expected.value
    assert entry.payload["identifier"] == alert.identifier
    assert entry.payload["note"]["en"].startswith("Recorded only")
    assert entry.payload["note"]["zh_CN"] != entry.payload["note"]["en"]
    assert [(e.name, e.payload["outcome"]) for e in events] == [("cap.received", expected.value)]
    # Delivered again by the feed: known, nothing more written.
    assert receive(uow, message, minutes=5).outcome is CapOutcome.ALREADY_RECEIVED
    assert counts(uow)[1] == journal_before + 1


def test_a_city_may_record_an_alert_from_abroad_but_an_evaluator_may_not(
    uow: UnitOfWork,
) -> None:
    assert receive(uow, thunderstorm_warning(), actor(uow, "ema-330100")).outcome is (
        CapOutcome.OUTSIDE
    )
    before = counts(uow)
    evaluator = next_evaluator(uow)
    with pytest.raises(NotPermitted):
        receive(uow, earthquake_report(), evaluator)
    assert counts(uow) == before


def next_evaluator(uow: UnitOfWork) -> Actor:
    with uow.read_only() as tx:
        code = next(o.code for o in tx.organisations.all() if o.kind.value == "evaluator")
    return actor(uow, code, Role.OFFICER)


def test_an_ack_is_recorded_and_acts_on_nothing(uow: UnitOfWork) -> None:
    ack = flood_alert(msg_type="Ack", references=f"{NATIONAL_SENDER},x,2026-07-01T09:00:00+08:00")
    receipt = receive(uow, ack)
    assert receipt.outcome is CapOutcome.NOT_ACTED_ON and receipt.risk_id is None
    assert counts(uow)[0] == 0 and counts(uow)[2] == 1


# ---------------------------------------------------------------------------------------
# A circle of radius 0 is a point


def test_a_circle_of_radius_0_in_the_region_opens_a_risk_at_that_point(uow: UnitOfWork) -> None:
    # A chemical plant's spot in Hangzhou, given as the CAP specification gives a point.
    message = flood_alert(area="<areaDesc>化工厂</areaDesc>\n      <circle>30.27,120.16 0</circle>")
    receipt = receive(uow, message, actor(uow, "ema-330100"))
    assert receipt.outcome is CapOutcome.OPENED and receipt.origin_codes == ("330100",)
    risk = risks.get_risk(uow, FEED, receipt.risk_id or 0)
    assert shape(risk.hazard_geometry).equals(Point(120.16, 30.27))


# ---------------------------------------------------------------------------------------
# The national meteorological feed


@pytest.mark.parametrize(
    "value_name, code",
    [
        ("CPEAS Geographic Code", TUNXI + "000000"),
        ("CPEAS Geographic Code", "341021105000"),  # a township of Shexian
        ("GB/T 2260", TUNXI),
    ],
)
def test_a_county_code_places_the_alert_in_its_member_city(
    uow: UnitOfWork, value_name: str, code: str
) -> None:
    receipt = receive(uow, national_rainstorm(value_name=value_name, geocode=code))
    assert receipt.outcome is CapOutcome.OPENED
    assert (receipt.region_code, receipt.origin_codes) == ("yrd", ("341000",))
    with uow.read_only() as tx:
        boundary = shape(next(j for j in tx.regions.members("yrd") if j.code == "341000").boundary)
        hazard = shape(tx.risks.get(receipt.risk_id or 0).hazard_geometry)
    assert hazard.area == pytest.approx(boundary.area, rel=1e-3)


def test_a_cpeas_code_outside_the_region_is_recorded_as_outside(uow: UnitOfWork) -> None:
    receipt = receive(uow, national_rainstorm(geocode="360102000000"))  # 南昌市东湖区
    assert receipt.outcome is CapOutcome.OUTSIDE and counts(uow)[0] == 0


@pytest.mark.parametrize(
    "colour, level",
    [
        (WarningLevel.RED, EventLevel.I),
        (WarningLevel.ORANGE, EventLevel.II),
        (WarningLevel.YELLOW, EventLevel.III),
        (WarningLevel.BLUE, EventLevel.IV),
    ],
)
def test_a_national_warning_takes_its_level_from_its_colour(
    uow: UnitOfWork, colour: WarningLevel, level: EventLevel
) -> None:
    # Placed by its GB/T 2260 code, as before the CPEAS codes were read: only the level is new.
    receipt = receive(uow, national_rainstorm(colour=colour.key, **BY_GB2260))
    assert receipt.outcome is CapOutcome.OPENED
    assert receipt.level == level.value and receipt.colour == colour.key
    risk = risks.get_risk(uow, FEED, receipt.risk_id or 0)
    # The very cell a station's firing of that colour assesses.
    assert (risk.likelihood, risk.consequence) == firing_assessment().cell(colour)
    assert risk.level is level
    assert risk.title.endswith(f"预警信号[{colour.numeral}级/{colour.grade_zh}]")
    assert f"level {level.value} from its colour {colour.key}" in receipt.summary()


@pytest.mark.parametrize(
    "headline, colour",
    [
        ("黄山市气象台发布暴雨预警信号[Ⅰ级/特别严重]", WarningLevel.RED),
        ("黄山市气象台发布暴雨预警信号[IV级/一般]", WarningLevel.BLUE),
        ("黄山市气象台发布暴雨预警信号[2级/严重]", WarningLevel.ORANGE),
        ("Huangshan Observatory: rainstorm warning [Level III]", WarningLevel.YELLOW),
    ],
)
def test_the_headline_tag_alone_gives_the_level(
    uow: UnitOfWork, headline: str, colour: WarningLevel
) -> None:
    message = national_rainstorm(headline=headline, severity="Unknown", **BY_GB2260)
    # No colour word anywhere else: the event and the parameter say nothing.
    message = message.replace("暴雨红色预警".encode(), "暴雨预警".encode())
    message = message.replace(b"<value>Red</value>", b"<value>-</value>")
    receipt = receive(uow, message)
    assert receipt.colour == colour.key
    assert receipt.level == event_level_matrix().level(*firing_assessment().cell(colour)).value


def test_a_feed_that_states_certainty_keeps_the_cap_assessment(uow: UnitOfWork) -> None:
    message = national_rainstorm(colour="red").replace(
        b"<certainty>Unknown</certainty>", b"<certainty>Possible</certainty>"
    )
    receipt = receive(uow, message)
    risk = risks.get_risk(uow, FEED, receipt.risk_id or 0)
    assert receipt.colour is None and (risk.likelihood, risk.consequence) == (3, 5)


def test_an_update_from_a_feed_joined_midway_opens_its_risk(uow: UnitOfWork) -> None:
    update = national_rainstorm(
        colour="orange",
        identifier="34100041600000_20260701095500",
        sent="2026-07-01T09:55:00+08:00",
        msg_type="Update",
        references=f"{NATIONAL_SENDER},34100041600000_20260701093000,{T0.isoformat()}",
    )
    receipt = receive(uow, update)
    assert receipt.outcome is CapOutcome.OPENED and receipt.level == EventLevel.II.value
    assert receipt.origin_codes == ("341000",)


# ---------------------------------------------------------------------------------------
# Exercises and stale alerts


def test_a_national_exercise_never_enters_the_live_picture(uow: UnitOfWork) -> None:
    receipt = receive(uow, national_rainstorm(status="Exercise"))
    assert receipt.outcome is CapOutcome.EXERCISE and receipt.risk_id is None
    assert receipt.level == EventLevel.I.value  # what the real one would have been
    assert counts(uow)[0] == 0


def test_an_expired_alert_is_recorded_and_opens_nothing(uow: UnitOfWork) -> None:
    events = recorded(uow)
    message = national_rainstorm(expires="2026-07-01T09:45:00+08:00")  # 15 min before now
    receipt = receive(uow, message)
    assert receipt.outcome is CapOutcome.EXPIRED and receipt.risk_id is None
    # Checked in full: where it lay is recorded.
    assert (receipt.region_code, receipt.origin_codes) == ("yrd", ("341000",))
    assert counts(uow)[0] == 0 and counts(uow)[2] == 1
    with uow.read_only() as tx:
        stored = tx.received_alerts.find(NATIONAL_SENDER, "34100041600000_20260701093000")
    assert stored is not None and (stored.outcome, stored.region_code) == ("expired", "yrd")
    assert [(e.name, e.payload["outcome"]) for e in events] == [("cap.received", "expired")]
    assert "expired" in events[0].payload["note"]["en"]


def test_an_expired_update_leaves_its_risk_as_it_was(uow: UnitOfWork) -> None:
    opened = receive(uow, national_rainstorm(colour="blue"))
    before = risks.get_risk(uow, FEED, opened.risk_id or 0)
    update = national_rainstorm(
        colour="red",
        identifier="34100041600000_20260701100000",
        sent="2026-07-01T10:00:00+08:00",
        msg_type="Update",
        references=f"{NATIONAL_SENDER},34100041600000_20260701093000,{T0.isoformat()}",
        expires="2026-07-01T10:30:00+08:00",
    )
    receipt = receive(uow, update, minutes=31)
    assert receipt.outcome is CapOutcome.EXPIRED
    assert risks.get_risk(uow, FEED, opened.risk_id or 0) == before


def test_an_alert_sent_within_the_clock_skew_is_received(uow: UnitOfWork) -> None:
    ahead = national_rainstorm(sent="2026-07-01T10:59:00+08:00")  # now is 10:00 +08:00
    assert receive(uow, ahead).outcome is CapOutcome.OPENED


def test_an_alert_sent_far_in_the_future_is_refused_and_nothing_written(
    uow: UnitOfWork,
) -> None:
    before = counts(uow)
    with pytest.raises(InvalidInput) as caught:
        receive(uow, national_rainstorm(sent="2027-07-01T09:30:00+08:00"))
    assert caught.value.key == "cap-sent-in-future"
    assert "2027-07-01T09:30:00+08:00" in caught.value.detail
    assert counts(uow) == before


# ---------------------------------------------------------------------------------------
# Many alerts at once


def test_a_batch_receives_each_alert_on_its_own_and_sums_up(uow: UnitOfWork) -> None:
    update = national_rainstorm(
        colour="red",
        identifier="34100041600000_20260701095000",
        sent="2026-07-01T09:50:00+08:00",
        msg_type="Update",
        references=f"{NATIONAL_SENDER},34100041600000_20260701093000,{T0.isoformat()}",
    )
    messages = [
        ("01-national.xml", national_rainstorm(colour="blue")),
        ("02-update.xml", update),
        ("03-again.xml", national_rainstorm(colour="blue")),
        ("04-thunderstorm.xml", thunderstorm_warning()),
        ("05-amber.xml", amber_alert()),
        ("06-future.xml", national_rainstorm(identifier="x", sent="2030-01-01T00:00:00+08:00")),
        ("07-broken.xml", b"<alert>"),
        ("08-exercise.xml", national_rainstorm(identifier="y", status="Exercise")),
    ]
    summary = receive_cap_batch(uow, FEED, messages, now=T0 + timedelta(minutes=1))
    assert (summary.opened, summary.changed, summary.duplicates) == (1, 1, 1)
    assert summary.recorded == {"exercise": 1, "not-placed": 1, "outside-region": 1}
    assert [(r.name, r.key) for r in summary.refusals] == [
        ("06-future.xml", "cap-sent-in-future"),
        ("07-broken.xml", "cap-malformed"),
    ]
    lines = summary.lines()
    assert lines[0] == (
        "opened 1, changed 1, recorded 3 (exercise 1, not-placed 1, outside-region 1), "
        "duplicates 1, refused 2"
    )
    assert lines[1].startswith("refused 06-future.xml: the CAP alert was sent 2030-01-01")
    assert lines[2].startswith("refused 07-broken.xml: ") and len(lines) == 3
    # Each its own transaction: the refusals undid nothing of the others.
    assert counts(uow)[0] == 1 and counts(uow)[2] == 5
