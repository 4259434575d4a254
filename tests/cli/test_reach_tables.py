"""`crossrisk reach` on a river: a spill's peak, its time and the hours over the limit."""

from __future__ import annotations

from pathlib import Path

import pytest

from crossrisk.cli.tables import format_what_if
from crossrisk.domain.organisation import system_actor
from crossrisk.domain.risk import RiskCategory
from crossrisk.services import analysis
from crossrisk.store.db import make_engine
from crossrisk.store.uow import UnitOfWork
from tests.support import T0, XINAN_SPILL, draft, run_cli
from tests.web.risks.river_reaches import fake_compute_reach


def what_if_table(url: str, monkeypatch: pytest.MonkeyPatch, **changes: object) -> str:
    """The table `crossrisk reach` prints, on the reaches of river_reaches."""
    monkeypatch.setattr(analysis, "compute_reach", fake_compute_reach)
    engine = make_engine(url)
    try:
        result = analysis.what_if(
            UnitOfWork(engine),
            system_actor(),
            draft(**{**XINAN_SPILL, **changes}),
            region_code="yrd",
            now=T0,
        )
    finally:
        engine.dispose()
    return format_what_if(result)


def test_spill_table_gives_peak_time_and_hours_over_the_limit(
    sqlite_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    table = what_if_table(
        sqlite_url,
        monkeypatch,
        parameters={"substance": "styrene", "mass_kg": 20000, "release_hours": 2},
    )
    assert "river_spill (spill)" in table
    assert "peak mg/L  peak (h)  over (h)  lake" in table
    hangzhou = next(line for line in table.splitlines() if line.startswith("330100"))
    assert hangzhou.split() == ["330100", "30.4", "12", "182", "0.24", "41.5", "66.0", "qiandao"]
    assert "limit of styrene, 0.02 mg/L (surface_class_iii)" in table


def test_spill_of_unknown_mass_gives_shares_of_the_source(
    sqlite_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    table = what_if_table(sqlite_url, monkeypatch, parameters={"substance": "styrene"})
    hangzhou = next(line for line in table.splitlines() if line.startswith("330100"))
    assert hangzhou.split()[4] == "0.24%"
    assert "when the share first exceeds 1%" in table


def test_flood_table_gives_peak_discharge_and_base_flow(
    sqlite_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    table = what_if_table(
        sqlite_url,
        monkeypatch,
        category=RiskCategory.NATURAL_DISASTER,
        hazard_type="flood_wave",
        parameters={"peak_discharge_m3_s": 2000},
    )
    assert "flood_wave (river)" in table and "base m3/s" in table
    hangzhou = next(line for line in table.splitlines() if line.startswith("330100"))
    assert hangzhou.split()[3:] == ["260", "1700", "30.0", "1000"]


def test_reach_help_lists_the_spill_parameters(sqlite_url: str, tmp_path: Path) -> None:
    out = " ".join(run_cli(sqlite_url, tmp_path, "reach", "--help").stdout.split())
    for name in ("substance", "mass_kg", "rate_kg_s", "release_hours", "horizon_hours"):
        assert name in out
    assert "--param substance=styrene --param mass_kg=20000 --param release_hours=2" in out


@pytest.mark.parametrize(
    ("params", "message"),
    [
        (
            ["mass_kg=20000", "rate_kg_s=2", "release_hours=2"],
            "error: give the spill's mass_kg or its rate_kg_s over release_hours, not both",
        ),
        (["mass_kg=0"], "error: mass_kg must be at least 0.001 kg"),
        (
            ["release_hours=300"],
            "error: the release lasts 300 h, longer than the horizon of 240 h",
        ),
    ],
)
def test_reach_refuses_a_bad_spill_in_one_line(
    sqlite_url: str, tmp_path: Path, params: list[str], message: str
) -> None:
    hazard = tmp_path / "spill.geojson"
    hazard.write_text('{"type": "Point", "coordinates": [118.32, 29.71]}', "utf-8")
    args = [arg for param in params for arg in ("--param", param)]
    result = run_cli(sqlite_url, tmp_path, "reach", str(hazard), "--type", "river_spill", *args)
    assert result.returncode == 2
    assert result.stderr.strip().startswith(message)
    assert len(result.stderr.strip().splitlines()) == 1
