"""Observations in over MQTT: QoS 1, a persistent session, and acks after the commit.

The subscriber keeps one broker session under a fixed client id (clean_session false), so
messages published while it is down wait at the broker and arrive when it is back. Each
message is acknowledged only after the batch holding it is committed; a crash before that
leaves it unacknowledged, and the broker delivers it again. At-least-once delivery and a
store that keeps one reading per station and time make every reading stored exactly once.

Topics: `<prefix>/<region>/observations/<station>` (or deeper). A message holds one
observation, a JSON array of them, or JSON lines; an observation without a `station`
takes the topic's station segment, and one naming another station is refused: the broker's
ACL lets a gateway publish only on its own stations' topics (`crossrisk mqtt acl`), so the
topic, not the payload, says who sent the reading.
"""

from __future__ import annotations

import json
import logging
import queue
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta

import paho.mqtt.client as mqtt
from paho.mqtt.enums import CallbackAPIVersion
from sqlalchemy import Engine
from sqlalchemy.exc import SQLAlchemyError

from crossrisk.delivery.mqtt_login import BrokerLogin
from crossrisk.domain.errors import CrossriskError
from crossrisk.domain.events import EventBus
from crossrisk.domain.monitoring.observation import MAX_BATCH_LINES, batch_lines
from crossrisk.domain.organisation import Actor, system_actor
from crossrisk.services import firings, observations
from crossrisk.services.firings import FiringOutcome
from crossrisk.services.observations import IngestReport, UnreadableLine, decode_line
from crossrisk.settings import Settings
from crossrisk.store.uow import UnitOfWork

log = logging.getLogger(__name__)

DEFAULT_CLIENT_ID = "crossrisk-ingest"
# Within this much time of a message, the ones that follow join its batch.
BATCH_WAIT_SECONDS = 0.05
RETRY_SECONDS = (1.0, 2.0, 5.0, 10.0, 30.0)


def default_topic(settings: Settings) -> str:
    """Every region's observations under the configured prefix."""
    return f"{settings.mqtt_topic_prefix}/+/observations/#"


@dataclass(frozen=True, slots=True)
class _Message:
    mid: int
    qos: int
    topic: str
    records: list[object]


def message_records(topic: str, payload: bytes | bytearray) -> list[object]:
    """The observations a message holds: one object, an array, or JSON lines."""
    station = _topic_station(topic)
    try:
        whole = json.loads(payload)
    except ValueError:
        records = [decode_line(line) for _, line in batch_lines(payload.decode("utf-8", "replace"))]
    else:
        records = whole if isinstance(whole, list) else [whole]
    if not records:
        records = [UnreadableLine("the message is empty")]
    if station is not None:
        records = [_on_station_topic(r, station) for r in records]
    return records


def _on_station_topic(record: object, station: str) -> object:
    if not isinstance(record, dict):
        return record
    named = record.get("station", station)
    if named != station:
        return UnreadableLine(
            f"the record names station {str(named)[:48]!r} but came on the topic of {station!r}",
            key="observation-station-not-topic",
        )
    return {**record, "station": station}


def _topic_station(topic: str) -> str | None:
    parts = topic.split("/")
    if "observations" in parts:
        rest = parts[parts.index("observations") + 1 :]
        if rest and rest[0]:
            return rest[0]
    return None


def run_mqtt_ingest(
    settings: Settings,
    engine: Engine,
    *,
    stop: threading.Event,
    topic: str | None = None,
    client_id: str = DEFAULT_CLIENT_ID,
    bus: EventBus | None = None,
    on_batch: Callable[[IngestReport, list[FiringOutcome]], None] | None = None,
    subscribed: threading.Event | None = None,
) -> None:
    """Subscribe and store observations until `stop` is set.

    `subscribed` is set once the broker has confirmed the subscription; `on_batch` sees
    each batch's report after its messages were acknowledged, with what its firings did.
    """
    inbox: queue.Queue[_Message] = queue.Queue()
    subscription = topic or default_topic(settings)
    client = mqtt.Client(
        callback_api_version=CallbackAPIVersion.VERSION2,
        client_id=client_id,
        clean_session=False,
        protocol=mqtt.MQTTv311,
        manual_ack=True,
    )
    client.reconnect_delay_set(min_delay=1, max_delay=30)
    BrokerLogin.from_settings(settings).apply(client)

    def on_connect(
        client: mqtt.Client, _userdata: object, flags: object, reason: object, _props: object
    ) -> None:
        if getattr(reason, "is_failure", False):
            # A wrong password or an unknown account; paho retries with its backoff.
            log.error(
                "MQTT broker %s:%s refused the connection: %s",
                settings.mqtt_host,
                settings.mqtt_port,
                reason,
            )
            return
        log.info("MQTT connected to %s:%s (%s)", settings.mqtt_host, settings.mqtt_port, reason)
        client.subscribe(subscription, qos=1)

    def on_subscribe(*_args: object) -> None:
        if subscribed is not None:
            subscribed.set()

    def on_message(_client: mqtt.Client, _userdata: object, message: mqtt.MQTTMessage) -> None:
        # The network thread only queues; the database work happens in the caller's thread.
        inbox.put(
            _Message(
                message.mid,
                message.qos,
                message.topic,
                message_records(message.topic, message.payload),
            )
        )

    client.on_connect = on_connect
    client.on_subscribe = on_subscribe
    client.on_message = on_message
    client.connect(settings.mqtt_host, settings.mqtt_port, keepalive=30)
    client.loop_start()
    actor = system_actor(f"mqtt:{client_id}"[:64])
    try:
        while not stop.is_set():
            batch = _next_batch(inbox, stop)
            if not batch:
                continue
            report = _store(engine, bus, actor, settings.stale_reading_window, batch, stop)
            if report is None:
                break  # stopped while the database was away: the broker keeps the messages
            for message in batch:
                if message.qos > 0:
                    client.ack(message.mid, message.qos)
            # The firings were queued with the batch: a failing one is recorded by the
            # outbox, never fatal here, and the worker takes whatever this leaves.
            try:
                fired = firings.act_on_queued(
                    UnitOfWork(engine, bus), report.queued, now=datetime.now(UTC)
                )
            except SQLAlchemyError:
                log.exception("acting on %d firings failed; left to the worker", len(report.queued))
                fired = []
            if on_batch is not None:
                on_batch(report, fired)
    finally:
        client.loop_stop()
        client.disconnect()


def _next_batch(inbox: queue.Queue[_Message], stop: threading.Event) -> list[_Message]:
    try:
        first = inbox.get(timeout=0.2)
    except queue.Empty:
        return []
    batch, lines = [first], len(first.records)
    deadline = time.monotonic() + BATCH_WAIT_SECONDS
    while not stop.is_set():
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            break
        try:
            message = inbox.get(timeout=remaining)
        except queue.Empty:
            break
        if lines + len(message.records) > MAX_BATCH_LINES:
            inbox.put(message)  # starts the next batch; order per station does not matter
            break
        batch.append(message)
        lines += len(message.records)
    return batch


def _store(
    engine: Engine,
    bus: EventBus | None,
    actor: Actor,
    stale_after: timedelta,
    batch: list[_Message],
    stop: threading.Event,
) -> IngestReport | None:
    records = [record for message in batch for record in message.records]
    attempt = 0
    while True:
        try:
            report = observations.ingest(
                UnitOfWork(engine, bus),
                actor,
                records,
                source="mqtt",
                now=datetime.now(UTC),
                stale_after=stale_after,
            )
        except CrossriskError as refusal:
            # One message over the batch limit: refused whole, as an HTTP batch would be.
            log.warning("MQTT message on %s refused: %s", batch[0].topic, refusal.detail)
            return IngestReport(0, 0, 0, (), (), ())
        except SQLAlchemyError:
            delay = RETRY_SECONDS[min(attempt, len(RETRY_SECONDS) - 1)]
            log.exception(
                "storing %d MQTT observations failed; retrying in %ss", len(records), delay
            )
            attempt += 1
            if stop.wait(delay):
                return None
            continue
        except Exception as error:
            # Nothing a publisher sends may stop the consumer: find the message that breaks
            # the batch, store the others, and refuse (and count) that one's lines.
            log.exception("an MQTT batch of %d messages could not be stored", len(batch))
            return _isolated(engine, bus, actor, stale_after, batch, stop, error)
        _log_refusals(batch, report)
        return report


def _isolated(
    engine: Engine,
    bus: EventBus | None,
    actor: Actor,
    stale_after: timedelta,
    batch: list[_Message],
    stop: threading.Event,
    error: Exception,
) -> IngestReport | None:
    if len(batch) == 1:
        # The message itself breaks the ingest: each of its lines is refused as unreadable,
        # so the refusal counts show it, and the broker is told it was received.
        unreadable = UnreadableLine(f"the record could not be read ({type(error).__name__})")
        try:
            return observations.ingest(
                UnitOfWork(engine, bus),
                actor,
                [unreadable] * max(1, len(batch[0].records)),
                source="mqtt",
                now=datetime.now(UTC),
            )
        except Exception:
            log.exception("could not even count the refused MQTT message on %s", batch[0].topic)
            return IngestReport(0, 0, 0, (), (), ())
    reports: list[IngestReport] = []
    for message in batch:
        report = _store(engine, bus, actor, stale_after, [message], stop)
        if report is None:
            return None
        reports.append(report)
    return _combined(reports, [len(message.records) for message in batch])


def _combined(reports: list[IngestReport], sizes: list[int]) -> IngestReport:
    """The reports of consecutive parts of a batch as one, line numbers counted across it."""
    offsets = [sum(sizes[:n]) for n in range(len(sizes))]
    return IngestReport(
        received=sum(r.received for r in reports),
        stored=sum(r.stored for r in reports),
        duplicates=sum(r.duplicates for r in reports),
        duplicate_lines=tuple(
            line + offset
            for r, offset in zip(reports, offsets, strict=True)
            for line in r.duplicate_lines
        ),
        refused=tuple(
            replace(refusal, line=refusal.line + offset)
            for r, offset in zip(reports, offsets, strict=True)
            for refusal in r.refused
        ),
        queued=tuple(queued for r in reports for queued in r.queued),
    )


def _log_refusals(batch: list[_Message], report: IngestReport) -> None:
    # Line n of the batch is the n-th record across its messages, in order.
    owners: list[str] = [message.topic for message in batch for _ in message.records]
    for refusal in report.refused:
        log.warning(
            "MQTT observation refused (%s, record %d): %s %s",
            owners[refusal.line - 1],
            refusal.line,
            refusal.key,
            refusal.message,
        )
