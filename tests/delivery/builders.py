"""Builders of the delivery tests: envelopes, a movable clock, channels and the outbox."""

from __future__ import annotations

from datetime import datetime, timedelta

from crossrisk.delivery.destinations import OutboundGuard
from crossrisk.domain.delivery import ChannelConfig, ChannelKind, Delivery, Envelope, Purpose
from crossrisk.domain.organisation import system_actor
from crossrisk.services import delivery
from crossrisk.store.uow import UnitOfWork
from tests.support import LOOPBACK, T0

# A Standard Webhooks secret, as an operator registers it and a receiver's library takes it.
SECRET = "whsec_QjuviWMWyW89CBRbGDjjb6MdIF+Gu9LBU13KQb3d7j0="
TIMEOUT = 1.5  # seconds a test channel waits for a hanging peer
CAP = (
    '<?xml version="1.0" encoding="UTF-8"?>\n'
    '<alert xmlns="urn:oasis:names:tc:emergency:cap:1.2">'
    "<identifier>{id}</identifier><headline>黄色预警[Ⅲ级/较重] 新安江苯乙烯</headline>"
    "</alert>\n"
)


def envelope(
    warning_id: str = "crossrisk-yrd-1-330100-1",
    *,
    jurisdiction: str = "330100",
    purpose: Purpose = Purpose.WARNING,
    ack_url: str | None = "http://crossrisk.example/ack/abc123",
) -> Envelope:
    """A warning to Hangzhou, in the shape the warnings service produces."""
    return Envelope(
        warning_id=warning_id,
        purpose=purpose,
        region_code="yrd",
        jurisdiction_code=jurisdiction,
        subject="黄色预警[Ⅲ级/较重]：新安江苯乙烯泄漏 — Yellow warning",
        body="新安江苯乙烯泄漏，预计 6 小时后到达。\nStyrene spill on the Xin'an River.",
        cap_xml=CAP.format(id=warning_id).encode("utf-8"),
        ack_url=ack_url,
    )


class Clock:
    """The dispatcher's clock, moved by the test."""

    def __init__(self, start: datetime = T0) -> None:
        self.moment = start

    def __call__(self) -> datetime:
        return self.moment

    def advance(self, seconds: float) -> None:
        self.moment += timedelta(seconds=seconds)


def configure(
    uow: UnitOfWork,
    kind: ChannelKind,
    address: str,
    *,
    organisation: str = "ema-330100",
    secret: str | None = None,
) -> ChannelConfig:
    """Add a channel as the operator."""
    return delivery.add_channel(
        uow,
        system_actor(),
        organisation_code=organisation,
        kind=kind,
        address=address,
        secret=secret,
        guard=OutboundGuard(allow=LOOPBACK),
        topic_prefix="crossrisk",
        now=T0,
    )


def put(
    uow: UnitOfWork,
    message: Envelope,
    *,
    organisation: str = "ema-330100",
    now: datetime = T0,
) -> int:
    """Enqueue a message in a transaction of its own, as the warnings service would."""
    with uow as tx:
        count = delivery.enqueue(tx, message, organisation_code=organisation, now=now)
        tx.commit()
    return count


def deliveries(uow: UnitOfWork, warning_id: str) -> list[Delivery]:
    """Every delivery of a warning, as the operator reads them."""
    return delivery.deliveries_of(uow, system_actor(), warning_id)


def by_kind(uow: UnitOfWork, warning_id: str) -> dict[ChannelKind, Delivery]:
    return {d.kind: d for d in deliveries(uow, warning_id)}
