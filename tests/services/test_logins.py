"""Failed logins are throttled per account and per address, in the database, on each backend."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest

from crossrisk.domain.errors import Busy, NotAuthenticated, TooManyRequests
from crossrisk.domain.login_throttle import ThrottleKind
from crossrisk.services import users
from crossrisk.services.credentials import PasswordChecks
from crossrisk.store.db import make_engine
from crossrisk.store.uow import UnitOfWork
from tests.support import T0, TEST_PASSWORD

CHECKS = PasswordChecks(2)


def log_in(
    uow: UnitOfWork,
    username: str,
    password: str,
    *,
    at: timedelta = timedelta(0),
    address: str | None = "203.0.113.7",
) -> str:
    return users.issue_token(
        uow, username=username, password=password, now=T0 + at, address=address, checks=CHECKS
    )


def fail_times(uow: UnitOfWork, count: int) -> timedelta:
    """Fail `count` times, each after any wait has passed; the time of the last failure."""
    at = timedelta(0)
    for n in range(count):
        # Past the account's longest wait (a minute), still within the hour it remembers.
        at = timedelta(seconds=70 * n)
        with pytest.raises(NotAuthenticated):
            log_in(uow, "huangshan", "wrong password!", at=at)
    return at


def test_failures_beyond_the_free_ones_make_the_account_wait(uow: UnitOfWork) -> None:
    last = fail_times(uow, 5)
    with pytest.raises(TooManyRequests) as throttled:
        # Even the right password is not checked while the account must wait.
        log_in(uow, "huangshan", TEST_PASSWORD, at=last + timedelta(seconds=1))
    assert throttled.value.key == "login-throttled"
    assert throttled.value.retry_after == 1
    assert log_in(uow, "huangshan", TEST_PASSWORD, at=last + timedelta(seconds=2))


def test_throttled_attempts_do_not_lengthen_the_wait(uow: UnitOfWork) -> None:
    last = fail_times(uow, 6)  # the sixth failure earns 4 s
    for _ in range(10):
        with pytest.raises(TooManyRequests):
            log_in(uow, "huangshan", "wrong password!", at=last + timedelta(seconds=1))
    assert log_in(uow, "huangshan", TEST_PASSWORD, at=last + timedelta(seconds=4))


def test_a_success_clears_the_accounts_failures(uow: UnitOfWork) -> None:
    fail_times(uow, 4)
    log_in(uow, "huangshan", TEST_PASSWORD, at=timedelta(minutes=5))
    with uow.read_only() as tx:
        (account,) = tx.login_throttles.current([(ThrottleKind.ACCOUNT, "huangshan")], now=T0)
    assert account.failures == 0


def test_one_address_guessing_at_many_accounts_is_throttled(uow: UnitOfWork) -> None:
    for n in range(20):
        with pytest.raises(NotAuthenticated):
            log_in(uow, f"guess-{n}", "wrong password!", address="198.51.100.9")
    with pytest.raises(TooManyRequests):
        log_in(uow, "committee", TEST_PASSWORD, address="198.51.100.9")
    # The account itself is not to blame: from another address it logs in.
    assert log_in(uow, "committee", TEST_PASSWORD, address="203.0.113.50")


def test_a_success_does_not_clear_the_addresss_failures(uow: UnitOfWork) -> None:
    # Else an attacker with an account of their own could log in between guesses.
    for n in range(19):
        with pytest.raises(NotAuthenticated):
            log_in(uow, f"guess-{n}", "wrong password!", address="198.51.100.9")
    log_in(uow, "hangzhou", TEST_PASSWORD, address="198.51.100.9")
    with pytest.raises(NotAuthenticated):
        log_in(uow, "guess-x", "wrong password!", address="198.51.100.9")
    with pytest.raises(TooManyRequests):
        log_in(uow, "hangzhou", TEST_PASSWORD, address="198.51.100.9")


def test_the_count_is_shared_by_every_server_process(uow: UnitOfWork, database_url: str) -> None:
    last = fail_times(uow, 5)
    # Another process: its own engine and connections on the same database.
    other = make_engine(database_url)
    try:
        with pytest.raises(TooManyRequests):
            log_in(UnitOfWork(other), "huangshan", TEST_PASSWORD, at=last + timedelta(seconds=1))
    finally:
        other.dispose()


def test_concurrent_failures_are_all_counted(uow: UnitOfWork) -> None:
    def guess() -> None:
        with pytest.raises((NotAuthenticated, TooManyRequests)):
            log_in(uow.fresh(), "huangshan", "wrong password!")

    threads = [threading.Thread(target=guess) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    with uow.read_only() as tx:
        (account,) = tx.login_throttles.current([(ThrottleKind.ACCOUNT, "huangshan")], now=T0)
    # Every failure that was heard counted: none was lost to a concurrent one.
    assert 5 <= account.failures <= 8
    with pytest.raises(TooManyRequests):
        log_in(uow, "huangshan", TEST_PASSWORD)


def test_failed_logins_write_nothing_to_the_journal(uow: UnitOfWork) -> None:
    with uow.read_only() as tx:
        before = sum(1 for _ in tx.journal.entries())
    fail_times(uow, 8)
    with uow.read_only() as tx:
        assert sum(1 for _ in tx.journal.entries()) == before


def test_no_turn_free_for_a_password_check_answers_busy(uow: UnitOfWork) -> None:
    checks = PasswordChecks(1, wait=0.05)
    with checks.turn(), pytest.raises(Busy) as busy:
        users.issue_token(uow, username="huangshan", password=TEST_PASSWORD, now=T0, checks=checks)
    assert busy.value.retry_after == 1 and busy.value.key == "login-busy"
    assert users.issue_token(
        uow, username="huangshan", password=TEST_PASSWORD, now=T0, checks=checks
    )
