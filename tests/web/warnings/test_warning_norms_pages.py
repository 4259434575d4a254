"""Pages follow the national norms: reports shown as 通报, provinces, the local extension."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from fastapi import FastAPI
from fastapi.testclient import TestClient
from markupsafe import escape

from crossrisk.domain.organisation import Role, system_actor
from crossrisk.domain.risk import RiskCategory
from crossrisk.services import demo, firings, observations, risks, users
from crossrisk.store.uow import UnitOfWork
from tests.monitoring_support import TUNXI_BLUE, record
from tests.support import HUANGSHAN_TUNXI, XINAN_SPILL, actor, draft
from tests.web.officers import HANGZHOU_OFFICER, HUANGSHAN_OFFICER, PASSWORD, SEEDED_AT
from tests.web.warnings.test_warning_pages import LogIn, hangzhou_warning, row_of

ZHEJIANG_OFFICER = "page-province-330000"


def register(app: FastAPI, category: RiskCategory) -> int:
    uow = UnitOfWork(app.state.engine)
    risk = risks.register_risk(
        uow,
        actor(uow, "ema-341000"),
        draft(**{**XINAN_SPILL, "category": category}),
        region_code="yrd",
        now=datetime.now(UTC),
    )
    assert risk.id is not None
    return risk.id


def test_a_social_security_risk_shows_as_an_information_report(
    app: FastAPI, client: TestClient, log_in: LogIn
) -> None:
    message = hangzhou_warning(app, register(app, RiskCategory.SOCIAL_SECURITY))
    log_in(HANGZHOU_OFFICER)
    row = row_of(client.get("/warnings").text, message.id)
    assert "通报" in row and "warning-level-report" in row  # a grey badge, not a colour
    assert "预警[" not in row and message.warning.level.colour_zh not in row
    english = client.get("/language/en?next=/warnings", follow_redirects=True)
    row = row_of(english.text, message.id)
    assert "Information report" in row and "warning [Level" not in row


def test_the_map_lists_a_city_told_by_report_without_a_colour(
    app: FastAPI, client: TestClient, log_in: LogIn
) -> None:
    register(app, RiskCategory.SOCIAL_SECURITY)
    log_in(HANGZHOU_OFFICER)
    warned = {city["code"]: city for city in client.get("/map/data?region=yrd").json()["warnings"]}
    assert warned["330100"]["level"] is None
    assert (warned["330100"]["shade"], warned["330100"]["tag"]) == ("report", "通报")


def test_a_province_officer_reads_the_warnings_to_its_cities(
    app: FastAPI, client: TestClient, log_in: LogIn
) -> None:
    users.add_user(
        UnitOfWork(app.state.engine),
        system_actor(),
        username=ZHEJIANG_OFFICER,
        password=PASSWORD,
        organisation_code="ema-330000",
        role=Role.OFFICER,
        now=SEEDED_AT,
    )
    message = hangzhou_warning(app, register(app, RiskCategory.ACCIDENT_DISASTER))
    log_in(ZHEJIANG_OFFICER)
    page = client.get("/warnings")
    assert page.status_code == 200
    row = row_of(page.text, message.id)
    assert "杭州市" in row
    assert "ack-button" not in row  # a copy informs; only the city acknowledges
    assert client.get(f"/risks/{message.warning.risk_id}").status_code == 200


def test_categories_list_the_four_legal_ones_and_the_local_extension(
    client: TestClient, log_in: LogIn
) -> None:
    log_in(HUANGSHAN_OFFICER)
    form = client.get("/risks/new").text
    for name in (
        "自然灾害",
        "事故灾难",
        "公共卫生事件",
        "社会安全事件",
        "新兴技术风险（地方扩展）",
    ):
        assert name in form, name
    english = client.get("/language/en?next=/risks/new", follow_redirects=True).text
    assert "Emerging technology risk (local extension)" in english


def test_a_flood_reads_in_flood_words_and_a_spill_in_spill_words(
    app: FastAPI, client: TestClient, log_in: LogIn
) -> None:
    uow = UnitOfWork(app.state.engine)
    flood = risks.register_risk(
        uow,
        actor(uow, "ema-341000"),
        draft(
            where=HUANGSHAN_TUNXI,
            category=RiskCategory.NATURAL_DISASTER,
            title="新安江洪水",
            hazard_type="flood_wave",
            parameters={"pulse_hours": 12},
        ),
        region_code="yrd",
        now=datetime.now(UTC),
    )
    spill = register(app, RiskCategory.ACCIDENT_DISASTER)
    log_in(HUANGSHAN_OFFICER)
    flood_page = client.get(f"/risks/{flood.id}").text
    spill_page = client.get(f"/risks/{spill}").text
    assert "洪峰流量" in flood_page and "源头洪水过程持续时间" in flood_page
    assert "峰值浓度" not in flood_page and "泄漏持续时间" not in flood_page
    assert "峰值浓度" in spill_page and "泄漏持续时间" in spill_page
    assert "洪峰" not in spill_page
    english = client.get(f"/language/en?next=/risks/{flood.id}", follow_redirects=True).text
    assert "Peak discharge" in english and "peak concentration" not in english.lower()


def test_a_station_risk_shows_its_title_in_the_page_language_only(
    app: FastAPI, client: TestClient, log_in: LogIn
) -> None:
    uow = UnitOfWork(app.state.engine)
    now = datetime.now(UTC)
    demo.seed_demo_stations(uow, system_actor(), region_code="yrd", now=now)
    report = observations.ingest(
        uow,
        system_actor("gateway"),
        [record(TUNXI_BLUE + 0.2, 0, base=now - timedelta(minutes=5))],
        source="test",
        now=now,
    )
    [outcome] = firings.act_on_queued(uow, report.queued, now=now)
    risk = risks.get_risk(uow, system_actor(), outcome.risk_id or 0)
    log_in(HUANGSHAN_OFFICER)
    chinese = client.get(f"/risks/{risk.id}").text
    assert f'<span id="risk-title">{risk.title}</span>' in chinese
    assert "Tunxi" not in chinese.split("<main", 1)[-1].split("</h1>", 1)[0]
    listed = client.get("/risks").text
    assert risk.title in listed and str(escape(risk.title_en)) not in listed
    english = client.get(f"/language/en?next=/risks/{risk.id}", follow_redirects=True).text
    assert f'<span id="risk-title">{escape(risk.title_en)}</span>' in english
    assert risk.title not in client.get("/risks").text
