"""Builders shared by tests: actors, hazards and drafts."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import create_engine, func, select

from crossrisk.app import create_app
from crossrisk.domain.organisation import Actor, Role
from crossrisk.domain.outbound import parse_allow_list
from crossrisk.domain.risk import RiskCategory, RiskDraft
from crossrisk.services import users
from crossrisk.settings import Settings
from crossrisk.store.uow import UnitOfWork

# CI sets CI=true: there a missing service (PostgreSQL, Mosquitto, aiosmtpd, Chromium) fails
# its tests instead of skipping them.
IN_CI = os.environ.get("CI", "").lower() == "true"
T0 = datetime(2026, 7, 1, 2, 0, tzinfo=UTC)
TEST_PASSWORD = "correct horse battery"
TEST_SECRET = "test-secret"  # the secret key of every test app (signs cookies and links)
# The operator's allow-list of the tests: their webhook receivers listen on loopback.
LOOPBACK = parse_allow_list("127.0.0.1/32")

# One login per kind of user; every test database has them.
TEST_USERS = [
    ("huangshan", "ema-341000", Role.OFFICER),  # the origin city of most test hazards
    ("huangshan-viewer", "ema-341000", Role.VIEWER),
    ("hangzhou", "ema-330100", Role.OFFICER),  # a downstream, affected city
    ("committee", "yrd-committee", Role.OFFICER),
    ("disaster-office", "yrd-office-natural-disaster", Role.OFFICER),
    ("central", "central-office", Role.OFFICER),
    ("evaluator", "yrd-evaluator", Role.OFFICER),
    ("other-committee", "pearl-committee", Role.OFFICER),  # coordination body elsewhere
]

# A second, tiny region far away, so "another region" can be tested.
OTHER_REGION = {
    "type": "FeatureCollection",
    "region": {"code": "pearl", "name_zh": "测试区域", "name_en": "Test region"},
    "features": [
        {
            "type": "Feature",
            "properties": {
                "code": "440100",
                "name_zh": "广州市",
                "name_en": "Guangzhou",
                "level": "prefecture",
                "parent_code": None,
                "population": 18676605,
                "member": True,
            },
            "geometry": {
                "type": "Polygon",
                "coordinates": [
                    [[113.0, 22.9], [113.6, 22.9], [113.6, 23.4], [113.0, 23.4], [113.0, 22.9]]
                ],
            },
        }
    ],
}

# Points well inside cities of the bundled region (WGS84 lon, lat).
HUANGSHAN_TUNXI = (118.32, 29.71)  # 黄山市 341000, on the Xin'an River
HANGZHOU = (120.16, 30.27)  # 杭州市 330100
SHANGHAI = (121.47, 31.23)  # 上海市 310000
SUZHOU_JS = (120.62, 31.30)  # 苏州市 320500
OUTSIDE = (113.26, 23.13)  # Guangzhou, outside the region

# Twenty tonnes of styrene released into the Xin'an at Tunxi over 6 h: far above the
# limit where it enters Qiandao Lake in Hangzhou's Chun'an, about 10 h downstream.
XINAN_SPILL: dict[str, Any] = dict(
    where=HUANGSHAN_TUNXI,
    category=RiskCategory.ACCIDENT_DISASTER,
    hazard_type="river_spill",
    parameters={"substance": "styrene", "mass_kg": 20000, "release_hours": 6},
)


def actor(uow: UnitOfWork, organisation_code: str, role: Role = Role.OFFICER) -> Actor:
    """An actor of an organisation of the loaded region, as a login would produce it."""
    with uow.read_only() as tx:
        organisation = tx.organisations.get(organisation_code)
        return users.actor_of(
            tx, username=f"test-{organisation_code}", organisation=organisation, role=role
        )


def settings_for_tests(database_url: str, data_dir: Path, **overrides: Any) -> Settings:
    """The settings of a test app: loopback, no demo data, no worker thread unless asked."""
    values: dict[str, Any] = dict(
        data_dir=data_dir,
        database_url=database_url,
        host="127.0.0.1",
        port=8000,
        secret_key=TEST_SECRET,
        demo=False,
        worker=False,
        outbound_allow=LOOPBACK,
    )
    return Settings(**(values | overrides))


@contextmanager
def app_client(settings: Settings, **options: Any) -> Iterator[TestClient]:
    """The application with these settings, started, behind a TestClient."""
    app = create_app(settings)
    with TestClient(app, **options) as test_client:
        yield test_client
    app.state.engine.dispose()


def run_cli(
    database_url: str,
    data_dir: Path,
    *args: str,
    stdin: str | bytes = "",
    env: dict[str, str] | None = None,
) -> subprocess.CompletedProcess[str]:
    """`python -m crossrisk ARGS` on a database, as an operator runs it; any exit code."""
    env = {
        **os.environ,
        "CROSSRISK_DATABASE_URL": database_url,
        "CROSSRISK_DATA_DIR": str(data_dir),
        **(env or {}),
    }
    result = subprocess.run(
        [sys.executable, "-m", "crossrisk", *args],
        input=stdin.encode() if isinstance(stdin, str) else stdin,
        capture_output=True,
        env=env,
        timeout=300,
        check=False,
    )
    return subprocess.CompletedProcess(
        result.args, result.returncode, result.stdout.decode(), result.stderr.decode()
    )


def row_counts(database_url: str, *tables: type[Any]) -> tuple[int, ...]:
    """How many rows each table holds: what a refused command must leave as it was."""
    engine = create_engine(database_url)
    with engine.connect() as connection:
        result = tuple(
            connection.scalar(select(func.count()).select_from(table)) or 0 for table in tables
        )
    engine.dispose()
    return result


def auth(tokens: dict[str, str], user: str = "huangshan") -> dict[str, str]:
    """The header that sends a test user's bearer token (see the `tokens` fixture)."""
    return {"Authorization": f"Bearer {tokens[user]}"}


def point(lon_lat: tuple[float, float]) -> dict[str, Any]:
    return {"type": "Point", "coordinates": list(lon_lat)}


def post_spill(client: TestClient, tokens: dict[str, str]) -> dict[str, Any]:
    """Huangshan registers the styrene spill at Tunxi through the API; the risk as JSON."""
    response = client.post(
        "/api/risks",
        json={
            "region": "yrd",
            "category": "accident_disaster",
            "title": "新安江苯乙烯泄漏",
            "description": "",
            "hazard_geometry": point(HUANGSHAN_TUNXI),
            "likelihood": 3,
            "consequence": 4,
            "hazard_type": "river_spill",
        },
        headers=auth(tokens, "huangshan"),
    )
    assert response.status_code == 201, response.text
    return dict(response.json())


def draft(
    *,
    where: tuple[float, float] = HUANGSHAN_TUNXI,
    geometry: dict[str, Any] | None = None,
    category: RiskCategory = RiskCategory.ACCIDENT_DISASTER,
    title: str = "新安江苯乙烯泄漏",
    description: str = "Styrene tanker overturned on the bank of the Xin'an River.",
    likelihood: int = 3,
    consequence: int = 4,
    hazard_type: str | None = None,
    parameters: dict[str, Any] | None = None,
) -> RiskDraft:
    return RiskDraft(
        category=category,
        title=title,
        description=description,
        hazard_geometry=geometry or point(where),
        likelihood=likelihood,
        consequence=consequence,
        hazard_type=hazard_type,
        parameters=parameters or {},
    )


def assert_problem(response: Any, status: int, *, key: str | None = None) -> dict[str, Any]:
    """Assert an RFC 9457 problem response: its status, media type, body and refusal key."""
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    body: dict[str, Any] = response.json()
    assert body["status"] == status and body["type"].startswith("urn:crossrisk:problem:")
    assert body["title"] and body["detail"]
    if key is not None:
        assert body.get("key") == key, body
    return body
