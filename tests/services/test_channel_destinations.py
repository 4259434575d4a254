"""Where a channel may point, checked when it is registered, on SQLite and PostgreSQL."""

from __future__ import annotations

import ipaddress

import pytest
from sqlalchemy import func, select

from crossrisk.delivery.destinations import OutboundGuard, system_resolver
from crossrisk.domain.delivery import ChannelKind
from crossrisk.domain.errors import InvalidInput
from crossrisk.domain.outbound import IPAddress
from crossrisk.services import delivery
from crossrisk.store.models import DeliveryChannelRow, JournalEntryRow
from crossrisk.store.uow import UnitOfWork
from tests.delivery.builders import SECRET, envelope, put
from tests.support import LOOPBACK, T0, actor

STRICT = OutboundGuard()


def intranet(host: str, port: int) -> list[IPAddress]:
    """The operator's internal DNS for its names (the test host serves none), else the system's."""
    names = {"db.internal": "10.20.0.5", "hooks.partner.test": "203.0.114.9"}
    if host in names:
        return [ipaddress.ip_address(names[host])]
    return system_resolver(host, port)


def counts(uow: UnitOfWork) -> tuple[int, int]:
    with uow.read_only() as tx:
        channels = tx.session.scalar(select(func.count()).select_from(DeliveryChannelRow))
        journal = tx.session.scalar(select(func.count()).select_from(JournalEntryRow))
    return int(channels or 0), int(journal or 0)


def add(
    uow: UnitOfWork,
    kind: ChannelKind,
    address: str,
    *,
    guard: OutboundGuard = STRICT,
    organisation: str = "ema-341000",
    user: str = "ema-341000",
) -> object:
    return delivery.add_channel(
        uow,
        actor(uow, user),
        organisation_code=organisation,
        kind=kind,
        address=address,
        secret=SECRET if kind is ChannelKind.WEBHOOK else None,
        guard=guard,
        topic_prefix="crossrisk",
        now=T0,
    )


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("http://127.0.0.1:5432/", "loopback"),
        ("http://localhost:8000/hook", "loopback"),
        ("http://[::1]/hook", "loopback"),
        ("http://169.254.169.254/latest/meta-data/", "link-local"),
        ("https://10.1.2.3/hook", "private"),
        ("http://0.0.0.0:8000/", "unspecified"),
        ("http://224.0.0.1/", "multicast"),
        ("http://240.0.0.1/", "reserved"),
        ("http://db.internal/hook", "private"),
    ],
)
def test_a_webhook_to_an_internal_address_is_refused_and_nothing_is_written(
    uow: UnitOfWork, url: str, reason: str
) -> None:
    before = counts(uow)
    with pytest.raises(InvalidInput) as refused:
        add(uow, ChannelKind.WEBHOOK, url, guard=OutboundGuard(resolve=intranet))
    assert refused.value.key == "channel-address-forbidden"
    assert refused.value.params["reason"] == reason
    assert counts(uow) == before


def test_the_operators_allow_list_and_public_or_unknown_names_are_accepted(
    uow: UnitOfWork,
) -> None:
    allowed = add(
        uow, ChannelKind.WEBHOOK, "http://127.0.0.1:9/hook", guard=OutboundGuard(allow=LOOPBACK)
    )
    public = add(
        uow,
        ChannelKind.WEBHOOK,
        "https://hooks.partner.test/x",
        guard=OutboundGuard(resolve=intranet),
    )
    # A name that does not resolve yet reaches nobody; every send judges it again.
    unknown = add(uow, ChannelKind.WEBHOOK, "https://ema.huangshan.example/hook")
    with uow.read_only() as tx:
        stored = {c.address for c in tx.deliveries.channels_of("ema-341000")}
        entries = [e.action for e in tx.journal.about("organisation:ema-341000")]
    assert stored == {c.address for c in (allowed, public, unknown)}  # type: ignore[attr-defined]
    assert entries == ["channel.added"] * 3


@pytest.mark.parametrize(
    "topic",
    [
        "crossrisk/warnings/ema-341000",
        "crossrisk/warnings/ema-341000/duty-room",
        "crossrisk/yrd/warnings/341000",
        "crossrisk/yrd/warnings/341000/sirens",
        "",
    ],
)
def test_an_mqtt_channel_may_name_topics_under_its_own_prefix(uow: UnitOfWork, topic: str) -> None:
    channel = add(uow, ChannelKind.MQTT, topic)
    assert channel.address == topic  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    "topic",
    [
        "crossrisk/warnings/ema-330100",  # another city's own prefix
        "crossrisk/yrd/warnings/330100",  # another city's default topic
        "crossrisk/warnings/ema-341000x/inbox",  # a prefix of the name is not the name
        "crossrisk/yrd/observations/tunxi",
        "elsewhere/warnings/ema-341000",
    ],
)
def test_an_mqtt_channel_elsewhere_is_refused_and_nothing_is_written(
    uow: UnitOfWork, topic: str
) -> None:
    before = counts(uow)
    with pytest.raises(InvalidInput) as refused:
        # The coordination body configures a member city: the city's prefix still rules.
        add(uow, ChannelKind.MQTT, topic, user="yrd-committee")
    assert refused.value.key == "channel-topic-not-own"
    assert refused.value.params["prefix"] == "crossrisk/warnings/ema-341000"
    assert counts(uow) == before


def test_a_city_reading_deliveries_sees_other_organisations_only_as_a_status(
    uow: UnitOfWork,
) -> None:
    add(
        uow,
        ChannelKind.WEBHOOK,
        "http://127.0.0.1:9/hangzhou-secret-path",
        guard=OutboundGuard(allow=LOOPBACK),
        organisation="ema-330100",
        user="ema-330100",
    )
    add(
        uow,
        ChannelKind.EMAIL,
        "duty@ema.hangzhou.example",
        organisation="ema-330100",
        user="ema-330100",
    )
    put(uow, envelope())  # a warning to Hangzhou, read by every city of the region

    def seen(user: str) -> list[tuple[str, str]]:
        found = delivery.deliveries_of(uow, actor(uow, user), "crossrisk-yrd-1-330100-1")
        return sorted((d.kind.value, d.address) for d in found)

    own = [
        ("email", "duty@ema.hangzhou.example"),
        ("webhook", "http://127.0.0.1:9/hangzhou-secret-path"),
    ]
    assert seen("ema-330100") == own
    assert seen("yrd-committee") == own
    assert seen("ema-341000") == [("email", ""), ("webhook", "")]
    other = delivery.deliveries_of(uow, actor(uow, "ema-341000"), "crossrisk-yrd-1-330100-1")
    assert {(d.status.value, d.last_detail) for d in other} == {("pending", "")}
