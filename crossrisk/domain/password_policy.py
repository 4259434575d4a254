"""What a password must be: long enough, not among the most common, not one repeated character."""

from __future__ import annotations

from collections.abc import Container

from crossrisk.domain.errors import InvalidInput

MIN_LENGTH = 10


def check_password(password: str, *, common: Container[str]) -> None:
    """Refuse a password an attacker would try first; `common` holds lower-case passwords."""
    if len(password) < MIN_LENGTH:
        raise InvalidInput(
            f"password must be at least {MIN_LENGTH} characters long",
            key="password-too-short",
            params={"min_length": MIN_LENGTH},
        )
    # "aaaaaaaaaa" is long enough and still among the first guesses of any cracking tool.
    if len(set(password)) == 1:
        raise InvalidInput("password is one character repeated", key="password-repeated")
    # Compared case-blind: "Password123" falls to the same dictionary run as "password123".
    if password.lower() in common:
        raise InvalidInput(
            "password is one of the most common passwords; choose another", key="password-common"
        )
