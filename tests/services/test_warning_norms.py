"""Warnings follow the national norms: reports for social-security risks, copies to provinces."""

from __future__ import annotations

from crossrisk.alerts.cap.parse import parse_cap
from crossrisk.domain.organisation import system_actor
from crossrisk.domain.risk import RiskCategory
from crossrisk.services import risks, warnings
from crossrisk.store.uow import UnitOfWork
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
