"""Channel configuration and delivery records over HTTP, on both backends."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from crossrisk.domain.delivery import ChannelKind
from crossrisk.services import delivery
from crossrisk.store.models import DeliveryChannelRow, JournalEntryRow
from crossrisk.store.uow import UnitOfWork
from tests.delivery.builders import SECRET, envelope, put
from tests.support import actor, assert_problem, auth

URL = "/api/organisations/ema-341000/channels"


def state(client: TestClient) -> tuple[Any, ...]:
    """The channels and the journal length: what a refused request must leave as it was."""
    engine = client.app.state.engine  # type: ignore[attr-defined]
    with engine.connect() as connection:
        channels = [
            tuple(row)
            for row in connection.execute(
                select(DeliveryChannelRow).order_by(DeliveryChannelRow.id)
            )
        ]
        journal = connection.scalar(select(func.count()).select_from(JournalEntryRow))
    return tuple(channels), journal


def webhook(**changes: Any) -> dict[str, Any]:
    return {
        "kind": "webhook",
        "address": "https://ema.huangshan.example/hook",
        "secret": SECRET,
    } | changes


def test_officer_configures_its_own_channels_and_never_sees_the_secret(
    client: TestClient, tokens: dict[str, str]
) -> None:
    created = client.post(URL, json=webhook(), headers=auth(tokens, "huangshan"))
    assert created.status_code == 201, created.text
    channel = created.json()
    assert created.headers["location"] == f"{URL}/{channel['id']}"
    assert (channel["organisation"], channel["kind"], channel["enabled"]) == (
        "ema-341000",
        "webhook",
        True,
    )
    assert channel["secret_fingerprint"].startswith("sha256:")
    assert SECRET not in created.text
    mail = client.post(
        URL,
        json={"kind": "email", "address": "duty@ema.huangshan.example"},
        headers=auth(tokens, "huangshan"),
    )
    assert mail.status_code == 201

    listed = client.get(URL, headers=auth(tokens, "huangshan"))
    assert [c["kind"] for c in listed.json()] == ["webhook", "email"]
    assert SECRET not in listed.text

    engine = client.app.state.engine  # type: ignore[attr-defined]
    uow = UnitOfWork(engine)
    with uow.read_only() as tx:
        entries = tx.journal.about("organisation:ema-341000")
    assert [e.action for e in entries] == ["channel.added", "channel.added"]
    assert entries[0].organisation == "ema-341000"
    assert SECRET not in str(entries[0].payload)

    removed = client.delete(f"{URL}/{channel['id']}", headers=auth(tokens, "huangshan"))
    assert removed.status_code == 204
    assert [c["kind"] for c in client.get(URL, headers=auth(tokens, "huangshan")).json()] == [
        "email"
    ]


def test_coordination_body_configures_a_member_citys_channels(
    client: TestClient, tokens: dict[str, str]
) -> None:
    created = client.post(
        URL, json={"kind": "mqtt", "address": ""}, headers=auth(tokens, "committee")
    )
    assert created.status_code == 201, created.text
    listed = client.get(URL, headers=auth(tokens, "committee"))
    # Read back as the city's own officer sees it: on the city, made by the committee.
    assert listed.json() == client.get(URL, headers=auth(tokens, "huangshan")).json()
    [channel] = listed.json()
    assert channel["id"] == created.json()["id"]
    assert (channel["organisation"], channel["kind"], channel["address"]) == (
        "ema-341000",
        "mqtt",
        "",
    )
    with UnitOfWork(client.app.state.engine).read_only() as tx:  # type: ignore[attr-defined]
        [entry] = tx.journal.about("organisation:ema-341000")
    assert (entry.action, entry.organisation) == ("channel.added", "yrd-committee")


@pytest.mark.parametrize(
    "user", ["hangzhou", "huangshan-viewer", "other-committee", "evaluator", "disaster-office"]
)
def test_others_may_not_configure_or_read_a_citys_channels(
    client: TestClient, tokens: dict[str, str], user: str
) -> None:
    existing = client.post(URL, json=webhook(), headers=auth(tokens, "huangshan")).json()
    before = state(client)

    refused = [
        client.post(URL, json=webhook(address="https://evil.example/"), headers=auth(tokens, user)),
        client.get(URL, headers=auth(tokens, user)),
        client.delete(f"{URL}/{existing['id']}", headers=auth(tokens, user)),
    ]

    for response in refused:
        body = assert_problem(response, 403)
        assert body["type"] == "urn:crossrisk:problem:not-permitted"
    assert state(client) == before


@pytest.mark.parametrize(
    "body, words",
    [
        (webhook(address="ftp://ema.huangshan.example/hook"), "not an http or https URL"),
        (webhook(address="not a url"), "spaces"),
        (webhook(secret=None), "signing secret"),
        (webhook(secret="too-short"), "signing secret"),
        ({"kind": "email", "address": "duty-officer"}, "not an e-mail address"),
        ({"kind": "email", "address": "a@b.example", "secret": SECRET}, "takes no secret"),
        ({"kind": "mqtt", "address": "crossrisk/+/warnings"}, "wildcard"),
        ({"kind": "pager", "address": "12345"}, "unknown channel kind"),
        ({"kind": "email"}, "not an e-mail address"),
        ({"kind": "email", "address": "a@b.example", "extra": 1}, "extra"),
    ],
)
def test_bad_channels_are_refused_and_nothing_is_stored(
    client: TestClient, tokens: dict[str, str], body: dict[str, Any], words: str
) -> None:
    before = state(client)
    refused = client.post(URL, json=body, headers=auth(tokens, "huangshan"))
    assert refused.status_code == 422, refused.text
    assert refused.headers["content-type"] == "application/problem+json"
    assert words.lower() in refused.text.lower()
    assert state(client) == before


@pytest.mark.parametrize(
    "body, key",
    [
        (webhook(address="http://169.254.169.254/latest/meta-data/"), "channel-address-forbidden"),
        (webhook(address="http://10.0.0.8:5432/"), "channel-address-forbidden"),
        (webhook(address="http://[::1]:8000/"), "channel-address-forbidden"),
        ({"kind": "mqtt", "address": "crossrisk/yrd/warnings/330100"}, "channel-topic-not-own"),
        ({"kind": "mqtt", "address": "crossrisk/warnings/ema-330100/x"}, "channel-topic-not-own"),
    ],
)
def test_internal_webhooks_and_other_organisations_topics_are_refused(
    client: TestClient, tokens: dict[str, str], body: dict[str, Any], key: str
) -> None:
    before = state(client)
    refused = client.post(URL, json=body, headers=auth(tokens, "huangshan"))
    assert_problem(refused, 422, key=key)
    assert state(client) == before


def test_the_same_channel_twice_is_a_conflict(client: TestClient, tokens: dict[str, str]) -> None:
    assert client.post(URL, json=webhook(), headers=auth(tokens, "huangshan")).status_code == 201
    before = state(client)
    again = client.post(URL, json=webhook(), headers=auth(tokens, "committee"))
    assert again.status_code == 409
    assert state(client) == before


def test_removing_another_organisations_channel_by_its_url_is_not_found(
    client: TestClient, tokens: dict[str, str]
) -> None:
    channel = client.post(URL, json=webhook(), headers=auth(tokens, "huangshan")).json()
    before = state(client)
    wrong = client.delete(
        f"/api/organisations/ema-330100/channels/{channel['id']}", headers=auth(tokens, "committee")
    )
    assert wrong.status_code == 404
    missing = client.delete(f"{URL}/999999", headers=auth(tokens, "huangshan"))
    assert missing.status_code == 404
    assert (
        client.get(
            "/api/organisations/ema-999999/channels", headers=auth(tokens, "committee")
        ).status_code
        == 404
    )
    assert state(client) == before


def test_deliveries_of_a_warning_are_read_by_those_who_read_its_region(
    client: TestClient, tokens: dict[str, str]
) -> None:
    engine = client.app.state.engine  # type: ignore[attr-defined]
    uow = UnitOfWork(engine)
    created = client.post(
        "/api/organisations/ema-330100/channels",
        json={"kind": "email", "address": "duty@ema.hangzhou.example"},
        headers=auth(tokens, "hangzhou"),
    )
    assert created.status_code == 201
    put(uow, envelope())

    read = client.get(
        "/api/deliveries",
        params={"warning": "crossrisk-yrd-1-330100-1"},
        headers=auth(tokens, "hangzhou"),
    )
    assert read.status_code == 200
    [item] = read.json()
    assert (item["warning"], item["kind"], item["status"], item["attempts"]) == (
        "crossrisk-yrd-1-330100-1",
        ChannelKind.EMAIL.value,
        "pending",
        0,
    )
    assert item["attempt_log"] == []
    assert item["address"] == "duty@ema.hangzhou.example"
    # Another city reads the region's deliveries, but not where Hangzhou's warnings go.
    neighbour = client.get(
        "/api/deliveries",
        params={"warning": "crossrisk-yrd-1-330100-1"},
        headers=auth(tokens, "huangshan"),
    )
    assert neighbour.status_code == 200
    assert [(d["kind"], d["status"], d["address"]) for d in neighbour.json()] == [
        ("email", "pending", "")
    ]
    assert "hangzhou.example" not in neighbour.text
    outsider = client.get(
        "/api/deliveries",
        params={"warning": "crossrisk-yrd-1-330100-1"},
        headers=auth(tokens, "other-committee"),
    )
    assert_problem(outsider, 403)
    assert client.get("/api/deliveries", headers=auth(tokens, "hangzhou")).status_code == 422
    assert delivery.deliveries_of(uow, actor(uow, "pearl-committee"), "no-such-warning") == []
