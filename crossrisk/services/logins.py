"""Checking a username and password: throttled per account and address, checked outside
any transaction, and never more at once than the process's password checks allow."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from crossrisk.domain.errors import NotAuthenticated, TooManyRequests
from crossrisk.domain.login_throttle import ThrottleKind, seconds_to_wait
from crossrisk.services import credentials
from crossrisk.services.credentials import PasswordChecks
from crossrisk.store.repositories.organisations import StoredUser
from crossrisk.store.uow import Transaction, UnitOfWork

# No username is longer; a longer one typed still counts against (a prefix of) itself.
SUBJECT_MAX = 100


@dataclass(frozen=True, slots=True)
class Login:
    """A username and password that matched, not yet recorded as a success."""

    user: StoredUser
    # A fresh hash when the stored one was made with weaker parameters than today's.
    rehashed: str | None


def check_credentials(
    uow: UnitOfWork,
    *,
    username: str,
    password: str,
    address: str | None,
    now: datetime,
    checks: PasswordChecks,
) -> Login:
    """The user whose password this is; else NotAuthenticated, TooManyRequests or Busy.

    A failure counts against the account and the client's address; while either must
    wait, no password is checked at all. The caller records a success with
    `record_success` in the transaction that starts the session or issues the token.
    """
    name = username.strip().lower()
    subjects = [(ThrottleKind.ACCOUNT, name[:SUBJECT_MAX])]
    if address:
        subjects.append((ThrottleKind.ADDRESS, address[:SUBJECT_MAX]))
    # Refused before queueing for a turn: a throttled flood costs no password check.
    _refuse_while_throttled(uow, subjects, now=now)
    with checks.turn():
        # Read afresh once it is this request's turn: the failures of those queued ahead
        # of it may have throttled it meanwhile.
        with uow.read_only() as tx:
            wait = _longest_wait(tx, subjects, now=now)
            user = tx.organisations.user_by_name(name)
        if wait:
            raise _throttled(wait)
        # The hash is slow on purpose: it is checked with no transaction open.
        if user is None or not user.active:
            credentials.verify_password(credentials.dummy_hash(), password)
            matched = False
        else:
            matched = credentials.verify_password(user.password_hash, password)
        if user is None or not matched:
            # Counted before the turn is given up, so the next in the queue reads it.
            with uow as tx:
                for kind, subject in subjects:
                    tx.login_throttles.count_failure(kind, subject, now=now)
                tx.login_throttles.purge(before=now - timedelta(days=1))
                tx.commit()
            raise NotAuthenticated("unknown username or wrong password")
    rehashed = None
    if credentials.needs_rehash(user.password_hash):
        rehashed = credentials.hash_password(password)
    return Login(user, rehashed)


def record_success(tx: Transaction, login: Login) -> None:
    """A login succeeded: the account's failures are forgotten (never the address's)."""
    # The address keeps its count: else an attacker with an account of their own could
    # clear their address's failures by logging in between guesses at other accounts.
    tx.login_throttles.forget(ThrottleKind.ACCOUNT, login.user.username)
    if login.rehashed is not None:
        tx.organisations.set_password_hash(login.user.id, login.rehashed)


def _refuse_while_throttled(
    uow: UnitOfWork, subjects: list[tuple[ThrottleKind, str]], *, now: datetime
) -> None:
    with uow.read_only() as tx:
        wait = _longest_wait(tx, subjects, now=now)
    if wait:
        raise _throttled(wait)


def _longest_wait(
    tx: Transaction, subjects: list[tuple[ThrottleKind, str]], *, now: datetime
) -> timedelta:
    return max(
        (failed.wait(now) for failed in tx.login_throttles.current(subjects, now=now)),
        default=timedelta(0),
    )


def _throttled(wait: timedelta) -> TooManyRequests:
    seconds = seconds_to_wait(wait)
    return TooManyRequests(
        f"too many failed logins; try again in {seconds} seconds",
        key="login-throttled",
        retry_after=seconds,
    )
