"""Failed logins and the delay they earn, per account and per client address.

A few failures are free (people mistype); after that each failure doubles the wait before
the next attempt, up to a cap. The cap keeps the delay from becoming a lock-out an
attacker can impose forever: an account's cap is short, and an attacker who keeps it
waiting must keep failing, which the (longer) cap of the attacker's own address slows.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from enum import StrEnum


class ThrottleKind(StrEnum):
    ACCOUNT = "account"
    ADDRESS = "address"


@dataclass(frozen=True, slots=True)
class ThrottlePolicy:
    """How failures turn into waiting time for one kind of key."""

    free_failures: int
    first_delay: timedelta
    max_delay: timedelta
    # Failures this long ago are forgotten: a user who mistyped yesterday starts afresh.
    forget_after: timedelta

    def delay(self, failures: int) -> timedelta:
        """The wait after the `failures`-th failure in a row."""
        if failures < self.free_failures:
            return timedelta(0)
        # The exponent is bounded before it is used: 2**60 seconds would overflow timedelta.
        doublings = min(failures - self.free_failures, 40)
        return min(self.first_delay * (1 << doublings), self.max_delay)


POLICIES = {
    # One account: a user waits at most a minute after someone else's wrong guesses.
    ThrottleKind.ACCOUNT: ThrottlePolicy(
        free_failures=5,
        first_delay=timedelta(seconds=2),
        max_delay=timedelta(minutes=1),
        forget_after=timedelta(hours=1),
    ),
    # One address: more free failures, since an office behind one proxy shares it; a long
    # cap, since a guessing address is where the attack comes from.
    ThrottleKind.ADDRESS: ThrottlePolicy(
        free_failures=20,
        first_delay=timedelta(seconds=2),
        max_delay=timedelta(minutes=15),
        forget_after=timedelta(hours=1),
    ),
}


@dataclass(frozen=True, slots=True)
class FailedLogins:
    """The failures in a row counted against one account or one address."""

    kind: ThrottleKind
    subject: str  # the account's username or the client's address
    failures: int
    last_failure_at: datetime
    blocked_until: datetime

    @property
    def key(self) -> str:
        return throttle_key(self.kind, self.subject)

    @classmethod
    def none(cls, kind: ThrottleKind, subject: str, *, now: datetime) -> FailedLogins:
        """No failures yet."""
        return cls(kind, subject, failures=0, last_failure_at=now, blocked_until=now)

    def as_of(self, now: datetime) -> FailedLogins:
        """This record, with failures long past forgotten."""
        if self.failures and now - self.last_failure_at >= POLICIES[self.kind].forget_after:
            return FailedLogins.none(self.kind, self.subject, now=now)
        return self

    def wait(self, now: datetime) -> timedelta:
        """How long before another attempt is heard; zero when it may be made now."""
        return max(self.as_of(now).blocked_until - now, timedelta(0))

    def after_failure(self, now: datetime) -> FailedLogins:
        """The record after one more failure at `now`."""
        current = self.as_of(now)
        failures = current.failures + 1
        return replace(
            current,
            failures=failures,
            last_failure_at=now,
            blocked_until=now + POLICIES[self.kind].delay(failures),
        )


def throttle_key(kind: ThrottleKind, subject: str) -> str:
    """The stored key of an account's or an address's failures."""
    return f"{kind.value}:{subject}"


def seconds_to_wait(wait: timedelta) -> int:
    """A wait as the whole seconds of a Retry-After header (never zero)."""
    return max(1, math.ceil(wait.total_seconds()))
