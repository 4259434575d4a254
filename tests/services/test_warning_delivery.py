"""Warnings reach recipients through the worker: delivery, reminders, escalation."""

from __future__ import annotations

import time
from datetime import timedelta
from pathlib import Path

import pytest
from standardwebhooks.webhooks import Webhook

from crossrisk.alerts.ack_link import warning_of_token
from crossrisk.alerts.cap.parse import parse_cap
from crossrisk.delivery.configured import channels_from_settings, close_all
from crossrisk.delivery.webhook import WebhookChannel
from crossrisk.domain.delivery import ChannelKind
from crossrisk.domain.errors import NotPermitted
from crossrisk.domain.organisation import system_actor
from crossrisk.domain.warning import WarningStatus
from crossrisk.services import delivery, risks, warnings
from crossrisk.services.worker import Worker
from crossrisk.store.uow import UnitOfWork
from tests.delivery.builders import Clock
from tests.delivery.servers import SmtpServer, WebhookReceiver
from tests.delivery_fixtures import RECEIVERS_GUARD
from tests.support import T0, TEST_SECRET, XINAN_SPILL, actor, draft, settings_for_tests

SECRET = "whsec_aGFuZ3pob3UtZHV0eS1kZXNrLWtleS0yMDI2"


def subscribe(uow: UnitOfWork, organisation: str, url: str) -> None:
    delivery.add_channel(
        uow,
        system_actor(),
        organisation_code=organisation,
        kind=ChannelKind.WEBHOOK,
        address=url,
        secret=SECRET,
        guard=RECEIVERS_GUARD,
        topic_prefix="crossrisk",
        now=T0,
    )


def worker(uow: UnitOfWork, clock: Clock) -> Worker:
    channels = {ChannelKind.WEBHOOK: WebhookChannel(timeout=5.0, guard=RECEIVERS_GUARD)}
    return Worker(uow, channels, clock=clock, poll_seconds=0.2)  # type: ignore[arg-type]


def register_spill(uow: UnitOfWork) -> int:
    risk = risks.register_risk(
        uow, actor(uow, "ema-341000"), draft(**XINAN_SPILL), region_code="yrd", now=T0
    )
    assert risk.id is not None
    return risk.id


def hangzhou_message(uow: UnitOfWork, risk_id: int) -> warnings.WarningMessage:
    messages = warnings.warnings_of_risk(uow, system_actor(), risk_id)
    (message,) = [m for m in messages if m.warning.recipient_code == "330100"]
    return message


def test_a_warning_is_delivered_signed_and_marked_delivered(
    uow: UnitOfWork, receiver: WebhookReceiver
) -> None:
    subscribe(uow, "ema-330100", receiver.url)
    risk_id = register_spill(uow)
    clock = Clock()

    attempts = worker(uow, clock).run_once().attempts

    assert attempts == 1  # only Hangzhou has a channel
    (request,) = receiver.received
    message = hangzhou_message(uow, risk_id)
    assert request.headers["x-crossrisk-warning"] == message.id
    assert request.headers["x-crossrisk-purpose"] == "warning"
    # What the receiver does: the stock Standard Webhooks verifier, the secret as registered.
    Webhook(SECRET).verify(request.body, request.headers, json_parse=False)
    assert parse_cap(request.body).identifier == message.id
    assert message.warning.status is WarningStatus.DELIVERED
    assert message.delivered_at == T0
    with uow.read_only() as tx:
        delivered = [e for e in tx.journal.entries() if e.action == "warning.delivered"]
    assert [e.payload["warning"] for e in delivered] == [message.id]


def test_the_running_worker_delivers_as_soon_as_the_warning_commits(
    uow: UnitOfWork, receiver: WebhookReceiver
) -> None:
    subscribe(uow, "ema-330100", receiver.url)
    # Polling once an hour: only the wake-up on commit can deliver within the 20 s below.
    channels = {ChannelKind.WEBHOOK: WebhookChannel(timeout=5.0, guard=RECEIVERS_GUARD)}
    running = Worker(uow, channels, clock=Clock(), poll_seconds=3600)  # type: ignore[arg-type]
    running.start()
    time.sleep(0.5)  # its first look at the queue, which finds it empty, is over
    try:
        register_spill(uow)
        give_up = time.monotonic() + 20
        while not receiver.received and time.monotonic() < give_up:
            time.sleep(0.05)
    finally:
        running.stop()
    assert len(receiver.received) == 1


def test_reminder_to_the_city_and_escalation_to_the_committee(
    uow: UnitOfWork, receiver: WebhookReceiver
) -> None:
    subscribe(uow, "ema-330100", receiver.url + "/hangzhou")
    subscribe(uow, "yrd-committee", receiver.url + "/committee")
    risk_id = register_spill(uow)
    message = hangzhou_message(uow, risk_id)
    clock = Clock()
    runner = worker(uow, clock)
    runner.run_once()

    clock.moment = message.warning.issued_at + (message.warning.ack_deadline - T0) / 2
    runner.run_once()
    clock.moment = message.warning.ack_deadline + timedelta(seconds=1)
    runner.run_once()

    seen = [
        (r.path.rsplit("/", 1)[-1], r.headers["x-crossrisk-purpose"])
        for r in receiver.received
        if r.headers["x-crossrisk-warning"] == message.id
    ]
    assert seen == [
        ("hangzhou", "warning"),
        ("hangzhou", "reminder"),
        ("committee", "escalation"),
    ]


def test_the_email_carries_a_signed_link_that_acknowledges_the_warning(
    uow: UnitOfWork, tmp_path: Path
) -> None:
    smtp = SmtpServer(tmp_path / "mail")
    settings = settings_for_tests(
        "unused",
        tmp_path,
        public_url="https://crossrisk.yrd.example/",
        smtp_port=smtp.port,
    )
    channels = channels_from_settings(settings)
    try:
        delivery.add_channel(
            uow,
            system_actor(),
            organisation_code="ema-330100",
            kind=ChannelKind.EMAIL,
            address="duty@hangzhou.example",
            secret=None,
            guard=RECEIVERS_GUARD,
            topic_prefix="crossrisk",
            now=T0,
        )
        risk_id = register_spill(uow)
        Worker(uow, channels, clock=Clock()).run_once()
        (mail,) = smtp.messages_to("duty@hangzhou.example")
    finally:
        close_all(channels)
        smtp.close()

    message = hangzhou_message(uow, risk_id)
    body = mail.get_body(preferencelist=("plain",)).get_content()
    (link,) = [line for line in body.splitlines() if "/ack/" in line]
    assert link.startswith("https://crossrisk.yrd.example/ack/")
    assert warning_of_token(TEST_SECRET, link.rsplit("/", 1)[-1]) == message.id
    with pytest.raises(NotPermitted):
        warning_of_token("another-key", link.rsplit("/", 1)[-1])

    done = warnings.acknowledge_by_link(uow, message.id, now=T0)
    assert done.first
    assert done.message.acknowledged_via == "email"
    assert done.message.acknowledged_by == "email:ema-330100"
    again = warnings.acknowledge_by_link(uow, message.id, now=T0 + timedelta(minutes=1))
    assert not again.first and again.message.acknowledged_at == T0  # the first one stands
