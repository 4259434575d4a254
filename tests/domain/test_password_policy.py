"""Passwords an attacker would try first are refused."""

from __future__ import annotations

import pytest

from crossrisk.data import common_passwords
from crossrisk.domain.errors import InvalidInput
from crossrisk.domain.password_policy import check_password

COMMON = frozenset({"password123", "qwertyuiop"})


@pytest.mark.parametrize(
    "password, key",
    [
        ("short", "password-too-short"),
        ("aaaaaaaaaaaa", "password-repeated"),
        ("111111111111", "password-repeated"),
        ("password123", "password-common"),
        ("PassWord123", "password-common"),
    ],
)
def test_weak_password_is_refused_with_its_reason(password: str, key: str) -> None:
    with pytest.raises(InvalidInput) as refused:
        check_password(password, common=COMMON)
    assert refused.value.key == key


def test_a_long_uncommon_password_passes() -> None:
    check_password("correct horse battery", common=COMMON)


def test_the_bundled_list_holds_the_passwords_leaks_show_most() -> None:
    common = common_passwords()
    assert len(common) >= 10_000
    for password in ("1234567890", "qwertyuiop", "password123", "iloveyou12"):
        assert password in common
    assert "correct horse battery" not in common
