"""Mosquitto's password file, in the PBKDF2-SHA512 form mosquitto_passwd writes, and private files.

A line is `username:$7$<iterations>$<base64 salt>$<base64 hash>`: PBKDF2-HMAC-SHA512 of
the password over 12 random salt bytes, the 64-byte result, both in standard base64
(mosquitto 2.0, src/password_mosq.c). The broker reads the iteration count from each line.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
import secrets
from pathlib import Path

SALT_BYTES = 12  # mosquitto's own salt length
# mosquitto_passwd's default is 101. The broker hashes on every connection, so the count
# stays modest; the generated passwords carry 192 random bits and need no stretching.
ITERATIONS = 20_000
GENERATED_BYTES = 24


def hash_password(password: str, *, iterations: int = ITERATIONS, salt: bytes | None = None) -> str:
    """The `$7$…` hash of a password, as mosquitto_passwd would write it."""
    salt = salt if salt is not None else secrets.token_bytes(SALT_BYTES)
    digest = hashlib.pbkdf2_hmac("sha512", password.encode("utf-8"), salt, iterations)
    return "$7${}${}${}".format(
        iterations, base64.b64encode(salt).decode("ascii"), base64.b64encode(digest).decode("ascii")
    )


def password_matches(password: str, encoded: str) -> bool:
    """True when encoded is the `$7$` hash of this password."""
    parts = encoded.split("$")
    if len(parts) != 5 or parts[1] != "7" or not parts[2].isdigit():
        return False
    try:
        salt, expected = base64.b64decode(parts[3]), base64.b64decode(parts[4])
    except ValueError:
        return False
    digest = hashlib.pbkdf2_hmac("sha512", password.encode("utf-8"), salt, int(parts[2]))
    return hmac.compare_digest(digest, expected)


def generate_password() -> str:
    """A new random password for a gateway or a receiving organisation."""
    return secrets.token_urlsafe(GENERATED_BYTES)


def read_password_file(path: Path) -> dict[str, str]:
    """The hashes a password file holds, by username ({} when there is no file)."""
    if not path.exists():
        return {}
    entries: dict[str, str] = {}
    for line in path.read_text("utf-8").splitlines():
        username, sep, encoded = line.strip().partition(":")
        if sep and username and not username.startswith("#"):
            entries[username] = encoded
    return entries


def password_file_text(entries: dict[str, str]) -> str:
    """A password file with these hashes, one `username:hash` line each."""
    return "".join(f"{username}:{encoded}\n" for username, encoded in entries.items())


def write_private(path: Path, text: str) -> None:
    """Replace path with text atomically, readable and writable by its owner only (0600)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.{secrets.token_hex(4)}")
    descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(descriptor, "w", encoding="utf-8") as file:
            file.write(text)
            file.flush()
            os.fsync(file.fileno())
        os.replace(temporary, path)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
