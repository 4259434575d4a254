"""Teams, equipment and shelters: kept by their city or the committee, read as shared,
flagged stale when unconfirmed, every change journaled and announced; on both backends."""

from __future__ import annotations

from datetime import timedelta

import pytest

from crossrisk.domain.aid.base_record import Location
from crossrisk.domain.aid.equipment import EquipmentDraft
from crossrisk.domain.aid.sharing import Sharing
from crossrisk.domain.aid.shelter import ShelterDraft, ShelterState
from crossrisk.domain.aid.team import TeamDraft
from crossrisk.domain.errors import Conflict, InvalidInput, NotFound, NotPermitted
from crossrisk.domain.events import Event
from crossrisk.services import aid_resources
from crossrisk.store.uow import UnitOfWork
from tests.support import T0, actor

HUANGSHAN = "ema-341000"
HANGZHOU = "ema-330100"
COMMITTEE = "yrd-committee"
OTHER_COMMITTEE = "pearl-committee"
FRESH = timedelta(days=30)
TUNXI = Location(lon=118.3, lat=29.7)


def team_draft(**changes: object) -> TeamDraft:
    fields: dict = {
        "jurisdiction_code": "341000",
        "name": "黄山市水上救援队",
        "kind": "flood_rescue",
        "type_level": 3,
        "headcount": 20,
        "readiness_hours": 2.0,
        "base": TUNXI,
        "capabilities": {"boats": 3},
    }
    return TeamDraft(**{**fields, **changes})


def shelter_draft(**changes: object) -> ShelterDraft:
    fields: dict = {
        "jurisdiction_code": "341000",
        "name": "屯溪体育馆",
        "class_code": "fixed_short",
        "capacity": 2000,
        "available": 2000,
        "location": TUNXI,
    }
    return ShelterDraft(**{**fields, **changes})


def journal(uow: UnitOfWork, action: str) -> list[dict]:
    with uow.read_only() as tx:
        return [dict(e.payload) for e in tx.journal.entries() if e.action == action]


def journal_length(uow: UnitOfWork) -> int:
    with uow.read_only() as tx:
        return len(list(tx.journal.entries()))


@pytest.fixture
def heard(uow: UnitOfWork) -> list[Event]:
    events: list[Event] = []
    uow.bus.subscribe(events.append)
    return events


def test_a_city_records_its_team_journaled_and_announced(
    uow: UnitOfWork, heard: list[Event]
) -> None:
    team = aid_resources.record_team(
        uow, actor(uow, HUANGSHAN), team_draft(), region_code="yrd", now=T0
    )

    assert team.id is not None and team.owner_code == HUANGSHAN
    (entry,) = journal(uow, "team.recorded")
    assert entry["team_id"] == team.id and entry["type"] == 3 and entry["kind"] == "flood_rescue"
    assert [(e.name, e.subject, e.region_code) for e in heard] == [
        ("team.recorded", f"team:{team.id}", "yrd")
    ]
    (listed,) = aid_resources.list_teams(
        uow, actor(uow, HANGZHOU), region_code="yrd", stale_after=FRESH, now=T0
    )
    assert listed.record == team and listed.stale is False


def test_a_team_claiming_a_type_it_does_not_meet_is_refused_and_nothing_is_kept(
    uow: UnitOfWork,
) -> None:
    before = journal_length(uow)
    with pytest.raises(InvalidInput) as refused:
        aid_resources.record_team(
            uow, actor(uow, HUANGSHAN), team_draft(type_level=1), region_code="yrd", now=T0
        )
    assert refused.value.key == "team-type-not-met"
    assert journal_length(uow) == before
    assert (
        aid_resources.list_teams(
            uow, actor(uow, COMMITTEE), region_code="yrd", stale_after=FRESH, now=T0
        )
        == []
    )


def test_a_city_may_not_keep_another_citys_records_but_the_committee_may(
    uow: UnitOfWork,
) -> None:
    with pytest.raises(NotPermitted) as refused:
        aid_resources.record_team(
            uow, actor(uow, HANGZHOU), team_draft(), region_code="yrd", now=T0
        )
    assert refused.value.key == "base-information-not-yours"

    team = aid_resources.record_team(
        uow, actor(uow, COMMITTEE), team_draft(), region_code="yrd", now=T0
    )
    assert team.jurisdiction_code == "341000" and team.owner_code == COMMITTEE
    with pytest.raises(NotPermitted):
        aid_resources.change_team(
            uow, actor(uow, HANGZHOU), team.id or 0, {"headcount": 30}, now=T0
        )


def test_a_change_is_checked_against_the_type_and_journaled(uow: UnitOfWork) -> None:
    team = aid_resources.record_team(
        uow, actor(uow, HUANGSHAN), team_draft(), region_code="yrd", now=T0
    )
    assert team.id is not None
    with pytest.raises(InvalidInput) as refused:
        aid_resources.change_team(uow, actor(uow, HUANGSHAN), team.id, {"headcount": 5}, now=T0)
    assert refused.value.key == "team-type-not-met"

    later = T0 + timedelta(hours=1)
    changed = aid_resources.change_team(
        uow,
        actor(uow, HUANGSHAN),
        team.id,
        {"headcount": 26, "type_level": 2, "capabilities": {"boats": 4}, "lon": 118.5},
        now=later,
    )
    assert (changed.type_level, changed.headcount, changed.base.lon) == (2, 26, 118.5)
    assert changed.updated_at == later == changed.confirmed_at
    (entry,) = journal(uow, "team.changed")
    assert entry["changed"] == ["capabilities", "headcount", "lon", "type_level"]


def test_an_unconfirmed_record_turns_stale_and_confirming_refreshes_it(uow: UnitOfWork) -> None:
    team = aid_resources.record_team(
        uow, actor(uow, HUANGSHAN), team_draft(), region_code="yrd", now=T0
    )
    assert team.id is not None
    later = T0 + timedelta(days=31)
    (listed,) = aid_resources.list_teams(
        uow, actor(uow, COMMITTEE), region_code="yrd", stale_after=FRESH, now=later
    )
    assert listed.stale is True

    aid_resources.confirm_team(uow, actor(uow, HUANGSHAN), team.id, now=later)

    again = aid_resources.get_team(
        uow, actor(uow, COMMITTEE), team.id, stale_after=FRESH, now=later
    )
    assert again.stale is False and again.record.confirmed_at == later
    assert again.record.updated_at == T0  # confirming changes nothing else
    assert [e["team_id"] for e in journal(uow, "team.confirmed")] == [team.id]


def test_a_committee_only_record_is_hidden_from_other_cities(uow: UnitOfWork) -> None:
    shelter = aid_resources.record_shelter(
        uow,
        actor(uow, HUANGSHAN),
        shelter_draft(sharing=Sharing.COMMITTEE),
        region_code="yrd",
        now=T0,
    )
    assert shelter.id is not None
    hangzhou = actor(uow, HANGZHOU)
    assert (
        aid_resources.list_shelters(uow, hangzhou, region_code="yrd", stale_after=FRESH, now=T0)
        == []
    )
    with pytest.raises(NotFound) as hidden:
        aid_resources.get_shelter(uow, hangzhou, shelter.id, stale_after=FRESH, now=T0)
    assert hidden.value.key == "shelter-not-found"
    with pytest.raises(NotFound):
        aid_resources.open_shelter(uow, hangzhou, shelter.id, now=T0)
    seen = aid_resources.list_shelters(
        uow, actor(uow, COMMITTEE), region_code="yrd", stale_after=FRESH, now=T0
    )
    assert [s.record.id for s in seen] == [shelter.id]
    with pytest.raises(NotPermitted) as other_region:
        aid_resources.list_shelters(
            uow, actor(uow, OTHER_COMMITTEE), region_code="yrd", stale_after=FRESH, now=T0
        )
    assert other_region.value.key == "region-not-readable"


def test_a_shelter_opens_fills_and_closes_each_step_journaled(
    uow: UnitOfWork, heard: list[Event]
) -> None:
    city = actor(uow, HUANGSHAN)
    shelter = aid_resources.record_shelter(uow, city, shelter_draft(), region_code="yrd", now=T0)
    assert shelter.id is not None and shelter.state is ShelterState.CLOSED

    opened = aid_resources.open_shelter(uow, city, shelter.id, now=T0)
    filled = aid_resources.set_available(uow, city, shelter.id, 350, now=T0)
    with pytest.raises(InvalidInput) as too_many:
        aid_resources.set_available(uow, city, shelter.id, 2001, now=T0)
    with pytest.raises(Conflict):
        aid_resources.open_shelter(uow, city, shelter.id, now=T0)
    closed = aid_resources.close_shelter(uow, city, shelter.id, now=T0)

    assert opened.state is ShelterState.OPEN and closed.state is ShelterState.CLOSED
    assert filled.available == 350 and filled.occupied == 1650
    assert too_many.value.key == "shelter-available-above-capacity"
    assert [e.name for e in heard] == [
        "shelter.recorded",
        "shelter.opened",
        "shelter.availability_set",
        "shelter.closed",
    ]
    (availability,) = journal(uow, "shelter.availability_set")
    assert availability["available"] == 350 and availability["before"] == 2000


def test_equipment_is_listed_by_jurisdiction_with_its_total_capability(uow: UnitOfWork) -> None:
    pumps = aid_resources.record_equipment(
        uow,
        actor(uow, HUANGSHAN),
        EquipmentDraft(
            jurisdiction_code="341000",
            kind="pump",
            quantity=4,
            capability=500,
            site="屯溪防汛仓库",
            location=TUNXI,
        ),
        region_code="yrd",
        now=T0,
    )
    aid_resources.record_equipment(
        uow,
        actor(uow, HANGZHOU),
        EquipmentDraft(
            jurisdiction_code="330100",
            kind="generator",
            quantity=2,
            capability=200,
            site="杭州应急物资库",
            location=Location(lon=120.2, lat=30.3),
        ),
        region_code="yrd",
        now=T0,
    )
    only = aid_resources.list_equipment(
        uow,
        actor(uow, COMMITTEE),
        region_code="yrd",
        jurisdiction_code="341000",
        stale_after=FRESH,
        now=T0,
    )
    assert [e.record.id for e in only] == [pumps.id]
    assert only[0].record.total_capability == 2000
    assert len(journal(uow, "equipment.recorded")) == 2
    changed = aid_resources.change_equipment(
        uow, actor(uow, HUANGSHAN), pumps.id or 0, {"quantity": 6}, now=T0
    )
    assert changed.quantity == 6 and journal(uow, "equipment.changed")[0]["quantity"] == 6


def test_a_jurisdiction_outside_the_region_is_refused(uow: UnitOfWork) -> None:
    with pytest.raises(InvalidInput) as refused:
        aid_resources.record_shelter(
            uow,
            actor(uow, COMMITTEE),
            shelter_draft(jurisdiction_code="440100"),
            region_code="yrd",
            now=T0,
        )
    assert refused.value.key == "not-a-member"
