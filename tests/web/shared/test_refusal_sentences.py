"""Refusals read as whole sentences in the page's language, never in the API's English."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

from fastapi import FastAPI
from fastapi.testclient import TestClient

from crossrisk.domain.errors import Conflict, NotPermitted
from crossrisk.domain.organisation import system_actor
from crossrisk.domain.risk import RiskStatus
from crossrisk.locale import translations
from crossrisk.services import risks
from crossrisk.store.uow import UnitOfWork
from crossrisk.web.shared import refusal_labels
from crossrisk.web.shared.i18n import EN, ZH, PageLanguage
from tests.web.officers import HANGZHOU_OFFICER, HUANGSHAN_OFFICER
from tests.web.page_parts import page_data, refusal
from tests.web.risk_forms import register

LogIn = Callable[[str], str]

PACKAGE = Path(__file__).resolve().parents[3] / "crossrisk"
RAISED_KEY = re.compile(r'\bkey="([a-z0-9-]+)"')
# Keys only the API, the CLI, MQTT ingest, CAP import or configuration files meet: no page
# submits what raises them, so their English detail is what their readers see.
API_ONLY = frozenset(
    {
        "body-too-large",  # answered by the body limit before any page runs
        "checkpoint-chain-broken",
        "checkpoint-forged",
        "checkpoint-key-invalid",
        "checkpoint-malformed",
        "checkpoint-other-key",
        "checkpoint-rewritten",
        "checkpoint-truncated",
        "envelope-ack-url-invalid",
        "envelope-cap-missing",
        "envelope-subject",
        "envelope-warning-id-invalid",
        "firing-assessment-invalid",
        "hydrograph-invalid",
        "level-bands-incomplete",
        "observation-batch-empty",
        "observation-batch-too-large",
        "observation-body-too-large",
        "observation-feed-not-permitted",
        "observation-media-type",
        "observation-station-not-topic",
        "refusals-not-permitted",
        "rule-empty",
        "rule-invalid",
        "signing-key-invalid",
        "signing-key-unreadable",
        "station-code-invalid",
        "station-file-invalid",
        "station-invalid",
        "station-not-permitted",
        "station-other-region",
        "station-outside-region",
        "station-unknown",
        "station-wrong-jurisdiction",
        "user-disabled",  # `--as USER` on the command line
        "warning-arrival-implausible",
    }
)


def raised_keys() -> set[str]:
    """Every refusal key written in the platform's code, outside the sentences themselves."""
    found: set[str] = set()
    for path in PACKAGE.rglob("*.py"):
        found.update(RAISED_KEY.findall(path.read_text(encoding="utf-8")))
    return found


def is_api_only(key: str) -> bool:
    # Every CAP refusal comes from CAP import, its feeds and its registry, none a page.
    return key in API_ONLY or key.startswith("cap-")


def test_every_key_a_page_can_show_has_a_sentence() -> None:
    keys = raised_keys()
    assert {"risk-change-not-permitted", "login-throttled", "text-empty"} <= keys
    missing = sorted(
        key for key in keys if not is_api_only(key) and key not in refusal_labels.REFUSAL
    )
    assert missing == []
    assert sorted(API_ONLY - keys) == []  # the list names no key that is gone
    assert sorted(API_ONLY & refusal_labels.REFUSAL.keys()) == []


def test_every_refusal_sentence_is_in_chinese() -> None:
    chinese = translations("zh_CN")
    for sentence in [*refusal_labels.REFUSAL.values(), *refusal_labels.GENERIC_REFUSAL.values()]:
        said = chinese.gettext(sentence)
        assert said != sentence and re.search(r"[\u4e00-\u9fff]", said), sentence


def test_refusal_without_a_sentence_is_said_by_its_kind_in_the_pages_language() -> None:
    chinese = PageLanguage(ZH, translations("zh_CN"))
    english = PageLanguage(EN, translations("en"))
    keyless = NotPermitted("only the platform operator may do this")
    assert chinese.error_detail(keyless) == "您的账户无权执行此操作。"
    assert english.error_detail(keyless) == "Your account may not do this."
    # A sentence whose facts were not given is not said half-filled.
    unfilled = Conflict("risk 7 was changed meanwhile", key="risk-changed-meanwhile")
    assert chinese.error_detail(unfilled) == "该记录已被他人修改，请刷新页面后重试。"


def test_city_changing_another_citys_risk_reads_a_chinese_sentence_naming_the_cities(
    app: FastAPI, client: TestClient, log_in: LogIn
) -> None:
    risk_id = register(client, log_in(HUANGSHAN_OFFICER))
    token = log_in(HANGZHOU_OFFICER)
    response = client.post(
        f"/risks/{risk_id}/transition",
        data={"csrf_token": token, "to": "assessed", "reason": "越权尝试"},
    )
    assert response.status_code == 403
    said = refusal(response.text)
    assert said == (
        "无权操作 杭州市应急管理局无权变更发生地为黄山市的风险：仅发生地城市、"
        "本区域综合性协调机构和中央跨域风险协调办公室可以变更。"
    )
    assert re.search(r"[A-Za-z]{2,}", said) is None  # no English, no codes
    stored = risks.get_risk(UnitOfWork(app.state.engine), system_actor(), risk_id)
    assert stored.status is RiskStatus.IDENTIFIED and stored.version == 1


def test_the_english_page_says_the_same_refusal_in_english(
    client: TestClient, log_in: LogIn
) -> None:
    risk_id = register(client, log_in(HUANGSHAN_OFFICER))
    token = log_in(HANGZHOU_OFFICER)
    client.get("/language/en")
    response = client.post(
        f"/risks/{risk_id}/transition",
        data={"csrf_token": token, "to": "assessed", "reason": "overreach"},
    )
    assert response.status_code == 403
    assert refusal(response.text) == (
        "Not permitted Hangzhou Emergency Management Bureau may not change a risk whose origin "
        "is Huangshan: only the origin city, the region's coordination body and the central "
        "office change it."
    )


def test_a_step_the_cycle_lacks_is_refused_in_chinese_with_both_statuses(
    app: FastAPI, client: TestClient, log_in: LogIn
) -> None:
    token = log_in(HUANGSHAN_OFFICER)
    risk_id = register(client, token)
    response = client.post(
        f"/risks/{risk_id}/transition",
        data={"csrf_token": token, "to": "closed", "reason": "直接关闭", "version": "1"},
    )
    assert response.status_code == 409
    assert "处于“已识别”状态的风险不能转为“已关闭”。" in refusal(response.text)
    stored = risks.get_risk(UnitOfWork(app.state.engine), system_actor(), risk_id)
    assert stored.status is RiskStatus.IDENTIFIED


def test_a_form_filled_on_an_old_version_is_refused_in_chinese_with_both_versions(
    app: FastAPI, client: TestClient, log_in: LogIn
) -> None:
    token = log_in(HUANGSHAN_OFFICER)
    risk_id = register(client, token)
    first = {"csrf_token": token, "to": "assessed", "reason": "已评估", "version": "1"}
    assert client.post(f"/risks/{risk_id}/transition", data=first).status_code == 303
    stale = {
        "csrf_token": token,
        "likelihood": "4",
        "consequence": "4",
        "reason": "按旧页面复核",
        "version": "1",
    }
    response = client.post(f"/risks/{risk_id}/reassess", data=stale)
    assert response.status_code == 409
    assert (
        f"编号为 {risk_id} 的风险已被他人修改（现为第 2 版，表单所据为第 1 版），请刷新页面后重试。"
        in refusal(response.text)
    )
    stored = risks.get_risk(UnitOfWork(app.state.engine), system_actor(), risk_id)
    assert stored.version == 2 and stored.likelihood == 3


def test_warning_scripts_get_refusals_by_key_and_status_in_the_pages_language(
    client: TestClient, log_in: LogIn
) -> None:
    log_in(HANGZHOU_OFFICER)
    texts = page_data(client.get("/warnings").text)["texts"]
    assert texts["refusals"]["warning-not-awaiting-ack"] == "此预警已无需确认，本次未作任何更改。"
    assert texts["refusedByStatus"]["403"] == "您的账户无权执行此操作。"
    assert texts["refusedByStatus"]["409"] == "该记录已被他人修改，请刷新页面后重试。"
    assert texts["separator"] == "："
    said = [*texts["refusals"].values(), *texts["refusedByStatus"].values(), texts["refused"]]
    assert all(re.search(r"[\u4e00-\u9fff]", sentence) for sentence in said)
    # A sentence with facts needs the directory to name them, which a script lacks.
    assert "risk-change-not-permitted" not in texts["refusals"]
    client.get("/language/en")
    english = page_data(client.get("/warnings").text)["texts"]
    assert english["refusals"]["warning-not-live"] == (
        "This warning is no longer the current message of its thread; reload the page."
    )
