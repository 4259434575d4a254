"""Journal checkpoints: asked for, signed, delivered to the member cities, and verified.

A checkpoint is asked for in the transaction of what calls for it (a level I or II risk
registered or raised to it) or by the worker once a day per region, and issued by a
worker that holds the platform key, each in a transaction of its own: the head is signed,
the document queued for every member city's channels through the deliveries outbox (so
retries, backoff and receipts apply), and the issuing journaled.

The issuing entry comes after the head it signs: a checkpoint certifies the journal up to
the entry before its own, and its own entry is certified by the next checkpoint.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from crossrisk.alerts.texts import when as local_when
from crossrisk.domain.checkpoint import (
    Checkpoint,
    Proof,
    check_extends,
    check_signature,
    parse_document,
    sign,
)
from crossrisk.domain.delivery import CHECKPOINT_MESSAGE_PREFIX, Envelope, Purpose
from crossrisk.domain.journal import canonical_time, verify_chain
from crossrisk.domain.organisation import Actor, OrganisationKind, system_actor
from crossrisk.domain.permissions.regions import require_operator
from crossrisk.domain.risk import EventLevel, Risk
from crossrisk.locale import DISPLAY_ZONE, EN, N_, ZH_CN, say
from crossrisk.services import delivery
from crossrisk.services.platform_key import PlatformKey
from crossrisk.store.repositories.checkpoints import PendingCheckpoint
from crossrisk.store.uow import Transaction, UnitOfWork

CHECKPOINTER = system_actor("checkpoint")
ANCHORING_LEVELS = frozenset({EventLevel.I, EventLevel.II})
# How many checkpoints one worker pass issues at most; the rest wait for the next pass.
PASS_LIMIT = 20


def ask_for_risk(tx: Transaction, risk: Risk, *, before: Risk | None, now: datetime) -> None:
    """Ask for a checkpoint when a risk is registered at, or raised to, level I or II.

    Inside the risk's own transaction: if the risk is rolled back, so is the request. A
    drill's risk asks for none: its checkpoint would go out to every member city, and the
    day's checkpoint anchors the drill's entries with the rest of the journal anyway.
    """
    if risk.level not in ANCHORING_LEVELS or risk.is_drill:
        return
    if before is not None and before.level in ANCHORING_LEVELS:
        return
    tx.checkpoints.request(region_code=risk.region_code, reason="risk", risk_id=risk.id, now=now)


def issue_due(uow: UnitOfWork, key: PlatformKey, *, now: datetime) -> list[Checkpoint]:
    """Ask for today's checkpoint of every region if not yet asked, then issue those pending.

    Any number of workers may run this at once: the day's request is one row per region
    whoever inserts it, and each pending row is issued by the one worker that takes it.
    """
    day = now.astimezone(DISPLAY_ZONE).date().isoformat()  # the members' calendar day
    # A read first: most passes find nothing to do and take no write lock.
    with uow.read_only() as tx:
        missing = [r.code for r in tx.regions.all() if not tx.checkpoints.has_day(r.code, day)]
        pending = tx.checkpoints.pending_ids()
    if missing:
        with uow as tx:
            for code in missing:
                tx.checkpoints.request_day(code, day, now=now)
            tx.commit()
        with uow.read_only() as tx:
            pending = tx.checkpoints.pending_ids()
    issued: list[Checkpoint] = []
    for checkpoint_id in pending[:PASS_LIMIT]:
        with uow as tx:
            taken = tx.checkpoints.take_pending(checkpoint_id)
            if taken is None:
                continue  # another worker issued it, or holds it now
            checkpoint = _issue(tx, key, taken, CHECKPOINTER, now=now)
            tx.commit()
        issued.append(checkpoint)
    return issued


def issue_checkpoint(
    uow: UnitOfWork, actor: Actor, key: PlatformKey, *, now: datetime
) -> Checkpoint:
    """Sign the journal's head now for the operator, who keeps or hands on the document."""
    require_operator(actor)
    with uow as tx:
        checkpoint_id = tx.checkpoints.request(region_code=None, reason="requested", now=now)
        pending = PendingCheckpoint(
            id=checkpoint_id, region_code=None, reason="requested", risk_id=None
        )
        checkpoint = _issue(tx, key, pending, actor, now=now)
        tx.commit()
    return checkpoint


def verify_checkpoint(
    uow: UnitOfWork, actor: Actor, document: bytes, public_key: Ed25519PublicKey
) -> Proof:
    """Prove the journal still extends a checkpoint, or raise CheckpointRefused saying how not.

    The signature is checked first against the key the caller trusts (a city's own copy),
    then the whole chain up to its head, then the entry at the checkpoint's sequence number.
    """
    del actor  # anyone with a login may verify the journal (DESIGN §3.10)
    checkpoint = parse_document(document)
    check_signature(checkpoint, public_key)
    with uow.read_only() as tx:
        head = tx.journal.head_record()  # read first: later entries wait for the next check
        chain = verify_chain(tx.journal.entries(), head=head)
        entry = tx.journal.at(checkpoint.seq) if checkpoint.seq else None
    return check_extends(checkpoint, chain, hash_at_seq=entry.hash if entry else None)


def _issue(
    tx: Transaction, key: PlatformKey, pending: PendingCheckpoint, actor: Actor, *, now: datetime
) -> Checkpoint:
    seq, head_hash = tx.journal.head_record()
    head = tx.journal.at(seq) if seq else None
    checkpoint = sign(
        Checkpoint(
            platform=key.platform,
            region=pending.region_code,
            seq=seq,
            hash=head_hash,
            head_at=head.at if head else None,
            issued_at=now,
            reason=pending.reason,
            key_fingerprint="",
        ),
        key.private_key,
    )
    if not tx.checkpoints.mark_issued(pending.id, checkpoint):
        raise RuntimeError(f"checkpoint {pending.id} was issued while this worker held it")
    recipients = (
        _deliver(tx, pending, checkpoint, now=now) if pending.region_code is not None else []
    )
    payload: dict[str, Any] = {
        "checkpoint": pending.id,
        "reason": pending.reason,
        "region": pending.region_code,
        "risk": pending.risk_id,
        "seq": checkpoint.seq,
        "hash": checkpoint.hash,
        "key_fingerprint": checkpoint.key_fingerprint,
        "recipients": recipients,
        # This entry follows the head it signs; the next checkpoint certifies it.
        "certifies": f"entries 1 to {checkpoint.seq}, the head before this entry",
    }
    tx.record(
        actor,
        "journal.checkpoint_issued",
        subject=f"checkpoint:{pending.id}",
        payload=payload,
        region_code=pending.region_code,
        now=now,
    )
    return checkpoint


def _deliver(
    tx: Transaction, pending: PendingCheckpoint, checkpoint: Checkpoint, *, now: datetime
) -> list[str]:
    """Queue the document for every member city of the region; returns their organisations."""
    assert pending.region_code is not None
    document = checkpoint.document_bytes()
    subject, body = _notice(checkpoint, pending)
    recipients: list[str] = []
    for jurisdiction_code, organisation_code in _member_cities(tx, pending.region_code):
        delivery.enqueue(
            tx,
            Envelope(
                warning_id=f"{CHECKPOINT_MESSAGE_PREFIX}{pending.id}",
                purpose=Purpose.CHECKPOINT,
                region_code=pending.region_code,
                jurisdiction_code=jurisdiction_code,
                subject=subject,
                body=body,
                cap_xml=document,
                ack_url=None,
            ),
            organisation_code=organisation_code,
            now=now,
        )
        recipients.append(organisation_code)
    return recipients


def _member_cities(tx: Transaction, region_code: str) -> Iterable[tuple[str, str]]:
    """(jurisdiction, organisation) of each member city of the region that has an account."""
    # The cached geo context knows the members; loading them would parse every boundary.
    members = set(tx.regions.geo(region_code).index.codes)
    return sorted(
        (o.jurisdiction_code, o.code)
        for o in tx.organisations.all()
        if o.kind is OrganisationKind.JURISDICTION and o.jurisdiction_code in members
    )


def _notice(checkpoint: Checkpoint, pending: PendingCheckpoint) -> tuple[str, str]:
    """The e-mail's subject and text, Chinese first."""
    params = {
        "seq": checkpoint.seq,
        "hash": checkpoint.hash,
        "fingerprint": checkpoint.key_fingerprint,
        "file": f"{CHECKPOINT_MESSAGE_PREFIX}{pending.id}.json",
        "risk": pending.risk_id,
        "issued": canonical_time(checkpoint.issued_at),
    }
    subject = " / ".join(
        say(locale, N_("Journal checkpoint: entry %(seq)s"), params) for locale in (ZH_CN, EN)
    )
    why = (
        N_("It was issued because risk %(risk)s reached level I or II.")
        if pending.reason == "risk"
        else N_("This is the daily checkpoint.")
    )
    paragraphs = []
    for locale in (ZH_CN, EN):
        when = local_when(checkpoint.issued_at, locale)
        paragraphs.append(
            "\n".join(
                [
                    say(
                        locale,
                        N_(
                            "The platform signed its journal up to entry %(seq)s "
                            "(hash %(hash)s) at %(when)s."
                        ),
                        {**params, "when": when},
                    ),
                    say(locale, why, params),
                    say(
                        locale,
                        N_(
                            "Keep the attached %(file)s. To prove later that the journal "
                            "still extends it, run: crossrisk journal verify --checkpoint "
                            "%(file)s --key PLATFORM.pem (the platform's public key, "
                            "fingerprint %(fingerprint)s)."
                        ),
                        params,
                    ),
                ]
            )
        )
    return subject, "\n\n".join(paragraphs) + "\n"
