"""A warning by e-mail, through the worker to a real SMTP server: what the duty officer reads."""

from __future__ import annotations

import uuid
from pathlib import Path

import pytest

from crossrisk.alerts.cap.parse import parse_cap
from crossrisk.alerts.cap.schema import validate_cap
from crossrisk.delivery.configured import channels_from_settings, close_all
from crossrisk.domain.delivery import ChannelKind
from crossrisk.domain.organisation import system_actor
from crossrisk.services import delivery, risks, warnings
from crossrisk.services.worker import Worker
from crossrisk.store.uow import UnitOfWork
from tests.delivery.builders import Clock
from tests.delivery.servers import SmtpServer
from tests.delivery_fixtures import RECEIVERS_GUARD
from tests.support import T0, XINAN_SPILL, actor, draft, settings_for_tests


def test_mail_says_origin_hazard_level_lead_time_and_carries_the_cap_message(
    uow: UnitOfWork, smtp_server: SmtpServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The use case that renders the warning links to pages under the public address.
    monkeypatch.setenv("CROSSRISK_PUBLIC_URL", "https://crossrisk.example")
    mailbox = f"duty-{uuid.uuid4().hex[:8]}@ema.hangzhou.example"
    delivery.add_channel(
        uow,
        system_actor(),
        organisation_code="ema-330100",
        kind=ChannelKind.EMAIL,
        address=mailbox,
        secret=None,
        guard=RECEIVERS_GUARD,
        topic_prefix="crossrisk",
        now=T0,
    )
    spill = {**XINAN_SPILL, "parameters": {**XINAN_SPILL["parameters"], "substance": "苯乙烯"}}
    risk = risks.register_risk(
        uow, actor(uow, "ema-341000"), draft(**spill), region_code="yrd", now=T0
    )
    settings = settings_for_tests(
        "sqlite://",
        tmp_path,
        smtp_port=smtp_server.port,
        smtp_sender="warnings@crossrisk.example",
        public_url="https://crossrisk.example",
    )
    channels = channels_from_settings(settings)
    try:
        Worker(uow, channels, clock=Clock(), poll_seconds=0.2).run_once()
    finally:
        close_all(channels)

    [message] = [
        m
        for m in warnings.warnings_of_risk(uow, system_actor(), risk.id or 0)
        if m.warning.recipient_code == "330100"
    ]
    [mail] = smtp_server.messages_to(mailbox)
    # The subject is the Chinese headline: the issuer first, then the hazard and its tag.
    assert (
        "发布水体污染" in mail["Subject"]
        and message.warning.level.headline_tag_zh in mail["Subject"]
    )
    part = mail.get_body(preferencelist=("plain",))
    assert part is not None
    body = part.get_content()
    chinese, english = body.index("发生地：黄山市"), body.index("Origin: Huangshan")
    assert chinese < english  # Chinese first
    for line in (
        "致灾因子：水体污染（新安江苯乙烯泄漏）",
        "泄漏物质：苯乙烯",
        "波及地：杭州市",
        f"预警级别：{message.warning.level.colour_zh}",
        "提前量：约",
        "Hazard: Spill into a river (新安江苯乙烯泄漏)",
        "Substance released: Styrene",
        "Affected: Hangzhou",
        f"Level: {message.warning.level.colour_en} (Level {message.warning.level.roman}",
        "Lead time: about ",
        f"https://crossrisk.example/risks/{risk.id}",
        "启动本地应急预案",
        "Start the local contingency plan",
    ):
        assert line in body, line
    assert "https://crossrisk.example/ack/" in body  # the signed acknowledgement link
    [attachment] = list(mail.iter_attachments())
    assert attachment.get_filename() == f"{message.id}.xml"
    cap_xml = attachment.get_payload(decode=True)
    assert isinstance(cap_xml, bytes)
    validate_cap(cap_xml)
    assert parse_cap(cap_xml).identifier == message.id
    assert f"<web>https://crossrisk.example/risks/{risk.id}</web>".encode() in cap_xml
    print(cap_xml.decode())
    assert "泄漏物质：苯乙烯。".encode() in cap_xml  # the description names the substance
