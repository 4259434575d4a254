"""Journal checkpoints: issued daily and at level I/II risks, delivered, and verified.

Each test runs on SQLite and PostgreSQL; the deliveries reach real receivers (an HTTP
server, aiosmtpd and the Mosquitto broker).
"""

from __future__ import annotations

import json
import threading
import uuid
from datetime import timedelta

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from sqlalchemy import select, text

from crossrisk.delivery.mqtt import MqttChannel
from crossrisk.delivery.smtp import EmailChannel
from crossrisk.delivery.webhook import WebhookChannel
from crossrisk.domain.checkpoint import CheckpointRefused, check_signature, parse_document
from crossrisk.domain.delivery import ChannelKind, Envelope
from crossrisk.domain.journal import JournalEntry, entry_hash
from crossrisk.domain.organisation import OrganisationKind, system_actor
from crossrisk.domain.risk import EventLevel
from crossrisk.services import checkpoints, delivery, journal, risks
from crossrisk.services.platform_key import PlatformKey
from crossrisk.services.worker import Worker
from crossrisk.store.models import JournalCheckpointRow
from crossrisk.store.uow import UnitOfWork
from tests.delivery.builders import SECRET, Clock
from tests.delivery.servers import SmtpServer, WebhookReceiver
from tests.delivery.test_mqtt import Subscriber
from tests.delivery_fixtures import RECEIVERS_GUARD
from tests.support import T0, XINAN_SPILL, actor, draft

PLATFORM = "https://crossrisk.yrd.example/"


@pytest.fixture
def key() -> PlatformKey:
    return PlatformKey(private_key=Ed25519PrivateKey.generate(), platform=PLATFORM)


def issued_entries(uow: UnitOfWork) -> list[JournalEntry]:
    with uow.read_only() as tx:
        return [e for e in tx.journal.entries() if e.action == "journal.checkpoint_issued"]


def region_codes(uow: UnitOfWork) -> list[str]:
    with uow.read_only() as tx:
        return sorted(r.code for r in tx.regions.all())


def member_cities(uow: UnitOfWork, region_code: str) -> list[str]:
    with uow.read_only() as tx:
        members = set(tx.regions.geo(region_code).index.codes)
        return sorted(
            o.code
            for o in tx.organisations.all()
            if o.kind is OrganisationKind.JURISDICTION and o.jurisdiction_code in members
        )


def test_a_worker_pass_issues_one_checkpoint_per_region_and_day(
    uow: UnitOfWork, key: PlatformKey
) -> None:
    clock = Clock(T0)
    worker = Worker(uow, {}, clock=clock, signing_key=key)
    regions = region_codes(uow)

    first = worker.run_once()
    again = worker.run_once()
    clock.advance(3600)  # 11:00 in Beijing: the same day there
    later = worker.run_once()
    clock.advance(24 * 3600)
    next_day = worker.run_once()

    assert (first.checkpoints, again.checkpoints, later.checkpoints) == (len(regions), 0, 0)
    assert next_day.checkpoints == len(regions)
    entries = issued_entries(uow)
    assert sorted((e.payload["region"], e.at) for e in entries) == sorted(
        [(code, T0) for code in regions] + [(code, clock.moment) for code in regions]
    )
    yrd = next(e for e in entries if e.payload["region"] == "yrd")
    assert yrd.payload["reason"] == "daily"
    assert yrd.payload["recipients"] == member_cities(uow, "yrd")
    assert yrd.payload["key_fingerprint"] == key.fingerprint
    # The entry follows the head it certifies.
    assert yrd.payload["seq"] < yrd.seq
    with uow.read_only() as tx:
        assert tx.journal.at(yrd.payload["seq"]).hash == yrd.payload["hash"]  # type: ignore[union-attr]


def test_two_workers_at_once_issue_the_days_checkpoint_once(
    uow: UnitOfWork, key: PlatformKey
) -> None:
    barrier = threading.Barrier(4)
    counts: list[int] = []
    errors: list[BaseException] = []

    def run() -> None:
        try:
            worker = Worker(UnitOfWork(uow.engine), {}, clock=Clock(T0), signing_key=key)
            barrier.wait()
            counts.append(worker.issue_checkpoints())
        except BaseException as error:  # collected and asserted below
            errors.append(error)

    threads = [threading.Thread(target=run) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    assert sum(counts) == len(region_codes(uow))
    assert sorted(e.payload["region"] for e in issued_entries(uow)) == region_codes(uow)
    assert journal.verify_journal(uow, system_actor()).ok


def test_a_worker_without_the_key_issues_no_checkpoint(uow: UnitOfWork) -> None:
    assert Worker(uow, {}, clock=Clock(T0)).run_once().checkpoints == 0
    assert issued_entries(uow) == []


def test_a_level_one_risk_sends_every_member_city_a_verifiable_checkpoint(
    uow: UnitOfWork,
    key: PlatformKey,
    receiver: WebhookReceiver,
    smtp_server: SmtpServer,
    mqtt_broker: tuple[str, int],
    topic_prefix: str,
) -> None:
    # The day's checkpoint was issued before the channels were: what follows is the risk's.
    checkpoints.issue_due(uow, key, now=T0 - timedelta(minutes=1))
    mailbox = f"duty-{uuid.uuid4().hex[:8]}@huangshan.example"
    for organisation, kind, address, secret in [
        ("ema-330100", ChannelKind.WEBHOOK, receiver.url, SECRET),
        ("ema-341000", ChannelKind.EMAIL, mailbox, None),
        ("ema-310000", ChannelKind.MQTT, "", None),
    ]:
        delivery.add_channel(
            uow,
            system_actor(),
            organisation_code=organisation,
            kind=kind,
            address=address,
            secret=secret,
            guard=RECEIVERS_GUARD,
            topic_prefix=topic_prefix,
            now=T0,
        )
    officer = actor(uow, "ema-341000")
    risk = risks.register_risk(
        uow, officer, draft(**XINAN_SPILL, likelihood=5, consequence=5), region_code="yrd", now=T0
    )
    assert risk.level is EventLevel.I
    host, port = mqtt_broker
    subscriber = Subscriber(host, port, f"{topic_prefix}/yrd/checkpoints/310000")
    channels = {
        ChannelKind.WEBHOOK: WebhookChannel(timeout=5.0, guard=RECEIVERS_GUARD),
        ChannelKind.EMAIL: EmailChannel(
            host="127.0.0.1", port=smtp_server.port, sender="crossrisk@yrd.example", timeout=5.0
        ),
        ChannelKind.MQTT: MqttChannel(host=host, port=port, topic_prefix=topic_prefix, timeout=5),
    }
    try:
        done = Worker(uow, channels, clock=Clock(T0), signing_key=key).run_once()  # type: ignore[arg-type]
        published = subscriber.next()
    finally:
        subscriber.close()
        for channel in channels.values():
            channel.close()
    assert done.checkpoints == 1

    (entry,) = [e for e in issued_entries(uow) if e.payload["reason"] == "risk"]
    assert entry.payload["risk"] == risk.id
    assert entry.subject == f"checkpoint:{entry.payload['checkpoint']}"
    assert entry.payload["recipients"] == member_cities(uow, "yrd")
    message_id = f"checkpoint-{entry.payload['checkpoint']}"
    sent = delivery.deliveries_of(uow, system_actor(), message_id)
    assert sorted(d.organisation_code for d in sent) == ["ema-310000", "ema-330100", "ema-341000"]
    assert {d.status.value for d in sent} == {"delivered"}

    (posted,) = [r for r in receiver.received if r.headers["x-crossrisk-purpose"] == "checkpoint"]
    assert posted.headers["content-type"] == "application/json; charset=utf-8"
    (mail,) = smtp_server.messages_to(mailbox)
    (attachment,) = list(mail.iter_attachments())
    assert attachment.get_content_type() == "application/json"
    assert attachment.get_filename() == f"{message_id}.json"
    assert f"entry {entry.payload['seq']}" in mail["Subject"]
    bodies = [posted.body, attachment.get_payload(decode=True), published.payload]
    for body in bodies:
        checkpoint = parse_document(body)
        check_signature(checkpoint, key.public_key)  # what a city does with the key it kept
        assert (checkpoint.seq, checkpoint.hash) == (entry.payload["seq"], entry.payload["hash"])
        assert (checkpoint.region, checkpoint.reason) == ("yrd", "risk")
        proof = checkpoints.verify_checkpoint(uow, system_actor(), body, key.public_key)
        assert proof.head_seq >= entry.seq


def test_a_risk_asks_for_a_checkpoint_when_it_reaches_level_two(uow: UnitOfWork) -> None:
    officer = actor(uow, "ema-341000")
    risk = risks.register_risk(
        uow, officer, draft(likelihood=3, consequence=2), region_code="yrd", now=T0
    )
    assert risk.level is EventLevel.III
    assert asked(uow) == []
    risks.change_risk(
        uow,
        officer,
        risk.id,
        risks.RiskChange(likelihood=3, consequence=4, reason="更严重"),
        now=T0,
    )
    risks.change_risk(
        uow,
        officer,
        risk.id,
        risks.RiskChange(likelihood=5, consequence=5, reason="再升级"),
        now=T0,
    )
    # Raised to II asks; raised further, from II to I, the record is anchored already.
    assert asked(uow) == [("risk", risk.id)]


def asked(uow: UnitOfWork) -> list[tuple[str, int | None]]:
    with uow.read_only() as tx:
        rows = tx.session.scalars(select(JournalCheckpointRow).order_by(JournalCheckpointRow.id))
        return [(row.reason, row.risk_id) for row in rows]


def test_the_operators_checkpoint_is_journaled_and_proven_against_the_chain(
    uow: UnitOfWork, key: PlatformKey
) -> None:
    head_before = journal.verify_journal(uow, system_actor()).entries
    checkpoint = checkpoints.issue_checkpoint(uow, system_actor("cli"), key, now=T0)
    assert checkpoint.seq == head_before
    (entry,) = issued_entries(uow)
    assert entry.seq == head_before + 1 and entry.payload["recipients"] == []
    proof = checkpoints.verify_checkpoint(
        uow, system_actor(), checkpoint.document_bytes(), key.public_key
    )
    assert proof.head_seq == head_before + 1


def rewrite_history(uow: UnitOfWork, *, seq: int, keep_to: int | None = None) -> None:
    """What an operator with the database could do: alter entry `seq`, re-hash everything
    after it and the head, so that the chain verifies in itself; optionally cut it after
    `keep_to`."""
    with uow.read_only() as tx:
        entries = list(tx.journal.entries())
    if keep_to is not None:
        entries = entries[:keep_to]
    prev = entries[seq - 2].hash if seq > 1 else "0" * 64
    fixed: list[JournalEntry] = entries[: seq - 1]
    for entry in entries[seq - 1 :]:
        payload = dict(entry.payload)
        if entry.seq == seq:
            payload["rewritten"] = True
        changed = JournalEntry(
            **{**_fields(entry), "payload": payload, "prev_hash": prev, "hash": ""}
        )
        changed = JournalEntry(**{**_fields(changed), "hash": entry_hash(changed)})
        fixed.append(changed)
        prev = changed.hash
    with uow.engine.begin() as connection:
        connection.execute(text("DELETE FROM journal_entries WHERE seq >= :seq"), {"seq": seq})
        for entry in fixed[seq - 1 :]:
            connection.execute(
                text(
                    "INSERT INTO journal_entries (seq, at, actor, organisation, action, subject,"
                    " payload, prev_hash, hash) VALUES (:seq, :at, :actor, :organisation,"
                    " :action, :subject, :payload, :prev_hash, :hash)"
                ),
                {
                    **_fields(entry),
                    "at": entry.at.replace(tzinfo=None),
                    "payload": json.dumps(
                        entry.payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False
                    ),
                },
            )
        connection.execute(
            text("UPDATE journal_head SET seq = :seq, hash = :hash WHERE id = 1"),
            {"seq": fixed[-1].seq, "hash": fixed[-1].hash},
        )


def _fields(entry: JournalEntry) -> dict[str, object]:
    return {name: getattr(entry, name) for name in JournalEntry.__slots__}


@pytest.mark.journal_tampered
@pytest.mark.parametrize("where", ["first entry", "the certified entry"])
def test_a_rewrite_at_or_before_the_checkpoint_is_named(
    uow: UnitOfWork, key: PlatformKey, where: str
) -> None:
    checkpoint = checkpoints.issue_checkpoint(uow, system_actor("cli"), key, now=T0)
    rewrite_history(uow, seq=1 if where == "first entry" else checkpoint.seq)
    assert journal.verify_journal(uow, system_actor()).ok  # the chain holds in itself
    with pytest.raises(CheckpointRefused) as refused:
        checkpoints.verify_checkpoint(
            uow, system_actor(), checkpoint.document_bytes(), key.public_key
        )
    assert refused.value.key == "checkpoint-rewritten"
    assert refused.value.detail == (
        f"entry {checkpoint.seq} no longer has the checkpoint's hash: the journal was "
        f"rewritten at or before entry {checkpoint.seq}"
    )


@pytest.mark.journal_tampered
def test_a_chain_cut_below_the_checkpoint_is_named(uow: UnitOfWork, key: PlatformKey) -> None:
    checkpoint = checkpoints.issue_checkpoint(uow, system_actor("cli"), key, now=T0)
    rewrite_history(uow, seq=2, keep_to=checkpoint.seq - 1)
    assert journal.verify_journal(uow, system_actor()).ok
    with pytest.raises(CheckpointRefused) as refused:
        checkpoints.verify_checkpoint(
            uow, system_actor(), checkpoint.document_bytes(), key.public_key
        )
    assert refused.value.key == "checkpoint-truncated"


def test_a_checkpoint_forged_by_an_operator_is_named(uow: UnitOfWork, key: PlatformKey) -> None:
    checkpoint = checkpoints.issue_checkpoint(uow, system_actor("cli"), key, now=T0)
    document = json.loads(checkpoint.document_bytes())
    document["journal"]["seq"] -= 1
    with pytest.raises(CheckpointRefused) as refused:
        checkpoints.verify_checkpoint(
            uow, system_actor(), json.dumps(document).encode(), key.public_key
        )
    assert refused.value.key == "checkpoint-forged"


def test_checkpoint_envelopes_say_they_carry_json() -> None:
    from crossrisk.domain.delivery import Purpose, default_topic

    envelope = Envelope(
        warning_id="checkpoint-1",
        purpose=Purpose.CHECKPOINT,
        region_code="yrd",
        jurisdiction_code="330100",
        subject="s",
        body="b",
        cap_xml=b"{}",
        ack_url=None,
    )
    assert envelope.media_type == "application/json"
    assert default_topic("crossrisk", envelope) == "crossrisk/yrd/checkpoints/330100"
