"""`crossrisk mqtt acl` and the broker accounts it writes, enforced by a real Mosquitto.

Each test starts the broker binary on a free port with the password and ACL files the
command wrote from the test database; where the broker binary is missing the tests skip
locally and fail in CI (CI=true).
"""

from __future__ import annotations

import json
import os
import queue
import stat
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import paho.mqtt.client as mqtt
import pytest
from paho.mqtt.enums import CallbackAPIVersion
from sqlalchemy import Engine

from crossrisk.delivery.mqtt import MqttChannel
from crossrisk.delivery.mqtt_login import BrokerLogin
from crossrisk.domain.delivery import ChannelKind, Purpose, Target
from crossrisk.settings import Settings
from crossrisk.store.uow import UnitOfWork
from tests.broker import Mosquitto, mosquitto_binary
from tests.certificates import Certificates, make_certificates
from tests.delivery.builders import envelope
from tests.ingest.test_mqtt_ingest import Ingest, until
from tests.monitoring_support import record as record_at
from tests.support import run_cli, settings_for_tests

PLATFORM = "crossrisk-platform"
WAIT = 15.0
BASE = datetime.now(UTC).replace(microsecond=0) - timedelta(hours=3)


@dataclass
class BrokerFiles:
    passwords: Path
    acl: Path
    platform_password: Path
    issued: dict[str, str]  # the passwords the command printed, by username
    prefix: str


def write_broker_files(
    database_url: str, directory: Path, *extra: str, prefix: str = "crossrisk"
) -> tuple[BrokerFiles, str]:
    """Run `crossrisk mqtt acl` as the operator does; the files and the command's output."""
    directory.mkdir(parents=True, exist_ok=True)
    platform_password = directory / "platform-password"
    if not platform_password.exists():
        platform_password.write_text("platform-" + uuid.uuid4().hex + "\n")
        platform_password.chmod(0o600)
    files = BrokerFiles(
        passwords=directory / "passwd",
        acl=directory / "acl",
        platform_password=platform_password,
        issued={},
        prefix=prefix,
    )
    result = run_cli(
        database_url,
        directory,
        "mqtt",
        "acl",
        "--passwords",
        str(files.passwords),
        "--acl",
        str(files.acl),
        *extra,
        env={
            "CROSSRISK_MQTT_USERNAME": PLATFORM,
            "CROSSRISK_MQTT_PASSWORD_FILE": str(platform_password),
            "CROSSRISK_MQTT_TOPIC_PREFIX": prefix,
        },
    )
    assert result.returncode == 0, result.stderr
    for line in result.stdout.splitlines():
        if line.startswith("new password"):
            _, _, username, password = line.split()
            files.issued[username] = password
    return files, result.stdout


def platform_login(files: BrokerFiles, **tls: Any) -> BrokerLogin:
    return BrokerLogin(username=PLATFORM, password_file=files.platform_password, **tls)


class Client:
    """A gateway's or a city's own MQTT client, logged in with the password it was given."""

    def __init__(
        self, port: int, username: str, password: str, *, tls: Certificates | None = None
    ) -> None:
        self.messages: queue.Queue[mqtt.MQTTMessage] = queue.Queue()
        self.connack: queue.Queue[Any] = queue.Queue()
        self.subscribed: queue.Queue[list[Any]] = queue.Queue()
        self.client = mqtt.Client(
            CallbackAPIVersion.VERSION2, client_id=f"test-{uuid.uuid4().hex[:8]}"
        )
        self.client.username_pw_set(username, password)
        if tls is not None:
            self.client.tls_set(
                ca_certs=str(tls.ca), certfile=str(tls.client_cert), keyfile=str(tls.client_key)
            )
        self.client.on_connect = lambda _c, _u, _f, reason, _p: self.connack.put(reason)
        self.client.on_message = lambda _c, _u, message: self.messages.put(message)
        self.client.on_subscribe = lambda _c, _u, _mid, codes, _p: self.subscribed.put(codes)
        self.client.connect("127.0.0.1", port)
        self.client.loop_start()

    def connected(self) -> bool:
        return not self.connack.get(timeout=WAIT).is_failure

    def subscribe(self, topic: str) -> None:
        self.client.subscribe(topic, qos=1)
        self.subscribed.get(timeout=WAIT)

    def publish(self, topic: str, payload: object) -> None:
        info = self.client.publish(topic, json.dumps(payload), qos=1)
        info.wait_for_publish(WAIT)

    def close(self) -> None:
        self.client.disconnect()
        self.client.loop_stop()


def test_mqtt_acl_writes_private_files_and_keeps_issued_passwords(
    stations: UnitOfWork, database_url: str, tmp_path: Path
) -> None:
    files, output = write_broker_files(database_url, tmp_path)

    for path in (files.passwords, files.acl):
        assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    # Every organisation that receives warnings, and every station owner's gateway; the
    # platform's password is the operator's, never printed.
    assert {"ema-341000", "ema-330100", "yrd-committee", "ema-341000.gateway"} <= set(files.issued)
    assert PLATFORM not in files.issued and PLATFORM in files.passwords.read_text()
    assert "shown once" in output
    acl = files.acl.read_text()
    assert "user ema-341000.gateway\ntopic write crossrisk/yrd/observations/tunxi/#\n" in acl
    assert "user ema-341000\ntopic read crossrisk/warnings/ema-341000/#\n" in acl
    lines = {line.split(":")[0]: line for line in files.passwords.read_text().splitlines()}
    assert lines["ema-341000"].startswith("ema-341000:$7$")

    # Run again: nobody's password changes, nothing is printed; --rotate gives one anew.
    again, output = write_broker_files(database_url, tmp_path)
    assert again.issued == {} and "new password" not in output
    assert files.passwords.read_text().splitlines() == list(lines.values())
    rotated, _ = write_broker_files(database_url, tmp_path, "--rotate", "ema-341000.gateway")
    assert set(rotated.issued) == {"ema-341000.gateway"}


def test_mqtt_acl_without_the_platforms_account_is_one_line_and_writes_nothing(
    stations: UnitOfWork, database_url: str, tmp_path: Path
) -> None:
    result = run_cli(
        database_url, tmp_path, "mqtt", "acl", "--passwords", str(tmp_path / "p"), "--acl",
        str(tmp_path / "a"),
        env={"CROSSRISK_MQTT_USERNAME": "", "CROSSRISK_MQTT_PASSWORD_FILE": ""},
    )  # fmt: skip
    assert result.returncode == 2
    assert (
        result.stderr.strip().count("\n") == 0 and "CROSSRISK_MQTT_PASSWORD_FILE" in result.stderr
    )
    assert not (tmp_path / "p").exists() and not (tmp_path / "a").exists()


@pytest.fixture
def deployment(
    stations: UnitOfWork, database_url: str, tmp_path: Path
) -> Iterator[tuple[Mosquitto, BrokerFiles]]:
    mosquitto_binary()  # before any work: skipped locally, failed in CI, when missing
    files, _ = write_broker_files(database_url, tmp_path / "broker", prefix="cr")
    broker = Mosquitto(tmp_path / "broker", password_file=files.passwords, acl_file=files.acl)
    yield broker, files
    broker.close()


def ingest_settings(
    database_url: str, tmp_path: Path, broker: Mosquitto, files: BrokerFiles, **more: Any
) -> Settings:
    return settings_for_tests(
        database_url,
        tmp_path,
        mqtt_host="127.0.0.1",
        mqtt_port=broker.port,
        mqtt_topic_prefix=files.prefix,
        mqtt_username=PLATFORM,
        mqtt_password_file=files.platform_password,
        **more,
    )


def tunxi_values(uow: UnitOfWork, code: str = "tunxi") -> list[float]:
    with uow.read_only() as tx:
        station = tx.stations.get(code)
        assert station.id is not None
        series = tx.observations.series(
            station.id, since=BASE - timedelta(days=1), until=BASE + timedelta(days=1)
        )
    return [value for _, value in series]


def test_a_wrong_password_is_refused(deployment: tuple[Mosquitto, BrokerFiles]) -> None:
    broker, files = deployment
    wrong = Client(broker.port, "ema-341000.gateway", "not-" + files.issued["ema-341000.gateway"])
    try:
        assert not wrong.connected()
    finally:
        wrong.close()
    right = Client(broker.port, "ema-341000.gateway", files.issued["ema-341000.gateway"])
    try:
        assert right.connected()
    finally:
        right.close()
    files.platform_password.write_text("not-the-platforms-password")
    channel = MqttChannel(
        host="127.0.0.1",
        port=broker.port,
        topic_prefix="cr",
        timeout=3,
        login=platform_login(files),
    )
    try:
        outcome = channel.send(envelope(), Target(ChannelKind.MQTT, ""))
    finally:
        channel.close()
    assert not outcome.ok and "refused" in outcome.detail


def test_the_platform_ingests_a_gateways_own_stations_and_nothing_else(
    deployment: tuple[Mosquitto, BrokerFiles],
    stations: UnitOfWork,
    database_url: str,
    tmp_path: Path,
) -> None:
    broker, files = deployment
    engine: Engine = stations.engine
    settings = ingest_settings(database_url, tmp_path, broker, files)
    gateway = Client(broker.port, "ema-341000.gateway", files.issued["ema-341000.gateway"])
    try:
        assert gateway.connected()
        with Ingest(settings, engine, f"crossrisk-ingest-{uuid.uuid4().hex[:8]}") as ingest:
            # Huangshan's gateway on Jinhua's station topic: the broker drops it.
            gateway.publish(
                "cr/yrd/observations/lanxi", record_at(31.0, 0, station="lanxi", base=BASE)
            )
            # On its own topic, naming Jinhua's station: the ingest refuses the reading.
            gateway.publish(
                "cr/yrd/observations/tunxi", record_at(32.0, 1, station="lanxi", base=BASE)
            )
            gateway.publish("cr/yrd/observations/tunxi", record_at(21.5, 2, base=BASE))
            until(lambda: sum(r.stored for r in ingest.reports) >= 1, "Tunxi's reading")
            received = sum(r.received for r in ingest.reports)
    finally:
        gateway.close()
    assert tunxi_values(stations) == [21.5]
    assert tunxi_values(stations, "lanxi") == []
    assert received == 2  # the reading on Jinhua's topic never reached the platform
    with stations.read_only() as tx:
        assert tx.observations.refusals()[("observation-station-not-topic", "")] == 1


def test_a_city_receives_its_own_warnings_and_not_another_citys(
    deployment: tuple[Mosquitto, BrokerFiles],
) -> None:
    broker, files = deployment
    city = Client(broker.port, "ema-341000", files.issued["ema-341000"])
    channel = MqttChannel(
        host="127.0.0.1",
        port=broker.port,
        topic_prefix="cr",
        timeout=5,
        login=platform_login(files),
    )
    try:
        assert city.connected()
        city.subscribe("cr/yrd/warnings/330100")  # Hangzhou's: the broker refuses it
        city.subscribe("cr/yrd/warnings/341000")
        to_hangzhou = channel.send(
            envelope("w-hz", jurisdiction="330100"), Target(ChannelKind.MQTT, "")
        )
        to_huangshan = channel.send(
            envelope("w-hs", jurisdiction="341000"), Target(ChannelKind.MQTT, "")
        )
        assert to_hangzhou.ok and to_huangshan.ok, (to_hangzhou.detail, to_huangshan.detail)
        # Published in this order on one connection: Hangzhou's would have come first.
        first = city.messages.get(timeout=WAIT)
        assert first.topic == "cr/yrd/warnings/341000" and b"w-hs" in first.payload
        assert city.messages.empty()
        # A city cannot publish a warning of its own making either.
        city.publish("cr/yrd/warnings/341000", "forged")
        probe = channel.send(
            envelope("w-hs-2", jurisdiction="341000"), Target(ChannelKind.MQTT, "")
        )
        assert probe.ok
        assert b"w-hs-2" in city.messages.get(timeout=WAIT).payload
        assert city.messages.empty()
    finally:
        channel.close()
        city.close()


def test_delivery_and_ingest_reach_a_tls_broker_with_the_ca_and_a_client_certificate(
    stations: UnitOfWork, database_url: str, tmp_path: Path
) -> None:
    mosquitto_binary()
    tls = make_certificates(tmp_path / "tls", "broker.test")
    files, _ = write_broker_files(database_url, tmp_path / "broker", prefix="cr")
    broker = Mosquitto(
        tmp_path / "broker", password_file=files.passwords, acl_file=files.acl, tls=tls
    )
    login = dict(tls=True, ca_file=tls.ca, cert_file=tls.client_cert, key_file=tls.client_key)
    secure = MqttChannel(
        host="127.0.0.1", port=broker.port, topic_prefix="cr", timeout=5,
        login=platform_login(files, **login),
    )  # fmt: skip
    plain = MqttChannel(
        host="127.0.0.1",
        port=broker.port,
        topic_prefix="cr",
        timeout=2,
        login=platform_login(files),
    )
    city = Client(broker.port, "ema-341000", files.issued["ema-341000"], tls=tls)
    gateway = Client(broker.port, "ema-341000.gateway", files.issued["ema-341000.gateway"], tls=tls)
    try:
        assert city.connected() and gateway.connected()
        city.subscribe("cr/yrd/warnings/341000")
        assert not plain.send(envelope(), Target(ChannelKind.MQTT, "")).ok
        sent = secure.send(envelope("w-tls", jurisdiction="341000"), Target(ChannelKind.MQTT, ""))
        assert sent.ok, sent.detail
        assert b"w-tls" in city.messages.get(timeout=WAIT).payload

        settings = ingest_settings(
            database_url, tmp_path, broker, files,
            mqtt_tls=True, mqtt_ca_file=tls.ca, mqtt_cert_file=tls.client_cert,
            mqtt_key_file=tls.client_key,
        )  # fmt: skip
        with Ingest(
            settings, stations.engine, f"crossrisk-ingest-{uuid.uuid4().hex[:8]}"
        ) as ingest:
            gateway.publish("cr/yrd/observations/tunxi", record_at(22.5, 5, base=BASE))
            until(lambda: sum(r.stored for r in ingest.reports) >= 1, "the reading over TLS")
        assert tunxi_values(stations) == [22.5]
    finally:
        for closing in (secure, plain, city, gateway, broker):
            closing.close()


def test_a_city_receives_its_case_notices_and_invitations_on_its_own_topics(
    deployment: tuple[Mosquitto, BrokerFiles],
) -> None:
    broker, files = deployment
    city = Client(broker.port, "ema-341000", files.issued["ema-341000"])
    channel = MqttChannel(
        host="127.0.0.1",
        port=broker.port,
        topic_prefix="cr",
        timeout=5,
        login=platform_login(files),
    )
    try:
        assert city.connected()
        city.subscribe("cr/yrd/duties/330100")  # Hangzhou's: the broker refuses it
        city.subscribe("cr/yrd/duties/341000")
        city.subscribe("cr/yrd/meetings/341000")
        for notice, purpose, jurisdiction in (
            ("case-hz", Purpose.CASE_OPENED, "330100"),
            ("case-hs", Purpose.CASE_OPENED, "341000"),
            ("meeting-hs", Purpose.MEETING_INVITATION, "341000"),
        ):
            sent = channel.send(
                envelope(notice, jurisdiction=jurisdiction, purpose=purpose),
                Target(ChannelKind.MQTT, ""),
            )
            assert sent.ok, sent.detail
        # The platform may publish both; the city hears its own, in order, and no other.
        first, second = city.messages.get(timeout=WAIT), city.messages.get(timeout=WAIT)
        assert (first.topic, second.topic) == ("cr/yrd/duties/341000", "cr/yrd/meetings/341000")
        assert b"case-hs" in first.payload or b"Styrene" in first.payload
        assert city.messages.empty()
    finally:
        channel.close()
        city.close()
