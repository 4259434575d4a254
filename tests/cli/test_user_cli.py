"""`crossrisk user password` and `user revoke`: old sessions and tokens end, and it is journaled."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from crossrisk.domain.errors import NotAuthenticated
from crossrisk.services import users
from crossrisk.store.db import make_engine
from crossrisk.store.models import ApiTokenRow, JournalEntryRow, UserRow
from crossrisk.store.uow import UnitOfWork
from tests.support import TEST_PASSWORD, row_counts, run_cli


def check_token(url: str, token: str) -> str:
    engine = make_engine(url)
    try:
        return users.actor_for_token(UnitOfWork(engine), token, now=datetime.now(UTC)).username
    finally:
        engine.dispose()


def last_entry(url: str) -> tuple[str, str]:
    engine = make_engine(url)
    try:
        with UnitOfWork(engine).read_only() as tx:
            entry = tx.journal.about("user:huangshan")[-1]
            return entry.action, str(entry.payload["tokens_revoked"])
    finally:
        engine.dispose()


def test_user_revoke_ends_the_users_tokens(
    database_url: str, tmp_path: Path, tokens: dict[str, str]
) -> None:
    # The template's tokens hold in every copy of it.
    assert check_token(database_url, tokens["huangshan"]) == "huangshan"
    done = run_cli(database_url, tmp_path, "user", "revoke", "huangshan")
    assert done.returncode == 0, done.stderr
    assert "1 API tokens revoked" in done.stdout
    with pytest.raises(NotAuthenticated):
        check_token(database_url, tokens["huangshan"])
    assert check_token(database_url, tokens["hangzhou"]) == "hangzhou"
    assert last_entry(database_url) == ("user.revoked", "1")


def test_user_password_sets_it_and_ends_the_old_tokens(
    database_url: str, tmp_path: Path, tokens: dict[str, str]
) -> None:
    done = run_cli(
        database_url,
        tmp_path,
        "user",
        "password",
        "huangshan",
        "--password-stdin",
        stdin="a fresh long passphrase\n",
    )
    assert done.returncode == 0, done.stderr
    with pytest.raises(NotAuthenticated):
        check_token(database_url, tokens["huangshan"])
    assert last_entry(database_url) == ("user.password_changed", "1")
    engine = make_engine(database_url)
    try:
        uow = UnitOfWork(engine)
        now = datetime.now(UTC)
        assert users.authenticate(
            uow, username="huangshan", password="a fresh long passphrase", now=now
        )
        with pytest.raises(NotAuthenticated):
            users.authenticate(uow, username="huangshan", password=TEST_PASSWORD, now=now)
    finally:
        engine.dispose()


@pytest.mark.parametrize(
    "args, stdin, message",
    [
        (("password", "huangshan", "--password-stdin"), "qwertyuiop\n", "most common passwords"),
        (("password", "huangshan", "--password-stdin"), "xxxxxxxxxxxx\n", "repeated"),
        (("password", "ghost", "--password-stdin"), "a fresh long passphrase\n", "user 'ghost'"),
        (("revoke", "ghost"), "", "user 'ghost' does not exist"),
    ],
)
def test_bad_user_command_says_why_in_one_line_and_changes_nothing(
    database_url: str,
    tmp_path: Path,
    tokens: dict[str, str],
    args: tuple[str, ...],
    stdin: str,
    message: str,
) -> None:
    before = row_counts(database_url, UserRow, JournalEntryRow, ApiTokenRow)
    done = run_cli(database_url, tmp_path, "user", *args, stdin=stdin)
    assert done.returncode == 2
    assert done.stderr.count("\n") == 1 and message in done.stderr
    assert row_counts(database_url, UserRow, JournalEntryRow, ApiTokenRow) == before
    assert check_token(database_url, tokens["huangshan"]) == "huangshan"
