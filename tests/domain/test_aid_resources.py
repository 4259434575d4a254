"""Teams meet their type, shelters keep available within capacity, figures are bounded."""

from __future__ import annotations

import math
from dataclasses import replace
from datetime import UTC, datetime

import pytest

from crossrisk.domain.aid.base_record import Location
from crossrisk.domain.aid.equipment import EquipmentDraft, check_equipment
from crossrisk.domain.aid.sharing import Sharing
from crossrisk.domain.aid.shelter import (
    Shelter,
    ShelterDraft,
    ShelterState,
    check_shelter,
)
from crossrisk.domain.aid.shelter import changed as shelter_changed
from crossrisk.domain.aid.team import TeamDraft, best_type, check_team
from crossrisk.domain.errors import Conflict, InvalidInput
from crossrisk.services.policy_tables import aid_resource_types

TYPES = aid_resource_types()
NOW = datetime(2026, 7, 1, 2, 0, tzinfo=UTC)
TUNXI = Location(lon=118.3, lat=29.7)


def flood_team(**changes: object) -> TeamDraft:
    draft = TeamDraft(
        jurisdiction_code="341000",
        name="黄山市水上救援队",
        kind="flood_rescue",
        type_level=3,
        headcount=20,
        readiness_hours=2,
        base=TUNXI,
        capabilities={"boats": 3},
    )
    return replace(draft, **changes)  # type: ignore[arg-type]


def shelter(**changes: object) -> ShelterDraft:
    draft = ShelterDraft(
        jurisdiction_code="341000",
        name="屯溪体育馆",
        class_code="fixed_short",
        capacity=2000,
        available=1500,
        location=TUNXI,
    )
    return replace(draft, **changes)  # type: ignore[arg-type]


def refusal(call: object, *args: object) -> InvalidInput:
    with pytest.raises(InvalidInput) as raised:
        call(*args)  # type: ignore[operator]
    return raised.value


def test_a_team_meeting_its_type_is_accepted_and_trimmed() -> None:
    checked = check_team(flood_team(name="  黄山市水上救援队 "), TYPES)
    assert checked.name == "黄山市水上救援队"
    assert checked.capabilities == {"boats": 3.0}


def test_a_team_below_its_types_minimum_headcount_is_refused() -> None:
    error = refusal(
        check_team, flood_team(type_level=1, headcount=20, capabilities={"boats": 9}), TYPES
    )
    assert error.key == "team-type-not-met"
    assert error.params["capability"] == "headcount"
    assert error.params["required"] == "40" and error.params["actual"] == "20"


def test_a_team_short_of_boats_for_its_type_is_refused() -> None:
    error = refusal(
        check_team, flood_team(type_level=2, headcount=30, capabilities={"boats": 1}), TYPES
    )
    assert error.key == "team-type-not-met" and error.params["capability"] == "boats"


def test_the_best_type_a_team_meets_is_the_lowest_number() -> None:
    kind = TYPES.team_kind("flood_rescue")
    assert best_type(kind, flood_team(headcount=45, capabilities={"boats": 8})) == 1
    assert best_type(kind, flood_team(headcount=14, capabilities={"boats": 2})) == 3
    assert best_type(kind, flood_team(headcount=2, capabilities={"boats": 0})) is None


@pytest.mark.parametrize(
    ("changes", "key"),
    [
        ({"kind": "ninjas"}, "unknown-team-kind"),
        ({"type_level": 5}, "team-type-invalid"),
        ({"type_level": True}, "team-type-invalid"),
        ({"headcount": -3}, "figure-invalid"),
        ({"headcount": 2**70}, "figure-invalid"),
        ({"readiness_hours": math.nan}, "figure-invalid"),
        ({"readiness_hours": math.inf}, "figure-invalid"),
        ({"capabilities": {"tanks": 1}}, "unknown-capability"),
        ({"capabilities": {"boats": -1}}, "figure-invalid"),
        ({"name": "a\x00b"}, "text-control"),
        ({"name": " "}, "text-empty"),
        ({"base": Location(lon=math.nan, lat=30)}, "location-invalid"),
        ({"sharing": "everyone"}, "sharing-invalid"),
    ],
)
def test_a_team_with_bad_figures_is_refused_with_a_key(changes: dict, key: str) -> None:
    assert refusal(check_team, flood_team(**changes), TYPES).key == key


def test_every_team_kind_types_one_to_four_with_falling_minimums() -> None:
    for kind in TYPES.team_kinds:
        assert sorted(kind.minimum) == [1, 2, 3, 4]
        heads = [kind.minimum[t]["headcount"] for t in (1, 2, 3, 4)]
        assert heads == sorted(heads, reverse=True) and heads[-1] >= 1
    assert {"flood_rescue", "urban_search_rescue", "hazmat", "medical"} <= {
        k.code for k in TYPES.team_kinds
    }


def test_shelter_classes_cite_their_standard_and_say_when_a_figure_is_unverified() -> None:
    codes = {c.code: c for c in TYPES.shelter_classes}
    assert {"emergency", "fixed_short", "fixed_medium", "fixed_long", "central"} <= set(codes)
    assert all(c.standard in ("GB 51143-2015", "GB 21734-2008") for c in codes.values())
    assert codes["fixed_short"].max_days is None and "not verified" in codes["fixed_short"].note
    assert codes["emergency"].max_days == 3


def test_available_capacity_above_capacity_is_refused() -> None:
    error = refusal(check_shelter, shelter(available=2001), TYPES)
    assert error.key == "shelter-available-above-capacity"
    assert error.params == {"available": 2001, "capacity": 2000}
    assert check_shelter(shelter(available=2000), TYPES).available == 2000


@pytest.mark.parametrize(
    ("changes", "key"),
    [
        ({"capacity": 0}, "figure-invalid"),
        ({"available": -1}, "figure-invalid"),
        ({"class_code": "bunker"}, "unknown-shelter-class"),
    ],
)
def test_a_shelter_with_bad_figures_is_refused(changes: dict, key: str) -> None:
    assert refusal(check_shelter, shelter(**changes), TYPES).key == key


def test_lowering_the_capacity_below_whats_available_is_refused() -> None:
    stored = Shelter(
        id=1,
        region_code="yrd",
        owner_code="ema-341000",
        state=ShelterState.CLOSED,
        updated_at=NOW,
        confirmed_at=NOW,
        **{name: getattr(shelter(), name) for name in ShelterDraft.__slots__},  # type: ignore[arg-type]
    )
    error = refusal(shelter_changed, stored, {"capacity": 1000}, TYPES)
    assert error.key == "shelter-available-above-capacity"
    moved = shelter_changed(stored, {"lon": 118.4}, TYPES)
    assert moved.location == Location(lon=118.4, lat=29.7)


def test_opening_an_open_shelter_is_a_conflict() -> None:
    stored = Shelter(
        id=1,
        region_code="yrd",
        owner_code="ema-341000",
        state=ShelterState.CLOSED,
        updated_at=NOW,
        confirmed_at=NOW,
        **{name: getattr(shelter(), name) for name in ShelterDraft.__slots__},  # type: ignore[arg-type]
    )
    opened = stored.opened(now=NOW)
    assert opened.state is ShelterState.OPEN
    with pytest.raises(Conflict):
        opened.opened(now=NOW)
    with pytest.raises(Conflict):
        stored.closed(now=NOW)


def test_equipment_needs_a_known_kind_and_a_whole_positive_quantity() -> None:
    draft = EquipmentDraft(
        jurisdiction_code="341000",
        kind="pump",
        quantity=4,
        capability=500,
        site="屯溪防汛仓库",
        location=TUNXI,
        sharing=Sharing.COMMITTEE,
    )
    assert check_equipment(draft, TYPES).capability == 500.0
    assert refusal(check_equipment, replace(draft, kind="laser"), TYPES).key == (
        "unknown-equipment-kind"
    )
    assert refusal(check_equipment, replace(draft, quantity=0), TYPES).key == "figure-invalid"
    assert refusal(check_equipment, replace(draft, quantity=1.5), TYPES).key == "figure-invalid"
    assert refusal(check_equipment, replace(draft, capability=math.nan), TYPES).key == (
        "figure-invalid"
    )
