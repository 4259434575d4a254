"""`crossrisk user add --admin`, `user disable`, `user enable` and `user rename`."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from crossrisk.domain.errors import NotAuthenticated
from crossrisk.services import users
from crossrisk.store.db import make_engine
from crossrisk.store.models import JournalEntryRow, UserRow
from crossrisk.store.uow import UnitOfWork
from tests.support import TEST_PASSWORD, row_counts, run_cli


def log_in(url: str, username: str) -> str:
    engine = make_engine(url)
    try:
        actor = users.authenticate(
            UnitOfWork(engine), username=username, password=TEST_PASSWORD, now=datetime.now(UTC)
        )
        return f"{actor.display_name}|{actor.admin}"
    finally:
        engine.dispose()


def journal_actions(url: str, username: str) -> list[str]:
    engine = make_engine(url)
    try:
        with UnitOfWork(engine).read_only() as tx:
            return [entry.action for entry in tx.journal.about(f"user:{username}")]
    finally:
        engine.dispose()


def test_an_operator_adds_an_admin_renames_disables_and_enables_a_user(
    database_url: str, tmp_path: Path
) -> None:
    added = run_cli(
        database_url,
        tmp_path,
        *("user", "add", "hs-admin", "--org", "ema-341000", "--admin", "--name", "管理员"),
        "--password-stdin",
        stdin=TEST_PASSWORD + "\n",
    )
    assert added.returncode == 0, added.stderr
    assert "as officer (administrator)" in added.stdout
    assert log_in(database_url, "hs-admin") == "管理员|True"
    renamed = run_cli(database_url, tmp_path, "user", "rename", "huangshan", "黄山值班员")
    assert renamed.returncode == 0, renamed.stderr
    assert log_in(database_url, "huangshan") == "黄山值班员|False"
    disabled = run_cli(database_url, tmp_path, "user", "disable", "huangshan")
    assert disabled.returncode == 0, disabled.stderr
    assert "huangshan disabled" in disabled.stdout
    with pytest.raises(NotAuthenticated):
        log_in(database_url, "huangshan")
    enabled = run_cli(database_url, tmp_path, "user", "enable", "huangshan")
    assert enabled.returncode == 0, enabled.stderr
    assert log_in(database_url, "huangshan") == "黄山值班员|False"
    assert journal_actions(database_url, "huangshan")[-3:] == [
        "user.renamed",
        "user.disabled",
        "user.enabled",
    ]


def test_an_unknown_user_fails_in_one_line_and_changes_nothing(
    database_url: str, tmp_path: Path
) -> None:
    before = row_counts(database_url, JournalEntryRow, UserRow)
    done = run_cli(database_url, tmp_path, "user", "disable", "nobody")
    assert done.returncode == 2
    assert done.stderr.strip().count("\n") == 0 and "nobody" in done.stderr
    assert row_counts(database_url, JournalEntryRow, UserRow) == before
