"""Teams, equipment and shelters imported from sheets: all rows or none, a known record
changed or confirmed, exports that read back; on SQLite and PostgreSQL."""

from __future__ import annotations

import csv
import io
from datetime import timedelta
from typing import Any

import pytest

from crossrisk.domain.aid.sheet import SheetRefused
from crossrisk.domain.events import Event
from crossrisk.domain.organisation import Role
from crossrisk.services import resource_sheets
from crossrisk.store.uow import UnitOfWork
from tests.support import T0, actor

HANGZHOU = "ema-330100"
COMMITTEE = "yrd-committee"


def sheet(kind: str, rows: list[list[object]], language: str = "zh") -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(resource_sheets.sheet_of(kind).kind.headers(language))
    writer.writerows(rows)
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def counts(uow: UnitOfWork) -> tuple[int, int, int, int]:
    with uow.read_only() as tx:
        return (
            len(tx.teams.of_region("yrd")),
            len(tx.equipment.of_region("yrd")),
            len(tx.shelters.of_region("yrd")),
            len(list(tx.journal.entries())),
        )


def journal(uow: UnitOfWork, action: str) -> list[dict[str, Any]]:
    with uow.read_only() as tx:
        return [dict(e.payload) for e in tx.journal.entries() if e.action == action]


def teams_row(name: str, headcount: object, boats: object, **more: object) -> list[object]:
    columns = [c.code for c in resource_sheets.sheet_of("teams").kind.columns]
    values: dict[str, object] = {
        "jurisdiction": more.get("jurisdiction", "杭州市"),
        "name": name,
        "kind": "flood_rescue",
        "type": more.get("type", 4),
        "headcount": headcount,
        "readiness_hours": 2,
        "lon": 120.1,
        "lat": 30.2,
        "boats": boats,
    }
    return [values.get(code, "") for code in columns]


def test_teams_are_recorded_then_changed_or_confirmed(uow: UnitOfWork) -> None:
    seen: list[Event] = []
    uow.bus.subscribe(seen.append)
    first = sheet("teams", [teams_row("蓝天救援队", 6, 1), teams_row("钱塘江队", 14, 2, type=3)])
    result = resource_sheets.import_sheet(uow, actor(uow, HANGZHOU), "teams", "yrd", first, now=T0)

    assert (result.rows, result.created, result.changed, result.confirmed) == (2, 2, 0, 0)
    (imported,) = journal(uow, "teams.imported")
    assert imported == {
        "rows": 2,
        "created": 2,
        "changed": 0,
        "confirmed": 0,
        "sha256": result.sha256,
    }
    assert [e.name for e in seen] == ["team.recorded", "team.recorded", "teams.imported"]

    later = T0 + timedelta(days=40)
    second = sheet("teams", [teams_row(" 蓝天救援队", 8, 1), teams_row("钱塘江队", 14, 2, type=3)])
    again = resource_sheets.import_sheet(
        uow, actor(uow, HANGZHOU), "teams", "yrd", second, now=later
    )

    assert (again.created, again.changed, again.confirmed) == (0, 1, 1)
    (changed,) = journal(uow, "team.changed")
    assert changed["headcount"] == 8 and changed["changed"] == ["headcount"]
    assert len(journal(uow, "team.confirmed")) == 1
    with uow.read_only() as tx:
        kept = tx.teams.of_region("yrd")
    assert len(kept) == 2 and {t.confirmed_at for t in kept} == {later}


def test_one_bad_row_writes_nothing(uow: UnitOfWork) -> None:
    rows = [teams_row(f"队 {n}", 6, 1) for n in range(1, 31)]
    rows[20] = teams_row("队 21", 6, 1, type=1)  # a type 1 flood team needs 40 people
    before = counts(uow)

    with pytest.raises(SheetRefused) as refused:
        resource_sheets.import_sheet(
            uow, actor(uow, HANGZHOU), "teams", "yrd", sheet("teams", rows), now=T0
        )

    assert [(e.row, e.column, e.key) for e in refused.value.errors] == [
        (22, "人数", "team-type-not-met")
    ]
    assert counts(uow) == before


def test_a_city_imports_only_its_own_rows_the_committee_any(uow: UnitOfWork) -> None:
    rows = [
        ["330100", "pump", "萧山仓", 4, 300, 120.1, 30.2],
        ["341000", "pump", "屯溪仓", 2, 300, 118.3, 29.7, "", "committee"],
    ]
    data = sheet("equipment", rows, "en")
    before = counts(uow)
    with pytest.raises(SheetRefused) as refused:
        resource_sheets.import_sheet(uow, actor(uow, HANGZHOU), "equipment", "yrd", data, now=T0)
    assert [(e.row, e.column, e.key) for e in refused.value.errors] == [
        (3, "Jurisdiction", "base-information-not-yours")
    ]
    with pytest.raises(SheetRefused):
        resource_sheets.import_sheet(
            uow, actor(uow, HANGZHOU, Role.VIEWER), "equipment", "yrd", data, now=T0
        )
    assert counts(uow) == before

    result = resource_sheets.import_sheet(
        uow, actor(uow, COMMITTEE), "equipment", "yrd", data, now=T0
    )
    assert result.created == 2
    assert journal(uow, "equipment.imported")[0]["created"] == 2


def test_an_export_reads_back_unchanged_and_hides_what_one_may_not_read(
    uow: UnitOfWork,
) -> None:
    rows = [
        ["杭州市", "西湖文化广场", "fixed_short", 5000, 4000, 120.16, 30.27, "0571-1", ""],
        ["黄山市", "黄山体育馆", "emergency", 800, 800, 118.3, 29.7, "", "committee"],
    ]
    resource_sheets.import_sheet(
        uow, actor(uow, COMMITTEE), "shelters", "yrd", sheet("shelters", rows), now=T0
    )

    hangzhou = resource_sheets.export_rows(uow, actor(uow, HANGZHOU), "shelters", "yrd")
    assert [(r[0], r[1], r[3]) for r in hangzhou] == [("330100", "西湖文化广场", 5000)]
    for file_format in ("xlsx", "csv"):
        exported = resource_sheets.export_sheet(
            uow, actor(uow, COMMITTEE), "shelters", "yrd", file_format=file_format, language="en"
        )
        result = resource_sheets.import_sheet(
            uow, actor(uow, COMMITTEE), "shelters", "yrd", exported, now=T0
        )
        assert (result.rows, result.created, result.changed, result.confirmed) == (2, 0, 0, 2)
    assert len(journal(uow, "shelter.recorded")) == 2
    assert journal(uow, "shelter.changed") == []


@pytest.mark.parametrize("kind", ["teams", "equipment", "shelters"])
def test_templates_read_back_as_empty_sheets(kind: str) -> None:
    from crossrisk.aid.sheet_files import read_sheet

    for file_format in ("xlsx", "csv"):
        data = resource_sheets.template(kind, file_format=file_format, language="zh")
        table = read_sheet(data)
        assert table[0] == resource_sheets.sheet_of(kind).kind.headers("zh")
        assert len(table) == 1
