"""Journal checkpoints: the signed document, read back, and what a verification proves."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import timedelta

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from crossrisk.domain.checkpoint import (
    FORMAT,
    Checkpoint,
    CheckpointRefused,
    check_extends,
    check_signature,
    key_fingerprint,
    parse_document,
    public_pem,
    read_public_pem,
    sign,
)
from crossrisk.domain.errors import InvalidInput
from crossrisk.domain.journal import Verification
from tests.support import T0

KEY = Ed25519PrivateKey.generate()
HASH = "ab" * 32


def signed(**changes: object) -> Checkpoint:
    draft = Checkpoint(
        platform="https://crossrisk.yrd.example/",
        region="yrd",
        seq=41,
        hash=HASH,
        head_at=T0,
        issued_at=T0 + timedelta(seconds=3),
        reason="daily",
        key_fingerprint="",
    )
    return sign(replace(draft, **changes), KEY)  # type: ignore[arg-type]


def test_a_signed_checkpoint_reads_back_and_verifies_with_the_public_key() -> None:
    checkpoint = signed()
    read = parse_document(checkpoint.document_bytes())
    assert read == checkpoint
    document = json.loads(checkpoint.document_bytes())
    assert document["format"] == FORMAT
    assert document["journal"] == {"seq": 41, "hash": HASH, "at": "2026-07-01T02:00:00.000000Z"}
    assert document["key"] == {
        "algorithm": "Ed25519",
        "fingerprint": key_fingerprint(KEY.public_key()),
    }
    public = read_public_pem(public_pem(KEY.public_key()).encode())
    check_signature(read, public)  # does not raise


@pytest.mark.parametrize(
    "path, value",
    [(("journal", "seq"), 40), (("journal", "hash"), "cd" * 32), (("region",), "pearl")],
)
def test_a_changed_member_is_a_forged_checkpoint(path: tuple[str, ...], value: object) -> None:
    document = json.loads(signed().document_bytes())
    target = document
    for name in path[:-1]:
        target = target[name]
    target[path[-1]] = value
    forged = parse_document(json.dumps(document).encode())
    with pytest.raises(CheckpointRefused) as refused:
        check_signature(forged, KEY.public_key())
    assert refused.value.key == "checkpoint-forged"


def test_a_checkpoint_signed_by_another_key_is_refused_naming_both_keys() -> None:
    other = Ed25519PrivateKey.generate()
    checkpoint = sign(signed(), other)
    with pytest.raises(CheckpointRefused) as refused:
        check_signature(checkpoint, KEY.public_key())
    assert refused.value.key == "checkpoint-other-key"
    assert key_fingerprint(other.public_key()) in refused.value.detail


@pytest.mark.parametrize(
    "data",
    [
        b"not json",
        b"[]",
        json.dumps({"format": "something-else"}).encode(),
        json.dumps({**json.loads(signed().document_bytes()), "extra": 1}).encode(),
        json.dumps(
            {**json.loads(signed().document_bytes()), "journal": {"seq": True, "hash": HASH}}
        ).encode(),
    ],
)
def test_what_is_not_a_checkpoint_is_refused_as_malformed(data: bytes) -> None:
    with pytest.raises(InvalidInput) as refused:
        parse_document(data)
    assert refused.value.key == "checkpoint-malformed"


def test_an_intact_longer_chain_extends_the_checkpoint() -> None:
    proof = check_extends(signed(), Verification(entries=50, head_hash="ef" * 32), hash_at_seq=HASH)
    assert proof.head_seq == 50
    assert proof.summary().startswith("journal extends the checkpoint: entry 41 still has hash")


@pytest.mark.parametrize(
    "chain, hash_at_seq, key",
    [
        (Verification(entries=30, head_hash="ef" * 32), None, "checkpoint-truncated"),
        (Verification(entries=50, head_hash="ef" * 32), "cd" * 32, "checkpoint-rewritten"),
        (
            Verification(entries=12, head_hash="ef" * 32, first_broken_seq=12, problem="p"),
            HASH,
            "checkpoint-chain-broken",
        ),
    ],
)
def test_a_chain_that_no_longer_extends_the_checkpoint_is_named(
    chain: Verification, hash_at_seq: str | None, key: str
) -> None:
    with pytest.raises(CheckpointRefused) as refused:
        check_extends(signed(), chain, hash_at_seq=hash_at_seq)
    assert refused.value.key == key
