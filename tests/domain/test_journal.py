from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

from crossrisk.domain.journal import (
    GENESIS_HASH,
    JournalEntry,
    canonical_json,
    next_entry,
    verify_chain,
)
from tests.support import T0


def chain(length: int) -> list[JournalEntry]:
    entries: list[JournalEntry] = []
    seq, prev = 0, GENESIS_HASH
    for index in range(length):
        entry = next_entry(
            prev_seq=seq,
            prev_hash=prev,
            at=T0 + timedelta(minutes=index),
            actor="huangshan",
            organisation="ema-341000",
            action="risk.registered",
            subject=f"risk:{index}",
            payload={"title": f"险情 {index}", "level": "II"},
        )
        entries.append(entry)
        seq, prev = entry.seq, entry.hash
    return entries


def test_canonical_json_ignores_key_order() -> None:
    assert canonical_json({"b": 1, "a": "黄山"}) == canonical_json({"a": "黄山", "b": 1})
    assert canonical_json({"a": "黄山"}) == '{"a":"黄山"}'


def test_intact_chain_verifies() -> None:
    result = verify_chain(chain(5))
    assert result.ok
    assert result.entries == 5


def test_changed_payload_is_named() -> None:
    entries = chain(5)
    entries[2] = replace(entries[2], payload={"title": "险情 2", "level": "IV"})
    result = verify_chain(entries)
    assert result.first_broken_seq == 3
    assert result.problem == "its content does not match its hash"


def test_rewritten_entry_breaks_the_next_link() -> None:
    entries = chain(4)
    forged = replace(entries[1], payload={"forged": True})
    entries[1] = replace(forged, hash="f" * 64)
    result = verify_chain(entries)
    assert result.first_broken_seq == 2


def test_missing_entry_is_named() -> None:
    entries = chain(4)
    del entries[1]
    assert verify_chain(entries).first_broken_seq == 3


def test_changed_time_is_detected() -> None:
    entries = chain(3)
    entries[0] = replace(entries[0], at=entries[0].at + timedelta(seconds=1))
    assert verify_chain(entries).first_broken_seq == 1
