"""Warnings follow the risk, are acknowledged, reminded, escalated; on both backends."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

import pytest

from crossrisk.alerts.cap.parse import parse_cap
from crossrisk.alerts.cap.schema import validate_cap
from crossrisk.domain.errors import Conflict, InvalidInput, NotPermitted
from crossrisk.domain.organisation import Role
from crossrisk.domain.risk import RiskStatus
from crossrisk.domain.warning import WarningStatus
from crossrisk.domain.warning_plan import MessageType, WarningMessage
from crossrisk.services import analysis, risks, warnings
from crossrisk.services.risks import RiskChange
from crossrisk.store.db import make_engine
from crossrisk.store.uow import UnitOfWork
from tests.support import T0, XINAN_SPILL, actor, draft

HANGZHOU_CODE = "330100"


def register_spill(uow: UnitOfWork) -> int:
    risk = risks.register_risk(
        uow, actor(uow, "ema-341000"), draft(**XINAN_SPILL), region_code="yrd", now=T0
    )
    assert risk.id is not None
    return risk.id


def journal(uow: UnitOfWork, prefix: str = "warning.") -> list[tuple[str, dict]]:
    with uow.read_only() as tx:
        return [
            (entry.action, dict(entry.payload))
            for entry in tx.journal.entries()
            if entry.action.startswith(prefix)
        ]


def hangzhou_warning(uow: UnitOfWork, risk_id: int) -> warnings.WarningMessage:
    officer = actor(uow, "ema-330100")
    (message,) = [m for m in warnings.inbox(uow, officer) if m.warning.risk_id == risk_id]
    return message


def test_a_registered_spill_warns_every_downstream_city_but_not_the_origin(
    uow: UnitOfWork,
) -> None:
    risk_id = register_spill(uow)

    committee = actor(uow, "yrd-committee")
    messages = warnings.warnings_of_risk(uow, committee, risk_id)
    recipients = {m.warning.recipient_code for m in messages}
    reach = analysis.current_analysis(uow, committee, risk_id).reach
    # Every city the front reaches, each once, and never Huangshan, which leads.
    assert len(messages) == len(recipients)
    assert recipients == {e.jurisdiction_code for e in reach.entries} - {"341000"}
    assert HANGZHOU_CODE in recipients
    # Qiandao Lake dilutes twenty tonnes below the limit: no warning to Jiaxing (issue 13).
    assert "330400" not in recipients
    hangzhou = hangzhou_warning(uow, risk_id)
    assert hangzhou.msg_type is MessageType.ALERT
    assert hangzhou.recipient_organisation == "ema-330100"
    assert hangzhou.warning.status is WarningStatus.ISSUED
    assert hangzhou.warning.expected_arrival is not None
    assert hangzhou.warning.expected_arrival > T0 + timedelta(hours=1)
    issued = [p["recipient"] for action, p in journal(uow) if action == "warning.issued"]
    assert sorted(issued) == sorted(recipients)

    xml = warnings.cap_document(uow, committee, hangzhou.id)
    validate_cap(xml)
    alert = parse_cap(xml)
    assert alert.identifier == hangzhou.id
    assert alert.msg_type == "Alert"
    assert alert.info("zh") is not None
    assert alert.info("zh").areas[0].geocodes == (("GB/T 2260", HANGZHOU_CODE),)


def test_moving_the_source_updates_and_closing_cancels_with_references(
    uow: UnitOfWork,
) -> None:
    risk_id = register_spill(uow)
    lead = actor(uow, "ema-341000")
    first = hangzhou_warning(uow, risk_id)

    # The tanker's papers show a smaller load: the limit is exceeded later, by less.
    risks.change_risk(
        uow,
        lead,
        risk_id,
        RiskChange(parameters={"mass_kg": 200}, reason="load checked against the papers"),
        now=T0 + timedelta(minutes=10),
    )
    update = hangzhou_warning(uow, risk_id)
    assert update.msg_type is MessageType.UPDATE
    assert update.warning.sequence == 2
    assert [r.identifier for r in update.warning.references] == [first.id]
    with uow.read_only() as tx:
        assert tx.warnings.get(first.id).warning.status is WarningStatus.UPDATED

    for status in (RiskStatus.ASSESSED, RiskStatus.TREATING, RiskStatus.MONITORING):
        risks.transition_risk(uow, lead, risk_id, to=status, reason="步骤", now=T0)
    assert hangzhou_warning(uow, risk_id).id == update.id  # no change, no message
    risks.transition_risk(uow, lead, risk_id, to=RiskStatus.CLOSED, reason="已处置", now=T0)

    cancel = hangzhou_warning(uow, risk_id)
    assert cancel.msg_type is MessageType.CANCEL
    assert cancel.warning.status is WarningStatus.CANCELLED
    assert [r.identifier for r in cancel.warning.references] == [first.id, update.id]
    alert = parse_cap(warnings.cap_document(uow, lead, cancel.id))
    assert alert.msg_type == "Cancel"
    assert [r.identifier for r in alert.references] == [first.id, update.id]
    live = [
        m
        for m in warnings.warnings_of_risk(uow, lead, risk_id)
        if m.msg_type is not MessageType.CANCEL
    ]
    assert live == []


def test_the_recipients_officer_acknowledges_once_and_others_may_not(uow: UnitOfWork) -> None:
    risk_id = register_spill(uow)
    message = hangzhou_warning(uow, risk_id)

    for organisation, role in (("ema-341000", Role.OFFICER), ("ema-330100", Role.VIEWER)):
        with pytest.raises(NotPermitted):
            warnings.acknowledge(
                uow, actor(uow, organisation, role), message.id, via="page", now=T0
            )
    assert hangzhou_warning(uow, risk_id).acknowledged_at is None

    officer = actor(uow, "ema-330100")
    done = warnings.acknowledge(uow, officer, message.id, via="page", now=T0 + timedelta(minutes=5))
    again = warnings.acknowledge(uow, officer, message.id, via="api", now=T0 + timedelta(hours=1))

    assert done.warning.status is WarningStatus.ACKNOWLEDGED
    assert again.acknowledged_at == T0 + timedelta(minutes=5)
    assert again.acknowledged_via == "page"
    acks = [p for action, p in journal(uow) if action == "warning.acknowledged"]
    assert len(acks) == 1 and acks[0]["late"] is False and acks[0]["via"] == "page"


def test_acknowledgements_at_once_all_succeed_and_one_is_recorded(
    uow: UnitOfWork, database_url: str
) -> None:
    # The page, the e-mail link and a second tab, all at the same moment.
    risk_id = register_spill(uow)
    message = hangzhou_warning(uow, risk_id)
    officer = actor(uow, "ema-330100")
    engine = make_engine(database_url, pool_size=6, max_overflow=0)
    start = threading.Barrier(5)

    def click(_: int) -> WarningMessage:
        start.wait()
        return warnings.acknowledge(
            UnitOfWork(engine), officer, message.id, via="page", now=T0 + timedelta(minutes=5)
        )

    with ThreadPoolExecutor(max_workers=5) as pool:
        answers = list(pool.map(click, range(5)))
    engine.dispose()
    assert {a.warning.status for a in answers} == {WarningStatus.ACKNOWLEDGED}
    acks = [p for action, p in journal(uow) if action == "warning.acknowledged"]
    assert len(acks) == 1


def test_a_late_acknowledgement_is_journaled_as_late(uow: UnitOfWork) -> None:
    risk_id = register_spill(uow)
    message = hangzhou_warning(uow, risk_id)
    late_by = timedelta(minutes=20)

    warnings.acknowledge(
        uow,
        actor(uow, "ema-330100"),
        message.id,
        via="api",
        now=message.warning.ack_deadline + late_by,
    )

    (ack,) = [p for action, p in journal(uow) if action == "warning.acknowledged"]
    assert ack["late"] is True and ack["minutes_late"] == 20.0


def test_the_sweep_reminds_at_half_escalates_at_the_deadline_and_records_the_missing(
    uow: UnitOfWork,
) -> None:
    risk_id = register_spill(uow)
    message = hangzhou_warning(uow, risk_id)
    deadline = message.warning.ack_deadline
    half = message.warning.issued_at + (deadline - message.warning.issued_at) / 2

    assert warnings.sweep_deadlines(uow, now=half - timedelta(seconds=1)).reminded == 0
    first = warnings.sweep_deadlines(uow, now=half)
    second = warnings.sweep_deadlines(uow, now=half + timedelta(minutes=1))
    assert first.reminded >= 1 and second.reminded == 0
    assert hangzhou_warning(uow, risk_id).reminded_at == half

    warnings.sweep_deadlines(uow, now=deadline)
    escalations = [p for action, p in journal(uow) if action == "warning.escalated"]
    hangzhou = [p for p in escalations if p["recipient"] == HANGZHOU_CODE]
    assert len(hangzhou) == 1 and hangzhou[0]["to"] == "yrd-committee"

    assert message.warning.expires_at is not None
    warnings.sweep_deadlines(uow, now=message.warning.expires_at)
    missing = [p for a, p in journal(uow) if a == "warning.unacknowledged"]
    assert HANGZHOU_CODE in {p["recipient"] for p in missing}
    assert {p["status"] for p in missing} == {"expired"}
    assert hangzhou_warning(uow, risk_id).warning.status is WarningStatus.EXPIRED
    with pytest.raises(Conflict):
        warnings.acknowledge(
            uow, actor(uow, "ema-330100"), message.id, via="page", now=message.warning.expires_at
        )


def test_an_acknowledged_warning_is_neither_reminded_nor_escalated(uow: UnitOfWork) -> None:
    risk_id = register_spill(uow)
    message = hangzhou_warning(uow, risk_id)
    warnings.acknowledge(uow, actor(uow, "ema-330100"), message.id, via="page", now=T0)

    warnings.sweep_deadlines(uow, now=message.warning.ack_deadline + timedelta(minutes=1))

    mine = [a for a, p in journal(uow) if p.get("warning") == message.id]
    # Issued (and, being level II, copied to Zhejiang), then acknowledged; nothing after.
    assert mine == ["warning.issued", "warning.copied", "warning.acknowledged"]


def test_the_committee_warns_a_city_by_hand_and_a_city_not_leading_may_not(
    uow: UnitOfWork,
) -> None:
    risk_id = register_spill(uow)
    before = journal(uow)

    with pytest.raises(NotPermitted):
        warnings.issue_warning(
            uow, actor(uow, "ema-330100"), risk_id, recipient_code="310000", level=2, now=T0
        )
    with pytest.raises(InvalidInput):
        warnings.issue_warning(
            uow, actor(uow, "yrd-committee"), risk_id, recipient_code="440100", level=2, now=T0
        )
    with pytest.raises(InvalidInput):
        warnings.issue_warning(
            uow, actor(uow, "yrd-committee"), risk_id, recipient_code="310000", level=9, now=T0
        )
    assert journal(uow) == before

    message = warnings.issue_warning(
        uow,
        actor(uow, "yrd-committee"),
        risk_id,
        recipient_code="310000",
        level="orange",
        instructions_zh="黄浦江取水口做好关闭准备",
        now=T0,
    )
    assert message.manual and message.msg_type is MessageType.ALERT
    assert message.recipient_organisation == "ema-310000"
    assert message.issued_by == "test-yrd-committee"
    assert (
        parse_cap(warnings.cap_document(uow, actor(uow, "ema-310000"), message.id))
        .info("zh")
        .instruction
        == "黄浦江取水口做好关闭准备"
    )

    cancelled = warnings.cancel_warning(
        uow, actor(uow, "yrd-committee"), message.id, reason="误报", now=T0
    )
    assert cancelled.msg_type is MessageType.CANCEL
    with pytest.raises(Conflict):
        warnings.cancel_warning(
            uow, actor(uow, "yrd-committee"), cancelled.id, reason="again", now=T0
        )


def test_a_city_reads_only_its_own_inbox_and_the_committee_all(uow: UnitOfWork) -> None:
    risk_id = register_spill(uow)
    hangzhou = warnings.inbox(uow, actor(uow, "ema-330100"))
    committee = warnings.inbox(uow, actor(uow, "yrd-committee"))
    other = warnings.inbox(uow, actor(uow, "pearl-committee"))

    assert {m.warning.recipient_code for m in hangzhou} == {HANGZHOU_CODE}
    assert len(committee) == len(
        warnings.warnings_of_risk(uow, actor(uow, "yrd-committee"), risk_id)
    )
    assert other == []
    with pytest.raises(NotPermitted):
        warnings.cap_document(uow, actor(uow, "pearl-committee"), hangzhou[0].id)
