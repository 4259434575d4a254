"""The e-mail channel against a real SMTP server process (aiosmtpd)."""

from __future__ import annotations

import uuid

from crossrisk.delivery.smtp import EmailChannel
from crossrisk.domain.delivery import ChannelKind, Target
from tests.delivery.builders import TIMEOUT, envelope
from tests.delivery.servers import SmtpServer, free_port

SENDER = "warnings@crossrisk.example"


def channel(server: SmtpServer) -> EmailChannel:
    return EmailChannel(host="127.0.0.1", port=server.port, sender=SENDER, timeout=TIMEOUT)


def recipient(domain: str = "ema.hangzhou.example") -> str:
    return f"duty-{uuid.uuid4().hex[:8]}@{domain}"


def test_mail_carries_the_subject_the_ack_link_and_the_cap_attachment(
    smtp_server: SmtpServer,
) -> None:
    message = envelope()
    to = recipient()

    outcome = channel(smtp_server).send(message, Target(ChannelKind.EMAIL, to))

    assert outcome.ok, outcome.detail
    assert outcome.detail.startswith("250")
    [mail] = smtp_server.messages_to(to)
    assert mail["Subject"] == message.subject
    assert mail["From"] == SENDER
    assert mail["X-Crossrisk-Warning"] == message.warning_id
    text = mail.get_body(preferencelist=("plain",))
    assert text is not None
    content = text.get_content()
    assert "新安江苯乙烯泄漏，预计 6 小时后到达。" in content
    assert "http://crossrisk.example/ack/abc123" in content
    [attachment] = list(mail.iter_attachments())
    assert attachment.get_content_type() == "application/common-alerting-protocol+xml"
    assert attachment.get_filename() == f"{message.warning_id}.xml"
    assert attachment.get_payload(decode=True) == message.cap_xml


def test_a_refused_recipient_is_a_permanent_failure(smtp_server: SmtpServer) -> None:
    to = recipient("refused.example")
    outcome = channel(smtp_server).send(envelope(), Target(ChannelKind.EMAIL, to))
    assert not outcome.ok and outcome.permanent
    assert outcome.detail.startswith("550")
    assert smtp_server.messages_to(to) == []


def test_no_mail_server_is_a_retryable_failure() -> None:
    outcome = EmailChannel(host="127.0.0.1", port=free_port(), sender=SENDER, timeout=TIMEOUT).send(
        envelope(), Target(ChannelKind.EMAIL, recipient())
    )
    assert not outcome.ok and not outcome.permanent
