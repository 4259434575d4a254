"""Journal checkpoints: the chain's head signed with the platform key (DESIGN §3.10, issue 9).

A checkpoint anchors the journal outside the database. Each member city keeps the ones it
receives; later, anyone holding one and the platform's public key can prove that the
journal still extends it: the signature holds, the entry at its sequence number still has
its hash, and the chain verifies from the first entry to today's head. An operator who
rewrites, reorders or cuts entries at or before a checkpoint cannot hide it from the
cities that kept that checkpoint.

The document is small, self-describing JSON. Its signature is Ed25519 over the canonical
JSON (sorted keys, no spaces, UTF-8) of the document without its "signature" member.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from crossrisk.domain.errors import CrossriskError, InvalidInput
from crossrisk.domain.journal import GENESIS_HASH, Verification, canonical_json, canonical_time

FORMAT = "crossrisk-journal-checkpoint/1"
ALGORITHM = "Ed25519"
DOCUMENT_MAX = 16 * 1024  # a checkpoint is a few hundred bytes; anything larger is not one
_HASH_DIGITS = frozenset("0123456789abcdef")
ABOUT = (
    "The head of the crossrisk journal, signed by the platform. Keep it: "
    "`crossrisk journal verify --checkpoint FILE --key PLATFORM.pem` proves that the "
    "journal still extends it."
)


class CheckpointRefused(CrossriskError):
    """A checkpoint that does not hold: forged, or the journal no longer extends it."""

    code = "checkpoint-refused"


@dataclass(frozen=True, slots=True)
class Checkpoint:
    """One signed journal head, as delivered and kept."""

    platform: str  # where the platform is reached: whose journal this is
    region: str | None  # the region it was delivered in (None: asked for by the operator)
    seq: int  # the head's sequence number: the last entry it certifies
    hash: str  # that entry's hash
    head_at: datetime | None  # that entry's time (None: the journal was empty)
    issued_at: datetime
    reason: str  # "daily", "risk" (a level I or II risk) or "requested"
    key_fingerprint: str
    signature: str = ""  # base64 of the Ed25519 signature

    def unsigned(self) -> dict[str, Any]:
        """The document without its signature: exactly the members the signature covers."""
        return {
            "format": FORMAT,
            "about": ABOUT,
            "platform": self.platform,
            "region": self.region,
            "journal": {
                "seq": self.seq,
                "hash": self.hash,
                "at": canonical_time(self.head_at) if self.head_at else None,
            },
            "issued_at": canonical_time(self.issued_at),
            "reason": self.reason,
            "key": {"algorithm": ALGORITHM, "fingerprint": self.key_fingerprint},
        }

    def document(self) -> dict[str, Any]:
        """The whole self-describing document."""
        return {**self.unsigned(), "signature": self.signature}

    def document_bytes(self) -> bytes:
        """The document as sent and stored: indented JSON, so a person can read it too."""
        text = json.dumps(self.document(), ensure_ascii=False, indent=2, sort_keys=True)
        return (text + "\n").encode("utf-8")


def key_fingerprint(public_key: Ed25519PublicKey) -> str:
    """SHA-256 of the raw public key: how a city tells the platform's key from another."""
    raw = public_key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return "sha256:" + hashlib.sha256(raw).hexdigest()


def public_pem(public_key: Ed25519PublicKey) -> str:
    """The public key as the PEM text member cities keep."""
    return public_key.public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    ).decode("ascii")


def read_public_pem(text: bytes) -> Ed25519PublicKey:
    """An Ed25519 public key from PEM, or InvalidInput."""
    try:
        key = serialization.load_pem_public_key(text)
    except (ValueError, TypeError):
        raise InvalidInput(
            "the key is not a PEM public key", key="checkpoint-key-invalid"
        ) from None
    if not isinstance(key, Ed25519PublicKey):
        raise InvalidInput("the key is not an Ed25519 key", key="checkpoint-key-invalid")
    return key


def sign(draft: Checkpoint, private_key: Ed25519PrivateKey) -> Checkpoint:
    """The draft signed with the platform key (its fingerprint set from the key)."""
    fingerprint = key_fingerprint(private_key.public_key())
    unsigned = Checkpoint(
        platform=draft.platform,
        region=draft.region,
        seq=draft.seq,
        hash=draft.hash,
        head_at=draft.head_at,
        issued_at=draft.issued_at,
        reason=draft.reason,
        key_fingerprint=fingerprint,
    )
    signature = private_key.sign(canonical_json(unsigned.unsigned()).encode("utf-8"))
    return replace(unsigned, signature=base64.b64encode(signature).decode("ascii"))


def parse_document(data: bytes) -> Checkpoint:
    """A checkpoint document read back, every member checked; InvalidInput if malformed."""
    if len(data) > DOCUMENT_MAX:
        raise _malformed(f"it is over {DOCUMENT_MAX} bytes")
    try:
        document = json.loads(data)
    except ValueError:
        raise _malformed("it is not JSON") from None
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        raise _malformed(f"its format is not {FORMAT}")
    journal = document.get("journal")
    key = document.get("key")
    if not isinstance(journal, dict) or not isinstance(key, dict):
        raise _malformed("it lacks its journal or key member")
    seq, head_hash = journal.get("seq"), journal.get("hash")
    if type(seq) is not int or seq < 0:
        raise _malformed("its sequence number is not a whole number")
    if not isinstance(head_hash, str) or len(head_hash) != 64 or set(head_hash) - _HASH_DIGITS:
        raise _malformed("its hash is not 64 hexadecimal digits")
    if key.get("algorithm") != ALGORITHM:
        raise _malformed(f"its key is not {ALGORITHM}")
    texts = {name: document.get(name) for name in ("platform", "reason", "issued_at", "signature")}
    if not all(isinstance(value, str) for value in texts.values()):
        raise _malformed("a text member is missing")
    region = document.get("region")
    if region is not None and not isinstance(region, str):
        raise _malformed("its region is not text")
    fingerprint = key.get("fingerprint")
    if not isinstance(fingerprint, str):
        raise _malformed("its key has no fingerprint")
    checkpoint = Checkpoint(
        platform=str(texts["platform"]),
        region=region,
        seq=seq,
        hash=head_hash,
        head_at=None if journal.get("at") is None else _time(journal.get("at")),
        issued_at=_time(texts["issued_at"]),
        reason=str(texts["reason"]),
        key_fingerprint=fingerprint,
        signature=str(texts["signature"]),
    )
    # Every member must be one the signature covers: nothing may ride along unsigned.
    if canonical_json(checkpoint.document()) != canonical_json(document):
        raise _malformed("it has members a checkpoint does not have")
    return checkpoint


def check_signature(checkpoint: Checkpoint, public_key: Ed25519PublicKey) -> None:
    """Raise CheckpointRefused unless this key signed exactly this checkpoint."""
    if checkpoint.key_fingerprint != key_fingerprint(public_key):
        raise CheckpointRefused(
            f"the checkpoint names key {checkpoint.key_fingerprint}, not the key given "
            f"({key_fingerprint(public_key)})",
            key="checkpoint-other-key",
        )
    try:
        signature = base64.b64decode(checkpoint.signature, validate=True)
        public_key.verify(signature, canonical_json(checkpoint.unsigned()).encode("utf-8"))
    except (InvalidSignature, binascii.Error, ValueError):
        raise CheckpointRefused(
            f"the checkpoint of entry {checkpoint.seq} is forged: its signature does not "
            "match its content",
            key="checkpoint-forged",
        ) from None


@dataclass(frozen=True, slots=True)
class Proof:
    """What a verification against a checkpoint proved."""

    checkpoint: Checkpoint
    head_seq: int  # the journal's head when it was verified
    head_hash: str

    def summary(self) -> str:
        """One line saying what was proven."""
        cp = self.checkpoint
        return (
            f"journal extends the checkpoint: entry {cp.seq} still has hash {cp.hash}, "
            f"signed at {canonical_time(cp.issued_at)} by key {cp.key_fingerprint}, and the "
            f"chain verifies from entry 1 through the head, entry {self.head_seq}"
        )


def check_extends(checkpoint: Checkpoint, chain: Verification, *, hash_at_seq: str | None) -> Proof:
    """Prove the verified chain extends the checkpoint, or raise CheckpointRefused.

    `chain` is the verification of the whole journal up to its head; `hash_at_seq` is the
    stored hash of the entry at the checkpoint's sequence number (None: there is none).
    """
    if not chain.ok:
        raise CheckpointRefused(
            f"the journal is broken at entry {chain.first_broken_seq}: {chain.problem}",
            key="checkpoint-chain-broken",
        )
    # A verified chain is gapless from 1, so its length is its head's sequence number.
    head_seq = chain.entries
    if head_seq < checkpoint.seq:
        raise CheckpointRefused(
            f"the journal ends at entry {head_seq}, before the checkpoint's entry "
            f"{checkpoint.seq}: entries were removed",
            key="checkpoint-truncated",
        )
    stored = GENESIS_HASH if checkpoint.seq == 0 else hash_at_seq
    if stored != checkpoint.hash:
        raise CheckpointRefused(
            f"entry {checkpoint.seq} no longer has the checkpoint's hash: the journal was "
            f"rewritten at or before entry {checkpoint.seq}",
            key="checkpoint-rewritten",
        )
    return Proof(checkpoint=checkpoint, head_seq=head_seq, head_hash=chain.head_hash)


def _time(value: object) -> datetime:
    if not isinstance(value, str):
        raise _malformed("a time is missing")
    try:
        moment = datetime.strptime(value, "%Y-%m-%dT%H:%M:%S.%fZ").replace(tzinfo=UTC)
    except ValueError:
        raise _malformed(f"{value[:40]!r} is not a journal time") from None
    return moment


def _malformed(why: str) -> InvalidInput:
    return InvalidInput(f"not a journal checkpoint: {why}", key="checkpoint-malformed")
