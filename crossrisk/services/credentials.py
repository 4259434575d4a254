"""Passwords and bearer secrets: hashing, the password policy, and a bound on checks at once."""

from __future__ import annotations

import hashlib
import secrets
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from crossrisk.data import common_passwords
from crossrisk.domain.errors import Busy
from crossrisk.domain.password_policy import check_password
from crossrisk.settings import default_password_checks

_hasher = PasswordHasher()


def check_new_password(password: str) -> None:
    """Refuse a password the policy forbids (too short, common, one repeated character)."""
    check_password(password, common=common_passwords())


def hash_password(password: str) -> str:
    """An Argon2id hash of a password; slow on purpose, so never inside a transaction."""
    return _hasher.hash(password)


def verify_password(password_hash: str, password: str) -> bool:
    """Whether the password matches the hash; a malformed hash matches nothing."""
    try:
        return _hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(password_hash: str) -> bool:
    """Whether a stored hash was made with weaker parameters than today's."""
    return _hasher.check_needs_rehash(password_hash)


@cache
def dummy_hash() -> str:
    """A hash no password matches, checked for unknown users.

    Verifying against it keeps the response time of a wrong username the same as of a wrong
    password. Made on first use, not at import: every command would pay for it otherwise.
    """
    return _hasher.hash(secrets.token_hex(16))


def new_secret() -> str:
    """A random bearer secret (an API token, a session id) for the client to hold."""
    return secrets.token_urlsafe(32)


def digest(secret: str) -> str:
    """What is stored of a bearer secret: a leaked database leaks no usable one."""
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


class PasswordChecks:
    """At most `limit` password checks at once in this process; the rest wait briefly.

    Each Argon2 check takes tens of milliseconds of a core and 64 MiB of memory on purpose.
    A flood of logins running all at once would starve every other request, so it queues
    here instead, and whoever cannot get a turn within `wait` seconds is told to retry.
    """

    def __init__(self, limit: int, *, wait: float = 1.0) -> None:
        self.limit = limit
        self.wait = wait
        self._turns = threading.BoundedSemaphore(limit)

    @contextmanager
    def turn(self) -> Iterator[None]:
        """Hold one of the turns, or raise Busy when none frees up in time."""
        if not self._turns.acquire(timeout=self.wait):
            raise Busy(
                "too many logins are being checked at once; try again in a moment",
                key="login-busy",
                retry_after=1,
            )
        try:
            yield
        finally:
            self._turns.release()


# For callers outside a served application (the CLI, scripts); the app makes its own from
# its settings.
SHARED_CHECKS = PasswordChecks(default_password_checks())
