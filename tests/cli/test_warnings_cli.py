"""`crossrisk warnings national-id`: a warning's identifier in the national release system."""

from __future__ import annotations

from pathlib import Path

from crossrisk.domain.organisation import system_actor
from crossrisk.domain.warning_national_id import BEIJING, parse_national_warning_id
from crossrisk.services import risks, warnings
from crossrisk.store.db import make_engine
from crossrisk.store.uow import UnitOfWork
from tests.databases import SqliteTemplate
from tests.support import T0, XINAN_SPILL, actor, draft, run_cli


def test_national_id_names_the_city_the_department_and_the_time(
    sqlite_template: SqliteTemplate, tmp_path: Path
) -> None:
    url = sqlite_template.fresh()
    engine = make_engine(url)
    uow = UnitOfWork(engine)
    risk = risks.register_risk(
        uow, actor(uow, "ema-341000"), draft(**XINAN_SPILL), region_code="yrd", now=T0
    )
    [hangzhou] = [
        m
        for m in warnings.warnings_of_risk(uow, system_actor(), risk.id or 0)
        if m.warning.recipient_code == "330100"
    ]
    engine.dispose()

    made = run_cli(url, tmp_path, "warnings", "national-id", hangzhou.id, "--department", "137")
    assert made.returncode == 0, made.stderr
    text = made.stdout.strip()
    stamp = hangzhou.warning.issued_at.astimezone(BEIJING).strftime("%Y%m%d%H%M%S")
    assert text == f"33010013700000_{stamp}_0"
    parsed = parse_national_warning_id(text)
    assert parsed.entered_at == hangzhou.warning.issued_at

    bad = run_cli(url, tmp_path, "warnings", "national-id", hangzhou.id, "--department", "13")
    assert bad.returncode == 2
    assert len(bad.stderr.strip().splitlines()) == 1 and "department code" in bad.stderr
    missing = run_cli(
        url, tmp_path, "warnings", "national-id", "crossrisk-yrd-9-330100-1", "--department", "137"
    )
    assert missing.returncode == 2 and "Traceback" not in missing.stderr
    sqlite_template.drop(url)
