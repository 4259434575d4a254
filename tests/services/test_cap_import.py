"""Receiving CAP alerts from other systems: they open, update and withdraw risks."""

from __future__ import annotations

import hashlib
import threading
import tomllib
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from importlib import resources

import pytest
import shapely
from shapely.geometry import Point, box, shape
from sqlalchemy import func, select

from crossrisk.alerts.cap.area import parse_cap_polygon
from crossrisk.alerts.cap.mapping import (
    CAP_CATEGORIES,
    incoming_mapping_from_table,
    load_incoming_mapping,
)
from crossrisk.domain.errors import (
    Conflict,
    CrossriskError,
    InvalidInput,
    InvalidTransition,
    NotPermitted,
)
from crossrisk.domain.events import Event
from crossrisk.domain.organisation import Actor, system_actor
from crossrisk.domain.propagation import hazard_type_for
from crossrisk.domain.risk import RiskStatus
from crossrisk.services import risks
from crossrisk.services.cap_import import receive_cap
from crossrisk.services.cap_receipts import CapOutcome, CapReceipt
from crossrisk.services.policy_tables import event_level_matrix, hazard_types
from crossrisk.store.db import make_engine
from crossrisk.store.models import JournalEntryRow, ReceivedAlertRow, RiskRow
from crossrisk.store.uow import UnitOfWork
from tests.alerts.cap_samples import (
    BILLION_LAUGHS,
    EXTERNAL_ENTITY,
    FLOOD_ID,
    FLOOD_SENDER,
    MALFORMED,
    TUNXI_REACH,
    TUNXI_TO_SHEXIAN,
    circle_alert,
    flood_alert,
    flood_cancel,
    flood_update,
)
from tests.support import HANGZHOU, T0, actor

# These tests are about what receiving does: the samples' senders are registered.
pytestmark = pytest.mark.usefixtures("sample_senders")

FEED = system_actor("cap-import")


def receive(uow: UnitOfWork, xml: bytes, who: Actor = FEED, *, minutes: int = 0) -> CapReceipt:
    return receive_cap(uow, who, xml, now=T0 + timedelta(minutes=minutes))


def counts(uow: UnitOfWork) -> tuple[int, int, int]:
    """Risks, journal entries and received alerts: what a refusal must leave as it was."""
    with uow.read_only() as tx:
        return tuple(  # type: ignore[return-value]
            tx.session.scalar(select(func.count()).select_from(table)) or 0
            for table in (RiskRow, JournalEntryRow, ReceivedAlertRow)
        )


def actions(uow: UnitOfWork, subject: str) -> list[str]:
    with uow.read_only() as tx:
        return [entry.action for entry in tx.journal.about(subject)]


def recorded(uow: UnitOfWork, bus_events: list[Event] | None = None) -> list[Event]:
    events: list[Event] = [] if bus_events is None else bus_events
    uow.bus.subscribe(events.append)
    return events


# ---------------------------------------------------------------------------------------
# Alert


def test_flood_alert_opens_a_flood_wave_risk_led_by_huangshan(uow: UnitOfWork) -> None:
    events = recorded(uow)
    receipt = receive(uow, flood_alert())
    assert receipt.outcome is CapOutcome.OPENED
    assert (receipt.sender, receipt.identifier) == (FLOOD_SENDER, FLOOD_ID)
    assert receipt.region_code == "yrd" and receipt.origin_codes == ("341000",)
    assert receipt.risk_id is not None
    risk = risks.get_risk(uow, FEED, receipt.risk_id)
    assert risk.category.value == "natural_disaster"
    # On the river network: the wave is routed downstream into the next cities.
    assert risk.hazard_type == "flood_wave"
    assert shape(risk.hazard_geometry).equals(parse_cap_polygon(TUNXI_REACH))
    # Minor (blue) → consequence 2, Likely → likelihood 4; the matrix gives the level.
    assert (risk.likelihood, risk.consequence) == (4, 2)
    assert risk.level is event_level_matrix().level(4, 2)
    assert receipt.level == risk.level.value
    # The zh-CN block is read although the en-US one comes first.
    assert risk.title == "黄山市水文局发布新安江洪水蓝色预警"
    assert "新安江屯溪站水位将超过警戒水位" in risk.description
    assert "沿河低洼地带人员注意防范" in risk.description
    assert FLOOD_ID in risk.description and FLOOD_SENDER in risk.description
    assert risk.created_by == "cap-import"
    with uow.read_only() as tx:
        analysis = tx.analyses.latest(risk.id or 0)
        stored = tx.received_alerts.find(FLOOD_SENDER, FLOOD_ID)
        assert stored is not None and stored.id is not None
        raw = tx.received_alerts.xml(stored.id)
    assert analysis is not None and analysis.reach.pathway.value == "river"
    assert "330100" in [e.jurisdiction_code for e in analysis.reach.entries]  # Hangzhou
    assert (stored.msg_type, stored.status, stored.outcome) == ("Alert", "Actual", "opened")
    assert (stored.risk_id, stored.region_code, stored.received_by) == (
        risk.id,
        "yrd",
        "cap-import",
    )
    assert stored.received_at == T0
    assert raw == flood_alert()
    assert stored.xml_sha256 == hashlib.sha256(flood_alert()).hexdigest()
    # One transaction: the risk, its analysis and the received alert, journaled together.
    history = actions(uow, f"risk:{risk.id}")
    assert history[0] == "risk.registered" and history[-1] == "cap.received"
    with uow.read_only() as tx:
        entry = tx.journal.about(f"risk:{risk.id}")[-1]
    assert entry.payload["identifier"] == FLOOD_ID and entry.payload["sender"] == FLOOD_SENDER
    assert entry.payload["xml_sha256"] == stored.xml_sha256
    names = [event.name for event in events]
    assert "risk.registered" in names and "cap.received" in names


def test_the_same_alert_again_is_already_received_and_changes_nothing(uow: UnitOfWork) -> None:
    first = receive(uow, flood_alert())
    before = counts(uow)
    again = receive(uow, flood_alert(), minutes=5)
    assert again.outcome is CapOutcome.ALREADY_RECEIVED
    assert again.risk_id == first.risk_id and again.region_code == "yrd"
    assert counts(uow) == before


def test_a_circle_opens_an_area_risk_round_its_centre(uow: UnitOfWork) -> None:
    hangzhou = actor(uow, "ema-330100")
    receipt = receive(uow, circle_alert(), hangzhou)
    assert receipt.outcome is CapOutcome.OPENED
    assert receipt.origin_codes == ("330100",)
    risk = risks.get_risk(uow, hangzhou, receipt.risk_id or 0)
    # Env is pollution: an accident disaster, assessed by its footprint.
    assert (risk.category.value, risk.hazard_type) == ("accident_disaster", "area")
    footprint = shape(risk.hazard_geometry)
    assert footprint.contains(Point(HANGZHOU))
    assert not footprint.contains(Point(HANGZHOU[0] + 0.07, HANGZHOU[1]))  # ~6.8 km east
    assert (risk.likelihood, risk.consequence) == (5, 4)  # Observed, Severe
    assert risk.title == "Chemical leak"  # no headline: the event


@pytest.mark.parametrize(
    "category, event, expected",
    [
        ("Health", "Cholera outbreak", ("public_health", "area")),
        ("Security", "Civil unrest", ("social_security", "area")),
        ("Fire", "Forest fire", ("natural_disaster", "area")),
        ("Fire", "Warehouse fire", ("accident_disaster", "area")),
        ("Met", "Typhoon", ("natural_disaster", "area")),
        ("Other", "Unexplained noise", ("accident_disaster", "area")),
    ],
)
def test_category_and_event_choose_the_kind_of_risk(
    uow: UnitOfWork, category: str, event: str, expected: tuple[str, str]
) -> None:
    receipt = receive(uow, circle_alert(category=category, event=event))
    assert (receipt.category, receipt.hazard_type) == expected


def test_a_flood_away_from_every_river_is_assessed_by_its_footprint(uow: UnitOfWork) -> None:
    # Huangshan's Qimen hills (祁门), tens of kilometres from the bundled network.
    hills = "29.90,117.60 29.95,117.60 29.95,117.70 29.90,117.70 29.90,117.60"
    receipt = receive(uow, flood_alert(polygon=hills))
    assert receipt.outcome is CapOutcome.OPENED
    assert (receipt.category, receipt.hazard_type) == ("natural_disaster", "area")


def test_geocodes_alone_place_the_alert_on_the_member_city(uow: UnitOfWork) -> None:
    # 341021 is Shexian, a county of Huangshan (341000): the member city is the place.
    area = (
        "<areaDesc>歙县</areaDesc>\n"
        "      <geocode><valueName>GB/T 2260</valueName><value>341021</value></geocode>"
    )
    receipt = receive(uow, flood_alert(area=area))
    assert receipt.outcome is CapOutcome.OPENED
    assert receipt.origin_codes == ("341000",)
    with uow.read_only() as tx:
        boundary = shape(next(j for j in tx.regions.members("yrd") if j.code == "341000").boundary)
        risk = tx.risks.get(receipt.risk_id or 0)
    hazard = shape(risk.hazard_geometry)
    assert boundary.covers(hazard) and hazard.area == pytest.approx(boundary.area, rel=1e-3)


def test_an_area_reaching_beyond_the_region_keeps_the_part_inside(uow: UnitOfWork) -> None:
    # A rainstorm over the Huangshan–Jiangxi border (Qimen and Fuliang).
    across = "29.35,117.30 29.75,117.30 29.75,117.70 29.35,117.70 29.35,117.30"
    receipt = receive(
        uow,
        circle_alert(category="Met", event="Rainstorm").replace(
            b"<circle>30.27,120.16 5</circle>", f"<polygon>{across}</polygon>".encode()
        ),
    )
    assert receipt.outcome is CapOutcome.OPENED and receipt.clipped
    assert receipt.origin_codes == ("341000",)
    with uow.read_only() as tx:
        risk = tx.risks.get(receipt.risk_id or 0)
        extent = tx.regions.index("yrd").extent
    hazard = shape(risk.hazard_geometry)
    assert extent.covers(hazard)
    assert 0 < hazard.area < box(117.30, 29.35, 117.70, 29.75).area
    assert "outside the region was left out" in receipt.summary()


# ---------------------------------------------------------------------------------------
# Update and Cancel


def test_update_moves_the_hazard_and_reassesses_the_risk(uow: UnitOfWork) -> None:
    opened = receive(uow, flood_alert())
    receipt = receive(uow, flood_update(), minutes=160)
    assert receipt.outcome is CapOutcome.UPDATED
    assert receipt.risk_id == opened.risk_id
    risk = risks.get_risk(uow, FEED, receipt.risk_id or 0)
    assert shape(risk.hazard_geometry).equals(parse_cap_polygon(TUNXI_TO_SHEXIAN))
    assert (risk.likelihood, risk.consequence) == (5, 4)  # Observed, Severe
    assert risk.level is event_level_matrix().level(5, 4)
    assert risk.version == 2 and risk.hazard_type == "flood_wave"
    assert "34100041600000_20260701123000" in risk.description
    assert risk.title == "黄山市水文局发布新安江洪水橙色预警"
    with uow.read_only() as tx:
        entries = tx.journal.about(f"risk:{risk.id}")
        update = tx.received_alerts.find(FLOOD_SENDER, "34100041600000_20260701123000")
    changed = next(e for e in entries if e.action == "risk.changed")
    assert "34100041600000_20260701123000" in changed.payload["reason"]
    assert FLOOD_SENDER in changed.payload["reason"]
    assert {"hazard_geometry", "likelihood", "consequence", "level"} <= set(
        changed.payload["changed"]
    )
    assert entries[-1].action == "cap.received"
    assert update is not None and (update.outcome, update.risk_id) == ("updated", risk.id)


def test_an_update_of_an_update_finds_the_same_risk(uow: UnitOfWork) -> None:
    opened = receive(uow, flood_alert())
    receive(uow, flood_update(), minutes=160)
    second = flood_alert(
        identifier="34100041600000_20260701150000",
        sent="2026-07-01T15:00:00+08:00",
        msg_type="Update",
        references=(
            f"{FLOOD_SENDER},{FLOOD_ID},2026-07-01T09:50:00+08:00 "
            f"{FLOOD_SENDER},34100041600000_20260701123000,2026-07-01T12:30:00+08:00"
        ),
        severity="Extreme",
        certainty="Observed",
    )
    receipt = receive(uow, second, minutes=300)
    assert receipt.outcome is CapOutcome.UPDATED and receipt.risk_id == opened.risk_id
    risk = risks.get_risk(uow, FEED, receipt.risk_id or 0)
    assert (risk.likelihood, risk.consequence) == (5, 5)
    assert shape(risk.hazard_geometry).equals(parse_cap_polygon(TUNXI_REACH))


def test_cancel_withdraws_the_risk_and_cancels_its_warnings(uow: UnitOfWork) -> None:
    opened = receive(uow, flood_alert())
    with uow.read_only() as tx:
        warned = tx.warnings.threads(opened.risk_id or 0)
    events = recorded(uow)
    receipt = receive(uow, flood_cancel(), minutes=22 * 60)
    assert receipt.outcome is CapOutcome.CLOSED and receipt.risk_id == opened.risk_id
    risk = risks.get_risk(uow, FEED, receipt.risk_id or 0)
    assert risk.status is RiskStatus.CLOSED
    with uow.read_only() as tx:
        entries = tx.journal.about(f"risk:{risk.id}")
        after = tx.warnings.threads(risk.id or 0)
    withdrawn = next(e for e in entries if e.action == "risk.withdrawn")
    assert withdrawn.payload["from"] == "identified" and withdrawn.payload["to"] == "closed"
    assert "34100041600000_20260702080000" in withdrawn.payload["reason"]
    assert entries[-1].action == "cap.received"
    assert "risk.withdrawn" in [event.name for event in events]
    # The downstream cities were warned when the risk opened; the Cancel lifts those warnings.
    assert warned
    assert all(thread.current.status.value == "cancelled" for thread in after.values())


def test_a_cancel_of_a_risk_closed_already_is_recorded_and_changes_nothing(
    uow: UnitOfWork,
) -> None:
    opened = receive(uow, flood_alert())
    receive(uow, flood_cancel(), minutes=22 * 60)
    before = risks.get_risk(uow, FEED, opened.risk_id or 0)
    receipt = receive(
        uow, flood_cancel(identifier="34100041600000_20260702090000"), minutes=23 * 60
    )
    assert receipt.outcome is CapOutcome.UNCHANGED
    assert risks.get_risk(uow, FEED, opened.risk_id or 0) == before


def test_an_update_of_a_withdrawn_risk_is_recorded_and_leaves_it_closed(
    uow: UnitOfWork,
) -> None:
    # A valid message is never refused for arriving late: it is kept, the risk stays shut.
    opened = receive(uow, flood_alert())
    receive(uow, flood_cancel(), minutes=22 * 60)
    before = risks.get_risk(uow, FEED, opened.risk_id or 0)
    risks_before, entries_before, alerts_before = counts(uow)
    events = recorded(uow)
    receipt = receive(uow, flood_update(), minutes=23 * 60)
    assert receipt.outcome is CapOutcome.UNCHANGED and receipt.risk_id == opened.risk_id
    assert risks.get_risk(uow, FEED, opened.risk_id or 0) == before
    assert before.status is RiskStatus.CLOSED
    assert counts(uow) == (risks_before, entries_before + 1, alerts_before + 1)
    [event] = events
    assert event.name == "cap.received" and event.payload["outcome"] == "unchanged"


def test_withdrawing_a_closed_risk_is_refused_by_the_domain(uow: UnitOfWork) -> None:
    opened = receive(uow, flood_alert())
    risk = risks.get_risk(uow, FEED, opened.risk_id or 0)
    closed = risk.withdraw(reason="lifted", now=T0)
    assert closed.status is RiskStatus.CLOSED and closed.version == risk.version + 1
    with pytest.raises(InvalidTransition):
        closed.withdraw(reason="again", now=T0)
    with pytest.raises(InvalidInput):
        risk.withdraw(reason="  ", now=T0)


def test_an_update_of_an_alert_never_received_opens_its_risk(uow: UnitOfWork) -> None:
    # A feed joined midway: its Update is the word on a warning in force.
    receipt = receive(uow, flood_update(), minutes=160)
    assert receipt.outcome is CapOutcome.OPENED and receipt.msg_type == "Update"
    assert receipt.origin_codes == ("341000",)
    risk = risks.get_risk(uow, FEED, receipt.risk_id or 0)
    assert shape(risk.hazard_geometry).equals(parse_cap_polygon(TUNXI_TO_SHEXIAN))
    assert (risk.likelihood, risk.consequence) == (5, 4)  # Observed, Severe
    with uow.read_only() as tx:
        stored = tx.received_alerts.find(FLOOD_SENDER, "34100041600000_20260701123000")
        entry = tx.journal.about(f"risk:{risk.id}")[-1]
    assert stored is not None and (stored.outcome, stored.risk_id) == ("opened", risk.id)
    assert entry.action == "cap.received" and entry.payload["msg_type"] == "Update"
    assert entry.payload["references"] == [f"{FLOOD_SENDER},{FLOOD_ID}"]


def test_the_alert_arriving_after_its_update_opens_no_second_risk(uow: UnitOfWork) -> None:
    # The feed's history after its news: the Alert is kept with the risk its Update opened,
    # which stays as the Update left it.
    opened = receive(uow, flood_update(), minutes=160)
    risk = risks.get_risk(uow, FEED, opened.risk_id or 0)
    risks_before, entries_before, alerts_before = counts(uow)
    events = recorded(uow)
    receipt = receive(uow, flood_alert(), minutes=170)
    assert receipt.outcome is CapOutcome.UNCHANGED and receipt.risk_id == risk.id
    assert risks.get_risk(uow, FEED, risk.id or 0) == risk
    assert counts(uow) == (risks_before, entries_before + 1, alerts_before + 1)
    [event] = events
    assert (event.name, event.subject) == ("cap.received", f"risk:{risk.id}")
    assert event.payload["outcome"] == "unchanged" and event.payload["msg_type"] == "Alert"
    with uow.read_only() as tx:
        stored = tx.received_alerts.find(FLOOD_SENDER, FLOOD_ID)
    assert stored is not None and (stored.outcome, stored.risk_id) == ("unchanged", risk.id)


def test_a_cancel_of_an_alert_never_received_is_recorded(uow: UnitOfWork) -> None:
    events = recorded(uow)
    risks_before, journal_before, _ = counts(uow)
    receipt = receive(uow, flood_cancel(), minutes=22 * 60)
    assert receipt.outcome is CapOutcome.UNMATCHED and receipt.risk_id is None
    assert counts(uow) == (risks_before, journal_before + 1, 1)
    with uow.read_only() as tx:
        stored = tx.received_alerts.find(FLOOD_SENDER, "34100041600000_20260702080000")
    assert stored is not None and (stored.outcome, stored.msg_type) == ("unmatched", "Cancel")
    with uow.read_only() as tx:
        (entry,) = tx.journal.about(f"cap-alert:{stored.id}")
    assert entry.payload["outcome"] == "unmatched"
    assert "refers to no alert" in entry.payload["note"]["en"]
    assert [event.name for event in events] == ["cap.received"]


# ---------------------------------------------------------------------------------------
# Status other than Actual


@pytest.mark.parametrize(
    "status, outcome",
    [
        ("Test", CapOutcome.NOT_ACTUAL),
        ("Exercise", CapOutcome.EXERCISE),
        ("System", CapOutcome.NOT_ACTUAL),
        ("Draft", CapOutcome.NOT_ACTUAL),
    ],
)
def test_a_message_that_is_not_actual_is_recorded_but_opens_no_risk(
    uow: UnitOfWork, status: str, outcome: CapOutcome
) -> None:
    risks_before, journal_before, _ = counts(uow)
    receipt = receive(uow, flood_alert(status=status))
    assert receipt.outcome is outcome and receipt.risk_id is None
    # Checked in full all the same: the sender learns what an Actual message would do.
    assert receipt.region_code == "yrd" and receipt.origin_codes == ("341000",)
    assert (receipt.category, receipt.hazard_type) == ("natural_disaster", "flood_wave")
    assert counts(uow) == (risks_before, journal_before + 1, 1)
    with uow.read_only() as tx:
        stored = tx.received_alerts.find(FLOOD_SENDER, FLOOD_ID)
    assert stored is not None and (stored.outcome, stored.status) == (outcome.value, status)
    assert actions(uow, f"cap-alert:{stored.id}") == ["cap.received"]
    # The real alert may still come under another identifier; the test one is known.
    assert receive(uow, flood_alert(status=status)).outcome is CapOutcome.ALREADY_RECEIVED


def test_an_exercise_is_recorded_as_one_and_says_drills_do_not_exist_yet(
    uow: UnitOfWork,
) -> None:
    receipt = receive(uow, flood_alert(status="Exercise"))
    assert receipt.outcome is CapOutcome.EXERCISE
    assert "drills do not exist yet" in receipt.summary()
    with uow.read_only() as tx:
        stored = tx.received_alerts.find(FLOOD_SENDER, FLOOD_ID)
        assert stored is not None
        (entry,) = tx.journal.about(f"cap-alert:{stored.id}")
    assert entry.payload["outcome"] == "exercise" and entry.payload["risk_id"] is None
    assert "drills do not exist yet" in entry.payload["note"]["en"]
    assert "演练" in entry.payload["note"]["zh_CN"]
    assert counts(uow)[0] == 0  # never in the live picture


def test_a_test_cancel_without_area_is_recorded_without_looking_for_its_risk(
    uow: UnitOfWork,
) -> None:
    message = flood_cancel().replace(b"<status>Actual", b"<status>Test")
    receipt = receive(uow, message, minutes=22 * 60)
    assert receipt.outcome is CapOutcome.NOT_ACTUAL and receipt.region_code is None


# ---------------------------------------------------------------------------------------
# Refusals


@pytest.mark.parametrize(
    "message, key",
    [
        (MALFORMED, "cap-malformed"),
        (flood_alert().replace(b"  <sender>swj.huangshan.gov.cn</sender>\n", b""), "cap-invalid"),
        (EXTERNAL_ENTITY, "cap-doctype"),
        (BILLION_LAUGHS, "cap-doctype"),
        (flood_alert() + b"<!--" + b"x" * 1_048_576 + b"-->", "cap-too-large"),
        (flood_alert(sent="2026-07-01T11:30:00+08:00"), "cap-sent-in-future"),
    ],
    ids=[
        "malformed",
        "missing-sender",
        "external-entity",
        "billion-laughs",
        "oversized",
        "sent-in-future",
    ],
)
def test_bad_input_is_refused_with_its_key_and_changes_nothing(
    uow: UnitOfWork, message: bytes, key: str
) -> None:
    before = counts(uow)
    with pytest.raises(CrossriskError) as caught:
        receive(uow, message)
    assert caught.value.key == key
    assert "\n" not in caught.value.detail
    assert counts(uow) == before


def test_an_alert_without_info_is_recorded_as_not_placed(uow: UnitOfWork) -> None:
    bare = flood_cancel().replace(b"<msgType>Cancel", b"<msgType>Alert")
    receipt = receive(uow, bare, minutes=22 * 60)
    assert receipt.outcome is CapOutcome.NOT_PLACED and receipt.risk_id is None
    assert counts(uow)[2] == 1


def test_a_city_may_not_open_a_risk_in_another_city(uow: UnitOfWork) -> None:
    before = counts(uow)
    with pytest.raises(NotPermitted):
        receive(uow, flood_alert(), actor(uow, "ema-330100"))
    assert counts(uow) == before


def test_a_city_may_not_withdraw_another_citys_risk(uow: UnitOfWork) -> None:
    receive(uow, flood_alert())
    before = counts(uow)
    with pytest.raises(NotPermitted):
        receive(uow, flood_cancel(), actor(uow, "ema-330100"), minutes=22 * 60)
    assert counts(uow) == before


@pytest.mark.parametrize("organisation", ["ema-341000", "yrd-committee", "central-office"])
def test_the_origin_city_the_coordination_body_and_central_office_may_send(
    uow: UnitOfWork, organisation: str
) -> None:
    assert receive(uow, flood_alert(), actor(uow, organisation)).outcome is CapOutcome.OPENED


def test_deliveries_racing_each_other_open_one_risk(database_url: str) -> None:
    # Gateways redeliver when an answer is slow, so the same alert can arrive twice at
    # once. Whichever delivery loses, by the check or by the unique key, is told the
    # message was received already; one risk is opened, never two.
    engine = make_engine(database_url)
    barrier = threading.Barrier(4)

    def deliver(_: int) -> CapOutcome:
        barrier.wait()
        return receive(UnitOfWork(engine), flood_alert()).outcome

    with ThreadPoolExecutor(max_workers=4) as pool:
        outcomes = sorted(pool.map(deliver, range(4)))
    assert outcomes == sorted([CapOutcome.OPENED] + [CapOutcome.ALREADY_RECEIVED] * 3)
    assert counts(UnitOfWork(engine))[0] == 1
    engine.dispose()


def test_a_second_row_for_the_same_message_is_refused_by_the_unique_key(
    uow: UnitOfWork,
) -> None:
    receive(uow, flood_alert())
    with uow as tx:
        stored = tx.received_alerts.find(FLOOD_SENDER, FLOOD_ID)
        assert stored is not None
        with pytest.raises(Conflict) as caught:
            tx.received_alerts.add(stored, xml=b"<alert/>")
    assert caught.value.key == "cap-already-received"


# ---------------------------------------------------------------------------------------
# The mapping table


def test_every_rule_names_a_hazard_type_of_its_category() -> None:
    mapping = load_incoming_mapping()
    types = hazard_types()
    for rule in (*mapping.rules, mapping.default):
        for key in filter(None, (rule.hazard_type, rule.fallback_hazard_type)):
            assert hazard_type_for(types, key, rule.risk_category).key == key
        assert rule.categories <= CAP_CATEGORIES


def test_the_scales_cover_every_cap_severity_and_certainty() -> None:
    mapping = load_incoming_mapping()
    assert mapping.consequence == {
        "Extreme": 5,
        "Severe": 4,
        "Moderate": 3,
        "Minor": 2,
        "Unknown": 3,
    }
    assert mapping.likelihood["Observed"] == 5 and mapping.likelihood["Unlikely"] == 1


def table() -> dict[str, object]:
    path = resources.files("crossrisk.data").joinpath("policy/cap_mapping.toml")
    return tomllib.loads(path.read_text("utf-8"))


@pytest.mark.parametrize(
    "spoil, message",
    [
        (lambda t: t["incoming"]["consequence"].pop("Minor"), "no value for severity Minor"),
        (lambda t: t["incoming"]["likelihood"].update(Likely=6), "integer from 1 to 5"),
        (lambda t: t["incoming"]["rules"][0].update(categories=["Weather"]), "CAP 1.2 category"),
        (lambda t: t["incoming"]["default"].update(risk_category="flood"), "unknown risk"),
        (lambda t: t.pop("incoming"), "incomplete or malformed"),
    ],
)
def test_a_spoilt_incoming_table_refuses_to_load(spoil, message: str) -> None:  # type: ignore[no-untyped-def]
    spoilt = table()
    spoil(spoilt)
    with pytest.raises(InvalidInput, match=message):
        incoming_mapping_from_table(spoilt)


def test_union_of_several_areas_is_the_hazard(uow: UnitOfWork) -> None:
    two = (
        f"<areaDesc>屯溪</areaDesc>\n      <polygon>{TUNXI_REACH}</polygon>\n"
        "    </area>\n    <area>\n      <areaDesc>杭州</areaDesc>\n"
        "      <circle>30.27,120.16 5</circle>"
    )
    receipt = receive(uow, flood_alert(area=two), actor(uow, "yrd-committee"))
    assert set(receipt.origin_codes) == {"341000", "330100"}
    with uow.read_only() as tx:
        hazard = shape(tx.risks.get(receipt.risk_id or 0).hazard_geometry)
    assert hazard.contains(Point(HANGZHOU))
    assert hazard.covers(parse_cap_polygon(TUNXI_REACH))
    assert shapely.get_num_geometries(hazard) == 2


def test_an_update_referring_to_two_risks_is_refused(uow: UnitOfWork) -> None:
    receive(uow, flood_alert())
    receive(uow, circle_alert())
    both = flood_alert(
        identifier="34100041600000_20260701170000",
        msg_type="Update",
        references=(
            f"{FLOOD_SENDER},{FLOOD_ID},2026-07-01T09:50:00+08:00 "
            "sthjj.hangzhou.gov.cn,HZHB-2026-0701-003,2026-07-01T10:05:00+08:00"
        ),
    )
    before = counts(uow)
    with pytest.raises(InvalidInput) as caught:
        receive(uow, both, actor(uow, "yrd-committee"), minutes=30)
    assert caught.value.key == "cap-references-ambiguous"
    assert counts(uow) == before
