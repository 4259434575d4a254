"""Warnings follow the national norms: reports for social-security risks, copies to provinces."""

from __future__ import annotations

from datetime import timedelta

import pytest

from crossrisk.alerts.cap.parse import parse_cap
from crossrisk.domain.delivery import ChannelKind, Purpose
from crossrisk.domain.errors import NotPermitted
from crossrisk.domain.organisation import system_actor
from crossrisk.domain.permissions.regions import province_covers
from crossrisk.domain.permissions.risks import can_change_risk
from crossrisk.domain.risk import RiskCategory
from crossrisk.domain.warning import WarningLevel
from crossrisk.services import delivery, demo, firings, observations, risks, warnings
from crossrisk.store.uow import UnitOfWork
from tests.delivery_fixtures import RECEIVERS_GUARD
from tests.monitoring_support import TUNXI_BLUE, record
from tests.support import T0, XINAN_SPILL, actor, draft

DELIBERATE = {**XINAN_SPILL, "category": RiskCategory.SOCIAL_SECURITY}


def register(uow: UnitOfWork, spec: dict[str, object]) -> int:
    risk = risks.register_risk(
        uow,
        actor(uow, "ema-341000"),
        draft(**spec),
        region_code="yrd",
        now=T0,  # type: ignore[arg-type]
    )
    assert risk.id is not None
    return risk.id


def test_a_social_security_risk_reaches_its_neighbours_as_an_information_report(
    uow: UnitOfWork,
) -> None:
    risk_id = register(uow, DELIBERATE)
    messages = warnings.warnings_of_risk(uow, system_actor(), risk_id)
    assert messages and all(m.warning.report for m in messages)
    [hangzhou] = [m for m in messages if m.warning.recipient_code == "330100"]
    assert hangzhou.awaiting_ack  # still delivered and acknowledged
    assert hangzhou.warning.headline_tag_zh == "通报"
    assert "确认收到本通报" in hangzhou.warning.instructions_zh
    assert "预警" not in hangzhou.warning.instructions_zh
    alert = parse_cap(warnings.cap_document(uow, system_actor(), hangzhou.id))
    zh = alert.info("zh")
    assert zh is not None and zh.headline is not None
    assert "通报" in zh.headline and "预警[" not in zh.headline
    for level in ("红色", "橙色", "黄色", "蓝色"):
        assert level not in zh.headline and level not in (zh.description or "")
    with uow.read_only() as tx:
        entries = tx.journal.about(f"warning:{hangzhou.id}")
    assert [e.action for e in entries] == ["warning.issued"]


def test_an_accident_is_still_warned_in_colour(uow: UnitOfWork) -> None:
    risk_id = register(uow, XINAN_SPILL)
    messages = warnings.warnings_of_risk(uow, system_actor(), risk_id)
    assert messages and not any(m.warning.report for m in messages)
    assert all("预警[" in m.warning.headline_tag_zh for m in messages)


def add_email(uow: UnitOfWork, organisation: str, address: str) -> None:
    delivery.add_channel(
        uow,
        system_actor(),
        organisation_code=organisation,
        kind=ChannelKind.EMAIL,
        address=address,
        secret=None,
        guard=RECEIVERS_GUARD,
        topic_prefix="crossrisk",
        now=T0,
    )


def test_a_level_ii_warning_is_copied_to_the_province_of_the_city_it_warns(
    uow: UnitOfWork,
) -> None:
    add_email(uow, "ema-330000", "duty@yjt.zj.example")
    add_email(uow, "ema-330100", "duty@ema.hangzhou.example")
    risk_id = register(uow, XINAN_SPILL)
    messages = warnings.warnings_of_risk(uow, system_actor(), risk_id)
    [hangzhou] = [m for m in messages if m.warning.recipient_code == "330100"]
    assert hangzhou.warning.level <= WarningLevel.ORANGE

    with uow.read_only() as tx:
        sent = tx.deliveries.of_warning(hangzhou.id)
        actions = [e.action for e in tx.journal.about(f"warning:{hangzhou.id}")]
    copies = [d for d in sent if d.purpose is Purpose.COPY]
    assert [(d.organisation_code, d.address) for d in copies] == [
        ("ema-330000", "duty@yjt.zj.example")
    ]
    assert [d.organisation_code for d in sent if d.purpose is Purpose.WARNING] == ["ema-330100"]
    assert actions == ["warning.issued", "warning.copied"]
    # A copy informs; the province has nothing to acknowledge.
    province = actor(uow, "ema-330000")
    with pytest.raises(NotPermitted):
        warnings.acknowledge(uow, province, hangzhou.id, via="page", now=T0)


def test_lower_warnings_and_cities_without_a_province_get_no_copy(uow: UnitOfWork) -> None:
    risk_id = register(uow, XINAN_SPILL)
    messages = warnings.warnings_of_risk(uow, system_actor(), risk_id)
    with uow.read_only() as tx:
        for message in messages:
            copied = [
                e for e in tx.journal.about(f"warning:{message.id}") if e.action == "warning.copied"
            ]
            expected = (
                message.warning.level <= WarningLevel.ORANGE
                and not message.warning.recipient_code.startswith("31")
            )
            assert bool(copied) == expected, message.id
            if copied:
                assert (
                    copied[0].payload["copied_to"]
                    == "ema-" + message.warning.recipient_code[:2] + "0000"
                )


def test_a_province_reads_its_cities_warnings_and_changes_nothing(uow: UnitOfWork) -> None:
    risk_id = register(uow, XINAN_SPILL)
    zhejiang = actor(uow, "ema-330000")
    inbox = warnings.inbox(uow, zhejiang)
    assert inbox and {m.warning.recipient_code[:2] for m in inbox} == {"33"}
    # It reads the risk (its region's records) but may not change or warn for it.
    risk = risks.get_risk(uow, zhejiang, risk_id)
    assert risk.id == risk_id
    assert not can_change_risk(zhejiang, region_code="yrd", origin_codes=risk.origin_codes)
    assert province_covers(zhejiang, "330100")
    assert not province_covers(zhejiang, "340100")
    assert not province_covers(zhejiang, "330000")


def test_demo_seed_has_an_account_for_each_province_with_member_cities(uow: UnitOfWork) -> None:
    accounts = {a.username: a for a in demo.demo_accounts(uow, region_code="yrd")}
    for code, name in (("320000", "江苏省"), ("330000", "浙江省"), ("340000", "安徽省")):
        account = accounts[f"province-{code}"]
        assert account.organisation == f"ema-{code}"
        assert account.name_zh == f"{name}应急管理厅"
    assert "province-310000" not in accounts  # Shanghai is a member itself


def test_a_station_stores_its_risks_title_in_both_languages(stations: UnitOfWork) -> None:
    uow = stations
    now = T0 + timedelta(hours=12)
    report = observations.ingest(
        uow, system_actor("gateway"), [record(TUNXI_BLUE + 0.2, 0)], source="test", now=now
    )
    [outcome] = firings.act_on_queued(uow, report.queued, now=now)
    assert outcome.risk_id is not None
    risk = risks.get_risk(uow, system_actor(), outcome.risk_id)
    assert "/" not in risk.title and "屯溪" in risk.title and "蓝色" in risk.title
    assert "Tunxi" in risk.title_en and "blue" in risk.title_en
    assert risk.title_for(chinese=True) == risk.title
    assert risk.title_for(chinese=False) == risk.title_en
    # A person who rewrites the title drops the station's English one with it.
    renamed = risks.change_risk(
        uow,
        actor(uow, "ema-341000"),
        risk.id or 0,
        risks.RiskChange(title="屯溪站水位超警", reason="更准确的名称"),
        now=now,
    )
    assert (renamed.title, renamed.title_en) == ("屯溪站水位超警", "")
    assert renamed.title_for(chinese=False) == "屯溪站水位超警"
