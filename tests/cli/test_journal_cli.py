"""`crossrisk journal key | checkpoint | verify --checkpoint`: what a member city runs."""

from __future__ import annotations

import json
import stat
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from sqlalchemy import create_engine, text

from crossrisk.domain.checkpoint import parse_document, public_pem
from crossrisk.store.models import JournalCheckpointRow, JournalEntryRow
from tests.support import row_counts, run_cli


def checkpoint_to(sqlite_url: str, data_dir: Path, path: Path) -> dict[str, object]:
    done = run_cli(sqlite_url, data_dir, "journal", "checkpoint", "-o", str(path))
    assert done.returncode == 0, done.stderr
    document: dict[str, object] = json.loads(path.read_text("utf-8"))
    return document


def test_the_public_key_is_made_once_and_its_private_half_kept_private(
    sqlite_url: str, tmp_path: Path
) -> None:
    first = run_cli(sqlite_url, tmp_path, "journal", "key")
    second = run_cli(sqlite_url, tmp_path, "journal", "key")
    assert first.returncode == 0, first.stderr
    assert first.stdout.startswith("-----BEGIN PUBLIC KEY-----")
    assert first.stdout == second.stdout
    mode = stat.S_IMODE((tmp_path / "signing_key.pem").stat().st_mode)
    assert mode == 0o600


def test_a_kept_checkpoint_is_proven_with_the_kept_public_key(
    sqlite_url: str, tmp_path: Path
) -> None:
    key_file = tmp_path / "platform.pem"
    key_file.write_text(run_cli(sqlite_url, tmp_path, "journal", "key").stdout)
    document = checkpoint_to(sqlite_url, tmp_path, tmp_path / "cp.json")
    assert row_counts(sqlite_url, JournalCheckpointRow) == (1,)

    result = run_cli(
        sqlite_url,
        tmp_path,
        "journal",
        "verify",
        "--checkpoint",
        str(tmp_path / "cp.json"),
        "--key",
        str(key_file),
    )

    assert result.returncode == 0, result.stderr
    seq = document["journal"]["seq"]  # type: ignore[index]
    assert result.stdout.startswith(f"journal extends the checkpoint: entry {seq} still has hash")
    # The checkpoint's own entry came after it, and is covered by the chain check.
    assert f"through the head, entry {seq + 1}" in result.stdout


@pytest.mark.parametrize("case", ["rewritten", "forged", "other key", "not a checkpoint"])
def test_a_checkpoint_that_does_not_hold_exits_2_with_one_line(
    sqlite_url: str, tmp_path: Path, case: str
) -> None:
    path = tmp_path / "cp.json"
    document = checkpoint_to(sqlite_url, tmp_path, path)
    key_file = tmp_path / "platform.pem"
    key_file.write_text(run_cli(sqlite_url, tmp_path, "journal", "key").stdout)
    seq = document["journal"]["seq"]  # type: ignore[index]
    expected = {
        "rewritten": "the journal is broken at entry 2",
        "forged": "is forged: its signature does not match its content",
        "other key": "not the key given",
        "not a checkpoint": "not a journal checkpoint",
    }[case]
    if case == "rewritten":
        engine = create_engine(sqlite_url)
        with engine.begin() as connection:
            connection.execute(text("UPDATE journal_entries SET actor = 'forger' WHERE seq = 2"))
        engine.dispose()
    elif case == "forged":
        document["journal"]["seq"] = seq - 1  # type: ignore[index]
        path.write_text(json.dumps(document))
    elif case == "other key":
        key_file.write_text(public_pem(Ed25519PrivateKey.generate().public_key()))
    else:
        path.write_text("{}")
    before = row_counts(sqlite_url, JournalEntryRow)

    result = run_cli(
        sqlite_url, tmp_path, "journal", "verify", "--checkpoint", str(path), "--key", str(key_file)
    )

    assert result.returncode == 2
    assert result.stdout == ""
    assert result.stderr.count("\n") == 1 and result.stderr.startswith("error: ")
    assert expected in result.stderr
    assert row_counts(sqlite_url, JournalEntryRow) == before


def test_the_checkpoint_document_goes_to_stdout_by_default(sqlite_url: str, tmp_path: Path) -> None:
    result = run_cli(sqlite_url, tmp_path, "journal", "checkpoint")
    assert result.returncode == 0, result.stderr
    assert parse_document(result.stdout.encode()).reason == "requested"


def test_a_named_signing_key_that_is_missing_exits_2_and_signs_nothing(
    sqlite_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CROSSRISK_SIGNING_KEY_FILE", str(tmp_path / "absent.pem"))
    result = run_cli(sqlite_url, tmp_path, "journal", "checkpoint")
    assert result.returncode == 2
    assert result.stderr.startswith("error: cannot read the signing key")
    assert row_counts(sqlite_url, JournalCheckpointRow) == (0,)
    assert not (tmp_path / "signing_key.pem").exists()


def test_a_named_signing_key_file_is_the_one_used(
    sqlite_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from cryptography.hazmat.primitives import serialization

    private = Ed25519PrivateKey.generate()
    named = tmp_path / "hsm-export.pem"
    named.write_bytes(
        private.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    monkeypatch.setenv("CROSSRISK_SIGNING_KEY_FILE", str(named))
    result = run_cli(sqlite_url, tmp_path, "journal", "key")
    assert result.stdout == public_pem(private.public_key())
