"""Failed logins and the growing, capped delay they earn."""

from __future__ import annotations

from datetime import timedelta

from crossrisk.domain.login_throttle import POLICIES, FailedLogins, ThrottleKind, seconds_to_wait
from tests.support import T0


def fail(times: int, kind: ThrottleKind = ThrottleKind.ACCOUNT) -> FailedLogins:
    failed = FailedLogins.none(kind, "huangshan", now=T0)
    for _ in range(times):
        failed = failed.after_failure(T0)
    return failed


def test_the_first_failures_are_free() -> None:
    free = POLICIES[ThrottleKind.ACCOUNT].free_failures
    assert fail(free - 1).wait(T0) == timedelta(0)
    assert fail(free).wait(T0) == timedelta(seconds=2)


def test_each_failure_beyond_the_free_ones_doubles_the_wait() -> None:
    free = POLICIES[ThrottleKind.ACCOUNT].free_failures
    waits = [fail(free + n).wait(T0).total_seconds() for n in range(5)]
    assert waits == [2, 4, 8, 16, 32]


def test_the_wait_is_capped_so_no_one_is_locked_out_for_good() -> None:
    assert fail(1000).wait(T0) == timedelta(minutes=1)
    assert fail(1000, ThrottleKind.ADDRESS).wait(T0) == timedelta(minutes=15)


def test_the_wait_runs_out() -> None:
    failed = fail(7)
    assert failed.wait(T0 + timedelta(seconds=7)) == timedelta(seconds=1)
    assert failed.wait(T0 + timedelta(seconds=8)) == timedelta(0)


def test_failures_long_past_are_forgotten() -> None:
    later = T0 + POLICIES[ThrottleKind.ACCOUNT].forget_after
    assert fail(50).as_of(later).failures == 0
    assert fail(50).after_failure(later).failures == 1


def test_an_address_has_more_free_failures_than_an_account() -> None:
    # An office behind one proxy shares its address.
    assert fail(10, ThrottleKind.ADDRESS).wait(T0) == timedelta(0)
    assert fail(10, ThrottleKind.ACCOUNT).wait(T0) > timedelta(0)


def test_retry_after_is_whole_seconds_rounded_up() -> None:
    assert seconds_to_wait(timedelta(seconds=1.2)) == 2
    assert seconds_to_wait(timedelta(0)) == 1
