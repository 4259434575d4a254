"""The demo's accounts and generated password pass the password policy."""

from __future__ import annotations

from pathlib import Path

from crossrisk.cli.serving import _demo_password
from crossrisk.domain.organisation import system_actor
from crossrisk.services import demo, users
from crossrisk.store.uow import UnitOfWork
from tests.support import T0, settings_for_tests


def test_a_demo_account_is_seeded_with_the_generated_password(
    uow: UnitOfWork, tmp_path: Path
) -> None:
    password = _demo_password(settings_for_tests("sqlite://", tmp_path))
    account = next(a for a in demo.demo_accounts(uow, region_code="yrd") if not a.exists)
    demo.seed_demo_account(uow, system_actor("demo"), account, password=password, now=T0)
    assert users.authenticate(uow, username=account.username, password=password, now=T0)


def test_demo_stocks_are_imported_once_and_leave_hangzhou_short_of_tents(uow: UnitOfWork) -> None:
    first = demo.seed_demo_stocks(uow, system_actor("demo"), region_code="yrd", now=T0)
    assert first is not None and first.created == first.rows > 50
    assert demo.seed_demo_stocks(uow, system_actor("demo"), region_code="yrd", now=T0) is None
    with uow.read_only() as tx:
        levels = tx.stocks.levels("yrd", on=T0.date())
        imported = [e for e in tx.journal.entries() if e.action == "stocks.imported"]
    assert len(imported) == 1
    assert levels["330100"]["tent"] < levels["310000"]["tent"]
