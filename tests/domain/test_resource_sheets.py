"""Reading the teams, equipment and shelters sheets: every bad row by row and column, the
type rule as in a form, either header language, and an export row that reads back."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime

import pytest

from crossrisk.domain.aid import sheet
from crossrisk.domain.aid.base_record import Location
from crossrisk.domain.aid.resource_sheets import KINDS, ResourceLine, resource_sheet
from crossrisk.domain.aid.sharing import Sharing
from crossrisk.domain.aid.shelter import Shelter, ShelterState
from crossrisk.domain.aid.team import Team
from crossrisk.domain.errors import InvalidInput
from crossrisk.domain.region import Jurisdiction, JurisdictionLevel
from crossrisk.services.policy_tables import aid_resource_types

HANGZHOU = Jurisdiction(
    "330100", "杭州市", "Hangzhou", JurisdictionLevel.PREFECTURE, None, None, {}, True
)
HUANGSHAN = Jurisdiction(
    "341000", "黄山市", "Huangshan", JurisdictionLevel.PREFECTURE, None, None, {}, True
)
TYPES = aid_resource_types()
TEAMS = resource_sheet("teams", TYPES)
EQUIPMENT = resource_sheet("equipment", TYPES)
SHELTERS = resource_sheet("shelters", TYPES)
T0 = datetime(2026, 12, 1, tzinfo=UTC)


def read(
    kind: str, rows: Sequence[Sequence[sheet.Cell]], *, language: str = "zh"
) -> tuple[list[ResourceLine], list[sheet.RowError]]:
    chosen = resource_sheet(kind, TYPES)
    return chosen.read([chosen.kind.headers(language), *rows], jurisdictions=[HANGZHOU, HUANGSHAN])


def where(errors: list[sheet.RowError]) -> set[tuple[int, str, str]]:
    return {(e.row, e.column, e.key) for e in errors}


def team(*cells: sheet.Cell, boats: sheet.Cell = None, vehicles: sheet.Cell = None) -> list:
    """A teams row: jurisdiction … sharing, then the capability columns by code."""
    row: list[sheet.Cell] = list(cells) + [None] * (10 - len(cells))
    for capability in TYPES.capabilities:
        row.append({"boats": boats, "vehicles": vehicles}.get(capability))
    return row


def test_a_good_teams_sheet_reads_names_and_capabilities() -> None:
    lines, errors = read(
        "teams",
        [
            team("杭州市", " 蓝天救援队 ", "抗洪抢险/水上救援队", 2, 30, 2.5, 120.1, 30.2, boats=4),
            team(
                "341000",
                "黄山山地队",
                "flood_rescue",
                "4",
                "6",
                "1",
                "118.3",
                "29.7",
                "",
                "committee",
                boats="1",
            ),
        ],
    )
    assert errors == []
    first, second = (line.draft for line in lines)
    assert (first.jurisdiction_code, first.name, first.kind) == (
        "330100",
        "蓝天救援队",
        "flood_rescue",
    )
    assert (first.type_level, first.headcount, first.capabilities) == (2, 30, {"boats": 4.0})
    assert first.sharing is Sharing.REGION
    assert second.sharing is Sharing.COMMITTEE and second.base == Location(118.3, 29.7)
    assert [line.row for line in lines] == [2, 3]


def test_english_headers_read_the_same() -> None:
    lines, errors = read(
        "shelters",
        [["Hangzhou", "西湖公园", "fixed_short", 5000, 4000, 120.1, 30.2]],
        language="en",
    )
    assert errors == [] and lines[0].draft.capacity == 5000


def test_every_bad_row_of_a_teams_sheet_is_reported_on_its_column() -> None:
    _, errors = read(
        "teams",
        [
            team("上海市", "A", "flood_rescue", 4, 6, 1, 120, 30, boats=1),
            team("杭州市", "B", "no_such_kind", 4, 6, 1, 120, 30),
            team("杭州市", "C", "flood_rescue", 1, 6, 1, 120, 30, boats=1),
            team("杭州市", "D", "flood_rescue", 4, 6.5, 1, 120, 30, boats=1),
            team("杭州市", "E", "flood_rescue", 5, 6, 1, 120, 30, boats=1),
            team("杭州市", "F", "flood_rescue", 4, 6, 1, 200, 30, boats=1),
            team("杭州市", "G", "flood_rescue", 4, 6, 1, 120, 30, boats=1, vehicles=3),
            team("杭州市", "", "flood_rescue", 4, 6, 1, 120, 30, boats=1),
        ],
    )
    assert where(errors) == {
        (2, "辖区", "unknown-jurisdiction"),
        (3, "队伍类别", "unknown-team-kind"),
        (4, "人数", "team-type-not-met"),  # type 1 needs 40 people: the figure that falls short
        (5, "人数", "cell-not-whole"),
        (6, "分级", "cell-out-of-range"),
        (7, "经度", "cell-out-of-range"),
        (8, TYPES.capabilities["vehicles"].name_zh, "unknown-capability"),
        (9, "队伍名称", "cell-empty"),
    }


def test_a_zero_under_another_kinds_capability_says_nothing() -> None:
    lines, errors = read(
        "teams", [team("杭州市", "A", "flood_rescue", 4, 6, 1, 120, 30, boats=1, vehicles=0)]
    )
    assert errors == [] and lines[0].draft.capabilities == {"boats": 1.0}


def test_the_same_record_twice_in_one_file_is_an_error() -> None:
    _, errors = read(
        "equipment",
        [
            ["杭州市", "pump", "萧山仓", 4, 300, 120, 30],
            ["330100", "pump", " 萧山仓", 2, 300, 120.2, 30.1],
            ["330100", "generator", "萧山仓", 2, 300, 120.2, 30.1],
        ],
    )
    assert where(errors) == {(3, "", "sheet-duplicate-record")}
    assert errors[0].params == {"first_row": 2}


def test_shelter_free_places_cannot_exceed_its_capacity() -> None:
    _, errors = read(
        "shelters",
        [
            ["杭州市", "西湖公园", "fixed_short", 100, 200, 120.1, 30.2],
            ["杭州市", "城站", "no_class", 100, 20, 120.1, 30.2, "x" * 201],
        ],
    )
    assert where(errors) == {
        (2, "可用容量", "shelter-available-above-capacity"),
        (3, "场所类别", "unknown-shelter-class"),
        (3, "联系方式", "cell-too-long"),
    }


@pytest.mark.parametrize("kind", KINDS)
def test_a_header_problem_stops_the_rows(kind: str) -> None:
    chosen = resource_sheet(kind, TYPES)
    lines, errors = chosen.read([["辖区", "nonsense"], ["杭州市", "x"]], jurisdictions=[HANGZHOU])
    assert lines == []
    assert {"sheet-unknown-column", "sheet-missing-column"} <= {e.key for e in errors}
    assert {e.row for e in errors} == {1}


def test_an_unknown_kind_of_sheet_is_refused() -> None:
    with pytest.raises(InvalidInput) as refused:
        resource_sheet("stocks", TYPES)
    assert refused.value.key == "sheet-unknown-kind"


def test_exported_rows_read_back_as_the_same_records() -> None:
    kept = Team(
        id=1,
        region_code="yrd",
        jurisdiction_code="330100",
        name="蓝天救援队",
        kind="flood_rescue",
        type_level=3,
        headcount=14,
        readiness_hours=2.0,
        base=Location(120.1, 30.2),
        contact="",
        capabilities={"boats": 2.0},
        owner_code="ema-330100",
        sharing=Sharing.REGION,
        updated_at=T0,
        confirmed_at=T0,
    )
    shelter = Shelter(
        id=2,
        region_code="yrd",
        jurisdiction_code="341000",
        name="黄山体育馆",
        class_code="emergency",
        capacity=800,
        available=800,
        location=Location(118.3, 29.7),
        contact="0559-1234",
        state=ShelterState.OPEN,
        owner_code="ema-341000",
        sharing=Sharing.COMMITTEE,
        updated_at=T0,
        confirmed_at=T0,
    )
    for chosen, record in ((TEAMS, kept), (SHELTERS, shelter)):
        lines, errors = chosen.read(
            [chosen.kind.headers("en"), chosen.row(record)], jurisdictions=[HANGZHOU, HUANGSHAN]
        )
        assert errors == []
        assert lines[0].draft == record.draft()
        assert chosen.identity(lines[0].draft) == chosen.identity(record)
    assert EQUIPMENT.choices["kind"] == [k.code for k in TYPES.equipment_kinds]
