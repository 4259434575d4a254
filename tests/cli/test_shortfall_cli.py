"""`crossrisk shortfall RISK`: printed, written as a workbook, and refused in one line."""

from __future__ import annotations

from pathlib import Path

from openpyxl import load_workbook
from sqlalchemy import create_engine

from crossrisk.domain.risk import RiskCategory
from crossrisk.services import risks
from crossrisk.store.models import JournalEntryRow
from crossrisk.store.uow import UnitOfWork
from tests.support import T0, actor, draft, row_counts, run_cli


def register_flood(url: str) -> int:
    engine = create_engine(url)
    uow = UnitOfWork(engine)
    risk = risks.register_risk(
        uow,
        actor(uow, "ema-320500"),
        draft(
            where=(121.05, 31.3),
            category=RiskCategory.NATURAL_DISASTER,
            parameters={"radius_km": 20},
        ),
        region_code="yrd",
        now=T0,
    )
    engine.dispose()
    assert risk.id is not None
    return risk.id


def test_it_prints_the_shortfall_and_writes_the_workbook(sqlite_url: str, tmp_path: Path) -> None:
    risk_id = register_flood(sqlite_url)

    printed = run_cli(sqlite_url, tmp_path, "shortfall", str(risk_id), "--lang", "en")
    assert printed.returncode == 0, printed.stderr
    assert "Sphere Handbook" in printed.stdout
    assert "320500\tSuzhou" in printed.stdout

    out = tmp_path / "shortfall.xlsx"
    written = run_cli(sqlite_url, tmp_path, "shortfall", str(risk_id), "--out", str(out))
    assert written.returncode == 0, written.stderr
    rows = list(load_workbook(out)["缺口"].iter_rows(values_only=True))
    assert rows[3][:5] == ("区划代码", "辖区", "物资", "单位", "需求")
    assert any(r[0] == "320500" for r in rows[4:])


def test_bad_input_exits_2_with_one_line(sqlite_url: str, tmp_path: Path) -> None:
    (before,) = row_counts(sqlite_url, JournalEntryRow)
    for args in (["999999"], ["0"], ["1", "--days", "0"], ["abc"]):
        refused = run_cli(sqlite_url, tmp_path, "shortfall", *args)
        assert refused.returncode == 2, (args, refused.stdout, refused.stderr)
        assert refused.stderr.strip()
    assert row_counts(sqlite_url, JournalEntryRow) == (before,)
